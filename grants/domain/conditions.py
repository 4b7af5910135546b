"""A fund's conditions: typed parameters that the compliance rules read.

Every field is optional or has the default the papers imply; a fund overrides
what its grant agreement says. Rules fall back to their own defaults where a
condition is unset.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from grants.domain.enums import ReturnCadence
from grants.domain.money import Pounds, format_gbp


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


CONDITION_LABELS: dict[str, str] = {
    "per_grant_cap": "Per-grant cap",
    "eligible_areas": "Eligible areas",
    "eligible_themes": "Eligible themes",
    "eligible_cohorts": "Eligible cohorts",
    "excluded_categories": "Excluded categories",
    "match_share": "Match required (share of grant)",
    "capital_share_max": "Capital at most (share of fund)",
    "revenue_share_max": "Revenue at most (share of fund)",
    "virement_threshold": "Virement threshold (share of a line)",
    "allocation_deadline": "Allocate everything by",
    "carry_over_allowed": "Spend may fall outside the grant period",
    "strategic_priority_required": "Every line needs a strategic priority",
    "priorities_apply": "Judged against the strategic priorities",
    "profile_expected": "Quarterly spending profile expected",
    "return_cadence": "Returns",
    "return_due_days": "Return due (days after period)",
    "monitoring_cadence_days": "Monitoring every (days)",
    "evidence_threshold": "Evidence needed from",
}
"""A plain name for each condition, in the order a page shows them."""


class ConditionOverride(BaseModel):
    """A fund's own value for one of its programme's conditions: why, who proposed it, who approved it, when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Any = Field(description="The value as stored (JSON form: a cap as text in pounds, a date as ISO)")
    reason: str = Field(min_length=1)
    by: str = Field(description="The account that proposed it")
    approved_by: str = Field(default="", description="The account that approved it")
    on: date


class ConditionOverrides(BaseModel):
    """A fund's overrides of its programme's conditions, by condition name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: dict[str, ConditionOverride] = Field(default_factory=dict)

    def without(self, names: set[str] | frozenset[str]) -> ConditionOverrides:
        return ConditionOverrides(fields={k: v for k, v in self.fields.items() if k not in names})

    def plus(self, more: dict[str, ConditionOverride]) -> ConditionOverrides:
        return ConditionOverrides(fields={**self.fields, **more})


def condition_names() -> tuple[str, ...]:
    return tuple(FundConditions.model_fields)


def stored_value(name: str, value: Any) -> Any:
    """``value`` for condition ``name`` validated and in its stored (JSON) form; a bad value raises
    ``ValueError`` naming the condition."""
    if name not in FundConditions.model_fields:
        known = ", ".join(FundConditions.model_fields)
        raise ValueError(f"there is no condition called {name!r} (known: {known})")
    return FundConditions.model_validate({name: value}).model_dump(mode="json")[name]


def effective_conditions(base: FundConditions, overrides: ConditionOverrides) -> FundConditions:
    """The conditions in force: ``base`` (a programme's) with the fund's overrides on top."""
    if not overrides.fields:
        return base
    values = base.model_dump(mode="json")
    values.update({name: item.value for name, item in overrides.fields.items()})
    return FundConditions.model_validate(values)


MONEY_CONDITIONS = frozenset({"per_grant_cap", "evidence_threshold"})
SHARE_CONDITIONS = frozenset({"match_share", "capital_share_max", "revenue_share_max", "virement_threshold"})


def condition_text(name: str, value: Any) -> str:
    """A condition's value as a person reads it: "£10,000.00", "50%", "NL62, NL65", "30/06/2026", "not set"."""
    if value is None:
        return "not set"
    if name in MONEY_CONDITIONS:
        return format_gbp(Decimal(str(value)))
    if name in SHARE_CONDITIONS:
        return f"{(Decimal(str(value)) * 100).normalize():f}%"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or ("none" if name == "excluded_categories" else "any")
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, ReturnCadence):
        return value.value.replace("_", " ")
    return str(value)


def same_value(name: str, first: Any, second: Any) -> bool:
    """Whether two values of condition ``name`` mean the same (0.1 and "0.1000" do)."""
    return bool(
        getattr(FundConditions.model_validate({name: first}), name)
        == getattr(FundConditions.model_validate({name: second}), name)
    )
