"""Blank templates for the imports: a heading row as an Excel workbook (with a sheet of notes) or a CSV file."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports.csvfile import csv_document

_FIXED_MOMENT = datetime(2000, 1, 1)  # noqa: DTZ001 - openpyxl stores naive times; the same template, the same bytes


def blank_csv(headings: Sequence[str]) -> bytes:
    """A CSV template: the heading row only."""
    return csv_document(headings, []).encode("utf-8")


def blank_workbook(sheet_name: str, headings: Sequence[str], notes: Sequence[str]) -> bytes:
    """An Excel template: the heading row (bold, frozen), and a sheet "How to fill in" with ``notes``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_name
    for column, heading in enumerate(headings, 1):
        cell = sheet.cell(row=1, column=column, value=heading)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = max(14, min(len(heading) + 4, 40))
    sheet.freeze_panes = "A2"
    notes_sheet = workbook.create_sheet("How to fill in")
    for number, text in enumerate(notes, 1):
        notes_sheet.cell(row=number, column=1, value=text)
    notes_sheet.column_dimensions["A"].width = 120
    workbook.properties.created = workbook.properties.modified = _FIXED_MOMENT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
