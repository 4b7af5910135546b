"""PRF: spend against the planned spend profile (docs/domain.md §4, PRF001–PRF006).

The profile to date counts every quarter that has ended in full and the current quarter pro-rated by the
days passed (a line profiled £900 in a 92-day quarter is due £300 after 31 days).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from grants.domain.calendar import FinancialYear
from grants.domain.enums import Severity
from grants.figures import AMBER_BEHIND, GREEN, RED, RED_BEHIND, behind_rating
from rules.base import RuleParams, found, money_param, nothing, rule
from rules.context import RuleContext
from rules.text import day, day_series, gbp_series, per_distinct, percent, percent_series, pounds_to_pence


def _with_profile(context: RuleContext) -> pd.DataFrame:
    return context.lines.merge(context.line_profile, on="line_id", how="left")


class BehindProfileParams(RuleParams):
    amber: float = Field(
        default=float(AMBER_BEHIND), ge=0, le=1, description="Behind by more than this share of the profile: amber"
    )
    red: float = Field(
        default=float(RED_BEHIND), ge=0, le=1, description="Behind by more than this share of the profile: red"
    )
    min_profile: Decimal = money_param("0.00", "Lines with no more than this profiled to date are not judged")

    @model_validator(mode="after")
    def _red_beyond_amber(self) -> BehindProfileParams:
        if self.red < self.amber:
            raise ValueError("the red threshold must be at least the amber one")
        return self


@rule("PRF001", "behind-profile", Severity.WARNING, BehindProfileParams)
def behind_profile(context: RuleContext, params: BehindProfileParams) -> pd.DataFrame:
    """Cumulative spend on a line is behind its cumulative spend profile at the as-at date.

    Why: the OPCC's six-monthly financial profile compares actual spend with the profile and rates the
    variance; the 2023/24 strategic assessment asks for "the effective spending profile" of the Locality Fund
    (docs/domain.md §1 and §4, PRF001).

    Fails when: the profile to date (whole quarters passed, plus the current quarter pro-rated by days) is
    more than ``min_profile`` and spend falls short of it by more than ``amber`` of it (amber), or more than
    ``red`` of it (red).

    Passes when: spend is within ``amber`` of the profile to date, or ahead of it.

    Parameters: ``amber`` (share, default 0.10), ``red`` (share, default 0.25, at least ``amber``),
    ``min_profile`` (£, default £0.00).

    Severity: amber is a warning, red an error (a red variance must be explained or re-profiled before the
    return is final).
    """
    lines = _with_profile(context)
    lines = lines[lines["profile_to_date_pence"] > pounds_to_pence(params.min_profile)]
    rating = behind_rating(lines["behind_share"], amber=params.amber, red=params.red)
    lines = lines.assign(behind=lines["profile_to_date_pence"] - lines["spent_pence"], share=lines["behind_share"])
    rows = lines[rating != GREEN]
    if rows.empty:
        return nothing()
    red = rating[rows.index] == RED
    severity = pd.Series(np.where(red, Severity.ERROR.value, Severity.WARNING.value), index=rows.index, dtype="str")
    rag = rating[rows.index].str.lower()
    message = (
        "Spent "
        + gbp_series(rows["spent_pence"])
        + " against "
        + gbp_series(rows["profile_to_date_pence"])
        + " profiled to "
        + day(context.as_at)
        + ": "
        + gbp_series(rows["behind"])
        + " ("
        + percent_series(rows["share"])
        + ") behind, "
        + rag
        + "."
    )
    hint = "Ask the delivery partner why spend is slow, and re-profile or reallocate if it will not catch up."
    return found(rows, message, hint, severity)


class AheadOfProfileParams(RuleParams):
    tolerance: float = Field(default=0.10, ge=0, le=10, description="Ahead by more than this share of the profile")


@rule("PRF002", "ahead-of-profile", Severity.WARNING, AheadOfProfileParams)
def ahead_of_profile(context: RuleContext, params: AheadOfProfileParams) -> pd.DataFrame:
    """Cumulative spend on a line is ahead of its cumulative spend profile beyond a tolerance.

    Why: spend running ahead of profile risks the line running out before its work is done, or an overspend
    (docs/domain.md §4, PRF002).

    Fails when: a profiled line's spend exceeds its profile to date by more than ``tolerance`` of it (or any
    spend when nothing is profiled to date yet).

    Passes when: spend is at or below the profile to date plus the tolerance.

    Parameters: ``tolerance`` (share, 0–10, default 0.10).

    Severity: warning.
    """
    lines = _with_profile(context)
    lines = lines[lines["has_profile"] & (lines["spent_pence"] > 0)]
    ahead = lines["spent_pence"] - lines["profile_to_date_pence"]
    allowed = lines["profile_to_date_pence"] * params.tolerance
    lines = lines.assign(ahead=ahead)
    rows = lines[ahead > allowed]
    if rows.empty:
        return nothing()
    share = rows["ahead"] / rows["profile_to_date_pence"].where(rows["profile_to_date_pence"] > 0)
    share_text = share.map(lambda value: f" ({percent(value)})" if value == value else "").astype("str")
    message = (
        "Spent "
        + gbp_series(rows["spent_pence"])
        + " against "
        + gbp_series(rows["profile_to_date_pence"])
        + " profiled to "
        + day(context.as_at)
        + ": "
        + gbp_series(rows["ahead"])
        + share_text
        + " ahead."
    )
    hint = "Check the line will not run out of money; re-profile it if the work has simply moved earlier."
    return found(rows, message, hint)


class NoSpendByMidyearParams(RuleParams):
    after_quarter: int = Field(default=2, ge=1, le=4, description="Lines with no spend after this quarter's end")
    min_allocated: Decimal = money_param("0.00", "Only lines allocated more than this are flagged")


@rule("PRF003", "no-spend-by-midyear", Severity.WARNING, NoSpendByMidyearParams)
def no_spend_by_midyear(context: RuleContext, params: NoSpendByMidyearParams) -> pd.DataFrame:
    """An allocated line has spent nothing by the end of Q2 of its fund's year.

    Why: the mid-year review is when the Strategic Group reallocates money that is not moving; the
    October 2017 PLF table shows several lines with nothing spent (docs/domain.md §7 and §4, PRF003).

    Fails when: the as-at date is after the end of quarter ``after_quarter`` of the fund's year and a line
    allocated more than ``min_allocated`` has no spend (payments less refunds of zero or less), in a fund
    whose lines follow a quarterly spending profile (the fund condition ``profile_expected``).

    Passes when: the line has spent something, the quarter has not ended, or the fund's lines are small
    grants followed through their monitoring reports (EVD003) rather than a quarterly profile.

    Parameters: ``after_quarter`` (1–4, default 2: the end of September); ``min_allocated`` (£, default
    £0.00).

    Severity: warning: a prompt for the mid-year reallocation, not a breach.
    """
    lines = context.lines
    if lines.empty:
        return nothing()
    quarter_end = per_distinct(
        lines["fund_year"], lambda year: FinancialYear.parse(year).quarter(params.after_quarter).end
    )
    lines = lines.assign(quarter_end=pd.to_datetime(quarter_end))
    rows = lines[
        context.condition(lines, "profile_expected").astype("bool")
        & (lines["quarter_end"] < context.today)
        & (lines["allocated_pence"] > pounds_to_pence(params.min_allocated))
        & (lines["spent_pence"] <= 0)
    ]
    if rows.empty:
        return nothing()
    message = (
        gbp_series(rows["allocated_pence"])
        + f" allocated and nothing spent by {day(context.as_at)}, after the end of Q{params.after_quarter} ("
        + day_series(rows["quarter_end"])
        + ")."
    )
    hint = "Ask the delivery partner when spend will start, or offer the money for reallocation at the mid-year review."
    return found(rows, message, hint)


class ForecastUnderspendParams(RuleParams):
    tolerance: float = Field(
        default=0.0, ge=0, le=1, description="Shortfalls up to this share of the money are accepted"
    )


@rule("PRF004", "forecast-underspend", Severity.WARNING, ForecastUnderspendParams)
def forecast_underspend(context: RuleContext, params: ForecastUnderspendParams) -> pd.DataFrame:
    """Spend to date plus the rest of the profile falls short of the fund's funding: money at risk of being
    returned.

    Why: in October 2023 the fully allocated PLF "had an underspend" and a meeting was called to re-use the
    remaining funds (docs/domain.md §2 PLF and §4, PRF004).

    Fails when: the fund has started and its projected underspend — funding (the award, or the receipts if
    they total more) less the forecast outturn — is more than ``tolerance`` of the funding. The forecast
    outturn is each line's spend to date plus its profile still to come; for a line with no profile, the
    larger of its allocation and its spend. Unallocated money is therefore forecast underspend. The return
    prints the same projected underspend (one definition, ``grants.figures``).

    Passes when: the forecast uses all the funding.

    Parameters: ``tolerance`` (share, 0–1, default 0).

    Severity: warning.
    """
    funds = context.funds
    funds = funds.assign(forecast=funds["forecast_pence"], short=funds["projected_underspend_pence"])
    rows = funds[
        (funds["starts"] <= context.today)
        & (funds["short"] > 0)
        & (funds["short"] > funds["funding_pence"] * params.tolerance)
    ]
    if rows.empty:
        return nothing()
    message = (
        "Spend to date plus the remaining profile comes to "
        + gbp_series(rows["forecast"])
        + " of the "
        + gbp_series(rows["funding_pence"])
        + " funding: "
        + gbp_series(rows["short"])
        + " forecast underspend, at risk of being returned."
    )
    hint = "Bring the forecast underspend to the Strategic Group to reallocate before the fund ends."
    return found(rows, message, hint, per_line=False)


class NoProfileParams(RuleParams):
    min_allocated: Decimal = money_param("0.00", "Only lines allocated more than this need a profile")


@rule("PRF005", "no-profile", Severity.WARNING, NoProfileParams)
def no_profile(context: RuleContext, params: NoProfileParams) -> pd.DataFrame:
    """A line with money has no spend profile.

    Why: the OPCC return shows each line's profile to date against actual spend; without a profile,
    PRF001, PRF002 and PRF004 cannot judge the line (docs/domain.md §5 report 2 and §4, PRF005).

    Fails when: a line allocated more than ``min_allocated`` has no profile entry, in a fund whose lines are
    expected to follow a quarterly spending profile (the fund condition ``profile_expected``).

    Passes when: the line has at least one quarter profiled, or its fund's lines are small grants that
    report through monitoring instead (e.g. People Zone).

    Parameters: ``min_allocated`` (£, default £0.00).

    Severity: warning: the return needs the profile.
    """
    lines = _with_profile(context)
    expected = context.condition(lines, "profile_expected").astype("bool")
    rows = lines[expected & ~lines["has_profile"] & (lines["allocated_pence"] > pounds_to_pence(params.min_allocated))]
    if rows.empty:
        return nothing()
    message = gbp_series(rows["allocated_pence"]) + " allocated with no spend profile."
    hint = "Agree a quarterly spend profile with the delivery partner and record it."
    return found(rows, message, hint)


class ProfileNotAllocationParams(RuleParams):
    tolerance: Decimal = money_param("0.00", "A difference of no more than this is not reported")


@rule("PRF006", "profile-not-allocation", Severity.WARNING, ProfileNotAllocationParams)
def profile_not_allocation(context: RuleContext, params: ProfileNotAllocationParams) -> pd.DataFrame:
    """A profiled line's profile does not add up to its allocation.

    Why: the return compares spend with the profile, so a profile that plans to spend more or less than the
    line has misstates every variance. An approved virement moves the remaining profile with the money;
    anything else that changes an allocation (an edit, a re-imported table) leaves the profile to be redone
    (docs/domain.md §5 report 2: the profile against actual).

    Fails when: a line with a profile has a profile total that differs from its allocation by more than
    ``tolerance``.

    Passes when: the quarters add up to the allocation (or the line has no profile: PRF005's concern).

    Parameters: ``tolerance`` (£, default £0.00).

    Severity: warning: re-profile the line before the next return.
    """
    lines = _with_profile(context)
    difference = lines["profile_pence"] - lines["allocated_pence"]
    lines = lines.assign(difference=difference)
    rows = lines[lines["has_profile"] & (difference.abs() > pounds_to_pence(params.tolerance))]
    if rows.empty:
        return nothing()
    direction = pd.Series(np.where(rows["difference"] > 0, "more", "less"), index=rows.index, dtype="str")
    message = (
        "Profiled "
        + gbp_series(rows["profile_pence"])
        + " against "
        + gbp_series(rows["allocated_pence"])
        + " allocated: "
        + gbp_series(rows["difference"].abs())
        + " "
        + direction
        + " than the line has."
    )
    hint = "Re-profile the line so that its quarters add up to its allocation."
    return found(rows, message, hint)


RULES = (behind_profile, ahead_of_profile, no_spend_by_midyear, forecast_underspend, no_profile, profile_not_allocation)
