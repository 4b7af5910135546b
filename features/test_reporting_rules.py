"""Steps for reporting.feature (RPT001–RPT003)."""

from __future__ import annotations

from datetime import date

from pytest_bdd import given, scenarios

from features.support import step
from grants.domain.enums import ReturnCadence, ReturnStatus
from tests.support.ledger import LedgerBuilder

scenarios("reporting.feature")


@given(step("the fund's returns are quarterly"))
def quarterly_returns(ledger: LedgerBuilder) -> None:
    ledger.set_conditions(return_cadence=ReturnCadence.QUARTERLY)


@given(step("the {period} return was submitted on {day:Date}"))
def return_submitted(ledger: LedgerBuilder, period: str, day: date) -> None:
    ledger.return_(period, status=ReturnStatus.SUBMITTED, submitted_on=day)


@given(step("the {period} return is in draft"))
def return_in_draft(ledger: LedgerBuilder, period: str) -> None:
    ledger.return_(period, status=ReturnStatus.DRAFT)


@given(step('"{description}" ends on {day:Date}'))
def line_ends(ledger: LedgerBuilder, description: str, day: date) -> None:
    ledger.update_line(ledger.line_named(description), ends=day)


@given(step('it is decided that "{description}" continues'))
def continuation_decided(ledger: LedgerBuilder, description: str) -> None:
    ledger.update_line(ledger.line_named(description), continuation_decided=True)


@given(step('nothing is decided about "{description}"'))
def no_decision(ledger: LedgerBuilder, description: str) -> None:
    assert not ledger.line_named(description).continuation_decided
