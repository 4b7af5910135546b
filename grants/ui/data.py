"""Cached reads for the pages: every function is keyed on the principal, so no one sees another's cache,
and on the data version (:func:`grants.services.data_version.data_version`), read first on every call.

The version changes with every committed write, from this process, another app process behind the same
proxy, or the command line, so a page never shows figures older than the last commit: the next rerun
after any write finds a new key and recomputes. The caches hold plain results (never a connection);
this process's own writes still clear them (:func:`clear_caches`) to free memory, and the TTL and
``MAX_ENTRIES`` only bound how long and how many unused entries are kept.
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
from grants.services.data_version import data_version
from grants.services.ledger import FundSummary, LineBalance
from grants.services.queries import CumulativePoint, OutcomeView, SpendView, VirementView
from grants.ui.context import database


def clear_caches() -> None:
    """Call after every write so no page shows stale totals (or stale findings)."""
    st.cache_data.clear()
    findings.clear()
    _reviewed_findings.clear()


TTL = 300
MAX_ENTRIES = 256  # per function: entries keyed on older data versions go first

__all__ = ["FundSummary", "LineBalance"]


def _version() -> int:
    """Read before the data it keys: a write landing in between only makes the entry newer than its key."""
    return data_version(database())


def fund_summaries(principal: Principal, year: str | None = None) -> list[FundSummary]:
    return _fund_summaries(_version(), principal, year)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _fund_summaries(version: int, principal: Principal, year: str | None = None) -> list[FundSummary]:
    return usecase.read(database(), principal, queries.fund_summaries, year=year)


def partnerships(principal: Principal) -> list[Partnership]:
    return _partnerships(_version(), principal)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _partnerships(version: int, principal: Principal) -> list[Partnership]:
    return usecase.read(database(), principal, queries.partnerships)


def fund(principal: Principal, fund_id: int) -> Fund:
    return _fund(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _fund(version: int, principal: Principal, fund_id: int) -> Fund:
    return usecase.read(database(), principal, queries.fund, fund_id)


def lines(principal: Principal, fund_id: int) -> list[LineBalance]:
    return _lines(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _lines(version: int, principal: Principal, fund_id: int) -> list[LineBalance]:
    return usecase.read(database(), principal, queries.lines, fund_id)


def receipts(principal: Principal, fund_id: int) -> list[Receipt]:
    return _receipts(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _receipts(version: int, principal: Principal, fund_id: int) -> list[Receipt]:
    return usecase.read(database(), principal, queries.receipts, fund_id)


def matches(principal: Principal, fund_id: int) -> list[MatchContribution]:
    return _matches(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _matches(version: int, principal: Principal, fund_id: int) -> list[MatchContribution]:
    return usecase.read(database(), principal, queries.matches, fund_id)


def virements(principal: Principal, fund_id: int) -> list[VirementView]:
    return _virements(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _virements(version: int, principal: Principal, fund_id: int) -> list[VirementView]:
    return usecase.read(database(), principal, queries.virements, fund_id)


def spends(principal: Principal, fund_id: int) -> list[SpendView]:
    return _spends(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _spends(version: int, principal: Principal, fund_id: int) -> list[SpendView]:
    return usecase.read(database(), principal, queries.spends, fund_id)


def profiles(principal: Principal, fund_id: int, year: str) -> dict[int, dict[int, Decimal]]:
    return _profiles(_version(), principal, fund_id, year)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _profiles(version: int, principal: Principal, fund_id: int, year: str) -> dict[int, dict[int, Decimal]]:
    return usecase.read(database(), principal, queries.profiles, fund_id, year)


def outcomes(principal: Principal, fund_id: int) -> list[OutcomeView]:
    return _outcomes(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _outcomes(version: int, principal: Principal, fund_id: int) -> list[OutcomeView]:
    return usecase.read(database(), principal, queries.outcomes, fund_id)


def rounds(principal: Principal, fund_id: int) -> list[GrantRound]:
    return _rounds(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _rounds(version: int, principal: Principal, fund_id: int) -> list[GrantRound]:
    return usecase.read(database(), principal, queries.rounds, fund_id)


def applications(principal: Principal, round_id: int) -> list[Application]:
    return _applications(_version(), principal, round_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _applications(version: int, principal: Principal, round_id: int) -> list[Application]:
    return usecase.read(database(), principal, queries.applications, round_id)


def returns(principal: Principal, fund_id: int) -> list[FundReturn]:
    return _returns(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _returns(version: int, principal: Principal, fund_id: int) -> list[FundReturn]:
    return usecase.read(database(), principal, queries.returns, fund_id)


def spend_against_profile(principal: Principal, fund_id: int, as_at: date) -> list[CumulativePoint]:
    return _spend_against_profile(_version(), principal, fund_id, as_at)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _spend_against_profile(version: int, principal: Principal, fund_id: int, as_at: date) -> list[CumulativePoint]:
    return usecase.read(database(), principal, queries.spend_against_profile, fund_id, as_at=as_at)


def audit_events(principal: Principal, entity: str | None, limit: int) -> list[AuditEvent]:
    return _audit_events(_version(), principal, entity, limit)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _audit_events(version: int, principal: Principal, entity: str | None, limit: int) -> list[AuditEvent]:
    return usecase.read(database(), principal, queries.audit_events, entity=entity, limit=limit)


def worst_first(finding: Any) -> tuple[Any, ...]:
    return (-finding.severity.rank, finding.code, finding.partnership or "", finding.fund or "", finding.line or "")


class _Findings:
    """``findings(principal, as_at, fund_id)``, and ``findings.clear()`` for ``clear_caches``."""

    def __call__(self, principal: Principal, as_at: date, fund_id: int | None = None) -> tuple[Any, ...]:
        """The compliance findings the principal may see, worst first.

        A resource cache, not a data cache: a county has tens of thousands of findings, and unpickling them
        on every rerun cost more than the page itself. The tuple is never changed in place; writes clear it.
        """
        return _findings(_version(), principal, as_at, fund_id)

    def clear(self) -> None:
        _findings.clear()


findings = _Findings()


@st.cache_resource(ttl=TTL, max_entries=16, show_spinner="Running the compliance checks…")
def _findings(version: int, principal: Principal, as_at: date, fund_id: int | None = None) -> tuple[Any, ...]:
    found = usecase.read(database(), principal, checking.run_checks, as_at=as_at, fund_id=fund_id)
    return tuple(sorted(found, key=worst_first))


def reviewed_findings(principal: Principal, as_at: date) -> Any:
    """Open, accepted and closed-year findings (the Compliance page's accepted list)."""
    return _reviewed_findings(_version(), principal, as_at)


@st.cache_resource(ttl=TTL, max_entries=16, show_spinner="Running the compliance checks…")
def _reviewed_findings(version: int, principal: Principal, as_at: date) -> Any:
    from grants.services import finding_acceptance

    return usecase.read(database(), principal, finding_acceptance.reviewed_findings, as_at=as_at)


def return_calendar_entries(principal: Principal, year: str | None) -> list[Any]:
    return _return_calendar_entries(_version(), principal, year)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _return_calendar_entries(version: int, principal: Principal, year: str | None) -> list[Any]:
    return usecase.read(database(), principal, return_calendar.return_calendar, year=year)


def return_view(principal: Principal, fund_id: int, period: str) -> Any:
    return _return_view(_version(), principal, fund_id, period)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner="Working out the return…")
def _return_view(version: int, principal: Principal, fund_id: int, period: str) -> Any:
    return usecase.read(database(), principal, returns_service.return_view, fund_id, period)


def budget_implications(principal: Principal, partnership_id: int, year: str, as_at: date) -> list[tuple[str, str]]:
    return _budget_implications(_version(), principal, partnership_id, year, as_at)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _budget_implications(
    version: int, principal: Principal, partnership_id: int, year: str, as_at: date
) -> list[tuple[str, str]]:
    return usecase.read(database(), principal, reporting.budget_implications, partnership_id, year=year, as_at=as_at)
