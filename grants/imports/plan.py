"""Reading an action plan in the papers' layout into ``PlanTable``s, one per fund.

The columns: Key Action, Lead Agency, Time Scales, Financial and Resource Implications, Outcome
Target, Performance Measure (and optionally Strategic Priority, Area). The cost cell decides the
money:

* an amount (``£1000``, ``£2,500``) is money: the action's allocation;
* officer or staff time (``Officer time £5,000``, ``Officer time``, ``in kind``) is an in-kind note,
  never money;
* ``Ongoing``, ``N/A``, ``Within existing resources`` or a blank cell is no allocation (said so);
* several parts (``£1,000 plus officer time``) are read part by part.

A row with only its first cell filled is a sub-heading; one naming a strategic priority
("Priority 1: …", "SP2 …") gives the priority of the actions beneath it. Tables are split by fund as
``grants.imports.sections`` describes; with a fund given, every table is that fund's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from grants.domain.money import ParsedMoney
from grants.imports.cells import ZERO, CellError, is_blank, read_money
from grants.imports.headings import PLAN_HEADINGS
from grants.imports.normalise import clean_text, normalise_area
from grants.imports.parsed import CellProblem, ImportRejected, Problems
from grants.imports.rows import RowReader, stray_values, too_long
from grants.imports.sections import FundName, FundNamer, SheetSplitter
from grants.imports.sheets import Sheet, open_sheets
from grants.imports.tabular import Row

_PARTS = re.compile(r"\s*(?:\+|;|\bplus\b|\band\b|&)\s*", re.I)
_IN_KIND = re.compile(
    r"\b(?:officers?|staff|volunteers?|partners?)'?\s+(?:time|hours)\b|\bin[\s-]?kind\b|\bhours\b", re.I
)
"""Officer time, staff hours, in kind: resources given, not money paid (``Staff costs £2,000`` is money)."""
_DIGIT = re.compile(r"\d")
_MONEY_TOKEN = re.compile(r"(?<![\w£])£\s?\d[\d,]*(?:\.\d{1,2})?(?:k\b)?(?![\w.,£])", re.I)
_PRIORITY = re.compile(r"^(?:(?:strategic\s+)?priority\s*\d+|sp\s*\d+)\b", re.I)


@dataclass(frozen=True, slots=True)
class Cost:
    """A cost cell read: the money (None: no allocation), officer time or other in-kind resource, and other words."""

    written: str
    money: Decimal | None = None
    in_kind: str = ""
    note: str = ""  # e.g. "Ongoing"


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One action of an action plan."""

    row: int
    action: str
    cost: Cost
    lead: str = ""
    timescales: str = ""
    target: str = ""
    measure: str = ""
    strategic_priority: str = ""
    area: str = ""


@dataclass(frozen=True)
class PlanTable:
    """One fund's actions (``fund`` None when the caller names the fund)."""

    source: str
    fund: FundName | None
    sheet: str | None
    rows: list[PlanRow]
    headings: dict[str, str] = field(default_factory=dict)  # field -> heading as written


def read_cost(value: object) -> Cost:
    """Read a Financial and Resource Implications cell; ``CellError`` for an amount that cannot be read."""
    written = clean_text(value)
    if not written:
        return Cost("")
    money: Decimal | None = None
    in_kind: list[str] = []
    notes: list[str] = []
    for part in (p for p in _PARTS.split(written) if p):
        if _IN_KIND.search(part):
            in_kind.append(part)
        elif not _DIGIT.search(part):
            notes.append(part)
        else:
            parsed = _money_in(part)
            if parsed.amount < 0:
                raise CellError(f"'{part}' is negative: a cost cannot be")
            money = (money or ZERO) + parsed.amount
    return Cost(written, money, "; ".join(in_kind), "; ".join(notes))


def _money_in(part: str) -> ParsedMoney:
    """The amount in a part of a cost cell: the whole part (``£1,000``, ``circa £34K``), or the one clean
    amount among words (``Staff costs £2,000``); ``CellError`` when neither can be read for certain."""
    try:
        return read_money(part)
    except CellError as exc:
        tokens = _MONEY_TOKEN.findall(part)
        rest = _MONEY_TOKEN.sub(" ", part)
        if len(tokens) == 1 and not _DIGIT.search(rest):
            return read_money(tokens[0])
        raise CellError(
            f"{exc}; write a money cost as an amount (£1,000) and officer time as 'Officer time …'"
        ) from exc


def read_action_plans(
    path: Path, *, namer: FundNamer, year: str, fund_given: bool, source_name: str | None = None
) -> list[PlanTable]:
    """The plan's tables; ``ImportRejected`` naming sheet, row, column and reason for every problem.

    Without ``fund_given``, each table must be headed by the name of its fund (or sit on a sheet named after it).
    """
    source = source_name or Path(path).name
    problems = Problems()
    tables: list[PlanTable] = []
    with open_sheets(Path(path), source=source, headings=PLAN_HEADINGS) as sheets:
        for sheet in sheets:
            _PlanSheet(source, sheet, namer, year, fund_given, problems, tables).read()
    if not any(table.rows for table in tables) and not problems:
        problems.append(
            CellProblem(source, None, None, "no actions found: an action plan needs headings such as 'Key Action'")
        )
    if problems:
        raise ImportRejected(problems)
    return tables


class _PlanSheet:
    def __init__(
        self,
        source: str,
        sheet: Sheet,
        namer: FundNamer,
        year: str,
        fund_given: bool,
        problems: Problems,
        tables: list[PlanTable],
    ) -> None:
        self.source, self.sheet, self.year, self.fund_given = source, sheet, year, fund_given
        self.problems, self.tables = problems, tables
        self.splitter = SheetSplitter(PLAN_HEADINGS, namer)
        self.sheet_fund = self.splitter.name(sheet.name, None) if sheet.name else None
        self.fund: FundName | None = self.sheet_fund
        self.reader: RowReader | None = None
        self.heading_row = 0
        self.rows: list[PlanRow] = []
        self.priority = ""

    def read(self) -> None:
        for piece in self.splitter.pieces(self.sheet):
            if piece.kind == "heading":
                self._close()
                self._heading(piece.number, piece.row)
            elif piece.kind == "fund":
                self._close()
                self.fund = piece.fund
            elif self.reader is not None:
                self._row(piece.number, piece.row)
        self._close()

    def _heading(self, number: int, row: Row) -> None:
        columns, heading_problems = PLAN_HEADINGS.resolve(row, source=self.source, row_number=number)
        reader = RowReader(self.source, columns, self.sheet.where)
        self.problems.extend(reader.located(problem) for problem in heading_problems)
        self.reader = None if heading_problems else reader
        self.heading_row = number

    def _problem(self, number: int | None, column: str | None, reason: str) -> None:
        self.problems.append(CellProblem(self.source, number, column, reason + self.sheet.where))

    def _row(self, number: int, row: Row) -> None:
        reader = self.reader
        assert reader is not None
        filled = [cell for cell in row if not is_blank(cell)]
        if len(filled) == 1 and isinstance(filled[0], str) and clean_text(filled[0]) == clean_text(row[0]):
            text = clean_text(filled[0])
            if _PRIORITY.match(text):
                self.priority = text
            return  # a sub-heading
        stray_values(reader, number, row)
        action = clean_text(reader.cell(row, "action"))
        if not action:
            self._problem(number, reader.heading("action"), "the key action is blank")
            return
        try:
            cost = read_cost(reader.cell(row, "cost"))
        except CellError as exc:
            self._problem(number, reader.heading("cost"), str(exc))
            return
        texts = {
            name: clean_text(reader.cell(row, name))
            for name in ("lead", "timescales", "target", "measure", "strategic_priority")
        }
        limits = {"action": "description", "lead": "delivery_partner", "strategic_priority": "strategic_priority"}
        for name, limit in limits.items():
            reason = too_long(action if name == "action" else texts[name], limit)
            if reason:
                self._problem(number, reader.heading(name), reason)
                return
        self.rows.append(
            PlanRow(
                row=number,
                action=action,
                cost=cost,
                lead=texts["lead"],
                timescales=texts["timescales"],
                target=texts["target"],
                measure=texts["measure"],
                strategic_priority=texts["strategic_priority"] or self.priority,
                area=normalise_area(reader.cell(row, "area")),
            )
        )

    def _close(self) -> None:
        rows, fund, reader = self.rows, self.fund, self.reader
        self.rows = []
        if not rows or reader is None:
            return
        if fund is None and not self.fund_given:
            self._problem(
                self.heading_row,
                None,
                "the plan under these headings does not say which fund it is: name the fund in a title row above "
                "the headings or in the sheet's name (or give the fund)",
            )
            return
        if fund is not None and fund.year and fund.year != self.year:
            self._problem(fund.row, None, f"'{fund.text}' is for {fund.year}, but the import is for {self.year}")
            return
        self.tables.append(PlanTable(self.source, fund, self.sheet.name, rows, dict(reader.columns.written)))
        self.fund = self.sheet_fund
