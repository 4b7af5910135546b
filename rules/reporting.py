"""RPT: returns to the funder and funding coming to an end (docs/domain.md §4, RPT001–RPT003)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from grants.domain.calendar import FinancialYear, Period, parse_period
from grants.domain.conditions import FundConditions
from grants.domain.enums import ReturnCadence, ReturnStatus, Severity
from rules.base import RuleParams, found, nothing, rule
from rules.context import RuleContext
from rules.text import day, day_series, gbp_series


def _month_end(day_in_month: date) -> date:
    following = date(day_in_month.year + day_in_month.month // 12, day_in_month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _next_month_end(period_end: date) -> date:
    """The last day of the month after ``period_end``'s month: 30 Sep → 31 Oct; 31 Mar → 30 Apr."""
    return _month_end(_month_end(period_end) + timedelta(days=1))


def reporting_periods(starts: date, ends: date, cadence: ReturnCadence) -> list[Period]:
    """The return periods (halves, quarters or months) that overlap a fund's dates."""
    return list(_reporting_periods(starts, ends, cadence))


@lru_cache(maxsize=1024)
def _reporting_periods(starts: date, ends: date, cadence: ReturnCadence) -> tuple[Period, ...]:
    """:func:`reporting_periods`, worked out once per period and cadence (funds of a year share them)."""
    periods: list[Period] = []
    for start_year in range(FinancialYear.containing(starts).start_year, FinancialYear.containing(ends).start_year + 1):
        year = FinancialYear(start_year)
        if cadence is ReturnCadence.SIX_MONTHLY:
            candidates = [year.half(1), year.half(2)]
        elif cadence is ReturnCadence.QUARTERLY:
            candidates = [year.quarter(n) for n in (1, 2, 3, 4)]
        else:
            candidates = []
            for n in range(12):
                month_start = date(start_year + (3 + n) // 12, (3 + n) % 12 + 1, 1)
                candidates.append(Period(f"{month_start:%b %Y}", month_start, _month_end(month_start)))
        periods.extend(p for p in candidates if p.start <= ends and p.end >= starts)
    return tuple(periods)


def _normalised_period(label: str) -> str:
    try:
        return parse_period(label).name
    except ValueError:
        return " ".join(label.split())


class ReturnDueParams(RuleParams):
    window_days: int = Field(default=30, ge=0, le=366, description="A return due within this many days is flagged")
    due_days: int | None = Field(
        default=None,
        ge=0,
        le=366,
        description="Days after a period ends that its return is due (None: the end of the following month)",
        json_schema_extra={"condition": "return_due_days"},
    )


@rule("RPT001", "return-due", Severity.WARNING, ReturnDueParams)
def return_due(context: RuleContext, params: ReturnDueParams) -> pd.DataFrame:
    """A return to the funder is due soon, or overdue, and has not been submitted.

    Why: "a financial profile must be sent to his office every 6 months" (the OPCC, 2017); Safer Streets is
    claimed on quarterly returns (docs/domain.md §1, §2 SS5 and §4, RPT001).

    Fails when: for a period of the fund's cadence (``return_cadence``: six-monthly halves by default,
    quarterly for Safer Streets, or monthly) the return is not recorded as submitted and its due date is
    within ``window_days`` of the as-at date, or has passed. The due date is the return's own ``due_on``
    if recorded, else the period's end plus the fund's ``return_due_days`` (or ``due_days``), else the end
    of the following month (H1 due 31 October, H2 due 30 April).

    Passes when: the return is submitted, or it is due later than the window.

    Parameters: ``window_days`` (0–366, default 30); ``due_days`` (0–366, default none), overridden by the
    fund's ``return_due_days``.

    Severity: warning while due; error once overdue.
    """
    funds = context.frames.funds
    if funds.empty:
        return nothing()
    rows: list[dict[str, object]] = []
    for fund in funds.to_dict("records"):  # one pass per fund (a handful of periods each)
        conditions: FundConditions = fund["conditions"]
        due_days = conditions.return_due_days if conditions.return_due_days is not None else params.due_days
        starts, ends = fund["starts"].date(), fund["ends"].date()
        for period in reporting_periods(starts, ends, conditions.return_cadence):
            due = period.end + timedelta(days=due_days) if due_days is not None else _next_month_end(period.end)
            rows.append({"fund_id": fund["fund_id"], "period": period.name, "computed_due": due})
    periods = pd.DataFrame(rows)
    returns = context.frames.returns.assign(period=context.frames.returns["period"].map(_normalised_period))
    returns = returns.drop_duplicates(["fund_id", "period"], keep="last")
    periods = periods.merge(returns[["fund_id", "period", "status", "due_on"]], on=["fund_id", "period"], how="left")
    periods["due"] = periods["due_on"].fillna(pd.to_datetime(periods["computed_due"]))
    submitted = periods["status"] == ReturnStatus.SUBMITTED.value
    days_left = (periods["due"] - context.today).dt.days
    periods = periods.assign(days_left=days_left)
    flagged = periods[~submitted & (days_left <= params.window_days)]
    if flagged.empty:
        return nothing()
    overdue = flagged["days_left"] < 0
    when = pd.Series(
        np.where(
            overdue,
            "was due on "
            + day_series(flagged["due"])
            + " and is "
            + (-flagged["days_left"]).astype("str")
            + " days late",
            np.where(
                flagged["days_left"] == 0,
                "is due today (" + day_series(flagged["due"]) + ")",
                "is due on " + day_series(flagged["due"]) + ", in " + flagged["days_left"].astype("str") + " days",
            ),
        ),
        index=flagged.index,
        dtype="str",
    )
    state = flagged["status"].fillna("no return recorded yet").astype("str")
    message = "The " + flagged["period"] + " return " + when + " (" + state + ")."
    severity = pd.Series(
        np.where(overdue, Severity.ERROR.value, Severity.WARNING.value), index=flagged.index, dtype="str"
    )
    hint = "Prepare the financial profile return for the period and record it as submitted once sent."
    return found(flagged, message, hint, severity, per_line=False)


class ReturnBlockedParams(RuleParams):
    blocking_severity: Literal["warning", "error"] = Field(
        default="error", description="Findings of this severity or worse block a return"
    )


@rule("RPT002", "return-blocked", Severity.WARNING, ReturnBlockedParams, uses_findings=True)
def return_blocked(context: RuleContext, params: ReturnBlockedParams) -> pd.DataFrame:
    """A return cannot be finalised while error findings remain open for its fund.

    Why: a return's figures are frozen once submitted, so they must be right first (docs/domain.md §5 report 2
    and §4, RPT002).

    Fails when: a return recorded as draft or final (not yet submitted) belongs to a fund with findings from
    the other rules at ``blocking_severity`` or worse (RPT findings about returns themselves do not count).

    Passes when: the fund has no such findings, or the return has been submitted.

    Parameters: ``blocking_severity`` (warning or error, default error).

    Severity: warning: the blocking findings are reported in their own right; this one says which return
    they hold up.
    """
    returns = context.frames.returns
    open_returns = returns[returns["status"] != ReturnStatus.SUBMITTED.value]
    if open_returns.empty or not context.prior:
        return nothing()
    threshold = Severity(params.blocking_severity).rank
    blockers = pd.DataFrame(
        [
            {"fund_id": finding.fund_id, "code": finding.code}
            for finding in context.prior
            if finding.fund_id is not None and finding.severity.rank >= threshold and not finding.code.startswith("RPT")
        ],
        columns=["fund_id", "code"],
    )
    if blockers.empty:
        return nothing()
    counts = blockers.groupby(["fund_id", "code"]).size().rename("n").reset_index()
    counts["label"] = counts["code"] + np.where(counts["n"] > 1, " ×" + counts["n"].astype("str"), "")
    summary = counts.groupby("fund_id").agg(total=("n", "sum"), codes=("label", ", ".join))
    rows = open_returns.join(summary, on="fund_id", how="inner")
    if rows.empty:
        return nothing()
    message = (
        "The "
        + rows["period"]
        + " return ("
        + rows["status"]
        + ") cannot be finalised: "
        + rows["total"].astype("str")
        + f" {params.blocking_severity} finding(s) remain ("
        + rows["codes"]
        + ")."
    )
    hint = "Resolve the listed findings, then finalise and submit the return."
    return found(rows, message, hint, per_line=False)


class FundingEndingParams(RuleParams):
    window_days: int = Field(default=90, ge=1, le=366, description="Funding ending within this many days is flagged")


@rule("RPT003", "funding-ending", Severity.WARNING, FundingEndingParams)
def funding_ending(context: RuleContext, params: FundingEndingParams) -> pd.DataFrame:
    """A fund, or a funded line (e.g. a post), ends soon with money unspent or no decision on what follows.

    Why: contracts funded by the partnership were due to end in April 2024 with no decision recorded on
    their future (docs/domain.md §4, RPT003).

    Fails when: a fund ends within ``window_days`` of the as-at date with money (received, or its amount)
    not yet spent; or a line with its own end date ends within the window with part of its allocation
    unspent or no continuation decision recorded.

    Passes when: the end is further off, already past, the money is spent and, for a line, the continuation
    decision is recorded.

    Parameters: ``window_days`` (1–366, default 90).

    Severity: warning.
    """
    window = pd.Timedelta(days=params.window_days)
    today = context.today
    funds = context.funds
    funds = funds.assign(unspent=funds["money_in_pence"] - funds["spent_pence"])
    ending_funds = funds[(funds["ends"] >= today) & (funds["ends"] <= today + window) & (funds["unspent"] > 0)]
    lines = context.lines.assign(unspent=lambda frame: frame["allocated_pence"] - frame["spent_pence"])
    ending = lines[lines["ends"].notna() & (lines["ends"] >= today) & (lines["ends"] <= today + window)]
    ending = ending[(ending["unspent"] > 0) | ~ending["continuation_decided"]]
    if ending_funds.empty and ending.empty:
        return nothing()
    fund_message = (
        "The fund ends on "
        + day_series(ending_funds["ends"])
        + ", in "
        + (ending_funds["ends"] - today).dt.days.astype("str")
        + " days, with "
        + gbp_series(ending_funds["unspent"])
        + " of "
        + gbp_series(ending_funds["money_in_pence"])
        + f" unspent at {day(context.as_at)}."
    )
    fund_found = found(
        ending_funds,
        fund_message,
        "Spend or reallocate the balance before the end, or agree its return.",
        per_line=False,
    )

    money = (", with " + gbp_series(ending["unspent"].clip(lower=0)) + " unspent").where(ending["unspent"] > 0, "")
    decision = pd.Series(
        np.where(ending["continuation_decided"], "", "; no decision is recorded on whether it continues"),
        index=ending.index,
        dtype="str",
    )
    line_message = (
        "Ends on "
        + day_series(ending["ends"])
        + ", in "
        + (ending["ends"] - today).dt.days.astype("str")
        + " days"
        + money
        + decision
        + "."
    )
    line_found = found(
        ending,
        line_message,
        "Decide whether the work continues (and how it is funded), and spend or release the balance.",
    )
    return pd.concat([fund_found, line_found], ignore_index=True)


RULES = (return_due, return_blocked, funding_ending)
