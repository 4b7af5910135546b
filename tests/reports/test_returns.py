"""The OPCC return: its figures, its PDF, and submitting it (freezing its figures)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from grants import figures
from grants.domain.enums import ReturnStatus
from grants.domain.errors import InvalidPeriod, RuleViolation
from grants.domain.models import OutcomeTarget, ProfileEntry, Spend
from grants.services import return_workflow, usecase
from grants.services.access import local_operator
from grants.services.demo import PARTNERSHIP as DEMO
from grants.services.returns import due_on, render_return
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from reports.model import ReturnView
from rules.profile import BehindProfileParams
from tests.reports.conftest import (
    FISH,
    PARTNERSHIP,
    YEAR,
    BuiltLedger,
    build_test_ledger,
    contains_all,
    no_findings,
    pdf_metadata,
    pdf_text,
    some_findings,
    squash,
)
from tests.support.ops import return_view, submit_return

UK = ZoneInfo("Europe/London")
SUBMITTED_AT = datetime(2025, 10, 28, 16, 45, tzinfo=UK)


def _view(ledger: BuiltLedger, half: str = "H1", **kwargs: str) -> ReturnView:
    return return_view(
        ledger.database,
        partnership=PARTNERSHIP,
        fund_code="TF",
        year=YEAR,
        half=half,
        # made three weeks after the half ends (a draft made during the half is tested in test_dated_returns)
        generated_at=datetime(2025, 10, 20, 10, 0, tzinfo=UK) if half == "H1" else datetime(2026, 4, 20, tzinfo=UK),
        findings=some_findings,
        **kwargs,
    )


def _submit(ledger: BuiltLedger, half: str = "H1") -> None:
    """Explain the red lines, sign off and submit (the stub findings' one error left out: it would block)."""
    usecase.perform(
        ledger.database,
        local_operator("jane.officer"),
        return_workflow.save_words,
        ledger.fund_id,
        half,
        explanations={"Chip shop ASB patrols": "Started late.", "=SUM(A1:A9)": "Overspent by £350, agreed."},
    )
    submit_return(
        ledger.database,
        partnership=PARTNERSHIP,
        fund_code="TF",
        year=YEAR,
        half=half,
        actor="jane.officer",
        on=date(2025, 10, 28),
        explanations="Fish & Chips <Ltd> started late.",
        risks="",
        clock=lambda: SUBMITTED_AT,
        findings=lambda *args: some_findings(*args)[1:],
    )


def test_the_h1_return_adds_up_to_the_penny(ledger: BuiltLedger) -> None:
    view = _view(ledger)
    assert (view.period, view.period_start, view.period_end, view.as_at) == (
        "2025/26 H1",
        date(2025, 4, 1),
        date(2025, 9, 30),
        date(2025, 9, 30),
    )
    assert view.funding_received == Decimal("30000.00")
    assert view.funding_expected == Decimal("20000.00")
    assert view.allocated == Decimal("50000.00")
    assert view.spent_in_period == view.spent_to_date == Decimal("15350.00")
    # committed: approved lines' allocated − spent, never below zero: 11,000 + 9,000 + 0 + 7,500.50
    assert view.committed == Decimal("27500.50")
    # forecast outturn: 15,350 spent + 15,000 of profile still to come + the two lines with no profile,
    # forecast to spend their allocations (£7,500.50 and £7,499.50)
    assert view.forecast_outturn == Decimal("45350.00")
    assert view.projected_underspend == Decimal("4650.00")
    assert view.total_profile_to_date == Decimal("20000.00")
    assert view.total_variance == Decimal("-4650.00")
    rags = {line.description: line.rag for line in view.lines}
    assert rags == {
        "Youth outreach": "Green",  # exactly 10% behind is not beyond 10%
        "Chip shop ASB patrols": "Red",  # 80% behind
        "=SUM(A1:A9)": "Red",  # spent £5,350 of £5,000: overspent
        "+44 helpline": "No profile",
        "Contingency": "No profile",
    }
    assert [(o.line, o.outputs) for o in view.outcomes] == [("Youth outreach", "42 young people")]
    assert view.due_on == date(2025, 10, 31)
    assert view.status == "draft"


def test_the_h2_return_counts_only_its_own_spend_in_the_period(ledger: BuiltLedger) -> None:
    view = _view(ledger, half="H2")
    assert view.spent_in_period == Decimal("5000.00")
    assert view.spent_to_date == Decimal("20350.00")
    assert view.due_on == date(2026, 4, 30)
    assert [o.line for o in view.outcomes] == ["Chip shop ASB patrols"]
    assert view.outcomes[0].awaiting_data


def _status(allocated: int, spent: int, to_date: int, has_profile: bool = True) -> str:
    """The engine's rating of one line (pence), against its profile to date."""
    one = pd.Series
    rating = figures.behind_rating(figures.behind_share(one([spent]), one([to_date])))
    status = figures.against_profile(
        allocated=one([allocated]), spent=one([spent]), has_profile=one([has_profile]), rating=rating
    )
    return str(status.iloc[0])


def test_rag_thresholds_are_prf001s() -> None:
    defaults = BehindProfileParams()  # PRF001's defaults are the engine's thresholds
    assert (Decimal(str(defaults.amber)), Decimal(str(defaults.red))) == (figures.AMBER_BEHIND, figures.RED_BEHIND)
    assert _status(200_000, 90_000, 100_000) == "Green"  # 10% behind exactly
    assert _status(200_000, 89_999, 100_000) == "Amber"
    assert _status(200_000, 75_000, 100_000) == "Amber"  # 25% behind exactly
    assert _status(200_000, 74_999, 100_000) == "Red"
    assert _status(200_000, 200_001, 100_000) == "Red"  # overspent
    assert _status(200_000, 0, 0, has_profile=False) == "No profile"
    assert _status(0, 0, 0, has_profile=False) == "Green"


def test_the_current_quarter_is_pro_rated_by_days(ledger: BuiltLedger) -> None:
    with UnitOfWork(ledger.database) as uow:
        entries: list[ProfileEntry] = uow.profiles.find(line_id=ledger.line_ids["youth"])
    frame = pd.DataFrame(
        {
            "year": [e.year for e in entries],
            "quarter": [e.quarter for e in entries],
            "amount_pence": [int(e.amount * 100) for e in entries],
        }
    )

    def due(day: date) -> Decimal:
        return Decimal(int(figures.profile_to_date_pence(frame, day).sum())) / 100

    assert due(date(2025, 6, 30)) == Decimal("5000.00")
    # 15 August: Q1 whole + 46 of Q2's 92 days
    assert due(date(2025, 8, 15)) == Decimal("7500.00")
    assert due(date(2025, 3, 31)) == Decimal("0.00")


def test_the_return_pdf_shows_the_figures_and_passes_qpdf(
    ledger: BuiltLedger, qpdf_check: Callable[[bytes], None]
) -> None:
    data = render_return(_view(ledger, explanations="Fish & Chips <Ltd> started late.\nSecond line."))
    qpdf_check(data)
    text = pdf_text(data)
    missing = contains_all(
        text,
        [
            "OPCC six-monthly financial profile return", "DRAFT", "2025/26 H1", "£30,000.00", "£15,350.00",
            "£27,500.50", "£45,350.00", "£4,650.00", "Provider", "Profile to Date", "Actual to Date", "Variance",
            "RAG", FISH, "Fish & Chips <Ltd> started late.", "Second line.", "42 young people", "Prepared by",
            "Signed off by", "No priority for <this> & that.", "Page 1 of", "Due 31 October 2025",
        ],
    )  # fmt: skip
    assert missing == []


def test_a_submitted_return_regenerates_byte_for_byte_after_the_ledger_changes(
    ledger: BuiltLedger, qpdf_check: Callable[[bytes], None]
) -> None:
    _submit(ledger)
    first = render_return(_view(ledger))
    with UnitOfWork(ledger.database, actor="test") as uow:
        uow.spends.add(Spend(line_id=ledger.line_ids["youth"], spent_on=date(2025, 9, 1), amount=Decimal("999.99")))
        line = uow.lines.get(ledger.line_ids["fish"])
        assert line.id is not None
        uow.lines.update(line.id, line.version, allocated=Decimal("12345.67"), delivery_partner="Someone Else")
        uow.commit()
    second_view = _view(ledger, explanations="changed", prepared_by="someone else")
    second = render_return(second_view)
    assert second == first
    qpdf_check(first)
    assert second_view.spent_to_date == Decimal("15350.00")  # frozen, not the ledger's new £16,349.99
    text = squash(pdf_text(first))
    assert "SUBMITTED on 28 October 2025 by jane.officer" in text
    assert "Fish & Chips <Ltd> started late." in text and "jane.officer, local operator" in text
    assert pdf_metadata(first)["/CreationDate"].startswith("D:20251028164500+00'00'")
    # the draft for the other half still follows the ledger
    assert _view(ledger, half="H2").spent_to_date == Decimal("21349.99")


def test_submitting_stores_the_complete_figures_as_json_text(ledger: BuiltLedger) -> None:
    _submit(ledger)
    with UnitOfWork(ledger.database) as uow:
        (stored,) = uow.returns.find(fund_id=ledger.fund_id)
    assert stored.status is ReturnStatus.SUBMITTED
    assert (stored.period, stored.submitted_on, stored.submitted_by) == (
        "2025/26 H1",
        date(2025, 10, 28),
        "jane.officer",
    )
    assert stored.frozen is not None
    assert stored.frozen["committed"] == "27500.50"
    assert stored.frozen["lines"][1]["provider"] == FISH
    assert stored.frozen["generated_at"] == "2025-10-28T16:45:00+00:00"
    assert ReturnView.from_dict(stored.frozen).to_dict() == stored.frozen


def test_a_return_cannot_be_submitted_twice(ledger: BuiltLedger) -> None:
    _submit(ledger)
    with pytest.raises(RuleViolation, match="already submitted"):
        _submit(ledger)


def test_the_period_must_match_the_funds_cadence(database: Database) -> None:
    build_test_ledger(database, code="SSX", quarterly=True)
    with pytest.raises(InvalidPeriod, match="quarterly"):
        return_view(database, partnership=PARTNERSHIP, fund_code="SSX", year=YEAR, half="H1", findings=no_findings)
    view = return_view(
        database, partnership=PARTNERSHIP, fund_code="SSX", year=YEAR, quarter="Q2", findings=no_findings
    )
    assert (view.period, view.period_start, view.period_end) == ("2025/26 Q2", date(2025, 7, 1), date(2025, 9, 30))
    assert view.spent_in_period == Decimal("10350.00")  # 4,000 + 1,000 + 5,500 − 150
    assert view.due_on == date(2025, 10, 31)
    assert "OPCC quarterly return" in pdf_text(render_return(view))


def test_due_dates_default_to_the_end_of_the_next_month(ledger: BuiltLedger) -> None:
    with UnitOfWork(ledger.database) as uow:
        fund = uow.funds.get(ledger.fund_id)
    from grants.domain.calendar import FinancialYear

    assert due_on(fund, FinancialYear(2025).half(2)) == date(2026, 4, 30)
    assert due_on(fund, FinancialYear(2025).quarter(3)) == date(2026, 1, 31)


def test_the_demo_safer_streets_quarterly_return_with_real_findings(
    demo_database: Database, qpdf_check: Callable[[bytes], None]
) -> None:
    view = return_view(demo_database, partnership=DEMO, fund_code="SS", year="2026/27", quarter="Q2")
    assert view.quarterly and view.findings is not None
    assert view.spent_to_date == Decimal("23250.00")
    data = render_return(view)
    qpdf_check(data)
    assert "Safer Streets" in pdf_text(data)


def test_freezing_and_the_pack_work_the_same_on_sqlite_and_postgresql(any_database: Database) -> None:
    ledger = build_test_ledger(any_database)
    _submit(ledger)
    first = render_return(_view(ledger))
    with UnitOfWork(any_database, actor="test") as uow:
        uow.spends.add(Spend(line_id=ledger.line_ids["fish"], spent_on=date(2025, 6, 1), amount=Decimal("0.01")))
        uow.commit()
    assert render_return(_view(ledger)) == first
    from tests.support.ops import budget_pack

    pack = budget_pack(any_database, partnership=PARTNERSHIP, year=YEAR, as_at=date(2026, 3, 31), findings=no_findings)
    assert pack.funds[0].total_spent == Decimal("20350.01")


def test_an_outcome_update_reports_against_its_lines_target_in_the_return(ledger: BuiltLedger) -> None:
    before = render_return(_view(ledger))
    assert "Target (measure)" not in pdf_text(before)  # no line has a target: the table is as it always was
    with UnitOfWork(ledger.database, actor="test") as uow:
        uow.targets.add(
            OutcomeTarget(
                line_id=ledger.line_ids["youth"],
                target="60 young people diverted",
                measure="referrals closed",
            )
        )
        uow.commit()
    view = _view(ledger)
    assert [(o.line, o.target) for o in view.outcomes] == [
        ("Youth outreach", "60 young people diverted (measure: referrals closed)")
    ]
    assert ReturnView.from_dict(view.to_dict()).outcomes == view.outcomes
    text = pdf_text(render_return(view))
    assert "Target (measure)" in text and "60 young people diverted" in text
