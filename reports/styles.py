"""The one stylesheet of every PDF the tracker makes: page sizes, fonts, colours, paragraph and table styles.

Builders take named styles from here and never set a font, size or colour themselves. The standard
PDF fonts (Helvetica) are used: they need no embedding and carry "£", "é" and "–" in WinAnsi.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

# -- page --------------------------------------------------------------------------------------------
PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 16 * mm
HEADER_GAP = 10 * mm  # from the top edge to the header's baseline
FOOTER_GAP = 9 * mm  # from the bottom edge to the footer's baseline

# -- fonts --------------------------------------------------------------------------------------------
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"
BODY_SIZE = 9
SMALL_SIZE = 7.5

# -- colours ------------------------------------------------------------------------------------------
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1F3A5F")  # headings and heading rows
RULE = colors.HexColor("#9AA5B1")
BAND = colors.HexColor("#F2F4F7")  # alternate rows
TOTAL_FILL = colors.HexColor("#DDE3EA")
WHITE = colors.white
RAG_COLOURS = {
    "Red": colors.HexColor("#F4C7C3"),
    "Amber": colors.HexColor("#FCE8B2"),
    "Green": colors.HexColor("#C9E7CD"),
}
SEVERITY_COLOURS = {"error": RAG_COLOURS["Red"], "warning": RAG_COLOURS["Amber"], "info": BAND}
CHART_PROFILE = colors.HexColor("#8DA2BB")
CHART_ACTUAL = colors.HexColor("#C0504D")
CHART_GRID = colors.HexColor("#D9D9D9")


def _para(name: str, **overrides: object) -> ParagraphStyle:
    base: dict[str, object] = {"fontName": FONT, "fontSize": BODY_SIZE, "leading": BODY_SIZE * 1.25, "textColor": INK}
    base.update(overrides)
    return ParagraphStyle(name, **base)


@dataclass(frozen=True)
class Styles:
    """Named paragraph styles."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    status: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_money: ParagraphStyle
    cell_money_bold: ParagraphStyle
    cell_centre: ParagraphStyle
    heading_cell: ParagraphStyle
    heading_cell_money: ParagraphStyle
    hint_cell: ParagraphStyle
    label_cell: ParagraphStyle


STYLES = Styles(
    title=_para("title", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceAfter=4),
    subtitle=_para("subtitle", fontSize=10, leading=13, textColor=MUTED, spaceAfter=8),
    heading=_para(
        "heading",
        fontName=FONT_BOLD,
        fontSize=12,
        leading=15,
        textColor=ACCENT,
        spaceBefore=10,
        spaceAfter=5,
    ),
    subheading=_para(
        "subheading",
        fontName=FONT_BOLD,
        fontSize=10,
        leading=13,
        textColor=ACCENT,
        spaceBefore=6,
        spaceAfter=3,
        keepWithNext=1,
    ),
    body=_para("body", spaceAfter=4),
    note=_para(
        "note",
        fontName=FONT_ITALIC,
        fontSize=SMALL_SIZE,
        leading=SMALL_SIZE * 1.3,
        textColor=MUTED,
        spaceBefore=2,
        spaceAfter=4,
    ),
    status=_para("status", fontName=FONT_BOLD, fontSize=10, leading=13, textColor=ACCENT, spaceAfter=6),
    cell=_para("cell", fontSize=8.5, leading=10.5),
    cell_bold=_para("cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
    cell_money=_para("cell_money", fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
    cell_money_bold=_para("cell_money_bold", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
    cell_centre=_para("cell_centre", fontSize=8.5, leading=10.5, alignment=TA_CENTER),
    heading_cell=_para(
        "heading_cell", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, textColor=WHITE, alignment=TA_LEFT
    ),
    heading_cell_money=_para(
        "heading_cell_money", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, textColor=WHITE, alignment=TA_RIGHT
    ),
    hint_cell=_para("hint_cell", fontName=FONT_ITALIC, fontSize=8, leading=10, textColor=MUTED),
    label_cell=_para("label_cell", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, textColor=ACCENT),
)


MIN_SECTION_SPACE = 45 * mm  # a heading starts a new page when less than this is left below it


# -- header and footer (drawn on the canvas by reports.document) ------------------------------------
@dataclass(frozen=True)
class PageFurniture:
    font: str = FONT
    font_bold: str = FONT_BOLD
    size: float = SMALL_SIZE
    colour: colors.Color = MUTED
    accent: colors.Color = ACCENT
    rule: colors.Color = RULE
    rule_width: float = 0.5


FURNITURE = PageFurniture()


# -- table styles ------------------------------------------------------------------------------------
def money_table_style(rows: int, *, total: bool, banded: bool = True) -> TableStyle:
    """A financial table: heading row, optional banding, a total row kept with the row before it.

    ``rows`` counts every row including the heading and the total.
    """
    commands: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    last_body = rows - 2 if total else rows - 1
    if banded and last_body >= 1:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, last_body), [WHITE, BAND]))
    if total and rows >= 2:
        commands += [
            ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
            ("LINEABOVE", (0, -1), (-1, -1), 1, ACCENT),
            ("LINEBELOW", (0, -1), (-1, -1), 1, ACCENT),
        ]
        if rows >= 3:
            # never leave the total row alone at the top of a page
            commands.append(("NOSPLIT", (0, -2), (-1, -1)))
    return TableStyle(commands)


def key_value_style() -> TableStyle:
    """A two-column block of labelled figures (the return's summary, the sign-off block)."""
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
    )


def signature_style() -> TableStyle:
    """The sign-off block: labels over tall boxes to sign in."""
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (-1, -1), 0.5, RULE),
            ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
            ("BACKGROUND", (0, 0), (-1, 0), BAND),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ]
    )


def cell_fill(row: int, column: int, colour: colors.Color) -> tuple[object, ...]:
    """A background command for one cell (RAG and severity cells)."""
    return ("BACKGROUND", (column, row), (column, row), colour)
