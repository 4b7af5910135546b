"""Findings grouped by the line they are about: a one-page summary for the front of a pack, and the detail
for its appendix.

A line with four findings is one entry with four points, not four rows scattered through a table; a
finding about a whole fund is grouped under the fund.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph

from reports import styles
from reports.model import FindingRow
from reports.tables import Cell, Figure, Noted, data_table, section, split_widths
from reports.text import markup, plural

WHOLE_FUND = "(whole fund)"
SUMMARY_ROWS = 24
"""Lines shown in the front summary, worst first; the rest are counted and left to the appendix (one page)."""
_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class LineFindings:
    """One line's (or one fund's) open findings, worst first."""

    fund: str
    year: str
    line: str
    findings: tuple[FindingRow, ...]

    @property
    def where(self) -> str:
        return self.line or WHOLE_FUND

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def worst(self) -> str:
        return self.findings[0].severity if self.findings else "info"

    @property
    def issues(self) -> str:
        """The rules' names, in words, once each ("overspent; behind profile")."""
        names: list[str] = []
        for finding in self.findings:
            name = finding.name.replace("-", " ")
            if name not in names:
                names.append(name)
        return "; ".join(names)


def group_by_line(findings: Iterable[FindingRow]) -> list[LineFindings]:
    """Findings grouped by fund, year and line; groups with errors first, then by fund, year and line."""
    groups: dict[tuple[str, str, str], list[FindingRow]] = {}
    for finding in findings:
        groups.setdefault((finding.fund, finding.year, finding.line), []).append(finding)
    grouped = [
        LineFindings(fund, year, line, tuple(sorted(items, key=lambda f: (_RANK.get(f.severity, 3), f.code))))
        for (fund, year, line), items in groups.items()
    ]
    return sorted(grouped, key=lambda g: (_RANK.get(g.worst, 3), g.fund, g.year, g.line == "", g.line))


def _counts(findings: Sequence[FindingRow]) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    notes = len(findings) - errors - warnings
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}, {plural(notes, 'note')}"


def findings_summary(findings: tuple[FindingRow, ...] | None, width: float, *, show_fund: bool) -> list[Flowable]:
    """One page: each line with open findings, its errors and warnings, and what they are about."""
    s = styles.STYLES
    story: list[Flowable] = [Paragraph("Findings at a glance", s.heading)]
    if findings is None:
        story.append(Paragraph("The compliance checks could not be run for this report.", s.body))
        return story
    if not findings:
        story.append(Paragraph("No open findings.", s.body))
        return story
    groups = group_by_line(findings)
    story.append(
        Paragraph(
            markup(
                f"{_counts(findings)} on {plural(len(groups), 'line or fund', 'lines or funds')}; "
                "each is set out in full, with what to do, in the appendix."
            ),
            s.body,
        )
    )
    headings = ["Line", "Errors", "Warnings", "About"]
    rows: list[list[Cell]] = []
    extra = []
    for index, group in enumerate(groups[:SUMMARY_ROWS], start=1):
        fund = f"{group.fund} {group.year}".strip() if show_fund else ""
        rows.append([Noted(group.where, fund), Figure(str(group.errors)), Figure(str(group.warnings)), group.issues])
        colour = styles.SEVERITY_COLOURS.get(group.worst)
        if colour is not None:
            extra.append(styles.cell_fill(index, 0, colour))
    widths = split_widths(width, [None, 16 * mm, 18 * mm, 70 * mm])
    story.append(data_table(headings, rows, widths, money_columns=(1, 2), extra=extra, banded=False))
    rest = groups[SUMMARY_ROWS:]
    if rest:
        story.append(
            Paragraph(
                markup(
                    f"And {plural(len(rest), 'more line', 'more lines')} with "
                    f"{_counts([f for g in rest for f in g.findings])}: see the appendix."
                ),
                s.note,
            )
        )
    story.append(PageBreak())
    return story


def findings_appendix(
    findings: tuple[FindingRow, ...] | None,
    width: float,
    *,
    show_fund: bool,
    title: str = "Appendix: findings in detail",
) -> list[Flowable]:
    """Every open finding, grouped by line: each line once, its findings under it, worst first."""
    s = styles.STYLES
    story: list[Flowable] = section(title)
    if findings is None:
        story.append(Paragraph("The compliance checks could not be run for this report.", s.body))
        return story
    if not findings:
        story.append(Paragraph("No open findings.", s.body))
        return story
    headings = ["Line", "Severity", "Finding and what to do"]
    rows: list[list[Cell]] = []
    extra = []
    index = 0
    for group in group_by_line(findings):
        fund = f"{group.fund} {group.year}".strip() if show_fund else ""
        for position, finding in enumerate(group.findings):
            index += 1
            where: Cell = Noted(group.where, fund) if position == 0 else ""
            rows.append(
                [
                    where,
                    Noted(finding.severity.capitalize(), f"{finding.code} {finding.name.replace('-', ' ')}"),
                    Noted(finding.message, finding.accepted or finding.hint),
                ]
            )
            colour = styles.SEVERITY_COLOURS.get(finding.severity)
            if colour is not None:
                extra.append(styles.cell_fill(index, 1, colour))
            if position == 0 and index > 1:
                extra.append(("LINEABOVE", (0, index), (-1, index), 0.8, styles.RULE))
    widths = split_widths(width, [48 * mm, 26 * mm, None])
    story.append(data_table(headings, rows, widths, extra=extra, banded=False))
    return story
