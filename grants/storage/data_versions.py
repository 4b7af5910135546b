"""Per-fund data versions: which funds a transaction wrote to, bumped in the same transaction at commit.

The audit log sees every write (``grants.storage.repository``); :class:`Touched` collects, from each audit
event, the fund it is about: the fund itself, a row with a ``fund_id``, or a row of a line or a grant
round (looked up at commit). An event about nothing fund-shaped (a partnership, an account, a setting)
touches row 0, "everything". Sign-ins touch nothing. At commit, each touched row's version goes up by one
in the same transaction (an upsert, so concurrent writers to one fund queue on its row and each gets
its own number).

Every version is at most the newest audit event's id (each bump comes with at least one event), so a
restore that sets every row to its own, newer event's id gives values no cache has seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from grants.storage.tables import Base, BudgetLineRow, DataVersionRow, GrantRoundRow

EVERYTHING = 0
"""The row for data not about one fund; a change to it outdates every fund's cached figures."""
NOT_DATA = frozenset({"sessions"})
"""Audit entities that change no figure (signing in and out)."""


class Touched:
    """The funds one transaction wrote to, collected from its audit events."""

    def __init__(self) -> None:
        self.funds: set[int] = set()
        self.lines: set[int] = set()
        self.rounds: set[int] = set()
        self.rows: set[tuple[str, int]] = set()  # (table, id) still to look up
        self.everything = False

    def note(
        self,
        entity: str,
        entity_id: int | None,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
    ) -> None:
        if entity in NOT_DATA:
            return
        if entity == "funds" and entity_id is not None:
            self.funds.add(entity_id)
            return
        found = False
        for payload in (before, after):
            for key, into in (("fund_id", self.funds), ("line_id", self.lines), ("round_id", self.rounds)):
                value = (payload or {}).get(key)
                if isinstance(value, int):
                    into.add(value)
                    found = True
        if found:
            return
        table = Base.metadata.tables.get(entity)
        if table is None or not {"fund_id", "line_id", "round_id"} & set(table.c.keys()):
            self.everything = True
        elif entity_id is not None:  # an update names only the fields it changed: look the row up at commit
            self.rows.add((entity, entity_id))
        # else: a bulk insert, whose repository notes the rows' lines or funds itself

    def note_rows(self, rows: list[dict[str, Any]]) -> None:
        """Bulk-inserted rows (stored form): their lines' or funds' versions move."""
        for key, into in (("fund_id", self.funds), ("line_id", self.lines), ("round_id", self.rounds)):
            if rows and key in rows[0]:
                into.update(int(row[key]) for row in rows if row.get(key) is not None)
                return
        if rows:
            self.everything = True

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    def fund_ids(self, session: Session) -> set[int]:
        """The touched funds, lines and rounds resolved to fund ids (a few indexed lookups)."""
        funds = set(self.funds)
        for entity, entity_id in sorted(self.rows):
            table: Table = Base.metadata.tables[entity]
            for key, into in (("fund_id", funds), ("line_id", self.lines), ("round_id", self.rounds)):
                if key in table.c:
                    value = session.execute(select(table.c[key]).where(table.c.id == entity_id)).scalar()
                    if value is not None:
                        into.add(int(value))
        if self.rounds:
            funds |= set(session.scalars(select(GrantRoundRow.fund_id).where(GrantRoundRow.id.in_(self.rounds))))
        if self.lines:
            funds |= set(session.scalars(select(BudgetLineRow.fund_id).where(BudgetLineRow.id.in_(self.lines))))
        return funds

    def bump(self, session: Session) -> None:
        """Move the touched rows' versions on by one, in the caller's transaction; then start afresh."""
        if self.funds or self.lines or self.rounds or self.rows or self.everything:
            keys = self.fund_ids(session) | ({EVERYTHING} if self.everything else set())
            for key in sorted(keys):  # one order for every writer: no deadlock between two
                session.execute(_upsert(session.get_bind().dialect.name, key))
        self.clear()


def _upsert(dialect: str, fund_id: int) -> Any:
    table = cast(Table, DataVersionRow.__table__)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(fund_id=fund_id, version=1)
    return statement.on_conflict_do_update(index_elements=[table.c.fund_id], set_={"version": table.c.version + 1})


def read_versions(connection: Connection) -> dict[int, int]:
    """Every row: fund id -> version (0: everything else). One query over a table of one row per fund."""
    return {
        int(fund): int(version)
        for fund, version in connection.execute(select(DataVersionRow.fund_id, DataVersionRow.version))
    }


def set_all_versions(connection: Connection, version: int) -> None:
    """After a restore or its undo: every row (and row 0) at ``version``, a value no cache has seen."""
    connection.execute(update(DataVersionRow).values(version=version))
    if connection.execute(select(DataVersionRow.fund_id).where(DataVersionRow.fund_id == EVERYTHING)).first() is None:
        connection.execute(cast(Table, DataVersionRow.__table__).insert().values(fund_id=EVERYTHING, version=version))


__all__ = ["EVERYTHING", "NOT_DATA", "Touched", "read_versions", "set_all_versions"]
