"""No CSV the product writes has a cell a spreadsheet would run: one writer, and every CSV checked."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reports.csvfile import csv_document, is_guarded, safe_cell

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_PARTNERSHIP = '=HYPERLINK("http://127.0.0.1:9/","p")'
HOSTILE_FUND = "@F"
BUDGET = (
    "Description,Amount Allocated,Amount Spent to Date,Delivery Partner,Strategic Priority\n"
    '"=HYPERLINK(""http://127.0.0.1:9/"",""x"")","£1,500",£100,"+cmd|\' /C calc\'!A0","@SUM(1)"\n'
    '"-2+3",£500,£0,"=1+1","-bad priority"\n'
)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 helpline", "'+44 helpline"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),  # a plain negative number stays numeric
        ("-3", "-3"),
        ("Fish & Chips", "Fish & Chips"),
        (None, ""),
    ],
)
def test_a_cell_is_guarded_only_when_a_spreadsheet_would_run_it(value: str | None, written: str) -> None:
    assert safe_cell(value) == written
    assert is_guarded(written)


def test_every_cell_of_a_document_is_guarded_headings_too() -> None:
    text = csv_document(["=h", "b"], [["=1", "-1.00"], ["ok", "@x"]])
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert cells == ["'=h", "b", "'=1", "-1.00", "ok", "'@x"]


def test_only_the_one_writer_makes_csv() -> None:
    """Product code writes CSV through reports.csvfile only (a new writer would bypass the guard)."""
    pattern = re.compile(r"csv\.(writer|DictWriter)\(|\.to_csv\(")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("grants", "reports", "rules")
        for path in (ROOT / folder).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8")) and path != ROOT / "reports" / "csvfile.py"
    ]
    offenders += [] if not pattern.search((ROOT / "streamlit_app.py").read_text(encoding="utf-8")) else ["app"]
    assert offenders == []


def _grants(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRANTS_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run(
        [sys.executable, "-m", "grants", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _unguarded(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if not is_guarded(cell)]


def test_no_csv_the_commands_write_has_an_unguarded_cell(tmp_path: Path) -> None:
    db = tmp_path / "hostile.db"
    table = tmp_path / "budget.csv"
    table.write_text(BUDGET, encoding="utf-8")
    where = ["--partnership", HOSTILE_PARTNERSHIP, "--fund", HOSTILE_FUND, "--year", "2026/27"]
    assert _grants(db, "init").returncode == 0
    imported = _grants(db, "import", "budget", str(table), *where)
    assert imported.returncode == 0, imported.stderr
    chair = ["users", "add", "chair", "--role", "strategic_group", "--all-partnerships", "--no-password"]
    assert _grants(db, *chair).returncode == 0
    approved = _grants(
        db,
        "--user",
        "chair",
        "approval",
        "approve",
        *where,
        "--line",
        '=HYPERLINK("http://127.0.0.1:9/","x")',
        "--on",
        "2026-04-21",
    )
    assert approved.returncode == 0, approved.stderr

    outputs: dict[str, str] = {}
    for name, args in {
        "check": ["check", "--format", "csv", "--as-at", "2026-06-30"],
        "funds": ["funds", "--format", "csv"],
        "lines": ["lines", *where, "--format", "csv"],
    }.items():
        result = _grants(db, *args)
        assert result.returncode in (0, 1), result.stderr
        outputs[name] = result.stdout
    for name, args in {
        "pack.csv": ["report", "budget", "--partnership", HOSTILE_PARTNERSHIP, "--year", "2026/27"],
        "360.csv": ["export", "360giving"],
    }.items():
        result = _grants(db, *args, "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        outputs[name] = (tmp_path / name).read_text(encoding="utf-8-sig")
    for name, text in outputs.items():
        assert "'=HYPERLINK(" in text, name  # the hostile name is there, as text
        assert _unguarded(text) == [], name
