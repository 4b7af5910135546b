"""Runs every rule at an explicit as-at date and collects all the findings.

A rule that crashes becomes an error finding naming its code; the run never stops. Rules that read other
rules' findings (RPT002) run last.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

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
    for item in first:
        findings.extend(_run_one(item, context, overrides.get(item.code)))
    context.prior = tuple(findings)  # the derived figures stay cached for the rules that read findings
    for item in last:
        findings.extend(_run_one(item, context, overrides.get(item.code)))
    return sorted(findings, key=lambda finding: finding.sort_key)


def _run_one(item: Rule[Any], context: RuleContext, overrides: BaseModel | Mapping[str, Any] | None) -> list[Finding]:
    params = item.parameters(overrides)  # bad parameters are the caller's error: raise, do not hide
    try:
        return to_findings(item, item.run(context, params), context.frames)
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


def to_findings(item: Rule[Any], found: pd.DataFrame, frames: LedgerFrames) -> list[Finding]:
    """Finding objects for a rule's rows, with partnership, fund code, year and line description added."""
    if found.empty:
        return []
    funds = frames.funds.set_index("fund_id")[["partnership", "code", "year"]]
    descriptions = frames.lines.set_index("line_id")["description"]
    rows = found.join(funds, on="fund_id")
    line_ids = rows["line_id"]
    rows["line"] = line_ids.map(descriptions)
    results = []
    for row in rows.to_dict("records"):  # one per finding, never per spend row
        line_id = None if pd.isna(row["line_id"]) else int(row["line_id"])
        severity = item.severity if pd.isna(row["severity"]) else Severity(row["severity"])
        results.append(
            Finding(
                code=item.code,
                name=item.name,
                severity=severity,
                partnership=_text(row["partnership"]),
                fund=_text(row["code"]),
                year=_text(row["year"]),
                line=_text(row["line"]) if line_id is not None else None,
                line_id=line_id,
                fund_id=None if pd.isna(row["fund_id"]) else int(row["fund_id"]),
                message=str(row["message"]),
                hint=str(row["hint"]),
            )
        )
    return results


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
