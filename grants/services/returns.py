"""The OPCC financial profile return: its figures, its PDF, and submitting (freezing) it.

A return covers one fund and one period: a half (H1 Apr–Sep, H2 Oct–Mar) for six-monthly funds, or a
quarter for funds whose conditions say quarterly (Safer Streets). Its figures are as at the period's
end. Definitions (also printed on the return, see ``reports.opcc_return``):

- committed = on approved lines (approver and date recorded), allocated − spent to date, never below
  zero per line; unapproved lines are allocated but not committed;
- forecast outturn = spent to date + the profile still to come;
- projected underspend = funding (the award, or the receipts if they total more) − forecast outturn.

**Submitting freezes.** ``submit_return`` stores the return's complete figures (a JSON-able dict,
money as strings) in ``Return.frozen`` with status submitted. From then on the return renders from
the frozen figures only, in reportlab's invariant mode with the creation date taken from the frozen
data, so it regenerates byte for byte whatever happens to the ledger afterwards.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from grants.domain.calendar import FinancialYear, Period, parse_period
from grants.domain.enums import ReturnCadence, ReturnStatus
from grants.domain.errors import InvalidPeriod, NotFound
from grants.domain.models import Fund, OutcomeTarget, OutcomeUpdate, Return
from grants.domain.workflow import ReturnVersion
from grants.services.access import Principal, check_fund
from grants.services.finding_review import mark_accepted
from grants.services.fund_figures import ZERO, FundFigures, fund_figures
from grants.services.funding_chain import chain_text, fund_chain
from grants.services.installation import is_demo_in
from grants.services.reporting import (
    FindingsProvider,
    ReportError,
    checked_findings,
    now_london,
    pending_rows,
    preparer,
    sort_findings,
)
from grants.services.return_claims import claim_view, earlier_adjustments
from grants.services.return_history import history_rows
from grants.services.return_words import DraftWords
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from reports.model import OutcomeRow, ReturnLine, ReturnView
from reports.opcc_return import return_pdf
from reports.return_extras import ReturnExtras

_HALF = re.compile(r"^\s*H?([12])\s*$", re.I)
_QUARTER = re.compile(r"^\s*Q?([1-4])\s*$", re.I)


def split_period(period: str) -> tuple[str | None, str | None]:
    """("H1", None) or (None, "Q2"): a period label as a half or a quarter."""
    return (None, period) if period.strip().upper().startswith("Q") else (period, None)


def return_period(fund: Fund, *, half: str | None = None, quarter: str | None = None) -> Period:
    """The period a return covers, checked against the fund's return cadence."""
    year = FinancialYear.parse(fund.year)
    cadence = fund.conditions.return_cadence
    if half and quarter:
        raise InvalidPeriod("give either a half (H1, H2) or a quarter (Q1–Q4), not both")
    if cadence is ReturnCadence.QUARTERLY:
        if not quarter:
            raise InvalidPeriod(f"{fund.code} {fund.year} is returned quarterly: give --quarter Q1, Q2, Q3 or Q4")
        match = _QUARTER.match(quarter)
        if not match:
            raise InvalidPeriod(f"{quarter!r} is not a quarter (Q1, Q2, Q3 or Q4)")
        return year.quarter(int(match[1]))
    if cadence is ReturnCadence.SIX_MONTHLY:
        if not half:
            raise InvalidPeriod(f"{fund.code} {fund.year} is returned six-monthly: give --half H1 or H2")
        match = _HALF.match(half)
        if not match:
            raise InvalidPeriod(f"{half!r} is not a half (H1 or H2)")
        return year.half(int(match[1]))
    raise InvalidPeriod(f"{fund.code} {fund.year} is returned {cadence.value.replace('_', ' ')}; not supported yet")


def due_on(fund: Fund, period: Period) -> date:
    """The fund's return_due_days after the period ends; by default the end of the next month."""
    days = fund.conditions.return_due_days
    if days is not None:
        return period.end + timedelta(days=days)
    first_of_next = period.end + timedelta(days=1)
    month_after = date(first_of_next.year + first_of_next.month // 12, first_of_next.month % 12 + 1, 1)
    return month_after - timedelta(days=1)


def _overlaps(update: OutcomeUpdate, period: Period) -> bool:
    try:
        reported = parse_period(update.period)
    except ValueError:
        return False
    return reported.start <= period.end and reported.end >= period.start


def _outputs(update: OutcomeUpdate) -> str:
    if update.outputs is None:
        return ""
    number = update.outputs.normalize()
    text = f"{number:f}" if number == number.to_integral_value() else f"{update.outputs:f}"
    return f"{text} {update.unit}".strip()


def _target_text(target: OutcomeTarget | None) -> str:
    """ "Reduce repeat ASB (measure: repeat calls to the police)", what the update reports against."""
    if target is None or not (target.target.strip() or target.measure.strip()):
        return ""
    measure = f" (measure: {target.measure.strip()})" if target.measure.strip() else ""
    return f"{target.target.strip() or 'Target not recorded'}{measure}"


def _outcomes(uow: UnitOfWork, figures: FundFigures, period: Period) -> tuple[OutcomeRow, ...]:
    lines = {f.line.id: f.line for f in figures.lines}
    ids = [line_id for line_id in lines if line_id is not None]
    updates = uow.outcomes.find(line_id=ids) if ids else []
    order = {line_id: index for index, line_id in enumerate(ids)}
    chosen = sorted(
        (u for u in updates if _overlaps(u, period)), key=lambda u: (order.get(u.line_id, 0), u.period, u.reported_on)
    )
    targets = {t.line_id: t for t in uow.targets.find(line_id=ids)} if ids else {}
    rows = []
    for update in chosen:
        line = lines[update.line_id]
        rows.append(
            OutcomeRow(
                line=line.description,
                provider=line.delivery_partner,
                period=update.period,
                outputs=_outputs(update),
                narrative=update.narrative,
                evidence=update.evidence,
                awaiting_data=update.awaiting_data,
                target=_target_text(targets.get(update.line_id)),
            )
        )
    return tuple(rows)


def _view(
    uow: UnitOfWork,
    fund: Fund,
    partnership: str,
    period: Period,
    *,
    status: str,
    generated_at: datetime,
    findings: FindingsProvider,
    database: Database,
    words: DraftWords,
    prepared_by: str,
    approved_by: str,
    signed_on: date | None,
    submitted_on: date | None = None,
    submitted_by: str = "",
    signed_off_role: str = "",
    version: int = 0,
    amend_reason: str = "",
) -> ReturnView:
    # A period still running is reported as at today: spend to date, and the rest of the profile forecast;
    # an unfinished period is never treated as ended.
    as_at = min(period.end, generated_at.date())
    figures = fund_figures(uow, fund, as_at)
    funders = fund_chain(uow, fund)[:-1]
    funder = chain_text(funders)
    stored = uow.returns.first(fund_id=fund.id, period=period.name)
    in_period = figures.spent_by_line_between(period.start, as_at)
    lines = tuple(
        ReturnLine(
            description=f.line.description,
            provider=f.line.delivery_partner,
            priority=f.line.strategic_priority,
            allocated=f.allocated,
            profile_to_date=f.profile_to_date,
            actual_to_date=f.spent,
            spent_in_period=in_period.get(f.line.id or 0, ZERO),
            variance=f.variance,
            rag=f.rag,
            approved=f.approved,
        )
        for f in figures.lines
    )
    found = findings(database, partnership, fund.code, fund.year, as_at)
    assert fund.id is not None
    notes = (fund.notes,) if fund.notes.strip() else ()
    extras = ReturnExtras(
        line_explanations=tuple(
            (line.description, words.explanation_of(line.description))
            for line in lines
            if words.explanation_of(line.description)
        ),
        outcomes_summary=words.outcomes,
        signed_off_role=signed_off_role,
        version=version,
        amend_reason=amend_reason,
        adjustments=earlier_adjustments(uow, fund, period),
        claim=claim_view(uow, fund, figures, period, as_at),
        history=history_rows(uow, stored),
    )
    return ReturnView(
        partnership=partnership,
        fund_code=fund.code,
        fund_name=fund.name,
        funder=funder,
        year=fund.year,
        period=period.name,
        period_start=period.start,
        period_end=period.end,
        as_at=as_at,
        generated_at=generated_at,
        status=status,
        fund_amount=fund.amount,
        funding_received=figures.received,
        funding_expected=figures.expected,
        allocated=figures.allocated,
        spent_in_period=figures.spent_between(period.start, as_at),
        spent_to_date=figures.spent,
        committed=figures.committed,
        forecast_outturn=figures.forecast,
        projected_underspend=figures.projected_underspend,
        total_profile_to_date=figures.profile_to_date,
        total_variance=figures.variance,
        lines=lines,
        outcomes=_outcomes(uow, figures, period),
        findings=None if found is None else mark_accepted(uow, [fund.id], sort_findings(found), as_at),
        explanations=words.general,
        risks=words.risks,
        prepared_by=prepared_by,
        approved_by=approved_by,
        signed_on=signed_on,
        submitted_on=submitted_on,
        submitted_by=submitted_by,
        due_on=due_on(fund, period),
        notes=notes,
        pending=pending_rows(figures),
        extras=extras,
    )


def the_period(fund: Fund, period: str) -> Period:
    """The period of a return of ``fund`` given as "H1"/"Q2" (or its full name, "2026/27 H1")."""
    half, quarter = split_period(period.split()[-1])
    return return_period(fund, half=half, quarter=quarter)


def return_view(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    explanations: str | None = None,
    risks: str | None = None,
    prepared_by: str | None = None,
    approved_by: str = "",
    generated_at: datetime | None = None,
    findings: FindingsProvider = checked_findings,
    version: int | None = None,
) -> ReturnView:
    """The return's figures for a fund and period ("H1", "Q2"): frozen ones if it was submitted (the version in
    force, or ``version``), else a draft with its saved words (``explanations``/``risks`` write over them)."""
    check_fund(uow, principal, fund_id)
    fund = uow.funds.get(fund_id)
    partnership = uow.partnerships.get(fund.partnership_id).name
    period_ = the_period(fund, period)
    stored = uow.returns.first(fund_id=fund.id, period=period_.name)
    if version is not None:
        frozen = _version(uow, fund, period_, stored, version)
        return replace(ReturnView.from_dict(frozen.frozen), demo=is_demo_in(uow))
    if stored is not None and stored.status is ReturnStatus.SUBMITTED and stored.frozen:
        return replace(ReturnView.from_dict(stored.frozen), demo=is_demo_in(uow))
    words = DraftWords.from_dict(stored.words if stored is not None else None).merged(general=explanations, risks=risks)
    signed = stored is not None and bool(stored.signed_off_by)
    live = _view(
        uow,
        fund,
        partnership,
        period_,
        status=stored.status.value if stored is not None else ReturnStatus.DRAFT.value,
        generated_at=generated_at or now_london(),
        findings=findings,
        database=uow.database,
        words=words,
        prepared_by=preparer(principal) if prepared_by is None else prepared_by,
        approved_by=(stored.signed_off_name if stored is not None and signed else approved_by),
        signed_on=stored.signed_off_on if stored is not None and signed else None,
        signed_off_role=stored.signed_off_role if stored is not None and signed else "",
        version=stored.version_number if stored is not None else 0,
    )
    return replace(live, demo=is_demo_in(uow))


def _version(uow: UnitOfWork, fund: Fund, period: Period, stored: Return | None, number: int) -> ReturnVersion:
    found = uow.return_versions.first(return_id=stored.id, number=number) if stored and stored.id else None
    if found is None:
        made = [v.number for v in uow.return_versions.find(return_id=stored.id)] if stored and stored.id else []
        raise NotFound(
            f"the {fund.code} {period.name} return has no version {number}"
            + (f" (versions: {', '.join(str(n) for n in made)})" if made else " (it has not been submitted)")
        )
    return found


def version_pdf(uow: UnitOfWork, principal: Principal, fund_id: int, period: str, version: int | None = None) -> bytes:
    """A submitted version's PDF exactly as sent (the version in force when ``version`` is None)."""
    check_fund(uow, principal, fund_id)
    fund = uow.funds.get(fund_id)
    period_ = the_period(fund, period)
    stored = uow.returns.first(fund_id=fund.id, period=period_.name)
    number = version if version is not None else (stored.version_number if stored is not None else 0)
    found = _version(uow, fund, period_, stored, number)
    assert found.id is not None
    data = uow.return_versions.pdf(found.id)
    if data is None or hashlib.sha256(data).hexdigest() != found.pdf_sha256:
        raise ReportError(f"the stored PDF of version {number} does not match its SHA-256; restore a backup")
    return data


def render_return(view: ReturnView, fmt: str = "pdf") -> bytes:
    """The return as PDF (invariant when submitted), as a workbook with live totals, or as its figures in JSON."""
    if fmt == "pdf":
        return return_pdf(view)
    if fmt == "xlsx":
        from reports.return_workbook import return_workbook

        return return_workbook(view)
    if fmt == "json":
        return (json.dumps(view.to_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    raise ReportError(f"unknown return format {fmt!r} (pdf, xlsx or json)")


def submitted_pdf(
    uow: UnitOfWork, principal: Principal, fund_id: int, period: str, version: int | None, rendered: bytes
) -> bytes:
    """A submitted return's PDF as sent; ``rendered`` (made from its frozen figures) for a return submitted
    before versions were kept."""
    try:
        return version_pdf(uow, principal, fund_id, period, version)
    except NotFound:
        if version not in (None, 1):
            raise
        return rendered
