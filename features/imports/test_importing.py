"""Steps for imports/importing.feature: the papers' tables imported through the real use cases into a database.

Not a rule family, so it sits beside the families' feature files rather than among them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from features.support import step
from grants.imports.parsed import ImportRejected
from grants.services import lookup, papers_import, usecase
from grants.services.access import local_operator
from grants.services.fund_figures import line_balances
from grants.services.ledger import find_fund
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.imports.papers_fixtures import PLAN_HEADING, ci_rows, plf_rows_with_received

scenarios("imports/importing.feature")

CSP = "Charnwood Community Safety Partnership"
AS_AT = date(2017, 10, 26)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'grants.db'}")
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture
def sheets() -> dict[str, list[list[Any]]]:
    return {}


@pytest.fixture
def outcome() -> dict[str, Any]:
    return {}


def _counts(database: Database) -> tuple[int, ...]:
    with UnitOfWork(database) as uow:
        return uow.funds.count(), uow.lines.count(), uow.spends.count(), uow.receipts.count(), uow.targets.count()


def _save(sheets: dict[str, list[list[Any]]], path: Path) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)
    return path


@given(step('a sheet "PLF" holding the Partnership Locality Fund table as printed in October 2017'))
def plf_sheet(sheets: dict[str, list[list[Any]]]) -> None:
    sheets["PLF"] = plf_rows_with_received()


@given(
    step(
        'a sheet "Youth Prevention and Diversion" whose first row is the fund with "£15,000 approx" under '
        "Funding Received"
    )
)
def ci_sheet(sheets: dict[str, list[list[Any]]]) -> None:
    sheets["Youth Prevention and Diversion"] = ci_rows()


@given(step('the cell in row {row:d}, column "{heading}" of sheet "{sheet}" reads "{written}"'))
def a_bad_cell(sheets: dict[str, list[list[Any]]], row: int, heading: str, sheet: str, written: str) -> None:
    rows = sheets[sheet]
    rows[row - 1][rows[0].index(heading)] = written


def _plan(sheets: dict[str, list[list[Any]]], action: str, cost: str = "", target: str = "", measure: str = "") -> None:
    sheets.setdefault("Plan", [list(PLAN_HEADING)]).append([action, "Go-Getta", "2017/18", cost, target, measure])


@given(step('an action plan with the key action "{action}" costing "{cost:Text}"'))
def a_plan_costing(sheets: dict[str, list[list[Any]]], action: str, cost: str) -> None:
    _plan(sheets, action, cost)


@given(step('an action plan with the key action "{action}" targeting "{target}" measured by "{measure}"'))
def a_plan_targeting(sheets: dict[str, list[list[Any]]], action: str, target: str, measure: str) -> None:
    _plan(sheets, action, "Officer time", target, measure)


@when(step("the file is imported for Charnwood for {year:Year} without naming a fund"))
def import_funds(
    database: Database, sheets: dict[str, list[list[Any]]], tmp_path: Path, outcome: dict[str, Any], year: str
) -> None:
    path = _save(sheets, tmp_path / "funds.xlsx")
    outcome["before"] = _counts(database)

    def named(uow: UnitOfWork, who: Any) -> Any:
        partnership_id = lookup.partnership_id_or_new(uow, who, CSP)
        return papers_import.import_budget_funds(uow, who, partnership_id, path, year=year, as_at=AS_AT)

    try:
        outcome["reports"] = usecase.perform(database, local_operator("manager"), named)
    except ImportRejected as rejected:
        outcome["rejected"] = rejected


@when(step("the plan is imported into Charnwood's {code} fund for {year:Year}"))
def import_a_plan(database: Database, sheets: dict[str, list[list[Any]]], tmp_path: Path, code: str, year: str) -> None:
    path = _save(sheets, tmp_path / "plan.xlsx")

    def named(uow: UnitOfWork, who: Any) -> Any:
        partnership_id = lookup.partnership_id_or_new(uow, who, CSP)
        return papers_import.import_plan(uow, who, partnership_id, path, year=year, as_at=AS_AT, fund_code=code)

    usecase.perform(database, local_operator("manager"), named)


@then(step("{code} has received {amount:Money}, marked approximate"))
def received_approximately(database: Database, code: str, amount: Decimal) -> None:
    with UnitOfWork(database) as uow:
        fund = find_fund(uow, CSP, code, "2017/18")
        receipts = uow.receipts.find(fund_id=fund.id)
    assert [(r.amount, r.approximate) for r in receipts] == [(amount, True)]


@then(step("{code}'s lines add up to {allocated:Money} allocated, {spent:Money} spent and {balance:Money} balance"))
def lines_add_up(database: Database, code: str, allocated: Decimal, spent: Decimal, balance: Decimal) -> None:
    with UnitOfWork(database) as uow:
        fund = find_fund(uow, CSP, code, "2017/18")
        lines = line_balances(uow, fund.id or 0)
    assert sum(b.allocated for b in lines) == allocated
    assert sum(b.spent for b in lines) == spent
    assert sum(b.balance for b in lines) == balance


@then(parsers.re(r'the import is refused: row (?P<row>\d+), column "(?P<column>[^"]+)", "(?P<reason>.+)"$'))
def refused(outcome: dict[str, Any], row: str, column: str, reason: str) -> None:
    rejected: ImportRejected = outcome["rejected"]
    assert [(p.file, p.row, p.column, p.reason) for p in rejected.problems] == [
        ("funds.xlsx", int(row), column, reason)
    ]


@then(step("nothing was written"))
def nothing_written(database: Database, outcome: dict[str, Any]) -> None:
    assert _counts(database) == outcome["before"]


def _line(database: Database, description: str) -> Any:
    with UnitOfWork(database) as uow:
        fund = find_fund(uow, CSP, "PLF", "2017/18")
        line = next(b.line for b in line_balances(uow, fund.id or 0) if b.description == description)
        return line, uow.targets.first(line_id=line.id)


@then(step('"{action}" is allocated {amount:Money}'))
def allocated(database: Database, action: str, amount: Decimal) -> None:
    assert _line(database, action)[0].allocated == amount


@then(step('its note reads "{note:Text}"'))
def note_reads(database: Database, sheets: dict[str, list[list[Any]]], note: str) -> None:
    action = sheets["Plan"][-1][0]
    assert _line(database, action)[0].notes == note


@then(step('"{action}" has the outcome target "{target}" measured by "{measure}"'))
def has_target(database: Database, action: str, target: str, measure: str) -> None:
    found = _line(database, action)[1]
    assert found is not None and (found.target, found.measure) == (target, measure)
