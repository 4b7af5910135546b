"""The command line as a scheduled job or an officer would use it: real processes, real files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CSP = "Charnwood Community Safety Partnership"


def grants(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRANTS_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run(
        [sys.executable, "-m", "grants", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "demo.db"
    result = grants(db, "init", "--demo")
    assert result.returncode == 0, result.stderr
    return db


def test_lines_as_csv_reproduce_the_printed_2017_table(demo_db: Path) -> None:
    result = grants(demo_db, "lines", "--partnership", CSP, "--fund", "PLF", "--year", "2017/18", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"description", "allocated", "spent", "balance"} <= set(rows[0])
    assert rows[0]["allocated"] == "1500.00"
    assert sum(Decimal(r["allocated"]) for r in rows) == Decimal("75500.00")
    assert sum(Decimal(r["spent"]) for r in rows) == Decimal("32533.00")
    assert sum(Decimal(r["balance"]) for r in rows) == Decimal("42967.00")


def test_funds_as_json_list_every_demo_fund(demo_db: Path) -> None:
    result = grants(demo_db, "funds", "--format", "json")
    assert result.returncode == 0, result.stderr
    funds = {(f["fund"], f["year"]) for f in json.loads(result.stdout)}
    assert {("PLF", "2017/18"), ("PLF", "2026/27"), ("PZ-BF", "2026/27"), ("SS", "2026/27")} <= funds


def test_the_table_format_shows_uk_money_and_a_total(demo_db: Path) -> None:
    result = grants(demo_db, "lines", "--partnership", CSP, "--fund", "PLF", "--year", "2017/18")
    assert "£75,500.00" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("Total")


def test_a_bad_file_exits_2_names_the_cell_and_changes_nothing(demo_db: Path, tmp_path: Path) -> None:
    before = grants(demo_db, "funds", "--format", "csv").stdout
    bad = tmp_path / "budget.csv"
    bad.write_text("Description,Amount Allocated\nMediation,five pounds\n", encoding="utf-8")
    result = grants(
        demo_db, "import", "budget", str(bad), "--partnership", "Melton CSP", "--fund", "PLF", "--year", "2023/24"
    )
    assert result.returncode == 2
    assert "budget.csv, row 2, column 'Amount Allocated'" in result.stderr
    assert grants(demo_db, "funds", "--format", "csv").stdout == before


def test_an_unknown_fund_is_a_clear_error(demo_db: Path) -> None:
    result = grants(demo_db, "lines", "--partnership", CSP, "--fund", "XYZ", "--year", "2017/18")
    assert result.returncode == 2
    assert "has no fund XYZ for 2017/18" in result.stderr


def test_a_dry_run_import_prints_changes_and_keeps_the_database(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    table = ROOT / "grants" / "demo_data" / "charnwood_plf_2017_18.csv"
    result = grants(
        db,
        "import",
        "budget",
        str(table),
        "--partnership",
        "Melton CSP",
        "--fund",
        "PLF",
        "--year",
        "2017/18",
        "--as-at",
        "2017-10-26",
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    assert "dry run: nothing was changed" in result.stdout
    assert json.loads(grants(db, "funds", "--format", "json").stdout) == []


def test_only_money_actually_received_counts_as_received(demo_db: Path) -> None:
    funds = json.loads(grants(demo_db, "funds", "--format", "json").stdout)
    people_zone = next(f for f in funds if f["fund"] == "PZ-BF")
    assert people_zone["received"] == "20000.00"  # the £15,000 balance is still expected
