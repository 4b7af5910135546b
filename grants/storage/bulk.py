"""The driver's own bulk insert for rows already in stored form: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

SQLAlchemy's executemany builds and type-processes a parameter dict per row, which costs more than
the insert itself at a million rows. Here the rows become plain tuples in column order (dates as the
ISO text SQLAlchemy stores on SQLite) and go to the driver in one call, inside the session's
transaction, so they commit or roll back with everything else. Tables with JSON columns, and rows
whose columns differ, take SQLAlchemy's path instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Table
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

ANALYZE_AFTER = 10_000
"""Rows in one bulk insert after which PostgreSQL's statistics for the table are refreshed."""


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]], extra: dict[str, Any]) -> bool:
    """Insert ``rows`` (each with ``extra`` added) with the driver's bulk path; False if it does not apply."""
    names = list(rows[0])
    if any(name in extra for name in names) or any(name not in table.c for name in names + list(extra)):
        return False
    columns = [table.c[name] for name in names]
    if any(isinstance(column.type, JSON | DateTime) for column in columns):
        return False
    keys = set(names)
    if any(row.keys() != keys for row in rows):
        return False
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        return False
    fixed = tuple(extra.values())
    pick = itemgetter(*names)
    single = len(names) == 1  # itemgetter of one name gives the value, not a tuple
    values = [(pick(row), *fixed) for row in rows] if single else [pick(row) + fixed for row in rows]
    write_rows(connection, table, [*names, *extra], values)
    return True


def write_rows(
    connection: Connection, table: Table, names: Sequence[str], values: list[tuple[Any, ...]], *, analyze: bool = True
) -> None:
    """Tuples in ``names`` order into ``table`` by the driver: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

    Runs on the caller's connection, so the rows commit or roll back with its transaction. With ``analyze``,
    a large load on PostgreSQL refreshes the table's planner statistics.
    """
    dbapi = connection.connection.driver_connection
    all_names = ", ".join(names)
    if connection.dialect.name == "postgresql":
        with dbapi.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table.name} ({all_names}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
            if analyze and len(values) >= ANALYZE_AFTER:
                # Fresh planner statistics, in the same transaction: without them PostgreSQL keeps planning
                # for the table it knew (reading every spend for one fund's lines, not the index) until
                # autovacuum gets round to it.
                cursor.execute(f"ANALYZE {table.name}")
        return
    dated = [index for index, name in enumerate(names) if isinstance(table.c[name].type, Date)]
    for index in dated:
        texts: dict[Any, Any] = {}  # a ledger has a few hundred distinct dates among a million rows
        values = [(*value[:index], _iso(value[index], texts), *value[index + 1 :]) for value in values]
    marks = ", ".join("?" for _ in names)
    cursor = dbapi.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO {table.name} ({all_names}) VALUES ({marks})", values)
    finally:
        cursor.close()


def _iso(day: Any, texts: dict[Any, Any]) -> Any:
    """SQLAlchemy stores a ``Date`` on SQLite as ``YYYY-MM-DD`` text."""
    text = texts.get(day)
    if text is None:
        text = texts[day] = day.isoformat() if isinstance(day, date) and not isinstance(day, datetime) else day
    return text
