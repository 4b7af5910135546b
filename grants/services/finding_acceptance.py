"""Accepting a finding, and withdrawing the acceptance (the Strategic Group's use cases; see
:mod:`grants.services.finding_review` for what an acceptance means)."""

from __future__ import annotations

from datetime import date

from grants.domain.errors import NotFound, RuleViolation
from grants.domain.workflow import FindingAcceptance
from grants.services.access import Principal, check_fund, require_approve
from grants.services.checking import ledger_findings, run_checks
from grants.services.finding_review import Settled, fingerprint, settle
from grants.storage.unit_of_work import UnitOfWork


def accept_finding(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    *,
    code: str,
    line: str | None,
    reason: str,
    review_on: date | None,
    on: date,
    as_at: date,
) -> list[FindingAcceptance]:
    """The Strategic Group accepts the fund's current ``code`` finding(s) on ``line`` (None: the whole fund)."""
    require_approve(principal, check_fund(uow, principal, fund_id))
    if not reason.strip():
        raise RuleViolation("say why the finding is accepted (the funder may read it on the return)")
    if review_on is not None and review_on < on:
        raise RuleViolation(f"the review date {review_on:%d/%m/%Y} is before today; give a later date or none")
    fund = uow.funds.get(fund_id)
    partnership = uow.partnerships.get(fund.partnership_id).name
    code = code.strip().upper()
    wanted = (line or "").strip().lower()
    found = [
        f
        for f in ledger_findings(
            uow.database, partnership=partnership, fund_code=fund.code, year=fund.year, as_at=as_at
        )
        if f.fund_id == fund_id and f.code == code and (f.line or "").strip().lower() == wanted
    ]
    if not found:
        where = f"line {line!r}" if line else "the whole fund"
        raise NotFound(f"no {code} finding on {where} of {fund.code} {fund.year} as at {as_at:%d/%m/%Y}")
    _withdraw_all(uow, principal, fund_id, code, found[0].line, on, "replaced by a new acceptance")
    return [
        uow.acceptances.add(
            FindingAcceptance(
                fund_id=fund_id,
                code=code,
                line=finding.line or "",
                message=finding.message,
                fingerprint=fingerprint(code, finding.line, finding.message),
                reason=reason.strip(),
                review_on=review_on,
                accepted_by=principal.username,
                accepted_name=principal.label,
                accepted_on=on,
            )
        )
        for finding in found
    ]


def _withdraw_all(
    uow: UnitOfWork, principal: Principal, fund_id: int, code: str, line: str | None, on: date, reason: str
) -> list[FindingAcceptance]:
    done = []
    for acceptance in uow.acceptances.find(fund_id=fund_id, code=code):
        if acceptance.active and acceptance.line.lower() == (line or "").strip().lower():
            assert acceptance.id is not None
            done.append(
                uow.acceptances.update(
                    acceptance.id,
                    acceptance.version,
                    withdrawn_by=principal.label,
                    withdrawn_on=on,
                    withdraw_reason=reason,
                )
            )
    return done


def withdraw_acceptance(
    uow: UnitOfWork, principal: Principal, fund_id: int, *, code: str, line: str | None, reason: str, on: date
) -> list[FindingAcceptance]:
    """Withdraw the acceptance of the fund's ``code`` finding on ``line``: the finding is open again."""
    require_approve(principal, check_fund(uow, principal, fund_id))
    done = _withdraw_all(uow, principal, fund_id, code.strip().upper(), line, on, reason.strip() or "withdrawn")
    if not done:
        fund = uow.funds.get(fund_id)
        where = f"line {line!r}" if line else "the whole fund"
        raise NotFound(f"no accepted {code.upper()} finding on {where} of {fund.code} {fund.year}")
    return done


def acceptances(uow: UnitOfWork, principal: Principal, fund_id: int) -> list[FindingAcceptance]:
    """Every acceptance of the fund, withdrawn ones too, oldest first."""
    check_fund(uow, principal, fund_id)
    return uow.acceptances.find(fund_id=fund_id)


def reviewed_findings(uow: UnitOfWork, principal: Principal, *, as_at: date, fund_id: int | None = None) -> Settled:
    """The visible findings sorted three ways: open, accepted (with who, when, why), on a closed year."""
    return settle(uow, run_checks(uow, principal, as_at=as_at, fund_id=fund_id, include_settled=True), as_at)
