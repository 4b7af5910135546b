"""The financial calendar: years "2023/24" (1 April - 31 March), quarters, halves, messy dates.

Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar; H1 Apr-Sep, H2 Oct-Mar.
Nothing here reads the clock: "today" is always a parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import total_ordering

from grants.domain.errors import InvalidDate, InvalidPeriod

_YEAR_LABEL = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*$", re.I)


@total_ordering
@dataclass(frozen=True)
class FinancialYear:
    """A UK public-sector financial year, named by the calendar year it starts in."""

    start_year: int

    def __post_init__(self) -> None:
        if not 1990 <= self.start_year <= 2100:
            raise InvalidPeriod(f"financial year starting {self.start_year} is out of range")

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read "2023/24", "2023-24", "2023/2024" or "FY2023/24"."""
        match = _YEAR_LABEL.match(str(text))
        if not match:
            raise InvalidPeriod(f"{text!r} is not a financial year like 2023/24")
        start = int(match[1])
        end = int(match[2])
        expected_end = start + 1
        if end != expected_end and end != expected_end % 100:
            raise InvalidPeriod(f"{text!r}: a financial year runs from one year into the next")
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        """The financial year a date falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def quarter(self, number: int) -> Period:
        """Quarter 1-4 of this year."""
        if number not in (1, 2, 3, 4):
            raise InvalidPeriod(f"there is no quarter {number}; quarters are Q1 to Q4")
        month = 4 + 3 * (number - 1)
        year = self.start_year + (1 if month > 12 else 0)
        month = (month - 1) % 12 + 1
        start = date(year, month, 1)
        return Period(f"{self.label} Q{number}", start, _month_end(_add_months(start, 2)))

    def half(self, number: int) -> Period:
        """Half 1 (Apr-Sep) or 2 (Oct-Mar) of this year."""
        if number not in (1, 2):
            raise InvalidPeriod(f"there is no half {number}; halves are H1 and H2")
        first = self.quarter(2 * number - 1)
        second = self.quarter(2 * number)
        return Period(f"{self.label} H{number}", first.start, second.end)

    @property
    def period(self) -> Period:
        return Period(self.label, self.start, self.end)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FinancialYear):
            return NotImplemented
        return self.start_year < other.start_year

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Period:
    """A named span of days, both ends included."""

    name: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidPeriod(f"{self.name}: ends {self.end} before it starts {self.start}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def elapsed_fraction(self, as_at: date) -> float:
        """Share of the period's days passed by the end of ``as_at`` (0 before, 1 after)."""
        if as_at < self.start:
            return 0.0
        if as_at >= self.end:
            return 1.0
        return ((as_at - self.start).days + 1) / self.days


def quarter_of(day: date) -> tuple[FinancialYear, int]:
    """The financial year and quarter number (1-4) a date falls in."""
    year = FinancialYear.containing(day)
    months_in = (day.month - 4) % 12
    return year, months_in // 3 + 1


def parse_period(text: str) -> Period:
    """Read "2023/24", "2023/24 Q2" or "2023/24 H1"."""
    match = re.match(r"^\s*(.+?)\s+([QH])([1-4])\s*$", text, re.I)
    if not match:
        return FinancialYear.parse(text).period
    year = FinancialYear.parse(match[1])
    kind, number = match[2].upper(), int(match[3])
    return year.quarter(number) if kind == "Q" else year.half(number)


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def _month_end(day: date) -> date:
    return _add_months(day, 1) - timedelta(days=1)


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: object) -> date:
    """Read a date in any form the papers use; UK day-first order.

    ``12102023`` (DDMMYYYY), ``260123`` (DDMMYY), ``12/12/23``, ``12/12/2023``, ``12.12.2023``,
    ``22nd December 2023``, ``22 Dec 2023``, ``December 22, 2023``, ISO ``2023-12-22``, a
    spreadsheet date cell, or an Excel serial day number.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise InvalidDate(f"{value!r} is not a date")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 20000 <= value <= 80000:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        raise InvalidDate(f"{value!r} is not a date")
    raw = value.strip()
    if not raw:
        raise InvalidDate("the date is blank")
    if not raw.isascii() and any(ch.isdigit() and not ch.isascii() for ch in raw):
        raise InvalidDate(f"{raw!r} is written with digits other than 0-9: retype the date")
    try:
        return _parse_date_text(raw)
    except InvalidDate:
        raise
    except ValueError as exc:
        raise InvalidDate(f"{raw!r} is not a real date ({exc})") from exc


def _parse_date_text(raw: str) -> date:
    text = raw.lower().replace(",", " ")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    if re.fullmatch(r"\d{8}", text):
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    if re.fullmatch(r"\d{6}", text):
        return date(_century(int(text[4:])), int(text[2:4]), int(text[:2]))
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", text)
    if match:
        return date(_full_year(match[3]), int(match[2]), int(match[1]))
    words = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", text).split()
    match_day_first = len(words) == 3 and words[0].isdigit() and words[1] in _MONTHS and words[2].isdigit()
    if match_day_first:
        return date(_full_year(words[2]), _MONTHS[words[1]], int(words[0]))
    match_month_first = len(words) == 3 and words[0] in _MONTHS and words[1].isdigit() and words[2].isdigit()
    if match_month_first:
        return date(_full_year(words[2]), _MONTHS[words[0]], int(words[1]))
    raise InvalidDate(f"{raw!r} is not a date (try 22/12/2023)")


def _full_year(text: str) -> int:
    """Two digits are this century or the last; four are the year as written (``0024`` is the year 24)."""
    year = int(text)
    return _century(year) if len(text) <= 2 else year


def _century(two_digits: int) -> int:
    return 2000 + two_digits if two_digits < 70 else 1900 + two_digits
