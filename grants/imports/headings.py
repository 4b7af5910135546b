"""Recognising column headings, whatever their case, spacing or punctuation.

Each kind of file has a ``HeadingSet``: canonical field names, the headings people write
for them, and which are required. ``HeadingSet.resolve`` maps a heading row to fields and
reports unknown headings (with a did-you-mean), repeated fields and missing required ones.
Notes-like columns (``Notes``, ``Comments``, ``RAG``, ``Status``) are ignored.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from grants.imports.normalise import clean_text
from grants.imports.parsed import CellProblem

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_IGNORED = re.compile(r"^(?:notes?|comments?|rag|ragstatus|ragrating|status|remarks?)(?:and(?:notes?|comments?))?$")
_IGNORED_PREFIX = ("note", "comment")


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def heading_key(value: object) -> str:
    """A heading reduced for comparison: lowercase letters and digits only (``Capital/Revenue``: ``capitalrevenue``)."""
    return _NON_ALNUM.sub("", clean_text(value).lower())


def is_ignored_heading(value: object) -> bool:
    """True for a notes/comments/RAG/status column, which readers skip."""
    key = heading_key(value)
    return bool(_IGNORED.match(key)) or key.startswith(_IGNORED_PREFIX)


@dataclass(frozen=True)
class Field:
    """One canonical column: its name, a plain-words label, the headings people write, and whether required."""

    name: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class Columns:
    """A resolved heading row: which column index holds which field, and the headings as written."""

    index: dict[str, int]  # field name -> 0-based column index
    written: dict[str, str]  # field name -> heading as written
    headings: list[str]  # every heading cell as written ("" for blank), by column index
    ignored: frozenset[int] = field(default_factory=frozenset)  # notes/comments/blank-heading columns

    def heading_at(self, column: int) -> str:
        """The heading as written over a column, or its letter when the heading is blank."""
        if column < len(self.headings) and self.headings[column]:
            return self.headings[column]
        return column_letter(column)


class HeadingSet:
    """The headings one kind of file may have."""

    def __init__(self, kind: str, fields: Sequence[Field]) -> None:
        self.kind = kind
        self.fields = {f.name: f for f in fields}
        self._lookup: dict[str, str] = {}
        for f in fields:
            for alias in f.aliases:
                key = heading_key(alias)
                if key in self._lookup:  # pragma: no cover - a programming error in the tables below
                    raise ValueError(f"heading {alias!r} is listed twice for {kind}")
                self._lookup[key] = f.name
        self._display = {heading_key(alias): alias for f in fields for alias in f.aliases}

    def match(self, value: object) -> str | None:
        """The field a heading cell names, or None."""
        return self._lookup.get(heading_key(value))

    def score(self, row: Sequence[object]) -> int:
        """How many cells of a row are known headings (distinct fields)."""
        return len({name for cell in row if isinstance(cell, str) and (name := self.match(cell)) is not None})

    def suggest(self, value: object) -> str | None:
        """The closest known heading to an unknown one, as people write it."""
        key = heading_key(value)
        close = difflib.get_close_matches(key, list(self._display), n=1, cutoff=0.6)
        return self._display[close[0]] if close else None

    def expected(self) -> str:
        """The required headings in words: ``'Description' and 'Amount Allocated'``."""
        names = [f"'{f.aliases[0]}'" for f in self.fields.values() if f.required]
        return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)

    def resolve(
        self, row: Sequence[object], *, source: str, row_number: int, required: Sequence[str] | None = None
    ) -> tuple[Columns, list[CellProblem]]:
        """Map a heading row to fields; report unknown, repeated and missing headings."""
        problems: list[CellProblem] = []
        index: dict[str, int] = {}
        written: dict[str, str] = {}
        headings = [clean_text(cell) for cell in row]
        ignored: set[int] = set()
        suggested: set[str] = set()
        for column, heading in enumerate(headings):
            if not heading or is_ignored_heading(heading):
                ignored.add(column)
                continue
            name = self.match(heading)
            if name is None:
                suggestion = self.suggest(heading)
                hint = f" — did you mean '{suggestion}'?" if suggestion else f" ({self._known()})"
                if suggestion:
                    suggested.add(self._lookup[heading_key(suggestion)])
                problems.append(CellProblem(source, row_number, heading, f"unknown column '{heading}'{hint}"))
                continue
            if name in index:
                problems.append(
                    CellProblem(
                        source,
                        row_number,
                        heading,
                        f"two columns give the {self.fields[name].label}: '{written[name]}' and '{heading}'",
                    )
                )
                continue
            index[name] = column
            written[name] = heading
        wanted = required if required is not None else [f.name for f in self.fields.values() if f.required]
        found = ", ".join(f"'{h}'" for h in headings if h) or "nothing"
        for name in wanted:
            if name not in index and name not in suggested:
                f = self.fields[name]
                problems.append(
                    CellProblem(
                        source,
                        row_number,
                        None,
                        f"no column for the {f.label} (expected a heading such as '{f.aliases[0]}'); "
                        f"the heading row has {found}",
                    )
                )
        return Columns(index, written, headings, frozenset(ignored)), problems

    def _known(self) -> str:
        return "known columns: " + ", ".join(f"'{f.aliases[0]}'" for f in self.fields.values())


BUDGET_HEADINGS = HeadingSet(
    "budget table",
    [
        Field(
            "description",
            "line description",
            ("Description", "Initiative Description", "Initiative", "Project", "Budget Line", "Project Description"),
            required=True,
        ),
        Field(
            "allocated",
            "amount allocated",
            ("Amount Allocated", "Funding Allocated", "Allocated", "Allocation", "Budget"),
            required=True,
        ),
        Field(
            "spent",
            "amount spent to date",
            ("Amount Spent to Date", "Spent to Date", "Spend to Date", "Spent", "Actual", "Amount Spent"),
        ),
        Field("balance", "balance remaining", ("Balance Remaining", "Balance", "Remaining")),
        Field("received", "funding received", ("Funding Received", "Received", "Amount Received")),
        Field(
            "delivery_partner",
            "delivery partner",
            ("Delivery Partner", "Provider", "Partner", "Organisation", "Lead Agency", "Lead Partner"),
        ),
        Field("strategic_priority", "strategic priority", ("Strategic Priority", "Priority", "Strategic Priorities")),
        Field("area", "area", ("Area", "Beat", "Location")),
        Field("theme", "theme", ("Theme", "Themes")),
        Field("cohort", "cohort", ("Cohort", "Target Group")),
        Field("capital_revenue", "capital or revenue", ("Capital/Revenue", "Type", "Capital or Revenue", "Cap/Rev")),
        Field("line_id", "line id", ("Line ID", "Line No")),
    ],
)

SPEND_HEADINGS = HeadingSet(
    "spend ledger",
    [
        Field("date", "date", ("Date", "Payment Date", "Transaction Date", "Date Paid"), required=True),
        Field("amount", "amount", ("Amount", "Value", "Net", "Net Amount"), required=True),
        Field(
            "line",
            "budget line",
            ("Budget Line", "Line", "Description", "Project", "Initiative"),
            required=True,
        ),
        Field("reference", "reference", ("Reference", "Ref", "Invoice", "PO", "Invoice Number", "PO Number")),
        Field("kind", "kind (payment, refund or income)", ("Type", "Kind", "Transaction Type")),
        Field("capital_revenue", "capital or revenue", ("Capital/Revenue", "Capital or Revenue")),
    ],
)

PROFILE_HEADINGS = HeadingSet(
    "spend profile",
    [
        Field("line", "budget line", ("Line", "Description", "Budget Line", "Project", "Initiative"), required=True),
        Field("q1", "Q1 amount", ("Q1", "Quarter 1", "Qtr 1", "Q1 (Apr-Jun)")),
        Field("q2", "Q2 amount", ("Q2", "Quarter 2", "Qtr 2", "Q2 (Jul-Sep)")),
        Field("q3", "Q3 amount", ("Q3", "Quarter 3", "Qtr 3", "Q3 (Oct-Dec)")),
        Field("q4", "Q4 amount", ("Q4", "Quarter 4", "Qtr 4", "Q4 (Jan-Mar)")),
        Field("year", "financial year", ("Year", "Financial Year", "FY")),
        Field("quarter", "quarter", ("Quarter", "Qtr")),
        Field("amount", "amount", ("Amount", "Planned", "Profile", "Planned Amount", "Value")),
    ],
)

PLAN_HEADINGS = HeadingSet(
    "action plan",
    [
        Field("action", "key action", ("Key Action", "Key Actions", "Action", "Actions", "Activity"), required=True),
        Field("lead", "lead agency", ("Lead Agency", "Lead", "Lead Partner", "Lead Organisation", "Responsible")),
        Field("timescales", "time scales", ("Time Scales", "Time Scale", "By When")),
        Field(
            "cost",
            "financial and resource implications",
            (
                "Financial and Resource Implications",
                "Financial & Resource Implications",
                "Resource Implications",
                "Financial Implications",
                "Cost",
                "Costs",
                "Resources",
            ),
        ),
        Field("target", "outcome target", ("Outcome Target", "Outcome Targets", "Target", "Targets", "Outcome")),
        Field(
            "measure",
            "performance measure",
            ("Performance Measure", "Performance Measures", "Measure", "Measures", "How Measured"),
        ),
        Field("strategic_priority", "strategic priority", ("Strategic Priority", "Priority")),
        Field("area", "area", ("Area", "Beat")),
    ],
)


def heading_map(headings: HeadingSet, written: dict[str, str]) -> dict[str, str]:
    """Each heading as written in a file, with the field it was read as: ``{'Initiative': 'line description'}``."""
    return {written[name]: headings.fields[name].label for name in headings.fields if name in written}
