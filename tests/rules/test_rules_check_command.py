"""``python -m grants check``: filters, formats, and the exit status (1 when any finding is an error)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Callable
from datetime import date

import pytest

from grants.cli import check
from grants.domain.errors import NotFound
from grants.services.access import local_operator
from grants.storage.database import Database
from rules.findings import EXPORT_FIELDS
from tests.support.ledger import LedgerBuilder

Store = Callable[[Database, LedgerBuilder], dict[int, int]]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    parser.set_defaults(principal=local_operator())
    check.register(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(database: Database, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    args = _parser().parse_args(["check", *argv])
    status = args.handler(args, database)
    return status, capsys.readouterr().out


def _ledger(*, overspent: bool) -> LedgerBuilder:
    ledger = LedgerBuilder()
    ledger.fund("PLF", "2017/18", "75500", partnership="Charnwood Community Safety Partnership")
    pastors = ledger.line(
        "Street Pastors", "75500", strategic_priority="SP2", approved_by="Strategic Group", approved_on=date(2017, 5, 1)
    )
    ledger.spend(pastors, date(2017, 9, 15), "80000" if overspent else "50000")
    return ledger


def test_an_error_finding_makes_the_exit_status_1(
    database: Database, store_ledger: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store_ledger(database, _ledger(overspent=True))
    status, out = _run(database, capsys, "--as-at", "2017-10-26")
    assert status == 1
    assert "SPD001" in out and "overspent by £4,500.00" in out
    assert "error(s)" in out.splitlines()[-1]


def test_warnings_only_exit_0(database: Database, store_ledger: Store, capsys: pytest.CaptureFixture[str]) -> None:
    store_ledger(database, _ledger(overspent=False))
    status, out = _run(database, capsys, "--as-at", "26/10/2017", "--format", "json")
    assert status == 0
    rows = json.loads(out)
    assert rows and all(list(row) == list(EXPORT_FIELDS) for row in rows)
    assert {row["severity"] for row in rows} <= {"warning", "info"}
    due = next(row for row in rows if row["code"] == "RPT001")
    assert due["partnership"] == "Charnwood Community Safety Partnership"
    assert due["fund"] == "PLF" and due["year"] == "2017/18" and due["line"] is None


def test_csv_has_a_header_and_one_row_per_finding(
    database: Database, store_ledger: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store_ledger(database, _ledger(overspent=True))
    _, out = _run(database, capsys, "--as-at", "2017-10-26", "--format", "csv", "--fund", "PLF", "--year", "2017-18")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and list(rows[0]) == list(EXPORT_FIELDS)
    assert any(row["code"] == "SPD001" and row["line"] == "Street Pastors" for row in rows)


def test_filters_that_match_no_fund_are_refused(database: Database, store_ledger: Store) -> None:
    store_ledger(database, _ledger(overspent=True))
    args = _parser().parse_args(["check", "--as-at", "2017-10-26", "--year", "2023/24", "--fund", "PLF"])
    with pytest.raises(NotFound, match="no fund for the year 2023/24"):
        args.handler(args, database)


def test_as_at_defaults_to_today_read_at_the_entry_point(
    database: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check, "today", lambda: date(2024, 1, 2))
    status, out = _run(database, capsys)
    assert status == 0
    assert out.startswith("Compliance check as at 02/01/2024")


def test_a_bad_year_is_refused_by_the_parser() -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(["check", "--year", "2023/25"])


def test_check_is_a_command_of_python_m_grants(
    database: Database, store_ledger: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from grants import cli

    assert check in cli.MODULES
    store_ledger(database, _ledger(overspent=True))
    status = cli.main(["--database", database.url, "check", "--as-at", "2017-10-26", "--format", "json"])
    assert status == 1
    assert any(row["code"] == "SPD001" for row in json.loads(capsys.readouterr().out))
