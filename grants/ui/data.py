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
from grants.services import queries
from grants.services.access import Principal
from grants.services.ledger import FundSummary, LineBalance
from grants.services.queries import CumulativePoint, OutcomeView, SpendView, VirementView
from grants.ui.context import database

TTL = 300

__all__ = ["FundSummary", "LineBalance"]


@st.cache_data(ttl=TTL, show_spinner=False)
def fund_summaries(principal: Principal, year: str | None = None) -> list[FundSummary]:
    return queries.fund_summaries(database(), principal, year=year)


@st.cache_data(ttl=TTL, show_spinner=False)
def partnerships(principal: Principal) -> list[Partnership]:
    return queries.partnerships(database(), principal)


@st.cache_data(ttl=TTL, show_spinner=False)
def fund(principal: Principal, fund_id: int) -> Fund:
    return queries.fund(database(), principal, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def lines(principal: Principal, fund_id: int) -> list[LineBalance]:
    return queries.lines(database(), principal, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def receipts(principal: Principal, fund_id: int) -> list[Receipt]:
    return queries.receipts(database(), principal, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def matches(principal: Principal, fund_id: int) -> list[MatchContribution]:
    return queries.matches(database(), principal, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def virements(principal: Principal, fund_id: int) -> list[VirementView]:
    return queries.virements(database(), principal, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def spends(principal: Principal, fund_id: int) -> list[SpendView]:
    return queries.spends(database(), principal, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def profiles(principal: Principal, fund_id: int, year: str) -> dict[int, dict[int, Decimal]]:
    return queries.profiles(database(), principal, fund_id, year)


@st.cache_data(ttl=TTL, show_spinner=False)
def outcomes(principal: Principal, fund_id: int) -> list[OutcomeView]:
    return queries.outcomes(database(), principal, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def rounds(principal: Principal, fund_id: int) -> list[GrantRound]:
    return queries.rounds(database(), principal, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def applications(principal: Principal, round_id: int) -> list[Application]:
    return queries.applications(database(), principal, round_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def returns(principal: Principal, fund_id: int) -> list[FundReturn]:
    return queries.returns(database(), principal, fund_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def spend_against_profile(principal: Principal, fund_id: int, as_at: date) -> list[CumulativePoint]:
    return queries.spend_against_profile(database(), principal, fund_id, as_at=as_at)


@st.cache_data(ttl=TTL, show_spinner=False)
def audit_events(principal: Principal, entity: str | None, limit: int) -> list[AuditEvent]:
    return queries.audit_events(database(), principal, entity=entity, limit=limit)


def compliance_available() -> bool:
    return queries.module_available("grants.services.checking")


@st.cache_resource(ttl=TTL, show_spinner="Running the compliance checks…")
def findings(principal: Principal, as_at: date, fund_id: int | None = None) -> tuple[Any, ...]:
    """The compliance findings the principal may see (() while the checks are not available).

    A resource cache, not a data cache: a county has tens of thousands of findings, and unpickling them
    on every rerun cost more than the page itself. The tuple is never changed in place; writes clear it.
    """
    if not compliance_available():
        return ()
    return tuple(queries.findings(database(), principal, as_at=as_at, fund_id=fund_id))


@st.cache_data(ttl=TTL, show_spinner=False)
def return_calendar(principal: Principal, year: str | None) -> list[Any]:
    from grants.services import publishing

    return publishing.return_calendar(database(), principal, year=year)


@st.cache_data(ttl=TTL, show_spinner="Working out the return…")
def return_view(principal: Principal, fund_id: int, period: str) -> Any:
    from grants.services import publishing

    return publishing.return_view(database(), principal, fund_id, period)


@st.cache_data(ttl=TTL, show_spinner=False)
def budget_implications(principal: Principal, partnership_id: int, year: str, as_at: date) -> list[tuple[str, str]]:
    from grants.services import publishing

    return publishing.budget_implications(database(), principal, partnership_id=partnership_id, year=year, as_at=as_at)
