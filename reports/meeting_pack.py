"""The strategic group's meeting pack: the budget tables as at the meeting, what changed since the last
meeting, the findings summary and the Budget / Resource Implications paragraph per strategic priority.

The PDF is the budget pack (findings at a glance first, findings by line in the appendix) with a
"Changed since the last meeting" section after the findings summary; the workbook is the budget pack's
workbook with a "Changes" sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from reports import styles
from reports.budget_pack import budget_pack_story
from reports.document import PdfMeta, build_pdf, frame_width
from reports.model import ZERO, BudgetPack
from reports.tables import Cell, data_table, section, split_widths
from reports.text import gbp, long_date, markup, plural
from reports.workbook import HEADING, HEADING_MONEY, NOTE, TITLE, budget_pack_workbook, put_money, put_text, sheet_title

TITLE_TEXT = "Meeting pack"
MONEY_WIDTH = 27 * mm


@dataclass(frozen=True)
class LineChange:
    """A line added, removed or re-allocated between the two meetings."""

    fund: str  # "PLF 2026/27"
    description: str
    change: str  # "added", "removed" or "amount changed"
    before: Decimal | None
    after: Decimal | None


@dataclass(frozen=True)
class VirementSince:
    """Money moved (or proposed to move) between two lines since the last meeting."""

    fund: str
    from_line: str
    to_line: str
    amount: Decimal
    moved_on: date
    status: str


@dataclass(frozen=True)
class SpendSince:
    """A line's net spend (payments less refunds) since the last meeting."""

    fund: str
    description: str
    amount: Decimal


@dataclass(frozen=True)
class MeetingPack:
    """Everything a strategic group meeting's pack shows."""

    meeting_on: date
    since: date | None  # the last meeting's date; None when no earlier meeting is recorded
    budget: BudgetPack  # as at the meeting date
    line_changes: tuple[LineChange, ...] = ()
    virements: tuple[VirementSince, ...] = ()
    spend_since: tuple[SpendSince, ...] = ()

    @property
    def partnership(self) -> str:
        return self.budget.partnership

    @property
    def total_spend_since(self) -> Decimal:
        return sum((s.amount for s in self.spend_since), ZERO)

    @property
    def since_text(self) -> str:
        return f"since the last meeting ({long_date(self.since)})" if self.since else "since the last meeting"


def meeting_pack_meta(pack: MeetingPack, *, invariant: bool = False) -> PdfMeta:
    budget = pack.budget
    return PdfMeta(
        title=TITLE_TEXT,
        partnership=budget.partnership,
        period=budget.year,
        generated_at=budget.generated_at,
        as_at=budget.as_at,
        author=budget.prepared_by or budget.partnership,
        subject=f"Strategic Group meeting of {long_date(pack.meeting_on)}: budget tables, changes and findings",
        invariant=invariant,
        demo=budget.demo,
    )


def meeting_pack_pdf(pack: MeetingPack, *, invariant: bool = False) -> bytes:
    meta = meeting_pack_meta(pack, invariant=invariant)
    width = frame_width(meta)
    story = budget_pack_story(
        pack.budget,
        width,
        title=f"Strategic Group meeting, {long_date(pack.meeting_on)}",
        after_summary=changes_section(pack, width),
    )
    return build_pdf(story, meta)


def changes_section(pack: MeetingPack, width: float) -> list[Flowable]:
    """Lines added, amounts changed, virements and spend since the last meeting."""
    s = styles.STYLES
    story: list[Flowable] = section("Changed " + pack.since_text)
    if pack.since is None:
        story.append(
            Paragraph(
                "No earlier meeting pack is recorded, so there is nothing to compare with: the tables that "
                "follow are the figures as at this meeting.",
                s.body,
            )
        )
        return story
    story.append(
        Paragraph(
            markup(
                f"Between {long_date(pack.since)} and {long_date(pack.meeting_on)}: "
                f"{plural(len(pack.line_changes), 'line')} added, removed or re-allocated; "
                f"{plural(len(pack.virements), 'virement')}; {gbp(pack.total_spend_since)} spent."
            ),
            s.body,
        )
    )
    story.append(Paragraph("Lines added, removed or re-allocated", s.subheading))
    if pack.line_changes:
        rows: list[list[Cell]] = [[c.description, c.fund, c.change, c.before, c.after] for c in pack.line_changes]
        widths = split_widths(width, [None, 24 * mm, 28 * mm, MONEY_WIDTH, MONEY_WIDTH])
        story.append(data_table(["Line", "Fund", "Change", "Before", "Now"], rows, widths, money_columns=(3, 4)))
    else:
        story.append(Paragraph("No line was added, removed or re-allocated.", s.body))
    story.append(Paragraph("Virements", s.subheading))
    if pack.virements:
        moves: list[list[Cell]] = [
            [v.from_line, v.to_line, v.fund, v.moved_on.strftime("%d/%m/%Y"), v.status, v.amount]
            for v in pack.virements
        ]
        widths = split_widths(width, [None, None, 24 * mm, 20 * mm, 20 * mm, MONEY_WIDTH])
        story.append(data_table(["From", "To", "Fund", "Date", "Status", "Amount"], moves, widths, money_columns=(5,)))
    else:
        story.append(Paragraph("No money was moved between lines.", s.body))
    story.append(Paragraph("Spend " + pack.since_text, s.subheading))
    if pack.spend_since:
        spent: list[list[Cell]] = [[x.description, x.fund, x.amount] for x in pack.spend_since]
        widths = split_widths(width, [None, 24 * mm, MONEY_WIDTH])
        total: list[Cell] = ["Total", "", pack.total_spend_since]
        story.append(data_table(["Line", "Fund", "Spent"], spent, widths, money_columns=(2,), total=total))
    else:
        story.append(Paragraph("Nothing was spent.", s.body))
    return story


def meeting_pack_workbook(pack: MeetingPack) -> bytes:
    """The budget pack's workbook with a "Changes" sheet."""

    def changes(book: Workbook, taken: set[str]) -> None:
        sheet = book.create_sheet(sheet_title("Changes", taken), 1)
        put_text(sheet, 1, 1, "Changed " + pack.since_text, TITLE)
        row = 3
        if pack.since is None:
            put_text(sheet, row, 1, "No earlier meeting pack is recorded, so there is nothing to compare with.", NOTE)
            return
        sections: list[tuple[str, list[str], list[list[str | Decimal | None]], set[int]]] = [
            (
                "Lines added, removed or re-allocated",
                ["Line", "Fund", "Change", "Before", "Now"],
                [[c.description, c.fund, c.change, c.before, c.after] for c in pack.line_changes],
                {4, 5},
            ),
            (
                "Virements",
                ["From", "To", "Fund", "Date", "Status", "Amount"],
                [[v.from_line, v.to_line, v.fund, v.moved_on.isoformat(), v.status, v.amount] for v in pack.virements],
                {6},
            ),
            (
                "Spend " + pack.since_text,
                ["Line", "Fund", "Spent"],
                [[x.description, x.fund, x.amount] for x in pack.spend_since],
                {3},
            ),
        ]
        for title, headings, rows, money in sections:
            put_text(sheet, row, 1, title, HEADING)
            row += 1
            for column, heading in enumerate(headings, start=1):
                put_text(sheet, row, column, heading, HEADING_MONEY if column in money else HEADING)
            for values in rows:
                row += 1
                for column, value in enumerate(values, start=1):
                    if isinstance(value, Decimal):
                        put_money(sheet, row, column, value)
                    elif value is not None:
                        put_text(sheet, row, column, value)
            if not rows:
                row += 1
                put_text(sheet, row, 1, "None.", NOTE)
            row += 2
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 32

    return budget_pack_workbook(pack.budget, extra=changes)
