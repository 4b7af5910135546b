"""Shared bookkeeping for the readers: cells by field name, and the list of problems found so far."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from grants.imports.cells import is_blank
from grants.imports.headings import Columns
from grants.imports.parsed import CellProblem, Problems
from grants.imports.tabular import Cell, Row


class RowReader:
    """Reads fields out of rows for one resolved heading row, and collects problems."""

    def __init__(self, source: str, columns: Columns, where: str = "") -> None:
        self.source = source
        self.columns = columns
        self.where = where  # " (sheet 'X')" when the table is not on the first sheet
        self.problems: list[CellProblem] = Problems()
        self.unlabelled = [i for i, heading in enumerate(columns.headings) if not heading]
        self.width = len(columns.headings)

    def cell(self, row: Row, name: str) -> Cell:
        """The cell under a field's column (None when the file has no such column or the row is short)."""
        index = self.columns.index.get(name)
        if index is None or index >= len(row):
            return None
        return row[index]

    def heading(self, name: str) -> str:
        """A field's heading as written in the file."""
        return self.columns.written.get(name, name)

    def problem(self, row: int | None, column: str | None, reason: str) -> None:
        """Note a problem (the sheet is named in the reason when it is not the first)."""
        self.problems.append(CellProblem(self.source, row, column, reason + self.where))

    def located(self, problem: CellProblem) -> CellProblem:
        """A problem found elsewhere, with the sheet named as ``problem`` would."""
        return replace(problem, reason=problem.reason + self.where) if self.where else problem


def stray_values(reader: RowReader, number: int, row: Row) -> None:
    """Report values in columns that have no heading: the reader cannot tell what they are."""
    for index in reader.unlabelled:
        if index < len(row) and not is_blank(row[index]):
            _stray(reader, number, index, row[index])
    for index in range(reader.width, len(row)):
        if not is_blank(row[index]):
            _stray(reader, number, index, row[index])


def _stray(reader: RowReader, number: int, index: int, value: Cell) -> None:
    reader.problem(
        number,
        reader.columns.heading_at(index),
        f"'{value}' is in a column with no heading: give the column a heading or clear it",
    )


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a million row objects (none of them cyclic).

    Without this, CPython's full collections rescan the growing list again and again and a
    million-row ledger takes a quarter longer. The previous setting is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


TEXT_LIMITS = {
    "description": 500,
    "line": 500,
    "reference": 500,
    "delivery_partner": 200,
    "strategic_priority": 200,
    "area": 200,
    "theme": 200,
    "cohort": 200,
}
"""The longest text the ledger keeps in each field (the database columns' lengths)."""


def too_long(text: str, field: str) -> str | None:
    """The reason a text is too long for its field, or None."""
    limit = TEXT_LIMITS.get(field)
    if limit is None or len(text) <= limit:
        return None
    return f"the text is {len(text):,} characters, longer than the {limit} the tracker keeps: shorten it"
