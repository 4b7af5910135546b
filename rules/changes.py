"""CHG: changes to the budget after allocation — virements between lines (docs/domain.md §4, CHG001)."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
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


def cumulative_moves(virements: pd.DataFrame, lines: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """For each pending virement: the line's size before any move out of it, and everything moving out of it
    (approved, plus pending up to and including this one) — the threshold judges the cumulative movement.
    """
    out = virements.sort_values("virement_id")
    approved = out[out["status"] == "approved"].groupby("from_line_id")["amount_pence"].sum()
    pending = out[out["status"] == "proposed"]
    pending_so_far = pending.groupby("from_line_id")["amount_pence"].cumsum()
    approved_out = lookup(pending["from_line_id"], approved).fillna(0).astype("int64")
    allocated = lookup(pending["from_line_id"], lines.set_index("line_id")["allocated_pence"]).fillna(0)
    base = (allocated + approved_out).astype("int64")
    return base, (approved_out + pending_so_far).astype("int64")


@rule("CHG001", "virement-unapproved", Severity.WARNING, VirementUnapprovedParams)
def virement_awaiting_decision(context: RuleContext, params: VirementUnapprovedParams) -> pd.DataFrame:
    """A proposed virement is waiting for the Strategic Group; beyond the fund's threshold it is an error.

    Why: allocations are agreed by the Strategic Group, so moving money between lines needs the same
    agreement. A proposed virement moves nothing until it is approved; until then the allocations grid, the
    budget pack and the return list it as pending and this finding reports it. The threshold (10% by default,
    inferred: docs/domain.md §1 and §4) judges the cumulative movement out of a line, so a large move cannot be
    split into small ones.

    Fails when: a virement proposed by the as-at date is neither approved nor rejected by then. Error when
    everything moving out of its line (approved, plus pending up to this one) is more than the threshold
    (the fund's ``virement_threshold``, else ``threshold``) of the line's size before any move; warning
    otherwise.

    Passes when: every virement is approved or rejected.

    Parameters: ``threshold`` (share, 0–1, default 0.10), overridden by the fund's ``virement_threshold``.

    Severity: warning; error beyond the threshold.
    """
    virements = context.frames.virements
    pending = virements[virements["status"] == "proposed"] if not virements.empty else virements
    if pending.empty:
        return nothing()
    base, moving = cumulative_moves(virements, context.frames.lines)
    frame = pending.assign(
        base=base,
        moving=moving,
        conditions=lookup(pending["fund_id"], context.frames.funds.set_index("fund_id")["conditions"]),
        line_id=pending["from_line_id"],
    )
    descriptions = context.frames.lines.set_index("line_id")["description"]
    fund_threshold = context.condition(frame, "virement_threshold", explicit=True)
    threshold = fund_threshold.where(fund_threshold.notna(), Decimal(str(params.threshold)))
    allowed = pd.Series(
        [math.floor(Decimal(int(b)) * Decimal(t)) for b, t in zip(frame["base"], threshold, strict=True)],
        index=frame.index,
        dtype="int64",
    )
    beyond = frame["moving"] > allowed
    share = frame["moving"] / frame["base"].where(frame["base"] > 0)
    share_text = share.map(lambda value: percent(value) if value == value else "all").astype("str")
    message = (
        gbp_series(frame["amount_pence"])
        + " proposed on "
        + day_series(frame["moved_on"])
        + " to move to '"
        + frame["to_line_id"].map(descriptions).fillna("another line").astype("str")
        + "' is waiting for the Strategic Group; with it, "
        + share_text
        + " of the line's "
        + gbp_series(frame["base"])
        + " would move"
        + beyond.map({True: ", over the threshold.", False: "."}).astype("str")
    )
    severity = pd.Series(np.where(beyond, Severity.ERROR.value, Severity.WARNING.value), index=frame.index, dtype="str")
    hint = "Ask the Strategic Group to approve or reject the virement; nothing moves until it does."
    return found(frame, message, hint, severity)


RULES = (virement_awaiting_decision,)
