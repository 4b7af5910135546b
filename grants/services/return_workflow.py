"""The partnership's side of a return: draft → signed off → submitted (→ amended, version 2, 3 …).

========================  ==========================================  ===============================
state (``returns``)       how it is reached                            who
========================  ==========================================  ===============================
draft                     words saved (:func:`save_words`)             the Community Safety Manager
signed_off                :func:`sign_off`: the figures' fingerprint   a Strategic Group member (an
                          is stored with name, role and date           account, never free text)
submitted (version 1)     :func:`submit_return`, refused while         the Community Safety Manager
                          :func:`submission_problems` lists any
submitted (version n>1)   :func:`amend_return` with a reason, from     the Community Safety Manager
                          the current ledger, after a new sign-off
========================  ==========================================  ===============================

Each submitted version is kept in ``return_versions`` (frozen figures, and the PDF as sent with its SHA-256),
so every version regenerates byte for byte. A change to the figures after sign-off needs a new sign-off.
The funder's review of a submitted return is a separate state model beside this one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from grants.domain.enums import ReturnStatus
from grants.domain.errors import RuleViolation
from grants.domain.models import Fund, Return
from grants.domain.workflow import ReturnVersion
from grants.services.access import Principal, check_fund, require_approve
from grants.services.reporting import FindingsProvider, checked_findings, now_london
from grants.services.return_words import DraftWords
from grants.services.returns import _view, render_return, the_period
from grants.storage.unit_of_work import UnitOfWork
from reports.model import ReturnView

NOT_BLOCKING = frozenset({"RPT001", "RPT002"})  # the return being due, and blocked: submitting answers them
FIGURES = (
    "period", "fund_amount", "funding_received", "funding_expected", "allocated", "spent_in_period",
    "spent_to_date", "committed", "forecast_outturn", "projected_underspend", "total_profile_to_date",
    "total_variance", "lines", "outcomes",
)  # fmt: skip


class SubmissionRefused(RuleViolation):
    """A return that cannot be submitted yet; the message lists every reason."""

    def __init__(self, title: str, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(f"{title} cannot be submitted yet:\n" + "\n".join(f"  - {r}" for r in reasons))


def fingerprint(view: ReturnView) -> str:
    """The SHA-256 of the return's figures (not its words, dates or findings): what a sign-off is of."""
    data = view.to_dict()
    figures = {name: data[name] for name in FIGURES}
    return hashlib.sha256(json.dumps(figures, sort_keys=True).encode()).hexdigest()


def _stored(uow: UnitOfWork, fund: Fund, period: str) -> tuple[str, Return | None]:
    name = the_period(fund, period).name
    return name, uow.returns.first(fund_id=fund.id, period=name)


def _ensure(uow: UnitOfWork, fund: Fund, period: str) -> Return:
    name, stored = _stored(uow, fund, period)
    if stored is not None:
        return stored
    from grants.services.returns import due_on

    assert fund.id is not None
    return uow.returns.add(
        Return(fund_id=fund.id, period=name, status=ReturnStatus.DRAFT, due_on=due_on(fund, the_period(fund, period)))
    )


def save_words(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    explanations: dict[str, str] | None = None,
    general: str | None = None,
    outcomes: str | None = None,
    risks: str | None = None,
) -> DraftWords:
    """Save the draft's words (what is given writes over what was saved; an empty line explanation removes it)."""
    check_fund(uow, principal, fund_id, write=True)
    fund = uow.funds.get(fund_id)
    stored = _ensure(uow, fund, period)
    known = {line.description.strip().lower() for line in uow.lines.find(fund_id=fund_id)}
    unknown = [name for name in (explanations or {}) if name.strip().lower() not in known]
    if unknown:
        raise RuleViolation(f"{fund.code} {fund.year} has no line {unknown[0]!r}; explain a line by its description")
    words = DraftWords.from_dict(stored.words).merged(
        explanations=explanations, general=general, outcomes=outcomes, risks=risks
    )
    assert stored.id is not None
    uow.returns.update(stored.id, stored.version, words=words.to_dict())
    return words


def draft_words(uow: UnitOfWork, principal: Principal, fund_id: int, period: str) -> DraftWords:
    check_fund(uow, principal, fund_id)
    _, stored = _stored(uow, uow.funds.get(fund_id), period)
    return DraftWords.from_dict(stored.words if stored is not None else None)


def live_view(
    uow: UnitOfWork,
    principal: Principal,
    fund: Fund,
    period: str,
    *,
    generated_at: datetime,
    findings: FindingsProvider,
    status: ReturnStatus | None = None,
    submitted_on: date | None = None,
    version: int = 0,
    amend_reason: str = "",
) -> ReturnView:
    """The return as the ledger stands now, with its saved words and sign-off."""
    _, stored = _stored(uow, fund, period)
    words = DraftWords.from_dict(stored.words if stored is not None else None)
    signed = stored is not None and bool(stored.signed_off_by)
    current = stored.status if stored is not None else ReturnStatus.DRAFT
    return _view(
        uow,
        fund,
        uow.partnerships.get(fund.partnership_id).name,
        the_period(fund, period),
        status=(status or current).value,
        generated_at=generated_at,
        findings=findings,
        database=uow.database,
        words=words,
        prepared_by="" if principal.local else principal.label,
        approved_by=stored.signed_off_name if stored is not None and signed else "",
        signed_on=stored.signed_off_on if stored is not None and signed else None,
        signed_off_role=stored.signed_off_role if stored is not None and signed else "",
        submitted_on=submitted_on,
        submitted_by=(principal.label if submitted_on else ""),
        version=version,
        amend_reason=amend_reason,
    )


def sign_off(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    on: date,
    clock: Callable[[], datetime] = now_london,
    findings: FindingsProvider = checked_findings,
) -> Return:
    """A Strategic Group member signs off the return's current figures (name, role and date recorded)."""
    fund = uow.funds.get(fund_id)
    require_approve(principal, check_fund(uow, principal, fund_id))
    stored = _ensure(uow, fund, period)
    view = live_view(uow, principal, fund, period, generated_at=clock(), findings=lambda *_: ())
    assert stored.id is not None
    status = stored.status if stored.status is ReturnStatus.SUBMITTED else ReturnStatus.SIGNED_OFF
    return uow.returns.update(
        stored.id,
        stored.version,
        status=status,
        signed_off_by=principal.username,
        signed_off_name=principal.label,
        signed_off_role=principal.role_label,
        signed_off_on=on,
        signed_off_fingerprint=fingerprint(view),
    )


def submission_problems(uow: UnitOfWork, stored: Return | None, view: ReturnView) -> list[str]:
    """Every reason the return cannot be submitted now (none: it can)."""
    problems = [
        f"open error finding {row.code} on {row.line or 'the whole fund'}: {row.message} "
        "(resolve it, or ask the Strategic Group to accept it)"
        for row in view.findings or ()
        if row.severity == "error" and not row.accepted and row.code not in NOT_BLOCKING
    ]
    problems += [
        f"line {line.description!r} is Red and has no explanation (write one in the draft's words)"
        for line in view.lines
        if line.rag == "Red" and not view.extras.explanation_of(line.description)
    ]
    if stored is None or not stored.signed_off_by:
        problems.append("no Strategic Group member has signed off the figures")
    elif stored.signed_off_fingerprint != fingerprint(view):
        problems.append(
            f"the figures changed after {stored.signed_off_name} signed them off on "
            f"{stored.signed_off_on:%d/%m/%Y}; they need a new sign-off"
        )
    return problems


def _freeze(uow: UnitOfWork, stored: Return, view: ReturnView, *, on: date, actor: str, reason: str = "") -> Return:
    number = stored.version_number + 1
    frozen = view.to_dict()
    pdf = render_return(ReturnView.from_dict(frozen))
    assert stored.id is not None
    version = uow.return_versions.add(
        ReturnVersion(
            return_id=stored.id,
            number=number,
            frozen=frozen,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            submitted_on=on,
            submitted_by=actor,
            reason=reason,
        )
    )
    assert version.id is not None
    uow.return_versions.store_pdf(version.id, pdf)
    return uow.returns.update(
        stored.id,
        stored.version,
        status=ReturnStatus.SUBMITTED,
        submitted_on=on,
        submitted_by=actor,
        frozen=frozen,
        version_number=number,
        review="",  # a new version awaits the funder's review
    )


def submit_return(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    on: date,
    explanations: str | None = None,
    risks: str | None = None,
    clock: Callable[[], datetime] = now_london,
    findings: FindingsProvider = checked_findings,
) -> Return:
    """The manager submits a signed-off return: its figures and PDF are frozen as version 1."""
    check_fund(uow, principal, fund_id, write=True)
    fund = uow.funds.get(fund_id)
    if explanations is not None or risks is not None:
        save_words(uow, principal, fund_id, period, general=explanations, risks=risks)
    stored = _ensure(uow, fund, period)
    if stored.status is ReturnStatus.SUBMITTED:
        raise RuleViolation(
            f"the {fund.code} {stored.period} return was already submitted on {stored.submitted_on} "
            f"by {stored.submitted_by or 'someone'}; its figures are frozen (return amend … --reason … makes a new "
            "version)"
        )
    view = live_view(
        uow, principal, fund, period, generated_at=clock(), findings=findings,
        status=ReturnStatus.SUBMITTED, submitted_on=on, version=1,
    )  # fmt: skip
    problems = submission_problems(uow, stored, view)
    if problems:
        raise SubmissionRefused(f"the {fund.code} {stored.period} return", problems)
    return _freeze(uow, stored, view, on=on, actor=principal.label)


def amend_return(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    reason: str,
    on: date,
    clock: Callable[[], datetime] = now_london,
    findings: FindingsProvider = checked_findings,
) -> Return:
    """A new version of a submitted return from the current ledger (the funder asked for a correction).

    Earlier versions stay as they were sent. The same checks as a submission apply, a sign-off included.
    """
    check_fund(uow, principal, fund_id, write=True)
    if not reason.strip():
        raise RuleViolation("say why the return is amended (the funder reads it on the new version)")
    fund = uow.funds.get(fund_id)
    _, stored = _stored(uow, fund, period)
    if stored is None or stored.status is not ReturnStatus.SUBMITTED:
        raise RuleViolation(f"the {fund.code} {period} return has not been submitted: submit it, do not amend it")
    view = live_view(
        uow, principal, fund, period, generated_at=clock(), findings=findings, status=ReturnStatus.SUBMITTED,
        submitted_on=on, version=stored.version_number + 1, amend_reason=reason.strip(),
    )  # fmt: skip
    problems = submission_problems(uow, stored, view)
    if problems:
        raise SubmissionRefused(
            f"version {stored.version_number + 1} of the {fund.code} {stored.period} return", problems
        )
    return _freeze(uow, stored, view, on=on, actor=principal.label, reason=reason.strip())


def versions(uow: UnitOfWork, principal: Principal, fund_id: int, period: str) -> list[ReturnVersion]:
    """The submitted versions of a return, first to latest."""
    check_fund(uow, principal, fund_id)
    _, stored = _stored(uow, uow.funds.get(fund_id), period)
    if stored is None or stored.id is None:
        return []
    return uow.return_versions.find(return_id=stored.id, order_by="number")


def state_label(stored: Return | None) -> str:
    """Where the return stands, in words."""
    if stored is None:
        return "not started"
    if stored.status is ReturnStatus.SUBMITTED:
        return "submitted" if stored.version_number <= 1 else f"amended (version {stored.version_number})"
    return stored.status.value.replace("_", " ")


def describe(stored: Return | None) -> dict[str, Any]:
    """The return's workflow state as plain values (for the app and ``--format json``)."""
    if stored is None:
        return {"state": "not started"}
    return {
        "state": state_label(stored),
        "signed_off_by": stored.signed_off_name,
        "signed_off_role": stored.signed_off_role,
        "signed_off_on": stored.signed_off_on.isoformat() if stored.signed_off_on else None,
        "submitted_on": stored.submitted_on.isoformat() if stored.submitted_on else None,
        "submitted_by": stored.submitted_by,
        "version": stored.version_number,
        "review": stored.review,
    }


def return_state(uow: UnitOfWork, principal: Principal, fund_id: int, period: str) -> dict[str, Any]:
    """Where the return stands, with whether its sign-off is of the current figures."""
    check_fund(uow, principal, fund_id)
    fund = uow.funds.get(fund_id)
    _, stored = _stored(uow, fund, period)
    state = describe(stored)
    if stored is not None and stored.signed_off_by:
        view = live_view(uow, principal, fund, period, generated_at=now_london(), findings=lambda *_: ())
        state["signed_off_current"] = stored.signed_off_fingerprint == fingerprint(view)
        state["signed_off_on"] = f"{stored.signed_off_on:%d/%m/%Y}" if stored.signed_off_on else ""
    return state
