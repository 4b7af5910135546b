"""Findings people can act on: the Strategic Group accepts a finding, and a closed year's findings leave
the open list.

An **acceptance** names a fund, a rule code and a line (or the whole fund), with a reason and an optional
review date. It holds while the finding's message — which carries its figures — is the one accepted (a
SHA-256 of code, line and message is stored) and the review date has not passed; then the finding is open
again. It can be withdrawn. Accepted findings do not block a return; they are shown as accepted (who, when,
why) in the Compliance page, the budget pack and the return.

A finding on a fund whose year is **closed** (``year close``) is not open either; it stays in that year's
history and packs.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from grants.domain.workflow import FindingAcceptance
from grants.storage.unit_of_work import UnitOfWork
from reports.model import FindingRow
from rules.findings import Finding


def fingerprint(code: str, line: str | None, message: str) -> str:
    """What an acceptance was given for: the rule, the line and the figures in its message."""
    return hashlib.sha256(f"{code}\x1f{line or ''}\x1f{message}".encode()).hexdigest()


def accepted_note(acceptance: FindingAcceptance) -> str:
    review = f" (review by {acceptance.review_on:%d/%m/%Y})" if acceptance.review_on else ""
    who = acceptance.accepted_name or acceptance.accepted_by
    return f"Accepted by {who} on {acceptance.accepted_on:%d/%m/%Y}: {acceptance.reason}{review}"


def _holds(acceptance: FindingAcceptance, code: str, line: str | None, message: str, as_at: date) -> bool:
    return (
        acceptance.active
        and acceptance.code == code
        and acceptance.line == (line or "")
        and acceptance.fingerprint == fingerprint(code, line, message)
        and (acceptance.review_on is None or as_at <= acceptance.review_on)
    )


def _active(uow: UnitOfWork, fund_ids: Iterable[int]) -> dict[int, list[FindingAcceptance]]:
    wanted = set(fund_ids)
    by_fund: dict[int, list[FindingAcceptance]] = defaultdict(list)
    for acceptance in uow.acceptances.find():  # few: read them all rather than name thousands of funds
        if acceptance.active and acceptance.fund_id in wanted:
            by_fund[acceptance.fund_id].append(acceptance)
    return by_fund


def acceptance_of(
    accepted: dict[int, list[FindingAcceptance]], fund_id: int | None, code: str, line: str | None, message: str,
    as_at: date,
) -> FindingAcceptance | None:  # fmt: skip
    if fund_id is None:
        return None
    return next((a for a in accepted.get(fund_id, []) if _holds(a, code, line, message, as_at)), None)


@dataclass(frozen=True)
class Settled:
    """Findings sorted three ways: open, accepted (with the acceptance), and on a closed year."""

    open: list[Finding]
    accepted: list[tuple[Finding, FindingAcceptance]]
    closed: list[Finding]


def settle(uow: UnitOfWork, findings: Sequence[Finding], as_at: date) -> Settled:
    """Which findings are open, which accepted, which on a closed year."""
    fund_ids = {f.fund_id for f in findings if f.fund_id is not None}
    closed = {(c.partnership_id, c.year) for c in uow.closed_years.find() if c.closed}
    accepted = _active(uow, fund_ids)
    if not closed and not accepted:
        return Settled(list(findings), [], [])
    funds = {f.id: f for f in uow.funds.find() if f.id in fund_ids}
    result = Settled([], [], [])
    for finding in findings:
        fund = funds.get(finding.fund_id) if finding.fund_id is not None else None
        if fund is not None and (fund.partnership_id, fund.year) in closed:
            result.closed.append(finding)
            continue
        held = acceptance_of(accepted, finding.fund_id, finding.code, finding.line, finding.message, as_at)
        if held is not None:
            result.accepted.append((finding, held))
        else:
            result.open.append(finding)
    return result


def mark_accepted(
    uow: UnitOfWork, fund_ids: Iterable[int], rows: Sequence[FindingRow], as_at: date
) -> tuple[FindingRow, ...]:
    """Report rows of one partnership's funds with each accepted one's note filled in (fund code + year match)."""
    funds = {i: uow.funds.get(i) for i in set(fund_ids)}
    by_name = {(f.code, f.year): i for i, f in funds.items()}
    accepted = _active(uow, funds)
    marked = []
    for row in rows:
        held = acceptance_of(accepted, by_name.get((row.fund, row.year)), row.code, row.line, row.message, as_at)
        marked.append(replace(row, accepted=accepted_note(held)) if held is not None else row)
    return tuple(marked)
