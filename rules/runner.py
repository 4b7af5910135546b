"""Runs every rule at an explicit as-at date and collects all the findings.

A rule that crashes becomes an error finding naming its code; the run never stops. Rules that read other
rules' findings (RPT002) run last.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

import pandas as pd
from pydantic import BaseModel

from grants.domain.enums import Severity
from rules.base import Rule
from rules.context import RuleContext
from rules.findings import Finding
from rules.frames import LedgerFrames
from rules.registry import REGISTRY, Registry

ParamOverrides = Mapping[str, BaseModel | Mapping[str, Any]]


def run_rules(
    frames: LedgerFrames,
    *,
    as_at: date,
    registry: Registry = REGISTRY,
    params: ParamOverrides | None = None,
) -> list[Finding]:
    """Every rule's findings, sorted by partnership, fund, year, severity (worst first), code and line."""
    overrides = {code.upper(): value for code, value in (params or {}).items()}
    unknown = set(overrides) - set(registry.codes)
    if unknown:
        raise KeyError(f"parameters given for unknown rules: {', '.join(sorted(unknown))}")
    first = [item for item in registry if not item.uses_findings]
    last = [item for item in registry if item.uses_findings]
    findings: list[Finding] = []
    context = RuleContext(frames, as_at)
    names = _Names(frames)
    for item in first:
        findings.extend(_run_one(item, context, overrides.get(item.code), names))
    context.prior = tuple(findings)  # the derived figures stay cached for the rules that read findings
    for item in last:
        findings.extend(_run_one(item, context, overrides.get(item.code), names))
    return sorted(findings, key=_sort_key)


def _run_one(
    item: Rule[Any], context: RuleContext, overrides: BaseModel | Mapping[str, Any] | None, names: _Names
) -> list[Finding]:
    params = item.parameters(overrides)  # bad parameters are the caller's error: raise, do not hide
    try:
        return to_findings(item, item.run(context, params), context.frames, names)
    except Exception as exc:  # a broken rule must not stop the others
        return [crashed(item, exc)]


def crashed(item: Rule[Any], exc: BaseException) -> Finding:
    """The error finding that stands for a rule that could not run."""
    return Finding(
        code=item.code,
        name=item.name,
        severity=Severity.ERROR,
        message=f"The {item.code} {item.name} check could not run: {type(exc).__name__}: {exc}",
        hint="This is a fault in the tracker, not in the ledger: report it with the message. The other checks ran.",
    )


class _Names:
    """What a finding names, looked up by position: each fund's partnership, code and year, each line's
    description (read from the frames once per run, not once per rule)."""

    def __init__(self, frames: LedgerFrames) -> None:
        self.fund_index = pd.Index(frames.funds["fund_id"])
        self.partnerships = _texts(frames.funds["partnership"])
        self.codes = _texts(frames.funds["code"])
        self.years = _texts(frames.funds["year"])
        self.line_index = pd.Index(frames.lines["line_id"])
        self.descriptions = _texts(frames.lines["description"])


def to_findings(
    item: Rule[Any], found: pd.DataFrame, frames: LedgerFrames, names: _Names | None = None
) -> list[Finding]:
    """Finding objects for a rule's rows, with partnership, fund code, year and line description added.

    Column by column (lists, lookups by position), then one validated ``Finding`` per row: never per spend.
    """
    if found.empty:
        return []
    names = names or _Names(frames)
    fund_ids = _ids(found["fund_id"])
    line_ids = _ids(found["line_id"])
    fund_at = names.fund_index.get_indexer([-1 if value is None else value for value in fund_ids]).tolist()
    line_at = names.line_index.get_indexer([-1 if value is None else value for value in line_ids]).tolist()
    codes, uniques = pd.factorize(found["severity"], use_na_sentinel=True)
    severity_of = [_severity(value) for value in uniques] + [item.severity]  # code -1 (missing): the default
    messages = [str(value) for value in found["message"].tolist()]
    hints = [str(value) for value in found["hint"].tolist()]
    return [
        Finding(
            code=item.code,
            name=item.name,
            severity=severity_of[severity],
            partnership=None if fund < 0 else names.partnerships[fund],
            fund=None if fund < 0 else names.codes[fund],
            year=None if fund < 0 else names.years[fund],
            line=None if line < 0 or line_id is None else names.descriptions[line],
            line_id=line_id,
            fund_id=fund_id,
            message=message,
            hint=hint,
        )
        for severity, fund, line, line_id, fund_id, message, hint in zip(
            codes.tolist(), fund_at, line_at, line_ids, fund_ids, messages, hints, strict=True
        )
    ]


_SEVERITIES = {severity.value: severity for severity in Severity}
_RANKS = {severity: severity.rank for severity in Severity}


def _severity(value: object) -> Severity:
    found = _SEVERITIES.get(value) if isinstance(value, str) else None
    return found if found is not None else Severity(cast(str, value))


def _ids(column: pd.Series) -> list[int | None]:
    """Whole-number ids, None where missing."""
    missing = column.isna().tolist()
    return [None if gone else int(value) for value, gone in zip(column.tolist(), missing, strict=True)]


def _texts(column: pd.Series) -> list[str | None]:
    return [_text(value) for value in column.tolist()]


def _sort_key(finding: Finding) -> tuple[str, str, str, int, str, str]:
    """``Finding.sort_key``, with the severity's rank looked up once."""
    return (
        finding.partnership or "",
        finding.fund or "",
        finding.year or "",
        -_RANKS[finding.severity],
        finding.code,
        finding.line or "",
    )


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
