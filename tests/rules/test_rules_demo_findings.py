"""The demo's findings help: fewer, by the kind of each fund, and no real problem hidden."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from grants.services import usecase, year_close
from grants.services.access import local_operator
from grants.services.demo import load_demo
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.ops import run_checks

TODAY = date(2026, 11, 29)
BEFORE = 118
"""The demo's findings on this day before each kind of fund was judged by its own conditions."""


def test_the_2017_18_fund_raises_no_late_return(database: Database) -> None:
    load_demo(database)
    findings = run_checks(database, fund_code="PLF", year="2017/18", as_at=TODAY)
    assert findings
    assert [f.message for f in findings if f.code == "RPT001"] == []


def test_people_zone_grants_are_not_judged_against_priorities_or_a_quarterly_profile(database: Database) -> None:
    load_demo(database)
    findings = run_checks(database, fund_code="PZ-BF", year="2026/27", as_at=TODAY)
    codes = Counter(f.code for f in findings)
    assert not {"ALC004", "PRF003", "PRF005", "ALC002"} & set(codes), codes
    assert codes["EVD003"] == 7, "monthly monitoring reports are still followed"


def test_fewer_findings_and_every_real_problem_still_raised(database: Database) -> None:
    load_demo(database)
    findings = run_checks(database, as_at=TODAY)
    # Judging People Zone by its own conditions removes 16 findings, the 2017/18 returns sent 2 more.
    assert len(findings) <= BEFORE - 15
    where = {(f.code, f.fund, f.year, f.severity.value) for f in findings}
    assert ("SPD001", "PLF", "2026/27", "error") in where, "the overspent CCTV line"
    assert ("PRF001", "PLF", "2026/27", "error") in where, "red lines behind profile"
    assert ("PRF001", "SS", "2026/27", "error") in where
    assert ("RPT001", "PLF", "2026/27", "error") in where, "an overdue return"
    assert ("RPT001", "SS", "2026/27", "error") in where
    assert ("ALC004", "PLF", "2026/27", "error") in where, "a current Locality Fund line with no priority"
    assert ("EVD003", "PZ-BF", "2026/27", "warning") in where


def test_a_balance_mismatch_is_still_raised_on_the_demo(database: Database) -> None:
    load_demo(database)
    with UnitOfWork(database, actor="test") as uow:
        fund = next(f for f in uow.funds.find(code="PLF") if f.year == "2017/18")
        line = next(line for line in uow.lines.find(fund_id=fund.id) if line.description == "Mediation")
        assert line.id is not None
        uow.lines.update(line.id, line.version, reported_balance=Decimal("4900.00"))
        uow.commit()
    findings = run_checks(database, fund_code="PLF", year="2017/18", as_at=TODAY)
    assert [f.line for f in findings if f.code == "DAT001"] == ["Mediation"]


def test_closing_2017_18_leaves_fewer_than_half_and_hides_no_real_problem(database: Database) -> None:
    load_demo(database)
    with UnitOfWork(database, actor="test") as uow:
        (charnwood,) = uow.partnerships.find()
        assert charnwood.id is not None
        partnership_id = charnwood.id
    usecase.perform(
        database, local_operator(), year_close.close_year, partnership_id, "2017/18", on=TODAY, reason="All sent"
    )
    findings = run_checks(database, as_at=TODAY)
    assert [f for f in findings if f.year == "2017/18"] == []
    assert len(findings) < BEFORE / 2
    where = {(f.code, f.fund, f.year, f.severity.value) for f in findings}
    for kept in (
        ("SPD001", "PLF", "2026/27", "error"),  # an overspend
        ("PRF001", "PLF", "2026/27", "error"),  # red lines
        ("RPT001", "SS", "2026/27", "error"),  # an overdue return
    ):
        assert kept in where, kept
