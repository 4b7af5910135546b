"""Load the ledger from the database as ``LedgerFrames``, the compliance rules' only input.

Filters (partnership, fund code, year) and the "as at" cut are pushed into SQL. Spends, the one large
table, are aggregated in SQL (GROUP BY line, kind, capital/revenue, calendar month and position against
the fund's period) so a million spend rows arrive as a few thousand; no spend row crosses into Python.
Money stays integer pence throughout.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import pandas as pd
from sqlalchemy import BigInteger, Integer, Select, Table, and_, case, extract, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from grants.domain.calendar import FinancialYear
from grants.domain.errors import NotFound
from grants.storage import tables
from grants.storage.database import Database
from rules.frames import LedgerFrames, match_value_pence

PARTNERSHIPS = cast(Table, tables.PartnershipRow.__table__)
FUNDS = cast(Table, tables.FundRow.__table__)
RECEIPTS = cast(Table, tables.ReceiptRow.__table__)
LINES = cast(Table, tables.BudgetLineRow.__table__)
PROFILES = cast(Table, tables.ProfileEntryRow.__table__)
SPENDS = cast(Table, tables.SpendRow.__table__)
MATCHES = cast(Table, tables.MatchContributionRow.__table__)
VIREMENTS = cast(Table, tables.VirementRow.__table__)
OUTCOMES = cast(Table, tables.OutcomeUpdateRow.__table__)
RETURNS = cast(Table, tables.ReturnRow.__table__)
ROUNDS = cast(Table, tables.GrantRoundRow.__table__)
APPLICATIONS = cast(Table, tables.ApplicationRow.__table__)
IMPORTED = cast(Table, tables.ImportedTableRow.__table__)


def load_frames(
    database: Database,
    *,
    partnership: str | None = None,
    fund_code: str | None = None,
    year: str | None = None,
    as_at: date | None = None,
) -> LedgerFrames:
    """The ledger's frames for the funds matching the filters (all funds when none is given).

    ``partnership`` and ``fund_code`` match case-insensitively; ``year`` is any form of "2023/24".
    With ``as_at``, records dated after it (spends, receipts, match, virements, outcome updates) are left
    out: the ledger as it stood that day. Raises ``NotFound`` when a filter, or the filters together, match
    no fund (a typo should not read as "no findings").
    """
    label = FinancialYear.parse(year).label if year else None
    conditions: list[ColumnElement[bool]] = []
    if partnership:
        conditions.append(func.lower(PARTNERSHIPS.c.name) == partnership.strip().lower())
    if fund_code:
        conditions.append(func.lower(FUNDS.c.code) == fund_code.strip().lower())
    if label:
        conditions.append(FUNDS.c.year == label)
    fund_ids = select(FUNDS.c.id).join(PARTNERSHIPS, PARTNERSHIPS.c.id == FUNDS.c.partnership_id)
    if conditions:
        fund_ids = fund_ids.where(and_(*conditions))
    line_ids = select(LINES.c.id).where(LINES.c.fund_id.in_(fund_ids))

    with database.engine.connect() as connection:
        _check_filters(connection, fund_ids, partnership, fund_code, label)
        raw: dict[str, pd.DataFrame] = {
            "funds": _read(connection, _funds_query(fund_ids)),
            "receipts": _read(connection, _receipts_query(fund_ids, as_at)),
            "lines": _read(connection, _lines_query(fund_ids)),
            "profiles": _read(connection, _profiles_query(line_ids)),
            "spends": _with_month(_read(connection, _spends_query(fund_ids, as_at))),
            "matches": _matches(_read(connection, _matches_query(fund_ids, as_at))),
            "virements": _read(connection, _virements_query(fund_ids, as_at)),
            "outcomes": _read(connection, _outcomes_query(line_ids, as_at)),
            "returns": _read(connection, _returns_query(fund_ids)),
            "rounds": _read(connection, _rounds_query(fund_ids)),
            "applications": _read(connection, _applications_query(fund_ids)),
            "imported_tables": _read(connection, _imported_query(fund_ids)),
        }
    return LedgerFrames.build(raw, as_at=as_at)


def _read(connection: Connection, query: Select[Any]) -> pd.DataFrame:
    result = connection.execute(query)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _check_filters(
    connection: Connection,
    fund_ids: Select[Any],
    partnership: str | None,
    fund_code: str | None,
    label: str | None,
) -> None:
    """Name what does not exist, rather than report "no findings" for a typo."""
    if partnership:
        found = connection.execute(
            select(func.count()).where(func.lower(PARTNERSHIPS.c.name) == partnership.strip().lower())
        ).scalar()
        if not found:
            raise NotFound(f"no partnership named {partnership!r}")
    if fund_code:
        query = select(func.count()).select_from(FUNDS).where(func.lower(FUNDS.c.code) == fund_code.strip().lower())
        if not connection.execute(query).scalar():
            raise NotFound(f"no fund with code {fund_code!r}")
    if label and not connection.execute(select(func.count()).select_from(FUNDS).where(FUNDS.c.year == label)).scalar():
        raise NotFound(f"no fund for the year {label}")
    if sum(bool(given) for given in (partnership, fund_code, label)) > 1:
        wanted = ", ".join(
            f"{name} {value}"
            for name, value in (("partnership", partnership), ("fund", fund_code), ("year", label))
            if value
        )
        if not connection.execute(select(func.count()).select_from(fund_ids.subquery())).scalar():
            raise NotFound(f"no fund matches {wanted}")


def _dated(column: Any, as_at: date | None) -> ColumnElement[bool] | None:
    return None if as_at is None else or_(column.is_(None), column <= as_at)


def _where(query: Select[Any], *conditions: ColumnElement[bool] | None) -> Select[Any]:
    kept = [condition for condition in conditions if condition is not None]
    return query.where(and_(*kept)) if kept else query


def _funds_query(fund_ids: Select[Any]) -> Select[Any]:
    return (
        select(
            FUNDS.c.id.label("fund_id"),
            FUNDS.c.partnership_id,
            PARTNERSHIPS.c.name.label("partnership"),
            FUNDS.c.code,
            FUNDS.c.name,
            FUNDS.c.year,
            FUNDS.c.starts,
            FUNDS.c.ends,
            FUNDS.c.amount.label("amount_pence"),
            FUNDS.c.amount_status,
            FUNDS.c.conditions,
        )
        .join(PARTNERSHIPS, PARTNERSHIPS.c.id == FUNDS.c.partnership_id)
        .where(FUNDS.c.id.in_(fund_ids))
        .order_by(FUNDS.c.id)
    )


def _receipts_query(fund_ids: Select[Any], as_at: date | None) -> Select[Any]:
    query = select(
        RECEIPTS.c.id.label("receipt_id"),
        RECEIPTS.c.fund_id,
        RECEIPTS.c.amount.label("amount_pence"),
        RECEIPTS.c.received_on,
        RECEIPTS.c.status,
        RECEIPTS.c.approximate,
        RECEIPTS.c.reference,
    ).order_by(RECEIPTS.c.id)
    return _where(query, RECEIPTS.c.fund_id.in_(fund_ids), _dated(RECEIPTS.c.received_on, as_at))


def _lines_query(fund_ids: Select[Any]) -> Select[Any]:
    return (
        select(
            LINES.c.id.label("line_id"),
            LINES.c.fund_id,
            LINES.c.description,
            LINES.c.delivery_partner,
            LINES.c.strategic_priority,
            LINES.c.area,
            LINES.c.cohort,
            LINES.c.theme,
            LINES.c.capital_revenue,
            LINES.c.allocated.label("allocated_pence"),
            LINES.c.reported_balance.label("reported_balance_pence"),
            LINES.c.approved_by,
            LINES.c.approved_on,
            LINES.c.starts,
            LINES.c.ends,
            LINES.c.continuation_decided,
            LINES.c.source,
            LINES.c.notes,
        )
        .where(LINES.c.fund_id.in_(fund_ids))
        .order_by(LINES.c.id)
    )


def _profiles_query(line_ids: Select[Any]) -> Select[Any]:
    return (
        select(PROFILES.c.line_id, PROFILES.c.year, PROFILES.c.quarter, PROFILES.c.amount.label("amount_pence"))
        .where(PROFILES.c.line_id.in_(line_ids))
        .order_by(PROFILES.c.line_id, PROFILES.c.year, PROFILES.c.quarter)
    )


def _spends_query(fund_ids: Select[Any], as_at: date | None) -> Select[Any]:
    """Spends summed per line, kind, capital/revenue, month and position against the fund's period."""
    spent_on = SPENDS.c.spent_on
    calendar_year = extract("year", spent_on).cast(Integer)
    month = extract("month", spent_on).cast(Integer)
    capital_revenue = func.coalesce(SPENDS.c.capital_revenue, LINES.c.capital_revenue)
    position = case((spent_on < FUNDS.c.starts, "before"), (spent_on > FUNDS.c.ends, "after"), else_="during")
    query = (
        select(
            SPENDS.c.line_id,
            SPENDS.c.kind,
            capital_revenue.label("capital_revenue"),
            calendar_year.label("calendar_year"),
            month.label("calendar_month"),
            position.label("position"),
            func.sum(SPENDS.c.amount).cast(BigInteger).label("amount_pence"),
            func.count().label("count"),
            func.min(spent_on).label("first_on"),
            func.max(spent_on).label("last_on"),
        )
        .select_from(SPENDS.join(LINES, LINES.c.id == SPENDS.c.line_id).join(FUNDS, FUNDS.c.id == LINES.c.fund_id))
        .group_by(SPENDS.c.line_id, SPENDS.c.kind, capital_revenue, calendar_year, month, position)
    )
    return _where(query, LINES.c.fund_id.in_(fund_ids), None if as_at is None else spent_on <= as_at)


def _with_month(spends: pd.DataFrame) -> pd.DataFrame:
    if spends.empty:
        return spends
    month = pd.to_datetime(pd.DataFrame({"year": spends["calendar_year"], "month": spends["calendar_month"], "day": 1}))
    return spends.assign(month=month)


def _matches_query(fund_ids: Select[Any], as_at: date | None) -> Select[Any]:
    query = select(
        MATCHES.c.id.label("match_id"),
        MATCHES.c.fund_id,
        MATCHES.c.line_id,
        MATCHES.c.kind,
        MATCHES.c.contributed_on,
        MATCHES.c.contributor,
        MATCHES.c.amount.label("amount_pence"),
        MATCHES.c.hours.label("hours_x100"),
        MATCHES.c.hourly_rate.label("rate_pence"),
    ).order_by(MATCHES.c.id)
    return _where(query, MATCHES.c.fund_id.in_(fund_ids), _dated(MATCHES.c.contributed_on, as_at))


def _matches(matches: pd.DataFrame) -> pd.DataFrame:
    if matches.empty:
        return matches
    value = match_value_pence(
        matches["kind"],
        matches["amount_pence"],
        matches["hours_x100"].astype("Int64"),
        matches["rate_pence"].astype("Int64"),
    )
    return matches.assign(value_pence=value)


def _virements_query(fund_ids: Select[Any], as_at: date | None) -> Select[Any]:
    query = select(
        VIREMENTS.c.id.label("virement_id"),
        VIREMENTS.c.fund_id,
        VIREMENTS.c.from_line_id,
        VIREMENTS.c.to_line_id,
        VIREMENTS.c.amount.label("amount_pence"),
        VIREMENTS.c.moved_on,
        VIREMENTS.c.reason,
        VIREMENTS.c.approved_by,
        VIREMENTS.c.approved_on,
    ).order_by(VIREMENTS.c.id)
    return _where(query, VIREMENTS.c.fund_id.in_(fund_ids), _dated(VIREMENTS.c.moved_on, as_at))


def _outcomes_query(line_ids: Select[Any], as_at: date | None) -> Select[Any]:
    query = select(
        OUTCOMES.c.id.label("outcome_id"),
        OUTCOMES.c.line_id,
        OUTCOMES.c.period,
        OUTCOMES.c.reported_on,
        OUTCOMES.c.evidence,
        OUTCOMES.c.awaiting_data,
    ).order_by(OUTCOMES.c.id)
    return _where(query, OUTCOMES.c.line_id.in_(line_ids), _dated(OUTCOMES.c.reported_on, as_at))


def _returns_query(fund_ids: Select[Any]) -> Select[Any]:
    return (
        select(
            RETURNS.c.id.label("return_id"),
            RETURNS.c.fund_id,
            RETURNS.c.period,
            RETURNS.c.status,
            RETURNS.c.due_on,
            RETURNS.c.submitted_on,
        )
        .where(RETURNS.c.fund_id.in_(fund_ids))
        .order_by(RETURNS.c.id)
    )


def _rounds_query(fund_ids: Select[Any]) -> Select[Any]:
    return (
        select(
            ROUNDS.c.id.label("round_id"),
            ROUNDS.c.fund_id,
            ROUNDS.c.number,
            ROUNDS.c.opens,
            ROUNDS.c.closes,
            ROUNDS.c.cap.label("cap_pence"),
            ROUNDS.c.status,
        )
        .where(ROUNDS.c.fund_id.in_(fund_ids))
        .order_by(ROUNDS.c.id)
    )


def _applications_query(fund_ids: Select[Any]) -> Select[Any]:
    return (
        select(
            APPLICATIONS.c.id.label("application_id"),
            APPLICATIONS.c.round_id,
            APPLICATIONS.c.applicant,
            APPLICATIONS.c.requested.label("requested_pence"),
            APPLICATIONS.c.received_on,
            APPLICATIONS.c.status,
            APPLICATIONS.c.line_id,
        )
        .join(ROUNDS, ROUNDS.c.id == APPLICATIONS.c.round_id)
        .where(ROUNDS.c.fund_id.in_(fund_ids))
        .order_by(APPLICATIONS.c.id)
    )


def _imported_query(fund_ids: Select[Any]) -> Select[Any]:
    return (
        select(
            IMPORTED.c.id.label("table_id"),
            IMPORTED.c.fund_id,
            IMPORTED.c.source,
            IMPORTED.c.as_at,
            IMPORTED.c.printed_allocated.label("printed_allocated_pence"),
            IMPORTED.c.printed_spent.label("printed_spent_pence"),
            IMPORTED.c.printed_balance.label("printed_balance_pence"),
            IMPORTED.c.printed_received.label("printed_received_pence"),
            IMPORTED.c.rows,
        )
        .where(IMPORTED.c.fund_id.in_(fund_ids))
        .order_by(IMPORTED.c.id)
    )
