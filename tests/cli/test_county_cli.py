"""``report county`` and the funder's commands as a person runs them: on the county generator's data the CSV has
one row per partnership and stream, and its totals equal the sums of ``funds --format csv``."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from tests.support.cli_process import grants, ok

YEAR = "2025/26"
MONEY = ("funding", "received", "allocated", "spent")


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_county_csv_has_a_row_per_partnership_and_stream_and_totals_that_add_up(tmp_path: Path) -> None:
    db = tmp_path / "county.db"
    ok(grants(db, "demo", "--scale", "county", "--rows", "10000"))
    out = tmp_path / "county.csv"
    ok(grants(db, "report", "county", "--year", YEAR, "--as-at", "2026-03-31", "--out", str(out)))
    *rows, total = _csv(out.read_text(encoding="utf-8-sig"))
    listed = _csv(ok(grants(db, "funds", "--year", YEAR, "--as-at", "2026-03-31", "--format", "csv")))
    assert total["partnership"] == "County total"
    assert sorted((r["partnership"], r["stream"]) for r in rows) == sorted(
        (r["partnership"], r["fund"]) for r in listed
    )
    assert len({r["partnership"] for r in rows}) == 10
    for column in MONEY:
        assert (
            Decimal(total[column]) == sum(Decimal(r[column]) for r in rows) == sum(Decimal(r[column]) for r in listed)
        )
        assert all("." in r[column] and "£" not in r[column] and "," not in r[column] for r in rows)
    assert int(total["projects"]) == sum(int(r["lines"]) for r in listed)


def test_an_existing_county_file_is_refused_and_every_format_is_written(tmp_path: Path) -> None:
    db = tmp_path / "county.db"
    ok(grants(db, "demo", "--scale", "county", "--rows", "2000"))
    out = tmp_path / "county.pdf"
    ok(grants(db, "report", "county", "--year", YEAR, "--out", str(out)))
    again = grants(db, "report", "county", "--year", YEAR, "--out", str(out))
    assert again.returncode == 2 and "exists" in again.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "County view 2025/26" in text and "County total" in text and "Demo data" in text
    ok(grants(db, "report", "county", "--year", YEAR, "--out", str(tmp_path / "county.xlsx")))
    unknown = grants(db, "report", "county", "--year", YEAR, "--funder", "Nobody", "--out", str(tmp_path / "x.csv"))
    assert unknown.returncode == 2 and "no funder called 'Nobody'" in unknown.stderr


def test_a_funders_account_is_made_on_the_command_line_and_sees_only_its_funds(tmp_path: Path) -> None:
    db = tmp_path / "county.db"
    ok(grants(db, "demo", "--scale", "county", "--rows", "2000"))
    ok(grants(db, "funders", "set-parent", "Office of the Police and Crime Commissioner", "--parent", "Home Office"))
    assert "Home Office > Office of the Police and Crime Commissioner" in ok(grants(db, "funders", "list"))
    added = grants(db, "users", "add", "olive", "--role", "funder", "--funder", "Home Office", "--no-password")
    assert "the partnerships Home Office funds" in ok(added)
    out = tmp_path / "olive.csv"
    ok(grants(db, "--user", "olive", "report", "county", "--year", YEAR, "--out", str(out)))
    *rows, _ = _csv(out.read_text(encoding="utf-8-sig"))
    assert rows and all(r["funder"].startswith("Home Office") for r in rows)
    refused = grants(db, "--user", "olive", "funders", "add", "Another")
    assert refused.returncode == 2
