"""The OPCC financial profile return (docs/domain.md §5.2) as a PDF story: six-monthly, or quarterly.

Definitions printed on the return (and used by ``grants.services.returns``):

- **Committed**: on approved lines (an approver and a date recorded), allocated minus spent to date,
  never below zero per line: money promised to providers and not yet paid. Unapproved lines are
  allocated but not committed.
- **Forecast outturn**: spend to date plus the profile still to come (each line's whole profile minus
  its profile to date); a line with no profile is forecast to spend its allocation.
- **Projected underspend**: the funding (the fund's award, or its receipts received and expected if
  they total more) minus the forecast outturn; negative means a projected overspend.
- **RAG** (spend against profile): Red beyond 25% behind the profile to date, Amber beyond 10% behind, Green
  otherwise; a line spent beyond its allocation is Red; a line with money and no profile says so.

All of them are computed by ``grants.figures``, the one place each is defined.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from reports import styles
from reports.budget_pack import pending_section
from reports.document import PdfMeta, build_pdf, frame_width
from reports.model import ReturnView
from reports.return_sections import (
    adjustments_section,
    claim_section,
    explanations_section,
    history_section,
    issues_section,
    outcomes_summary_section,
    version_line,
)
from reports.tables import Cell, Figure, data_table, key_values, section, split_widths
from reports.text import long_date, markup, markup_lines, short_date

MONEY_WIDTH = 25 * mm

DEFINITIONS = (
    "Committed: on approved lines, allocated minus spent to date (never below zero per line). "
    "Forecast outturn: spent to date plus the profile still to come (a line with no profile: its allocation). "
    "Projected underspend: funding minus forecast outturn (negative: a projected overspend). "
    "RAG, spend against profile: Red beyond 25% behind the profile to date, Amber beyond 10% behind, Green "
    "otherwise; a line spent beyond its allocation is Red."
)


def return_title(view: ReturnView) -> str:
    return "OPCC quarterly return" if view.quarterly else "OPCC six-monthly financial profile return"


def return_meta(view: ReturnView, *, invariant: bool | None = None) -> PdfMeta:
    """Submitted returns are always invariant: the same frozen figures give the same bytes."""
    return PdfMeta(
        title=f"{return_title(view)}, {view.fund_code}",
        partnership=view.partnership,
        period=view.period,
        generated_at=view.generated_at,
        as_at=view.as_at,
        author=view.prepared_by or view.submitted_by or view.partnership,
        subject=f"{view.fund_name} ({view.fund_code}), {view.period}: financial profile for "
        f"{view.funder or 'the OPCC'}",
        status=view.status.upper(),
        landscape=True,
        invariant=view.frozen if invariant is None else invariant,
        demo=view.demo,
    )


def return_pdf(view: ReturnView, *, invariant: bool | None = None) -> bytes:
    meta = return_meta(view, invariant=invariant)
    return build_pdf(return_story(view, frame_width(meta)), meta)


def _status_line(view: ReturnView) -> str:
    due = f" Due {long_date(view.due_on)}." if view.due_on else ""
    if view.frozen:
        by = f" by {view.submitted_by}" if view.submitted_by else ""
        return f"SUBMITTED on {long_date(view.submitted_on)}{by}: the figures below are frozen as submitted.{due}"
    return f"{view.status.upper()}: the figures are live and will change until the return is submitted.{due}"


def return_story(view: ReturnView, width: float) -> list[Flowable]:
    s = styles.STYLES
    story: list[Flowable] = [
        Paragraph(markup(return_title(view)), s.title),
        Paragraph(
            markup(
                f"{view.fund_name} ({view.fund_code})  ·  {view.partnership}  ·  {view.period}: "
                f"{long_date(view.period_start)} to {long_date(view.period_end)}"
                + (f"  ·  funder: {view.funder}" if view.funder else "")
            ),
            s.subtitle,
        ),
        Paragraph(markup(_status_line(view)), s.status),
        *([Paragraph(markup(version_line(view)), s.status)] if version_line(view) else []),
        *history_section(view),
        *section("Financial summary"),
        key_values(
            [
                ("Funding awarded", view.fund_amount),
                (f"Funding received to {short_date(view.as_at)}", view.funding_received),
                (
                    "Funding still expected",
                    view.extras.claim.still_expected if view.extras.claim else view.funding_expected,
                ),
                ("Allocated to budget lines", view.allocated),
                (f"Spent in the period ({view.period})", view.spent_in_period),
                ("Spent to date", view.spent_to_date),
                ("Committed (approved lines, not yet spent)", view.committed),
                ("Forecast outturn", view.forecast_outturn),
                (
                    "Projected underspend" if view.projected_underspend >= 0 else "Projected overspend",
                    abs(view.projected_underspend),
                ),
            ],
            [90 * mm, 32 * mm],
        ),
        Paragraph(markup(DEFINITIONS), s.note),
    ]
    story += claim_section(view)
    story += _lines(view, width)
    story += pending_section(view.pending, width)
    story += _outcomes(view, width)
    story += outcomes_summary_section(view)
    story += explanations_section(view, width)
    story += [
        *section("Risks", 25 * mm),
        Paragraph(markup_lines(view.risks) if view.risks.strip() else "None given.", s.body),
    ]
    story += adjustments_section(view, width)
    story += issues_section(view, width)
    story += _sign_off(view, width)
    for note in view.notes:
        story.append(Paragraph(markup(note), s.note))
    return story


def _lines(view: ReturnView, width: float) -> list[Flowable]:
    s = styles.STYLES
    story: list[Flowable] = section("Budget lines: profile against actual")
    if not view.lines:
        story.append(Paragraph("No budget lines are recorded for this fund.", s.body))
        return story
    headings = [
        "Description", "Provider", "Priority", "Allocated", "Profile to Date", "Actual to Date", "Variance", "RAG",
    ]  # fmt: skip
    rows: list[list[Cell]] = []
    extra = []
    for index, line in enumerate(view.lines, start=1):
        rows.append(
            [
                line.description,
                line.provider,
                line.priority,
                line.allocated,
                line.profile_to_date,
                line.actual_to_date,
                line.variance,
                Figure(line.rag),
            ]
        )
        colour = styles.RAG_COLOURS.get(line.rag)
        if colour is not None:
            extra.append(styles.cell_fill(index, 7, colour))
    total: list[Cell] = [
        "Total", None, None, view.allocated, view.total_profile_to_date, view.spent_to_date, view.total_variance, None,
    ]  # fmt: skip
    widths = split_widths(width, [None, 34 * mm, 42 * mm, *([MONEY_WIDTH] * 4), 18 * mm])
    story.append(data_table(headings, rows, widths, money_columns=range(3, 8), total=total, extra=extra))
    story.append(Paragraph("Variance is actual minus profile to date: a negative figure is behind profile.", s.note))
    return story


def _outcomes(view: ReturnView, width: float) -> list[Flowable]:
    s = styles.STYLES
    story: list[Flowable] = section("Outputs and outcomes")
    if not view.outcomes:
        story.append(Paragraph("No outcome updates are recorded for this period.", s.body))
        return story
    targeted = any(row.target for row in view.outcomes)  # a Target column only when a line has one
    headings = ["Line", "Provider", *(["Target (measure)"] if targeted else []), "Period", "Outputs", "Narrative",
                "Evidence"]  # fmt: skip
    rows: list[list[Cell]] = [
        [
            row.line,
            row.provider,
            *([row.target or "None recorded"] if targeted else []),
            row.period,
            "Awaiting data" if row.awaiting_data and not row.outputs else row.outputs,
            row.narrative,
            row.evidence,
        ]
        for row in view.outcomes
    ]
    fixed = [None, 36 * mm, *([50 * mm] if targeted else []), 24 * mm, 34 * mm, 70 * mm if not targeted else 50 * mm,
             60 * mm if not targeted else 44 * mm]  # fmt: skip
    story.append(data_table(headings, rows, split_widths(width, fixed)))
    return story


def _sign_off(view: ReturnView, width: float) -> list[Flowable]:
    s = styles.STYLES
    column = (width / 3) - 1
    data = [
        [Paragraph(label, s.label_cell) for label in ("Prepared by", "Signed off by", "Date signed off")],
        [
            Paragraph(markup(view.prepared_by), s.cell),
            Paragraph(
                markup(
                    f"{view.approved_by}, {view.extras.signed_off_role}"
                    if view.approved_by and view.extras.signed_off_role
                    else view.approved_by
                ),
                s.cell,
            ),
            Paragraph(markup(long_date(view.signed_on)), s.cell),
        ],
        [Paragraph("Signature", s.note), Paragraph("Signature", s.note), ""],
    ]
    table = Table(data, colWidths=[column] * 3, rowHeights=[None, None, 16 * mm], hAlign="LEFT")
    table.setStyle(styles.signature_style())
    return [Spacer(1, 2 * mm), KeepTogether([*section("Sign-off", 0), table])]
