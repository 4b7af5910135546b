"""Virements: moving money between two lines of one fund, as a proposal the Strategic Group decides.

* the manager proposes (:func:`propose_virement`): nothing moves; the proposal is shown as pending
  wherever the lines are;
* the Strategic Group approves it (:func:`approve_virement`): the money moves on the day of approval (the
  virement's effective date), and the remaining profile moves with it, so each line's profile total stays
  equal to its allocation; or rejects it with a reason (:func:`reject_virement`). Nobody decides a
  virement they proposed.

A virement never moves money already spent: the source line's unspent balance is checked on proposal and
again on approval.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from grants.domain.calendar import FinancialYear
from grants.domain.enums import VirementStatus
from grants.domain.errors import PermissionDenied, RuleViolation
from grants.domain.models import ProfileEntry, Virement
from grants.domain.money import format_gbp, parse_money
from grants.services.access import Principal, check_fund, require_approve
from grants.services.fund_figures import line_balances
from grants.storage.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")


def _unspent(uow: UnitOfWork, fund_id: int, line_id: int) -> Decimal:
    balances = {b.line.id: b for b in line_balances(uow, fund_id)}
    return balances[line_id].balance


def propose_virement(
    uow: UnitOfWork,
    principal: Principal,
    *,
    from_line_id: int,
    to_line_id: int,
    amount: Decimal,
    reason: str,
    proposed_on: date,
) -> Virement:
    """Propose moving unspent money from one line to another of the same fund; nothing moves yet."""
    amount = parse_money(amount).amount
    if amount <= 0:
        raise RuleViolation("a virement moves a positive amount")
    if from_line_id == to_line_id:
        raise RuleViolation("a virement moves money between two different lines")
    if not reason.strip():
        raise RuleViolation("say why the money is moving (the Strategic Group will read it)")
    source = uow.lines.get(from_line_id)
    target = uow.lines.get(to_line_id)
    if source.fund_id != target.fund_id:
        raise RuleViolation("a virement moves money between lines of the same fund")
    check_fund(uow, principal, source.fund_id, write=True)
    unspent = _unspent(uow, source.fund_id, from_line_id)
    if amount > unspent:
        raise RuleViolation(
            f"{source.description!r} has {format_gbp(unspent)} unspent; a virement cannot move {format_gbp(amount)}"
        )
    return uow.virements.add(
        Virement(
            fund_id=source.fund_id,
            from_line_id=from_line_id,
            to_line_id=to_line_id,
            amount=amount,
            moved_on=proposed_on,
            reason=reason.strip(),
            status=VirementStatus.PROPOSED,
            proposed_by=principal.username,
        )
    )


def _pending(uow: UnitOfWork, principal: Principal, virement_id: int) -> Virement:
    virement = uow.virements.get(virement_id)
    require_approve(principal, uow.funds.get(virement.fund_id).partnership_id)
    if virement.status is not VirementStatus.PROPOSED:
        raise RuleViolation(
            f"this virement was already {virement.status.value} by {virement.decided_by or 'someone'}"
            + (f" on {virement.decided_on:%d/%m/%Y}" if virement.decided_on else "")
        )
    if virement.proposed_by and virement.proposed_by == principal.username:
        raise PermissionDenied(f"{principal.username} proposed this virement and cannot decide it too")
    return virement


def approve_virement(
    uow: UnitOfWork, principal: Principal, virement_id: int, version: int | None, *, on: date
) -> Virement:
    """Approve a proposed virement: the money and the remaining profile move, effective ``on``."""
    virement = _pending(uow, principal, virement_id)
    source = uow.lines.get(virement.from_line_id)
    target = uow.lines.get(virement.to_line_id)
    unspent = _unspent(uow, virement.fund_id, virement.from_line_id)
    if virement.amount > unspent:
        raise RuleViolation(
            f"{source.description!r} now has {format_gbp(unspent)} unspent; this virement of "
            f"{format_gbp(virement.amount)} can no longer be made (reject it, or propose a smaller one)"
        )
    with uow.dated(on):
        # The money moves: an allocation changed by an approved virement keeps its approval (the Strategic
        # Group approved the move itself).
        uow.lines.update(source.id or 0, source.version, allocated=source.allocated - virement.amount)
        uow.lines.update(target.id or 0, target.version, allocated=target.allocated + virement.amount)
        _move_profile(uow, virement, on)
        return uow.virements.update(
            virement_id,
            version,
            status=VirementStatus.APPROVED,
            approved_by=principal.label,
            approved_on=on,
            decided_by=principal.label,
            decided_on=on,
        )


def reject_virement(
    uow: UnitOfWork, principal: Principal, virement_id: int, version: int | None, *, reason: str, on: date
) -> Virement:
    """Reject a proposed virement, saying why; nothing moves."""
    if not reason.strip():
        raise RuleViolation("say why the virement is rejected (the manager will read it)")
    _pending(uow, principal, virement_id)
    return uow.virements.update(
        virement_id,
        version,
        status=VirementStatus.REJECTED,
        decided_by=principal.label,
        decided_on=on,
        decision_reason=reason.strip(),
    )


def _move_profile(uow: UnitOfWork, virement: Virement, on: date) -> None:
    """Move ``virement.amount`` of the source line's profile still to come (latest quarters first) to the
    target line's same quarters; what the source has not profiled goes to the target's last quarter."""
    fund = uow.funds.get(virement.fund_id)
    source = {(e.year, e.quarter): e for e in uow.profiles.find(line_id=virement.from_line_id)}
    target = {(e.year, e.quarter): e for e in uow.profiles.find(line_id=virement.to_line_id)}
    to_come = sorted(
        (key for key in source if FinancialYear.parse(key[0]).quarter(key[1]).end >= on),
        key=lambda key: (FinancialYear.parse(key[0]).start_year, key[1]),
        reverse=True,
    )
    left = virement.amount
    moved: dict[tuple[str, int], Decimal] = {}
    for key in to_come:
        if left <= 0:
            break
        take = min(left, source[key].amount)
        if take > 0:
            moved[key] = take
            left -= take
    if not source and not target:
        return  # neither line is profiled: nothing to keep in step
    if left > 0:
        year = FinancialYear.parse(fund.year)
        moved[(year.label, 4)] = moved.get((year.label, 4), ZERO) + left
    for key, amount in moved.items():
        if key in source:
            entry = source[key]
            uow.profiles.update(entry.id or 0, entry.version, amount=entry.amount - amount)
        if key in target:
            entry = target[key]
            uow.profiles.update(entry.id or 0, entry.version, amount=entry.amount + amount)
        else:
            uow.profiles.add(ProfileEntry(line_id=virement.to_line_id, year=key[0], quarter=key[1], amount=amount))
