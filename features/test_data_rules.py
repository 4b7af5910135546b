"""Steps for data.feature (DAT001–DAT004)."""

from __future__ import annotations

from decimal import Decimal

from pytest_bdd import given, scenarios

from features.support import step
from tests.support.ledger import LedgerBuilder

scenarios("data.feature")


@given(step('"{description}" was printed with a balance of {amount:Money}'))
def printed_balance(ledger: LedgerBuilder, description: str, amount: Decimal) -> None:
    ledger.update_line(ledger.line_named(description), reported_balance=amount)


@given(step('the imported table "{source}" printed a total allocated of {total:Money}'))
def printed_total(ledger: LedgerBuilder, source: str, total: Decimal) -> None:
    ledger.imported_table(source, printed_allocated=total)


@given(
    step(
        'the imported table "{source}" printed a total allocated of {total:Money} over {count:d} row(s) adding up '
        "to {summed:Money}"
    )
)
def printed_total_and_rows(ledger: LedgerBuilder, source: str, total: Decimal, count: int, summed: Decimal) -> None:
    ledger.imported_table(source, printed_allocated=total, rows_allocated=summed, rows=count)


@given(step('"{description}" is later changed to {amount:Money}'))
def allocation_changed(ledger: LedgerBuilder, description: str, amount: Decimal) -> None:
    ledger.update_line(ledger.line_named(description), allocated=amount)
