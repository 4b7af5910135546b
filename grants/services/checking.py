"""Compliance checking as a use case: load the ledger's frames, run every rule, return the findings."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

import pandas as pd

from grants.services.ledger_frames import load_frames
from grants.storage.database import Database
from rules.findings import EXPORT_FIELDS, Finding
from rules.registry import REGISTRY, Registry
from rules.runner import ParamOverrides, run_rules


def run_checks(
    database: Database,
    *,
    partnership: str | None = None,
    fund_code: str | None = None,
    year: str | None = None,
    as_at: date,
    registry: Registry = REGISTRY,
    params: ParamOverrides | None = None,
) -> list[Finding]:
    """Every rule's findings for the funds matching the filters, with the ledger as it stood at ``as_at``."""
    with paused_gc():
        frames = load_frames(database, partnership=partnership, fund_code=fund_code, year=year, as_at=as_at)
        return run_rules(frames, as_at=as_at, registry=registry, params=params)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while a check builds its frames and findings.

    A county check creates a few hundred thousand long-lived rows, arrays and findings, none of them in
    reference cycles; the collector's repeated full passes over them cost about a sixth of the run.
    Reference counting still frees everything as usual; the collector runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """The findings as a table (the exported columns, plus ``line_id`` and ``fund_id``) for pages and reports."""
    columns = [*EXPORT_FIELDS, "line_id", "fund_id"]
    rows = [{**finding.export(), "line_id": finding.line_id, "fund_id": finding.fund_id} for finding in findings]
    frame = pd.DataFrame(rows, columns=columns)
    frame["line_id"] = frame["line_id"].astype("Int64")
    frame["fund_id"] = frame["fund_id"].astype("Int64")
    return frame


def error_count(findings: Iterable[Finding]) -> int:
    return sum(1 for finding in findings if finding.severity.value == "error")
