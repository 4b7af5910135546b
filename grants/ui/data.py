"""Cached reads for the pages: every function is keyed on the principal, so no one sees another's cache.

The caches hold plain results (never a connection) and are cleared after every write
(:func:`grants.ui.context.clear_caches`), so totals are never stale; the TTL only bounds
how long a change made from the command line takes to show.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import streamlit as st

from grants.domain.models import Application, AuditEvent, Fund, GrantRound, MatchContribution, Partnership, Receipt
from grants.domain.models import Return as FundReturn
from grants.services import checking, queries, reporting, return_calendar, usecase
from grants.services import returns as returns_service
from grants.services.access import Principal
from grants.services.ledger import FundSummary, LineBalance
from grants.services.queries import CumulativePoint, OutcomeView, SpendView, VirementView
from grants.ui.context import database


def clear_caches() -> None:
    """Call after every write so no page shows stale totals (or stale findings)."""
    st.cache_data.clear()
    findings.clear()


TTL = 300

__all__ = ["FundSummary", "LineBalance"]


@st.cache_data(ttl=TTL, show_spinner=False)
def fund_summaries(principal: Principal, year: str | None = None) -> list[FundSummary]:
    return usecase.read(database(), principal, queries.fund_summaries, year=year)


@st.cache_data(ttl=TTL, show_spinner=False)
def partnerships(principal: Principal) -> list[Partnership]:
    return usecase.read(database(), principal, queries.partnerships)


@st.cache_data(ttl=TTL, show_spinner=False)
def fund(principal: Principal, fund_id: int) -> Fund:
    return usecase.read(database(), principal, queries.fund, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def lines(principal: Principal, fund_id: int) -> list[LineBalance]:
    return usecase.read(database(), principal, queries.lines, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def receipts(principal: Principal, fund_id: int) -> list[Receipt]:
    return usecase.read(database(), principal, queries.receipts, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def matches(principal: Principal, fund_id: int) -> list[MatchContribution]:
    return usecase.read(database(), principal, queries.matches, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def virements(principal: Principal, fund_id: int) -> list[VirementView]:
    return usecase.read(database(), principal, queries.virements, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def spends(principal: Principal, fund_id: int) -> list[SpendView]:
    return usecase.read(database(), principal, queries.spends, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def profiles(principal: Principal, fund_id: int, year: str) -> dict[int, dict[int, Decimal]]:
    return usecase.read(database(), principal, queries.profiles, fund_id, year)


@st.cache_data(ttl=TTL, show_spinner=False)
def outcomes(principal: Principal, fund_id: int) -> list[OutcomeView]:
    return usecase.read(database(), principal, queries.outcomes, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def rounds(principal: Principal, fund_id: int) -> list[GrantRound]:
    return usecase.read(database(), principal, queries.rounds, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def applications(principal: Principal, round_id: int) -> list[Application]:
    return usecase.read(database(), principal, queries.applications, round_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def returns(principal: Principal, fund_id: int) -> list[FundReturn]:
    return usecase.read(database(), principal, queries.returns, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def spend_against_profile(principal: Principal, fund_id: int, as_at: date) -> list[CumulativePoint]:
    return usecase.read(database(), principal, queries.spend_against_profile, fund_id, as_at=as_at)


@st.cache_data(ttl=TTL, show_spinner=False)
def audit_events(principal: Principal, entity: str | None, limit: int) -> list[AuditEvent]:
    return usecase.read(database(), principal, queries.audit_events, entity=entity, limit=limit)


def worst_first(finding: Any) -> tuple[Any, ...]:
    return (-finding.severity.rank, finding.code, finding.partnership or "", finding.fund or "", finding.line or "")


@st.cache_resource(ttl=TTL, show_spinner="Running the compliance checks…")
def findings(principal: Principal, as_at: date, fund_id: int | None = None) -> tuple[Any, ...]:
    """The compliance findings the principal may see, worst first.

    A resource cache, not a data cache: a county has tens of thousands of findings, and unpickling them
    on every rerun cost more than the page itself. The tuple is never changed in place; writes clear it.
    """
    found = usecase.read(database(), principal, checking.run_checks, as_at=as_at, fund_id=fund_id)
    return tuple(sorted(found, key=worst_first))


@st.cache_data(ttl=TTL, show_spinner=False)
def return_calendar_entries(principal: Principal, year: str | None) -> list[Any]:
    return usecase.read(database(), principal, return_calendar.return_calendar, year=year)


@st.cache_data(ttl=TTL, show_spinner="Working out the return…")
def return_view(principal: Principal, fund_id: int, period: str) -> Any:
    return usecase.read(database(), principal, returns_service.return_view, fund_id, period)


@st.cache_data(ttl=TTL, show_spinner=False)
def budget_implications(principal: Principal, partnership_id: int, year: str, as_at: date) -> list[tuple[str, str]]:
    return usecase.read(database(), principal, reporting.budget_implications, partnership_id, year=year, as_at=as_at)
