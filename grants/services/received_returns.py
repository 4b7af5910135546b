"""Returns received from partnerships as packages, at the funder's installation: who sees them, their figures
for the county view, their PDFs, and the funder's review.

Who sees a received return: the local operator and accounts of every partnership see all; a funder's officer
those whose funder is theirs or one their money reaches (a received partnership may hold no fund here); anyone
else those of the partnerships they see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from grants.domain.calendar import FinancialYear
from grants.domain.errors import NotFound, PermissionDenied, RuleViolation
from grants.domain.received import REVIEW_ACTIONS, ReceivedReturn
from grants.services.access import Principal, funder_and_below
from grants.services.funding_chain import chain_text
from grants.services.package_format import sha256
from grants.storage.unit_of_work import UnitOfWork
from reports.county_model import CountyRow, ReturnState


@dataclass(frozen=True)
class ReceivedSummary:
    """The latest received version of one return, as the county view shows it (money in pounds).

    Every figure comes from the return's frozen figures: ``funding`` is the award, or the receipts (received and
    still expected) if they total more, as the county view counts a fund of this tracker; ``received`` the
    funding received, ``allocated`` the total allocated to lines, ``spent`` the spend to date, ``projects`` the
    number of budget lines, ``red_lines`` those rated Red, ``open_errors`` the error findings not accepted by
    the Strategic Group. ``open_errors`` is None when the return's findings were not checked (its ``findings``
    is null); a figure missing from the frozen figures is None too. ``funder_chain`` is the chain as the county
    view prints it ("Home Office > Leicestershire OPCC").
    """

    id: int
    partnership: str
    fund_code: str
    fund_name: str
    stream: str
    funder: str
    funder_chain: str
    year: str
    period: str
    version: int
    submitted_on: str
    received_at: datetime
    review: str
    funding: Decimal | None
    received: Decimal | None
    allocated: Decimal | None
    spent: Decimal | None
    projects: int | None
    red_lines: int | None
    open_errors: int | None


class _Visibility:
    """Whether a principal sees a received return (the funder chain read once)."""

    def __init__(self, uow: UnitOfWork, principal: Principal) -> None:
        self.principal = principal
        self.funders: frozenset[int] | None = None
        if not (principal.local or principal.all_partnerships) and principal.funder_id is not None:
            self.funders = funder_and_below(uow, principal.funder_id)

    def sees(self, item: ReceivedReturn) -> bool:
        if self.principal.local or self.principal.all_partnerships:
            return True
        if self.funders is not None:
            return item.funder_id is not None and item.funder_id in self.funders
        return self.principal.sees(item.partnership_id)


def _money(figures: dict[str, Any], name: str) -> Decimal | None:
    value = figures.get(name)
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _funding(figures: dict[str, Any]) -> Decimal | None:
    amount, received, expected = (_money(figures, name) for name in ("fund_amount", "funding_received",
                                                                      "funding_expected"))  # fmt: skip
    if amount is None or received is None or expected is None:
        return amount
    return max(amount, received + expected)


def _summary(uow: UnitOfWork, item: ReceivedReturn, partnerships: dict[int, str]) -> ReceivedSummary:
    assert item.id is not None
    document = item.frozen
    figures: dict[str, Any] = document.get("figures") or {}
    lines = figures.get("lines")
    findings = figures.get("findings")
    return ReceivedSummary(
        id=item.id,
        partnership=partnerships.get(item.partnership_id) or uow.partnerships.get(item.partnership_id).name,
        fund_code=item.fund_code,
        fund_name=item.fund_name,
        stream=item.stream,
        funder=(document.get("fund") or {}).get("funder", {}).get("name", ""),
        funder_chain=chain_text(tuple((document.get("fund") or {}).get("funder", {}).get("chain", []))),
        year=item.year,
        period=item.period,
        version=item.version_number,
        submitted_on=(document.get("submitted") or {}).get("on", ""),
        received_at=item.received_at,
        review=item.review,
        funding=_funding(figures),
        received=_money(figures, "funding_received"),
        allocated=_money(figures, "allocated"),
        spent=_money(figures, "spent_to_date"),
        projects=None if lines is None else len(lines),
        red_lines=None if lines is None else sum(1 for line in lines if line.get("rag") == "Red"),
        open_errors=None
        if findings is None
        else sum(1 for row in findings if row.get("severity") == "error" and not row.get("accepted")),
    )


def received_summaries(
    uow: UnitOfWork, principal: Principal, *, year: str, funder_id: int | None = None
) -> list[ReceivedSummary]:
    """The latest received version of each return of ``year`` the principal sees (only those of ``funder_id``
    and the funders below it, when given), by partnership, fund and period."""
    label = FinancialYear.parse(year).label
    visible = _Visibility(uow, principal)
    wanted = funder_and_below(uow, funder_id) if funder_id is not None else None
    latest: dict[tuple[int, str, str], ReceivedReturn] = {}
    for item in uow.received_returns.find(year=label, order_by="version_number"):
        if not visible.sees(item) or (wanted is not None and item.funder_id not in wanted):
            continue
        latest[(item.partnership_id, item.fund_code, item.period)] = item
    partnerships = {p.id: p.name for p in uow.partnerships.find() if p.id is not None}
    summaries = [_summary(uow, item, partnerships) for item in latest.values()]
    return sorted(summaries, key=lambda s: (s.partnership, s.fund_code, s.period))


def received_return(uow: UnitOfWork, principal: Principal, received_id: int) -> ReceivedReturn:
    """One received return the principal sees (NotFound otherwise, as if it were not there)."""
    try:
        item = uow.received_returns.get(received_id)
    except NotFound:
        item = None
    if item is None or not _Visibility(uow, principal).sees(item):
        raise NotFound(f"no received return {received_id} that {principal.username} may see")
    return item


def received_pdf(uow: UnitOfWork, principal: Principal, received_id: int) -> bytes:
    """The received return's PDF exactly as it came in its package."""
    item = received_return(uow, principal, received_id)
    data = uow.received_returns.pdf(received_id)
    if data is None or sha256(data) != item.pdf_sha256:
        raise RuleViolation(f"the stored PDF of received return {received_id} does not match its SHA-256")
    return data


def review_received(
    uow: UnitOfWork, principal: Principal, received_id: int, action: str, comment: str = ""
) -> ReceivedReturn:
    """The funder's officer accepts a received return, or queries it saying what is wrong (audited)."""
    if not principal.can_review:
        raise PermissionDenied(
            f"only the funder accepts or queries a received return; {principal.username} is a "
            f"{principal.role_label.lower()}"
        )
    item = received_return(uow, principal, received_id)
    if action not in REVIEW_ACTIONS:
        raise RuleViolation(f"a review is {' or '.join(REVIEW_ACTIONS)}, not {action!r}")
    if action == "queried" and not comment.strip():
        raise RuleViolation("say what is queried: the partnership reads it before amending the return")
    assert item.id is not None
    return uow.received_returns.update(
        item.id,
        item.version,
        review=action,
        review_comment=comment.strip(),
        reviewed_by=principal.username,
        reviewed_at=uow.clock(),
    )


def funder_named(uow: UnitOfWork, principal: Principal, name: str) -> int:
    """The id of the funder of this name (NotFound naming those known)."""
    found = uow.funders.first(name=name.strip())
    if found is None or found.id is None:
        known = ", ".join(f.name for f in uow.funders.find()) or "none yet"
        raise NotFound(f"no funder called {name!r} (known: {known})")
    return found.id


def county_rows(summaries: list[ReceivedSummary]) -> list[CountyRow]:
    """The received returns as rows of the county view, one per partnership and stream: the figures of its latest
    period (the figures to date), and each period's return with its state (``source`` says they came in a
    package; a figure a return does not carry is 0, its open errors None: not known)."""
    zero = Decimal("0.00")
    by_fund: dict[tuple[str, str, str], list[ReceivedSummary]] = {}
    for row in summaries:
        by_fund.setdefault((row.partnership, row.fund_code, row.year), []).append(row)
    rows = []
    for received in by_fund.values():
        received.sort(key=lambda r: r.period)  # "2026/27 H1" < "2026/27 H2"; "Q1" < ... < "Q4"
        latest = received[-1]
        rows.append(
            CountyRow(
                partnership=latest.partnership,
                stream=latest.fund_code,
                fund=latest.fund_name,
                funder=latest.funder_chain,
                funding=latest.funding or zero,
                received=latest.received or zero,
                allocated=latest.allocated or zero,
                spent=latest.spent or zero,
                projects=latest.projects or 0,
                red_lines=latest.red_lines or 0,
                open_errors=latest.open_errors,
                returns=tuple(ReturnState(r.period.split()[-1], r.review or "submitted", r.version) for r in received),
                source=f"received package ({latest.period.split()[-1]} version {latest.version})",
            )
        )
    return rows
