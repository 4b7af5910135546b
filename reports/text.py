"""Text at the edges: dates as the papers write them, escaped Paragraph markup, formula-safe cells.

Names are data. A delivery partner called ``Fish & Chips <Ltd>`` must print as written, so every
piece of user text that goes into a reportlab ``Paragraph`` passes through :func:`markup` first.

A description that starts with ``=``, ``+``, ``-`` or ``@`` must not become a formula in a
spreadsheet. In CSV (which has no cell types) such text is written with a leading single quote
(``'=SUM(A1)``), the usual guard that spreadsheet programs show as text; tab and carriage return are
guarded the same way. Numbers are never guarded: a negative amount stays ``-250.00``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

from grants.domain.money import format_gbp

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def markup(text: str) -> str:
    """User text made safe for reportlab's Paragraph mini-markup (``&``, ``<``, ``>`` escaped)."""
    return escape(text)


def markup_lines(text: str) -> str:
    """Free text with its line breaks kept, escaped."""
    return "<br/>".join(markup(part) for part in text.splitlines())


def long_date(day: date | None) -> str:
    """``26 October 2017``; blank for no date."""
    return f"{day.day} {day:%B %Y}" if day is not None else ""


def short_date(day: date | None) -> str:
    """``26 Oct 2017``; blank for no date."""
    return f"{day.day} {day:%b %Y}" if day is not None else ""


def short_datetime(moment: datetime) -> str:
    """``31 Oct 2026 14:05``."""
    return f"{moment.day} {moment:%b %Y %H:%M}"


def gbp(amount: Decimal) -> str:
    """``£75,500.00``."""
    return format_gbp(amount)


def percent(part: Decimal, whole: Decimal) -> str:
    """``43.1%``; blank when the whole is zero."""
    if not whole:
        return ""
    return f"{(part * 100 / whole).quantize(Decimal('0.1'))}%"


def csv_text(value: str) -> str:
    """A text cell for CSV, with formula-like text quoted (``'=1+1``)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 line``, ``3 lines``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """Lower-case letters and digits joined by hyphens: ``fish-chips-ltd``."""
    out: list[str] = []
    for char in text.casefold().replace("&", " and "):
        out.append(char if char.isascii() and char.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part) or "unnamed"
