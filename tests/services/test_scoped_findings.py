"""Findings worked out fund by fund (one-fund rules per fund, cross-fund rules per partnership) are exactly the
findings of one whole check, so the app can recompute only the funds a write touched."""

from __future__ import annotations

from datetime import date

from grants.services import checking, usecase
from grants.services.access import local_operator
from grants.services.demo import load_demo
from grants.services.ledger import find_fund
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

OPERATOR = local_operator("t")
AS_AT = date(2026, 10, 1)


def _seen(found: object) -> list[tuple[object, ...]]:
    return sorted((f.code, f.fund_id, f.line_id or 0, f.message) for f in found)  # type: ignore[attr-defined]


def test_fund_by_fund_and_cross_fund_findings_together_are_the_whole_check(database: Database) -> None:
    load_demo(database)
    with UnitOfWork(database) as uow:
        funds = uow.funds.find()
        plf = find_fund(uow, "Charnwood Community Safety Partnership", "PLF", "2026/27")
        # the same purpose in two funds of one partnership: a cross-fund (SPD005) finding on each
        first = uow.lines.find(fund_id=plf.id)[0]
        other = next(f for f in funds if f.id != plf.id and f.year == "2026/27")
        uow.lines.add(first.model_copy(update={"id": None, "fund_id": other.id, "version": 1, "notes": ""}))
        uow.commit()
    fund_ids = [f.id or 0 for f in funds]
    partnership_ids = sorted({f.partnership_id for f in funds})
    local, cross = usecase.read(database, OPERATOR, checking.scoped_findings, fund_ids, partnership_ids, as_at=AS_AT)
    together = [f for found in local.values() for f in found] + [f for found in cross.values() for f in found]
    whole = usecase.read(database, OPERATOR, checking.run_checks, as_at=AS_AT)
    assert _seen(together) == _seen(whole)
    assert any(f.code == "SPD005" for found in cross.values() for f in found)
    assert not any(f.code in checking.CROSS_FUND_RULES for found in local.values() for f in found)
