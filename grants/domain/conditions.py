"""A fund's conditions: typed parameters that the compliance rules read.

Every field is optional or has the default the papers imply; a fund overrides
what its grant agreement says. Rules fall back to their own defaults where a
condition is unset.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from grants.domain.enums import ReturnCadence
from grants.domain.money import Pounds


class FundConditions(BaseModel):
    """What a fund's agreement requires of the lines it pays for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_grant_cap: Pounds | None = Field(default=None, description="Largest allocation to one line (CSF: £10,000)")
    eligible_areas: tuple[str, ...] = Field(default=(), description="Beats a line may serve; empty means any")
    eligible_themes: tuple[str, ...] = Field(default=(), description="Themes a line may have; empty means any")
    eligible_cohorts: tuple[str, ...] = Field(default=(), description="Cohorts a line may serve; empty means any")
    excluded_categories: tuple[str, ...] = Field(default=(), description="Themes or categories the fund never pays")
    match_share: Decimal | None = Field(
        default=None, ge=0, le=1, description="Required match as a share of the grant (Safer Streets: 0.5)"
    )
    capital_share_max: Decimal | None = Field(
        default=None, ge=0, le=1, description="Largest share of the fund that may be capital spend"
    )
    revenue_share_max: Decimal | None = Field(
        default=None, ge=0, le=1, description="Largest share of the fund that may be revenue spend"
    )
    virement_threshold: Decimal = Field(
        default=Decimal("0.10"), ge=0, le=1, description="Share of a line that may move without approval"
    )
    allocation_deadline: date | None = Field(default=None, description="Date by which all money must be allocated")
    carry_over_allowed: bool = Field(default=False, description="Whether spend may fall outside the grant period")
    strategic_priority_required: bool = Field(default=False, description="A line without a priority is an error")
    priorities_apply: bool = Field(
        default=True,
        description="Lines are judged against the partnership's strategic priorities (a themed grant round is "
        "judged against its own themes instead)",
    )
    profile_expected: bool = Field(
        default=True,
        description="Lines are expected to follow a quarterly spending profile (small grants report through "
        "monitoring instead)",
    )
    return_cadence: ReturnCadence = ReturnCadence.SIX_MONTHLY
    return_due_days: int | None = Field(
        default=None,
        ge=0,
        le=366,
        description="Days after a period's end that its return is due; unset: the end of the next month "
        "(OPCC: H1 due 31 October, H2 due 30 April)",
    )
    monitoring_cadence_days: int | None = Field(
        default=None, ge=1, le=366, description="Days between a grantee's monitoring reports"
    )
    evidence_threshold: Pounds | None = Field(default=None, description="Lines of this size need outcome evidence")
