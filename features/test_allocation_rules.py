"""Steps for allocation.feature (ALC001–ALC006)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pytest_bdd import given, scenarios, then

from features.support import step
from grants.domain.calendar import FinancialYear
from grants.domain.streams import stream_for
from rules.findings import Finding
from tests.support.ledger import LedgerBuilder

scenarios("allocation.feature")


@given(step("the fund caps each grant at {cap:Money}"))
def a_grant_cap(ledger: LedgerBuilder, cap: Decimal) -> None:
    ledger.set_conditions(per_grant_cap=cap)


@given(step('the fund only pays for area "{area}" and the themes "{themes}"'))
def area_and_themes(ledger: LedgerBuilder, area: str, themes: str) -> None:
    ledger.set_conditions(eligible_areas=(area,), eligible_themes=tuple(t.strip() for t in themes.split(";")))


@given(step('a line "{description}" allocated {amount:Money} in area "{area:Text}" with theme "{theme:Text}"'))
def a_line_in_an_area(ledger: LedgerBuilder, description: str, amount: Decimal, area: str, theme: str) -> None:
    ledger.line(description, amount, area=area, theme=theme)


@given(step('"{description}" has no recorded approval'))
def no_approval(ledger: LedgerBuilder, description: str) -> None:
    assert not ledger.line_named(description).approved_by


@given(step('"{description}" was approved by {who}, undated'))
def approved_without_a_date(ledger: LedgerBuilder, description: str, who: str) -> None:
    ledger.update_line(ledger.line_named(description), approved_by=who)


@given(step('"{description}" was approved by {who} on {day:Date}'))
def approved(ledger: LedgerBuilder, description: str, who: str, day: date) -> None:
    ledger.update_line(ledger.line_named(description), approved_by=who, approved_on=day)


@then(step('the {code:Code} finding for "{description}" is an error'))
def finding_for_line_is_error(findings: list[Finding], code: str, description: str) -> None:
    assert [f.severity.value for f in findings if f.code == code and f.line == description] == ["error"]


@then(step('the {code:Code} finding for "{description}" is a warning'))
def finding_for_line_is_warning(findings: list[Finding], code: str, description: str) -> None:
    assert [f.severity.value for f in findings if f.code == code and f.line == description] == ["warning"]


# -- a fund on its stream's default conditions --------------------------------------------------
@given(step("the fund has its stream's default conditions"))
def stream_defaults(ledger: LedgerBuilder) -> None:
    fund = ledger.current_fund
    ledger.update_fund(fund, conditions=stream_for(fund.code).default_conditions(FinancialYear.parse(fund.year)))


@given(step("round {number:d} of the fund runs from {opens:Date} to {closes:Date}"))
def a_round(ledger: LedgerBuilder, number: int, opens: date, closes: date) -> None:
    ledger.round(number, opens, closes)


@then(step("the fund's {condition} is {value}"))
def the_condition(ledger: LedgerBuilder, condition: str, value: str) -> None:
    found = getattr(ledger.current_fund.conditions, condition)
    if isinstance(found, tuple):
        shown = "; ".join(found)
    elif found is None:
        shown = "not set"
    else:
        shown = str(getattr(found, "value", found))
    assert shown == value
