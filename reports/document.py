"""Story -> PDF bytes: page template with header and footer, "Page n of N", metadata, fixed dates.

``build_pdf(story, meta)`` lays out a list of flowables on A4 (portrait or landscape). The header names
the document, the partnership and the period; the footer gives the generated and as-at dates and
"Page n of N". The page count comes from a two-pass canvas: each page's drawing is kept until the
document ends, then the footers are finished knowing the total.

``meta.invariant`` makes the file reproducible byte for byte (reportlab's invariant mode: no random
document id) and the creation date written into the PDF is always ``meta.generated_at``, never the
clock: a submitted return, rendered from its frozen figures, regenerates identically.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from reports import styles
from reports.text import DEMO_MARK, long_date, short_datetime

CREATOR = "CSP funding tracker"
DEMO_COLOUR = colors.HexColor("#b3261e")


@dataclass(frozen=True)
class PdfMeta:
    """What the page furniture and the PDF's document information say."""

    title: str
    partnership: str
    period: str
    generated_at: datetime
    as_at: date
    author: str = CREATOR
    subject: str = ""
    status: str = ""  # e.g. "DRAFT" or "SUBMITTED", shown in the header
    landscape: bool = False
    invariant: bool = False
    demo: bool = False  # "Demo data" on every page

    @property
    def pagesize(self) -> tuple[float, float]:
        return styles.LANDSCAPE if self.landscape else styles.PORTRAIT


def _pdf_date(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        zone = "+00'00'"
    else:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        zone = f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    return f"D:{moment:%Y%m%d%H%M%S}{zone}"


def _canvas_class(meta: PdfMeta) -> type[Canvas]:
    """A canvas that holds every page until the end, then draws the footers with the page count."""
    furniture = styles.FURNITURE
    stamp = _pdf_date(meta.generated_at)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.setDateFormatter(lambda *_parts: stamp)

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_page_count(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _draw_page_count(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setFont(furniture.font, furniture.size)
            self.setFillColor(furniture.colour)
            self.drawRightString(width - styles.MARGIN, styles.FOOTER_GAP, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


def _furniture(meta: PdfMeta) -> Any:
    furniture = styles.FURNITURE
    left_footer = f"Generated {short_datetime(meta.generated_at)}  ·  Figures as at {long_date(meta.as_at)}"

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        top = height - styles.HEADER_GAP
        canvas.setFont(furniture.font_bold, furniture.size + 0.5)
        canvas.setFillColor(furniture.accent)
        canvas.drawString(styles.MARGIN, top, meta.partnership)
        canvas.setFont(furniture.font, furniture.size + 0.5)
        canvas.setFillColor(furniture.colour)
        right = f"{meta.title}  ·  {meta.period}" + (f"  ·  {meta.status}" if meta.status else "")
        canvas.drawRightString(width - styles.MARGIN, top, right)
        canvas.setStrokeColor(furniture.rule)
        canvas.setLineWidth(furniture.rule_width)
        canvas.line(styles.MARGIN, top - 2.5 * mm, width - styles.MARGIN, top - 2.5 * mm)
        bottom = styles.FOOTER_GAP
        canvas.line(styles.MARGIN, bottom + 3.5 * mm, width - styles.MARGIN, bottom + 3.5 * mm)
        canvas.setFont(furniture.font, furniture.size)
        canvas.drawString(styles.MARGIN, bottom, left_footer)
        if meta.demo:
            canvas.setFont(furniture.font_bold, furniture.size + 2)
            canvas.setFillColor(DEMO_COLOUR)
            canvas.drawCentredString(width / 2, top + 4.5 * mm, DEMO_MARK)
            canvas.drawCentredString(width / 2, bottom - 4.5 * mm, DEMO_MARK)
        canvas.restoreState()

    return draw


def frame_width(meta: PdfMeta) -> float:
    """The width a story's tables may use."""
    return meta.pagesize[0] - 2 * styles.MARGIN


def build_pdf(story: Sequence[Flowable], meta: PdfMeta) -> bytes:
    """Lay out ``story`` and return the PDF's bytes."""
    buffer = io.BytesIO()
    width, height = meta.pagesize
    doc = BaseDocTemplate(
        buffer,
        pagesize=meta.pagesize,
        leftMargin=styles.MARGIN,
        rightMargin=styles.MARGIN,
        topMargin=styles.MARGIN + 4 * mm,
        bottomMargin=styles.MARGIN + 2 * mm,
        title=meta.title + (f" – {meta.period}" if meta.period else ""),
        author=meta.author,
        subject=meta.subject or f"{meta.partnership}, {meta.period}",
        creator=CREATOR,
        producer=CREATOR,
        invariant=1 if meta.invariant else 0,
        lang="en-GB",
        displayDocTitle=1,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        width - doc.leftMargin - doc.rightMargin,
        height - doc.topMargin - doc.bottomMargin,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_furniture(meta))])
    doc.build(list(story), canvasmaker=_canvas_class(meta))
    return buffer.getvalue()
