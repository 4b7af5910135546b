"""The OPCC return as a workbook (``.xlsx``), beside the PDF: the same figures, with live totals.

Two sheets: "Return" (the financial summary, the budget lines with live ``=SUM`` totals and a live variance
per line, the claim of a quarterly fund, the partnership's explanations) and "Issues" (in plain words with the
partnership's response). Each prints on A4 landscape, one page wide, with the heading rows repeated.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from reports.model import ReturnView
from reports.return_sections import ABOUT_THE_RETURN_ITSELF, SEVERITY_WORDS
from reports.text import long_date
from reports.workbook import (
    _NAMED,
    HEADING,
    HEADING_MONEY,
    NOTE,
    SUBTITLE,
    TITLE,
    TOTAL_MONEY,
    TOTAL_TEXT,
    _fit_widths,
    put_money,
    put_text,
    sum_formula,
)

LINE_HEADINGS = ("Description", "Provider", "Priority", "Allocated", "Profile to date", "Actual to date", "Variance",
                 "RAG", "Explanation")  # fmt: skip
MONEY_COLUMNS = (4, 5, 6, 7)


def _print_setup(sheet: Worksheet, heading_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    setup = sheet.sheet_properties.pageSetUpPr
    if setup is not None:
        setup.fitToPage = True
    else:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    sheet.print_options.gridLines = False
    footer = sheet.oddFooter
    if footer is not None:
        footer.center.text = "Page &P of &N"
    sheet.freeze_panes = f"A{heading_row + 1}"


def return_workbook(view: ReturnView) -> bytes:
    book = Workbook()
    for style in _NAMED:
        book.add_named_style(style)
    book.calculation.fullCalcOnLoad = True
    sheet = book.active
    assert sheet is not None
    sheet.title = "Return"
    _return_sheet(sheet, view)
    _issues_sheet(book.create_sheet("Issues"), view)
    book.properties.title = f"OPCC return {view.fund_code} {view.period} – {view.partnership}"
    book.properties.creator = view.prepared_by or view.partnership
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _return_sheet(sheet: Worksheet, view: ReturnView) -> None:
    put_text(sheet, 1, 1, f"OPCC return: {view.fund_name} ({view.fund_code}), {view.period}", TITLE)
    status = f"{view.status.upper()}" + (f" on {long_date(view.submitted_on)}" if view.submitted_on else "")
    put_text(sheet, 2, 1, f"{view.partnership} · figures as at {long_date(view.as_at)} · {status}", SUBTITLE)
    row = 4
    claim = view.extras.claim
    summary = [
        ("Funding awarded", view.fund_amount),
        ("Funding received", view.funding_received),
        ("Funding still expected", claim.still_expected if claim else view.funding_expected),
        ("Spent in the period", view.spent_in_period),
        ("Committed", view.committed),
        ("Forecast outturn", view.forecast_outturn),
        ("Projected underspend (negative: overspend)", view.projected_underspend),
    ]
    for label, amount in summary:
        put_text(sheet, row, 1, label)
        put_money(sheet, row, 4, amount)
        row += 1
    if claim is not None:
        row += 1
        put_text(sheet, row, 1, f"Claim for the quarter · funding chain: {claim.funding_chain}", SUBTITLE)
        row += 1
        start = row
        for label, amount in (
            ("Grant spend in the quarter", claim.grant_spend_in_period),
            ("Claimed to date", claim.claimed_to_date),
            ("Match to date: cash", claim.match_cash),
            ("Match to date: officer hours × rate", claim.match_in_kind),
        ):
            put_text(sheet, row, 1, label)
            put_money(sheet, row, 4, amount)
            row += 1
        put_text(sheet, row, 1, "Match to date: total", TOTAL_TEXT)
        put_money(sheet, row, 4, sum_formula(4, start + 2, start + 3), TOTAL_MONEY)
        row += 1
        put_text(sheet, row, 1, f"Match required ({claim.match_share} of grant spend to date)")
        put_money(sheet, row, 4, claim.match_required)
        row += 1
    row += 1
    heading = row
    for column, name in enumerate(LINE_HEADINGS, start=1):
        put_text(sheet, row, column, name, HEADING_MONEY if column in MONEY_COLUMNS else HEADING)
    first = row + 1
    for line in view.lines:
        row += 1
        put_text(sheet, row, 1, line.description)
        put_text(sheet, row, 2, line.provider)
        put_text(sheet, row, 3, line.priority)
        put_money(sheet, row, 4, line.allocated)
        put_money(sheet, row, 5, line.profile_to_date)
        put_money(sheet, row, 6, line.actual_to_date)
        put_money(sheet, row, 7, f"={get_column_letter(6)}{row}-{get_column_letter(5)}{row}")  # live variance
        put_text(sheet, row, 8, line.rag)
        put_text(sheet, row, 9, view.extras.explanation_of(line.description))
    row += 1
    put_text(sheet, row, 1, "Total", TOTAL_TEXT)
    for column in range(2, 10):
        if column in MONEY_COLUMNS:
            put_money(sheet, row, column, sum_formula(column, first, row - 1), TOTAL_MONEY)
        else:
            put_text(sheet, row, column, "", TOTAL_TEXT)
    row += 2
    for label, text in (("Explanation of variances", view.explanations), ("Risks", view.risks)):
        put_text(sheet, row, 1, f"{label}: {text.strip() or 'None given.'}", NOTE)
        row += 1
    _fit_widths(sheet, {1: 40, 9: 40}, skip_rows=3)
    _print_setup(sheet, heading)


def _issues_sheet(sheet: Worksheet, view: ReturnView) -> None:
    put_text(sheet, 1, 1, f"Issues and the partnership's response: {view.fund_code} {view.period}", TITLE)
    for column, name in enumerate(("", "Where", "Issue", "Partnership's response"), start=1):
        put_text(sheet, 3, column, name, HEADING)
    row = 3
    for finding in view.findings or ():
        if finding.code in ABOUT_THE_RETURN_ITSELF:
            continue
        row += 1
        response = view.extras.explanation_of(finding.line) if finding.line else ""
        put_text(sheet, row, 1, SEVERITY_WORDS.get(finding.severity, finding.severity))
        put_text(sheet, row, 2, finding.line or "The fund as a whole")
        put_text(sheet, row, 3, finding.message)
        put_text(sheet, row, 4, f"{response}\n{finding.accepted}".strip() or "No response recorded.")
    _fit_widths(sheet, {3: 50, 4: 50}, skip_rows=2)
    _print_setup(sheet, 3)
