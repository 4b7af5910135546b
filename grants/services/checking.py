"""Compliance checking as a use case: load the ledger's frames, run every rule, return the findings."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from grants.services.access import Principal, check_fund, require_read, visible_partnerships
from grants.services.ledger_frames import load_frames
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
) -> list[Finding]:
    """The findings on the funds the principal may see (one partnership, one fund, or filtered), in rule order.

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
    return [f for f in found if allowed is None or f.partnership in allowed]


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


CROSS_FUND_RULES = frozenset({"SPD005"})
"""The rules whose finding on one fund depends on another fund's lines: SPD005 (double funded) compares the
lines of every fund of a partnership. Every other rule looks at one fund at a time, so its findings on a
fund change only when that fund does."""


def scoped_findings(
    uow: UnitOfWork,
    principal: Principal,
    fund_ids: Sequence[int],
    partnership_ids: Sequence[int],
    *,
    as_at: date,
) -> tuple[dict[int, list[Finding]], dict[int, list[Finding]]]:
    """The one-fund rules' findings on each of ``fund_ids``, and the cross-fund rules' findings on each of
    ``partnership_ids`` (over all of its funds), as at ``as_at``; all of them readable by the principal.

    For each fund, its one-fund findings and its partnership's cross-fund findings about it are exactly the
    findings :func:`run_checks` gives on it, so a cache can keep them apart and recompute only what a write
    touched: the fund written to, and its partnership's cross-fund rules (which read the funds' lines only).
    """
    for fund_id in fund_ids:
        check_fund(uow, principal, fund_id)
    for partnership_id in partnership_ids:
        require_read(principal, partnership_id)
    partner_of = {fund.id: fund.partnership_id for fund in uow.funds.find(partnership_id=list(partnership_ids))}
    local: dict[int, list[Finding]] = {fund_id: [] for fund_id in fund_ids}
    cross: dict[int, list[Finding]] = {partnership_id: [] for partnership_id in partnership_ids}
    with paused_gc():
        if fund_ids:
            frames = load_frames(uow.database, as_at=as_at, fund_ids=fund_ids)
            one_fund = REGISTRY.only(code for code in REGISTRY.codes if code not in CROSS_FUND_RULES)
            for finding in run_rules(frames, as_at=as_at, registry=one_fund):
                if finding.fund_id in local:
                    local[finding.fund_id].append(finding)
                elif finding.fund_id is None:  # a rule that could not run: shown once, on the first fund
                    local[fund_ids[0]].append(finding)
        if partner_of:  # the cross-fund rules compare lines only: no spend is read for them
            everyone = sorted(f for f in partner_of if f)
            frames = load_frames(uow.database, as_at=as_at, fund_ids=everyone, lines_only=True)
            for finding in run_rules(frames, as_at=as_at, registry=REGISTRY.only(sorted(CROSS_FUND_RULES))):
                partnership = partner_of.get(finding.fund_id) if finding.fund_id is not None else partnership_ids[0]
                if partnership in cross:
                    cross[partnership].append(finding)
    return local, cross
