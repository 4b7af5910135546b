"""Steps for funder.feature: the funder's county view and review of returns, through ``python -m grants`` on a
copy of the demo database, as the demo accounts (``funder`` is the OPCC's commissioning officer)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytest_bdd import given, scenarios, then, when

from features.cli_session import CliSession
from features.support import step
from grants.services.demo import PARTNERSHIP
from grants.storage.database import Database

scenarios("funder.feature")

PLF = ["--partnership", PARTNERSHIP, "--fund", "PLF", "--year", "2026/27"]
H1 = [*PLF, "--half", "H1"]


@dataclass
class Session(CliSession):
    rows: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def session(tmp_path: Path, demo_copy: Database) -> Session:
    return Session(demo_copy, tmp_path)


def _county(session: Session) -> list[dict[str, str]]:
    out = session.tmp / "county.csv"
    session.must(
        "the funder", "report", "county", "--year", "2026/27", "--as-at", "2026-11-20", "--out", str(out), "--force"
    )
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))


# -- given ------------------------------------------------------------------------------------------
@given(step("the demo partnership has submitted its PLF 2026/27 H1 return"))
def submitted(session: Session) -> None:
    for code, line in (("ALC004", "Prevention campaign materials"), ("SPD001", "Mobile CCTV camera fund")):
        session.must(
            "the Strategic Group", "findings", "accept", *PLF, "--code", code, "--line", line,
            "--reason", "Agreed at the October meeting", "--as-at", "2026-09-30",
        )  # fmt: skip
    session.must(
        "the manager", "return", "draft", *H1, "--explain", "Mobile CCTV camera fund=The second camera cost more."
    )
    session.must("the Strategic Group", "return", "sign-off", *H1, "--on", "2026-10-29")
    session.must("the manager", "return", "submit", *H1, "--on", "2026-10-30")


@given(step('the funder has queried the H1 return saying "{words:Text}"'))
def queried(session: Session, words: str) -> None:
    session.must("the funder", "return", "query", *H1, "--comment", words)


# -- when -------------------------------------------------------------------------------------------
@when(step("the funder accepts the H1 return"))
def funder_accepts(session: Session) -> None:
    session.must("the funder", "return", "accept", *H1)


@when(step("the manager accepts the H1 return"))
def manager_accepts(session: Session) -> None:
    session.run("the manager", "return", "accept", *H1)


@when(step('the funder queries the H1 return saying "{words}"'))
def funder_queries(session: Session, words: str) -> None:
    session.run("the funder", "return", "query", *H1, "--comment", words)


@when(step("the funder queries the H1 return without a comment"))
def funder_queries_blank(session: Session) -> None:
    session.run("the funder", "return", "query", *H1, "--comment", "  ")


@when(step('the manager replies "{words:Text}"'))
def manager_replies(session: Session, words: str) -> None:
    session.must("the manager", "return", "reply", *H1, "--comment", words)


@when(step('the manager amends the H1 return because "{why:Text}"'))
def manager_amends(session: Session, why: str) -> None:
    session.must("the Strategic Group", "return", "sign-off", *H1, "--on", "2026-11-10")
    session.must("the manager", "return", "amend", *H1, "--reason", why, "--on", "2026-11-11")


@when(step('the funder records {amount:Money} on "{line}" dated {day:Date}'))
def funder_records(session: Session, amount: Decimal, line: str, day: date) -> None:
    session.run(
        "the funder", "spend", "record", *PLF, "--line", line, "--amount", str(amount), "--date", day.isoformat()
    )


@when(step("the funder writes the county view for 2026/27 as CSV"))
def county_csv(session: Session) -> None:
    session.rows = _county(session)


# -- then -------------------------------------------------------------------------------------------
@then(step("it is refused"))
def refused(session: Session) -> None:
    assert session.status == 2, (session.out, session.err)


@then(step('the refusal says "{words:Text}"'))
def refusal_says(session: Session, words: str) -> None:
    assert words in session.err, session.err


@then(step('the H1 return\'s history reads "{words:Text}"'))
def history_reads(session: Session, words: str) -> None:
    session.must("the manager", "return", "history", *H1)
    assert words in session.out, session.out


@then(step('the county view shows the PLF return as "{words:Text}"'))
def county_shows(session: Session, words: str) -> None:
    (plf,) = [row for row in _county(session) if row["stream"] == "PLF"]
    assert words in plf["returns"].split("; "), plf["returns"]


@then(step('the PDF of version 2 shows "{words:Text}" on its cover'))
def pdf_cover(session: Session, words: str) -> None:
    out = session.tmp / "v2.pdf"
    session.must(None, "report", "return", *H1, "--version", "2", "--out", str(out))
    cover = PdfReader(out).pages[0].extract_text()
    assert "History with the funder" in cover and words in cover, cover


@then(step("the county total's funding, received, allocated and spent equal the sums of the funds list"))
def totals_agree(session: Session) -> None:
    *funds, total = session.rows
    assert total["partnership"] == "County total" and funds
    session.must("the funder", "funds", "--year", "2026/27", "--as-at", "2026-11-20", "--format", "csv")
    listed = {(r["partnership"], r["fund"]): r for r in csv.DictReader(io.StringIO(session.out))}
    for column in ("funding", "received", "allocated", "spent"):
        assert Decimal(total[column]) == sum(Decimal(r[column]) for r in funds), column
        assert Decimal(total[column]) == sum(Decimal(listed[r["partnership"], r["stream"]][column]) for r in funds)
