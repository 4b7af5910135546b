"""Grant rounds of a small-grants fund: open, take applications, score, decide.

The manager plans a round, opens and closes it, records applications and their scores. The
decision to fund is the panel's (the Strategic Group role): a funded application becomes a
budget line of the round's fund, approved by whoever decided it, and the application keeps
a link to the line. Funding above the round's cap is refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from grants.domain.enums import ApplicationStatus, RoundStatus
from grants.domain.errors import RuleViolation
from grants.domain.models import Application, BudgetLine, GrantRound
from grants.domain.money import format_gbp, parse_money
from grants.services.access import Principal, check_fund, partnership_of_round, require_approve, require_write
from grants.storage.unit_of_work import UnitOfWork

SCORE_MAX = Decimal("10")


def create_round(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    *,
    opens: date,
    closes: date,
    cap: Decimal | None = None,
    number: int | None = None,
) -> GrantRound:
    """Plan a round (numbered after the fund's last one unless given)."""
    check_fund(uow, principal, fund_id, write=True)
    existing = uow.rounds.find(fund_id=fund_id)
    number = number or (max((r.number for r in existing), default=0) + 1)
    if any(r.number == number for r in existing):
        raise RuleViolation(f"this fund already has a round {number}")
    added = uow.rounds.add(
        GrantRound(
            fund_id=fund_id,
            number=number,
            opens=opens,
            closes=closes,
            cap=parse_money(cap).amount if cap else None,
        )
    )
    return added


def set_round_status(
    uow: UnitOfWork, principal: Principal, round_id: int, expected_version: int | None, status: RoundStatus | str
) -> GrantRound:
    """Open or close a round."""
    status = RoundStatus(status)
    require_write(principal, partnership_of_round(uow, round_id))
    grant_round = uow.rounds.get(round_id)
    if status is RoundStatus.OPEN and grant_round.status is RoundStatus.CLOSED:
        raise RuleViolation(f"round {grant_round.number} is closed; plan a new round instead of reopening it")
    updated = uow.rounds.update(round_id, expected_version, status=status)
    return updated


def record_application(
    uow: UnitOfWork,
    principal: Principal,
    round_id: int,
    *,
    applicant: str,
    requested: Decimal,
    received_on: date,
    project: str = "",
    theme: str = "",
    area: str = "",
) -> Application:
    """An application received while the round is open."""
    if not applicant.strip():
        raise RuleViolation("an application needs the applicant's name")
    if Decimal(requested) <= 0:
        raise RuleViolation("the amount requested is more than £0.00")
    require_write(principal, partnership_of_round(uow, round_id))
    grant_round = uow.rounds.get(round_id)
    if grant_round.status is not RoundStatus.OPEN:
        state = grant_round.status.value
        raise RuleViolation(f"round {grant_round.number} is {state}; open it to take applications")
    application = uow.applications.add(
        Application(
            round_id=round_id,
            applicant=applicant.strip(),
            project=project.strip(),
            theme=theme.strip(),
            area=area.strip(),
            requested=parse_money(requested).amount,
            received_on=received_on,
        )
    )
    return application


def score_application(
    uow: UnitOfWork, principal: Principal, application_id: int, expected_version: int | None, score: Decimal
) -> Application:
    """Record the assessment score (0 to 10); the application is then under review."""
    score = Decimal(score)
    if not Decimal(0) <= score <= SCORE_MAX:
        raise RuleViolation(f"a score is between 0 and {SCORE_MAX}")
    application = uow.applications.get(application_id)
    require_write(principal, partnership_of_round(uow, application.round_id))
    if application.status in (ApplicationStatus.FUNDED, ApplicationStatus.REFUSED):
        raise RuleViolation(f"the application from {application.applicant} has been decided already")
    updated = uow.applications.update(
        application_id,
        expected_version,
        score=score.quantize(Decimal("0.01")),
        status=ApplicationStatus.UNDER_REVIEW,
    )
    return updated


def decide_application(
    uow: UnitOfWork,
    principal: Principal,
    application_id: int,
    expected_version: int | None,
    *,
    funded: bool,
    on: date,
    amount: Decimal | None = None,
) -> Application:
    """The panel's decision. Funding creates an approved budget line for the amount awarded."""
    application = uow.applications.get(application_id)
    require_approve(principal, partnership_of_round(uow, application.round_id))
    if application.status in (ApplicationStatus.FUNDED, ApplicationStatus.REFUSED):
        raise RuleViolation(f"the application from {application.applicant} has been decided already")
    grant_round = uow.rounds.get(application.round_id)
    if not funded:
        updated = uow.applications.update(
            application_id,
            expected_version,
            status=ApplicationStatus.REFUSED,
            decided_by=principal.label,
            decided_on=on,
        )
        return updated
    award = parse_money(amount if amount is not None else application.requested).amount
    if award <= 0:
        raise RuleViolation("a funded application is awarded more than £0.00")
    if grant_round.cap is not None and award > grant_round.cap:
        raise RuleViolation(f"round {grant_round.number} awards at most {format_gbp(grant_round.cap)} per grant")
    fund = uow.funds.get(grant_round.fund_id)
    line = uow.lines.add(
        BudgetLine(
            fund_id=grant_round.fund_id,
            description=f"{application.project or 'Grant'} ({application.applicant})",
            delivery_partner=application.applicant,
            theme=application.theme,
            area=application.area,
            allocated=award,
            approved_by=principal.label,
            approved_on=on,
            starts=max(on, fund.starts),
            ends=fund.ends,
            source=f"grant round {grant_round.number}, application {application_id}",
        )
    )
    updated = uow.applications.update(
        application_id,
        expected_version,
        status=ApplicationStatus.FUNDED,
        decided_by=principal.label,
        decided_on=on,
        line_id=line.id,
    )
    return updated
