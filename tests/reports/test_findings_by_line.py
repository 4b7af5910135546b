"""Findings grouped by line: one entry per line, a one-page summary first, the detail in an appendix."""

from __future__ import annotations

from datetime import date

from grants.services.demo import PARTNERSHIP
from grants.services.reporting import render_budget_pack
from grants.storage.database import Database
from reports.findings_by_line import group_by_line
from reports.model import FindingRow
from tests.reports.conftest import pdf_text
from tests.support.ops import budget_pack


def _finding(code: str, severity: str, line: str, name: str = "a-rule") -> FindingRow:
    return FindingRow(code, name, severity, "PLF", "2026/27", line, f"{code} on {line or 'the fund'}.", "Do this.")


def test_one_lines_findings_are_one_group_worst_first() -> None:
    findings = [
        _finding("PRF005", "warning", "Contingency fund", "no-profile"),
        _finding("ALC004", "error", "Contingency fund", "no-strategic-priority"),
        _finding("ALC006", "warning", "Contingency fund", "unapproved"),
        _finding("PRF003", "warning", "Contingency fund", "no-spend-by-midyear"),
        _finding("SPD001", "error", "Mobile CCTV camera fund", "overspent"),
        _finding("PRF004", "warning", "", "forecast-underspend"),
        _finding("DAT004", "warning", "Youth diversion sessions", "stale-data"),
    ]
    groups = group_by_line(findings)
    assert [(g.where, g.errors, g.warnings) for g in groups] == [
        ("Contingency fund", 1, 3),
        ("Mobile CCTV camera fund", 1, 0),
        ("Youth diversion sessions", 0, 1),
        ("(whole fund)", 0, 1),
    ]
    contingency = groups[0]
    assert [f.code for f in contingency.findings] == ["ALC004", "ALC006", "PRF003", "PRF005"]
    assert contingency.issues == "no strategic priority; unapproved; no spend by midyear; no profile"
    assert sum(len(g.findings) for g in groups) == len(findings)


def test_the_demo_pack_opens_with_the_summary_and_ends_with_the_findings_by_line(demo_database: Database) -> None:
    pack = budget_pack(demo_database, partnership=PARTNERSHIP, year="2026/27", as_at=date(2026, 11, 29))
    assert pack.findings
    pages = pdf_text(render_budget_pack(pack, "pdf", invariant=True)).split("\f")
    first = " ".join(pages[0].split())
    assert "Findings at a glance" in first
    assert "Summary by fund" not in first, "the summary has its own page"
    assert "Contingency fund" in first and "Mobile CCTV camera fund" in first
    appendix_start = next(i for i, page in enumerate(pages) if "Appendix: findings in detail" in page)
    assert appendix_start > 1
    appendix = " ".join(" ".join(pages[appendix_start:]).split())
    for finding in pack.findings:
        assert " ".join(finding.message.split())[:40] in appendix
    # each line is named once in the appendix, however many findings it has
    assert appendix.count("Contingency fund") == 1
