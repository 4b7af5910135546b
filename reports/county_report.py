"""The funder's county view as a PDF (landscape table), an Excel workbook or a CSV.

Every format has one row per partnership and funding stream and the county's totals (the sums of the rows);
the CSV's money is plain decimals ("1234.50") under a header row, its last row the "County total".
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from grants.domain.money import plain
from reports import styles
from reports.county_model import CountyRow, CountyView
from reports.csvfile import csv_document
from reports.document import PdfMeta, build_pdf, frame_width
from reports.tables import Cell, data_table, section, split_widths
from reports.text import DEMO_MARK, long_date, markup, plural
from reports.workbook import (
    DEMO,
    HEADING,
    HEADING_MONEY,
    MONEY,
    NOTE,
    SUBTITLE,
    TITLE,
    TOTAL_MONEY,
    TOTAL_TEXT,
    fit_widths,
    new_workbook,
    put_money,
    put_text,
)

TOTAL_LABEL = "County total"
CSV_HEADINGS = (
    "partnership", "stream", "fund", "funder", "funding", "received", "allocated", "spent", "percent_spent",
    "projects", "red_lines", "open_errors", "returns", "source",
)  # fmt: skip
_HEADINGS = (
    "Partnership", "Stream", "Funder", "Funding", "Received", "Allocated", "Spent", "% spent", "Projects",
    "Red lines", "Open errors", "Returns",
)  # fmt: skip
_MONEY_COLUMNS = (3, 4, 5, 6)


def title(view: CountyView) -> str:
    whose = f" funded by {view.funder}" if view.funder else ""
    return f"County view {view.year}: partnerships{whose}"


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def county_csv(view: CountyView) -> str:
    """The rows, then the county total, as plain values (money as "1234.50")."""
    rows: list[list[object]] = [
        [
            r.partnership,
            r.stream,
            r.fund,
            r.funder,
            plain(r.funding),
            plain(r.received),
            plain(r.allocated),
            plain(r.spent),
            "" if r.percent_spent is None else str(r.percent_spent),
            r.projects,
            r.red_lines,
            "" if r.open_errors is None else r.open_errors,
            r.returns_text,
            r.source,
        ]
        for r in view.rows
    ]
    t = view.totals
    rows.append(
        [
            TOTAL_LABEL,
            "",
            "",
            "",
            plain(t.funding),
            plain(t.received),
            plain(t.allocated),
            plain(t.spent),
            "" if t.percent_spent is None else str(t.percent_spent),
            t.projects,
            t.red_lines,
            t.open_errors,
            f"{t.overdue_returns} overdue; {t.queried_returns} queried",
            "",
        ]
    )
    return csv_document(CSV_HEADINGS, rows, notice=DEMO_MARK if view.demo else "")


def _cells(r: CountyRow) -> list[Cell]:
    return [
        f"{r.partnership}" + ("" if r.source == "this tracker" else f" ({r.source})"),
        f"{r.stream} · {r.fund}",
        r.funder,
        r.funding,
        r.received,
        r.allocated,
        r.spent,
        _percent(r.percent_spent),
        str(r.projects),
        str(r.red_lines),
        "not known" if r.open_errors is None else str(r.open_errors),
        r.returns_text,
    ]


def county_pdf(view: CountyView, *, generated_at: datetime, invariant: bool = False) -> bytes:
    meta = PdfMeta(
        title=title(view),
        partnership=view.funder or "County",
        period=view.year,
        generated_at=generated_at,
        as_at=view.as_at,
        subject=f"Partnerships' funding, spend and returns, figures as at {long_date(view.as_at)}",
        landscape=True,
        invariant=invariant,
        demo=view.demo,
    )
    width = frame_width(meta)
    s = styles.STYLES
    t = view.totals
    story: list[Flowable] = [
        Paragraph(markup(title(view)), s.title),
        Paragraph(
            markup(
                f"Figures as at {long_date(view.as_at)}: {plural(t.partnerships, 'partnership')}, "
                f"{plural(len(view.rows), 'fund')}, {plural(t.projects, 'project')}; "
                f"{plural(t.red_lines, 'red line')}, {plural(t.open_errors, 'open error')}, "
                f"{t.overdue_returns} overdue and {t.queried_returns} queried returns."
            ),
            s.subtitle,
        ),
        *section("Partnerships and streams"),
    ]
    widths = split_widths(width, [None, None, 34 * mm, 23 * mm, 23 * mm, 23 * mm, 23 * mm, 14 * mm, 14 * mm,
                                  12 * mm, 12 * mm, None])  # fmt: skip
    total: list[Cell] = [
        TOTAL_LABEL, "", "", t.funding, t.received, t.allocated, t.spent, _percent(t.percent_spent),
        str(t.projects), str(t.red_lines), str(t.open_errors), "",
    ]  # fmt: skip
    story.append(
        data_table(_HEADINGS, [_cells(r) for r in view.rows], widths, money_columns=_MONEY_COLUMNS, total=total)
    )
    story.append(
        Paragraph(
            "Funding is the award, or the receipts if they total more; spent is payments less refunds; a red line "
            "is 25% or more behind its spending profile; open errors are compliance findings neither resolved "
            "nor accepted. Returns: not yet due, due, overdue, signed off, submitted, accepted, queried, replied.",
            s.note,
        )
    )
    return build_pdf(story, meta)


def county_workbook(view: CountyView) -> bytes:
    book = new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "County"
    put_text(sheet, 1, 1, title(view), TITLE)
    dates = f"Figures as at {long_date(view.as_at)}"
    put_text(sheet, 2, 1, f"{DEMO_MARK}. {dates}" if view.demo else dates, DEMO if view.demo else SUBTITLE)
    top = 4
    for column, heading in enumerate(_HEADINGS, start=1):
        put_text(sheet, top, column, heading, HEADING_MONEY if column - 1 in _MONEY_COLUMNS else HEADING)
    row = top
    for row, r in enumerate(view.rows, start=top + 1):
        for column, value in enumerate(_cells(r), start=1):
            if isinstance(value, Decimal):
                put_money(sheet, row, column, value, MONEY)
            else:
                put_text(sheet, row, column, str(value or ""))
    t = view.totals
    total_row = row + 1
    put_text(sheet, total_row, 1, TOTAL_LABEL, TOTAL_TEXT)
    for column, value in zip((4, 5, 6, 7), (t.funding, t.received, t.allocated, t.spent), strict=True):
        put_money(sheet, total_row, column, value, TOTAL_MONEY)
    for column, text in ((8, _percent(t.percent_spent)), (9, str(t.projects)), (10, str(t.red_lines)),
                         (11, str(t.open_errors))):  # fmt: skip
        put_text(sheet, total_row, column, text, TOTAL_TEXT)
    put_text(sheet, total_row + 2, 1, "Totals are the sums of the rows above.", NOTE)
    fit_widths(sheet, skip_rows=3)
    book.properties.title = title(view)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
