"""Programmes: a funder's conditions for a funding stream and year, which its funds inherit.

A :class:`Programme` is one funder's stream for one year (the OPCC's PLF for 2026/27), holding the
conditions the funder sets once. Each partnership's fund of that stream and year joins it and inherits
them; a fund may override a condition with a recorded reason, who proposed it and who approved it
(:class:`~grants.domain.conditions.ConditionOverride`). The conditions in force are computed by one
function (:func:`grants.domain.conditions.effective_conditions`); where each comes from by another
(:func:`condition_sources`).

A :class:`ConditionChange` is a manager's proposal to change a fund's conditions (its own, or an
override of its programme's): nothing changes until the Strategic Group approves it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator

from grants.domain.calendar import FinancialYear
from grants.domain.conditions import FundConditions
from grants.domain.models import Entity, Fund

DEFAULTS = FundConditions()


class Programme(Entity):
    """A funder's funding stream for one year, and the conditions its funds inherit."""

    funder_id: int
    code: str = Field(min_length=1, max_length=40)
    year: str = Field(description='Financial year label, "2026/27"')
    name: str = Field(min_length=1, max_length=200)
    conditions: FundConditions = FundConditions()

    @field_validator("year")
    @classmethod
    def _year_is_a_financial_year(cls, value: str) -> str:
        return FinancialYear.parse(value).label


class ChangeStatus(StrEnum):
    """A proposed change of a fund's conditions changes nothing until the Strategic Group approves it."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class ConditionChange(Entity):
    """A proposal to change a fund's conditions: new values (``changes``, stored form) and, for a fund in a
    programme, conditions to take from the programme again (``inherit``)."""

    fund_id: int
    changes: dict[str, Any] = Field(default_factory=dict)
    inherit: tuple[str, ...] = ()
    override: bool = Field(default=False, description="The changes override the fund's programme")
    reason: str = Field(min_length=1)
    proposed_by: str
    proposed_on: date
    status: ChangeStatus = ChangeStatus.PROPOSED
    decided_by: str = ""
    decided_on: date | None = None
    decision_reason: str = ""


def _is_default(name: str, conditions: FundConditions) -> bool:
    return bool(getattr(conditions, name) == getattr(DEFAULTS, name))


def condition_sources(fund: Fund, programme: Programme | None, funder: str) -> dict[str, str]:
    """Where each of the fund's conditions comes from, by condition name.

    "override: REASON — proposed by A, approved by B on DATE" for a fund's override; "programme NAME
    (FUNDER)" for what its programme sets; "this fund" for a fund's own condition outside a programme;
    "default" for a condition nobody has set.
    """
    found: dict[str, str] = {}
    for name in FundConditions.model_fields:
        override = fund.condition_overrides.fields.get(name) if programme is not None else None
        if override is not None:
            approved = f", approved by {override.approved_by}" if override.approved_by else ""
            found[name] = f"override: {override.reason} — proposed by {override.by}{approved} on {override.on:%d/%m/%Y}"
        elif programme is not None:
            if _is_default(name, programme.conditions):
                found[name] = "default"
            else:
                found[name] = f"programme {programme.name} ({funder})" if funder else f"programme {programme.name}"
        else:
            found[name] = "default" if _is_default(name, fund.conditions) else "this fund"
    return found
