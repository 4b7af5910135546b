"""The return from draft to signed-off submission, a locked period and acted-on findings: the issue's "Done
when" list, each end to end through ``python -m grants`` on the demo database, as the demo accounts."""

from __future__ import annotations

import json
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path

import pytest

from grants import cli
from grants.services.demo import PARTNERSHIP as DEMO
from grants.services.demo import ensure_demo_accounts
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.reports.conftest import pdf_text, squash

H1 = ["--partnership", DEMO, "--fund", "PLF", "--year", "2026/27", "--half", "H1"]
PLF = ["--partnership", DEMO, "--fund", "PLF", "--year", "2026/27"]
CCTV = "Mobile CCTV camera fund"
CAMPAIGN = "Prevention campaign materials"
YOUTH = "Youth diversion sessions"


def run(database: Database, *args: str) -> int:
    return cli.main(["--database", str(database.url), *args])


def as_(database: Database, user: str, *args: str) -> int:
    return run(database, "--user", user, *args)


def accept_h1_errors(database: Database) -> None:
    """The Strategic Group accepts the two error findings of the demo's PLF H1 (as at the half's end)."""
    for code, line, reason in (
        ("ALC004", CAMPAIGN, "Priority to be set at the January meeting"),
        ("SPD001", CCTV, "Overspend covered from the contingency line"),
    ):
        assert (
            as_(database, "strategic", "findings", "accept", *PLF, "--code", code, "--line", line,
                "--reason", reason, "--as-at", "2026-09-30")
            == 0
        )  # fmt: skip


def submit_h1(database: Database) -> None:
    """Everything the demo's PLF H1 needs, then its submission on 30/10/2026."""
    ensure_demo_accounts(database)
    accept_h1_errors(database)
    assert (
        as_(database, "manager", "return", "draft", *H1, "--explain", f"{CCTV}=The second camera cost £250 more.") == 0
    )
    assert as_(database, "strategic", "return", "sign-off", *H1, "--on", "2026-10-29") == 0
    assert as_(database, "manager", "return", "submit", *H1, "--on", "2026-10-30") == 0


def open_findings(
    database: Database, tmp_path: Path, *args: str, capsys: pytest.CaptureFixture[str] | None = None
) -> list[dict[str, str]]:
    """What ``check --format json`` lists (the open findings), read from the file it is redirected to."""
    out = tmp_path / "findings.json"
    with out.open("w", encoding="utf-8") as stream, redirect_stdout(stream):
        run(database, "check", "--format", "json", *args)
    found: list[dict[str, str]] = json.loads(out.read_text("utf-8"))
    return found


def test_submit_lists_every_reason_then_succeeds_once_each_is_answered(
    demo_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_demo_accounts(demo_database)
    assert as_(demo_database, "manager", "return", "submit", *H1, "--on", "2026-10-30") == 2
    refused = capsys.readouterr().err
    assert f"open error finding ALC004 on {CAMPAIGN}" in refused
    assert f"open error finding SPD001 on {CCTV}" in refused
    assert f"line '{CCTV}' is Red and has no explanation" in refused
    assert "no Strategic Group member has signed off the figures" in refused
    # the manager cannot sign off; the strategic group cannot submit
    assert as_(demo_database, "manager", "return", "sign-off", *H1) == 2
    assert "only the Strategic Group" in capsys.readouterr().err
    submit_h1(demo_database)
    with UnitOfWork(demo_database) as uow:
        (stored,) = [r for r in uow.returns.find() if r.period == "2026/27 H1"]
    assert (stored.status.value, stored.version_number) == ("submitted", 1)
    assert (stored.signed_off_by, stored.signed_off_role) == ("strategic", "Strategic Group member")
    assert stored.submitted_by == "Community Safety Manager (demo)"


def test_a_change_to_the_figures_after_sign_off_needs_a_new_one(
    demo_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_demo_accounts(demo_database)
    accept_h1_errors(demo_database)
    assert as_(demo_database, "manager", "return", "draft", *H1, "--explain", f"{CCTV}=Cost more.") == 0
    assert as_(demo_database, "strategic", "return", "sign-off", *H1, "--on", "2026-10-29") == 0
    assert as_(demo_database, "manager", "spend", "record", *PLF, "--line", YOUTH, "--amount", "100",
               "--date", "2026-09-01") == 0  # fmt: skip
    assert as_(demo_database, "manager", "return", "submit", *H1, "--on", "2026-10-30") == 2
    assert "the figures changed after Strategic Group member (demo) signed them off" in capsys.readouterr().err


def test_a_spend_inside_a_submitted_half_is_refused_unless_recorded_as_an_adjustment(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submit_h1(demo_database)
    capsys.readouterr()
    spend = ["spend", "record", *PLF, "--line", YOUTH, "--amount", "40", "--date", "2026-09-15"]
    with UnitOfWork(demo_database) as uow:
        before = uow.spends.count()
    assert as_(demo_database, "manager", *spend) == 2
    refused = capsys.readouterr().err
    assert "the PLF 2026/27 H1 return was submitted on 30/10/2026" in refused and "--adjustment" in refused
    with UnitOfWork(demo_database) as uow:
        assert uow.spends.count() == before
        assert uow.adjustments.count() == 0
    assert as_(demo_database, "manager", *spend, "--adjustment", "Invoice for September arrived late") == 0
    with UnitOfWork(demo_database) as uow:
        assert uow.spends.count() == before + 1
        (adjustment,) = uow.adjustments.find()
        (audited,) = uow.audit.events(entity="ledger_adjustments")
    assert (audited.actor, audited.action) == ("manager", "create")
    assert (adjustment.locked_period, adjustment.reason) == ("2026/27 H1", "Invoice for September arrived late")
    # a spend dated after the half is not touched by the lock
    assert as_(demo_database, "manager", "spend", "record", *PLF, "--line", YOUTH, "--amount", "1",
               "--date", "2026-10-02") == 0  # fmt: skip
    # the next return lists it, and a finding stays open until that return is submitted
    h2 = tmp_path / "h2.json"
    assert run(demo_database, "report", "return", *PLF, "--half", "H2", "--out", str(h2)) == 0
    (listed,) = json.loads(h2.read_text())["extras"]["adjustments"]
    assert listed["period"] == "2026/27 H1" and listed["summary"] == "payment of £40.00 on Youth diversion sessions"
    assert [f["code"] for f in open_findings(demo_database, tmp_path, *PLF) if f["code"] == "RPT004"] == ["RPT004"]
    pdf = tmp_path / "h2.pdf"
    assert run(demo_database, "report", "return", *PLF, "--half", "H2", "--out", str(pdf)) == 0
    assert "Adjustments to earlier periods" in squash(pdf_text(pdf.read_bytes()))


def test_amend_makes_version_two_and_version_one_stays_byte_identical(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submit_h1(demo_database)
    before = tmp_path / "v1-before.pdf"
    assert run(demo_database, "report", "return", *H1, "--out", str(before)) == 0
    assert as_(demo_database, "manager", "spend", "record", *PLF, "--line", YOUTH, "--amount", "40",
               "--date", "2026-09-15", "--adjustment", "Late invoice") == 0  # fmt: skip
    assert as_(demo_database, "manager", "return", "amend", *H1, "--reason", "The OPCC asked for the late invoice") == 2
    assert "need a new sign-off" in capsys.readouterr().err
    assert as_(demo_database, "strategic", "return", "sign-off", *H1) == 0
    assert as_(demo_database, "manager", "return", "amend", *H1, "--reason", "The OPCC asked for the late invoice") == 0
    again, current = tmp_path / "v1-again.pdf", tmp_path / "v2.pdf"
    assert run(demo_database, "report", "return", *H1, "--version", "1", "--out", str(again)) == 0
    assert again.read_bytes() == before.read_bytes()
    assert run(demo_database, "report", "return", *H1, "--out", str(current)) == 0
    text = squash(pdf_text(current.read_bytes()))
    assert "Version 2, amended on" in text and "The OPCC asked for the late invoice" in text
    capsys.readouterr()
    assert run(demo_database, "return", "versions", *H1) == 0
    listing = capsys.readouterr().out
    assert "version 1" in listing and "version 2" in listing
    assert run(demo_database, "report", "return", *H1, "--version", "3", "--out", str(tmp_path / "v3.pdf")) == 2
    # the amendment reported the adjustment: no finding is left about it
    assert not [f for f in open_findings(demo_database, tmp_path, *PLF) if f["code"] == "RPT004"]


def test_closing_2017_18_empties_its_open_findings_without_hiding_real_problems(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_demo_accounts(demo_database)
    everything = open_findings(demo_database, tmp_path)
    assert as_(demo_database, "manager", "year", "close", "2017/18", "--partnership", DEMO) == 2
    assert as_(demo_database, "strategic", "year", "close", "2017/18", "--partnership", DEMO) == 0
    after = open_findings(demo_database, tmp_path)
    assert not [f for f in after if f["year"] == "2017/18"]
    assert len(after) < len(everything) / 2
    # what is left is every finding of the open year, whatever its rule (a balance mismatch too), and the real
    # problems the demo raises today are among them
    current = [f for f in everything if f["year"] != "2017/18"]
    assert after == current
    raised = {f["code"] for f in after if f["severity"] == "error"}
    assert {"SPD001", "PRF001", "RPT001"} <= raised  # overspent, red (behind profile), overdue returns
    # the closed year's ledger is read-only
    capsys.readouterr()
    spend = ["spend", "record", "--partnership", DEMO, "--fund", "PLF", "--year", "2017/18", "--line", "Mediation",
             "--amount", "5", "--date", "2018-01-05"]  # fmt: skip
    assert as_(demo_database, "manager", *spend) == 2
    assert "2017/18 ledger is read-only" in capsys.readouterr().err
    # only an administrator reopens it, with a reason; then the findings are back
    assert as_(demo_database, "strategic", "year", "reopen", "2017/18", "--partnership", DEMO, "--reason", "x") == 2
    assert (
        as_(demo_database, "admin", "year", "reopen", "2017/18", "--partnership", DEMO, "--reason", "Audit query") == 0
    )
    assert len(open_findings(demo_database, tmp_path)) == len(everything)
    # reopened, it is writable again; the demo's 2017/18 returns are recorded as sent, so a spend dated in
    # their period is an adjustment
    assert as_(demo_database, "manager", *spend, "--adjustment", "late invoice found at the audit") == 0


def test_an_accepted_finding_comes_back_when_its_figures_change_or_review_date_passes(
    demo_database: Database, tmp_path: Path
) -> None:
    ensure_demo_accounts(demo_database)
    at = ["--as-at", "2026-09-30"]

    def spd001() -> list[dict[str, str]]:
        return [f for f in open_findings(demo_database, tmp_path, *PLF, *at) if f["code"] == "SPD001"]

    assert len(spd001()) == 1
    accept = ["findings", "accept", *PLF, "--code", "SPD001", "--line", CCTV, "--reason", "Covered", *at]
    assert as_(demo_database, "manager", *accept) == 2  # the Strategic Group accepts, not the manager
    assert as_(demo_database, "strategic", *accept, "--review-on", "2026-12-31") == 0
    assert spd001() == []
    # the review date passes: it is open again
    later = [f for f in open_findings(demo_database, tmp_path, *PLF, "--as-at", "2027-01-02") if f["code"] == "SPD001"]
    assert len(later) == 1
    # its figures change: open again
    assert as_(demo_database, "manager", "spend", "record", *PLF, "--line", CCTV, "--amount", "10",
               "--date", "2026-09-20") == 0  # fmt: skip
    assert len(spd001()) == 1
    # accepted again, then withdrawn: open again; both audited
    assert as_(demo_database, "strategic", *accept) == 0
    assert spd001() == []
    assert as_(demo_database, "strategic", "findings", "withdraw", *PLF, "--code", "SPD001", "--line", CCTV) == 0
    assert len(spd001()) == 1
    with UnitOfWork(demo_database) as uow:
        events = [e for e in uow.audit.events(entity="finding_acceptances")]
    assert {e.action for e in events} == {"create", "update"} and all(e.actor == "strategic" for e in events)


def test_an_accepted_finding_shows_who_when_and_why_on_the_return_and_pack(
    demo_database: Database, tmp_path: Path
) -> None:
    submit_h1(demo_database)
    assert run(demo_database, "report", "return", *H1, "--out", str(tmp_path / "r.pdf")) == 0
    text = squash(pdf_text((tmp_path / "r.pdf").read_bytes()))
    assert "Accepted by Strategic Group member (demo) on" in text
    assert "Overspend covered from the contingency line" in text
    assert "The second camera cost £250 more." in text  # the manager's explanation beside the issue
    assert "SPD001" not in text and "ALC004" not in text  # the funder reads issues, not rule codes
    pack = tmp_path / "pack.pdf"
    assert run(demo_database, "report", "budget", "--partnership", DEMO, "--year", "2026/27", "--as-at",
               "2026-09-30", "--out", str(pack)) == 0  # fmt: skip
    assert "Overspend covered from the contingency line" in squash(pdf_text(pack.read_bytes()))


def test_the_draft_keeps_its_words_in_every_pdf(demo_database: Database, tmp_path: Path) -> None:
    ensure_demo_accounts(demo_database)
    words = ["--explain", f"{CCTV}=A camera cost more than quoted.", "--outcomes", "Two cameras deployed",
             "--risks", "Supplier delays", "--explanations", "Spend is behind in two lines."]  # fmt: skip
    assert as_(demo_database, "manager", "return", "draft", *H1, *words) == 0
    assert as_(demo_database, "manager", "return", "draft", *H1, "--explain", "No such line=x") == 2
    for name in ("one.pdf", "two.pdf"):
        out = tmp_path / name
        assert run(demo_database, "report", "return", *H1, "--out", str(out)) == 0
        text = squash(pdf_text(out.read_bytes()))
        for expected in ("A camera cost more than quoted.", "Two cameras deployed", "Supplier delays",
                         "Spend is behind in two lines."):  # fmt: skip
            assert expected in text, expected
    assert as_(demo_database, "viewer", "return", "draft", *H1, "--risks", "x") == 2


def test_the_safer_streets_quarterly_return_shows_the_claim_and_match(demo_database: Database, tmp_path: Path) -> None:
    ss = ["--partnership", DEMO, "--fund", "SS", "--year", "2026/27", "--quarter", "Q2"]
    figures = tmp_path / "ss.json"
    assert run(demo_database, "report", "return", *ss, "--out", str(figures)) == 0
    claim = json.loads(figures.read_text())["extras"]["claim"]
    assert claim == {
        "grant_spend_in_period": "16000.00",  # 9,500 + 4,000 + 2,500 in July–September
        "claimed_to_date": "23250.00",
        "awarded": "60000.00",
        "received": "14250.00",
        "still_expected": "45750.00",  # awarded − received
        "match_cash": "15000.00",
        "match_in_kind": "14000.00",  # 400 hours × £35.00
        "match_required": "11625.00",  # 50% of the grant spent to date
        "match_share": "50%",
        "funding_chain": "Home Office > Charnwood Community Safety Partnership",  # as recorded: no OPCC between
    }
    pdf = tmp_path / "ss.pdf"
    assert run(demo_database, "report", "return", *ss, "--out", str(pdf)) == 0
    text = squash(pdf_text(pdf.read_bytes()))
    for expected in ("Claim for the quarter", "Still expected (awarded − received) £45,750.00",
                     "Home Office > Charnwood", "Match covers the required share"):  # fmt: skip
        assert expected in text, expected


def test_the_return_as_a_workbook_has_live_totals_and_prints_on_a4_landscape(
    demo_database: Database, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "ss.xlsx"
    ss = ["--partnership", DEMO, "--fund", "SS", "--year", "2026/27", "--quarter", "Q2"]
    assert run(demo_database, "report", "return", *ss, "--out", str(out)) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Return", "Issues"]
    sheet = book["Return"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    heading = next(i for i, row in enumerate(rows, start=1) if row[0] == "Description")
    total = next(i for i, row in enumerate(rows, start=1) if row[0] == "Total")
    assert rows[total - 1][3] == f"=SUM(D{heading + 1}:D{total - 1})"  # allocated: a live total
    assert rows[heading][6] == f"=F{heading + 1}-E{heading + 1}"  # variance: actual − profile, live
    allocated = sum(Decimal(str(rows[r - 1][3])) for r in range(heading + 1, total))
    assert allocated == Decimal("60000.00")
    match_total = next(row for row in rows if row[0] == "Match to date: total")
    assert str(match_total[3]).startswith("=SUM(")
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth) == ("landscape", 1)
    assert sheet.print_title_rows == f"${heading}:${heading}"  # the heading row repeats on every page
