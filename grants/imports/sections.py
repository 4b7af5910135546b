"""Splitting a file that holds several funds' tables into one section per fund.

The papers print funds one after another ("The funds currently received by the CSP are: …"). A
file may hold them one sheet per fund, or stacked in one sheet. A section starts at a heading row
(the column headings) or at a row that names a fund: a title row above the headings
("Partnership Locality Fund 2017/18"), or a fund heading row inside the table (the fund's name,
its Funding Received, and blank allocation cells). Its fund is the nearest such name above it, or
else the sheet's name.

Which text names which fund is the caller's (``FundNamer``): the streams the tracker knows and
the partnership's own funds. The reader only says where each name was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from grants.imports.cells import is_blank
from grants.imports.headings import HeadingSet
from grants.imports.normalise import clean_text
from grants.imports.sheets import Sheet
from grants.imports.tabular import Row

FundNamer = Callable[[str], str | None]
"""The fund code a heading names (``'Partnership Locality Fund 2017/18'`` → ``'PLF'``), or None."""

_YEAR = re.compile(r"\b(20\d\d)\s*[/\-–]\s*(\d\d)\b")
_TITLE_BUFFER = 50


@dataclass(frozen=True)
class FundName:
    """Where a file names a fund: the code it names, the text as written, and its row."""

    code: str
    text: str
    row: int | None  # None: the sheet's name
    year: str = ""  # a financial year written beside the name ("2017/18"), if any


@dataclass
class Piece:
    """One step of a sheet: a heading row, a row of text naming a fund, or any other row."""

    kind: str  # "heading", "fund" or "row"
    number: int
    row: Row = ()
    fund: FundName | None = None


@dataclass
class SheetSplitter:
    """Walks a sheet's rows, telling headings, fund names and data apart."""

    headings: HeadingSet
    namer: FundNamer

    def pieces(self, sheet: Sheet) -> Iterator[Piece]:
        """The sheet's rows as pieces; rows of text before the first heading row are titles."""
        titles: list[tuple[int, Row]] = []  # one-cell text rows not yet known to be data or titles
        for number, row in sheet.rows:
            if self.headings.score(row) >= 2:
                yield from self._titles(titles, before_heading=True)
                titles = []
                yield Piece("heading", number, row)
                continue
            text = _only_text(row)
            if text is not None:
                titles.append((number, row))
                if len(titles) > _TITLE_BUFFER:
                    yield from self._titles(titles[:1], before_heading=False)
                    del titles[:1]
                continue
            yield from self._titles(titles, before_heading=False)
            titles = []
            yield Piece("row", number, row)
        yield from self._titles(titles, before_heading=False)

    def _titles(self, titles: list[tuple[int, Row]], *, before_heading: bool) -> Iterator[Piece]:
        for number, row in titles:
            fund = self.name(_only_text(row) or "", number)
            if fund is not None:
                yield Piece("fund", number, row, fund)
            elif not before_heading:
                yield Piece("row", number, row)

    def name(self, text: str, number: int | None) -> FundName | None:
        """The fund ``text`` names, with any year written beside it."""
        code = self.namer(text)
        if code is None:
            return None
        year = _YEAR.search(text)
        written = f"{year[1]}/{year[2]}" if year else ""
        return FundName(code, clean_text(text), number, written)


def _only_text(row: Row) -> str | None:
    """The text of a row holding one filled cell, which is text (a title or sub-heading); else None."""
    filled = [cell for cell in row if not is_blank(cell)]
    if len(filled) == 1 and isinstance(filled[0], str):
        return clean_text(filled[0])
    return None
