"""Financial tables for stories: escaped, wrapped text; right-aligned money; a styled total row.

Cells are given as data: ``str`` (user text, escaped and wrapped), ``Decimal`` (money, right-aligned,
``£1,500.00``), ``Money`` (a pre-formatted right-aligned figure) or ``None`` (blank). Tables repeat
their heading row on every page and never leave the total row alone at the top of a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table

from reports import styles
from reports.text import gbp, markup


@dataclass(frozen=True)
class Figure:
    """A right-aligned figure that is not money (a count, a percentage, a RAG label)."""

    text: str


@dataclass(frozen=True)
class Noted:
    """Text with a muted note under it (a finding's message and what to do about it)."""

    text: str
    note: str = ""


Cell = str | Decimal | Figure | Noted | None


class CellParagraph(Paragraph):
    """A table cell's paragraph that breaks its lines once per width.

    A long table is measured again each time it splits across a page, and every cell's text is
    re-broken into lines although its column width has not changed: the same lines, computed again
    and again. Breaking depends only on the text, the style and the width, so this keeps the last
    result for the last width and draws exactly what a plain ``Paragraph`` draws.
    """

    _wrapped_for: float | None = None
    _wrapped: tuple[float, float] = (0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped_for == availWidth:
            self.width = availWidth
            return self._wrapped
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_for, self._wrapped = availWidth, size
        return size


def section(title: str, min_space: float = styles.MIN_SECTION_SPACE) -> list[Flowable]:
    """A heading that starts a new page rather than sit at the foot of one; the table after it may split."""
    return [CondPageBreak(min_space), Paragraph(markup(title), styles.STYLES.heading)]


def _cell(value: Cell, *, bold: bool = False) -> Paragraph | list[Paragraph] | str:
    s = styles.STYLES
    if value is None:
        return ""
    if isinstance(value, Noted):
        text = CellParagraph(markup(value.text), s.cell_bold if bold else s.cell)
        return [text, CellParagraph(markup(value.note), s.hint_cell)] if value.note else text
    if isinstance(value, Decimal):
        return CellParagraph(markup(gbp(value)), s.cell_money_bold if bold else s.cell_money)
    if isinstance(value, Figure):
        return CellParagraph(markup(value.text), s.cell_money_bold if bold else s.cell_money)
    return CellParagraph(markup(value), s.cell_bold if bold else s.cell)


def data_table(
    headings: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    money_columns: Sequence[int] = (),
    total: Sequence[Cell] | None = None,
    extra: Sequence[tuple[object, ...]] = (),
    banded: bool = True,
) -> Table:
    """A table with a heading row repeated on each page, body rows and an optional bold total row."""
    s = styles.STYLES
    heading_row: list[Paragraph | list[Paragraph] | str] = [
        CellParagraph(markup(h), s.heading_cell_money if i in money_columns else s.heading_cell)
        for i, h in enumerate(headings)
    ]
    body = [[_cell(value) for value in row] for row in rows]
    data: list[list[Paragraph | list[Paragraph] | str]] = [heading_row, *body]
    if total is not None:
        data.append([_cell(value, bold=True) for value in total])
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    style = styles.money_table_style(len(data), total=total is not None, banded=banded)
    for command in extra:
        style.add(*command)
    table.setStyle(style)
    return table


def key_values(pairs: Sequence[tuple[str, Cell]], widths: Sequence[float]) -> Table:
    """Labelled figures, one per row (label left, value right)."""
    s = styles.STYLES
    data = [[Paragraph(markup(label), s.label_cell), _cell(value)] for label, value in pairs]
    table = Table(data, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(styles.key_value_style())
    return table


def split_widths(total_width: float, fixed: Sequence[float | None]) -> list[float]:
    """Column widths where ``None`` columns share what the fixed ones leave."""
    spare = total_width - sum(w for w in fixed if w is not None)
    flexible = sum(1 for w in fixed if w is None) or 1
    return [w if w is not None else spare / flexible for w in fixed]
