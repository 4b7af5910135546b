"""The budget pack as an Excel workbook (openpyxl) and as CSV.

Workbook: a Summary sheet (by fund and by strategic priority, with the Budget / Resource Implications
text), one sheet per fund in the papers' layout and a Findings sheet. Money cells are numbers with the
format ``£#,##0.00``; every total is a live ``=SUM(...)`` over the rows above it; the heading row is
frozen; column widths fit their contents. Text is always stored as text: a description that starts with
``=``, ``+``, ``-`` or ``@`` is written as a string cell with Excel's quote prefix, never a formula.

CSV: one flat table with plain decimals (``1500.00``); text cells that look like formulas get a
leading ``'`` (see :mod:`reports.text`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from grants.domain.money import plain
from reports.budget_pack import fund_table_headings
from reports.csvfile import csv_document
from reports.findings_by_line import group_by_line
from reports.model import ZERO, BudgetPack, FundTable
from reports.text import DEMO_MARK, gbp, long_date, short_datetime

MONEY_FORMAT = "£#,##0.00"
MAX_WIDTH = 60
MIN_WIDTH = 10

# -- the workbook's named styles (its stylesheet) ---------------------------------------------------
_thin = Side(style="thin", color="9AA5B1")
_accent = Side(style="medium", color="1F3A5F")
TITLE = NamedStyle(name="csp_title", font=Font(bold=True, size=14, color="1F3A5F"))
SUBTITLE = NamedStyle(name="csp_subtitle", font=Font(italic=True, color="555555"))
HEADING = NamedStyle(
    name="csp_heading",
    font=Font(bold=True, color="FFFFFF"),
    fill=PatternFill("solid", fgColor="1F3A5F"),
    alignment=Alignment(vertical="top", wrap_text=True),
)
HEADING_MONEY = NamedStyle(
    name="csp_heading_money",
    font=Font(bold=True, color="FFFFFF"),
    fill=PatternFill("solid", fgColor="1F3A5F"),
    alignment=Alignment(horizontal="right", vertical="top", wrap_text=True),
)
TEXT = NamedStyle(name="csp_text", alignment=Alignment(vertical="top", wrap_text=True), border=Border(bottom=_thin))
MONEY = NamedStyle(
    name="csp_money",
    number_format=MONEY_FORMAT,
    alignment=Alignment(horizontal="right", vertical="top"),
    border=Border(bottom=_thin),
)
TOTAL_TEXT = NamedStyle(
    name="csp_total_text",
    font=Font(bold=True),
    fill=PatternFill("solid", fgColor="DDE3EA"),
    border=Border(top=_accent, bottom=_accent),
)
TOTAL_MONEY = NamedStyle(
    name="csp_total_money",
    font=Font(bold=True),
    number_format=MONEY_FORMAT,
    fill=PatternFill("solid", fgColor="DDE3EA"),
    alignment=Alignment(horizontal="right"),
    border=Border(top=_accent, bottom=_accent),
)
NOTE = NamedStyle(name="csp_note", font=Font(italic=True, color="555555"), alignment=Alignment(wrap_text=False))
DEMO = NamedStyle(name="csp_demo", font=Font(bold=True, color="B00020"))
_NAMED = (TITLE, SUBTITLE, HEADING, HEADING_MONEY, TEXT, MONEY, TOTAL_TEXT, TOTAL_MONEY, NOTE, DEMO)


def new_workbook() -> Workbook:
    """An empty workbook with the reports' named styles registered."""
    book = Workbook()
    for style in _NAMED:
        book.add_named_style(style)
    return book


def fit_widths(sheet: Worksheet, *, skip_rows: int = 0) -> None:
    """Each column as wide as its longest value (within the reports' minimum and maximum)."""
    _fit_widths(sheet, skip_rows=skip_rows)


def _cell(sheet: Worksheet, row: int, column: int) -> Cell:
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell), "reports never merge cells"
    return cell


def put_text(sheet: Worksheet, row: int, column: int, value: str, style: NamedStyle | None = TEXT) -> Cell:
    """A text cell that stays text, even when it starts with ``=``, ``+``, ``-`` or ``@``."""
    cell = _cell(sheet, row, column)
    cell.value = value
    cell.data_type = "s"
    if style is not None:
        cell.style = style.name
    if value.startswith(("=", "+", "-", "@")):
        cell.quotePrefix = True
    return cell


def put_money(sheet: Worksheet, row: int, column: int, value: Decimal | str, style: NamedStyle = MONEY) -> Cell:
    """A money cell: a number (or a formula, when ``value`` is a string starting with ``=``)."""
    cell = _cell(sheet, row, column)
    cell.value = value
    cell.style = style.name
    return cell


def sum_formula(column: int, first: int, last: int) -> str:
    letter = get_column_letter(column)
    return f"=SUM({letter}{first}:{letter}{last})"


def _fit_widths(sheet: Worksheet, minimums: dict[int, int] | None = None, *, skip_rows: int = 0) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, Decimal | int | float):
                length = len(f"£{cell.value:,.2f}") + 2
            elif isinstance(cell.value, str) and cell.value.startswith("=SUM") and cell.data_type == "f":
                length = 14
            else:
                length = max(len(part) for part in str(cell.value).splitlines() or [""]) + 2
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        floor = (minimums or {}).get(column, MIN_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = max(floor, min(MAX_WIDTH, width))


def sheet_title(text: str, taken: set[str]) -> str:
    """A unique sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    clean = "".join("-" if ch in "[]:*?/\\" else ch for ch in text)[:31] or "Sheet"
    name, number = clean, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = clean[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name


def budget_pack_workbook(pack: BudgetPack, *, extra: Callable[[Workbook, set[str]], None] | None = None) -> bytes:
    """The pack as ``.xlsx`` bytes; ``extra`` adds sheets (a meeting pack's changes) before it is saved."""
    book = Workbook()
    for style in _NAMED:
        book.add_named_style(style)
    book.calculation.fullCalcOnLoad = True
    taken: set[str] = set()
    summary = book.active
    assert summary is not None
    summary.title = sheet_title("Summary", taken)
    _summary_sheet(summary, pack)
    for fund in pack.funds:
        _fund_sheet(book.create_sheet(sheet_title(f"{fund.code} {fund.year}", taken)), fund, pack)
    _findings_sheet(book.create_sheet(sheet_title("Findings", taken)), pack)
    if pack.outcomes:
        _outcomes_sheet(book.create_sheet(sheet_title("Outcomes", taken)), pack)
    if extra is not None:
        extra(book, taken)
    book.properties.title = f"Budget pack {pack.year} – {pack.partnership}"
    book.properties.creator = pack.prepared_by or pack.partnership
    book.properties.subject = f"Strategic Group budget tables, figures as at {long_date(pack.as_at)}"
    if pack.demo:
        book.properties.subject = f"{DEMO_MARK}. {book.properties.subject}"
        book.properties.keywords = "Demo data"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _titles(sheet: Worksheet, title: str, pack: BudgetPack) -> int:
    put_text(sheet, 1, 1, title, TITLE)
    put_text(sheet, 2, 1, pack.partnership, SUBTITLE)
    dates = f"Figures as at {long_date(pack.as_at)}; generated {short_datetime(pack.generated_at)}"
    if pack.demo:  # under the title of every sheet
        put_text(sheet, 3, 1, f"{DEMO_MARK}. {dates}", DEMO)
    else:
        put_text(sheet, 3, 1, dates, SUBTITLE)
    return 5


def _table(
    sheet: Worksheet,
    top: int,
    headings: Sequence[str],
    rows: Sequence[Sequence[str | Decimal | None]],
    money_columns: set[int],
    *,
    total_label: str = "Total",
    summed: set[int] | None = None,
    fixed_totals: dict[int, Decimal] | None = None,
) -> tuple[int, int]:
    """Write a heading row, the rows and a SUM total row; return (heading row, total row)."""
    for column, heading in enumerate(headings, start=1):
        put_text(sheet, top, column, heading, HEADING_MONEY if column in money_columns else HEADING)
    first = top + 1
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            if isinstance(value, Decimal):
                put_money(sheet, first + offset, column, value)
            else:
                put_text(sheet, first + offset, column, value)
    last = first + len(rows) - 1
    total_row = last + 1
    put_text(sheet, total_row, 1, total_label, TOTAL_TEXT)
    for column in range(2, len(headings) + 1):
        if fixed_totals and column in fixed_totals:
            put_money(sheet, total_row, column, fixed_totals[column], TOTAL_MONEY)
        elif column in (summed if summed is not None else money_columns):
            put_money(sheet, total_row, column, sum_formula(column, first, last) if rows else ZERO, TOTAL_MONEY)
        else:
            _cell(sheet, total_row, column).style = TOTAL_TEXT.name
    return top, total_row


def _summary_sheet(sheet: Worksheet, pack: BudgetPack) -> None:
    row = _titles(sheet, f"Budget pack for the Strategic Group, {pack.year}", pack)
    put_text(sheet, row, 1, "Summary by fund", SUBTITLE)
    headings = ["Fund", "Funding", "Received", "Allocated", "Spent to Date", "Balance Remaining"]
    rows: list[list[str | Decimal | None]] = [
        [f"{f.name} ({f.code})", f.amount, f.received, f.total_allocated, f.total_spent, f.total_balance]
        for f in pack.funds
    ]
    heading_row, total_row = _table(sheet, row + 1, headings, rows, {2, 3, 4, 5, 6})
    sheet.freeze_panes = f"A{heading_row + 1}"
    row = total_row + 2
    put_text(sheet, row, 1, "Summary by strategic priority", SUBTITLE)
    headings = ["Strategic Priority", "Lines", "Allocated", "Spent to Date", "Balance Remaining"]
    prows: list[list[str | Decimal | None]] = []
    for p in pack.priorities:
        prows.append([p.figures.label, None, p.figures.allocated, p.figures.spent, p.figures.balance])
    _, total_row = _table(sheet, row + 1, headings, prows, {3, 4, 5})
    for offset, p in enumerate(pack.priorities):
        cell = _cell(sheet, row + 2 + offset, 2)
        cell.value = p.figures.lines
        cell.style = TEXT.name
    if pack.priorities:
        lines_total = _cell(sheet, total_row, 2)
        lines_total.value = sum_formula(2, row + 2, total_row - 1)
        lines_total.style = TOTAL_TEXT.name
    _fit_widths(sheet, {1: 30}, skip_rows=3)
    # the paragraphs span the figure columns, wrapped; they do not widen the columns
    row = total_row + 2
    put_text(sheet, row, 1, "Budget / Resource Implications", SUBTITLE)
    span = sum(sheet.column_dimensions[get_column_letter(c)].width or MIN_WIDTH for c in range(2, 7))
    for offset, p in enumerate(pack.priorities, start=1):
        put_text(sheet, row + offset, 1, p.figures.label, TEXT)
        put_text(sheet, row + offset, 2, p.implications, TEXT)
        sheet.merge_cells(start_row=row + offset, start_column=2, end_row=row + offset, end_column=6)
        sheet.row_dimensions[row + offset].height = 15 * (len(p.implications) // int(span * 0.95) + 1)


def _fund_sheet(sheet: Worksheet, fund: FundTable, pack: BudgetPack) -> None:
    row = _titles(sheet, fund.title, pack)
    put_text(
        sheet,
        4,
        1,
        f"Funding {gbp(fund.amount)} ({fund.amount_status.replace('_', ' ')}); received {gbp(fund.received)}"
        + (f"; still expected {gbp(fund.expected)}" if fund.expected else ""),
        NOTE,
    )
    headings = [*fund_table_headings(fund), "Delivery Partner", "Strategic Priority"]
    money = set(range(2, len(fund_table_headings(fund)) + 1))
    rows: list[list[str | Decimal | None]] = []
    for line in fund.rows:
        rows.append(
            [
                line.description,
                line.allocated,
                *([None] if fund.show_received else []),
                line.spent,
                line.balance,
                line.delivery_partner,
                line.strategic_priority,
            ]
        )
    fixed = {3: fund.received} if fund.show_received else None
    heading_row, total_row = _table(sheet, row, headings, rows, money, fixed_totals=fixed)
    sheet.freeze_panes = f"B{heading_row + 1}"
    if fund.show_received:
        put_text(
            sheet,
            total_row + 2,
            1,
            "Funding is received by the fund, not by line: the Total row shows the fund's receipts to date.",
            NOTE,
        )
    _fit_widths(sheet, {1: 30}, skip_rows=4)


def _findings_sheet(sheet: Worksheet, pack: BudgetPack) -> None:
    row = _titles(sheet, "Open findings", pack)
    headings = ["Severity", "Code", "Rule", "Fund", "Year", "Line", "Finding", "What to do"]
    for column, heading in enumerate(headings, start=1):
        put_text(sheet, row, column, heading, HEADING)
    sheet.freeze_panes = f"A{row + 1}"
    if pack.findings is None:
        put_text(sheet, row + 1, 1, "The compliance checks could not be run for this report.", NOTE)
    grouped = [f for group in group_by_line(pack.findings or ()) for f in group.findings]
    for offset, f in enumerate(grouped, start=1):
        values = [f.severity, f.code, f.name, f.fund, f.year, f.line, f.message, f.hint]
        for column, value in enumerate(values, start=1):
            put_text(sheet, row + offset, column, value)
    _fit_widths(sheet, skip_rows=3)


def _outcomes_sheet(sheet: Worksheet, pack: BudgetPack) -> None:
    """Lines with an outcome target, and their latest update (as the PDF's "Outcome targets and progress")."""
    row = _titles(sheet, "Outcome targets and progress", pack)
    for column, heading in enumerate(("Line", "Fund", "Target (measure)", "Latest update"), start=1):
        put_text(sheet, row, column, heading, HEADING)
    for offset, o in enumerate(pack.outcomes, start=1):
        for column, value in enumerate((o.line, o.fund, o.target, o.latest), start=1):
            put_text(sheet, row + offset, column, value)
    _fit_widths(sheet, skip_rows=3)


CSV_HEADINGS = [
    "Partnership",
    "Year",
    "Fund",
    "Description",
    "Delivery Partner",
    "Strategic Priority",
    "Amount Allocated",
    "Amount Spent to Date",
    "Balance Remaining",
    "Funding Received",
    "As At",
]


def budget_pack_csv(pack: BudgetPack) -> str:
    """One row per line and a ``Total`` row per fund; plain decimals; formula-like text quoted."""
    return csv_document(CSV_HEADINGS, _pack_rows(pack), notice=DEMO_MARK if pack.demo else "")


def _pack_rows(pack: BudgetPack) -> Iterator[list[str]]:
    as_at = pack.as_at.isoformat()
    for fund in pack.funds:
        common = [pack.partnership, fund.year, fund.code]
        for line in fund.rows:
            yield [
                *common,
                line.description,
                line.delivery_partner,
                line.strategic_priority,
                plain(line.allocated),
                plain(line.spent),
                plain(line.balance),
                "",
                as_at,
            ]
        yield [
            *common,
            "Total",
            "",
            "",
            plain(fund.total_allocated),
            plain(fund.total_spent),
            plain(fund.total_balance),
            plain(fund.received) if fund.show_received else "",
            as_at,
        ]
