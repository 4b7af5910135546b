"""Importing the papers' tables: several funds in one go, action plans, templates that round-trip."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from grants.domain.enums import ReceiptStatus
from grants.imports.parsed import ImportRejected
from grants.services import importing, lookup, papers_import, usecase
from grants.services.access import Principal, local_operator
from grants.services.demo import demo_table_path
from grants.services.fund_figures import line_balances
from grants.services.ledger import find_fund
from grants.services.templates import template, template_headings
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.imports.conftest import CHARNWOOD_LINES
from tests.imports.papers_fixtures import PLAN_HEADING, PLAN_MONEY, PLAN_ROWS, ci_rows, plf_rows_with_received

CSP = "Charnwood Community Safety Partnership"
YEAR = "2017/18"
AS_AT = date(2017, 10, 26)
D = Decimal


def workbook(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)
    return path


def _named(work: Any) -> Any:
    def run(uow: UnitOfWork, who: Principal, path: Path, **options: Any) -> Any:
        return work(uow, who, lookup.partnership_id_or_new(uow, who, CSP), path, **options)

    return run


def budget_funds(database: Database, path: Path, *, dry_run: bool = False) -> list[importing.ImportReport]:
    run = usecase.read if dry_run else usecase.perform
    return run(
        database,
        local_operator("manager"),
        _named(papers_import.import_budget_funds),
        path,
        year=YEAR,
        as_at=AS_AT,
        dry_run=dry_run,
    )


def plan(database: Database, path: Path, *, fund_code: str | None = "PLF", dry_run: bool = False) -> list[Any]:
    run = usecase.read if dry_run else usecase.perform
    return run(
        database,
        local_operator("manager"),
        _named(papers_import.import_plan),
        path,
        year=YEAR,
        as_at=AS_AT,
        fund_code=fund_code,
        dry_run=dry_run,
    )


def snapshot(database: Database) -> tuple[int, ...]:
    with UnitOfWork(database) as uow:
        return (
            uow.funds.count(),
            uow.lines.count(),
            uow.spends.count(),
            uow.receipts.count(),
            uow.targets.count(),
            len(uow.audit.events(limit=100000)),
        )


def test_a_workbook_of_two_funds_imports_in_one_go_to_the_penny(any_database: Database, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "funds.xlsx", {"PLF": plf_rows_with_received(), "Youth Prevention and Diversion": ci_rows()}
    )
    reports = budget_funds(any_database, path)
    assert [r.fund for r in reports] == [f"{CSP} PLF {YEAR}", f"{CSP} CI001 {YEAR}"]
    assert reports[0].headings["Amount Allocated"] == "amount allocated"
    with UnitOfWork(any_database) as uow:
        plf = find_fund(uow, CSP, "PLF", YEAR)
        ci = find_fund(uow, CSP, "CI001", YEAR)
        plf_lines, ci_lines = line_balances(uow, plf.id or 0), line_balances(uow, ci.id or 0)
        plf_receipts, ci_receipts = uow.receipts.find(fund_id=plf.id), uow.receipts.find(fund_id=ci.id)
    assert len(plf_lines) == 17
    assert sum(b.allocated for b in plf_lines) == D("75500.00")
    assert sum(b.spent for b in plf_lines) == D("32533.00")
    assert sum(b.balance for b in plf_lines) == D("42967.00")
    assert sum(b.allocated for b in ci_lines) == D("15000.00")
    assert sum(b.spent for b in ci_lines) == D("3430.94")
    assert sum(b.balance for b in ci_lines) == D("11569.06")
    assert [(r.amount, r.status, r.approximate) for r in plf_receipts] == [
        (D("75500.00"), ReceiptStatus.RECEIVED, False)
    ]
    assert [(r.amount, r.status, r.approximate) for r in ci_receipts] == [(D("15000.00"), ReceiptStatus.RECEIVED, True)]


def test_a_bad_cell_in_any_fund_refuses_the_whole_file_and_writes_nothing(database: Database, tmp_path: Path) -> None:
    plf = plf_rows_with_received()
    plf[10][2] = "Page 3"  # row 11 of the PLF sheet
    path = workbook(tmp_path / "funds.xlsx", {"PLF": plf, "Youth Prevention and Diversion": ci_rows()})
    before = snapshot(database)
    with pytest.raises(ImportRejected) as caught:
        budget_funds(database, path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("funds.xlsx", 11, "Amount Allocated")
    assert problem.reason == "'Page 3' is a page number, not an amount in pounds (sheet 'PLF')"
    assert snapshot(database) == before


def test_a_dry_run_of_several_funds_changes_nothing(database: Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "funds.xlsx", {"PLF": plf_rows_with_received(), "CI001": ci_rows()})
    before = snapshot(database)
    reports = budget_funds(database, path, dry_run=True)
    assert snapshot(database) == before
    assert [r.lines_added for r in reports] == [17, 2]
    assert reports[1].changes[0] == "sheet 'CI001', row 2: 'Youth Prevention and Diversion' is CI001"


def test_an_action_plan_makes_money_allocations_in_kind_notes_and_outcome_targets(
    any_database: Database, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "plan.xlsx", {"Action plan": [PLAN_HEADING, *PLAN_ROWS]})
    (preview,) = plan(any_database, path, dry_run=True)
    assert "row 5: add 'Multi-agency problem solving group' with no allocation ('Ongoing' is not money)" in (
        preview.changes
    )
    assert any(
        c.startswith("row 3: add 'Youth outreach") and "with no allocation (the cost is officer time)" in c
        for c in preview.changes
    )
    assert preview.headings["Financial and Resource Implications"] == "financial and resource implications"
    (report,) = plan(any_database, path)
    assert report.totals["allocated"] == PLAN_MONEY
    with UnitOfWork(any_database) as uow:
        fund = find_fund(uow, CSP, "PLF", YEAR)
        lines = {b.description: b for b in line_balances(uow, fund.id or 0)}
        targets = {t.line_id: t for t in uow.targets.find()}
    assert sum(b.allocated for b in lines.values()) == PLAN_MONEY
    outreach = lines["Youth outreach in Loughborough town centre"]
    assert outreach.allocated == D("0.00")
    assert outreach.line.notes == "In kind: Officer time £5,000"
    assert outreach.line.delivery_partner == "Go-Getta"
    assert outreach.line.strategic_priority.startswith("Priority 2")
    target = targets[outreach.line.id or 0]
    assert (target.target, target.measure, target.time_scales) == (
        "Reduce youth ASB in NL62 by 10%",
        "Police ASB incidents in NL62",
        "April 2023 - March 2024",
    )
    assert lines["Bike marking events"].allocated == D("2500.00")
    assert lines["Bike marking events"].line.notes == "In kind: officer time"
    again = plan(any_database, path)[0]  # the same plan again changes nothing
    assert (again.lines_added, again.lines_updated) == (0, 0)
    assert not any("outcome target" in change for change in again.changes)


def test_a_bad_cost_refuses_the_plan_and_writes_nothing(database: Database, tmp_path: Path) -> None:
    rows = [list(row) for row in PLAN_ROWS]
    rows[2][3] = "£1,OOO"
    path = workbook(tmp_path / "plan.xlsx", {"Plan": [PLAN_HEADING, *rows]})
    before = snapshot(database)
    with pytest.raises(ImportRejected) as caught:
        plan(database, path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "Financial and Resource Implications")]
    assert snapshot(database) == before


def test_a_plan_naming_another_fund_than_the_one_given_is_refused(database: Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "plan.xlsx", {"CI001": [PLAN_HEADING, *PLAN_ROWS]})
    with pytest.raises(ImportRejected) as caught:
        plan(database, path, fund_code="PLF")
    assert "names CI001, but the import is for PLF" in caught.value.problems[0].reason
    (report,) = plan(database, path, fund_code=None)
    assert report.fund == f"{CSP} CI001 {YEAR}"


# --- templates round-trip --------------------------------------------------------------------


def fill(template_bytes: bytes, path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    path.write_bytes(template_bytes)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_filled_templates_import(database: Database, tmp_path: Path) -> None:
    budget_rows = [[d, a, s, b] for d, a, s, b in CHARNWOOD_LINES]
    assert template_headings("budget")[:4] == [
        "Description",
        "Amount Allocated",
        "Amount Spent to Date",
        "Balance Remaining",
    ]
    path = fill(template("budget", ".xlsx"), tmp_path / "budget.xlsx", budget_rows)
    who = local_operator("manager")
    usecase.perform(database, who, _named(importing.import_budget), path, fund_code="PLF", year=YEAR, as_at=AS_AT)
    fund_id = usecase.read(database, who, lookup.fund_id, CSP, "PLF", YEAR)
    with UnitOfWork(database) as uow:
        balances = line_balances(uow, fund_id)
    assert sum(b.allocated for b in balances) == D("75500.00") and sum(b.spent for b in balances) == D("32533.00")

    assert template_headings("spend") == ["Date", "Amount", "Budget Line", "Reference", "Type", "Capital/Revenue"]
    spend = fill(template("spend", ".xlsx"), tmp_path / "spend.xlsx", [["12/12/2017", "250.00", "Mediation", "INV-1"]])
    report = usecase.perform(database, who, importing.import_spend, fund_id, spend)
    assert report.totals["net spend"] == D("250.00")
    assert "row 2: add payment £250.00 on 12/12/2017 to 'Mediation' ref 'INV-1'" in report.changes

    assert template_headings("profile") == ["Line", "Q1", "Q2", "Q3", "Q4"]
    profile = fill(template("profile", ".xlsx"), tmp_path / "profile.xlsx", [["Mediation", 1000, 1500, 1500, 1000]])
    report = usecase.perform(database, who, importing.import_profile, fund_id, profile)
    assert report.totals["profiled"] == D("5000.00")

    assert template_headings("plan")[:6] == PLAN_HEADING
    filled = fill(template("plan", ".xlsx"), tmp_path / "plan.xlsx", [row + [""] * (6 - len(row)) for row in PLAN_ROWS])
    (report,) = plan(database, filled)
    assert report.totals["allocated"] == PLAN_MONEY


def test_a_csv_template_is_its_headings(tmp_path: Path, database: Database) -> None:
    text = template("spend", ".csv").decode("utf-8")
    assert text == "Date,Amount,Budget Line,Reference,Type,Capital/Revenue\r\n"
    with pytest.raises(ValueError, match=r"not \.pdf"):
        template("spend", ".pdf")


def test_the_demo_table_imports_without_a_fund_its_title_names_it(database: Database) -> None:
    reports = budget_funds(database, demo_table_path())
    assert [r.fund for r in reports] == [f"{CSP} PLF {YEAR}"]
    assert reports[0].totals == {"allocated": D("75500.00"), "spent": D("32533.00"), "balance": D("42967.00")}


def test_priority_area_partner_cohort_theme_and_capital_columns_are_read(database: Database, tmp_path: Path) -> None:
    heading = [
        "Initiative",
        "Funding Allocated",
        "Lead Agency",
        "Strategic Priority",
        "Beat",
        "Cohort",
        "Theme",
        "Cap/Rev",
    ]
    rows = [
        ["Bell Foundry People Zone Grant Fund", "", "", "", "", "", "", ""],
        heading,
        ["MTC Gardening Group", "£7, 200", "MTC", "SP1", "Beat 65", "residents", "Pride of Place", "Capital"],
    ]
    reports = budget_funds(database, workbook(tmp_path / "pz.xlsx", {"Grants": rows}))
    assert reports[0].headings["Lead Agency"] == "delivery partner"
    with UnitOfWork(database) as uow:
        fund = find_fund(uow, CSP, "PZ-BF", YEAR)
        (line,) = [b.line for b in line_balances(uow, fund.id or 0)]
    assert (line.allocated, line.delivery_partner, line.strategic_priority, line.area) == (
        D("7200.00"),
        "MTC",
        "SP1",
        "NL65",
    )
    assert (line.cohort, line.theme, line.capital_revenue.value) == ("residents", "Pride of Place", "capital")
