"""Steps for changes.feature (CHG001) and the profile-follows-allocation scenarios."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pytest_bdd import given, scenarios

from features.support import step
from grants.domain.enums import VirementStatus
from tests.support.ledger import LedgerBuilder

scenarios("changes.feature")


@given(step('{amount:Money} was proposed to move from "{source}" to "{target}" on {day:Date}'))
def proposed_virement(ledger: LedgerBuilder, amount: Decimal, source: str, target: str, day: date) -> None:
    ledger.virement(ledger.line_named(source), ledger.line_named(target), amount, day)


@given(
    step('{amount:Money} was moved from "{source}" to "{target}" on {day:Date} approved by {who} on {approved:Date}')
)
def approved_virement(
    ledger: LedgerBuilder, amount: Decimal, source: str, target: str, day: date, who: str, approved: date
) -> None:
    ledger.virement(
        ledger.line_named(source), ledger.line_named(target), amount, day, approved_by=who, approved_on=approved
    )


@given(step("the fund lets up to {share:Share} of a line move without approval"))
def virement_threshold(ledger: LedgerBuilder, share: Decimal) -> None:
    ledger.set_conditions(virement_threshold=share)


@given(
    step(
        '{amount:Money} was proposed to move from "{source}" to "{target}" on {day:Date} and rejected on {decided:Date}'
    )
)
def rejected_virement(
    ledger: LedgerBuilder, amount: Decimal, source: str, target: str, day: date, decided: date
) -> None:
    virement = ledger.virement(
        ledger.line_named(source), ledger.line_named(target), amount, day, status=VirementStatus.REJECTED
    )
    ledger.virements[-1] = virement.model_copy(update={"decided_by": "Strategic Group", "decided_on": decided})
