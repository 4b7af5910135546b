"""The return is true at its date: a later line, a pending virement and a running period (the dated ledger)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from grants.domain.enums import Role
from grants.domain.models import BudgetLine
from grants.services import virements
from grants.services.access import Principal
from grants.services.usecase import perform
from grants.storage.unit_of_work import UnitOfWork
from reports.model import ReturnView
from tests.reports.conftest import PARTNERSHIP, YEAR, BuiltLedger, some_findings
from tests.support.ops import return_view

UK = ZoneInfo("Europe/London")


def _view(ledger: BuiltLedger, half: str, made: datetime) -> ReturnView:
    return return_view(
        ledger.database,
        partnership=PARTNERSHIP,
        fund_code="TF",
        year=YEAR,
        half=half,
        generated_at=made,
        findings=some_findings,
    )


def _later_changes(ledger: BuiltLedger) -> None:
    """On 29/11/2025, after H1 ended: a new line, and a virement proposed (not approved) from Youth outreach."""
    with UnitOfWork(ledger.database, actor="manager") as uow, uow.dated(date(2025, 11, 29)):
        uow.lines.add(
            BudgetLine(fund_id=ledger.fund_id, description="Knife crime workshops", allocated=Decimal("2500"))
        )
        uow.commit()
    with UnitOfWork(ledger.database) as uow:
        partnership = uow.funds.get(ledger.fund_id).partnership_id
    perform(
        ledger.database,
        Principal.of("mandy", Role.MANAGER, [partnership]),
        virements.propose_virement,
        from_line_id=ledger.line_ids["youth"],
        to_line_id=ledger.line_ids["fish"],
        amount=Decimal("1000.00"),
        reason="re-use",
        proposed_on=date(2025, 11, 29),
    )


def test_the_h1_return_made_after_later_changes_shows_h1s_ledger_only(ledger: BuiltLedger) -> None:
    before = _view(ledger, "H1", datetime(2025, 10, 20, tzinfo=UK))
    _later_changes(ledger)
    after = _view(ledger, "H1", datetime(2025, 12, 1, tzinfo=UK))
    assert [line.description for line in after.lines] == [line.description for line in before.lines]
    assert "Knife crime workshops" not in [line.description for line in after.lines]
    assert [(line.description, line.allocated) for line in after.lines] == [
        (line.description, line.allocated) for line in before.lines
    ]
    assert (after.allocated, after.spent_to_date, after.forecast_outturn) == (
        before.allocated,
        before.spent_to_date,
        before.forecast_outturn,
    )


def test_an_approved_virement_counts_from_its_approval_date_only(ledger: BuiltLedger) -> None:
    _later_changes(ledger)
    with UnitOfWork(ledger.database) as uow:
        partnership = uow.funds.get(ledger.fund_id).partnership_id
        (proposal,) = uow.virements.find(fund_id=ledger.fund_id)
    chair = Principal.of("chair", Role.STRATEGIC_GROUP, [partnership])
    perform(ledger.database, chair, virements.approve_virement, proposal.id or 0, None, on=date(2026, 1, 10))
    h2 = {line.description: line.allocated for line in _view(ledger, "H2", datetime(2026, 4, 20, tzinfo=UK)).lines}
    assert (h2["Youth outreach"], h2["Chip shop ASB patrols"]) == (Decimal("19000.00"), Decimal("11000.00"))
    as_at_december = _view(ledger, "H2", datetime(2025, 12, 15, tzinfo=UK))
    december = {line.description: line.allocated for line in as_at_december.lines}
    assert (december["Youth outreach"], december["Chip shop ASB patrols"]) == (Decimal("20000.00"), Decimal("10000.00"))


def test_a_mid_period_draft_counts_spend_to_date_and_forecasts_the_rest(ledger: BuiltLedger) -> None:
    draft = _view(ledger, "H2", datetime(2025, 10, 20, 10, 0, tzinfo=UK))
    assert draft.as_at == date(2025, 10, 20), "the half has not ended: figures as at the day it was made"
    assert draft.spent_to_date == Decimal("15350.00"), "the £5,000 paid on 1 November is still to come"
    assert draft.spent_in_period == Decimal("0.00")
    assert draft.forecast_outturn > draft.spent_to_date, "the rest of the profile is forecast, not taken as missed"
    profile_to_date = sum((line.profile_to_date for line in draft.lines), Decimal("0"))
    assert draft.total_profile_to_date == profile_to_date
    assert profile_to_date < Decimal("37500.00"), "Q3 is pro-rated by days, not counted whole"
