"""A change of a fund's conditions is a proposal the Strategic Group decides, like a virement.

* the manager proposes (:func:`propose_change`, a reason required): nothing changes; the old conditions stay
  in force and the proposal is listed as pending (:func:`pending_changes`);
* a Strategic Group member approves it (:func:`approve_change`): for a fund in a programme each new value
  becomes an override of the programme's condition (recorded with the reason, the proposer's and approver's
  accounts and the day) and each condition named in ``inherit`` is taken from the programme again; for a
  fund outside a programme its own conditions change. Or they reject it with a reason
  (:func:`reject_change`). Nobody decides a change they proposed; the deciders are recorded as accounts.

Every step is audited by the repositories in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from grants.domain.conditions import (
    ConditionOverride,
    FundConditions,
    effective_conditions,
    same_value,
    stored_value,
)
from grants.domain.errors import PermissionDenied, RuleViolation
from grants.domain.models import Fund
from grants.domain.programmes import ChangeStatus, ConditionChange
from grants.services.access import Principal, check_fund, require_approve, visible_partnerships
from grants.services.programmes import validated_conditions
from grants.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PendingChange:
    change: ConditionChange
    partnership: str
    fund: Fund


def _validated(changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(FundConditions.model_fields))
    if unknown:
        raise RuleViolation(
            f"there is no condition called {', '.join(unknown)} (known: {', '.join(FundConditions.model_fields)})"
        )
    return {name: stored_value(name, value) for name, value in changes.items()}


def propose_change(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    *,
    changes: Mapping[str, Any],
    reason: str,
    on: date,
    inherit: Sequence[str] = (),
    override: bool = False,
) -> ConditionChange:
    """Propose new values for some of a fund's conditions (``override`` must be said for a fund in a
    programme) and, for such a fund, conditions to take from its programme again; nothing changes yet."""
    check_fund(uow, principal, fund_id, write=True)
    if not reason.strip():
        raise RuleViolation("say why the conditions should change (the Strategic Group will read it)")
    fund = uow.funds.get(fund_id)
    label = f"{fund.code} {fund.year}"
    values = _validated(changes)
    inherit = tuple(dict.fromkeys(name.strip() for name in inherit))
    if not values and not inherit:
        raise RuleViolation("say which conditions to change (e.g. per_grant_cap=10000)")
    if fund.programme_id is None:
        if override or inherit:
            raise RuleViolation(f"{label} is in no funder's programme: there is nothing to override or inherit")
    else:
        if values and not override:
            programme = uow.programmes.get(fund.programme_id)
            raise RuleViolation(
                f"{label} takes its conditions from the programme {programme.name}; propose an override "
                "(with its reason) to set its own"
            )
        not_overridden = sorted(set(inherit) - set(fund.condition_overrides.fields))
        if not_overridden:
            raise RuleViolation(f"{label} does not override {', '.join(not_overridden)}: it already inherits it")
        if set(inherit) & set(values):
            raise RuleViolation("a condition cannot be both set and taken from the programme in one change")
    validated_conditions({**fund.conditions.model_dump(mode="json"), **values})
    if fund.programme_id is None:
        current = fund.conditions.model_dump(mode="json")
    else:  # an override equal to the programme's value still pins it against the programme's later changes
        current = {name: item.value for name, item in fund.condition_overrides.fields.items()}
    if not inherit and all(name in current and same_value(name, current[name], v) for name, v in values.items()):
        raise RuleViolation(f"nothing would change: {label} already has these conditions")
    return uow.condition_changes.add(
        ConditionChange(
            fund_id=fund_id,
            changes=values,
            inherit=inherit,
            override=fund.programme_id is not None,
            reason=reason.strip(),
            proposed_by=principal.username,
            proposed_on=on,
        )
    )


def _pending(uow: UnitOfWork, principal: Principal, change_id: int) -> ConditionChange:
    change = uow.condition_changes.get(change_id)
    require_approve(principal, uow.funds.get(change.fund_id).partnership_id)
    if change.status is not ChangeStatus.PROPOSED:
        raise RuleViolation(
            f"this change of conditions was already {change.status.value} by {change.decided_by or 'someone'}"
            + (f" on {change.decided_on:%d/%m/%Y}" if change.decided_on else "")
        )
    if change.proposed_by == principal.username:
        raise PermissionDenied(f"{principal.username} proposed this change of conditions and cannot decide it too")
    return change


def approve_change(uow: UnitOfWork, principal: Principal, change_id: int, *, on: date) -> Fund:
    """Approve a proposed change: the fund's conditions in force change now (audited); the fund as it is."""
    change = _pending(uow, principal, change_id)
    fund = uow.funds.get(change.fund_id)
    assert fund.id is not None
    if fund.programme_id is None:
        conditions = FundConditions.model_validate({**fund.conditions.model_dump(mode="json"), **change.changes})
        updated = uow.funds.update(fund.id, None, conditions=conditions)
    else:
        programme = uow.programmes.get(fund.programme_id)
        added = {
            name: ConditionOverride(
                value=value, reason=change.reason, by=change.proposed_by, approved_by=principal.username, on=on
            )
            for name, value in change.changes.items()
        }
        overrides = fund.condition_overrides.without(frozenset(change.inherit)).plus(added)
        updated = uow.funds.update(
            fund.id,
            None,
            condition_overrides=overrides,
            conditions=effective_conditions(programme.conditions, overrides),
        )
    uow.condition_changes.update(
        change_id, change.version, status=ChangeStatus.APPROVED, decided_by=principal.username, decided_on=on
    )
    return updated


def reject_change(uow: UnitOfWork, principal: Principal, change_id: int, *, reason: str, on: date) -> ConditionChange:
    """Reject a proposed change, saying why; the fund's conditions stay as they are."""
    if not reason.strip():
        raise RuleViolation("say why the change is rejected (the manager will read it)")
    change = _pending(uow, principal, change_id)
    return uow.condition_changes.update(
        change_id,
        change.version,
        status=ChangeStatus.REJECTED,
        decided_by=principal.username,
        decided_on=on,
        decision_reason=reason.strip(),
    )


def pending_changes(uow: UnitOfWork, principal: Principal, fund_id: int | None = None) -> list[PendingChange]:
    """The proposed changes not yet decided, on the funds the principal may see (or one fund)."""
    if fund_id is not None:
        check_fund(uow, principal, fund_id)
    visible = visible_partnerships(principal)
    names = {p.id: p.name for p in uow.partnerships.find()}
    found = []
    for change in uow.condition_changes.find(status=ChangeStatus.PROPOSED):
        if fund_id is not None and change.fund_id != fund_id:
            continue
        fund = uow.funds.get(change.fund_id)
        if visible is None or fund.partnership_id in visible:
            found.append(PendingChange(change, names[fund.partnership_id], fund))
    return found
