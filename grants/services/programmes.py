"""Programmes: a funder sets a stream's conditions for a year once, and every fund in it inherits them.

* :func:`set_programme`: the funder's officer (of that funder, or of one above it in the chain) or the local
  operator creates or changes a programme's conditions. The change applies at once (the funder is the
  authority for its own conditions) and, in the same transaction, every member fund's conditions in force
  are recomputed (audited fund by fund), so the next check reads them. A new programme starts from its
  stream's default conditions (:mod:`grants.domain.streams`).
* A fund joins a programme when it is created (:func:`programme_for_new_fund`, called by
  ``grants.services.ledger.ensure_fund``), or by :func:`join_programme` (the funder or the local operator).
* The conditions a rule reads stay in ``funds.conditions``: the programme's conditions with the fund's
  approved overrides on top (:func:`grants.domain.conditions.effective_conditions`). A fund without a
  programme keeps its own conditions as before.

A funder's officer changes no partnership's ledger: :func:`grants.services.access.require_write` refuses them.
Anyone signed in may read a programme's conditions (they are the funder's published terms); the member funds
listed are those the reader may see. A member fund in a closed year refuses the change like any other write
to it (the whole change is refused, naming the fund), so a closed year keeps the conditions it was judged by.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from grants.domain.calendar import FinancialYear
from grants.domain.conditions import CONDITION_LABELS, MONEY_CONDITIONS, FundConditions, effective_conditions
from grants.domain.errors import NotFound, RuleViolation
from grants.domain.models import Fund
from grants.domain.programmes import Programme, condition_sources
from grants.domain.streams import stream_for
from grants.services.access import Principal, check_fund, funder_and_below, require_funder, visible_partnerships
from grants.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ConditionRow:
    """One condition of a fund as a page or command shows it: its name, value and where it comes from."""

    name: str
    label: str
    value: Any
    source: str


@dataclass(frozen=True)
class ProgrammeView:
    programme: Programme
    funder: str
    members: list[tuple[str, Fund]]
    """(partnership name, fund) for the member funds the principal may see."""


def funder_id(uow: UnitOfWork, principal: Principal, name: str) -> int:
    """The id of the funder called ``name``, or a NotFound naming those known."""
    found = uow.funders.first(name=name.strip())
    if found is None or found.id is None:
        known = ", ".join(f.name for f in uow.funders.find()) or "none yet"
        raise NotFound(f"no funder called {name!r} (known: {known})")
    return found.id


def programme_of(uow: UnitOfWork, principal: Principal, funder: int, code: str, year: str) -> Programme:
    label = FinancialYear.parse(year).label
    found = uow.programmes.first(funder_id=funder, code=code.strip().upper(), year=label)
    if found is None:
        name = uow.funders.get(funder).name
        raise NotFound(f"{name} has no programme {code.strip().upper()} for {label} (set one with 'programme set')")
    return found


def validated_conditions(values: Mapping[str, Any]) -> FundConditions:
    """Conditions from ``values``, refusing what pydantic lets through but no agreement means (a negative cap)."""
    conditions = FundConditions.model_validate(dict(values))
    for name in MONEY_CONDITIONS:
        amount = getattr(conditions, name)
        if amount is not None and amount <= 0:
            raise RuleViolation(f"{CONDITION_LABELS[name].lower()} must be more than £0.00 (or not set)")
    return conditions


def set_programme(
    uow: UnitOfWork,
    principal: Principal,
    *,
    funder: int,
    code: str,
    year: str,
    name: str = "",
    changes: Mapping[str, Any] | None = None,
) -> tuple[Programme, list[Fund]]:
    """Create or change a funder's programme; returns it and the member funds whose conditions changed."""
    require_funder(uow, principal, funder)
    code = code.strip().upper()
    if not code:
        raise RuleViolation("a programme needs a stream code, e.g. PLF")
    fy = FinancialYear.parse(year)
    changes = dict(changes or {})
    unknown = sorted(set(changes) - set(FundConditions.model_fields))
    if unknown:
        raise RuleViolation(
            f"there is no condition called {', '.join(unknown)} (known: {', '.join(FundConditions.model_fields)})"
        )
    existing = uow.programmes.first(funder_id=funder, code=code, year=fy.label)
    base = existing.conditions if existing is not None else stream_for(code).default_conditions(fy)
    conditions = validated_conditions({**base.model_dump(), **changes})
    if existing is None:
        programme = uow.programmes.add(
            Programme(
                funder_id=funder,
                code=code,
                year=fy.label,
                name=name.strip() or f"{stream_for(code).name} {fy.label}",
                conditions=conditions,
            )
        )
    else:
        assert existing.id is not None
        renamed = {"name": name.strip()} if name.strip() else {}
        programme = uow.programmes.update(existing.id, None, conditions=conditions, **renamed)
    return programme, refresh_members(uow, programme)


def refresh_members(uow: UnitOfWork, programme: Programme) -> list[Fund]:
    """Recompute the conditions in force of every fund in ``programme``; the funds that changed."""
    changed = []
    for fund in uow.funds.find(programme_id=programme.id):
        updated = refresh_fund(uow, fund, programme)
        if updated is not None:
            changed.append(updated)
    return changed


def refresh_fund(uow: UnitOfWork, fund: Fund, programme: Programme) -> Fund | None:
    """Store the fund's conditions in force (its programme's with its overrides); the fund if they changed."""
    effective = effective_conditions(programme.conditions, fund.condition_overrides)
    if effective == fund.conditions:
        return None
    assert fund.id is not None
    return uow.funds.update(fund.id, None, conditions=effective)


def _related(uow: UnitOfWork, fund_funder: int | None, programme_funder: int) -> bool:
    """Whether the fund's money can come through the programme's funder (same funder, or along its chain)."""
    if fund_funder is None:
        return True
    return programme_funder in funder_and_below(uow, fund_funder) or fund_funder in funder_and_below(
        uow, programme_funder
    )


def programme_for_new_fund(uow: UnitOfWork, funder: int | None, code: str, year: str) -> Programme | None:
    """The programme a new fund of ``code`` and ``year`` joins: its own funder's, else the one programme of a
    funder along its funder's chain (the OPCC's Safer Streets for Home Office money); None if none or unclear."""
    candidates = uow.programmes.find(code=code.upper(), year=FinancialYear.parse(year).label)
    own = [p for p in candidates if p.funder_id == funder]
    if own:
        return own[0]
    related = [p for p in candidates if _related(uow, funder, p.funder_id)]
    return related[0] if len(related) == 1 else None


def join_programme(uow: UnitOfWork, principal: Principal, *, fund_id: int, programme_id: int | None = None) -> Fund:
    """Put an existing fund in a programme (by default the one a new fund of its stream and year would join):
    from now on it inherits the programme's conditions, with any overrides it has. The programme's funder or
    the local operator does this."""
    fund = uow.funds.get(fund_id)
    label = f"{fund.code} {fund.year}"
    if programme_id is None:
        found = programme_for_new_fund(uow, fund.funder_id, fund.code, fund.year)
        if found is None or found.id is None:
            raise NotFound(f"no funder's programme for {label} to join (name the funder, or set one first)")
        programme_id = found.id
    programme = uow.programmes.get(programme_id)
    require_funder(uow, principal, programme.funder_id)
    if (fund.code, fund.year) != (programme.code, programme.year):
        raise RuleViolation(f"{label} cannot join the programme {programme.name}: it is for {programme.code} "
                            f"{programme.year}")  # fmt: skip
    if not _related(uow, fund.funder_id, programme.funder_id):
        raise RuleViolation(f"{label}'s money does not come through the funder of {programme.name}")
    if fund.programme_id == programme_id:
        raise RuleViolation(f"{label} is already in the programme {programme.name}")
    assert fund.id is not None
    joined = uow.funds.update(fund.id, None, programme_id=programme_id)
    return refresh_fund(uow, joined, programme) or joined


def fund_conditions(uow: UnitOfWork, principal: Principal, fund_id: int) -> list[ConditionRow]:
    """The fund's conditions in force, each with where it comes from."""
    check_fund(uow, principal, fund_id)
    fund = uow.funds.get(fund_id)
    programme = uow.programmes.get(fund.programme_id) if fund.programme_id is not None else None
    funder = uow.funders.get(programme.funder_id).name if programme is not None else ""
    sources = condition_sources(fund, programme, funder)
    values = fund.conditions.model_dump()
    return [ConditionRow(name, CONDITION_LABELS.get(name, name), values[name], sources[name]) for name in sources]


def programme_view(uow: UnitOfWork, principal: Principal, programme_id: int) -> ProgrammeView:
    """A programme, its funder's name and the member funds the principal may see."""
    programme = uow.programmes.get(programme_id)
    visible = visible_partnerships(principal)
    names = {p.id: p.name for p in uow.partnerships.find()}
    members = [
        (names[f.partnership_id], f)
        for f in uow.funds.find(programme_id=programme_id)
        if visible is None or f.partnership_id in visible
    ]
    return ProgrammeView(programme, uow.funders.get(programme.funder_id).name, members)
