"""What a blank import template holds: the headings each import reads, and notes on filling it in.

The headings are the importers' own (the first way of writing each column), so a template filled
with a table imports as it is. The notes are sentences, so no importer takes them for a table.
"""

from __future__ import annotations

from grants.imports.headings import BUDGET_HEADINGS, PLAN_HEADINGS, PROFILE_HEADINGS, SPEND_HEADINGS, HeadingSet

KINDS = ("budget", "spend", "profile", "plan")
_SETS: dict[str, tuple[HeadingSet, tuple[str, ...]]] = {
    "budget": (BUDGET_HEADINGS, ()),
    "spend": (SPEND_HEADINGS, ()),
    "profile": (PROFILE_HEADINGS, ("year", "quarter", "amount")),  # the wide layout: Line, Q1-Q4
    "plan": (PLAN_HEADINGS, ()),
}
SHEET_NAMES = {"budget": "Budget", "spend": "Spend", "profile": "Profile", "plan": "Action plan"}
NOTES: dict[str, tuple[str, ...]] = {
    "budget": (
        "Write one budget line a row under the headings; amounts in pounds, e.g. 1500 or £1,500.00.",
        "A Total row is checked against the lines, not imported as a line.",
        "A first row carrying the fund's name and its Funding Received, with the allocation cells blank, "
        "records the money received (write approx after an approximate amount).",
        "For several funds in one workbook, give each fund its own sheet named after it (for example PLF), or "
        "write the fund's name in a row above each table's headings.",
        "Delivery Partner, Strategic Priority, Area, Theme, Cohort and Capital/Revenue may be left blank.",
    ),
    "spend": (
        "Write one payment, refund or income a row: the date (for example 12/10/2023), the amount, and the "
        "budget line's description as the tracker shows it.",
        "Type is payment, refund or income; blank means payment (a negative amount is a refund).",
    ),
    "profile": (
        "Write one budget line a row with the amount planned for each quarter of the financial year: Q1 "
        "April to June, Q2 July to September, Q3 October to December, Q4 January to March.",
        "A blank quarter plans nothing.",
    ),
    "plan": (
        "Write one key action a row. Financial and Resource Implications: an amount (£1,000) becomes the "
        "action's allocation; officer time (Officer time £5,000) is noted on the line as in kind, not money; "
        "Ongoing or a blank cell is no allocation.",
        "Outcome Target and Performance Measure become the line's outcome target, which outcome updates "
        "report against.",
        "For several funds, give each fund its own sheet named after it, or write the fund's name in a row "
        "above each table's headings.",
    ),
}


def template_headings(kind: str) -> list[str]:
    """The headings of a template: each column the import reads, written the first way it knows."""
    if kind not in _SETS:
        raise ValueError(f"there is no {kind} template (there are: {', '.join(KINDS)})")
    headings, left_out = _SETS[kind]
    return [field.aliases[0] for name, field in headings.fields.items() if name not in left_out]
