"""Compliance checking as a use case: load the ledger's frames, run every rule, return the findings."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from grants.services.access import Principal, check_fund, require_read, visible_partnerships
from grants.services.finding_review import settle
from grants.services.ledger_frames import load_frames
from grants.services.period_lock import adjustment_findings
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from rules.findings import Finding
from rules.registry import REGISTRY, Registry
from rules.runner import ParamOverrides, run_rules


def run_checks(
    uow: UnitOfWork,
    principal: Principal,
    *,
    as_at: date,
    partnership_id: int | None = None,
    fund_id: int | None = None,
    fund_code: str | None = None,
    year: str | None = None,
    registry: Registry = REGISTRY,
    params: ParamOverrides | None = None,
    include_settled: bool = False,
) -> list[Finding]:
    """The open findings on the funds the principal may see (one partnership, one fund, or filtered), in rule
    order: without ``include_settled``, accepted findings and those on a closed year are left out
    (:mod:`grants.services.finding_review`).

    ``fund_code`` and ``year`` filter further (any partnership's fund of that code). The ledger is read as it
    stood at ``as_at``.
    """
    names = {p.id: p.name for p in uow.partnerships.find()}
    visible = visible_partnerships(principal)
    partnership = None
    if fund_id is not None:
        check_fund(uow, principal, fund_id)
        fund = uow.funds.get(fund_id)
        partnership, fund_code, year = names[fund.partnership_id], fund.code, fund.year
    elif partnership_id is not None:
        require_read(principal, partnership_id)
        partnership = names[partnership_id]
    elif visible is not None and len(visible) == 1:
        (only,) = visible
        partnership = names.get(only)
    found = ledger_findings(
        uow.database,
        partnership=partnership,
        fund_code=fund_code,
        year=year,
        as_at=as_at,
        registry=registry,
        params=params,
    )
    allowed = None if visible is None else {names[i] for i in visible if i in names}
    seen = [f for f in found if allowed is None or f.partnership in allowed]
    funds = [f for f in uow.funds.find() if allowed is None or names.get(f.partnership_id) in allowed]
    seen += adjustment_findings(
        uow,
        [
            f.id
            for f in funds
            if f.id is not None
            and (partnership is None or names.get(f.partnership_id) == partnership)
            and (fund_code is None or f.code.upper() == fund_code.upper())
            and (year is None or f.year == year)
        ],
    )
    return seen if include_settled else settle(uow, seen, as_at).open


def ledger_findings(
    database: Database,
    *,
    partnership: str | None = None,
    fund_code: str | None = None,
    year: str | None = None,
    as_at: date,
    registry: Registry = REGISTRY,
    params: ParamOverrides | None = None,
) -> list[Finding]:
    """Every rule's findings for the funds matching the filters, as the ledger stood at ``as_at``.

    The computation behind :func:`run_checks` and the reports' findings, which check permission first.
    """
    with paused_gc():
        frames = load_frames(database, partnership=partnership, fund_code=fund_code, year=year, as_at=as_at)
        return run_rules(frames, as_at=as_at, registry=registry, params=params)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while a check builds its frames and findings.

    A county check creates a few hundred thousand long-lived rows, arrays and findings, none of them in
    reference cycles; the collector's repeated full passes over them cost about a sixth of the run.
    Reference counting still frees everything as usual; the collector runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
