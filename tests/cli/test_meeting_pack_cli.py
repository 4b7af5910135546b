"""``report meeting``: the pack as at the meeting, changes since the last one, and a frozen pack kept as shown."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from tests.support.cli_process import grants, ok

CSP = "Testshire CSP"
FUND = ["--partnership", CSP, "--fund", "PLF", "--year", "2024/25"]


def pdf_words(path: Path) -> str:
    return " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(path.read_bytes())).pages).split()
    )


def _ledger(tmp_path: Path) -> Path:
    db = tmp_path / "meetings.db"
    june = tmp_path / "june.csv"
    june.write_text("Description,Amount Allocated\nMediation,5000\nStreet Pastors,3000\n", encoding="utf-8")
    october = tmp_path / "october.csv"
    october.write_text(
        "Description,Amount Allocated\nMediation,4500\nStreet Pastors,3000\nKnife crime workshops,2500\n",
        encoding="utf-8",
    )
    ok(grants(db, "init"))
    ok(grants(db, "import", "budget", str(june), *FUND, "--as-at", "2024-06-30"))
    ok(grants(db, "spend", "record", *FUND, "--line", "Street Pastors", "--amount", "750", "--date", "2024-08-10"))
    ok(grants(db, "import", "budget", str(october), *FUND, "--as-at", "2024-10-15"))
    return db


def test_the_pack_shows_the_figures_as_at_the_meeting_and_what_changed_since_the_last(tmp_path: Path) -> None:
    db = _ledger(tmp_path)
    meeting = ["report", "meeting", "--partnership", CSP]
    july = tmp_path / "july.pdf"
    ok(grants(db, *meeting, "--date", "2024-07-18", "--out", str(july), "--freeze"))
    assert "Mediation £5,000.00" in pdf_words(july) and "Knife crime" not in pdf_words(july)
    october = tmp_path / "october.pdf"
    said = ok(grants(db, *meeting, "--date", "2024-10-24", "--out", str(october)))
    assert "not frozen" in said
    words = pdf_words(october)
    assert "Changed since the last meeting (18 July 2024)" in words, "the last meeting is the last frozen pack"
    assert "Knife crime workshops PLF 2024/25 added £2,500.00" in words
    assert "Mediation PLF 2024/25 amount changed £5,000.00 £4,500.00" in words
    assert "Street Pastors PLF 2024/25 £750.00" in words, "spend since the last meeting"
    assert "Budget / Resource Implications" in words and "Findings at a glance" in words
    xlsx = tmp_path / "october.xlsx"
    ok(grants(db, *meeting, "--date", "2024-10-24", "--since", "2024-07-18", "--out", str(xlsx)))
    sheet = load_workbook(xlsx)["Changes"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Knife crime workshops" in cells and "amount changed" in cells


def test_a_frozen_pack_is_written_again_byte_for_byte_after_later_changes(tmp_path: Path) -> None:
    db = _ledger(tmp_path)
    meeting = ["report", "meeting", "--partnership", CSP, "--date", "2024-10-24"]
    first_pdf, first_xlsx = tmp_path / "first.pdf", tmp_path / "first.xlsx"
    said = ok(grants(db, *meeting, "--out", str(first_pdf), "--freeze"))
    ok(grants(db, *meeting, "--out", str(first_xlsx)))
    assert hashlib.sha256(first_pdf.read_bytes()).hexdigest() in said
    # A spend dated before the meeting, recorded afterwards: a live pack would now differ.
    ok(grants(db, "spend", "record", *FUND, "--line", "Mediation", "--amount", "1234.56", "--date", "2024-09-01"))
    live = tmp_path / "live.pdf"
    ok(grants(db, "report", "meeting", "--partnership", CSP, "--date", "2024-10-23", "--out", str(live)))
    assert "£1,234.56" in pdf_words(live)
    again_pdf, again_xlsx = tmp_path / "again.pdf", tmp_path / "again.xlsx"
    ok(grants(db, *meeting, "--out", str(again_pdf)))
    ok(grants(db, *meeting, "--out", str(again_xlsx)))
    assert again_pdf.read_bytes() == first_pdf.read_bytes()
    assert again_xlsx.read_bytes() == first_xlsx.read_bytes()
    assert "£1,234.56" not in pdf_words(again_pdf)
    refused = grants(db, *meeting, "--out", str(tmp_path / "twice.pdf"), "--freeze")
    assert refused.returncode == 2 and "was frozen on" in refused.stderr
    assert not (tmp_path / "twice.pdf").exists()
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        events = connection.execute(
            text("SELECT actor, after FROM audit_events WHERE entity = 'meeting_packs' AND action = 'freeze'")
        ).all()
    engine.dispose()
    assert len(events) == 1 and hashlib.sha256(first_pdf.read_bytes()).hexdigest() in events[0].after


def test_a_meeting_pack_is_a_pdf_or_a_workbook(tmp_path: Path) -> None:
    db = _ledger(tmp_path)
    refused = grants(db, "report", "meeting", "--partnership", CSP, "--date", "2024-10-24", "--out", "x.csv")
    assert refused.returncode == 2 and ".pdf" in refused.stderr
