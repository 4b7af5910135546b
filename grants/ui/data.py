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

from grants.domain.models import (
    Application,
    AuditEvent,
    Fund,
    GrantRound,
    MatchContribution,
    OutcomeTarget,
    Partnership,
    Receipt,
)
from grants.domain.models import Return as FundReturn
from grants.services import condition_changes, programmes, queries, reporting, return_calendar, usecase
from grants.services import outcomes as outcomes_service
from grants.services import returns as returns_service
from grants.services.access import Principal
from grants.services.condition_changes import PendingChange
from grants.services.data_version import Versions, fund_versions
from grants.services.fund_figures import FundSummary, LineBalance
from grants.services.programmes import ConditionRow, ProgrammeView
from grants.services.queries import CumulativePoint, OutcomeView, SpendView, VirementView
from grants.ui import per_fund
from grants.ui.context import database


def clear_caches() -> None:
    """Call after every write to free memory (the data versions already keep every page from stale figures)."""
    st.cache_data.clear()
    findings.clear()
    _reviewed_findings.clear()


TTL = 300
MAX_ENTRIES = 256  # per function: entries keyed on older data versions go first

__all__ = ["FundSummary", "LineBalance"]


def _versions() -> Versions:
    """Read before the data it keys: a write landing in between only makes the entry newer than its key."""
    return fund_versions(database())


def _version() -> tuple[int, int, int]:
    """The key of figures about many funds: moves with any committed write."""
    return _versions().all_key()


def fund_version(fund_id: int) -> tuple[int, int]:
    """The key of figures about one fund: moves with a write to that fund (or to what all funds share)."""
    return _versions().key(fund_id)


def fund_summaries(principal: Principal, year: str | None = None, as_at: date | None = None) -> list[FundSummary]:
    """Each visible fund's figures as at ``as_at`` (default today); after a write, only the funds written to are
    computed again."""
    versions = _versions()
    funds = _visible_funds(versions.all_key(), principal, year)
    return per_fund.fund_summaries(database(), versions, principal, funds, as_at)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _visible_funds(version: Any, principal: Principal, year: str | None = None) -> list[tuple[int, int]]:
    return usecase.read(database(), principal, queries.visible_funds, year=year)


def partnerships(principal: Principal) -> list[Partnership]:
    return _partnerships(_version(), principal)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _partnerships(version: Any, principal: Principal) -> list[Partnership]:
    return usecase.read(database(), principal, queries.partnerships)


def fund(principal: Principal, fund_id: int) -> Fund:
    return _fund(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _fund(version: Any, principal: Principal, fund_id: int) -> Fund:
    return usecase.read(database(), principal, queries.fund, fund_id)


def lines(principal: Principal, fund_id: int) -> list[LineBalance]:
    return _lines(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _lines(version: Any, principal: Principal, fund_id: int) -> list[LineBalance]:
    return usecase.read(database(), principal, queries.lines, fund_id)


def fund_conditions(principal: Principal, fund_id: int) -> list[ConditionRow]:
    return _fund_conditions(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _fund_conditions(version: Any, principal: Principal, fund_id: int) -> list[ConditionRow]:
    return usecase.read(database(), principal, programmes.fund_conditions, fund_id)


def programme(principal: Principal, programme_id: int) -> ProgrammeView:
    return _programme(_version(), principal, programme_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _programme(version: Any, principal: Principal, programme_id: int) -> ProgrammeView:
    return usecase.read(database(), principal, programmes.programme_view, programme_id)


def pending_condition_changes(principal: Principal, fund_id: int) -> list[PendingChange]:
    return _pending_condition_changes(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _pending_condition_changes(version: Any, principal: Principal, fund_id: int) -> list[PendingChange]:
    return usecase.read(database(), principal, condition_changes.pending_changes, fund_id)


def receipts(principal: Principal, fund_id: int) -> list[Receipt]:
    return _receipts(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _receipts(version: Any, principal: Principal, fund_id: int) -> list[Receipt]:
    return usecase.read(database(), principal, queries.receipts, fund_id)


def matches(principal: Principal, fund_id: int) -> list[MatchContribution]:
    return _matches(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _matches(version: Any, principal: Principal, fund_id: int) -> list[MatchContribution]:
    return usecase.read(database(), principal, queries.matches, fund_id)


def virements(principal: Principal, fund_id: int) -> list[VirementView]:
    return _virements(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _virements(version: Any, principal: Principal, fund_id: int) -> list[VirementView]:
    return usecase.read(database(), principal, queries.virements, fund_id)


def spends(principal: Principal, fund_id: int) -> list[SpendView]:
    return _spends(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _spends(version: Any, principal: Principal, fund_id: int) -> list[SpendView]:
    return usecase.read(database(), principal, queries.spends, fund_id)


def profiles(principal: Principal, fund_id: int, year: str) -> dict[int, dict[int, Decimal]]:
    return _profiles(fund_version(fund_id), principal, fund_id, year)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _profiles(version: Any, principal: Principal, fund_id: int, year: str) -> dict[int, dict[int, Decimal]]:
    return usecase.read(database(), principal, queries.profiles, fund_id, year)


def outcomes(principal: Principal, fund_id: int) -> list[OutcomeView]:
    return _outcomes(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _outcomes(version: Any, principal: Principal, fund_id: int) -> list[OutcomeView]:
    return usecase.read(database(), principal, queries.outcomes, fund_id)


def outcome_targets(principal: Principal, fund_id: int) -> dict[int, OutcomeTarget]:
    return _outcome_targets(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _outcome_targets(version: Any, principal: Principal, fund_id: int) -> dict[int, OutcomeTarget]:
    return usecase.read(database(), principal, outcomes_service.outcome_targets, fund_id)


def rounds(principal: Principal, fund_id: int) -> list[GrantRound]:
    return _rounds(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _rounds(version: Any, principal: Principal, fund_id: int) -> list[GrantRound]:
    return usecase.read(database(), principal, queries.rounds, fund_id)


def applications(principal: Principal, round_id: int) -> list[Application]:
    return _applications(_version(), principal, round_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _applications(version: Any, principal: Principal, round_id: int) -> list[Application]:
    return usecase.read(database(), principal, queries.applications, round_id)


def returns(principal: Principal, fund_id: int) -> list[FundReturn]:
    return _returns(fund_version(fund_id), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _returns(version: Any, principal: Principal, fund_id: int) -> list[FundReturn]:
    return usecase.read(database(), principal, queries.returns, fund_id)


def spend_against_profile(principal: Principal, fund_id: int, as_at: date) -> list[CumulativePoint]:
    return _spend_against_profile(fund_version(fund_id), principal, fund_id, as_at)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _spend_against_profile(version: Any, principal: Principal, fund_id: int, as_at: date) -> list[CumulativePoint]:
    return usecase.read(database(), principal, queries.spend_against_profile, fund_id, as_at=as_at)


def audit_events(principal: Principal, entity: str | None, limit: int) -> list[AuditEvent]:
    return _audit_events(_version(), principal, entity, limit)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _audit_events(version: Any, principal: Principal, entity: str | None, limit: int) -> list[AuditEvent]:
    return usecase.read(database(), principal, queries.audit_events, entity=entity, limit=limit)


def worst_first(finding: Any) -> tuple[Any, ...]:
    return (-finding.severity.rank, finding.code, finding.partnership or "", finding.fund or "", finding.line or "")


class _Findings:
    """``findings(principal, as_at, fund_id)``, and ``findings.clear()`` for ``clear_caches``."""

    def __call__(self, principal: Principal, as_at: date, fund_id: int | None = None) -> tuple[Any, ...]:
        """The compliance findings the principal may see (on one fund, or on all), worst first.

        Kept fund by fund in this process (:mod:`grants.ui.per_fund`): a county has tens of thousands of
        findings, and after a write to one fund only that fund's, and its partnership's cross-fund rules', are
        worked out again. The tuple is never changed in place.
        """
        versions = _versions()
        every_fund = _visible_funds(versions.all_key(), principal, None)
        funds = every_fund if fund_id is None else [(f, p) for f, p in every_fund if f == fund_id]
        with st.spinner("Running the compliance checks…"):
            return per_fund.findings(database(), versions, principal, as_at, funds, every_fund, worst_first)

    def clear(self) -> None:
        per_fund.clear()


findings = _Findings()


def reviewed_findings(principal: Principal, as_at: date) -> Any:
    """Open, accepted and closed-year findings (the Compliance page's accepted list)."""
    return _reviewed_findings(_version(), principal, as_at)


@st.cache_resource(ttl=TTL, max_entries=16, show_spinner="Running the compliance checks…")
def _reviewed_findings(version: Any, principal: Principal, as_at: date) -> Any:
    from grants.services import finding_acceptance

    return usecase.read(database(), principal, finding_acceptance.reviewed_findings, as_at=as_at)


def return_calendar_entries(principal: Principal, year: str | None) -> list[Any]:
    return _return_calendar_entries(_version(), principal, year)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _return_calendar_entries(version: Any, principal: Principal, year: str | None) -> list[Any]:
    return usecase.read(database(), principal, return_calendar.return_calendar, year=year)


def return_view(principal: Principal, fund_id: int, period: str) -> Any:
    return _return_view(fund_version(fund_id), principal, fund_id, period)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner="Working out the return…")
def _return_view(version: Any, principal: Principal, fund_id: int, period: str) -> Any:
    return usecase.read(database(), principal, returns_service.return_view, fund_id, period)


def budget_implications(principal: Principal, partnership_id: int, year: str, as_at: date) -> list[tuple[str, str]]:
    return _budget_implications(_version(), principal, partnership_id, year, as_at)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _budget_implications(
    version: Any, principal: Principal, partnership_id: int, year: str, as_at: date
) -> list[tuple[str, str]]:
    return usecase.read(database(), principal, reporting.budget_implications, partnership_id, year=year, as_at=as_at)


def county(principal: Principal, year: str, as_at: date) -> Any:
    """The funder's county view (:mod:`grants.services.county_view`) for the year as at the date."""
    return _county(_version(), principal, year, as_at)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner="Reading every partnership's figures…")
def _county(version: Any, principal: Principal, year: str, as_at: date) -> Any:
    from grants.services import county_view

    return usecase.read(database(), principal, county_view.county_view, year=year, as_at=as_at)
