"""Re-importing a budget table matches lines by a stable identity and never guesses: a reordered table
changes no amount and records no spend; rows that could be either of two lines are refused, naming them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from grants.imports.parsed import ImportRejected
from grants.services.fund_figures import line_balances
from grants.services.ledger import find_fund
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.ops import import_budget

CSP = "Melton CSP"
HEADING = "Description,Delivery Partner,Amount Allocated,Amount Spent to Date,Balance Remaining"
ORIGINAL = [
    "Mediation,Mediation Works,3000,1000,2000",
    "Contingency,,1000,200,800",
    "Youth diversion,Youth Trust,4000,0,4000",
    "Contingency,,500,600,-100",
]


def _write(folder: Path, name: str, rows: list[str], heading: str = HEADING) -> Path:
    path = folder / name
    path.write_text("\n".join([heading, *rows]) + "\n", encoding="utf-8")
    return path


def _import(database: Database, path: Path, **options: object) -> object:
    return import_budget(
        database, path, partnership=CSP, fund_code="PLF", year="2023/24", as_at=date(2023, 10, 1), **options
    )  # type: ignore[arg-type]


def _ledger(database: Database) -> tuple[list[tuple[int, str, Decimal, Decimal]], int, int]:
    """((id, description, allocated, spent) per line, spend entries, audit events)."""
    with UnitOfWork(database) as uow:
        fund = find_fund(uow, CSP, "PLF", "2023/24")
        lines = [(b.line.id or 0, b.description, b.allocated, b.spent) for b in line_balances(uow, fund.id or 0)]
        return sorted(lines), uow.spends.count(), len(uow.audit.events(limit=100_000))


def test_a_reordered_table_changes_no_amount_and_records_no_spend(database: Database, tmp_path: Path) -> None:
    _import(database, _write(tmp_path, "first.csv", ORIGINAL))
    before, spends, _ = _ledger(database)
    reordered = [ORIGINAL[3], ORIGINAL[2], ORIGINAL[0], ORIGINAL[1]]
    report = _import(database, _write(tmp_path, "reordered.csv", reordered))
    after, spends_after, _ = _ledger(database)
    assert after == before
    assert spends_after == spends
    assert report.spend_added == 0 and report.lines_updated == 0 and report.lines_added == 0  # type: ignore[attr-defined]


def test_a_changed_line_among_identical_descriptions_is_found_when_only_one_changed(
    database: Database, tmp_path: Path
) -> None:
    _import(database, _write(tmp_path, "first.csv", ORIGINAL))
    before, _, _ = _ledger(database)
    changed = [ORIGINAL[3].replace("500,600,-100", "900,600,300"), ORIGINAL[0], ORIGINAL[1], ORIGINAL[2]]
    _import(database, _write(tmp_path, "changed.csv", changed))
    after, _, _ = _ledger(database)
    second = next(line for line in before if line[1] == "Contingency" and line[2] == Decimal(500))
    assert [line for line in after if line[0] == second[0]] == [(second[0], "Contingency", Decimal(900), Decimal(600))]
    assert [line for line in after if line[0] != second[0]] == [line for line in before if line[0] != second[0]]


def test_rows_that_could_be_either_line_are_refused_naming_them_and_nothing_is_written(
    database: Database, tmp_path: Path
) -> None:
    _import(database, _write(tmp_path, "first.csv", ORIGINAL))
    before = _ledger(database)
    both_changed = [
        ORIGINAL[0],
        "Contingency,,700,600,100",
        ORIGINAL[2],
        "Contingency,,1200,200,1000",
    ]
    with pytest.raises(ImportRejected) as refused:
        _import(database, _write(tmp_path, "ambiguous.csv", both_changed))
    message = str(refused.value)
    assert "ambiguous.csv" in message and "rows 3 and 5" in message and "'Contingency'" in message
    assert {problem.row for problem in refused.value.problems} == {3, 5}
    assert _ledger(database) == before


def test_a_line_id_column_matches_whatever_the_order_and_description(database: Database, tmp_path: Path) -> None:
    _import(database, _write(tmp_path, "first.csv", ORIGINAL))
    before, spends, _ = _ledger(database)
    ids = {(description, allocated): line_id for line_id, description, allocated, _ in before}
    first, second = ids[("Contingency", Decimal(1000))], ids[("Contingency", Decimal(500))]
    with_ids = [
        f"{second},Contingency,,800,600,200",
        f"{first},Contingency,,1000,200,800",
        f"{ids[('Mediation', Decimal(3000))]},Mediation,Mediation Works,3000,1000,2000",
        f"{ids[('Youth diversion', Decimal(4000))]},Youth diversion,Youth Trust,4000,0,4000",
    ]
    _import(database, _write(tmp_path, "ids.csv", with_ids, heading="Line ID," + HEADING))
    after, spends_after, _ = _ledger(database)
    assert (second, "Contingency", Decimal(800), Decimal(600)) in after
    assert (first, "Contingency", Decimal(1000), Decimal(200)) in after
    assert spends_after == spends


def test_an_unknown_line_id_is_refused_naming_the_row(database: Database, tmp_path: Path) -> None:
    _import(database, _write(tmp_path, "first.csv", ORIGINAL))
    before = _ledger(database)
    with pytest.raises(ImportRejected) as refused:
        unknown = _write(tmp_path, "ids.csv", ["99999,Mediation,,3000,1000,2000"], heading="Line ID," + HEADING)
        _import(database, unknown)
    assert "row 2" in str(refused.value) and "Line ID" in str(refused.value) and "99999" in str(refused.value)
    assert _ledger(database) == before
