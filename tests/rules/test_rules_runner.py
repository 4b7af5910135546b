"""The runner: every rule runs, a crash becomes a finding, findings name partnership, fund, year and line."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from grants.domain.enums import Severity
from rules.base import Rule
from rules.context import RuleContext
from rules.frames import LedgerFrames
from rules.registry import REGISTRY, Registry
from rules.runner import run_rules
from tests.support.ledger import LedgerBuilder


def _broken(context: RuleContext, params: object) -> pd.DataFrame:
    """Always fails."""
    raise ZeroDivisionError("a bug in a rule")


def _overspent_ledger() -> LedgerBuilder:
    ledger = LedgerBuilder()
    ledger.fund("PLF", "2017/18", "75500", partnership="Charnwood Community Safety Partnership")
    pastors = ledger.line("Street Pastors", "3000", strategic_priority="SP2")
    ledger.spend(pastors, date(2017, 9, 15), "3500")
    return ledger


def test_a_crashing_rule_becomes_an_error_finding_naming_its_code_and_the_others_still_run() -> None:
    spd001 = REGISTRY["SPD001"]
    broken = Rule("DAT999", "always-broken", Severity.WARNING, spd001.params, _broken)
    registry = Registry([broken, spd001])
    findings = run_rules(_overspent_ledger().frames(), as_at=date(2017, 10, 26), registry=registry)
    crash = [f for f in findings if f.code == "DAT999"]
    assert len(crash) == 1
    assert crash[0].severity is Severity.ERROR
    assert "could not run" in crash[0].message and "ZeroDivisionError" in crash[0].message
    assert [f.code for f in findings if f.code == "SPD001"] == ["SPD001"]


def test_no_rule_crashes_on_an_empty_ledger() -> None:
    assert run_rules(LedgerFrames.empty(), as_at=date(2024, 1, 1)) == []


def test_no_rule_crashes_on_a_fund_with_no_lines() -> None:
    ledger = LedgerBuilder()
    ledger.fund("PLF", "2023/24", "20000")
    findings = run_rules(ledger.frames(), as_at=date(2023, 11, 1))
    assert not [f for f in findings if "could not run" in f.message]


def test_findings_name_partnership_fund_year_and_line() -> None:
    findings = run_rules(_overspent_ledger().frames(), as_at=date(2017, 10, 26))
    overspent = next(f for f in findings if f.code == "SPD001")
    assert (overspent.partnership, overspent.fund, overspent.year, overspent.line) == (
        "Charnwood Community Safety Partnership",
        "PLF",
        "2017/18",
        "Street Pastors",
    )
    assert overspent.message == "Spent £3,500.00 against an allocation of £3,000.00: overspent by £500.00."
    assert overspent.hint
    assert overspent.export()["line"] == "Street Pastors"


def test_findings_are_sorted_worst_first_within_a_fund() -> None:
    findings = run_rules(_overspent_ledger().frames(), as_at=date(2017, 10, 26))
    ranks = [f.severity.rank for f in findings]
    assert ranks == sorted(ranks, reverse=True)


def test_rules_that_read_findings_run_after_the_others() -> None:
    ledger = _overspent_ledger()
    ledger.return_("2017/18 H1")
    registry = REGISTRY.only(["RPT002", "SPD001"])
    findings = run_rules(ledger.frames(), as_at=date(2017, 10, 26), registry=registry)
    blocked = next(f for f in findings if f.code == "RPT002")
    assert "SPD001" in blocked.message


@pytest.mark.parametrize("code", REGISTRY.codes)
def test_each_rule_runs_alone_on_a_busy_ledger(code: str) -> None:
    ledger = _overspent_ledger()
    line = ledger.current_line
    ledger.profile(line, "2017/18", 2, "1000")
    ledger.receipt("75500", date(2017, 4, 10), approximate=True)
    ledger.outcome(line, "2017/18 Q1", date(2017, 7, 10), awaiting_data=True)
    ledger.return_("2017/18 H1")
    findings = run_rules(ledger.frames(), as_at=date(2017, 10, 26), registry=REGISTRY.only([code]))
    assert not [f for f in findings if "could not run" in f.message]
