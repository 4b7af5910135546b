"""The Strategic Group's budget pack as a PDF story (docs/domain.md §5.1).

One table per fund in the papers' layout (``Description | Amount Allocated | Amount Spent to Date |
Balance Remaining``, plus ``Funding Received`` where money is still expected), a Total row and an
"as at" date; a summary by fund and by strategic priority with the Budget / Resource Implications
paragraphs; profile against actual per fund. It opens with a one-page summary of the open findings by
line; the findings themselves, grouped by line, are its appendix.

Receipts are recorded per fund, not per line: where a fund shows ``Funding Received`` the lines'
cells are blank and the Total row carries the fund's receipts to date.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from reports import styles
from reports.charts import profile_chart
from reports.document import PdfMeta, build_pdf, frame_width
from reports.findings_by_line import findings_appendix, findings_summary
from reports.model import ZERO, BudgetPack, FindingRow, FundTable, PendingRow
from reports.tables import Cell, Figure, Noted, data_table, section, split_widths
from reports.text import gbp, long_date, markup, plural, short_datetime

MONEY_WIDTH = 27 * mm
TITLE = "Budget pack"


def budget_pack_meta(pack: BudgetPack, *, invariant: bool = False) -> PdfMeta:
    funds = ", ".join(f.code for f in pack.funds) or "no funds"
    return PdfMeta(
        title=TITLE,
        partnership=pack.partnership,
        period=pack.year,
        generated_at=pack.generated_at,
        as_at=pack.as_at,
        author=pack.prepared_by or pack.partnership,
        subject=f"Strategic Group budget tables {pack.year} ({funds}), figures as at {long_date(pack.as_at)}",
        invariant=invariant,
        demo=pack.demo,
    )


def budget_pack_pdf(pack: BudgetPack, *, invariant: bool = False) -> bytes:
    meta = budget_pack_meta(pack, invariant=invariant)
    return build_pdf(budget_pack_story(pack, frame_width(meta)), meta)


def budget_pack_story(
    pack: BudgetPack, width: float, *, title: str | None = None, after_summary: Sequence[Flowable] = ()
) -> list[Flowable]:
    """The pack's story; a meeting pack gives its own ``title`` and its changes (``after_summary``), which
    follow the findings summary."""
    s = styles.STYLES
    story: list[Flowable] = [
        Paragraph(markup(title or f"Budget pack for the Strategic Group, {pack.year}"), s.title),
        Paragraph(
            markup(
                f"{pack.partnership}  ·  figures as at {long_date(pack.as_at)}  ·  "
                f"generated {short_datetime(pack.generated_at)}"
            ),
            s.subtitle,
        ),
    ]
    if not pack.funds:
        story.append(Paragraph(markup(f"No funds are recorded for {pack.year}."), s.body))
        return story
    story += findings_summary(pack.findings, width, show_fund=True)
    story += after_summary
    story += _fund_summary(pack, width)
    story += _priority_summary(pack, width)
    story += _outcome_targets(pack, width)
    for fund in pack.funds:
        story += _fund_section(fund, pack, width)
    story += findings_appendix(pack.findings, width, show_fund=True)
    return story


def _fund_summary(pack: BudgetPack, width: float) -> list[Flowable]:
    headings = ["Fund", "Funding", "Received", "Allocated", "Spent to Date", "Balance Remaining"]
    rows: list[list[Cell]] = [
        [f"{f.name} ({f.code})", f.amount, f.received, f.total_allocated, f.total_spent, f.total_balance]
        for f in pack.funds
    ]
    total: list[Cell] = [
        "Total",
        sum((f.amount for f in pack.funds), ZERO),
        sum((f.received for f in pack.funds), ZERO),
        pack.total_allocated,
        pack.total_spent,
        pack.total_balance,
    ]
    widths = split_widths(width, [None, *([MONEY_WIDTH] * 5)])
    return [
        *section("Summary by fund"),
        data_table(headings, rows, widths, money_columns=range(1, 6), total=total),
    ]


def _priority_summary(pack: BudgetPack, width: float) -> list[Flowable]:
    s = styles.STYLES
    if not pack.priorities:
        return []
    headings = ["Strategic Priority", "Lines", "Allocated", "Spent to Date", "Balance Remaining"]
    rows: list[list[Cell]] = [
        [p.figures.label, Figure(str(p.figures.lines)), p.figures.allocated, p.figures.spent, p.figures.balance]
        for p in pack.priorities
    ]
    total: list[Cell] = [
        "Total",
        Figure(str(sum(p.figures.lines for p in pack.priorities))),
        sum((p.figures.allocated for p in pack.priorities), ZERO),
        sum((p.figures.spent for p in pack.priorities), ZERO),
        sum((p.figures.balance for p in pack.priorities), ZERO),
    ]
    widths = split_widths(width, [None, 14 * mm, *([MONEY_WIDTH] * 3)])
    story: list[Flowable] = [
        *section("Summary by strategic priority"),
        data_table(headings, rows, widths, money_columns=range(1, 5), total=total),
        Paragraph("Budget / Resource Implications", s.subheading),
    ]
    for priority in pack.priorities:
        story.append(Paragraph(f"<b>{markup(priority.figures.label)}.</b> {markup(priority.implications)}", s.body))
    return story


def _outcome_targets(pack: BudgetPack, width: float) -> list[Flowable]:
    """Lines with an outcome target (from an action plan) and their latest update: nothing when none has one."""
    if not pack.outcomes:
        return []
    rows: list[list[Cell]] = [[o.line, o.fund, o.target, o.latest] for o in pack.outcomes]
    widths = split_widths(width, [None, 24 * mm, 55 * mm, 60 * mm])
    return [
        *section("Outcome targets and progress"),
        data_table(["Line", "Fund", "Target (measure)", "Latest update"], rows, widths),
    ]


def fund_table_headings(fund: FundTable) -> list[str]:
    """The papers' headings, with ``Funding Received`` where money is still expected."""
    middle = ["Funding Received"] if fund.show_received else []
    return ["Description", "Amount Allocated", *middle, "Amount Spent to Date", "Balance Remaining"]


def _fund_section(fund: FundTable, pack: BudgetPack, width: float) -> list[Flowable]:
    s = styles.STYLES
    headings = fund_table_headings(fund)
    money = len(headings) - 1
    rows: list[list[Cell]] = []
    for row in fund.rows:
        rows.append([row.description, row.allocated, *([None] if fund.show_received else []), row.spent, row.balance])
    total: list[Cell] = [
        "Total",
        fund.total_allocated,
        *([fund.received] if fund.show_received else []),
        fund.total_spent,
        fund.total_balance,
    ]
    widths = split_widths(width, [None, *([MONEY_WIDTH] * money)])
    funding = (
        f"Funding {gbp(fund.amount)} ({fund.amount_status.replace('_', ' ')}); received {gbp(fund.received)}"
        + (f"; {gbp(fund.expected)} still expected" if fund.expected else "")
        + f"; allocated {gbp(fund.total_allocated)}"
        + (f"; unallocated {gbp(fund.unallocated)}" if fund.unallocated else "")
        + f". Figures as at {long_date(pack.as_at)}."
    )
    story: list[Flowable] = [
        *section(fund.title),
        Paragraph(markup(funding), s.body),
    ]
    if fund.rows:
        story.append(data_table(headings, rows, widths, money_columns=range(1, money + 1), total=total))
    else:
        story.append(Paragraph("No budget lines are recorded for this fund.", s.body))
    if fund.show_received:
        story.append(
            Paragraph(
                "Funding is received by the fund, not by line: the Total row shows the fund's receipts to date.",
                s.note,
            )
        )
    for note in fund.notes:
        story.append(Paragraph(markup(note), s.note))
    story += pending_section(fund.pending, width)
    if any(point.profile for point in fund.chart):
        story += [
            Paragraph(markup(f"Profile against actual, {fund.code} {fund.year}"), s.subheading),
            profile_chart(fund.chart, width),
        ]
    elif fund.rows:
        story.append(
            Paragraph(
                "No spend profile is recorded for this fund, so there is no profile-against-actual chart.", s.note
            )
        )
    story.append(Spacer(1, 4 * mm))
    return story


def pending_section(pending: tuple[PendingRow, ...], width: float) -> list[Flowable]:
    """Virements proposed and awaiting the Strategic Group at the as-at date: listed, not applied."""
    if not pending:
        return []
    s = styles.STYLES
    headings = ["From line", "To line", "Amount", "Proposed", "Reason"]
    rows: list[list[Cell]] = [
        [p.from_line, p.to_line, p.amount, p.proposed_on.strftime("%d/%m/%Y"), p.reason] for p in pending
    ]
    widths = split_widths(width, [None, None, MONEY_WIDTH, 22 * mm, None])
    return [
        Paragraph("Pending virements", s.subheading),
        Paragraph(
            "Proposed and awaiting the Strategic Group's decision: nothing has moved, and the figures above do "
            "not include them.",
            s.note,
        ),
        data_table(headings, rows, widths, money_columns=[2]),
    ]


def findings_section(findings: tuple[FindingRow, ...] | None, width: float, *, show_fund: bool) -> list[Flowable]:
    """The open compliance findings, errors first."""
    s = styles.STYLES
    story: list[Flowable] = section("Open findings")
    if findings is None:
        story.append(Paragraph("The compliance checks could not be run for this report.", s.body))
        return story
    if not findings:
        story.append(Paragraph("No open findings.", s.body))
        return story
    counts = {level: sum(1 for f in findings if f.severity == level) for level in ("error", "warning", "info")}
    story.append(
        Paragraph(
            markup(
                f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
                f"{plural(counts['info'], 'note')}."
            ),
            s.body,
        )
    )
    headings = ["Severity", "Rule", "Where", "Finding and what to do"]
    fixed: list[float | None] = [17 * mm, 32 * mm, 44 * mm, None]
    rows: list[list[Cell]] = []
    extra = []
    for index, finding in enumerate(findings, start=1):
        fund = f"{finding.fund} {finding.year}".strip() if show_fund else ""
        rows.append(
            [
                finding.severity.capitalize(),
                Noted(finding.code, finding.name.replace("-", " ")),
                Noted(finding.line or "(whole fund)", fund),
                Noted(finding.message, finding.accepted or finding.hint),
            ]
        )
        colour = styles.SEVERITY_COLOURS.get(finding.severity)
        if colour is not None:
            extra.append(styles.cell_fill(index, 0, colour))
    story.append(data_table(headings, rows, split_widths(width, fixed), extra=extra, banded=False))
    return story
