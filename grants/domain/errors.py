"""Named domain errors. Entry points translate them into messages and exit codes."""

from __future__ import annotations


class GrantsError(Exception):
    """Base of every error the tracker raises on purpose."""


class InvalidMoney(GrantsError, ValueError):
    """Text that is not an exact amount in pounds and pence."""


class InvalidDate(GrantsError, ValueError):
    """Text that is not a date in any form the papers use."""


class InvalidPeriod(GrantsError, ValueError):
    """A financial year, quarter or half that does not exist."""


class NotFound(GrantsError, LookupError):
    """A partnership, fund, line or other record that does not exist."""


class Conflict(GrantsError):
    """Someone else changed the record since it was read: reload and try again."""


class PermissionDenied(GrantsError):
    """The user's role or partnerships do not allow this."""


class RuleViolation(GrantsError, ValueError):
    """A change that would break a domain invariant (e.g. a virement larger than the line)."""
