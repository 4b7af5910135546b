"""The report commands, end to end through ``python -m grants``'s main()."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from grants import cli
from grants.cli import reports as report_commands
from grants.services.demo import PARTNERSHIP as DEMO
from grants.storage.database import Database
from tests.reports.conftest import pdf_text, squash
from tests.reports.test_return_workflow import submit_h1


def test_the_report_commands_are_registered() -> None:
    assert report_commands in cli.MODULES


def _run(database: Database, *args: str) -> int:
    return cli.main(["--database", str(database.url), *args])


def test_report_budget_writes_each_format_from_the_extension(demo_database: Database, tmp_path: Path) -> None:
    common = ["report", "budget", "--partnership", DEMO, "--year", "2017/18", "--as-at", "2017-10-26"]
    for extension in ("pdf", "xlsx", "csv"):
        out = tmp_path / f"pack.{extension}"
        assert _run(demo_database, *common, "--out", str(out)) == 0
        assert out.stat().st_size > 0
    assert "Total £75,500.00 £32,533.00 £42,967.00" in squash(pdf_text((tmp_path / "pack.pdf").read_bytes()))
    assert load_workbook(tmp_path / "pack.xlsx").sheetnames == ["Summary", "PLF 2017-18", "Findings"]
    assert "PLF,Total,,,75500.00,32533.00,42967.00" in (tmp_path / "pack.csv").read_text("utf-8-sig")


def test_return_submit_then_report_return_shows_it_submitted(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fund = ["--partnership", DEMO, "--fund", "PLF", "--year", "2026/27", "--half", "H1"]
    submit_h1(demo_database)  # errors accepted, the red line explained, signed off, then submitted
    first, second = tmp_path / "one.pdf", tmp_path / "two.pdf"
    assert _run(demo_database, "report", "return", *fund, "--out", str(first)) == 0
    assert _run(demo_database, "report", "return", *fund, "--out", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()
    assert "SUBMITTED on 30 October 2026 by Community Safety Manager (demo)" in squash(pdf_text(first.read_bytes()))
    figures = tmp_path / "figures.json"
    assert _run(demo_database, "report", "return", *fund, "--out", str(figures)) == 0
    assert json.loads(figures.read_text())["status"] == "submitted"
    assert _run(demo_database, "return", "submit", *fund) == 2
    assert "already submitted" in capsys.readouterr().err


def test_export_360giving_writes_json_and_csv(demo_database: Database, tmp_path: Path) -> None:
    assert _run(demo_database, "export", "360giving", "--partnership", DEMO, "--out", str(tmp_path / "g.json")) == 0
    assert json.loads((tmp_path / "g.json").read_text())["grants"]
    assert _run(demo_database, "export", "360giving", "--out", str(tmp_path / "g.csv")) == 0
    assert (tmp_path / "g.csv").read_text("utf-8-sig").startswith("Identifier,Title,Description,Currency")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "budget", "--partnership", DEMO, "--year", "2017/18", "--out", "pack.docx"],
            "cannot tell the format",
        ),
        (["report", "budget", "--partnership", "Nowhere CSP", "--year", "2017/18", "--out", "p.pdf"], "no partnership"),
        (
            ["report", "budget", "--partnership", DEMO, "--year", "2017/18", "--fund", "XYZ", "--out", "p.pdf"],
            "no fund",
        ),
        (["report", "return", "--partnership", DEMO, "--fund", "SS", "--year", "2026/27", "--half", "H1"], "quarterly"),
        (
            ["report", "return", "--partnership", DEMO, "--fund", "PLF", "--year", "2026/27", "--quarter", "Q1"],
            "six-monthly",
        ),
        (["export", "360giving", "--out", "grants.xml"], "cannot tell the format"),
        (
            ["report", "budget", "--partnership", DEMO, "--year", "2017/18", "--out", "/no/such/folder/p.pdf"],
            "no such folder",
        ),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    demo_database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert _run(demo_database, *args) == 2
    assert message in capsys.readouterr().err
    assert not list(work.iterdir())


@pytest.mark.parametrize(
    "args",
    [
        ["report", "budget", "--partnership", DEMO, "--year", "2017-2019", "--out", "p.pdf"],
        ["report", "return", "--partnership", DEMO, "--fund", "PLF", "--year", "2026/27", "--half", "H3"],
        ["report", "return", "--partnership", DEMO, "--fund", "PLF", "--year", "2026/27"],
        ["report", "budget", "--partnership", DEMO, "--year", "2017/18", "--as-at", "31/02/2018", "--out", "p.pdf"],
    ],
)
def test_malformed_arguments_exit_2(demo_database: Database, args: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run(demo_database, *args)
    assert exit_info.value.code == 2
