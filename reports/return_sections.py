"""Sections of the OPCC return the workflow adds: the partnership's explanations per line, outcomes, the
issues for the funder in plain English (no rule codes or internal hints), adjustments to earlier periods and
the claim of a fund paid in arrears."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from reports import styles
from reports.model import ReturnView
from reports.tables import Cell, Noted, data_table, key_values, section, split_widths
from reports.text import gbp, long_date, markup, markup_lines, short_date

SEVERITY_WORDS = {"error": "Problem", "warning": "To watch", "info": "Note"}
ABOUT_THE_RETURN_ITSELF = frozenset({"RPT001", "RPT002", "RPT004"})
"""Findings about this return (due, blocked, an adjustment to report): the return answers them; not shown."""


def explanations_section(view: ReturnView, width: float) -> list[Flowable]:
    """The overall explanation of variances, then the partnership's explanation of each line that has one."""
    s = styles.STYLES
    story: list[Flowable] = section("Explanation of variances", 25 * mm)
    general = view.explanations.strip()
    if general:
        story.append(Paragraph(markup_lines(general), s.body))
    if view.extras.line_explanations:
        rag = {line.description: line.rag for line in view.lines}
        rows: list[list[Cell]] = [[line, rag.get(line, ""), text] for line, text in view.extras.line_explanations]
        story.append(data_table(["Line", "RAG", "Explanation"], rows, split_widths(width, [80 * mm, 20 * mm, None])))
    if not general and not view.extras.line_explanations:
        story.append(Paragraph("None given.", s.body))
    return story


def outcomes_summary_section(view: ReturnView) -> list[Flowable]:
    if not view.extras.outcomes_summary.strip():
        return []
    return [
        *section("Outcomes in the period", 25 * mm),
        Paragraph(markup_lines(view.extras.outcomes_summary), styles.STYLES.body),
    ]


def issues_section(view: ReturnView, width: float) -> list[Flowable]:
    """The issues the checks raised, as the funder reads them: what, where, and the partnership's word on it."""
    s = styles.STYLES
    story: list[Flowable] = section("Issues and the partnership's response")
    if view.findings is None:
        story.append(Paragraph("The checks could not be run for this return.", s.body))
        return story
    shown = [f for f in view.findings if f.code not in ABOUT_THE_RETURN_ITSELF]
    if not shown:
        story.append(Paragraph("No issues are open.", s.body))
        return story
    rows: list[list[Cell]] = []
    for finding in shown:
        response = view.extras.explanation_of(finding.line) if finding.line else ""
        if finding.accepted:
            response = f"{response}\n{finding.accepted}".strip()
        rows.append(
            [
                SEVERITY_WORDS.get(finding.severity, finding.severity.capitalize()),
                finding.line or "The fund as a whole",
                finding.message,
                response or "No response recorded.",
            ]
        )
    widths = split_widths(width, [22 * mm, 60 * mm, None, 90 * mm])
    story.append(data_table(["", "Where", "Issue", "Partnership's response"], rows, widths, banded=False))
    return story


def adjustments_section(view: ReturnView, width: float) -> list[Flowable]:
    if not view.extras.adjustments:
        return []
    rows: list[list[Cell]] = [
        [row.period, short_date(row.dated_on), Noted(row.summary, f"Recorded by {row.recorded_by} on "
         f"{short_date(row.recorded_on)}"), row.reason]
        for row in view.extras.adjustments
    ]  # fmt: skip
    widths = split_widths(width, [28 * mm, 24 * mm, None, 90 * mm])
    return [
        *section("Adjustments to earlier periods", 25 * mm),
        Paragraph(
            "Changes dated inside a period whose return had already been submitted, recorded since with a reason.",
            styles.STYLES.note,
        ),
        data_table(["Period", "Dated", "Change", "Reason"], rows, widths),
    ]


def claim_section(view: ReturnView) -> list[Flowable]:
    claim = view.extras.claim
    if claim is None:
        return []
    s = styles.STYLES
    short = claim.match_required - claim.match_to_date
    return [
        *section("Claim for the quarter (paid in arrears) and match funding", 40 * mm),
        Paragraph(markup(f"Funding chain: {claim.funding_chain}"), s.body),
        key_values(
            [
                (f"Grant spend in the quarter ({view.period})", claim.grant_spend_in_period),
                ("Claimed to date (grant spend to the end of the quarter)", claim.claimed_to_date),
                ("Grant awarded", claim.awarded),
                (f"Grant received to {short_date(view.as_at)}", claim.received),
                ("Still expected (awarded − received)", claim.still_expected),
                ("Match to date: cash", claim.match_cash),
                ("Match to date: officer hours × rate", claim.match_in_kind),
                ("Match to date: total", claim.match_to_date),
                (f"Match required ({claim.match_share} of grant spend to date)", claim.match_required),
            ],
            [110 * mm, 32 * mm],
        ),
        Paragraph(
            markup(
                f"Match is {gbp(short)} short of the required share."
                if short > 0
                else "Match covers the required share."
            ),
            s.note,
        ),
    ]


def version_line(view: ReturnView) -> str:
    """ "Version 2 (amended …): reason" for an amendment, "" otherwise."""
    if view.extras.version > 1:
        return f"Version {view.extras.version}, amended on {long_date(view.submitted_on)}: {view.extras.amend_reason}"
    return ""


def history_section(view: ReturnView) -> list[Flowable]:
    """On the cover: the return's history with the funder before this PDF was made (nothing when there is none)."""
    if not view.extras.history:
        return []
    s = styles.STYLES
    rows = [
        f"{short_date(row.on)}: {row.what} by {row.who}" + (f" — {row.comment}" if row.comment else "")
        for row in view.extras.history
    ]
    return [
        Paragraph("<b>History with the funder</b>", s.status),
        *(Paragraph(markup(text), s.note) for text in rows),
    ]
