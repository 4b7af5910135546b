"""Which existing budget line each row of a re-imported budget table is: by a stable identity, never a guess.

A row with a line id (a ``Line ID`` column, as ``lines --format csv`` shows) is that line of the fund.
Otherwise a row is matched by its normalised description. When a description is unique among the
table's rows and the fund's lines, the row is that line. When it repeats (two "Contingency" lines), a
row is first matched to a line with the same figures and delivery partner (so a table whose rows only
moved changes nothing and records no spend); of what is left, one row and one line of that description
are each other, as are rows and lines told apart by delivery partner, and the n-th remaining row with
no line left is a new line. Anything else would be a guess (the 2nd "Contingency" row of a reordered table
may be either line): the import is refused, naming the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from grants.imports.normalise import normalise_description
from grants.imports.parsed import BudgetTableRow, CellProblem, ImportRejected
from grants.services.fund_figures import LineBalance


@dataclass(frozen=True)
class RowMatch:
    row: BudgetTableRow
    line_id: int | None  # None: a new line


def match_rows(
    rows: Sequence[BudgetTableRow],
    current: Sequence[LineBalance],
    *,
    source: str,
    fund_label: str,
    id_heading: str = "Line ID",
    description_heading: str = "Description",
) -> list[RowMatch]:
    """Each row with the line it updates (or None: a new line), in the table's order.

    Raises ImportRejected naming every row with an unknown or repeated line id, and every row whose line
    cannot be told from its description.
    """
    problems: list[CellProblem] = []
    by_id = {balance.line.id: balance for balance in current if balance.line.id is not None}
    chosen: dict[int, int | None] = {}  # row number -> line id
    claimed: dict[int, int] = {}  # line id -> row number
    for row in rows:
        if row.line_id is None:
            continue
        if row.line_id not in by_id:
            problems.append(CellProblem(source, row.row, id_heading, f"no budget line {row.line_id} in {fund_label}"))
        elif row.line_id in claimed:
            reason = f"line {row.line_id} is also on row {claimed[row.line_id]}: a line appears once in a table"
            problems.append(CellProblem(source, row.row, id_heading, reason))
        else:
            claimed[row.line_id] = row.row
            chosen[row.row] = row.line_id

    table: dict[str, list[BudgetTableRow]] = defaultdict(list)
    for row in rows:
        if row.line_id is None:
            table[normalise_description(row.description)].append(row)
    ledger: dict[str, list[LineBalance]] = defaultdict(list)
    for balance in sorted(current, key=lambda b: b.line.id or 0):
        if balance.line.id not in claimed:
            ledger[normalise_description(balance.description)].append(balance)
    for key, named in table.items():
        matched, ambiguous = _by_description(named, ledger.get(key, []))
        chosen.update(matched)
        if ambiguous:
            numbers = _rows_text([row.row for row in named])
            count = len(ledger.get(key, []))
            reason = (
                f"{named[0].description!r} is on {numbers} and {count} line(s) of {fund_label} have that description; "
                "which row is which line cannot be told (add a Line ID column with the ids 'lines --format csv' "
                "shows, or make the descriptions differ)"
            )
            problems += [CellProblem(source, row.row, description_heading, reason) for row in ambiguous]
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.row or 0))
    return [RowMatch(row, chosen.get(row.row)) for row in rows]


def _by_description(
    rows: list[BudgetTableRow], lines: list[LineBalance]
) -> tuple[dict[int, int | None], list[BudgetTableRow]]:
    """(row number -> line id or None for rows matched or new, rows that cannot be matched without a guess)."""
    if len(rows) <= 1 and len(lines) <= 1:
        return {row.row: (lines[0].line.id if lines else None) for row in rows}, []
    matched: dict[int, int | None] = {}
    left = list(lines)
    waiting: list[BudgetTableRow] = []
    for row in rows:  # same figures and partner: the same line, wherever the row now is
        same = next((line for line in left if _same(row, line)), None)
        if same is None:
            waiting.append(row)
        else:
            matched[row.row] = same.line.id
            left.remove(same)
    if waiting and left:  # told apart by delivery partner
        for row in list(waiting):
            partner = _partner(row.delivery_partner)
            rows_with = [r for r in waiting if _partner(r.delivery_partner) == partner]
            lines_with = [line for line in left if _partner(line.line.delivery_partner) == partner]
            if partner and len(rows_with) == 1 and len(lines_with) == 1:
                matched[row.row] = lines_with[0].line.id
                waiting.remove(row)
                left.remove(lines_with[0])
    if not waiting:
        return matched, []
    if not left:  # more rows of this description than lines: the rest are new
        return {**matched, **{row.row: None for row in waiting}}, []
    if len(waiting) == 1 and len(left) == 1:
        return {**matched, waiting[0].row: left[0].line.id}, []
    return matched, waiting


def _same(row: BudgetTableRow, balance: LineBalance) -> bool:
    return (
        row.allocated == balance.line.allocated
        and (row.spent is None or row.spent == balance.spent)
        and _partner(row.delivery_partner) == _partner(balance.line.delivery_partner)
    )


def _partner(name: str) -> str:
    return normalise_description(name or "")


def _rows_text(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    return "rows " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"
