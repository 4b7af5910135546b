"""The Strategic Group's budget pack: the figures the ledger holds, in PDF, XLSX and CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from grants.domain.models import OutcomeTarget
from grants.services.demo import PARTNERSHIP as DEMO
from grants.services.fund_figures import fund_summaries, line_balances
from grants.services.reporting import FindingsProvider, render_budget_pack
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from reports.model import BudgetPack
from tests.reports.conftest import (
    FISH,
    FORMULA_DESCRIPTIONS,
    PARTNERSHIP,
    YEAR,
    BuiltLedger,
    contains_all,
    no_findings,
    pdf_metadata,
    pdf_text,
    some_findings,
    squash,
)
from tests.support.ops import budget_pack

GENERATED = datetime(2026, 4, 2, 9, 30, tzinfo=ZoneInfo("Europe/London"))
YEAR_END = date(2026, 3, 31)


def _pack(ledger: BuiltLedger, as_at: date = YEAR_END, findings: FindingsProvider = some_findings) -> BudgetPack:
    return budget_pack(
        ledger.database,
        partnership=PARTNERSHIP,
        year=YEAR,
        as_at=as_at,
        generated_at=GENERATED,
        findings=findings,
    )


def _demo_2017(demo_database: Database) -> BudgetPack:
    return budget_pack(
        demo_database,
        partnership=DEMO,
        year="2017/18",
        as_at=date(2017, 10, 26),
        generated_at=GENERATED,
        findings=no_findings,
    )


def test_the_pack_holds_the_figures_the_ledger_holds(ledger: BuiltLedger) -> None:
    pack = _pack(ledger)
    with UnitOfWork(ledger.database) as uow:
        balances = line_balances(uow, ledger.fund_id)
        (summary,) = fund_summaries(uow, PARTNERSHIP, YEAR)
    (fund,) = pack.funds
    assert [(r.description, r.allocated, r.spent, r.balance) for r in fund.rows] == [
        (b.description, b.allocated, b.spent, b.balance) for b in balances
    ]
    assert (fund.total_allocated, fund.total_spent) == (summary.allocated, summary.spent)
    assert (fund.total_allocated, fund.total_spent, fund.total_balance) == (
        Decimal("50000.00"),
        Decimal("20350.00"),
        Decimal("29650.00"),
    )
    assert (fund.received, fund.expected, fund.show_received) == (Decimal("30000.00"), Decimal("20000.00"), True)


def test_figures_as_at_an_earlier_date_leave_out_later_spend(ledger: BuiltLedger) -> None:
    (fund,) = _pack(ledger, as_at=date(2025, 9, 30)).funds
    assert fund.total_spent == Decimal("15350.00")
    assert fund.rows[0].spent == Decimal("9000.00")  # the £5,000 of November is not yet spent


def test_the_pdf_reads_back_with_the_ledgers_figures_and_names_as_written(
    ledger: BuiltLedger, qpdf_check: Callable[[bytes], None]
) -> None:
    data = render_budget_pack(_pack(ledger), "pdf", invariant=True)
    qpdf_check(data)
    text = pdf_text(data)
    missing = contains_all(
        text,
        [
            "Description", "Amount Allocated", "Amount Spent to Date", "Balance Remaining", "Funding Received",
            "Youth outreach", "£20,000.00", "£14,000.00", "£6,000.00",
            "Total", "£50,000.00", "£20,350.00", "£29,650.00", "£30,000.00",
            "Figures as at 31 March 2026", "Page 1 of", "Summary by strategic priority", "Findings at a glance",
            "Appendix: findings in detail",
            "No priority for <this> & that.", *FORMULA_DESCRIPTIONS[:2],
        ],
    )  # fmt: skip
    assert missing == []
    assert FISH in squash(text)  # partner names print as written, in the implications paragraph
    pages = re.findall(r"Page (\d+) of (\d+)", text)
    assert pages and all(total == str(len(pages)) for _, total in pages)


def test_the_pdf_carries_title_author_and_subject(ledger: BuiltLedger) -> None:
    pack = _pack(ledger)
    meta = pdf_metadata(render_budget_pack(pack, "pdf", invariant=True))
    assert meta["/Title"] == "Budget pack – 2025/26"
    assert meta["/Author"] == PARTNERSHIP
    assert "figures as at 31 March 2026" in meta["/Subject"]
    assert meta["/CreationDate"].startswith("D:20260402093000")


def test_the_workbook_totals_are_live_sums_over_exactly_the_rows(ledger: BuiltLedger) -> None:
    pack = _pack(ledger)
    book = load_workbook(io.BytesIO(render_budget_pack(pack, "xlsx")))
    sheet = book["TF 2025-26"]
    heading_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Description")
    headings = [c.value for c in sheet[heading_row]]
    assert headings[:5] == [
        "Description",
        "Amount Allocated",
        "Funding Received",
        "Amount Spent to Date",
        "Balance Remaining",
    ]
    assert sheet.freeze_panes == f"B{heading_row + 1}"
    first, total_row = heading_row + 1, heading_row + 6
    assert sheet.cell(total_row, 1).value == "Total"
    for column, letter in ((2, "B"), (4, "D"), (5, "E")):
        assert sheet.cell(total_row, column).value == f"=SUM({letter}{first}:{letter}{total_row - 1})"
        assert sheet.cell(total_row, column).number_format == "£#,##0.00"
        values = [Decimal(str(sheet.cell(r, column).value)) for r in range(first, total_row)]
        assert sheet.cell(first, column).number_format == "£#,##0.00"
        expected = {2: pack.funds[0].total_allocated, 4: pack.funds[0].total_spent, 5: pack.funds[0].total_balance}
        assert sum(values, Decimal(0)) == expected[column]
    assert sheet.cell(total_row, 3).value == 30000  # receipts are the fund's, not a line's
    assert sheet.column_dimensions["A"].width >= 30


def test_names_and_formula_like_text_stay_text_in_the_workbook(ledger: BuiltLedger) -> None:
    book = load_workbook(io.BytesIO(render_budget_pack(_pack(ledger), "xlsx")))
    sheet = book["TF 2025-26"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    for text in (*FORMULA_DESCRIPTIONS[:2], '=HYPERLINK("x")'):
        assert cells[text].data_type == "s", text
    assert cells["=SUM(A1:A9)"].quotePrefix
    assert FISH in cells
    findings = book["Findings"]
    assert "No priority for <this> & that." in [c.value for row in findings.iter_rows() for c in row]


def test_the_csv_has_plain_decimals_and_quotes_formula_like_text(ledger: BuiltLedger) -> None:
    text = render_budget_pack(_pack(ledger), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_description = {row["Description"]: row for row in rows}
    assert by_description["Youth outreach"]["Amount Allocated"] == "20000.00"
    assert by_description["Youth outreach"]["Balance Remaining"] == "6000.00"
    assert by_description["'=SUM(A1:A9)"]["Balance Remaining"] == "-350.00"  # numbers are never quoted
    assert by_description["'=SUM(A1:A9)"]["Delivery Partner"] == '\'=HYPERLINK("x")'
    assert "'+44 helpline" in by_description
    assert by_description["Chip shop ASB patrols"]["Delivery Partner"] == FISH
    total = by_description["Total"]
    assert (total["Amount Allocated"], total["Amount Spent to Date"], total["Balance Remaining"]) == (
        "50000.00",
        "20350.00",
        "29650.00",
    )
    assert total["Funding Received"] == "30000.00"


def test_the_demo_2017_18_table_prints_the_papers_totals(
    demo_database: Database, qpdf_check: Callable[[bytes], None]
) -> None:
    pack = _demo_2017(demo_database)
    (fund,) = pack.funds
    assert (fund.total_allocated, fund.total_spent, fund.total_balance) == (
        Decimal("75500.00"),
        Decimal("32533.00"),
        Decimal("42967.00"),
    )
    assert len(fund.rows) == 17
    data = render_budget_pack(pack, "pdf", invariant=True)
    qpdf_check(data)
    text = squash(pdf_text(data))
    assert "Total £75,500.00 £32,533.00 £42,967.00" in text
    assert "Targeted multiagency preventative action to reduce SAQ offences & offending" in text
    assert "Anstey Youth Café £1,500.00 £750.00 £750.00" in text
    assert "Figures as at 26 October 2017" in text


def test_the_demo_2017_18_workbook_sums_to_the_papers_totals(demo_database: Database) -> None:
    pack = _demo_2017(demo_database)
    book = load_workbook(io.BytesIO(render_budget_pack(pack, "xlsx")))
    sheet = book["PLF 2017-18"]
    total_row = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "Total")
    for column, expected in ((2, "75500.00"), (3, "32533.00"), (4, "42967.00")):
        formula = str(sheet.cell(total_row, column).value)
        match = re.fullmatch(r"=SUM\(([A-Z])(\d+):\1(\d+)\)", formula)
        assert match, formula
        first, last = int(match[2]), int(match[3])
        assert sheet.cell(first - 1, 1).value == "Description" and last == total_row - 1
        values = [Decimal(str(sheet.cell(r, column).value)) for r in range(first, last + 1)]
        assert sum(values, Decimal(0)) == Decimal(expected)


def test_a_long_table_splits_across_pages_with_its_headings_repeated(
    database: Database, qpdf_check: Callable[[bytes], None]
) -> None:
    from grants.domain.models import BudgetLine, Fund, Partnership

    with UnitOfWork(database) as uow, uow.dated(date(2025, 4, 1)):
        owner = uow.partnerships.add(Partnership(name=PARTNERSHIP))
        assert owner.id is not None
        fund = uow.funds.add(
            Fund(
                code="BIG",
                name="Big Fund",
                partnership_id=owner.id,
                year=YEAR,
                starts=date(2025, 4, 1),
                ends=date(2026, 3, 31),
                amount=Decimal("100000.00"),
            )
        )
        assert fund.id is not None
        for number in range(1, 81):
            uow.lines.add(
                BudgetLine(
                    fund_id=fund.id,
                    description=f"Project number {number} " + "with words " * 8,
                    allocated=Decimal("1000.00"),
                )
            )
        uow.commit()
    pack = budget_pack(
        database,
        partnership=PARTNERSHIP,
        year=YEAR,
        as_at=YEAR_END,
        generated_at=GENERATED,
        findings=no_findings,
    )
    data = render_budget_pack(pack, "pdf", invariant=True)
    qpdf_check(data)
    pages = pdf_text(data).split("\f")
    table_pages = [page for page in pages if "Project number" in page]
    assert len(table_pages) >= 3
    assert all("Amount Spent to" in page for page in table_pages)  # the heading row repeats
    last = squash(table_pages[-1])
    assert "Project number 80" in last and "Total £80,000.00" in last  # the total never stands alone


def test_a_pack_with_the_real_compliance_checks_lists_their_findings(demo_database: Database) -> None:
    pack = budget_pack(
        demo_database,
        partnership=DEMO,
        year="2026/27",
        as_at=date(2026, 10, 31),
        generated_at=GENERATED,
    )
    assert pack.findings is not None and pack.findings
    assert [f.severity for f in pack.findings] == sorted(
        (f.severity for f in pack.findings), key=["error", "warning", "info"].index
    )
    codes = {f.code for f in pack.findings}
    assert "ALC004" in codes  # the demo's PLF lines without a priority
    text = squash(pdf_text(render_budget_pack(pack, "pdf", invariant=True)))
    assert "ALC004" in text


def test_a_fund_with_no_lines_and_a_year_with_no_funds_still_make_tidy_files(
    database: Database, qpdf_check: Callable[[bytes], None]
) -> None:
    from grants.domain.models import Fund, Partnership

    with UnitOfWork(database) as uow, uow.dated(date(2025, 4, 1)):
        owner = uow.partnerships.add(Partnership(name=PARTNERSHIP))
        assert owner.id is not None
        uow.funds.add(
            Fund(
                code="NEW",
                name="New Fund",
                partnership_id=owner.id,
                year=YEAR,
                starts=date(2025, 4, 1),
                ends=date(2026, 3, 31),
                amount=Decimal("1000.00"),
            )
        )
        uow.commit()
    for year in (YEAR, "2030/31"):
        pack = budget_pack(
            database, partnership=PARTNERSHIP, year=year, as_at=YEAR_END, generated_at=GENERATED, findings=no_findings
        )
        data = render_budget_pack(pack, "pdf", invariant=True)
        qpdf_check(data)
        book = load_workbook(io.BytesIO(render_budget_pack(pack, "xlsx")))
        assert "Summary" in book.sheetnames
        assert render_budget_pack(pack, "csv").decode("utf-8-sig").startswith("Partnership,Year,Fund,Description")
    assert "No funds are recorded for 2030/31." in pdf_text(data)


def test_the_pack_reports_outcomes_against_the_lines_targets(ledger: BuiltLedger) -> None:
    assert _pack(ledger).outcomes == ()  # no line has a target: no section
    assert "Outcome targets and progress" not in pdf_text(render_budget_pack(_pack(ledger), "pdf", invariant=True))
    with UnitOfWork(ledger.database, actor="test") as uow:
        for key, target in (("youth", "60 young people diverted"), ("fish", "Fewer ASB calls")):
            uow.targets.add(OutcomeTarget(line_id=ledger.line_ids[key], target=target, measure="police data"))
        uow.commit()
    pack = _pack(ledger)
    progress = {o.line: (o.target, o.latest) for o in pack.outcomes}
    youth = progress["Youth outreach"]
    assert youth[0] == "60 young people diverted (measure: police data)"
    assert youth[1].startswith("2025/26") and "42 young people" in youth[1]
    text = squash(pdf_text(render_budget_pack(pack, "pdf", invariant=True)))
    assert "Outcome targets and progress" in text and "60 young people diverted" in text
    sheet = load_workbook(io.BytesIO(render_budget_pack(pack, "xlsx")))["Outcomes"]
    cells = [str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None]
    assert "60 young people diverted (measure: police data)" in cells and youth[1] in cells
