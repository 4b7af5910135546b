"""SPD: money spent against budget lines (docs/domain.md §4, SPD001–SPD005).

Spent = payments − refunds; income (e.g. bike locks sold) is kept apart.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from grants.domain.enums import CapitalRevenue, Severity, SpendKind
from rules.base import RuleParams, found, money_param, nothing, rule
from rules.context import RuleContext
from rules.text import day_series, gbp_series, normalise_text, percent, pounds_to_pence


class OverspentParams(RuleParams):
    tolerance: Decimal = money_param("0.00", "Spend may exceed the allocation by this much without a finding")


@rule("SPD001", "overspent", Severity.ERROR, OverspentParams)
def overspent(context: RuleContext, params: OverspentParams) -> pd.DataFrame:
    """Spend on a budget line is more than the line's allocation.

    Why: a line may spend only what it was allocated; anything more is unauthorised spend
    (docs/domain.md §4, SPD001).

    Fails when: payments less refunds on the line exceed its allocation by more than ``tolerance``.

    Passes when: spend is at or below the allocation.

    Parameters: ``tolerance`` (£, default £0.00).
    """
    lines = context.lines.assign(over=lambda frame: frame["spent_pence"] - frame["allocated_pence"])
    rows = lines[lines["over"] > pounds_to_pence(params.tolerance)]
    if rows.empty:
        return nothing()
    message = (
        "Spent "
        + gbp_series(rows["spent_pence"])
        + " against an allocation of "
        + gbp_series(rows["allocated_pence"])
        + ": overspent by "
        + gbp_series(rows["over"])
        + "."
    )
    hint = "Move money in with an approved virement, or correct the spend if it belongs to another line."
    return found(rows, message, hint)


class OutsidePeriodParams(RuleParams):
    tolerance: Decimal = money_param("0.00", "Payments outside the period up to this much a line are accepted")


@rule("SPD002", "outside-grant-period", Severity.ERROR, OutsidePeriodParams)
def outside_grant_period(context: RuleContext, params: OutsidePeriodParams) -> pd.DataFrame:
    """Payments dated before the fund starts or after it ends.

    Why: Safer Streets funds "cannot be transferred between financial years"; money not spent in the grant
    period is not carried over (docs/domain.md §2 SS4 and §4, SPD002).

    Fails when: a line's payments dated before its fund's start or after its end total more than
    ``tolerance``, and the fund's condition ``carry_over_allowed`` is not set.

    Passes when: every payment falls within the fund's period, or the fund allows carry-over.

    Parameters: ``tolerance`` (£, default £0.00); the fund condition ``carry_over_allowed``.
    """
    spends = context.spends
    payments = spends[(spends["kind"] == SpendKind.PAYMENT.value) & (spends["position"] != "during")]
    if payments.empty:
        return nothing()
    per_line = payments.pivot_table(
        index="line_id", columns="position", values=["amount_pence", "count"], aggfunc="sum", fill_value=0
    )
    columns: list[Any] = list(per_line.columns)  # (value, position) pairs
    per_line.columns = [f"{value}_{position}" for value, position in columns]
    per_line = per_line.reindex(
        columns=["amount_pence_before", "amount_pence_after", "count_before", "count_after"], fill_value=0
    )
    dates: Any = (
        payments.groupby(["line_id", "position"])
        .agg(first_on=("first_on", "min"), last_on=("last_on", "max"))
        .unstack("position")
    )
    per_line["first_before"] = dates.get(("first_on", "before"), pd.NaT)
    per_line["last_after"] = dates.get(("last_on", "after"), pd.NaT)
    lines = context.lines.merge(per_line.reset_index(), on="line_id", how="inner")
    carry_over = context.condition(lines, "carry_over_allowed").astype("bool")
    outside = lines["amount_pence_before"] + lines["amount_pence_after"]
    rows = lines[(outside > pounds_to_pence(params.tolerance)) & ~carry_over]
    if rows.empty:
        return nothing()
    before = (
        gbp_series(rows["amount_pence_before"])
        + " paid before the fund started on "
        + day_series(rows["fund_starts"])
        + " ("
        + rows["count_before"].astype("str")
        + " payment(s), the first on "
        + day_series(rows["first_before"])
        + ")"
    ).where(rows["amount_pence_before"] > 0, "")
    after = (
        gbp_series(rows["amount_pence_after"])
        + " paid after the fund ended on "
        + day_series(rows["fund_ends"])
        + " ("
        + rows["count_after"].astype("str")
        + " payment(s), the last on "
        + day_series(rows["last_after"])
        + ")"
    ).where(rows["amount_pence_after"] > 0, "")
    joiner = pd.Series(np.where((before != "") & (after != ""), "; ", ""), index=rows.index, dtype="str")
    message = before + joiner + after + "."
    hint = "Money cannot be carried between years: charge the payment to the year it belongs to, or reverse it."
    return found(rows, message, hint)


class RingfenceParams(RuleParams):
    tolerance: float = Field(
        default=0.0, ge=0, le=1, description="Share of the fund by which a split may be exceeded without a finding"
    )


def _limit(amount_pence: int, share: Decimal | None) -> float:
    """The most a share of the fund allows, in whole pence (inf when the fund sets no limit)."""
    if share is None:
        return math.inf
    return math.floor(Decimal(amount_pence) * share)


@rule("SPD003", "capital-revenue-ringfence", Severity.ERROR, RingfenceParams)
def capital_revenue_ringfence(context: RuleContext, params: RingfenceParams) -> pd.DataFrame:
    """Capital or revenue spend beyond the share of the fund its agreement allows.

    Why: some grants fix how much may be spent on capital (equipment, CCTV, target hardening) and how much on
    revenue (staff, activities) (docs/domain.md §4, SPD003).

    Fails when: a fund sets ``capital_share_max`` or ``revenue_share_max`` and the fund's net spend of that
    kind (each payment's own capital/revenue flag, else its line's) exceeds that share of the fund's amount
    by more than ``tolerance`` of the amount.

    Passes when: each kind of spend is within its share, or the fund sets no split.

    Parameters: ``tolerance`` (a share, 0–1, default 0); the fund conditions ``capital_share_max`` and
    ``revenue_share_max``.
    """
    spends = context.spends.merge(context.frames.lines[["line_id", "fund_id"]], on="line_id", how="inner")
    by_kind = spends.pivot_table(
        index="fund_id", columns="capital_revenue", values="net_pence", aggfunc="sum", fill_value=0
    ).reindex(columns=[kind.value for kind in CapitalRevenue], fill_value=0)
    funds = context.funds.join(by_kind, on="fund_id")
    found_frames = []
    for kind in CapitalRevenue:
        share = context.condition(funds, f"{kind.value}_share_max")
        limit = pd.Series(
            [_limit(amount, s) for amount, s in zip(funds["amount_pence"], share, strict=True)], index=funds.index
        )
        spent = funds[kind.value].fillna(0).astype("int64")
        slack = funds["amount_pence"] * params.tolerance
        mask = spent > limit + slack
        rows = funds[mask]
        if rows.empty:
            continue
        limit_pence = limit[mask].astype("int64")
        message = (
            gbp_series(spent[mask])
            + f" of {kind.value} spend is "
            + (spent[mask] / rows["amount_pence"].where(rows["amount_pence"] > 0, 1)).map(percent).astype("str")
            + " of the fund's "
            + gbp_series(rows["amount_pence"])
            + "; its agreement allows at most "
            + share[mask].map(percent).astype("str")
            + " ("
            + gbp_series(limit_pence)
            + ")."
        )
        hint = f"Recode spend that is not {kind.value} correctly, or charge the excess to another fund."
        found_frames.append(found(rows, message, hint, per_line=False))
    return pd.concat(found_frames, ignore_index=True) if found_frames else nothing()


class MatchShortParams(RuleParams):
    default_share: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Required match for funds whose conditions set none (None: only funds that set it)",
        json_schema_extra={"condition": "match_share"},
    )
    tolerance: Decimal = money_param("0.00", "A shortfall up to this much is accepted")


@rule("SPD004", "match-funding-short", Severity.WARNING, MatchShortParams)
def match_funding_short(context: RuleContext, params: MatchShortParams) -> pd.DataFrame:
    """Match funding (cash, plus in-kind hours at their rate) is below the share of the grant the fund
    requires.

    Why: Safer Streets requires match (round 4: a mandatory 50%); in Charnwood SS4's last two quarters were
    "delivered using matched funding and officer hours only" (docs/domain.md §2 SS4 and §4, SPD004).

    Fails when: the fund's ``match_share`` (or ``default_share``) times the grant spent to date is more than
    the match recorded by the as-at date, by more than ``tolerance``.

    Passes when: the match recorded covers the required share of the grant spent so far.

    Parameters: ``default_share`` (0–1, default none), overridden by the fund's ``match_share``;
    ``tolerance`` (£, default £0.00).

    Severity: warning while the fund runs (match often arrives late); error once the fund has ended.
    """
    funds = context.funds
    share = context.condition(funds, "match_share")
    if params.default_share is not None:
        share = share.where(share.notna(), Decimal(str(params.default_share)))
    funds = funds.assign(share=share)
    funds = funds[funds["share"].notna() & (funds["spent_pence"] > 0)]
    if funds.empty:
        return nothing()
    matches = context.frames.matches.groupby("fund_id")["value_pence"].sum()
    funds = funds.assign(matched=funds["fund_id"].map(matches).fillna(0).astype("int64"))
    required = pd.Series(
        [math.ceil(Decimal(int(spent)) * s) for spent, s in zip(funds["spent_pence"], funds["share"], strict=True)],
        index=funds.index,
        dtype="int64",
    )
    funds = funds.assign(required=required, short=required - funds["matched"])
    rows = funds[funds["short"] > pounds_to_pence(params.tolerance)]
    if rows.empty:
        return nothing()
    ended = rows["ends"] < context.today
    severity = pd.Series(np.where(ended, Severity.ERROR.value, Severity.WARNING.value), index=rows.index, dtype="str")
    message = (
        "Match of "
        + gbp_series(rows["matched"])
        + " is short of the "
        + rows["share"].map(percent).astype("str")
        + " required on "
        + gbp_series(rows["spent_pence"])
        + " of grant spent ("
        + gbp_series(rows["required"])
        + "): "
        + gbp_series(rows["short"])
        + " short."
    )
    hint = "Record the partners' cash and officer hours given as match, or agree a revised match with the funder."
    return found(rows, message, hint, severity, per_line=False)


class DoubleFundedParams(RuleParams):
    split_marker: str = Field(
        default="split",
        min_length=1,
        max_length=40,
        description="A word in a line's notes that records an explicit split between funds",
    )


@rule("SPD005", "double-funded", Severity.WARNING, DoubleFundedParams)
def double_funded(context: RuleContext, params: DoubleFundedParams) -> pd.DataFrame:
    """The same purpose is charged to two funds of one partnership over the same time, without an explicit
    split between them.

    Why: Domestic Abuse Act money is "kept separate from other DA budgets (no double funding)"
    (docs/domain.md §2 DAA and §4, SPD005).

    Fails when: two lines in different funds of the same partnership, with overlapping fund periods, have the
    same normalised description and the same delivery partner (or either partner is blank), and neither
    line's notes contain ``split_marker``.

    Passes when: the purposes differ, the periods do not overlap, or a line's notes record the split
    (e.g. "split 50/50 with DAA").

    Parameters: ``split_marker`` (text, default "split").

    Severity: warning: a shared purpose may be legitimate co-funding; the split has to be written down.
    """
    lines = context.lines
    if lines.empty:
        return nothing()
    keyed = lines.assign(
        purpose=normalise_text(lines["description"]),
        partner=normalise_text(lines["delivery_partner"]),
        split=lines["notes"].str.casefold().str.contains(params.split_marker.casefold(), regex=False),
    )[
        [
            "line_id",
            "fund_id",
            "partnership_id",
            "purpose",
            "partner",
            "split",
            "fund_starts",
            "fund_ends",
            "fund_code",
            "fund_year",
        ]
    ]
    keyed = keyed[keyed["purpose"] != ""]
    pairs = keyed.merge(keyed, on=["partnership_id", "purpose"], suffixes=("", "_other"))
    same_partner = (
        (pairs["partner"] == pairs["partner_other"]) | (pairs["partner"] == "") | (pairs["partner_other"] == "")
    )
    overlap = (pairs["fund_starts"] <= pairs["fund_ends_other"]) & (pairs["fund_starts_other"] <= pairs["fund_ends"])
    pairs = pairs[
        (pairs["fund_id"] != pairs["fund_id_other"]) & same_partner & overlap & ~pairs["split"] & ~pairs["split_other"]
    ]
    if pairs.empty:
        return nothing()
    pairs = pairs.sort_values(["line_id", "fund_code_other"]).drop_duplicates("line_id")
    rows = pairs.merge(lines[["line_id", "allocated_pence"]], on="line_id", how="left")
    if rows.empty:
        return nothing()
    message = (
        "The same purpose is also funded by "
        + rows["fund_code_other"]
        + " "
        + rows["fund_year_other"]
        + ", with no split between the funds recorded."
    )
    hint = "Record how the cost is split between the funds in the lines' notes, or charge it to one fund only."
    return found(rows, message, hint)


RULES = (overspent, outside_grant_period, capital_revenue_ringfence, match_funding_short, double_funded)
