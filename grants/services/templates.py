"""Blank import templates (budget, spend, profile, plan) as the bytes of an Excel workbook or a CSV file."""

from __future__ import annotations

from grants.imports.templates import KINDS, NOTES, SHEET_NAMES, template_headings
from reports.import_templates import blank_csv, blank_workbook

__all__ = ["KINDS", "template", "template_headings"]


def template(kind: str, suffix: str) -> bytes:
    """The template for ``kind`` in the format of ``suffix`` (.xlsx or .csv); ``ValueError`` for anything else."""
    headings = template_headings(kind)
    if suffix.lower() == ".csv":
        return blank_csv(headings)
    if suffix.lower() == ".xlsx":
        return blank_workbook(SHEET_NAMES[kind], headings, NOTES[kind])
    raise ValueError(f"a template is written as .xlsx or .csv, not {suffix or 'a file with no extension'}")
