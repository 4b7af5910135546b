"""Figures over many funds, cached fund by fund: after a write to one fund, only that fund is recomputed.

The Overview shows every fund the person may see and every finding on them. Each fund's summary and its
one-fund findings are kept under that fund's data version, and the cross-fund rules' findings under the
versions of all of its partnership's funds (``grants.services.data_version.Versions``). A rerun reads the
versions (one query), recomputes what is out of date in one service call, and assembles the rest from
this process's store. Keys never repeat for a different state, so nothing older than the last commit is
shown, whichever process or command made the write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from grants.services import checking, queries, usecase
from grants.services.access import Principal
from grants.services.data_version import Versions
from grants.services.fund_figures import FundSummary
from grants.storage.database import Database

_MISSING = object()
LIMIT = 50_000  # entries per store; a full store starts again empty (only out-of-date entries are lost for long)


class Store:
    """One process's entries: key -> (version, value); an entry is found only at the version asked for."""

    def __init__(self) -> None:
        self._items: dict[Hashable, tuple[Hashable, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable) -> Any:
        found = self._items.get(key)
        return found[1] if found is not None and found[0] == version else _MISSING

    def put(self, key: Hashable, version: Hashable, value: Any) -> None:
        with self._lock:
            if len(self._items) >= LIMIT:
                self._items.clear()
            self._items[key] = (version, value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


SUMMARIES = Store()
LOCAL_FINDINGS = Store()
CROSS_FINDINGS = Store()
ASSEMBLED = Store()


def clear() -> None:
    for store in (SUMMARIES, LOCAL_FINDINGS, CROSS_FINDINGS, ASSEMBLED):
        store.clear()


def fund_summaries(
    database: Database,
    versions: Versions,
    principal: Principal,
    funds: Sequence[tuple[int, int]],
    as_at: date | None = None,
) -> list[FundSummary]:
    """The summaries of ``funds`` ((fund id, partnership id), in order) as at ``as_at`` (default today),
    recomputing only the out-of-date ones."""
    where = database.url
    day = as_at or datetime.now(ZoneInfo("Europe/London")).date()
    stale = [f for f, _ in funds if SUMMARIES.get((where, principal, day, f), versions.key(f)) is _MISSING]
    if stale:
        for summary in usecase.read(database, principal, queries.fund_summaries, fund_ids=stale, as_at=day):
            fund_id = summary.fund.id or 0
            SUMMARIES.put((where, principal, day, fund_id), versions.key(fund_id), summary)
    found = [SUMMARIES.get((where, principal, day, f), versions.key(f)) for f, _ in funds]
    return [summary for summary in found if summary is not _MISSING]


def findings(
    database: Database,
    versions: Versions,
    principal: Principal,
    as_at: date,
    funds: Sequence[tuple[int, int]],
    every_fund: Sequence[tuple[int, int]],
    order: Callable[[Any], Any],
) -> tuple[Any, ...]:
    """The findings on ``funds`` (sorted by ``order``): each fund's one-fund findings, and the cross-fund findings
    about it, computed over ``every_fund`` of its partnership. Only what a write touched is recomputed."""
    where = database.url
    of_partnership: dict[int, list[int]] = {}
    for fund_id, partnership_id in every_fund:
        of_partnership.setdefault(partnership_id, []).append(fund_id)
    partnerships = sorted({p for _, p in funds})

    def cross_key(partnership_id: int) -> tuple[int, tuple[int, ...]]:
        return (versions.everything, tuple(versions.key(f)[1] for f in of_partnership.get(partnership_id, [])))

    whole = (tuple(versions.key(f) for f, _ in funds), tuple(cross_key(p) for p in partnerships))
    assembled = ASSEMBLED.get((where, principal, as_at, tuple(funds)), whole)
    if assembled is not _MISSING:
        return tuple(assembled)
    stale_funds = [f for f, _ in funds if LOCAL_FINDINGS.get((where, principal, as_at, f), versions.key(f)) is _MISSING]
    stale_partnerships = [
        p for p in partnerships if CROSS_FINDINGS.get((where, principal, as_at, p), cross_key(p)) is _MISSING
    ]
    if stale_funds or stale_partnerships:
        local, cross = usecase.read(
            database, principal, checking.scoped_findings, stale_funds, stale_partnerships, as_at=as_at
        )
        for fund_id, found in local.items():
            LOCAL_FINDINGS.put((where, principal, as_at, fund_id), versions.key(fund_id), tuple(found))
        for partnership_id, found in cross.items():
            CROSS_FINDINGS.put((where, principal, as_at, partnership_id), cross_key(partnership_id), tuple(found))
    wanted = {f for f, _ in funds}
    every: list[Any] = []
    for fund_id, _ in funds:
        every.extend(_or_empty(LOCAL_FINDINGS.get((where, principal, as_at, fund_id), versions.key(fund_id))))
    for partnership_id in partnerships:
        cross_found = _or_empty(
            CROSS_FINDINGS.get((where, principal, as_at, partnership_id), cross_key(partnership_id))
        )
        every.extend(finding for finding in cross_found if finding.fund_id in wanted)
    result = tuple(sorted(every, key=order))
    ASSEMBLED.put((where, principal, as_at, tuple(funds)), whole, result)
    return result


def _or_empty(value: Any) -> Any:
    return () if value is _MISSING else value
