"""Cached reads for the pages: every function is keyed on the principal, so no one sees another's cache,
and on the data version (:func:`grants.services.data_version.data_version`), read first on every call.

The version changes with every committed write, from this process, another app process behind the same
proxy, or the command line, so a page never shows figures older than the last commit: the next rerun
after any write finds a new key and recomputes. The caches hold plain results (never a connection);
this process's own writes still clear them (:func:`grants.ui.context.clear_caches`) to free memory, and
the TTL only bounds how long an unused entry is kept.
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
from grants.services.data_version import data_version
from grants.services.ledger import FundSummary, LineBalance
from grants.services.queries import CumulativePoint, OutcomeView, SpendView, VirementView
from grants.ui.context import database

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
    return queries.fund_summaries(database(), principal, year=year)


def partnerships(principal: Principal) -> list[Partnership]:
    return _partnerships(_version(), principal)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _partnerships(version: int, principal: Principal) -> list[Partnership]:
    return queries.partnerships(database(), principal)


def fund(principal: Principal, fund_id: int) -> Fund:
    return _fund(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _fund(version: int, principal: Principal, fund_id: int) -> Fund:
    return queries.fund(database(), principal, fund_id)


def lines(principal: Principal, fund_id: int) -> list[LineBalance]:
    return _lines(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _lines(version: int, principal: Principal, fund_id: int) -> list[LineBalance]:
    return queries.lines(database(), principal, fund_id)


def receipts(principal: Principal, fund_id: int) -> list[Receipt]:
    return _receipts(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _receipts(version: int, principal: Principal, fund_id: int) -> list[Receipt]:
    return queries.receipts(database(), principal, fund_id)


def matches(principal: Principal, fund_id: int) -> list[MatchContribution]:
    return _matches(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _matches(version: int, principal: Principal, fund_id: int) -> list[MatchContribution]:
    return queries.matches(database(), principal, fund_id)


def virements(principal: Principal, fund_id: int) -> list[VirementView]:
    return _virements(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _virements(version: int, principal: Principal, fund_id: int) -> list[VirementView]:
    return queries.virements(database(), principal, fund_id)


def spends(principal: Principal, fund_id: int) -> list[SpendView]:
    return _spends(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _spends(version: int, principal: Principal, fund_id: int) -> list[SpendView]:
    return queries.spends(database(), principal, fund_id)


def profiles(principal: Principal, fund_id: int, year: str) -> dict[int, dict[int, Decimal]]:
    return _profiles(_version(), principal, fund_id, year)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _profiles(version: int, principal: Principal, fund_id: int, year: str) -> dict[int, dict[int, Decimal]]:
    return queries.profiles(database(), principal, fund_id, year)


def outcomes(principal: Principal, fund_id: int) -> list[OutcomeView]:
    return _outcomes(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _outcomes(version: int, principal: Principal, fund_id: int) -> list[OutcomeView]:
    return queries.outcomes(database(), principal, fund_id)


def rounds(principal: Principal, fund_id: int) -> list[GrantRound]:
    return _rounds(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _rounds(version: int, principal: Principal, fund_id: int) -> list[GrantRound]:
    return queries.rounds(database(), principal, fund_id)


def applications(principal: Principal, round_id: int) -> list[Application]:
    return _applications(_version(), principal, round_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _applications(version: int, principal: Principal, round_id: int) -> list[Application]:
    return queries.applications(database(), principal, round_id)


def returns(principal: Principal, fund_id: int) -> list[FundReturn]:
    return _returns(_version(), principal, fund_id)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _returns(version: int, principal: Principal, fund_id: int) -> list[FundReturn]:
    return queries.returns(database(), principal, fund_id)


def spend_against_profile(principal: Principal, fund_id: int, as_at: date) -> list[CumulativePoint]:
    return _spend_against_profile(_version(), principal, fund_id, as_at)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _spend_against_profile(version: int, principal: Principal, fund_id: int, as_at: date) -> list[CumulativePoint]:
    return queries.spend_against_profile(database(), principal, fund_id, as_at=as_at)


def audit_events(principal: Principal, entity: str | None, limit: int) -> list[AuditEvent]:
    return _audit_events(_version(), principal, entity, limit)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _audit_events(version: int, principal: Principal, entity: str | None, limit: int) -> list[AuditEvent]:
    return queries.audit_events(database(), principal, entity=entity, limit=limit)


def compliance_available() -> bool:
    return queries.module_available("grants.services.checking")


class _Findings:
    """``findings(principal, as_at, fund_id)``, and ``findings.clear()`` for ``grants.ui.context.clear_caches``."""

    def __call__(self, principal: Principal, as_at: date, fund_id: int | None = None) -> tuple[Any, ...]:
        """The compliance findings the principal may see (() while the checks are not available).

        A resource cache, not a data cache: a county has tens of thousands of findings, and unpickling them
        on every rerun cost more than the page itself. The tuple is never changed in place; writes clear it.
        """
        return _findings(_version(), principal, as_at, fund_id)

    def clear(self) -> None:
        _findings.clear()


findings = _Findings()


@st.cache_resource(ttl=TTL, max_entries=16, show_spinner="Running the compliance checks…")
def _findings(version: int, principal: Principal, as_at: date, fund_id: int | None = None) -> tuple[Any, ...]:
    if not compliance_available():
        return ()
    return tuple(queries.findings(database(), principal, as_at=as_at, fund_id=fund_id))


def return_calendar(principal: Principal, year: str | None) -> list[Any]:
    return _return_calendar(_version(), principal, year)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _return_calendar(version: int, principal: Principal, year: str | None) -> list[Any]:
    from grants.services import publishing

    return publishing.return_calendar(database(), principal, year=year)


def return_view(principal: Principal, fund_id: int, period: str) -> Any:
    return _return_view(_version(), principal, fund_id, period)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner="Working out the return…")
def _return_view(version: int, principal: Principal, fund_id: int, period: str) -> Any:
    from grants.services import publishing

    return publishing.return_view(database(), principal, fund_id, period)


def budget_implications(principal: Principal, partnership_id: int, year: str, as_at: date) -> list[tuple[str, str]]:
    return _budget_implications(_version(), principal, partnership_id, year, as_at)


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _budget_implications(
    version: int, principal: Principal, partnership_id: int, year: str, as_at: date
) -> list[tuple[str, str]]:
    from grants.services import publishing

    return publishing.budget_implications(database(), principal, partnership_id=partnership_id, year=year, as_at=as_at)
