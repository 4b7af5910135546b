"""Steps for spending.feature (SPD001–SPD005)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pytest_bdd import given, scenarios

from features.support import step
from tests.support.ledger import LedgerBuilder

scenarios("spending.feature")


@given(step("the fund allows at most {share:Share} of its money to be spent on capital"))
def capital_share(ledger: LedgerBuilder, share: Decimal) -> None:
    ledger.set_conditions(capital_share_max=share)


@given(step("the fund requires a {share:Share} match"))
def match_share(ledger: LedgerBuilder, share: Decimal) -> None:
    ledger.set_conditions(match_share=share)


@given(step("a cash match of {amount:Money} was given on {day:Date}"))
def cash_match(ledger: LedgerBuilder, amount: Decimal, day: date) -> None:
    ledger.match(day, amount=amount)


@given(step("{hours} officer hours at {rate:Money} an hour were given as match on {day:Date}"))
def hours_match(ledger: LedgerBuilder, hours: str, rate: Decimal, day: date) -> None:
    if Decimal(hours):
        ledger.match(day, hours=hours, hourly_rate=rate)


@given(step('the {code} line "{description}" has the note "{note:Text}"'))
def a_note(ledger: LedgerBuilder, code: str, description: str, note: str) -> None:
    ledger.update_line(ledger.line_named(description, fund_code=code), notes=note)
