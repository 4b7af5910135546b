"""The partnership's printed tables, as fixture rows: several funds in one file, and an action plan.

The PLF 2017/18 lines and totals are the real table printed on 26/10/2017. The Youth Prevention
and Diversion fund's "£15,000 approx" heading row is printed in the papers; its lines here are
illustrative (the papers do not print them). The action plan's costs ("Officer time £5,000",
"£1000", "Ongoing") are as printed; its actions, targets and measures are illustrative.
"""

from __future__ import annotations

from decimal import Decimal

from tests.imports.conftest import CHARNWOOD_HEADING, CHARNWOOD_LINES, CHARNWOOD_TOTAL

BUDGET_HEADING = ["Description", "Funding Received", "Amount Allocated", "Amount Spent to Date", "Balance Remaining"]
PLF_HEADING_ROW = ["Partnership Locality Fund", "£75,500", "", "", ""]
CI_HEADING_ROW = ["Youth Prevention and Diversion", "£15,000 approx", "", "", ""]
CI_LINES = [  # illustrative
    ["Deter Young Offenders mentoring", "", "£9,000", "£2,250.50", "£6,749.50"],
    ["First-time entrants diversion sessions", "", "£6,000", "£1,180.44", "£4,819.56"],
]
CI_TOTAL = ["Total", "", "£15,000.00", "£3,430.94", "£11,569.06"]


def plf_rows_with_received() -> list[list[str]]:
    """The Charnwood PLF table under headings with a Funding Received column, the fund's own row first."""
    return [
        list(BUDGET_HEADING),
        list(PLF_HEADING_ROW),
        *[[description, "", allocated, spent, balance] for description, allocated, spent, balance in CHARNWOOD_LINES],
        ["Total", "", *CHARNWOOD_TOTAL[1:]],
    ]


def ci_rows() -> list[list[str]]:
    return [list(BUDGET_HEADING), list(CI_HEADING_ROW), *[list(r) for r in CI_LINES], list(CI_TOTAL)]


def stacked_rows() -> list[list[str]]:
    """Both funds in one sheet, one table after the other, each under a title naming its fund."""
    return [
        ["The funds currently received by the CSP are:"],
        ["Partnership Locality Fund 2017/18"],
        list(CHARNWOOD_HEADING),
        *[list(line) for line in CHARNWOOD_LINES],
        list(CHARNWOOD_TOTAL),
        [],
        ["Youth Prevention and Diversion 2017/18"],
        *ci_rows(),
    ]


PLAN_HEADING = [
    "Key Action",
    "Lead Agency",
    "Time Scales",
    "Financial and Resource Implications",
    "Outcome Target",
    "Performance Measure",
]
PLAN_ROWS = [  # the costs as printed; the rest illustrative
    ["Priority 2: Reduce harm caused by youth ASB and youth crime"],
    [
        "Youth outreach in Loughborough town centre",
        "Go-Getta",
        "April 2023 - March 2024",
        "Officer time £5,000",
        "Reduce youth ASB in NL62 by 10%",
        "Police ASB incidents in NL62",
    ],
    [
        "Diversionary sports sessions",
        "Love4Life",
        "Quarterly",
        "£1000",
        "40 young people engaged",
        "Attendance registers",
    ],
    ["Multi-agency problem solving group", "Charnwood Borough Council", "Ongoing", "Ongoing", "", ""],
    ["Bike marking events", "Leicestershire Police", "Summer 2023", "£2,500 plus officer time", "", "Bikes marked"],
]
PLAN_MONEY = Decimal("3500.00")
