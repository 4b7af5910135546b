"""Typed step parsers, registered once: ``{amount:Money}``, ``{day:Date}``, ``{text:Text}`` and friends.

Every step module builds its patterns with :func:`step`, so "£7,200.00" always arrives as a ``Decimal``
and "12/10/2023" as a ``date``, read by the same functions the importer uses.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import parse
from pytest_bdd import parsers

from grants.domain.calendar import FinancialYear, parse_date
from grants.domain.money import parse_money


@parse.with_pattern(r"-?£\s?[\d,]+(?:\.\d{1,2})?")
def money(text: str) -> Decimal:
    """ "£75,500.00", "£1,500" → Decimal (exact)."""
    return parse_money(text).amount


@parse.with_pattern(r"\d{1,2}/\d{1,2}/\d{4}")
def uk_date(text: str) -> date:
    """ "26/10/2017" (day first, as the papers write it) → date."""
    return parse_date(text)


@parse.with_pattern(r"\d{4}/\d{2}")
def year(text: str) -> str:
    """ "2017/18" → the normalised financial-year label."""
    return FinancialYear.parse(text).label


@parse.with_pattern(r"[^\"]*")
def text(value: str) -> str:
    """Anything inside double quotes, including nothing (a blank Examples cell)."""
    return value


@parse.with_pattern(r"\d+(?:\.\d+)?%")
def share(value: str) -> Decimal:
    """ "25%" → Decimal("0.25")."""
    return Decimal(value.rstrip("%")) / 100


@parse.with_pattern(r"[A-Z]{3}\d{3}")
def code(value: str) -> str:
    return value


@parse.with_pattern(r"raised|not raised")
def verdict(value: str) -> bool:
    """Whether the finding must be raised."""
    return value == "raised"


TYPES = {
    "Money": money,
    "Date": uk_date,
    "Year": year,
    "Text": text,
    "Share": share,
    "Code": code,
    "Verdict": verdict,
}


def step(pattern: str) -> parsers.parse:
    """A step pattern that understands the types above."""
    return parsers.parse(pattern, extra_types=TYPES)
