"""Text at the edges: dates as the papers write them, escaped Paragraph markup, formula-safe cells.

Names are data. A delivery partner called ``Fish & Chips <Ltd>`` must print as written, so every
piece of user text that goes into a reportlab ``Paragraph`` passes through :func:`markup` first.

Formula-like text in CSV is guarded by :mod:`reports.csvfile`, the one CSV writer.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

from grants.domain.money import format_gbp

DEMO_MARK = "Demo data: illustrative figures, not a real ledger"
"""On every page, sheet and row of what a demo database produces (PDF, XLSX, CSV)."""


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
