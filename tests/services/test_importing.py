"""Imports land whole or not at all, reproduce printed totals, and a dry run changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from grants.domain.enums import AmountStatus
from grants.domain.errors import RuleViolation
from grants.imports.parsed import ImportRejected
from grants.services.demo import demo_table_path
from grants.services.fund_figures import line_balances
from grants.services.ledger import find_fund
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.ops import import_budget, import_profile, import_spend

CSP = "Charnwood Community Safety Partnership"


def _snapshot(database: Database) -> tuple[int, int, int, int, int]:
    with UnitOfWork(database) as uow:
        return (
            uow.funds.count(),
            uow.lines.count(),
            uow.spends.count(),
            uow.receipts.count(),
            len(uow.audit.events(limit=100000)),
        )


def _import_plf(database: Database, **overrides: object) -> None:
    options: dict[str, object] = {
        "partnership": CSP,
        "fund_code": "PLF",
        "year": "2017/18",
        "as_at": date(2017, 10, 26),
        "actor": "manager",
    }
    options.update(overrides)
    import_budget(database, demo_table_path(), **options)  # type: ignore[arg-type]


def test_the_charnwood_2017_table_reproduces_its_printed_totals_to_the_penny(any_database: Database) -> None:
    _import_plf(any_database)
    with UnitOfWork(any_database) as uow:
        fund = find_fund(uow, CSP, "PLF", "2017/18")
        balances = line_balances(uow, fund.id or 0)
    assert len(balances) == 17
    assert sum(b.allocated for b in balances) == Decimal("75500.00")
    assert sum(b.spent for b in balances) == Decimal("32533.00")
    assert sum(b.balance for b in balances) == Decimal("42967.00")
    assert fund.amount == Decimal("75500.00")
    prevention = next(b for b in balances if b.description == "Prevention Campaign Materials")
    assert (prevention.allocated, prevention.spent, prevention.balance) == (
        Decimal("5000.00"),
        Decimal("783.00"),
        Decimal("4217.00"),
    )


def test_a_dry_run_reports_the_changes_and_changes_nothing(database: Database) -> None:
    before = _snapshot(database)
    report = import_budget(
        database,
        demo_table_path(),
        partnership=CSP,
        fund_code="PLF",
        year="2017/18",
        as_at=date(2017, 10, 26),
        actor="manager",
        dry_run=True,
    )
    assert _snapshot(database) == before
    assert report.lines_added == 17
    assert report.totals["spent"] == Decimal("32533.00")
    assert any("Mediation" in change for change in report.changes)


def test_importing_the_same_table_twice_changes_nothing_the_second_time(database: Database) -> None:
    _import_plf(database)
    once = _snapshot(database)
    report = import_budget(
        database,
        demo_table_path(),
        partnership=CSP,
        fund_code="PLF",
        year="2017/18",
        as_at=date(2017, 10, 26),
        actor="manager",
    )
    assert (report.lines_added, report.lines_updated, report.spend_added) == (0, 0, Decimal("0"))
    assert _snapshot(database)[:4] == once[:4]


def test_a_table_with_a_bad_amount_changes_nothing_and_names_the_cell(database: Database, tmp_path: Path) -> None:
    _import_plf(database)
    before = _snapshot(database)
    bad = tmp_path / "budget.csv"
    bad.write_text(
        "Description,Amount Allocated,Amount Spent to Date,Balance Remaining\n"
        'Mediation,"£6,000",£0,"£6,000"\n'
        "Cycle Theft,£1O00,£0,£1000\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_budget(
            database, bad, partnership=CSP, fund_code="PLF", year="2017/18", as_at=date(2017, 10, 26), actor="m"
        )
    problem = rejected.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("budget.csv", 3, "Amount Allocated")
    assert "£1O00" in problem.reason
    assert _snapshot(database) == before


def test_funding_received_approx_marks_the_receipt_and_the_fund_approximate(database: Database, tmp_path: Path) -> None:
    table = tmp_path / "ci001.csv"
    table.write_text(
        "Initiative Description,Funding Allocated,Amount Spent to Date,Balance Remaining\n"
        'Funding Received,"£15,000 approx",,\n'
        'Deter Young Offenders,"£9,000",£0,"£9,000"\n'
        'Total,"£9,000",£0,"£9,000"\n',
        encoding="utf-8",
    )
    import_budget(
        database, table, partnership=CSP, fund_code="CI001", year="2017/18", as_at=date(2017, 10, 26), actor="manager"
    )
    with UnitOfWork(database) as uow:
        fund = find_fund(uow, CSP, "CI001", "2017/18")
        receipts = uow.receipts.find(fund_id=fund.id)
    assert [(r.amount, r.approximate) for r in receipts] == [(Decimal("15000.00"), True)]
    assert fund.amount_status is AmountStatus.APPROXIMATE


def test_a_spend_ledger_lands_whole_and_an_unknown_line_rejects_all_of_it(database: Database, tmp_path: Path) -> None:
    _import_plf(database)
    good = tmp_path / "spend.csv"
    good.write_text(
        "Date,Budget Line,Amount,Reference\n"
        "12/12/17,Mediation,£250.50,INV-1\n"
        "22nd December 2017,Cycle Theft,£100,INV-2\n",
        encoding="utf-8",
    )
    report = import_spend(database, good, partnership=CSP, fund_code="PLF", year="2017/18", actor="manager")
    assert report.rows_read == 2
    assert report.spend_added == Decimal("350.50")
    before = _snapshot(database)
    bad = tmp_path / "spend-bad.csv"
    bad.write_text(
        "Date,Budget Line,Amount,Reference\n12/12/17,Mediation,£10,INV-3\n13/12/17,Unicorn Grooming,£10,INV-4\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_spend(database, bad, partnership=CSP, fund_code="PLF", year="2017/18", actor="manager")
    problem = rejected.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("spend-bad.csv", 3, "Budget Line")
    assert "Unicorn Grooming" in problem.reason
    assert _snapshot(database) == before


def test_a_profile_is_stored_per_quarter_and_replaced_on_reimport(database: Database, tmp_path: Path) -> None:
    _import_plf(database)
    profile = tmp_path / "profile.csv"
    profile.write_text("Line,Q1,Q2,Q3,Q4\nMediation,£1250,£1250,£1250,£1250\n", encoding="utf-8")
    import_profile(database, profile, partnership=CSP, fund_code="PLF", year="2017/18", actor="manager")
    profile.write_text("Line,Q1,Q2,Q3,Q4\nMediation,£1000,£1500,£1250,£1250\n", encoding="utf-8")
    report = import_profile(database, profile, partnership=CSP, fund_code="PLF", year="2017/18", actor="manager")
    assert len(report.changes) == 2
    with UnitOfWork(database) as uow:
        entries = uow.profiles.find()
    assert sorted((e.quarter, e.amount) for e in entries) == [
        (1, Decimal("1000.00")),
        (2, Decimal("1500.00")),
        (3, Decimal("1250.00")),
        (4, Decimal("1250.00")),
    ]


def test_the_same_spend_file_into_the_same_fund_is_refused_unless_the_repeat_is_deliberate(
    database: Database, tmp_path: Path
) -> None:
    _import_plf(database)
    path = tmp_path / "spend.csv"
    path.write_text("Date,Budget Line,Amount,Reference\n12/12/17,Mediation,£250.50,INV-1\n", encoding="utf-8")
    import_spend(database, path, partnership=CSP, fund_code="PLF", year="2017/18", actor="manager")
    before = _snapshot(database)
    with pytest.raises(RuleViolation, match=r"already imported .* by manager \(1 row\(s\)\)"):
        import_spend(database, path, partnership=CSP, fund_code="PLF", year="2017/18", actor="manager")
    assert _snapshot(database) == before
    report = import_spend(
        database, path, partnership=CSP, fund_code="PLF", year="2017/18", actor="manager", allow_repeat="paid twice"
    )
    assert "spend.csv was imported on" in report.repeat_of
    assert _snapshot(database)[2] == before[2] + 1


def test_a_dry_run_names_rows_identical_to_spend_already_recorded(database: Database, tmp_path: Path) -> None:
    _import_plf(database)
    first = tmp_path / "first.csv"
    first.write_text("Date,Budget Line,Amount,Reference\n12/12/17,Mediation,£250.50,INV-1\n", encoding="utf-8")
    import_spend(database, first, partnership=CSP, fund_code="PLF", year="2017/18")
    second = tmp_path / "second.csv"
    second.write_text(
        "Date,Budget Line,Amount,Reference\n12/12/17,Mediation,£250.50,INV-1\n12/12/17,Mediation,£250.50,INV-9\n",
        encoding="utf-8",
    )
    before = _snapshot(database)
    report = import_spend(database, second, partnership=CSP, fund_code="PLF", year="2017/18", dry_run=True)
    assert report.duplicate_count == 1
    assert report.likely_duplicates == ["row 2: 12/12/2017 'Mediation' payment £250.50 'INV-1' is already recorded"]
    assert _snapshot(database) == before
    assert import_spend(database, second, partnership=CSP, fund_code="PLF", year="2017/18").duplicate_count == 0
