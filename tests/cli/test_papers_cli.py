"""``import budget`` without ``--fund``, ``import plan`` and ``import template`` as an officer runs them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.cli.test_cli import CSP, grants
from tests.imports.papers_fixtures import PLAN_HEADING, PLAN_ROWS, ci_rows, plf_rows_with_received


def _workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "grants.db"
    assert grants(path, "init").returncode == 0
    return path


def test_several_funds_import_in_one_go_after_a_preview(db: Path, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "funds.xlsx", {"PLF": plf_rows_with_received(), "CI001": ci_rows()})
    options = ("--partnership", CSP, "--year", "2017/18", "--as-at", "2017-10-26")
    preview = grants(db, "import", "budget", str(path), *options, "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert "'Amount Allocated' -> amount allocated" in preview.stdout
    assert "row 3: add 'Reducing Youth Re-Offending' allocated £1,500.00" in preview.stdout
    assert "record funding received £15,000.00 (approximate)" in preview.stdout
    assert json.loads(grants(db, "funds", "--format", "json").stdout) == []
    done = grants(db, "import", "budget", str(path), *options)
    assert done.returncode == 0, done.stderr
    funds = {f["fund"]: f for f in json.loads(grants(db, "funds", "--format", "json").stdout)}
    assert (funds["PLF"]["allocated"], funds["PLF"]["spent"], funds["PLF"]["balance"]) == (
        "75500.00",
        "32533.00",
        "42967.00",
    )
    assert (funds["CI001"]["allocated"], funds["CI001"]["received"]) == ("15000.00", "15000.00")


def test_a_bad_cell_exits_2_naming_sheet_row_column_and_reason(db: Path, tmp_path: Path) -> None:
    ci = ci_rows()
    ci[2][2] = "£9,OOO"
    path = _workbook(tmp_path / "funds.xlsx", {"PLF": plf_rows_with_received(), "CI001": ci})
    result = grants(db, "import", "budget", str(path), "--partnership", CSP, "--year", "2017/18")
    assert result.returncode == 2
    assert "funds.xlsx, row 3, column 'Amount Allocated': '£9,OOO' is not an amount in pounds (sheet 'CI001')" in (
        result.stderr
    )
    assert json.loads(grants(db, "funds", "--format", "json").stdout) == []


def test_an_action_plan_and_a_template(db: Path, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "plan.xlsx", {"Plan": [PLAN_HEADING, *PLAN_ROWS]})
    result = grants(db, "import", "plan", str(path), "--partnership", CSP, "--year", "2023/24", "--fund", "PLF")
    assert result.returncode == 0, result.stderr
    assert "with no allocation ('Ongoing' is not money)" in result.stdout
    assert "in kind: 'Officer time £5,000' (a note on the line, not money)" in result.stdout
    out = tmp_path / "plan-template.csv"
    made = grants(db, "import", "template", "plan", "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("Key Action,Lead Agency,Time Scales")
    again = grants(db, "import", "template", "plan", "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
