"""Reading one cell: amounts, dates, kinds and text, with cheap fast paths for plain values.

Each function returns the value or raises ``CellError`` with a reason in plain words, which a
reader turns into a ``CellProblem`` for its row and column. Money stays ``Decimal`` throughout.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

from grants.domain.calendar import parse_date
from grants.domain.enums import CapitalRevenue, SpendKind
from grants.domain.errors import InvalidDate, InvalidMoney
from grants.domain.money import PENNY, ParsedMoney, parse_money
from grants.imports.normalise import clean_text, strip_bold
from grants.imports.tabular import Cell, UnreadableCell

ZERO = Decimal("0.00")
_PAGE_NUMBER = re.compile(r"^(?:page|pg\.?|p\.)\s*\d+(?:\s*of\s*\d+)?$", re.I)
_ZERO_WORDS = frozenset({"-", "–", "—", "nil", "£-", "£ -"})
_FIRST_YEAR, _LAST_YEAR = 1990, 2100
_NESTED_DATE_REASON = re.compile(r"^.* is not a real date \((.* is not a date\b.*)\)$")
_CACHE_LIMIT = 100_000
T = TypeVar("T")


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason in plain words."""


def is_blank(value: Cell) -> bool:
    """True for an empty cell or one holding only spaces (a merged or uncalculated cell is not blank: it is wrong)."""
    return value is None or (isinstance(value, str) and not value.strip() and not isinstance(value, UnreadableCell))


_FAST_AMOUNT = re.compile(r"^(-?)£?(\d{1,3}(?:,\d{3}){1,3}|\d{1,12})(\.\d{1,2})?$", re.ASCII)
_PADDED_DECIMALS = re.compile(r"\d\.\d{2}0+\b", re.ASCII)
"""``1.000``: pence padded with zeros, or a thousands point the European way; a UK amount is neither."""


def fast_amount(text: str) -> Decimal | None:
    """A plain amount such as ``1500``, ``-250.5``, ``£75,500.00`` as exact pounds, or None to take the slow path."""
    match = _FAST_AMOUNT.match(text)
    if match is None:
        return None
    sign, digits, fraction = match.groups()
    return Decimal(sign + digits.replace(",", "") + (fraction or "")).quantize(PENNY)


def read_money(value: Cell) -> ParsedMoney:
    """An amount from a cell that is not blank: spreadsheet numbers, ``£7, 200``, ``circa £34K``, ``**£75,500**``."""
    if isinstance(value, UnreadableCell):
        raise CellError(value.reason)
    if isinstance(value, str):
        text = value.strip()
        fast = fast_amount(text)
        if fast is not None:
            return ParsedMoney(fast)
        text = strip_bold(text)
        if _PADDED_DECIMALS.search(text):
            raise CellError(
                f"'{text}' has more than two digits after the point, so it could mean pounds or thousands: "
                "write pounds and pence (1.00), with commas between thousands (1,000)"
            )
        if text in _ZERO_WORDS:
            return ParsedMoney(ZERO)
        if _PAGE_NUMBER.match(text):
            raise CellError(f"'{text}' is a page number, not an amount in pounds")
        value = text
    try:
        return parse_money(value)
    except InvalidMoney as exc:
        raise CellError(_unquote_reason(str(exc), value)) from exc


def _unquote_reason(reason: str, value: Cell) -> str:
    # parse_money quotes with repr(); say it the way a person reads the cell: '£1,5OO'.
    if isinstance(value, str) and repr(value) in reason and "'" not in value:
        return reason.replace(repr(value), f"'{value}'")
    return reason


def read_date(value: Cell) -> date:
    """A date from a cell that is not blank, in any form the papers use (UK day first)."""
    if isinstance(value, UnreadableCell):
        raise CellError(value.reason)
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = parse_date(value)
        except InvalidDate as exc:
            raise CellError(_date_reason(str(exc), value)) from exc
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        written = f"'{value.strip()}'" if isinstance(value, str) else f"{day:%d/%m/%Y}"
        raise CellError(f"{written} is outside the years the tracker accepts ({_FIRST_YEAR}-{_LAST_YEAR})")
    return day


def _date_reason(reason: str, value: Cell) -> str:
    # parse_date wraps its own "is not a date" inside "is not a real date (...)": say it once.
    nested = _NESTED_DATE_REASON.match(reason)
    if nested:
        reason = nested[1]
    return _unquote_reason(reason, value.strip() if isinstance(value, str) else value)


def memoised(read: Callable[[Cell], T], limit: int = _CACHE_LIMIT) -> Callable[[Cell], T]:
    """``read`` remembering its answer (or its reason for refusing) for each distinct text: ledgers repeat."""
    memo: dict[str, tuple[bool, Any]] = {}  # text -> (read it, value) or (refused, reason)

    def cached(value: Cell) -> T:
        if type(value) is not str:
            return read(value)
        hit = memo.get(value)
        if hit is None:
            try:
                hit = (True, read(value))
            except CellError as exc:
                hit = (False, str(exc))
            if len(memo) < limit:
                memo[value] = hit
        if hit[0]:
            return cast(T, hit[1])
        raise CellError(hit[1])

    return cached


_CAPITAL_REVENUE = {
    "capital": CapitalRevenue.CAPITAL,
    "cap": CapitalRevenue.CAPITAL,
    "c": CapitalRevenue.CAPITAL,
    "revenue": CapitalRevenue.REVENUE,
    "rev": CapitalRevenue.REVENUE,
    "r": CapitalRevenue.REVENUE,
}


def read_capital_revenue(value: Cell) -> CapitalRevenue | None:
    """``Capital``/``Revenue`` (or ``Cap``, ``Rev``, ``C``, ``R``); None when blank."""
    text = clean_text(value).lower().rstrip(".")
    if not text:
        return None
    found = _CAPITAL_REVENUE.get(text)
    if found is None:
        raise CellError(f"'{clean_text(value)}' is neither Capital nor Revenue")
    return found


_KINDS = {
    "payment": SpendKind.PAYMENT,
    "payments": SpendKind.PAYMENT,
    "paid": SpendKind.PAYMENT,
    "pay": SpendKind.PAYMENT,
    "invoice": SpendKind.PAYMENT,
    "debit": SpendKind.PAYMENT,
    "spend": SpendKind.PAYMENT,
    "expenditure": SpendKind.PAYMENT,
    "refund": SpendKind.REFUND,
    "refunds": SpendKind.REFUND,
    "credit": SpendKind.REFUND,
    "credit note": SpendKind.REFUND,
    "reversal": SpendKind.REFUND,
    "income": SpendKind.INCOME,
    "sale": SpendKind.INCOME,
    "sales": SpendKind.INCOME,
    "receipt": SpendKind.INCOME,
}


def read_kind(value: Cell) -> SpendKind | None:
    """Payment, refund (``credit``, ``refund``) or income (``income``, ``sale``); None when blank."""
    text = " ".join(clean_text(value).lower().split())
    if not text:
        return None
    found = _KINDS.get(text)
    if found is None:
        raise CellError(f"'{clean_text(value)}' is not a kind of transaction (use payment, refund or income)")
    return found
