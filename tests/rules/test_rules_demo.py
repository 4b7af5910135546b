"""The demo: Charnwood's real PLF 2017/18 table (docs/domain.md §7), checked as at the day it was printed."""

from __future__ import annotations

from datetime import date

from grants.services.demo import load_demo
from grants.storage.database import Database
from tests.support.ops import run_checks

NOTHING_SPENT_BY_OCTOBER_2017 = {
    "Reducing Youth Re-Offending",
    "Mediation",
    "Targeted multiagency preventative action to reduce SAQ offences & offending within the Priority "
    "Neighbourhood – Loughborough East (N65)",
    "Targeted multiagency preventative action to reduce SAQ offences within the Priority Neighbourhood – "
    "Loughborough Central (N62)",
    "Student Crime Awareness",
    "Substance Misuse Project",
    "Mobile CCTV Camera fund",
    "Cycle Theft",
    "Contingency Fund",
}


def test_the_demo_plf_2017_18_flags_the_lines_with_no_spend_and_no_overspend(database: Database) -> None:
    load_demo(database)
    findings = run_checks(database, fund_code="PLF", year="2017/18", as_at=date(2017, 10, 26))
    flagged = [f.line for f in findings if f.code == "PRF003"]
    assert len(flagged) == len(NOTHING_SPENT_BY_OCTOBER_2017)
    assert set(flagged) == NOTHING_SPENT_BY_OCTOBER_2017
    codes = {f.code for f in findings}
    assert "SPD001" not in codes
    assert not codes & {"DAT001", "DAT003", "ALC001"}, "the printed table adds up and is fully allocated"
    assert not [f for f in findings if "could not run" in f.message]
    assert {(f.partnership, f.fund, f.year) for f in findings} == {
        ("Charnwood Community Safety Partnership", "PLF", "2017/18")
    }


def test_the_whole_demo_checks_without_a_rule_crashing(database: Database) -> None:
    load_demo(database)
    findings = run_checks(database, as_at=date(2026, 10, 26))
    assert findings
    assert not [f for f in findings if "could not run" in f.message]
