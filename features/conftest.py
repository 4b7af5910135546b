"""Shared steps: a partnership's funds, lines, payments and receipts; running the rules; the verdicts.

Given steps build a small ledger with ``LedgerBuilder`` (no database); the When step runs every rule at
the as-at date; Then steps assert on the findings. Family steps live beside their feature's test module.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pytest_bdd import given, then, when

from features.support import step
from grants import cli
from grants.domain.enums import AmountStatus
from grants.domain.money import parse_money
from grants.services.demo import ensure_demo_accounts
from grants.storage.database import Database
from rules.findings import Finding
from rules.runner import run_rules
from tests.support.ledger import LedgerBuilder

AMOUNT_STATUS = {
    "confirmed": AmountStatus.CONFIRMED,
    "approximate": AmountStatus.APPROXIMATE,
    "indicative": AmountStatus.INDICATIVE,
    "a bid in draft": AmountStatus.BID_DRAFTED,
    "a submitted bid": AmountStatus.BID_SUBMITTED,
    "an approved bid": AmountStatus.BID_APPROVED,
}


@pytest.fixture
def ledger() -> LedgerBuilder:
    return LedgerBuilder()


@pytest.fixture(scope="session")
def _demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, made once (``init --demo``) for the workflow features to copy."""
    path = tmp_path_factory.mktemp("features-demo") / "demo.db"
    assert cli.main(["--database", f"sqlite:///{path}", "init", "--demo"]) == 0
    return path


@pytest.fixture
def demo_copy(tmp_path: Path, _demo_file: Path) -> Iterator[Database]:
    """A fresh copy of the demo database with the demo accounts, for one scenario."""
    path = tmp_path / "demo.db"
    shutil.copyfile(_demo_file, path)
    database = Database(f"sqlite:///{path}")
    ensure_demo_accounts(database)
    yield database
    database.dispose()


# -- funds -------------------------------------------------------------------------------------
@given(step("{partnership}'s {code} fund for {year:Year} of {amount:Money}"))
def a_fund_for_a_year(ledger: LedgerBuilder, partnership: str, code: str, year: str, amount: Decimal) -> None:
    ledger.fund(code, year, amount, partnership=partnership)


@given(step("{partnership}'s {code} fund of {amount:Money} running from {starts:Date} to {ends:Date}"))
def a_fund_for_a_period(
    ledger: LedgerBuilder, partnership: str, code: str, amount: Decimal, starts: date, ends: date
) -> None:
    from grants.domain.calendar import FinancialYear

    year = FinancialYear.containing(starts).label
    ledger.fund(code, year, amount, partnership=partnership, starts=starts, ends=ends)


@given(step("the fund's amount is {status}"))
def the_amount_status(ledger: LedgerBuilder, status: str) -> None:
    ledger.update_fund(amount_status=AMOUNT_STATUS[status])


# -- lines -------------------------------------------------------------------------------------
@given(step('a line "{description}" allocated {amount:Money}'))
def a_line(ledger: LedgerBuilder, description: str, amount: Decimal) -> None:
    ledger.line(description, amount)


@given(step('a capital line "{description}" allocated {amount:Money}'))
def a_capital_line(ledger: LedgerBuilder, description: str, amount: Decimal) -> None:
    ledger.line(description, amount, capital_revenue="capital")


@given(step('a line "{description}" allocated {amount:Money} for priority "{priority:Text}"'))
def a_line_with_a_priority(ledger: LedgerBuilder, description: str, amount: Decimal, priority: str) -> None:
    ledger.line(description, amount, strategic_priority=priority)


@given(step('a line "{description}" allocated {amount:Money} run by "{partner}"'))
def a_line_with_a_partner(ledger: LedgerBuilder, description: str, amount: Decimal, partner: str) -> None:
    ledger.line(description, amount, delivery_partner=partner)


@given(step('a line "{description}" allocated {amount:Money} starting on {starts:Date}'))
def a_line_starting(ledger: LedgerBuilder, description: str, amount: Decimal, starts: date) -> None:
    ledger.line(description, amount, starts=starts)


# -- money in and out --------------------------------------------------------------------------
@given(step('{amount:Money} was paid to "{description}" on {day:Date}'))
def a_payment(ledger: LedgerBuilder, amount: Decimal, description: str, day: date) -> None:
    if amount:  # "£0.00 was paid" means nothing was
        ledger.spend(ledger.line_named(description), day, amount)


@given(step('{amount:Money} was refunded by "{description}" on {day:Date}'))
def a_refund(ledger: LedgerBuilder, amount: Decimal, description: str, day: date) -> None:
    ledger.spend(ledger.line_named(description), day, amount, kind="refund")


@given(step("{amount:Money} was received on {day:Date}"))
def money_received(ledger: LedgerBuilder, amount: Decimal, day: date) -> None:
    ledger.receipt(amount, day)


@given(step('a receipt written as "{written}" arrived on {day:Date}'))
def a_receipt_as_written(ledger: LedgerBuilder, written: str, day: date) -> None:
    parsed = parse_money(written)
    ledger.receipt(parsed.amount, day, approximate=parsed.approximate)


# -- running the rules -------------------------------------------------------------------------
@when(step("the rules are checked as at {day:Date}"), target_fixture="findings")
def check_as_at(ledger: LedgerBuilder, day: date) -> list[Finding]:
    return run_rules(ledger.frames(as_at=day), as_at=day)


# -- verdicts ----------------------------------------------------------------------------------
def _of(findings: list[Finding], code: str) -> list[Finding]:
    crashed = [f.message for f in findings if "could not run" in f.message]
    assert not crashed, crashed
    return [finding for finding in findings if finding.code == code]


@then(step("{code:Code} is {raised:Verdict}"))
def the_verdict(findings: list[Finding], code: str, raised: bool) -> None:
    found = _of(findings, code)
    if raised:
        assert found, f"{code} was not raised; findings: {[f.code for f in findings]}"
    else:
        assert not found, [f.message for f in found]


@then(step('{code:Code} is raised for "{description}"'))
def raised_for_line(findings: list[Finding], code: str, description: str) -> None:
    assert any(f.line == description for f in _of(findings, code)), [(f.line, f.message) for f in findings]


@then(step('{code:Code} is not raised for "{description}"'))
def not_raised_for_line(findings: list[Finding], code: str, description: str) -> None:
    assert not any(f.line == description for f in _of(findings, code))


@then(step('the {code:Code} finding says "{words}"'))
def the_finding_says(findings: list[Finding], code: str, words: str) -> None:
    messages = [f.message for f in _of(findings, code)]
    assert any(words in message for message in messages), messages


@then(step("the {code:Code} finding is an error"))
def the_finding_is_an_error(findings: list[Finding], code: str) -> None:
    found = _of(findings, code)
    assert found and all(f.severity.value == "error" for f in found), [(f.severity, f.message) for f in found]


@then(step("the {code:Code} finding is a warning"))
def the_finding_is_a_warning(findings: list[Finding], code: str) -> None:
    found = _of(findings, code)
    assert found and all(f.severity.value == "warning" for f in found), [(f.severity, f.message) for f in found]


@then(step("{count:d} {code:Code} findings are raised"))
def how_many(findings: list[Finding], count: int, code: str) -> None:
    assert len(_of(findings, code)) == count, [f.message for f in _of(findings, code)]
