"""Load the ledger from the database as ``LedgerFrames``, the compliance rules' only input.

Filters (partnership, fund code, year) are resolved to fund ids first, and those and the "as at" cut are
pushed into SQL. Spends, the one large table, are read from ``spend_months`` (spends summed per line,
month, kind and capital/revenue flag, kept equal to a GROUP BY of ``spends`` on every write; see
``grants.storage.spend_months``), so a million spend rows arrive as a few hundred thousand groups and
no spend row crosses into Python. A month group whose dates straddle its fund's start or end, or the
as-at date, is summed afresh from ``spends`` for just that line and month, so the frames are exactly
what a GROUP BY of every spend gives. The larger tables are read with the driver's cursor straight into
typed columns (no ORM rows). Money stays integer pence throughout.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Integer, Select, Table, and_, case, extract, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from grants.domain.calendar import FinancialYear
from grants.domain.errors import NotFound
from grants.storage import tables
from grants.storage.database import Database
from rules.frames import DATE, SCHEMA, TEXT, LedgerFrames, conform, match_value_pence

PARTNERSHIPS = cast(Table, tables.PartnershipRow.__table__)
FUNDS = cast(Table, tables.FundRow.__table__)
RECEIPTS = cast(Table, tables.ReceiptRow.__table__)
LINES = cast(Table, tables.BudgetLineRow.__table__)
PROFILES = cast(Table, tables.ProfileEntryRow.__table__)
SPENDS = cast(Table, tables.SpendRow.__table__)
MONTHS = cast(Table, tables.SpendMonthRow.__table__)
MATCHES = cast(Table, tables.MatchContributionRow.__table__)
VIREMENTS = cast(Table, tables.VirementRow.__table__)
OUTCOMES = cast(Table, tables.OutcomeUpdateRow.__table__)
RETURNS = cast(Table, tables.ReturnRow.__table__)
ROUNDS = cast(Table, tables.GrantRoundRow.__table__)
APPLICATIONS = cast(Table, tables.ApplicationRow.__table__)
IMPORTED = cast(Table, tables.ImportedTableRow.__table__)
POSITIONS = np.array(["before", "during", "after"], dtype=object)
MONTH_TYPES = {
    "line_id": "int64",
    "amount": "int64",
    "count": "int64",
    "first_on": DATE,
    "last_on": DATE,
}


def load_frames(
    database: Database,
    *,
    partnership: str | None = None,
    fund_code: str | None = None,
    year: str | None = None,
    as_at: date | None = None,
    fund_ids: Sequence[int] | None = None,
    lines_only: bool = False,
) -> LedgerFrames:
    """The ledger's frames for the funds matching the filters (all funds when none is given), or for the funds
    ``fund_ids`` (the filters then unused). ``lines_only``: the funds and their lines only, every other frame
    empty (for rules that compare lines across funds, where reading the spends would be most of the cost).

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
    matching = select(FUNDS.c.id).join(PARTNERSHIPS, PARTNERSHIPS.c.id == FUNDS.c.partnership_id)
    if conditions:
        matching = matching.where(and_(*conditions))

    with database.engine.connect() as connection:
        if fund_ids is not None:
            scope = _Scope(sorted(int(i) for i in fund_ids))
        else:
            _check_filters(connection, matching, partnership, fund_code, label)
            scope = _Scope(None if not conditions else [int(i) for i in connection.execute(matching).scalars()])
        funds = conform("funds", _json(_fetch(connection, _funds_query(scope), SCHEMA["funds"]), "conditions"))
        lines = conform("lines", _fetch(connection, _lines_query(scope), SCHEMA["lines"]))
        other = _Scope([]) if lines_only else scope  # an empty scope reads no rows
        profiles = _fetch(connection, _profiles_query(other), SCHEMA["profiles"])
        every_line = lines
        if as_at is not None:
            lines = _lines_as_at(connection, scope, lines, as_at)
            profiles = _profiles_as_at(connection, other, profiles, lines, as_at)
        raw: dict[str, pd.DataFrame] = {
            "funds": funds,
            "receipts": _fetch(connection, _receipts_query(other, as_at), SCHEMA["receipts"]),
            "lines": lines,
            "profiles": profiles,
            "spends": _spends(connection, other, as_at, every_line, funds),
            "matches": _matches(_fetch(connection, _matches_query(other, as_at), SCHEMA["matches"])),
            "virements": _fetch(connection, _virements_query(other, as_at), SCHEMA["virements"]),
            "outcomes": _fetch(connection, _outcomes_query(other, as_at), SCHEMA["outcomes"]),
            "returns": _fetch(connection, _returns_query(other), SCHEMA["returns"]),
            "rounds": _fetch(connection, _rounds_query(other), SCHEMA["rounds"]),
            "applications": _fetch(connection, _applications_query(other), SCHEMA["applications"]),
            "imported_tables": _fetch(connection, _imported_query(other), SCHEMA["imported_tables"]),
        }
    if as_at is not None:
        raw["lines"] = _with_lines_spent_before_they_were_agreed(raw["lines"], every_line, raw["spends"])
    return LedgerFrames.build(raw, as_at=as_at)


def money_frames(connection: Connection, fund_ids: list[int], as_at: date) -> LedgerFrames:
    """Just what the figures need (funds, receipts, lines, profiles, spends, virements) for these funds, as
    they stood at the end of ``as_at``: the input of ``grants.figures`` for a report or a page."""
    scope = _Scope([int(i) for i in fund_ids])
    funds = conform("funds", _json(_fetch(connection, _funds_query(scope), SCHEMA["funds"]), "conditions"))
    every_line = conform("lines", _fetch(connection, _lines_query(scope), SCHEMA["lines"]))
    lines = _lines_as_at(connection, scope, every_line, as_at)
    profiles = _profiles_as_at(
        connection, scope, _fetch(connection, _profiles_query(scope), SCHEMA["profiles"]), lines, as_at
    )
    spends = _spends(connection, scope, as_at, every_line, funds)
    raw: dict[str, pd.DataFrame] = {
        "funds": funds,
        "receipts": _fetch(connection, _receipts_query(scope, as_at), SCHEMA["receipts"]),
        "lines": _with_lines_spent_before_they_were_agreed(lines, every_line, spends),
        "profiles": profiles,
        "spends": spends,
        "virements": _fetch(connection, _virements_query(scope, as_at), SCHEMA["virements"]),
    }
    return LedgerFrames.build(raw, as_at=as_at)


def _with_lines_spent_before_they_were_agreed(
    lines: pd.DataFrame, every_line: pd.DataFrame, spends: pd.DataFrame
) -> pd.DataFrame:
    """A line not yet agreed on the day but with spend dated by then is shown with £0.00 allocated and no
    approval: the money was spent, so it is counted, and the ledger says truthfully that nothing was allocated."""
    missing = every_line[every_line["line_id"].isin(spends["line_id"]) & ~every_line["line_id"].isin(lines["line_id"])]
    if missing.empty:
        return lines
    missing = missing.assign(allocated_pence=0, approved_by="", approved_on=pd.Series(pd.NaT, index=missing.index))
    return conform("lines", pd.concat([lines, missing], ignore_index=True).sort_values("line_id"))


# -- the dated ledger: lines, profiles and virements as they stood on a day -------------------------
def dated_lines(connection: Connection, fund_ids: list[int], as_at: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The funds' lines and profile quarters as they stood at the end of ``as_at`` (frames' columns).

    The one reading of the dated ledger: the compliance frames (:func:`load_frames`) and the reports'
    figures both come through here.
    """
    scope = _Scope(fund_ids)
    lines = conform("lines", _fetch(connection, _lines_query(scope), SCHEMA["lines"]))
    profiles = _fetch(connection, _profiles_query(scope), SCHEMA["profiles"])
    dated = _lines_as_at(connection, scope, lines, as_at)
    return dated, _profiles_as_at(connection, scope, profiles, dated, as_at)


LINE_STATES = cast(Table, tables.LineStateRow.__table__)
PROFILE_STATES = cast(Table, tables.ProfileStateRow.__table__)
_STATE_TYPES = {
    "line_id": "int64",
    "kind": TEXT,
    "allocated_pence": "int64",
    "approved_on": DATE,
    "effective_on": DATE,
    "removed": "bool",
    "description": TEXT,
    "delivery_partner": TEXT,
    "approved_by": TEXT,
}


def _latest(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The last row of each key group, the frame being in (effective_on, id) order."""
    return frame.drop_duplicates(subset=keys, keep="last")


def _lines_as_at(connection: Connection, scope: _Scope, lines: pd.DataFrame, as_at: date) -> pd.DataFrame:
    """Each line as it stood at the end of ``as_at``: its latest state effective by then.

    A line whose states all take effect later did not exist yet and is left out, as is one removed by then;
    a line with no state at all predates the dated ledger (or was bulk-loaded) and counts as it stands.
    """
    query = select(
        LINE_STATES.c.line_id,
        LINE_STATES.c.kind,
        LINE_STATES.c.effective_on,
        LINE_STATES.c.allocated.label("allocated_pence"),
        LINE_STATES.c.description,
        LINE_STATES.c.delivery_partner,
        LINE_STATES.c.approved_by,
        LINE_STATES.c.approved_on,
        LINE_STATES.c.removed,
    ).order_by(LINE_STATES.c.effective_on, LINE_STATES.c.id)
    states = _fetch(connection, _where(query, scope.lines(LINE_STATES.c.line_id)), _STATE_TYPES)
    if states.empty:
        return lines
    terms_states = states[states["kind"] == "terms"]
    dated = set(terms_states["line_id"].tolist())
    by_then = states[states["effective_on"] <= pd.Timestamp(as_at)]
    terms = _latest(by_then[by_then["kind"] == "terms"], ["line_id"]).set_index("line_id")
    terms = terms[~terms["removed"]]
    approval = _latest(by_then[by_then["kind"] == "approval"], ["line_id"]).set_index("line_id")
    keep = ~lines["line_id"].isin(dated) | lines["line_id"].isin(terms.index)
    lines = lines[keep].reset_index(drop=True)
    known = lines["line_id"].isin(terms.index)
    ids = lines.loc[known, "line_id"].to_numpy()
    for column in ("allocated_pence", "description", "delivery_partner"):
        lines.loc[known, column] = terms[column].reindex(ids).to_numpy()
    approved_by = approval["approved_by"].reindex(ids).fillna("")
    lines.loc[known, "approved_by"] = approved_by.to_numpy()
    lines.loc[known, "approved_on"] = approval["approved_on"].reindex(ids).to_numpy()
    lines["allocated_pence"] = lines["allocated_pence"].astype("int64")
    return conform("lines", lines)


def _profiles_as_at(
    connection: Connection, scope: _Scope, profiles: pd.DataFrame, lines: pd.DataFrame, as_at: date
) -> pd.DataFrame:
    """Each profile quarter as it stood at the end of ``as_at`` (states as for lines), for the lines present."""
    query = select(
        PROFILE_STATES.c.line_id,
        PROFILE_STATES.c.year,
        PROFILE_STATES.c.quarter,
        PROFILE_STATES.c.amount.label("amount_pence"),
        PROFILE_STATES.c.effective_on,
    ).order_by(PROFILE_STATES.c.effective_on, PROFILE_STATES.c.id)
    states = _fetch(
        connection,
        _where(query, scope.lines(PROFILE_STATES.c.line_id)),
        {**SCHEMA["profiles"], "effective_on": DATE},
    )
    present = lines["line_id"]
    if states.empty:
        return profiles[profiles["line_id"].isin(present)].reset_index(drop=True)
    keys = ["line_id", "year", "quarter"]
    dated = states[keys].drop_duplicates()
    undated = profiles.merge(dated, on=keys, how="left", indicator=True)
    undated = undated[undated["_merge"] == "left_only"].drop(columns="_merge")
    current = _latest(states[states["effective_on"] <= pd.Timestamp(as_at)], keys).drop(columns="effective_on")
    current = current[current["amount_pence"] != 0]
    result = pd.concat([undated[profiles.columns], current[profiles.columns]], ignore_index=True)
    result = result[result["line_id"].isin(present)]
    return result.sort_values(keys).reset_index(drop=True).astype({"amount_pence": "int64", "quarter": "int64"})


class _Scope:
    """The funds asked for: every fund (``fund_ids`` None), or these ids (resolved once, then literal)."""

    def __init__(self, fund_ids: list[int] | None) -> None:
        self.fund_ids = fund_ids

    def funds(self, column: Any) -> ColumnElement[bool] | None:
        return None if self.fund_ids is None else column.in_(self.fund_ids)

    def lines(self, column: Any) -> ColumnElement[bool] | None:
        if self.fund_ids is None:
            return None
        return column.in_(select(LINES.c.id).where(LINES.c.fund_id.in_(self.fund_ids)))


def _read(connection: Connection, query: Select[Any]) -> pd.DataFrame:
    result = connection.execute(query)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _fetch(connection: Connection, query: Select[Any], types: Mapping[str, str]) -> pd.DataFrame:
    """A query's rows straight from the driver's cursor (no ORM or Row objects), as typed columns.

    The rows become one numpy record array (numbers as int64, the rest as objects) in one C-level step,
    then each column named in ``types`` gets that frame type, vectorised. The query holds no user text
    (filters are fund ids by now), so it is rendered with literal values.
    """
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        cursor.close()
    fields = [(name, "i8" if types.get(name) == "int64" else "O") for name in names]
    try:
        records = np.array(rows, dtype=fields)
    except (TypeError, ValueError, OverflowError):  # e.g. a NULL in a whole-number column: keep it as objects
        records = np.array(rows, dtype=[(name, "O") for name in names])
    return pd.DataFrame({name: _typed(records[name], types.get(name)) for name in names})


def _text(values: Any) -> Any:
    """Text in the frames' string type (``SCHEMA``'s ``str``)."""
    return pd.array(values, dtype="str")


def _json(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """A JSON column as Python values (SQLite hands over the text; PostgreSQL has parsed it already)."""
    values = [json.loads(value) if isinstance(value, str) else value for value in frame[column].tolist()]
    return frame.assign(**{column: pd.Series(values, index=frame.index, dtype=object)})


def _typed(values: np.ndarray, dtype: str | None) -> Any:
    """One column from the driver (SQLite: dates as ISO text, booleans as 0/1) in the frame's type."""
    if dtype == DATE:
        if values.dtype == object and isinstance(next((v for v in values if v is not None), None), date):
            return pd.Series(pd.to_datetime(values)).astype("datetime64[ns]")  # PostgreSQL's dates: pandas is fast
        return pd.Series(values.astype("datetime64[D]")).astype("datetime64[ns]")  # SQLite's ISO text: numpy is
    if dtype == "bool":
        return values.astype(bool)  # NULL (None) is False, as conform() makes it
    if dtype == TEXT:
        return _text(values)  # NULL becomes NaN, which conform() turns into ""
    return values


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


def _funds_query(scope: _Scope) -> Select[Any]:
    query = (
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
        .order_by(FUNDS.c.id)
    )
    return _where(query, scope.funds(FUNDS.c.id))


def _receipts_query(scope: _Scope, as_at: date | None) -> Select[Any]:
    query = select(
        RECEIPTS.c.id.label("receipt_id"),
        RECEIPTS.c.fund_id,
        RECEIPTS.c.amount.label("amount_pence"),
        RECEIPTS.c.received_on,
        RECEIPTS.c.status,
        RECEIPTS.c.approximate,
        RECEIPTS.c.reference,
    ).order_by(RECEIPTS.c.id)
    return _where(query, scope.funds(RECEIPTS.c.fund_id), _dated(RECEIPTS.c.received_on, as_at))


def _lines_query(scope: _Scope) -> Select[Any]:
    query = select(
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
    ).order_by(LINES.c.id)
    return _where(query, scope.funds(LINES.c.fund_id))


def _profiles_query(scope: _Scope) -> Select[Any]:
    query = select(
        PROFILES.c.line_id, PROFILES.c.year, PROFILES.c.quarter, PROFILES.c.amount.label("amount_pence")
    ).order_by(PROFILES.c.line_id, PROFILES.c.year, PROFILES.c.quarter)
    return _where(query, scope.lines(PROFILES.c.line_id))


def _spends_query(scope: _Scope, as_at: date | None, *only: ColumnElement[bool]) -> Select[Any]:
    """Spends summed per line, kind, capital/revenue, month and position against the fund's period.

    The same grouping as the frames' ``spends``, straight from the spend rows: used for the month groups
    the aggregate cannot split (``only`` narrows it to those lines and months).
    """
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
    return _where(
        query, scope.funds(LINES.c.fund_id), None if as_at is None else spent_on <= as_at, or_(*only) if only else None
    )


def _spends(
    connection: Connection, scope: _Scope, as_at: date | None, lines: pd.DataFrame, funds: pd.DataFrame
) -> pd.DataFrame:
    """The ``spends`` frame: the ``spend_months`` groups placed against their fund's period.

    A month group lies wholly before, during or after its fund's period, or it straddles the start or the
    end (or the as-at date): then that line's month is summed afresh from the spend rows.
    """
    query: Select[Any] = select(
        MONTHS.c.line_id,
        MONTHS.c.kind,
        MONTHS.c.capital_revenue,
        MONTHS.c.amount,
        MONTHS.c.count,
        MONTHS.c.first_on,
        MONTHS.c.last_on,
    )
    query = _where(query, scope.lines(MONTHS.c.line_id), None if as_at is None else MONTHS.c.first_on <= as_at)
    groups = _fetch(connection, query, MONTH_TYPES)
    if groups.empty:
        return conform("spends", None)
    # Each group's line: its fund's period and its own capital/revenue flag.
    at = pd.Index(lines["line_id"]).get_indexer(groups["line_id"])
    fund_at = pd.Index(funds["fund_id"]).get_indexer(lines["fund_id"].to_numpy()[at])
    starts = funds["starts"].to_numpy()[fund_at]
    ends = funds["ends"].to_numpy()[fund_at]
    first_on = groups["first_on"].to_numpy()
    last_on = groups["last_on"].to_numpy()
    split = ((first_on < starts) & (last_on >= starts)) | ((first_on <= ends) & (last_on > ends))
    if as_at is not None:
        split |= last_on > np.datetime64(as_at, "ns")
    month_number = first_on.astype("datetime64[M]")  # a group's dates all lie in its month
    month = month_number.astype(DATE)
    month_number = month_number.astype(np.int64)
    line_id = groups["line_id"].to_numpy()
    key = line_id * 1_000_000 + month_number
    exact = np.isin(key, key[split]) if split.any() else np.zeros(len(key), dtype=bool)
    kept = ~exact
    flag = groups["capital_revenue"].to_numpy()
    line_flag = lines["capital_revenue"].to_numpy(dtype=object)[at]
    position = POSITIONS[np.where(last_on < starts, 0, np.where(first_on > ends, 2, 1))]
    frame = pd.DataFrame(
        {
            "line_id": line_id[kept],
            "kind": _text(groups["kind"].to_numpy()[kept]),
            "capital_revenue": _text(np.where(flag == "", line_flag, flag)[kept]),
            "month": month[kept],
            "position": _text(position[kept]),
            "amount_pence": groups["amount"].to_numpy()[kept],
            "count": groups["count"].to_numpy()[kept],
            "first_on": first_on[kept],
            "last_on": last_on[kept],
        }
    )
    if exact.any():
        windows = []
        for number in np.unique(month_number[exact]).tolist():
            ids = np.unique(line_id[exact & (month_number == number)]).tolist()
            first = date(1970 + number // 12, number % 12 + 1, 1)
            following = date(1970 + (number + 1) // 12, (number + 1) % 12 + 1, 1)
            for chunk in range(0, len(ids), 500):
                windows.append(
                    and_(
                        SPENDS.c.line_id.in_(ids[chunk : chunk + 500]),
                        SPENDS.c.spent_on >= first,
                        SPENDS.c.spent_on < following,
                    )
                )
        for chunk in range(0, len(windows), 50):
            fresh = _with_month(_read(connection, _spends_query(scope, as_at, *windows[chunk : chunk + 50])))
            frame = pd.concat([frame, fresh[list(frame.columns)]], ignore_index=True)
    frame = _merge_flags(frame)
    return frame


def _merge_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per group once the line's flag stands in for a spend without one (it may equal a given one)."""
    keys = ["line_id", "kind", "capital_revenue", "month", "position"]
    repeated = frame.duplicated(keys, keep=False)
    if not repeated.any():
        return frame
    merged = (
        frame[repeated]
        .groupby(keys, as_index=False, sort=False)
        .agg(
            amount_pence=("amount_pence", "sum"),
            count=("count", "sum"),
            first_on=("first_on", "min"),
            last_on=("last_on", "max"),
        )
    )
    return pd.concat([frame[~repeated], merged[list(frame.columns)]], ignore_index=True)


def _with_month(spends: pd.DataFrame) -> pd.DataFrame:
    if spends.empty:
        return spends
    month = pd.to_datetime(pd.DataFrame({"year": spends["calendar_year"], "month": spends["calendar_month"], "day": 1}))
    spends = spends.assign(month=month)
    for column in ("first_on", "last_on"):
        spends[column] = pd.to_datetime(spends[column])
    return spends


def _matches_query(scope: _Scope, as_at: date | None) -> Select[Any]:
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
    return _where(query, scope.funds(MATCHES.c.fund_id), _dated(MATCHES.c.contributed_on, as_at))


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


def _virements_query(scope: _Scope, as_at: date | None) -> Select[Any]:
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
        VIREMENTS.c.status,
        VIREMENTS.c.decided_on,
    ).order_by(VIREMENTS.c.id)
    return _where(query, scope.funds(VIREMENTS.c.fund_id), _dated(VIREMENTS.c.moved_on, as_at))


def _outcomes_query(scope: _Scope, as_at: date | None) -> Select[Any]:
    query = select(
        OUTCOMES.c.id.label("outcome_id"),
        OUTCOMES.c.line_id,
        OUTCOMES.c.period,
        OUTCOMES.c.reported_on,
        OUTCOMES.c.evidence,
        OUTCOMES.c.awaiting_data,
    ).order_by(OUTCOMES.c.id)
    return _where(query, scope.lines(OUTCOMES.c.line_id), _dated(OUTCOMES.c.reported_on, as_at))


def _returns_query(scope: _Scope) -> Select[Any]:
    query = select(
        RETURNS.c.id.label("return_id"),
        RETURNS.c.fund_id,
        RETURNS.c.period,
        RETURNS.c.status,
        RETURNS.c.due_on,
        RETURNS.c.submitted_on,
    ).order_by(RETURNS.c.id)
    return _where(query, scope.funds(RETURNS.c.fund_id))


def _rounds_query(scope: _Scope) -> Select[Any]:
    query = select(
        ROUNDS.c.id.label("round_id"),
        ROUNDS.c.fund_id,
        ROUNDS.c.number,
        ROUNDS.c.opens,
        ROUNDS.c.closes,
        ROUNDS.c.cap.label("cap_pence"),
        ROUNDS.c.status,
    ).order_by(ROUNDS.c.id)
    return _where(query, scope.funds(ROUNDS.c.fund_id))


def _applications_query(scope: _Scope) -> Select[Any]:
    query = (
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
        .order_by(APPLICATIONS.c.id)
    )
    return _where(query, scope.funds(ROUNDS.c.fund_id))


def _imported_query(scope: _Scope) -> Select[Any]:
    query = select(
        IMPORTED.c.id.label("table_id"),
        IMPORTED.c.fund_id,
        IMPORTED.c.source,
        IMPORTED.c.as_at,
        IMPORTED.c.printed_allocated.label("printed_allocated_pence"),
        IMPORTED.c.printed_spent.label("printed_spent_pence"),
        IMPORTED.c.printed_balance.label("printed_balance_pence"),
        IMPORTED.c.printed_received.label("printed_received_pence"),
        IMPORTED.c.rows,
        IMPORTED.c.rows_allocated.label("rows_allocated_pence"),
        IMPORTED.c.rows_spent.label("rows_spent_pence"),
        IMPORTED.c.rows_balance.label("rows_balance_pence"),
    ).order_by(IMPORTED.c.id)
    return _where(query, scope.funds(IMPORTED.c.fund_id))
