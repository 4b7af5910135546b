"""The ``spend_months`` aggregate: spends summed per line, calendar month, kind and capital/revenue flag.

It is derived data and must always equal :func:`fresh_groups` (a ``GROUP BY`` of the ``spends`` table).
Every path that writes spends keeps it so, in the same transaction as the spend rows:

- inserts (``Repository.add`` and ``insert_stored`` of spends) add their rows' sums and counts with
  one upsert per group (:func:`add`);
- updates and deletes recompute the (line, month) groups they touched, before and after, from the
  spends table (:func:`refresh`);
- the county generator and migration 0003 build it from scratch (:func:`rebuild`).

A rolled-back unit of work rolls the aggregate back with the spends. On PostgreSQL, writers of one
line's aggregate are serialised with a ``FOR NO KEY UPDATE`` lock on the budget line (it does not
conflict with the key-share lock a spend's foreign key takes), so two people recording spend on the
same line at once cannot lose each other's sums. SQLite has one writer at a time anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, cast

from sqlalchemy import Date, Select, Table, delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from grants.storage.tables import BudgetLineRow, SpendMonthRow, SpendRow

SPENDS = cast(Table, SpendRow.__table__)
MONTHS = cast(Table, SpendMonthRow.__table__)
LINES = cast(Table, BudgetLineRow.__table__)
KEY = ("line_id", "month", "kind", "capital_revenue")
COLUMNS = (*KEY, "amount", "count", "first_on", "last_on")

Executor = Session | Connection


class month_start(FunctionElement[date]):
    """The first day of a date's calendar month, in SQL."""

    type = Date()
    inherit_cache = True
    name = "month_start"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element: month_start, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_start)
def _month_start_default(element: month_start, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(date_trunc('month', CAST({compiler.process(element.clauses, **kw)} AS TIMESTAMP)) AS DATE)"


def month_of(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _dialect(executor: Executor) -> str:
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    return bind.dialect.name


def fresh_groups() -> Select[Any]:
    """The aggregate computed afresh from ``spends``: what ``spend_months`` must always hold."""
    flag = func.coalesce(SPENDS.c.capital_revenue, "")
    month = month_start(SPENDS.c.spent_on)
    return select(
        SPENDS.c.line_id,
        month.label("month"),
        SPENDS.c.kind,
        flag.label("capital_revenue"),
        func.sum(SPENDS.c.amount).label("amount"),
        func.count().label("count"),
        func.min(SPENDS.c.spent_on).label("first_on"),
        func.max(SPENDS.c.spent_on).label("last_on"),
    ).group_by(SPENDS.c.line_id, month, SPENDS.c.kind, flag)


def rebuild(executor: Executor) -> None:
    """Replace the whole aggregate with a fresh ``GROUP BY`` of the spends (bulk loads, repairs)."""
    executor.execute(delete(MONTHS))
    executor.execute(insert(MONTHS).from_select(list(COLUMNS), fresh_groups()))


def lock_lines(executor: Executor, line_ids: Iterable[int]) -> None:
    """PostgreSQL: hold each line's aggregate for this transaction (in id order, so two writers cannot deadlock)."""
    ids = sorted(set(line_ids))
    if not ids or _dialect(executor) != "postgresql":
        return
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        executor.execute(
            select(LINES.c.id).where(LINES.c.id.in_(chunk)).order_by(LINES.c.id).with_for_update(key_share=True)
        )


def add(executor: Executor, rows: Iterable[Mapping[str, Any]]) -> int:
    """Add newly inserted spend rows (stored form: pence, ``spent_on`` a date) to the aggregate.

    Returns the number of groups touched. One upsert per group: sums and counts add up, the first and
    last dates widen.
    """
    groups: dict[tuple[int, date, str, str], list[Any]] = {}
    months: dict[Any, tuple[date, date]] = {}  # each distinct date (or ISO text): the day and its month
    for row in rows:
        spent_on = row["spent_on"]
        known = months.get(spent_on)
        if known is None:
            day = date.fromisoformat(spent_on) if isinstance(spent_on, str) else spent_on
            known = months[spent_on] = (day, day.replace(day=1))
        day, month = known
        key = (int(row["line_id"]), month, str(row["kind"]), row.get("capital_revenue") or "")
        group = groups.get(key)
        amount = int(row["amount"])
        if group is None:
            groups[key] = [amount, 1, day, day]
        else:
            group[0] += amount
            group[1] += 1
            if day < group[2]:
                group[2] = day
            elif day > group[3]:
                group[3] = day
    if not groups:
        return 0
    lock_lines(executor, (key[0] for key in groups))
    values = [
        dict(zip(COLUMNS, (*key, *figures), strict=True)) for key, figures in sorted(groups.items(), key=_group_order)
    ]
    _upsert(executor, values)
    return len(values)


def _group_order(item: tuple[tuple[int, date, str, str], list[Any]]) -> tuple[int, date, str, str]:
    return item[0]


def _upsert(executor: Executor, values: list[dict[str, Any]]) -> None:
    dialect = _dialect(executor)
    statement: Any
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        statement = sqlite.insert(MONTHS)
        least, greatest = "min", "max"  # SQLite's two-argument min() and max() are scalar
    elif dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        statement = postgresql.insert(MONTHS)
        least, greatest = "least", "greatest"
    else:  # pragma: no cover - the tracker runs on SQLite and PostgreSQL only
        refresh(executor, {(v["line_id"], v["month"]) for v in values})
        return
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={
            "amount": MONTHS.c.amount + excluded.amount,
            "count": MONTHS.c.count + excluded.count,
            "first_on": getattr(func, least)(MONTHS.c.first_on, excluded.first_on),
            "last_on": getattr(func, greatest)(MONTHS.c.last_on, excluded.last_on),
        },
    )
    for start in range(0, len(values), 20000):
        executor.execute(statement, values[start : start + 20000])


def refresh(executor: Executor, keys: Iterable[tuple[int, date]]) -> None:
    """Recompute the aggregate's groups for these (line id, any day of the month) pairs from the spends."""
    months = sorted({(int(line_id), month_of(day)) for line_id, day in keys})
    if not months:
        return
    lock_lines(executor, (line_id for line_id, _ in months))
    for line_id, month in months:
        executor.execute(delete(MONTHS).where(MONTHS.c.line_id == line_id, MONTHS.c.month == month))
        groups = fresh_groups().where(
            SPENDS.c.line_id == line_id, SPENDS.c.spent_on >= month, SPENDS.c.spent_on < _next_month(month)
        )
        executor.execute(insert(MONTHS).from_select(list(COLUMNS), groups))
