"""The data version: one number that changes with every committed write, cheap to read, for keying caches.

Every write is audited in its own transaction (``grants.storage.repository``: the audit event is
appended in the same transaction as the change, bulk imports included), and audit events are only ever
appended. So the newest audit event's id is a version of the whole database that moves exactly when a
write commits, on any process or command line, and reading it is one index lookup. A restore (or its
undo) appends its own event with an id above both the replaced and the restored database's newest, so
the version never returns to a value a cache has already seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from grants.storage.data_versions import EVERYTHING, read_versions
from grants.storage.database import Database
from grants.storage.tables import AuditEventRow

NOT_DATA = ("sessions",)
"""Audit events that change no figure (signing in and out): they do not move the version, so a sign-in does
not make every process recompute every page."""


def data_version(database: Database) -> int:
    """The id of the newest audit event about the data (0 for a database without any).

    Read newest first and stopped at the first match, which both databases do from the primary key's
    index end without a scan.
    """
    newest = (
        select(AuditEventRow.id).where(AuditEventRow.entity.not_in(NOT_DATA)).order_by(AuditEventRow.id.desc()).limit(1)
    )
    with database.engine.connect() as connection:
        return int(connection.execute(newest).scalar() or 0)


def version_or_zero(database: Database) -> int:
    """The data version; 0 for a database that is not (yet) a tracker database, e.g. one being replaced."""
    try:
        return data_version(database)
    except Exception:
        return 0


@dataclass(frozen=True)
class Versions:
    """Every fund's data version (``grants.storage.data_versions``), read in one query, for keying caches.

    ``everything`` is row 0 (data not about one fund: partnerships, accounts, settings); a fund without a
    row is at 0. A fund's key moves exactly when a write to that fund, or to everything, commits.
    """

    funds: Mapping[int, int]
    everything: int

    def key(self, fund_id: int) -> tuple[int, int]:
        """The key of figures about one fund."""
        return (self.everything, self.funds.get(fund_id, 0))

    def all_key(self) -> tuple[int, int, int]:
        """The key of figures about many funds: it moves with any write (every version only goes up between
        restores, and a restore raises ``everything`` above every value seen)."""
        return (self.everything, sum(self.funds.values()), len(self.funds))


def fund_versions(database: Database) -> Versions:
    """Every fund's data version: one query over a table of one row per fund."""
    with database.engine.connect() as connection:
        rows = dict(read_versions(connection))
    everything = rows.pop(EVERYTHING, 0)
    return Versions(rows, everything)
