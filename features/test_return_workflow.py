"""Steps for returns.feature: sign-off, submission, accepted findings, locked periods, amendments, closed
years, each through ``python -m grants`` on a copy of the demo database, as the demo accounts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from features.cli_session import CliSession
from features.support import step
from grants.services.demo import PARTNERSHIP
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

scenarios("returns.feature")

PLF = ["--partnership", PARTNERSHIP, "--fund", "PLF", "--year", "2026/27"]
H1_ERRORS = (("ALC004", "Prevention campaign materials"), ("SPD001", "Mobile CCTV camera fund"))


@dataclass
class Session(CliSession):
    def open_findings(self, *args: str) -> list[dict[str, str]]:
        self.run(None, "check", "--format", "json", *args)
        found: list[dict[str, str]] = json.loads(self.out)
        return found


@pytest.fixture
def session(tmp_path: Path, demo_copy: Database) -> Session:
    return Session(demo_copy, tmp_path)


def _period(name: str) -> list[str]:
    return [*PLF, "--half", name]


def _day(day: date) -> str:
    return day.isoformat()


# -- given ------------------------------------------------------------------------------------------
@given(step("the demo partnership with its PLF 2026/27 fund"))
def the_demo(session: Session) -> None:
    assert session.open_findings(*PLF)


@given(step("the Strategic Group has accepted the H1 errors"))
def h1_errors_accepted(session: Session) -> None:
    for code, line in H1_ERRORS:
        session.must(
            "the Strategic Group", "findings", "accept", *PLF, "--code", code, "--line", line,
            "--reason", "Agreed at the October meeting", "--as-at", "2026-09-30",
        )  # fmt: skip


@given(step('the manager has explained "{line}" as "{words:Text}"'))
def explained(session: Session, line: str, words: str) -> None:
    session.must("the manager", "return", "draft", *_period("H1"), "--explain", f"{line}={words}")


@given(step("the Strategic Group has signed off the H1 return"))
def signed_off(session: Session) -> None:
    session.must("the Strategic Group", "return", "sign-off", *_period("H1"), "--on", "2026-10-29")


@given(step("the H1 return has been submitted"))
def submitted(session: Session) -> None:
    h1_errors_accepted(session)
    explained(session, "Mobile CCTV camera fund", "The second camera cost more than quoted.")
    signed_off(session)
    session.must("the manager", "return", "submit", *_period("H1"), "--on", "2026-10-30")


@given(step("the H1 return has been submitted and its PDF kept"))
def submitted_and_kept(session: Session) -> None:
    submitted(session)
    out = session.tmp / "kept.pdf"
    session.must(None, "report", "return", *_period("H1"), "--out", str(out))
    session.kept["H1"] = out.read_bytes()


@given(step('the Strategic Group has accepted {code:Code} on "{line}" as at {day:Date}'))
def accepted(session: Session, code: str, line: str, day: date) -> None:
    accepts(session, code, line, day, "Covered by contingency")


@given(
    step('the manager has recorded {amount:Money} on "{line}" dated {day:Date} as an adjustment because "{why:Text}"')
)
def recorded_adjustment(session: Session, amount: Decimal, line: str, day: date, why: str) -> None:
    records(session, amount, line, day)
    assert session.status == 2
    records_as_adjustment(session, amount, line, day, why)
    assert session.status == 0, session.err


# -- when -------------------------------------------------------------------------------------------
@when(step("the manager submits the H1 return"))
def manager_submits(session: Session) -> None:
    session.run("the manager", "return", "submit", *_period("H1"), "--on", "2026-10-30")


@when(parsers.parse("{who} signs off the H1 return"))
def signs_off(session: Session, who: str) -> None:
    session.run(who, "return", "sign-off", *_period("H1"), "--on", "2026-11-02")


def _spend(amount: Decimal, line: str, day: date) -> list[str]:
    return ["spend", "record", *PLF, "--line", line, "--amount", str(amount), "--date", _day(day)]


@when(step('the manager records {amount:Money} on "{line}" dated {day:Date}'))
def records(session: Session, amount: Decimal, line: str, day: date) -> None:
    with UnitOfWork(session.database) as uow:
        session.kept["spends"] = str(uow.spends.count()).encode()
    session.run("the manager", *_spend(amount, line, day))


@when(step('the manager records {amount:Money} on "{line}" dated {day:Date} as an adjustment because "{why:Text}"'))
def records_as_adjustment(session: Session, amount: Decimal, line: str, day: date, why: str) -> None:
    session.run("the manager", *_spend(amount, line, day), "--adjustment", why)


@when(step('the Strategic Group accepts {code:Code} on "{line}" as at {day:Date} because "{why:Text}"'))
def accepts(session: Session, code: str, line: str, day: date, why: str) -> None:
    session.must(
        "the Strategic Group", "findings", "accept", *PLF, "--code", code, "--line", line, "--reason", why,
        "--as-at", _day(day),
    )  # fmt: skip


@when(
    step(
        'the Strategic Group accepts {code:Code} on "{line}" as at {day:Date} because "{why:Text}" to review by '
        "{review:Date}"
    )
)
def accepts_until(session: Session, code: str, line: str, day: date, why: str, review: date) -> None:
    session.must(
        "the Strategic Group", "findings", "accept", *PLF, "--code", code, "--line", line, "--reason", why,
        "--as-at", _day(day), "--review-on", _day(review),
    )  # fmt: skip


@when(step('the manager amends the H1 return because "{why:Text}"'))
def amends(session: Session, why: str) -> None:
    session.run("the manager", "return", "amend", *_period("H1"), "--reason", why)


@when(step("the Strategic Group closes {year:Year}"))
def closes(session: Session, year: str) -> None:
    session.must("the Strategic Group", "year", "close", year, "--partnership", PARTNERSHIP)


# -- then -------------------------------------------------------------------------------------------
@then(step("it is refused"))
def refused(session: Session) -> None:
    assert session.status == 2, session.out


@then(step('the refusal says "{words:Text}"'))
def refusal_says(session: Session, words: str) -> None:
    assert words in session.err, session.err


@then(step('the H1 return is submitted as version 1, signed off by the account "{username}"'))
def submitted_v1(session: Session, username: str) -> None:
    assert session.status == 0, session.err
    with UnitOfWork(session.database) as uow:
        (stored,) = [r for r in uow.returns.find() if r.period == "2026/27 H1"]
    assert (stored.status.value, stored.version_number, stored.signed_off_by) == ("submitted", 1, username)
    assert stored.signed_off_role == "Strategic Group member"


def _open(session: Session, code: str, line: str, day: date) -> bool:
    return any(f["code"] == code and f["line"] == line for f in session.open_findings(*PLF, "--as-at", _day(day)))


@then(step('{code:Code} on "{line}" is not open as at {day:Date}'))
def not_open(session: Session, code: str, line: str, day: date) -> None:
    assert not _open(session, code, line, day)


@then(step('{code:Code} on "{line}" is open as at {day:Date}'))
def is_open(session: Session, code: str, line: str, day: date) -> None:
    assert _open(session, code, line, day)


@then(step('its acceptance records "{username}" and "{why:Text}"'))
def acceptance_recorded(session: Session, username: str, why: str) -> None:
    session.must(None, "findings", "accepted", *PLF)
    (acceptance,) = json.loads(session.out)
    assert (acceptance["accepted_by"], acceptance["reason"], acceptance["withdrawn_on"]) == (username, why, None)


@then(step("no spend was recorded"))
def no_spend(session: Session) -> None:
    with UnitOfWork(session.database) as uow:
        assert str(uow.spends.count()).encode() == session.kept["spends"]
        assert uow.adjustments.count() == 0


@then(step("the spend was recorded"))
def spend_recorded(session: Session) -> None:
    assert session.status == 0, session.err
    with UnitOfWork(session.database) as uow:
        assert str(uow.spends.count() - 1).encode() == session.kept["spends"]


@then(step('the H2 return lists the adjustment to {period} "{summary:Text}"'))
def h2_lists(session: Session, period: str, summary: str) -> None:
    assert session.status == 0, session.err
    out = session.tmp / "h2.json"
    session.must(None, "report", "return", *_period("H2"), "--out", str(out))
    (listed,) = json.loads(out.read_text())["extras"]["adjustments"]
    assert (listed["period"], listed["summary"], listed["reason"]) == (period, summary, "Late invoice")


@then(step("an RPT004 finding is open until the next return is submitted"))
def rpt004_open(session: Session) -> None:
    assert [f["code"] for f in session.open_findings(*PLF) if f["code"] == "RPT004"] == ["RPT004"]


@then(step("the H1 return is at version 2"))
def version_2(session: Session) -> None:
    assert session.status == 0, session.err
    session.must(None, "return", "versions", *_period("H1"))
    assert "version 1" in session.out and "version 2" in session.out


@then(step("version 1's PDF is byte-identical to the one kept"))
def version_1_identical(session: Session) -> None:
    out = session.tmp / "v1.pdf"
    session.must(None, "report", "return", *_period("H1"), "--version", "1", "--out", str(out))
    assert out.read_bytes() == session.kept["H1"]


@then(step("no finding on the PLF 2017/18 fund is open"))
def none_open_2017(session: Session) -> None:
    assert session.open_findings("--year", "2017/18") == []


@then(step("a spend on the PLF 2017/18 fund is refused as read-only"))
def read_only_2017(session: Session) -> None:
    args = ["spend", "record", "--partnership", PARTNERSHIP, "--fund", "PLF", "--year", "2017/18",
            "--line", "Mediation", "--amount", "5", "--date", "2018-01-05"]  # fmt: skip
    assert session.run("the manager", *args) == 2
    assert "2017/18 ledger is read-only" in session.err
