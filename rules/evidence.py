"""EVD: outcome evidence and grantee monitoring (docs/domain.md §4, EVD001–EVD003)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
from pydantic import Field

from grants.domain.calendar import FinancialYear, parse_period
from grants.domain.enums import Severity
from rules.base import RuleParams, found, money_param, nothing, rule
from rules.context import RuleContext, lookup
from rules.text import day, day_series, gbp_series, per_distinct, percent, pounds_to_pence


def _period_bounds(periods: pd.Series) -> pd.DataFrame:
    """Start and end of each period label ("2023/24 Q2", "2023/24 H1", "2023/24"); NaT when unreadable."""

    def bounds(label: str) -> tuple[object, object]:
        try:
            period = parse_period(label)
        except ValueError:
            return (pd.NaT, pd.NaT)
        return (period.start, period.end)

    unique = pd.Series(periods.unique())
    parsed = pd.DataFrame(unique.map(bounds).tolist(), columns=["period_start", "period_end"], index=unique)
    parsed = parsed.apply(pd.to_datetime)
    return parsed.reindex(periods.to_numpy()).set_index(periods.index)


class EvidenceMissingParams(RuleParams):
    min_amount: Decimal = money_param(
        "10000.00", "Lines allocated at least this much need evidence", condition="evidence_threshold"
    )
    min_share: float = Field(default=0.10, ge=0, le=1, description="Lines with at least this share of the fund need it")
    grace_days: int = Field(default=31, ge=0, le=366, description="Days after a half ends before its evidence is due")


@rule("EVD001", "evidence-missing", Severity.WARNING, EvidenceMissingParams)
def evidence_missing(context: RuleContext, params: EvidenceMissingParams) -> pd.DataFrame:
    """A significant line has no outcome evidence for the latest reporting period that has ended.

    Why: the papers say "evidence of the results of the £10,000 … would also be required by the Police and
    Crime Commissioner" (docs/domain.md §4, EVD001).

    Fails when: a line allocated at least ``min_amount`` (or the fund's ``evidence_threshold``), or at least
    ``min_share`` of its fund, has spent money, and no outcome update with evidence (not "awaiting data")
    covers the latest half of the fund's year that ended more than ``grace_days`` before the as-at date.

    Passes when: evidence for that half (or a quarter in it, or the year) is recorded, the line is small,
    nothing has been spent, or no half has ended yet.

    Parameters: ``min_amount`` (£, default £10,000.00), overridden by the fund's ``evidence_threshold``;
    ``min_share`` (share, default 0.10); ``grace_days`` (default 31: evidence goes with the return).

    Severity: warning.
    """
    lines = context.lines
    if lines.empty:
        return nothing()
    condition = context.condition(lines, "evidence_threshold")
    threshold = per_distinct(condition, lambda amount: None if amount is None else int(amount * 100))
    threshold = threshold.fillna(pounds_to_pence(params.min_amount)).astype("int64")
    share_limit = lines["fund_amount_pence"] * params.min_share
    significant = (lines["allocated_pence"] >= threshold) | (
        (lines["fund_amount_pence"] > 0) & (lines["allocated_pence"] >= share_limit)
    )
    grace = timedelta(days=params.grace_days)

    def due_half(year: str) -> tuple[object, object, str]:
        fy = FinancialYear.parse(year)
        for number in (2, 1):
            half = fy.half(number)
            if half.end + grace < context.as_at:
                return (half.start, half.end, half.name)
        return (pd.NaT, pd.NaT, "")

    halves = lines["fund_year"].drop_duplicates()
    due = pd.DataFrame(halves.map(due_half).tolist(), columns=["due_start", "due_end", "due_name"], index=halves)
    due[["due_start", "due_end"]] = due[["due_start", "due_end"]].apply(pd.to_datetime)
    lines = lines.join(due, on="fund_year")
    candidates = lines[significant & lines["due_start"].notna() & (lines["spent_pence"] > 0)]
    if candidates.empty:
        return nothing()
    outcomes = context.frames.outcomes
    good = outcomes[(outcomes["evidence"].str.strip() != "") & ~outcomes["awaiting_data"]]
    good = pd.concat([good, _period_bounds(good["period"])], axis=1)
    pairs = candidates[["line_id", "due_start", "due_end"]].merge(good, on="line_id", how="inner")
    covers = (pairs["period_start"] <= pairs["due_end"]) & (pairs["period_end"] >= pairs["due_start"])
    evidenced = set(pairs.loc[covers, "line_id"])
    rows = candidates[~candidates["line_id"].isin(evidenced)]
    if rows.empty:
        return nothing()
    size = (rows["allocated_pence"] / rows["fund_amount_pence"].where(rows["fund_amount_pence"] > 0)).map(
        lambda value: f" ({percent(value)} of the fund)" if value == value else ""
    )
    message = (
        "No outcome evidence recorded for "
        + rows["due_name"]
        + " for this "
        + gbp_series(rows["allocated_pence"])
        + size.astype("str")
        + " line."
    )
    hint = "Ask the delivery partner for outputs and evidence for the period and record them as an outcome update."
    return found(rows, message, hint)


class PaidAwaitingOutcomesParams(RuleParams):
    grace_days: int = Field(default=30, ge=0, le=366, description="Days after the last payment before outcomes are due")


@rule("EVD002", "paid-awaiting-outcomes", Severity.WARNING, PaidAwaitingOutcomesParams)
def paid_awaiting_outcomes(context: RuleContext, params: PaidAwaitingOutcomesParams) -> pd.DataFrame:
    """A fully spent line whose outcome data is missing or still "awaiting data".

    Why: once the money is paid the partnership must be able to say what it bought; quarterly reports list
    outcomes "awaiting data" (docs/domain.md §3 Outcome update and §4, EVD002).

    Fails when: a line's spend has reached its allocation, its last payment was more than ``grace_days``
    before the as-at date, and it has no outcome update or its latest one is marked awaiting data.

    Passes when: the latest outcome update has data, the line is not fully spent, or the grace period runs.

    Parameters: ``grace_days`` (0–366, default 30).

    Severity: warning.
    """
    lines = context.lines
    fully_spent = (lines["allocated_pence"] > 0) & (lines["spent_pence"] >= lines["allocated_pence"])
    settled = lines["last_spend_on"] + pd.Timedelta(days=params.grace_days) < context.today
    candidates = lines[fully_spent & settled.fillna(False).astype("bool")]
    if candidates.empty:
        return nothing()
    outcomes = context.frames.outcomes.sort_values(["line_id", "reported_on", "outcome_id"])
    latest = outcomes.drop_duplicates("line_id", keep="last").set_index("line_id")
    awaiting = lookup(candidates["line_id"], latest["awaiting_data"])
    reported_on = lookup(candidates["line_id"], latest["reported_on"])
    missing = awaiting.isna()
    rows_mask = missing | (awaiting.fillna(False).astype("bool"))
    rows = candidates[rows_mask]
    if rows.empty:
        return nothing()
    status = pd.Series(
        np.where(
            missing[rows_mask],
            "no outcomes are recorded",
            "the latest outcome update (" + day_series(reported_on[rows_mask]) + ") is still awaiting data",
        ),
        index=rows.index,
        dtype="str",
    )
    message = (
        "Fully spent ("
        + gbp_series(rows["spent_pence"])
        + " of "
        + gbp_series(rows["allocated_pence"])
        + ", last paid "
        + day_series(rows["last_spend_on"])
        + ") but "
        + status
        + "."
    )
    hint = "Chase the delivery partner for the outputs and outcomes the money paid for, and record them."
    return found(rows, message, hint)


class MonitoringOverdueParams(RuleParams):
    default_cadence_days: int | None = Field(
        default=None,
        ge=1,
        le=366,
        description="Days between monitoring reports for funds that set none (None: only funds that set it)",
        json_schema_extra={"condition": "monitoring_cadence_days"},
    )
    grace_days: int = Field(default=7, ge=0, le=366, description="Days a report may be late without a finding")


@rule("EVD003", "monitoring-overdue", Severity.WARNING, MonitoringOverdueParams)
def monitoring_overdue(context: RuleContext, params: MonitoringOverdueParams) -> pd.DataFrame:
    """A grantee's monitoring report is overdue for the fund's reporting cadence.

    Why: People Zone grantees send monitoring reports roughly monthly (docs/domain.md §2 PZ-BF and §4, EVD003).

    Fails when: the fund sets ``monitoring_cadence_days`` (or ``default_cadence_days`` is set), the line has
    money and has started, and more than the cadence plus ``grace_days`` has passed since its latest outcome
    update (or, with none, since the line or fund started).

    Passes when: a report arrived within the cadence, the fund sets no cadence, or the line has ended (one
    cadence after its end date, reporting stops).

    Parameters: ``default_cadence_days`` (1–366, default none), overridden by the fund's
    ``monitoring_cadence_days``; ``grace_days`` (0–366, default 7).

    Severity: warning.
    """
    lines = context.lines
    if lines.empty:
        return nothing()
    cadence = context.condition(lines, "monitoring_cadence_days")
    if params.default_cadence_days is not None:
        cadence = cadence.fillna(params.default_cadence_days)
    lines = lines.assign(cadence=pd.to_numeric(cadence, errors="coerce"))
    lines = lines[lines["cadence"].notna() & (lines["allocated_pence"] > 0)]
    if lines.empty:
        return nothing()
    cadence_days = pd.to_timedelta(lines["cadence"], unit="D")
    started = lines["starts"].fillna(lines["fund_starts"])
    ended = lines["ends"].fillna(lines["fund_ends"])
    latest = context.frames.outcomes.groupby("line_id")["reported_on"].max()
    last_report = lookup(lines["line_id"], latest)
    since = last_report.fillna(started)
    due = since + cadence_days
    running = (started <= context.today) & (context.today <= ended + cadence_days)
    late = due + pd.Timedelta(days=params.grace_days) < context.today
    mask = running & late
    rows = lines[mask]
    if rows.empty:
        return nothing()
    overdue_days = (context.today - due[mask]).dt.days
    last = pd.Series(
        np.where(
            last_report[mask].isna(),
            "No monitoring report since the line started on " + day_series(started[mask]),
            "The last monitoring report was on " + day_series(last_report[mask]),
        ),
        index=rows.index,
        dtype="str",
    )
    partner = rows["delivery_partner"].where(rows["delivery_partner"].str.strip() != "", "the grantee")
    message = (
        last
        + "; "
        + partner
        + " should report every "
        + rows["cadence"].astype("int64").astype("str")
        + " days, so one is "
        + overdue_days.astype("str")
        + f" days overdue at {day(context.as_at)}."
    )
    hint = "Chase the grantee for its monitoring report and record it as an outcome update."
    return found(rows, message, hint)


RULES = (evidence_missing, paid_awaiting_outcomes, monitoring_overdue)
