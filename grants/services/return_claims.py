"""What a return adds beside its figures: the adjustments to earlier periods it must report, and the claim
of a fund paid in arrears on quarterly returns (Safer Streets)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from grants.domain.calendar import Period, parse_period
from grants.domain.enums import MatchKind, ReturnCadence
from grants.domain.models import Fund
from grants.services.fund_figures import FundFigures
from grants.services.funding_chain import chain_text, fund_chain
from grants.services.period_lock import unreported_adjustments
from grants.storage.unit_of_work import UnitOfWork
from reports.return_extras import AdjustmentRow, ClaimView

ZERO = Decimal("0.00")


def earlier_adjustments(uow: UnitOfWork, fund: Fund, period: Period) -> tuple[AdjustmentRow, ...]:
    """The adjustments this return lists under "Adjustments to earlier periods": those to a period before it
    that no return has reported yet (or, for the locked return's own amendment, those to its period)."""
    assert fund.id is not None
    rows = []
    for adjustment in unreported_adjustments(uow, fund):
        locked = parse_period(adjustment.locked_period)
        if locked.end < period.start or locked.name == period.name:
            rows.append(
                AdjustmentRow(
                    period=adjustment.locked_period,
                    dated_on=adjustment.dated_on,
                    summary=adjustment.summary,
                    reason=adjustment.reason,
                    recorded_by=adjustment.recorded_by,
                    recorded_on=adjustment.recorded_on,
                )
            )
    return tuple(rows)


def claim_view(uow: UnitOfWork, fund: Fund, figures: FundFigures, period: Period, as_at: date) -> ClaimView | None:
    """The quarter's claim of a fund returned quarterly (paid in arrears): None for six-monthly funds."""
    if fund.conditions.return_cadence is not ReturnCadence.QUARTERLY:
        return None
    assert fund.id is not None
    in_period = figures.spent_between(period.start, as_at)
    to_date = figures.spent
    matches = [m for m in uow.matches.find(fund_id=fund.id) if m.contributed_on <= as_at]
    cash = sum((m.value for m in matches if m.kind is MatchKind.CASH), ZERO)
    in_kind = sum((m.value for m in matches if m.kind is MatchKind.IN_KIND), ZERO)
    share = fund.conditions.match_share
    required = (to_date * share).quantize(Decimal("0.01")) if share is not None else ZERO
    received = figures.received
    return ClaimView(
        grant_spend_in_period=in_period,
        claimed_to_date=to_date,
        awarded=fund.amount,
        received=received,
        still_expected=figures.expected,
        match_cash=cash,
        match_in_kind=in_kind,
        match_required=required,
        match_share=f"{(share * 100).normalize():f}%" if share is not None else "none required",
        funding_chain=chain_text(fund_chain(uow, fund)),
    )
