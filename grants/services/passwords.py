"""The password rule: long enough, not the username, not a demo password, not a common one.

The rule is stated once (:data:`PASSWORD_RULE`) and shown before anyone types a password: in the
Admin page's forms and in the command line's help.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from grants.domain.errors import RuleViolation

MIN_LENGTH = 12
MIN_DISTINCT = 5
PASSWORD_RULE = (
    f"At least {MIN_LENGTH} characters (a few unrelated words work well); not the username, not a demo "
    "password, not a common password (or a common word with digits or symbols added), and not the same few "
    "characters repeated."
)
DEMO_PASSWORD_PREFIX = "demo-"
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list (``common_passwords.txt``), lower case."""
    text = resources.files("grants.services").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_new_password(password: str, username: str = "") -> None:
    """Refuse a password that breaks :data:`PASSWORD_RULE` (a :class:`RuleViolation` saying which part)."""
    if len(password) < MIN_LENGTH:
        raise RuleViolation(f"a password needs at least {MIN_LENGTH} characters")
    if not password.strip():
        raise RuleViolation("a password cannot be only spaces")
    if password.isdigit():
        raise RuleViolation("a password cannot be only digits")
    folded = password.casefold()
    core = _EDGES.sub("", folded)
    name = username.strip().casefold()
    if name and (folded == name or core == name or core == name.split("@")[0]):
        raise RuleViolation("a password cannot be the username")
    if folded.startswith(DEMO_PASSWORD_PREFIX):
        raise RuleViolation("a password cannot be a demo password")
    listed = common_passwords()
    if folded in listed or core in listed or folded.replace(" ", "") in listed:
        raise RuleViolation("that password is too common; choose another (a few unrelated words work well)")
    if len(set(folded)) < MIN_DISTINCT:
        raise RuleViolation("a password needs more than the same few characters repeated")
