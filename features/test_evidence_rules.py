"""Steps for evidence.feature (EVD001–EVD003)."""

from __future__ import annotations

from datetime import date

from pytest_bdd import given, scenarios

from features.support import step
from tests.support.ledger import LedgerBuilder

scenarios("evidence.feature")


@given(step('"{description}" has reported no outcomes'))
def no_outcomes(ledger: LedgerBuilder, description: str) -> None:
    line = ledger.line_named(description)
    assert not [update for update in ledger.outcomes if update.line_id == line.id]


@given(step('"{description}" reported outcomes for {period} on {day:Date} with evidence "{evidence}"'))
def outcomes_with_evidence(ledger: LedgerBuilder, description: str, period: str, day: date, evidence: str) -> None:
    ledger.outcome(ledger.line_named(description), period, day, evidence=evidence)


@given(step('"{description}" reported outcomes for {period} on {day:Date}, awaiting data'))
def outcomes_awaiting_data(ledger: LedgerBuilder, description: str, period: str, day: date) -> None:
    ledger.outcome(ledger.line_named(description), period, day, awaiting_data=True)


@given(step("grantees must send a monitoring report every {days:d} days"))
def monitoring_cadence(ledger: LedgerBuilder, days: int) -> None:
    ledger.set_conditions(monitoring_cadence_days=days)


@given(step('"{description}" sent a monitoring report on {day:Date}'))
def monitoring_report(ledger: LedgerBuilder, description: str, day: date) -> None:
    ledger.outcome(ledger.line_named(description), "2023/24", day, narrative="monitoring report")
