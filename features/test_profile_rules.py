"""Steps for profile.feature (PRF001–PRF005)."""

from __future__ import annotations

from decimal import Decimal

from pytest_bdd import given, scenarios

from features.support import step
from tests.support.ledger import LedgerBuilder

scenarios("profile.feature")


@given(step('"{description}" is profiled at {amount:Money} a quarter'))
def profiled_evenly(ledger: LedgerBuilder, description: str, amount: Decimal) -> None:
    line = ledger.line_named(description)
    year = ledger.fund_of(line).year
    for quarter in (1, 2, 3, 4):
        ledger.profile(line, year, quarter, amount)


@given(step('"{description}" has no spend profile'))
def no_profile(ledger: LedgerBuilder, description: str) -> None:
    line = ledger.line_named(description)
    assert not [entry for entry in ledger.profiles if entry.line_id == line.id]
