"""CHG: changes to the budget after allocation — virements between lines (docs/domain.md §4, CHG001)."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
from pydantic import Field

from grants.domain.enums import Severity
from rules.base import RuleParams, found, nothing, rule
from rules.context import RuleContext, lookup
from rules.text import day_series, gbp_series, percent


class VirementUnapprovedParams(RuleParams):
    threshold: float = Field(
        default=0.10,
        ge=0,
        le=1,
        description="Share of the line a virement may move without approval",
        json_schema_extra={"condition": "virement_threshold"},
    )


def allocation_before(virements: pd.DataFrame, lines: pd.DataFrame) -> pd.Series:
    """Each virement's source-line allocation just before it moved (the ledger moves allocations).

    The allocation now, plus every later-or-same move out of the line, less every later-or-same move in,
    ordered by date and id: a suffix sum per line, computed with one groupby.
    """
    key = ["line_id", "moved_on", "virement_id"]
    out = virements.assign(line_id=virements["from_line_id"], delta=virements["amount_pence"], is_out=True)
    into = virements.assign(line_id=virements["to_line_id"], delta=-virements["amount_pence"], is_out=False)
    events = pd.concat([out, into], ignore_index=True).sort_values([*key, "is_out"], ascending=False)
    events["later"] = events.groupby("line_id")["delta"].cumsum()
    before = events[events["is_out"]].set_index("virement_id")["later"]
    allocated = lookup(virements["from_line_id"], lines.set_index("line_id")["allocated_pence"]).fillna(0)
    return (allocated + lookup(virements["virement_id"], before)).astype("int64")


@rule("CHG001", "virement-unapproved", Severity.ERROR, VirementUnapprovedParams)
def virement_unapproved(context: RuleContext, params: VirementUnapprovedParams) -> pd.DataFrame:
    """Money moved between lines beyond the fund's threshold without a recorded approval.

    Why: allocations are agreed by the Strategic Group, so moving a significant part of one needs the same
    agreement; the 10% default is inferred (docs/domain.md §1 and §4, CHG001).

    Fails when: a virement moves more than the threshold (the fund's ``virement_threshold``, else
    ``threshold`` when the fund sets none) of the line it leaves, and lacks ``approved_by`` or
    ``approved_on``. The line's size is its allocation just before the move (the ledger moves allocations
    with each virement), as the ledger's own virement check judges it.

    Passes when: the virement is within the threshold, or its approval (who and when) is recorded.

    Parameters: ``threshold`` (share, 0–1, default 0.10), overridden by the fund's ``virement_threshold``.

    Severity: error: an unapproved change to an agreed budget.
    """
    virements = context.frames.virements
    if virements.empty:
        return nothing()
    frame = virements.assign(
        base=allocation_before(virements, context.frames.lines),
        conditions=lookup(virements["fund_id"], context.frames.funds.set_index("fund_id")["conditions"]),
        line_id=virements["from_line_id"],
    )
    descriptions = context.frames.lines.set_index("line_id")["description"]
    fund_threshold = context.condition(frame, "virement_threshold", explicit=True)
    threshold = fund_threshold.where(fund_threshold.notna(), Decimal(str(params.threshold)))
    allowed = pd.Series(
        [math.floor(Decimal(int(base)) * Decimal(t)) for base, t in zip(frame["base"], threshold, strict=True)],
        index=frame.index,
        dtype="int64",
    )
    unapproved = (frame["approved_by"].str.strip() == "") | frame["approved_on"].isna()
    mask = (frame["amount_pence"] > allowed) & unapproved
    rows = frame[mask]
    if rows.empty:
        return nothing()
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
