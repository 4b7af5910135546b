"""``return export`` on the partnership's database and ``return receive`` on the funder's, each run as its own
process on its own SQLite file, as the two installations would run them."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.support.cli_process import grants, ok
from tests.support.sent_returns import H1, submitted_demo

COUNTED = ("received_returns", "partnerships", "funders", "audit_events")


@pytest.fixture(scope="module")
def _sent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return submitted_demo(tmp_path_factory.mktemp("sent-cli") / "charnwood.db")


@pytest.fixture
def charnwood(tmp_path: Path, _sent: Path) -> Path:
    path = tmp_path / "charnwood.db"
    shutil.copyfile(_sent, path)
    return path


@pytest.fixture
def package(tmp_path: Path, charnwood: Path) -> Path:
    out = tmp_path / "charnwood-plf-h1.zip"
    assert "wrote" in ok(grants(charnwood, "return", "export", *H1, "--out", str(out)))
    return out


def _counts(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    with sqlite3.connect(db) as connection:
        return {name: connection.execute(f"select count(*) from {name}").fetchone()[0] for name in COUNTED}


def _refused(db: Path, package: Path, *user: str) -> str:
    """The refusal (exit 2) of receiving ``package`` into ``db``, after checking nothing changed."""
    before = _counts(db)
    result = grants(db, *user, "return", "receive", str(package))
    assert result.returncode == 2, result.stdout + result.stderr
    assert _counts(db) == before
    return result.stderr


def test_a_package_exported_from_one_database_is_received_by_another(tmp_path: Path, package: Path) -> None:
    opcc = tmp_path / "opcc.db"
    out = ok(grants(opcc, "return", "receive", str(package)))
    assert "received version 1 of the PLF 2026/27 H1 return of Charnwood Community Safety Partnership" in out
    assert "submitted 30/10/2026" in out
    assert "added the partnership Charnwood Community Safety Partnership" in out
    listed = ok(grants(opcc, "return", "received", "--year", "2026/27"))
    assert "Charnwood Community Safety Partnership  PLF 2026/27 H1 v1" in listed
    assert "funding £80,000.00  received £40,000.00  allocated £75,000.00  spent £35,050.00" in listed
    assert "projects 8  red 1  open errors 0  review: not yet" in listed
    county = tmp_path / "county.csv"
    ok(grants(opcc, "report", "county", "--year", "2026/27", "--out", str(county)))
    _header, row, total = county.read_text(encoding="utf-8-sig").splitlines()
    assert row.startswith("Charnwood Community Safety Partnership,PLF,Partnership Locality Fund,")
    assert ",80000.00,40000.00,75000.00,35050.00,43.8,8,1,0,H1 submitted,received package (H1 version 1)" in row
    assert total.startswith("County total,,,,80000.00,40000.00,75000.00,35050.00,")


def test_the_same_package_exports_byte_for_byte_and_is_refused_a_second_time(
    tmp_path: Path, charnwood: Path, package: Path
) -> None:
    again = tmp_path / "again.zip"
    ok(grants(charnwood, "return", "export", *H1, "--out", str(again)))
    assert again.read_bytes() == package.read_bytes()
    refused = grants(charnwood, "return", "export", *H1, "--out", str(again))
    assert refused.returncode == 2 and "already exists" in refused.stderr
    opcc = tmp_path / "opcc.db"
    ok(grants(opcc, "return", "receive", str(package)))
    assert "was already received" in _refused(opcc, package)


def test_a_package_with_one_byte_changed_is_refused_with_exit_2(tmp_path: Path, package: Path) -> None:
    opcc = tmp_path / "opcc.db"
    ok(grants(opcc, "return", "received", "--year", "2026/27"))  # the funder's database, migrated and empty
    data = bytearray(package.read_bytes())
    data[data.index(b"%PDF-") + 100] ^= 0x01  # a byte inside the PDF
    changed = tmp_path / "changed.zip"
    changed.write_bytes(bytes(data))
    message = _refused(opcc, changed)
    assert "changed.zip: return.pdf: is damaged" in message
    assert "nothing was stored" in message
    assert ok(grants(opcc, "return", "received", "--year", "2026/27")).strip() == "no returns received for 2026/27"


def test_a_manager_cannot_receive_a_package(charnwood: Path, package: Path) -> None:
    assert "only a funder's officer receives a return package" in _refused(charnwood, package, "--user", "manager")


def test_a_file_that_is_not_a_package_is_refused(tmp_path: Path, charnwood: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("not a zip")
    refusal = _refused(charnwood, text)
    assert "notes.zip: the package: is not a return package: it does not end as a ZIP file does" in refusal
    assert "cannot be read" in _refused(charnwood, tmp_path / "missing.zip")
