"""Every XLSX and CSV made from a demo database says "Demo data" (on every sheet, in every row); a real
database's say nothing of the kind."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from grants.services import giving_export, reporting, usecase
from grants.services.access import local_operator
from grants.services.demo import PARTNERSHIP
from grants.storage.database import Database
from reports.csvfile import NOTICE_HEADING
from tests.support import ops

ROOT = Path(__file__).resolve().parents[2]
OPERATOR = local_operator("t")


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_demo_budget_pack_xlsx_says_demo_data_on_every_sheet(demo_database: Database) -> None:
    pack = ops.budget_pack(demo_database, partnership=PARTNERSHIP, year="2026/27", as_at=date(2026, 10, 1))
    book = load_workbook(io.BytesIO(reporting.render_budget_pack(pack, "xlsx")))
    assert len(book.worksheets) > 2
    for sheet in book.worksheets:
        assert any("Demo data" in str(cell.value) for row in sheet.iter_rows(max_row=5) for cell in row), sheet.title
    assert "Demo data" in (book.properties.subject or "")


def test_the_demo_budget_pack_csv_says_demo_data_in_every_row(demo_database: Database) -> None:
    pack = ops.budget_pack(demo_database, partnership=PARTNERSHIP, year="2026/27", as_at=date(2026, 10, 1))
    rows = _csv_rows(reporting.render_budget_pack(pack, "csv"))
    assert len(rows) > 5
    assert all(row[NOTICE_HEADING].startswith("Demo data") for row in rows)


def test_the_demo_360giving_csv_and_json_say_demo_data(demo_database: Database) -> None:
    made = usecase.read(demo_database, OPERATOR, giving_export.export_360giving, "csv")
    rows = _csv_rows(made)
    assert rows and all(row[NOTICE_HEADING].startswith("Demo data") for row in rows)
    package = usecase.read(demo_database, OPERATOR, giving_export.export_360giving, "json").decode()
    assert "Demo data" in package


def test_the_demo_check_funds_and_lines_csv_say_demo_data(demo_database: Database) -> None:
    from tests.reliability.reliability_support import grants_cli

    for args in (
        ("check", "--format", "csv"),
        ("funds", "--format", "csv"),
        ("lines", "--partnership", PARTNERSHIP, "--fund", "PLF", "--year", "2017/18", "--format", "csv"),
    ):
        done = grants_cli(demo_database.url, *args)
        assert done.returncode in (0, 1), done.stderr
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        assert rows and all(row[NOTICE_HEADING].startswith("Demo data") for row in rows), args


def test_a_real_databases_xlsx_and_csv_do_not_say_demo(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'real.db'}")
    database.migrate()
    table = ROOT / "grants" / "demo_data" / "charnwood_plf_2017_18.csv"
    ops.import_budget(database, table, partnership="Melton CSP", fund_code="PLF", year="2017/18",
                      as_at=date(2017, 10, 26), actor="t")  # fmt: skip
    pack = ops.budget_pack(database, partnership="Melton CSP", year="2017/18", as_at=date(2017, 10, 26))
    made = reporting.render_budget_pack(pack, "csv").decode("utf-8-sig")
    assert "Melton CSP" in made and "Demo data" not in made and NOTICE_HEADING not in made.splitlines()[0]
    book = load_workbook(io.BytesIO(reporting.render_budget_pack(pack, "xlsx")))
    cells = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert any("Melton CSP" in cell for cell in cells) and not any("Demo data" in cell for cell in cells)
    database.dispose()
