"""ALC: allocating a fund's money to budget lines (docs/domain.md §4, ALC001–ALC006)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pandas as pd
from pydantic import Field

from grants.domain.calendar import FinancialYear
from grants.domain.enums import AmountStatus, Severity
from rules.base import RuleParams, found, money_param, nothing, rule
from rules.context import RuleContext, lookup
from rules.text import day_series, gbp_series, normalise_area, normalise_word, per_distinct, pounds_to_pence


def _funding(funds: pd.DataFrame) -> pd.Series:
    """The money a fund has: its award, or its receipts (received and expected) if they total more."""
    return funds["funding_pence"]


class OverAllocatedParams(RuleParams):
    tolerance: Decimal = money_param("0.00", "Allocations may exceed the funding by this much without a finding")


@rule("ALC001", "over-allocated", Severity.ERROR, OverAllocatedParams)
def over_allocated(context: RuleContext, params: OverAllocatedParams) -> pd.DataFrame:
    """A fund's allocations to its budget lines add up to more than the fund's money.

    Why: no commitment without money (docs/domain.md §4, ALC001). The fund's money is its funding: its amount,
    or its receipts (received and expected) when they total more. Where the amount is not yet firm ALC003 says
    so; ALC001 still compares with it, so one problem gives one finding.

    Fails when: the sum of the fund's line allocations exceeds its money by more than ``tolerance``.

    Passes when: allocations are at or below the fund's money (fully allocated is fine).

    Parameters: ``tolerance`` (£, default £0.00).
    """
    funds = context.funds.assign(funding=_funding(context.funds))
    funds = funds.assign(over=funds["allocated_pence"] - funds["funding"])
    rows = funds[funds["over"] > pounds_to_pence(params.tolerance)]
    if rows.empty:
        return nothing()
    message = (
        "Allocations total "
        + gbp_series(rows["allocated_pence"])
        + " but the fund has "
        + gbp_series(rows["funding"])
        + ": over-allocated by "
        + gbp_series(rows["over"])
        + "."
    )
    hint = "Reduce or withdraw allocations, or record the extra funding, before committing more."
    return found(rows, message, hint, per_line=False)


class NotFullyAllocatedParams(RuleParams):
    deadline_quarter: int = Field(
        default=1,
        ge=1,
        le=4,
        description="Money should be allocated by the end of this quarter of the fund's year",
        json_schema_extra={"condition": "allocation_deadline"},
    )
    tolerance: Decimal = money_param("0.00", "An unallocated balance up to this much is accepted")


@rule("ALC002", "not-fully-allocated", Severity.WARNING, NotFullyAllocatedParams)
def not_fully_allocated(context: RuleContext, params: NotFullyAllocatedParams) -> pd.DataFrame:
    """Part of a fund is still unallocated after the fund's allocation deadline.

    Why: the Partnership Locality Fund is expected to be "fully allocated to local initiatives"
    (docs/domain.md §2, PLF; §4 ALC002); money left unallocated late in the year is money at risk.

    Fails when: the as-at date is after the deadline (the fund's ``allocation_deadline`` condition, else the
    end of quarter ``deadline_quarter`` of the fund's year) and the fund's money less its allocations is more
    than ``tolerance``.

    Passes when: the fund is fully allocated, the deadline has not passed, or the fund has a grant round
    still to close (a fund that awards its money in rounds keeps it for the next round).

    Parameters: ``deadline_quarter`` (1–4, default 1: the end of June), overridden by the fund's
    ``allocation_deadline``; ``tolerance`` (£, default £0.00).
    """
    funds = context.funds
    if funds.empty:
        return nothing()
    default_deadline = per_distinct(
        funds["year"], lambda year: FinancialYear.parse(year).quarter(params.deadline_quarter).end
    )
    condition = context.condition(funds, "allocation_deadline")
    deadline = pd.to_datetime(condition.where(condition.notna(), default_deadline))
    funds = funds.assign(
        deadline=deadline, unallocated=_funding(funds) - funds["allocated_pence"], funding=_funding(funds)
    )
    rounds = context.frames.rounds
    round_to_come = funds["fund_id"].isin(rounds.loc[rounds["closes"] >= context.today, "fund_id"])
    rows = funds[
        (funds["deadline"] < context.today)
        & (funds["unallocated"] > pounds_to_pence(params.tolerance))
        & ~round_to_come
    ]
    if rows.empty:
        return nothing()
    message = (
        gbp_series(rows["unallocated"])
        + " of the fund's "
        + gbp_series(rows["funding"])
        + " is still unallocated; everything should have been allocated by "
        + day_series(rows["deadline"])
        + "."
    )
    hint = "Take the unallocated balance to the Strategic Group with proposals to allocate it."
    return found(rows, message, hint, per_line=False)


class UnconfirmedFundingParams(RuleParams):
    min_allocated: Decimal = money_param("0.00", "Only lines allocated more than this are flagged")


_STATUS_WORDS = {
    AmountStatus.APPROXIMATE.value: "only approximate",
    AmountStatus.INDICATIVE.value: "only indicative",
    AmountStatus.BID_DRAFTED.value: "a bid still in draft",
    AmountStatus.BID_SUBMITTED.value: "a bid not yet approved",
    AmountStatus.BID_REFUSED.value: "a refused bid",
}


@rule("ALC003", "unconfirmed-funding", Severity.WARNING, UnconfirmedFundingParams)
def unconfirmed_funding(context: RuleContext, params: UnconfirmedFundingParams) -> pd.DataFrame:
    """An allocation rests on money that is not firm: an approximate or indicative amount, a bid not yet
    approved, or a receipt marked approximate.

    Why: budgets in the papers rest on "£15,000 approx", "circa £34K" and "Indicative" amounts, and on bids
    not yet agreed (docs/domain.md §2 and §4, ALC003).

    Fails when: the fund's amount status is not firm (confirmed or bid approved), or any of its receipts is
    marked approximate; then each of its lines allocated more than ``min_allocated`` gets a finding.

    Passes when: the fund's amount is confirmed (or its bid approved) and no receipt is approximate.

    Parameters: ``min_allocated`` (£, default £0.00).

    Severity: warning. The allocation may well be right; the money behind it is not yet certain.
    """
    funds = context.funds
    firm = {status.value for status in AmountStatus if status.is_firm}
    receipts = context.frames.receipts
    approximate = receipts[receipts["approximate"]].groupby("fund_id")["amount_pence"].agg(["sum", "size"])
    funds = funds.join(approximate.rename(columns={"sum": "approx_pence", "size": "approx_count"}), on="fund_id")
    funds["approx_count"] = funds["approx_count"].fillna(0).astype("int64")
    funds["approx_pence"] = funds["approx_pence"].fillna(0).astype("int64")
    not_firm = ~funds["amount_status"].isin(firm)
    funds = funds[not_firm | (funds["approx_count"] > 0)]
    if funds.empty:
        return nothing()
    not_firm = not_firm[funds.index]
    status_reason = (
        "the fund's amount of "
        + gbp_series(funds["amount_pence"])
        + " is "
        + funds["amount_status"].map(_STATUS_WORDS).fillna("not confirmed").astype("str")
    ).where(not_firm, "")
    receipt_reason = (
        funds["approx_count"].astype("str")
        + " receipt(s) of "
        + gbp_series(funds["approx_pence"])
        + " marked approximate"
    ).where(funds["approx_count"] > 0, "")
    both = (status_reason != "") & (receipt_reason != "")
    funds["reason"] = status_reason + np.where(both, " and ", "") + receipt_reason
    shaky = funds.loc[funds["reason"] != "", ["fund_id", "reason"]]
    lines = context.lines.merge(shaky, on="fund_id", how="inner")
    rows = lines[lines["allocated_pence"] > pounds_to_pence(params.min_allocated)]
    if rows.empty:
        return nothing()
    message = (
        "This "
        + gbp_series(rows["allocated_pence"])
        + " allocation rests on unconfirmed money: "
        + rows["reason"]
        + "."
    )
    hint = "Confirm the amount with the funder and record it as confirmed, or hold the allocation until it is."
    return found(rows, message, hint)


class NoStrategicPriorityParams(RuleParams):
    error_fund_codes: tuple[str, ...] = Field(
        default=("PLF",),
        max_length=50,
        description="Funds (by code) where a line without a priority is an error",
        json_schema_extra={"condition": "strategic_priority_required"},
    )
    error_from_year: str = Field(
        default="2023/24",
        pattern=r"^\d{4}/\d{2}$",
        description="Funds of ``error_fund_codes`` make it an error from this financial year on",
    )
    min_allocated: Decimal = money_param("0.00", "Only lines allocated more than this are flagged")


@rule("ALC004", "no-strategic-priority", Severity.WARNING, NoStrategicPriorityParams)
def no_strategic_priority(context: RuleContext, params: NoStrategicPriorityParams) -> pd.DataFrame:
    """A budget line has no strategic priority recorded.

    Why: the 2023/24 strategic assessment's Recommendation 1 asks that the Locality Fund's spending be
    "aligned to its strategic priorities" (docs/domain.md §1 and §4, ALC004).

    Fails when: a line allocated more than ``min_allocated`` has a blank strategic priority, in a fund
    whose lines are judged against the partnership's priorities (the fund condition ``priorities_apply``;
    a themed grant round such as People Zone is judged against its own themes instead).

    Passes when: every such line names a priority (e.g. SP1, SP2, SP3), or the fund's lines are not judged
    against the priorities.

    Parameters: ``error_fund_codes`` (default PLF, from ``error_from_year``, default 2023/24, the year of the
    recommendation) and the fund condition ``strategic_priority_required`` make the finding an error;
    ``min_allocated`` (£, default £0.00).

    Severity: error for the PLF from 2023/24 and for funds whose conditions require a priority, warning
    elsewhere (an earlier year's lines were not allocated against this plan's priorities).
    """
    lines = context.lines
    codes = {code.casefold() for code in params.error_fund_codes}
    rows = lines[
        (lines["strategic_priority"].str.strip() == "")
        & (lines["allocated_pence"] > pounds_to_pence(params.min_allocated))
    ]
    if rows.empty:
        return nothing()
    rows = rows[context.condition(rows, "priorities_apply").astype("bool")]
    if rows.empty:
        return nothing()
    required = context.condition(rows, "strategic_priority_required").astype("bool")
    from_year = rows["fund_year"].astype("str") >= params.error_from_year
    is_error = (rows["fund_code"].str.casefold().isin(codes) & from_year) | required
    severity = pd.Series(
        np.where(is_error, Severity.ERROR.value, Severity.WARNING.value), index=rows.index, dtype="str"
    )
    message = "No strategic priority is recorded for this " + gbp_series(rows["allocated_pence"]) + " allocation."
    hint = "Record which strategic priority (SP1, SP2, SP3) the line serves, as agreed by the Strategic Group."
    return found(rows, message, hint, severity)


def _pence_or_none(amount: object) -> int | None:
    return None if amount is None else int(amount * 100)  # type: ignore[operator]


class IneligibleParams(RuleParams):
    cap_tolerance: Decimal = money_param("0.00", "A line may exceed a grant cap by this much without a finding")


def _outside(keys: pd.Series, fund_ids: pd.Series, allowed: pd.DataFrame) -> pd.Series:
    """True where a line's recorded value (``keys``) is not in its fund's allowed list (funds with no list,
    and blank values, False: a blank is not recorded, see :func:`_unrecorded`)."""
    restricted = fund_ids.isin(allowed["fund_id"])
    allowed_keys = set(allowed["fund_id"].astype("str") + "|" + allowed["value"])
    line_keys = fund_ids.astype("str") + "|" + keys
    return restricted & (keys != "") & ~line_keys.isin(allowed_keys)


def _unrecorded(keys: pd.Series, fund_ids: pd.Series, allowed: pd.DataFrame) -> pd.Series:
    """True where a line's value is blank and its fund lists the allowed ones: eligibility is unknown."""
    return fund_ids.isin(allowed["fund_id"]) & (keys == "")


def _allowed(context: RuleContext, condition: str, normalise: Callable[[str], str]) -> pd.DataFrame:
    funds = context.frames.funds
    values = pd.DataFrame({"fund_id": funds["fund_id"], "value": context.condition(funds, condition).map(list)})
    values = values.explode("value").dropna()
    values["value"] = values["value"].map(normalise).astype("str")
    return values


@rule("ALC005", "ineligible", Severity.ERROR, IneligibleParams)
def ineligible(context: RuleContext, params: IneligibleParams) -> pd.DataFrame:
    """A budget line breaks its fund's conditions: over the per-grant or round cap, an area, theme or cohort
    the fund does not cover, an excluded category, dates outside the fund's period, or an application
    received outside its round's window.

    Why: funds come with criteria: CI001 pays only for young people at high risk of first entry into the
    justice system or repeat offenders; People Zone grants serve beat NL65 under four themes in rounds that
    open for four weeks; the Commissioner's Safety Fund caps a grant at £10k (docs/domain.md §2 and §4, ALC005).

    Fails when: any of the fund's conditions ``per_grant_cap``, ``eligible_areas`` (beats compared as NL62 =
    "Beat 62" = "62"), ``eligible_themes``, ``eligible_cohorts``, ``excluded_categories``, its round's ``cap``
    or window, or the fund's start and end dates is broken by the line. A blank area, theme or cohort where
    the fund lists the eligible ones is not a breach: it is reported as not recorded (a warning), since
    eligibility cannot be confirmed until it is.

    Passes when: the line meets every condition the fund sets (a fund that sets none accepts any line).

    Parameters: ``cap_tolerance`` (£, default £0.00). The conditions themselves are the fund's.

    Severity: error: money paid outside a fund's criteria may have to be repaid; warning where the only
    problem is an area, theme or cohort not recorded.
    """
    lines = context.lines
    if lines.empty:
        return nothing()
    tolerance = pounds_to_pence(params.cap_tolerance)
    # First which lines break what (masks), then words for the flagged lines only.
    cap = per_distinct(context.condition(lines, "per_grant_cap"), _pence_or_none).astype("Int64")
    theme = per_distinct(lines["theme"], normalise_word).astype("str")
    cohort = per_distinct(lines["cohort"], normalise_word).astype("str")
    excluded = _allowed(context, "excluded_categories", normalise_word)
    excluded_keys = set(excluded["fund_id"].astype("str") + "|" + excluded["value"])
    fund_key = lines["fund_id"].astype("str") + "|"
    area = per_distinct(lines["area"], normalise_area).astype("str")
    allowed_areas = _allowed(context, "eligible_areas", normalise_area)
    allowed_themes = _allowed(context, "eligible_themes", normalise_word)
    allowed_cohorts = _allowed(context, "eligible_cohorts", normalise_word)
    unrecorded = pd.DataFrame(
        {
            "area": _unrecorded(area, lines["fund_id"], allowed_areas),
            "theme": _unrecorded(theme, lines["fund_id"], allowed_themes),
            "cohort": _unrecorded(cohort, lines["fund_id"], allowed_cohorts),
        },
        index=lines.index,
    )
    masks = pd.DataFrame(
        {
            "over_cap": (cap.notna() & (lines["allocated_pence"] > cap.fillna(0) + tolerance)).astype("bool"),
            "area": _outside(area, lines["fund_id"], allowed_areas),
            "theme": _outside(theme, lines["fund_id"], allowed_themes),
            "cohort": _outside(cohort, lines["fund_id"], allowed_cohorts),
            "theme_excluded": (theme != "") & (fund_key + theme).isin(excluded_keys),
            "cohort_excluded": (cohort != "") & (fund_key + cohort).isin(excluded_keys),
            "dates": (lines["starts"].notna() & (lines["starts"] < lines["fund_starts"]))
            | (lines["ends"].notna() & (lines["ends"] > lines["fund_ends"])),
        },
        index=lines.index,
    )
    rounds = _round_breaches(context, lines, tolerance)
    masks["window"] = rounds["window"] != ""
    masks["round_cap"] = rounds["round_cap"] != ""
    breached = masks.any(axis=1)
    flagged = breached | unrecorded.any(axis=1)
    if not flagged.any():
        return nothing()
    rows, masks, rounds, cap = lines[flagged], masks[flagged], rounds[flagged], cap[flagged]
    breached, unrecorded = breached[flagged], unrecorded[flagged]
    reasons = [
        (
            "its "
            + gbp_series(rows["allocated_pence"])
            + " is over the fund's cap of "
            + gbp_series(cap.fillna(0))
            + " a grant"
        ).where(masks["over_cap"], ""),
        ("area '" + rows["area"] + "' is not one the fund covers").where(masks["area"], ""),
        ("theme '" + rows["theme"] + "' is not one of the fund's themes").where(masks["theme"], ""),
        ("cohort '" + rows["cohort"] + "' is not one the fund serves").where(masks["cohort"], ""),
        ("'" + rows["theme"] + "' is a category the fund excludes").where(masks["theme_excluded"], ""),
        ("'" + rows["cohort"] + "' is a category the fund excludes").where(masks["cohort_excluded"], ""),
        (
            "it runs "
            + day_series(rows["starts"].fillna(rows["fund_starts"]))
            + " to "
            + day_series(rows["ends"].fillna(rows["fund_ends"]))
            + ", outside the fund's "
            + day_series(rows["fund_starts"])
            + " to "
            + day_series(rows["fund_ends"])
        ).where(masks["dates"], ""),
        rounds["window"],
        rounds["round_cap"],
    ]
    columns = [reason.tolist() for reason in reasons]
    because = pd.Series(
        ["; ".join(text for text in texts if text) for texts in zip(*columns, strict=True)],
        index=rows.index,
        dtype="str",
    )
    missing = pd.Series(
        [
            " or ".join(word for word, blank in zip(("area", "theme", "cohort"), flags, strict=True) if blank)
            for flags in unrecorded[["area", "theme", "cohort"]].itertuples(index=False)
        ],
        index=rows.index,
        dtype="str",
    )
    not_recorded = ("No " + missing + " is recorded, so eligibility for this fund cannot be confirmed.").where(
        missing != "", ""
    )
    message = pd.Series(
        np.where(
            breached,
            "Not eligible for this fund: " + because + "." + np.where(missing != "", " " + not_recorded, ""),
            not_recorded,
        ),
        index=rows.index,
        dtype="str",
    )
    hint = pd.Series(
        np.where(
            breached,
            "Change the line to meet the fund's conditions, move it to a fund that allows it, or withdraw it.",
            "Record the line's " + missing + " so the fund's conditions can be checked.",
        ),
        index=rows.index,
        dtype="str",
    )
    severity = pd.Series(
        np.where(breached, Severity.ERROR.value, Severity.WARNING.value), index=rows.index, dtype="str"
    )
    return found(rows, message, hint, severity)


def _round_breaches(context: RuleContext, lines: pd.DataFrame, tolerance: int) -> pd.DataFrame:
    """Per line, the words for an application outside its round's window or over the round's cap ("" if none)."""
    blank = pd.DataFrame({"window": "", "round_cap": ""}, index=lines.index, dtype="str")
    applications = context.frames.applications.dropna(subset=["line_id"])
    rounds = context.frames.rounds
    if applications.empty or rounds.empty:
        return blank
    linked = applications.merge(rounds, on="round_id", how="inner")
    linked["line_id"] = linked["line_id"].astype("int64")
    allocated = lookup(linked["line_id"], lines.set_index("line_id")["allocated_pence"]).fillna(0).astype("int64")
    outside_window = (linked["received_on"] < linked["opens"]) | (linked["received_on"] > linked["closes"])
    over_round_cap = (linked["cap_pence"].notna() & (allocated > linked["cap_pence"].fillna(0) + tolerance)).astype(
        "bool"
    )
    linked = linked[outside_window | over_round_cap]
    if linked.empty:
        return blank
    allocated = allocated[linked.index]
    linked = linked.assign(
        window=(
            "its application came in on "
            + day_series(linked["received_on"])
            + ", outside round "
            + linked["number"].astype("str")
            + " ("
            + day_series(linked["opens"])
            + " to "
            + day_series(linked["closes"])
            + ")"
        ).where(outside_window[linked.index], ""),
        round_cap=(
            "its "
            + gbp_series(allocated)
            + " is over round "
            + linked["number"].astype("str")
            + "'s cap of "
            + gbp_series(linked["cap_pence"].fillna(0))
        ).where(over_round_cap[linked.index], ""),
    )
    first = linked.drop_duplicates("line_id").set_index("line_id")
    return pd.DataFrame(
        {
            "window": lookup(lines["line_id"], first["window"]).fillna("").astype("str"),
            "round_cap": lookup(lines["line_id"], first["round_cap"]).fillna("").astype("str"),
        },
        index=lines.index,
    )


class UnapprovedParams(RuleParams):
    min_allocated: Decimal = money_param("0.00", "Only lines allocated more than this need an approval")


@rule("ALC006", "unapproved", Severity.WARNING, UnapprovedParams)
def unapproved(context: RuleContext, params: UnapprovedParams) -> pd.DataFrame:
    """A budget line has money but no recorded approval (who approved it, and when).

    Why: budgets in the papers are "as agreed by Charnwood Strategic Group"; the record should show who
    agreed each allocation and when (docs/domain.md §2 CI001 and §4, ALC006).

    Fails when: a line allocated more than ``min_allocated`` lacks ``approved_by`` or ``approved_on``.

    Passes when: both are recorded.

    Parameters: ``min_allocated`` (£, default £0.00).

    Severity: warning: the approval may have happened and not been written down; it is a record to complete.
    """
    lines = context.lines
    no_who = lines["approved_by"].str.strip() == ""
    no_when = lines["approved_on"].isna()
    rows_mask = (no_who | no_when) & (lines["allocated_pence"] > pounds_to_pence(params.min_allocated))
    rows = lines[rows_mask]
    if rows.empty:
        return nothing()
    missing = pd.Series(
        np.where(
            no_who[rows_mask] & no_when[rows_mask],
            "no approval is recorded",
            np.where(
                no_who[rows_mask],
                "the approval date is recorded but not who approved it",
                "who approved it is recorded but not when",
            ),
        ),
        index=rows.index,
        dtype="str",
    )
    message = gbp_series(rows["allocated_pence"]) + " allocated, but " + missing + "."
    hint = "Record who approved the allocation (e.g. the Strategic Group) and the date of the meeting."
    return found(rows, message, hint)


RULES = (over_allocated, not_fully_allocated, unconfirmed_funding, no_strategic_priority, ineligible, unapproved)
