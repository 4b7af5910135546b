"""Spend profiles (planned spend per quarter) and outcome updates (outputs, narrative, evidence)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from grants.domain.calendar import FinancialYear, parse_period
from grants.domain.errors import RuleViolation
from grants.domain.models import OutcomeTarget, OutcomeUpdate, ProfileEntry
from grants.domain.money import parse_money
from grants.services.access import Principal, check_fund, partnership_of_line, require_write
from grants.storage.unit_of_work import UnitOfWork

OUTCOME_FIELDS = frozenset({"period", "reported_on", "outputs", "unit", "narrative", "evidence", "awaiting_data"})


def save_profiles(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    year: str,
    rows: Sequence[tuple[int, Mapping[int, Decimal]]],
) -> int:
    """Set the quarterly profile of lines of one fund for one year, in one transaction.

    ``rows`` is (line id, {quarter: amount}). A quarter set to £0.00 with no entry stays empty;
    an existing entry is changed (or set to £0.00). Returns how many entries changed.
    """
    label = FinancialYear.parse(year).label
    changed = 0
    check_fund(uow, principal, fund_id, write=True)
    for line_id, quarters in rows:
        if uow.lines.get(line_id).fund_id != fund_id:
            raise RuleViolation(f"line {line_id} is not a line of this fund")
        current = {p.quarter: p for p in uow.profiles.find(line_id=line_id, year=label)}
        for quarter, raw in quarters.items():
            if quarter not in (1, 2, 3, 4):
                raise RuleViolation(f"there is no quarter {quarter}")
            amount = parse_money(raw if raw is not None else 0).amount
            if amount < 0:
                raise RuleViolation("a profile is planned spend: not negative")
            existing = current.get(quarter)
            if existing is None:
                if amount:
                    uow.profiles.add(ProfileEntry(line_id=line_id, year=label, quarter=quarter, amount=amount))
                    changed += 1
            elif existing.amount != amount:
                assert existing.id is not None
                uow.profiles.update(existing.id, existing.version, amount=amount)
                changed += 1
    return changed


def add_outcome(
    uow: UnitOfWork,
    principal: Principal,
    line_id: int,
    *,
    period: str,
    reported_on: date,
    outputs: Decimal | None = None,
    unit: str = "",
    narrative: str = "",
    evidence: str = "",
    awaiting_data: bool = False,
) -> OutcomeUpdate:
    """An outcome update for a line and period ("2023/24 Q2", "2023/24 H1" or "2023/24")."""
    label = parse_period(period).name
    if not awaiting_data and not (narrative.strip() or evidence.strip() or outputs is not None):
        raise RuleViolation("say what was delivered (outputs, a narrative or the evidence), or mark it awaiting data")
    require_write(principal, partnership_of_line(uow, line_id))
    update = uow.outcomes.add(
        OutcomeUpdate(
            line_id=line_id,
            period=label,
            reported_on=reported_on,
            outputs=outputs,
            unit=unit.strip(),
            narrative=narrative.strip(),
            evidence=evidence.strip(),
            awaiting_data=awaiting_data,
        )
    )
    return update


def update_outcome(
    uow: UnitOfWork, principal: Principal, outcome_id: int, expected_version: int | None, **changes: object
) -> OutcomeUpdate:
    """Change an outcome update, e.g. when the awaited data arrives."""
    unknown = set(changes) - OUTCOME_FIELDS
    if unknown:
        raise RuleViolation(f"these cannot be changed here: {', '.join(sorted(unknown))}")
    if "period" in changes:
        changes["period"] = parse_period(str(changes["period"])).name
    outcome = uow.outcomes.get(outcome_id)
    require_write(principal, partnership_of_line(uow, outcome.line_id))
    updated = uow.outcomes.update(outcome_id, expected_version, **changes)
    return updated


def outcome_targets(uow: UnitOfWork, principal: Principal, fund_id: int) -> dict[int, OutcomeTarget]:
    """Each line's outcome target (what it aims to achieve and how it is measured), by line id."""
    check_fund(uow, principal, fund_id)
    line_ids = [line.id for line in uow.lines.find(fund_id=fund_id) if line.id is not None]
    found = uow.targets.find(line_id=line_ids) if line_ids else []
    return {target.line_id: target for target in found}
