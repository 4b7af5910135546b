"""The "Budget / Resource Implications" paragraph of the quarterly report template, per strategic priority.

In the partnership's papers every priority report said "N/A" for budget while discussing funded work;
this writes the paragraph from the figures instead: allocated, spent, balance, and the lines behind
their spend profile (amber beyond 10% behind, red beyond 25%, as rule PRF001).
"""

from __future__ import annotations

from reports.model import PriorityFigures
from reports.text import gbp, percent, plural

MAX_NAMED = 5


def implications_text(figures: PriorityFigures) -> str:
    """One paragraph of plain text (no markup) for a priority."""
    year = f" in {figures.year}" if figures.year else ""
    subject = "this priority" if figures.priority else "lines with no strategic priority"
    if figures.lines == 0 or not figures.allocated:
        return f"No money is allocated to {subject}{year}."
    funds = ", ".join(figures.funds)
    parts = [
        f"{gbp(figures.allocated)} is allocated to {subject}{year} across "
        f"{plural(figures.lines, 'budget line')} ({funds}).",
    ]
    share = percent(figures.spent, figures.allocated)
    parts.append(
        f"{gbp(figures.spent)} ({share}) has been spent to date, leaving {gbp(figures.balance)}."
        if figures.balance >= 0
        else f"{gbp(figures.spent)} ({share}) has been spent to date: {gbp(-figures.balance)} more than allocated."
    )
    if not figures.behind:
        parts.append("No line is behind its spend profile.")
    else:
        named = [
            f"{line.description}"
            + (f" ({line.delivery_partner})" if line.delivery_partner else "")
            + f", {gbp(line.shortfall)} behind ({line.rag.lower()})"
            for line in figures.behind[:MAX_NAMED]
        ]
        more = len(figures.behind) - MAX_NAMED
        tail = f"; and {plural(more, 'other line')}" if more > 0 else ""
        verb = "is" if len(figures.behind) == 1 else "are"
        parts.append(
            f"{plural(len(figures.behind), 'line')} {verb} behind the spend profile: " + "; ".join(named) + tail + "."
        )
    return " ".join(parts)
