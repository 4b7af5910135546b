"""CHG: changes to the budget after allocation — virements between lines (DOMAIN.md §4, CHG001)."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
from pydantic import Field

from grants.domain.enums import Severity
from rules.base import RuleParams, found, nothing, rule
from rules.context import RuleContext
from rules.text import day_series, gbp_series, percent


class VirementUnapprovedParams(RuleParams):
    threshold: float = Field(
        default=0.10,
        ge=0,
        le=1,
        description="Share of the line a virement may move without approval",
        json_schema_extra={"condition": "virement_threshold"},
    )


@rule("CHG001", "virement-unapproved", Severity.ERROR, VirementUnapprovedParams)
def virement_unapproved(context: RuleContext, params: VirementUnapprovedParams) -> pd.DataFrame:
    """Money moved between lines beyond the fund's threshold without a recorded approval.

    Why: allocations are agreed by the Strategic Group, so moving a significant part of one needs the same
    agreement; the 10% default is inferred (DOMAIN.md §1 and §4, CHG001).

    Fails when: a virement moves more than the threshold (the fund's ``virement_threshold``, else
    ``threshold``) of the line it leaves, and lacks ``approved_by`` or ``approved_on``. The line's size is its
    allocation before virements: its allocation now plus what has moved out of it, less what has moved in.

    Passes when: the virement is within the threshold, or its approval (who and when) is recorded.

    Parameters: ``threshold`` (share, 0–1, default 0.10), overridden by the fund's ``virement_threshold``.

    Severity: error: an unapproved change to an agreed budget.
    """
    virements = context.frames.virements
    if virements.empty:
        return nothing()
    moved_out = virements.groupby("from_line_id")["amount_pence"].sum()
    moved_in = virements.groupby("to_line_id")["amount_pence"].sum()
    lines = context.lines.set_index("line_id")
    descriptions = lines["description"]
    original = (
        lines["allocated_pence"]
        + lines.index.to_series().map(moved_out).fillna(0).astype("int64")
        - lines.index.to_series().map(moved_in).fillna(0).astype("int64")
    )
    frame = virements.assign(
        base=virements["from_line_id"].map(original).fillna(0).astype("int64"),
        conditions=virements["fund_id"].map(context.frames.funds.set_index("fund_id")["conditions"]),
        line_id=virements["from_line_id"],
    )
    fund_threshold = context.condition(frame.dropna(subset=["conditions"]), "virement_threshold")
    threshold = fund_threshold.reindex(frame.index).where(lambda s: s.notna(), Decimal(str(params.threshold)))
    allowed = pd.Series(
        [math.floor(Decimal(int(base)) * Decimal(t)) for base, t in zip(frame["base"], threshold, strict=True)],
        index=frame.index,
        dtype="int64",
    )
    unapproved = (frame["approved_by"].str.strip() == "") | frame["approved_on"].isna()
    mask = (frame["amount_pence"] > allowed) & unapproved
    rows = frame[mask]
    share = rows["amount_pence"] / rows["base"].where(rows["base"] > 0)
    share_text = share.map(lambda value: percent(value) if value == value else "all").astype("str")
    message = (
        gbp_series(rows["amount_pence"])
        + " moved on "
        + day_series(rows["moved_on"])
        + " to '"
        + rows["to_line_id"].map(descriptions).fillna("another line").astype("str")
        + "' is "
        + share_text
        + " of the line's "
        + gbp_series(rows["base"])
        + ", over the "
        + threshold[mask].map(percent).astype("str")
        + " that may move without approval, and no approval is recorded."
    )
    hint = "Record who approved the virement (e.g. the Strategic Group) and when, or reverse it."
    return found(rows, message, hint)


RULES = (virement_unapproved,)
