"""``run_checks`` and ``load_frames`` on a real database (SQLite, and PostgreSQL where it answers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from grants.domain.enums import AmountStatus, ReturnStatus, SpendKind
from grants.domain.errors import NotFound
from grants.services.ledger_frames import load_frames
from grants.storage.database import Database
from rules.findings import Finding
from rules.frames import SCHEMA
from rules.runner import run_rules
from tests.support.ledger import LedgerBuilder
from tests.support.ops import run_checks

Store = Callable[[Database, LedgerBuilder], dict[int, int]]

AS_AT = date(2023, 12, 1)


def _busy_ledger() -> LedgerBuilder:
    """A ledger touching every table and most rules."""
    ledger = LedgerBuilder()
    ledger.fund(
        "PZ-BF",
        "2023/24",
        "30000",
        amount_status=AmountStatus.INDICATIVE,
        conditions={
            "per_grant_cap": "1000",
            "eligible_areas": ["NL65"],
            "eligible_themes": ["Health & Wellbeing", "Community Safety"],
            "capital_share_max": "0.2",
            "match_share": "0.5",
            "monitoring_cadence_days": 30,
            "return_cadence": "quarterly",
            "virement_threshold": "0.2",
        },
    )
    ledger.receipt("15000", date(2023, 5, 1), approximate=True)
    brownies = ledger.line(
        "10th Loughborough Brownies", "1200", area="Beat 65", theme="health and wellbeing", ends=date(2023, 12, 31)
    )
    gardening = ledger.line(
        "MTC Gardening Group", "800", area="NL63", capital_revenue="capital", reported_balance="700"
    )
    round_2 = ledger.round(2, date(2023, 8, 21), date(2023, 9, 18), cap="1000")
    ledger.application(round_2, "10th Loughborough Brownies", "1200", date(2023, 9, 20), line=brownies)
    ledger.profile(brownies, "2023/24", 2, "600")
    ledger.profile(brownies, "2023/24", 3, "600")
    ledger.spend(brownies, date(2023, 3, 15), "100")
    ledger.spend(brownies, date(2023, 8, 1), "1300.55")
    ledger.spend(brownies, date(2023, 8, 2), "50", kind=SpendKind.REFUND)
    ledger.spend(gardening, date(2023, 9, 1), "100", kind=SpendKind.INCOME)
    ledger.spend(gardening, date(2023, 9, 1), "7000", capital_revenue="capital")
    ledger.spend(gardening, date(2024, 1, 5), "99")  # after the as-at date: left out
    ledger.match(date(2023, 9, 1), hours="10.5", hourly_rate="25.50")
    ledger.virement(brownies, gardening, "500", date(2023, 9, 5))
    ledger.outcome(brownies, "2023/24 Q2", date(2023, 10, 1), awaiting_data=True)
    ledger.return_("2023/24 Q2", status=ReturnStatus.DRAFT)
    ledger.imported_table("pz.xlsx", printed_allocated="2100")
    ledger.fund("DAA", "2023/24", "34000")
    ledger.line("10th loughborough brownies", "100")
    ledger.fund("PLF", "2017/18", "75500", partnership="Melton")
    ledger.line("Mediation", "5000")
    return ledger


def _comparable(findings: list[Finding]) -> list[tuple[str | None, ...]]:
    return [tuple(f.export().values()) for f in findings]


def test_the_database_and_the_in_memory_ledger_give_the_same_findings(
    any_database: Database, store_ledger: Store
) -> None:
    ledger = _busy_ledger()
    store_ledger(any_database, ledger)
    from_database = run_checks(any_database, as_at=AS_AT)
    in_memory = run_rules(ledger.frames(as_at=AS_AT), as_at=AS_AT)
    assert _comparable(from_database) == _comparable(in_memory)
    assert {f.code for f in from_database} >= {
        "ALC003",
        "ALC005",
        "SPD001",
        "SPD002",
        "SPD003",
        "SPD004",
        "SPD005",
        "DAT001",
        "DAT003",
        "EVD002",
        "EVD003",
        "RPT001",
        "RPT002",
        "RPT003",
    }
    assert not [f for f in from_database if "could not run" in f.message]


def test_loaded_frames_have_the_schema_types_and_aggregate_spends(any_database: Database, store_ledger: Store) -> None:
    store_ledger(any_database, _busy_ledger())
    frames = load_frames(any_database, partnership="charnwood", fund_code="pz-bf", year="2023-24", as_at=AS_AT)
    for name, schema in SCHEMA.items():
        frame = frames.frame(name)
        assert list(frame.columns) == list(schema), name
        for column, dtype in schema.items():
            assert str(frame[column].dtype) == dtype or (dtype == "str" and frame[column].dtype == "str"), (
                name,
                column,
            )
    assert frames.funds["code"].tolist() == ["PZ-BF"]
    spends = frames.spends
    payments = spends[spends["kind"] == "payment"]
    assert payments["amount_pence"].sum() == 100_00 + 1300_55 + 7000_00  # the January payment is after as-at
    assert sorted(payments["position"]) == ["before", "during", "during"]
    assert frames.matches["value_pence"].tolist() == [267_75]  # 10.5 hours × £25.50


def test_filters_naming_nothing_say_so(database: Database, store_ledger: Store) -> None:
    store_ledger(database, _busy_ledger())
    with pytest.raises(NotFound, match="Rutland"):
        load_frames(database, partnership="Rutland")
    with pytest.raises(NotFound, match="XYZ"):
        load_frames(database, fund_code="XYZ")
    with pytest.raises(NotFound, match="no fund matches partnership Melton, fund PZ-BF"):
        load_frames(database, partnership="Melton", fund_code="PZ-BF")


def test_filters_keep_other_partnerships_out(database: Database, store_ledger: Store) -> None:
    store_ledger(database, _busy_ledger())
    findings = run_checks(database, partnership="Melton", as_at=date(2017, 10, 26))
    assert {f.partnership for f in findings} == {"Melton"}
    assert "PRF003" in {f.code for f in findings}


def test_two_identical_lines_in_a_budget_table_get_dat002(database: Database, store_ledger: Store) -> None:
    ledger = LedgerBuilder()
    ledger.fund("PLF", "2017/18", "75500")
    ledger.line("Mediation", "5000", source="plf.csv row 6")
    ledger.line("Mediation", "5000", source="plf.csv row 7")
    store_ledger(database, ledger)
    found = [f for f in run_checks(database, as_at=date(2017, 10, 26)) if f.code == "DAT002"]
    assert len(found) == 1
    assert found[0].message == "'Mediation' with £5,000.00 allocated appears 2 times in this fund; this is copy 2."


def test_an_approximate_receipt_gets_alc003_on_each_allocation_resting_on_it(
    database: Database, store_ledger: Store
) -> None:
    ledger = LedgerBuilder()
    ledger.fund("DAA", "2023/24", "34000")
    ledger.receipt("34000", date(2023, 5, 1), approximate=True)
    ledger.line("Domestic Abuse Link Worker", "30000")
    ledger.line("Refuge places", "4000")
    ledger.fund("PLF", "2023/24", "20000")
    ledger.receipt("20000", date(2023, 4, 10))
    ledger.line("Street Pastors", "3000")
    store_ledger(database, ledger)
    found = [f for f in run_checks(database, as_at=date(2023, 6, 1)) if f.code == "ALC003"]
    assert sorted((f.fund, f.line) for f in found) == [
        ("DAA", "Domestic Abuse Link Worker"),
        ("DAA", "Refuge places"),
    ]
    assert all("1 receipt(s) of £34,000.00 marked approximate" in f.message for f in found)


def test_a_printed_balance_that_is_not_allocated_less_spent_gets_dat001_with_the_true_figure(
    database: Database, store_ledger: Store
) -> None:
    ledger = LedgerBuilder()
    ledger.fund("PLF", "2017/18", "75500")
    line = ledger.line("Prevention Campaign Materials", "5000", reported_balance="4127")
    ledger.spend(line, date(2017, 9, 1), "783")
    ledger.line("Street Pastors", "3000", reported_balance="3000")
    store_ledger(database, ledger)
    found = [f for f in run_checks(database, as_at=date(2017, 10, 26)) if f.code == "DAT001"]
    assert len(found) == 1
    assert found[0].line == "Prevention Campaign Materials"
    assert found[0].message == (
        "The printed balance is £4,127.00 but allocated £5,000.00 − spent £783.00 = £4,217.00 (a difference of £90.00)."
    )


def test_a_printed_total_that_is_not_the_sum_of_the_rows_gets_dat003(database: Database, store_ledger: Store) -> None:
    ledger = LedgerBuilder()
    ledger.fund("PLF", "2017/18", "75500")
    ledger.line("Anstey Youth Café", "1500", reported_balance="750", source="plf.csv row 3")
    ledger.line("Syston Youth Café", "2000", reported_balance="1000", source="plf.csv row 4")
    ledger.imported_table("plf.csv", printed_allocated="3500", printed_spent="1750", printed_balance="1850")
    store_ledger(database, ledger)
    found = [f for f in run_checks(database, as_at=date(2017, 10, 26)) if f.code == "DAT003"]
    assert [f.message for f in found] == [
        "'plf.csv' prints a total balance of £1,850.00 but its 2 rows add up to £1,750.00 (a difference of £100.00)."
    ]
