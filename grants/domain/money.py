"""Exact money: pounds and pence as ``Decimal``, stored as integer pence.

Money never passes through a binary float. Amounts are parsed from the forms
the partnership's papers use (``£75,500.00``, ``£7, 200``, ``circa £34K``,
``£15,000 approx``) and formatted only at the edges (``£75,500.00``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator

from grants.domain.errors import InvalidMoney

PENNY = Decimal("0.01")
MAX_POUNDS = Decimal("999999999999.99")  # ±£1 trillion: far beyond any CSP budget


def _exact_pence(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("amount must be a finite number")
    if value != value.quantize(PENNY):
        raise ValueError(f"{value} has a fraction of a penny")
    if abs(value) > MAX_POUNDS:
        raise ValueError(f"{value} is larger than any amount the tracker accepts")
    return value.quantize(PENNY)


Pounds = Annotated[Decimal, AfterValidator(_exact_pence)]
"""A pydantic field type: an exact amount in pounds, whole pence only."""


def to_pence(amount: Decimal) -> int:
    """Whole pence of an exact amount (raises on a fraction of a penny)."""
    return int(_exact_pence(amount) * 100)


def from_pence(pence: int) -> Decimal:
    """The amount in pounds for a whole number of pence."""
    return (Decimal(int(pence)) / 100).quantize(PENNY)


def format_gbp(amount: Decimal, *, symbol: bool = True) -> str:
    """UK format: ``£75,500.00``; negatives as ``-£1,500.00``."""
    quantized = amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    sign = "-" if quantized < 0 else ""
    body = f"{abs(quantized):,.2f}"
    return f"{sign}{'£' if symbol else ''}{body}"


def plain(amount: Decimal) -> str:
    """A plain decimal for CSV and JSON: ``1500.00``."""
    return f"{amount.quantize(PENNY):.2f}"


@dataclass(frozen=True)
class ParsedMoney:
    """An amount read from a cell, with whether the text called it approximate."""

    amount: Decimal
    approximate: bool = False


_APPROX_WORDS = re.compile(r"\b(approx(?:imately)?\.?|circa|c\.|about|around|est(?:imated)?\.?)\s*|~", re.I)
_NUMBER = re.compile(r"^(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?(?P<suffix>[km])?$", re.I)


def parse_money(text: object) -> ParsedMoney:
    """Parse an amount in any form the papers use; raise ``InvalidMoney`` with the reason.

    Accepts ``£75,500.00``, ``£1,500``, ``0``, ``£7, 200``, ``£1180.44``, ``circa £34K``,
    ``£40k``, ``£15,000 approx``, ``-£250``, ``(250.00)``, and numbers from a spreadsheet.
    A blank cell is an error here: callers decide whether a blank means zero.
    """
    if isinstance(text, bool):
        raise InvalidMoney(f"{text!r} is not an amount")
    if isinstance(text, int):
        return ParsedMoney(_checked(Decimal(text), str(text)))
    if isinstance(text, Decimal):
        return ParsedMoney(_checked(text, str(text)))
    if isinstance(text, float):
        # Spreadsheet cells arrive as floats; their shortest repr is the typed value.
        return ParsedMoney(_checked(Decimal(repr(text)), repr(text)))
    if not isinstance(text, str):
        raise InvalidMoney(f"{text!r} is not an amount")
    raw = text.strip()
    if not raw:
        raise InvalidMoney("the amount is blank")
    if not raw.isascii() and any(ch.isdigit() and not ch.isascii() for ch in raw):
        raise InvalidMoney(f"{raw!r} is written with digits other than 0-9: retype the amount")
    approximate = bool(_APPROX_WORDS.search(raw))
    body = _APPROX_WORDS.sub(" ", raw).strip()
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1].strip()
    if body.startswith("-"):
        negative, body = True, body[1:].strip()
    body = body.replace("£", "").replace("GBP", "").strip()
    if body.startswith("-"):
        negative, body = True, body[1:].strip()
    # "£7, 200": a space typed after a thousands comma.
    body = re.sub(r",\s+(?=\d{3}\b)", ",", body)
    if re.fullmatch(r"[\d,.]+\s+\d{1,3}", body):
        raise InvalidMoney(f"{raw!r} has a second number after the amount (a page number in the cell?)")
    match = _NUMBER.fullmatch(body)
    if not match:
        raise InvalidMoney(f"{raw!r} is not an amount in pounds")
    digits = match["digits"].replace(",", "")
    fraction = match["fraction"] or ""
    suffix = (match["suffix"] or "").lower()
    try:
        value = Decimal(digits + fraction)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise InvalidMoney(f"{raw!r} is not an amount in pounds") from exc
    if suffix == "k":
        value *= 1000
    elif suffix == "m":
        value *= 1_000_000
    if negative:
        value = -value
    return ParsedMoney(_checked(value, raw), approximate)


def _checked(value: Decimal, raw: str) -> Decimal:
    try:
        return _exact_pence(value)
    except ValueError as exc:
        raise InvalidMoney(f"{raw!r}: {exc}") from exc
