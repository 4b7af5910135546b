"""Finding and creating partnerships and funds by name (the figures are in ``grants.services.fund_figures``)."""

from __future__ import annotations

from decimal import Decimal

from grants.domain.calendar import FinancialYear
from grants.domain.errors import NotFound
from grants.domain.models import Fund, Funder, Partnership
from grants.domain.streams import stream_for
from grants.services.programmes import programme_for_new_fund
from grants.storage.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")


def find_partnership(uow: UnitOfWork, name: str) -> Partnership:
    found = uow.partnerships.first(name=name)
    if found is None:
        known = ", ".join(p.name for p in uow.partnerships.find()) or "none yet"
        raise NotFound(f"no partnership called {name!r} (known: {known})")
    return found


def find_fund(uow: UnitOfWork, partnership: str, code: str, year: str) -> Fund:
    """The fund ``code`` of ``partnership`` for ``year``, or a NotFound naming what exists."""
    owner = find_partnership(uow, partnership)
    label = FinancialYear.parse(year).label
    fund = uow.funds.first(partnership_id=owner.id, code=code.upper(), year=label)
    if fund is None:
        known = ", ".join(f"{f.code} {f.year}" for f in uow.funds.find(partnership_id=owner.id)) or "none yet"
        raise NotFound(f"{partnership} has no fund {code.upper()} for {label} (known: {known})")
    return fund


def ensure_partnership(uow: UnitOfWork, name: str) -> Partnership:
    found = uow.partnerships.first(name=name)
    return found if found is not None else uow.partnerships.add(Partnership(name=name))


def ensure_fund(uow: UnitOfWork, partnership: str, code: str, year: str) -> tuple[Fund, bool]:
    """The fund, created with its stream's name, funder and conditions if new; and whether it was new.

    A new fund joins its funder's programme for that stream and year if there is one, and takes its conditions
    (:mod:`grants.services.programmes`); otherwise it starts with the stream's default conditions.
    """
    owner = ensure_partnership(uow, partnership)
    fy = FinancialYear.parse(year)
    existing = uow.funds.first(partnership_id=owner.id, code=code.upper(), year=fy.label)
    if existing is not None:
        return existing, False
    stream = stream_for(code)
    funder_id = None
    if stream.funder:
        funder = uow.funders.first(name=stream.funder) or uow.funders.add(Funder(name=stream.funder))
        funder_id = funder.id
    assert owner.id is not None
    programme = programme_for_new_fund(uow, funder_id, stream.code, fy.label)
    fund = Fund(
        code=stream.code,
        name=stream.name,
        partnership_id=owner.id,
        funder_id=funder_id,
        year=fy.label,
        starts=fy.start,
        ends=fy.end,
        aliases=stream.aliases,
        conditions=stream.default_conditions(fy) if programme is None else programme.conditions,
        programme_id=None if programme is None else programme.id,
    )
    return uow.funds.add(fund), True
