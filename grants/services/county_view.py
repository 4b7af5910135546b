"""The funder's county view: one row per partnership and funding stream, with the county's totals.

Each row is a fund of the year as the ledger stands at the as-at date (the figures engine, through
:func:`grants.services.fund_figures.fund_summaries`, the same figures as ``funds``, the Overview and the
budget pack): funding, received, allocated, spent and the share spent, the number of projects (budget lines),
red lines (behind profile by the return's thresholds), open error findings, and where each of its returns
stands for the funder (:func:`grants.services.return_history.state_word`). Returns received as packages from
partnerships that keep their own tracker are rows beside them, from their frozen figures
(:func:`grants.services.received_returns.county_rows`).

Who sees what: a funder's officer sees the funds of its funder and of the funders its money flows down to;
``funder`` narrows anyone's view the same way; everyone else sees the funds of the partnerships they see.
The totals are the sums of the rows shown, to the penny.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from grants.domain.calendar import FinancialYear
from grants.domain.errors import NotFound
from grants.services import returns
from grants.services.access import Principal, funder_and_below, visible_partnerships
from grants.services.checking import run_checks
from grants.services.fund_figures import RAG_RED, FundSummary, fund_summaries
from grants.services.funding_chain import chain_text, funder_chain
from grants.services.installation import is_demo_in
from grants.services.received_returns import county_rows, received_summaries
from grants.services.return_calendar import return_periods
from grants.services.return_history import state_word
from grants.storage.unit_of_work import UnitOfWork
from reports.county_model import CountyRow, CountyView, ReturnState, totals_of
from reports.county_report import county_csv, county_pdf, county_workbook


def _funders_in_view(
    uow: UnitOfWork, principal: Principal, funder: str | None
) -> tuple[str, int | None, frozenset[int] | None]:
    """The funder's name and id, and the funder ids whose funds are in view (None: every fund the principal
    sees)."""
    chosen: int | None = None
    name = ""
    if funder:
        found = uow.funders.first(name=funder.strip())
        if found is None:
            known = ", ".join(sorted(f.name for f in uow.funders.find())) or "none"
            raise NotFound(f"no funder called {funder!r} (known: {known})")
        chosen, name = found.id, found.name
    ids = None if chosen is None else funder_and_below(uow, chosen)
    if principal.funder_id is not None and not principal.local:
        own = funder_and_below(uow, principal.funder_id)
        ids = own if ids is None else ids & own
        name = name or uow.funders.get(principal.funder_id).name
    return name, chosen, ids


def _row(uow: UnitOfWork, summary: FundSummary, errors: int, as_at: date) -> CountyRow:
    fund = summary.fund
    assert fund.id is not None
    stored = {r.period: r for r in uow.returns.find(fund_id=fund.id)}
    states = []
    for label in return_periods(fund):
        half, quarter = returns.split_period(label)
        period = returns.return_period(fund, half=half, quarter=quarter)
        saved = stored.get(period.name)
        due = saved.due_on if saved is not None and saved.due_on else returns.due_on(fund, period)
        states.append(ReturnState(label, state_word(saved, period, due, as_at), saved.version_number if saved else 0))
    figures = summary.figures
    return CountyRow(
        partnership=summary.partnership,
        stream=fund.code,
        fund=fund.name,
        funder=chain_text(funder_chain(uow, fund.funder_id)),
        funding=figures.funding,
        received=figures.received,
        allocated=figures.allocated,
        spent=figures.spent,
        projects=len(figures.lines),
        red_lines=sum(1 for line in figures.lines if line.rag == RAG_RED),
        open_errors=errors,
        returns=tuple(states),
        fund_id=fund.id,
    )


def county_view(
    uow: UnitOfWork,
    principal: Principal,
    *,
    year: str,
    as_at: date,
    funder: str | None = None,
) -> CountyView:
    """The county's partnerships and streams for ``year`` as at ``as_at`` (see the module's docstring)."""
    label = FinancialYear.parse(year).label
    funder_name, chosen, funder_ids = _funders_in_view(uow, principal, funder)
    summaries = [
        s
        for s in fund_summaries(uow, year=label, as_at=as_at, partnership_ids=visible_partnerships(principal))
        if funder_ids is None or s.fund.funder_id in funder_ids
    ]
    findings = run_checks(uow, principal, as_at=as_at, year=label) if summaries else []
    wanted = {s.fund.id for s in summaries}
    errors = Counter(
        f.fund_id for f in findings if f.severity.value == "error" and f.fund_id is not None and f.fund_id in wanted
    )
    rows = [_row(uow, s, errors.get(s.fund.id or 0, 0), as_at) for s in summaries]
    rows += county_rows(received_summaries(uow, principal, year=label, funder_id=chosen))
    rows.sort(key=lambda r: (r.partnership.lower(), r.stream, r.source))
    return CountyView(
        year=label, as_at=as_at, funder=funder_name, rows=tuple(rows), totals=totals_of(rows), demo=is_demo_in(uow)
    )


def render_county(view: CountyView, fmt: str, *, generated_at: datetime, invariant: bool = False) -> bytes:
    """The county view as PDF, XLSX or CSV bytes (the CSV in UTF-8 with a byte-order mark, for Excel)."""
    if fmt == "pdf":
        return county_pdf(view, generated_at=generated_at, invariant=invariant)
    if fmt == "xlsx":
        return county_workbook(view)
    if fmt == "csv":
        return county_csv(view).encode("utf-8-sig")
    raise ValueError(f"no county view as {fmt!r}")
