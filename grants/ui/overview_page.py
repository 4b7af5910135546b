"""Overview: each fund's money as at the chosen date, its spend against profile and its worst finding.

Two ideas, two words: "Against profile" (Green, Amber, Red, No profile: spend against the profile to date,
as the pack and the return rate it) and "Worst finding" (Error, Warning, None: the most serious open
compliance finding on the fund). The figures are ``grants.figures``'s, as in every report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from grants.domain.calendar import FinancialYear
from grants.ui import common, data
from grants.ui.navigation import can_open

ZERO = Decimal("0.00")
COMPLIANCE = "grants/ui/compliance_page.py"


def severities_by_fund(findings: Sequence[Any]) -> dict[object, set[str]]:
    """The severities found per fund (by id, and by partnership, code and year), in one pass."""
    found: dict[object, set[str]] = defaultdict(set)
    for finding in findings:
        if getattr(finding, "fund_id", None) is not None:
            found[finding.fund_id].add(finding.severity.value)
        found[(finding.partnership, finding.fund, finding.year)].add(finding.severity.value)
    return found


def worst_finding(severities: dict[object, set[str]], summary: data.FundSummary) -> str:
    """The most serious open finding on the fund: Error, Warning, or None."""
    fund = summary.fund
    ranks = severities.get(fund.id, set()) | severities.get((summary.partnership, fund.code, fund.year), set())
    return "Error" if "error" in ranks else "Warning" if "warning" in ranks else "None"


def chart(points: list[Any], as_at: date) -> alt.LayerChart:
    """Cumulative spend (steps on the days money moved) over the cumulative profile (accruing by day)."""
    frame = pd.DataFrame(
        [
            {"Date": p.day, "Series": p.series, "Amount": common.as_float(p.amount), "Label": common.gbp(p.amount)}
            for p in points
        ]
    )
    frame["Date"] = pd.to_datetime(frame["Date"])
    colours = alt.Scale(domain=["Profile", "Spend"], range=["#8c96a3", "#1f6fb2"])
    base = alt.Chart(frame).encode(
        x=alt.X("Date:T", title=None, axis=alt.Axis(format="%b %Y")),
        y=alt.Y("Amount:Q", title="Cumulative £", axis=alt.Axis(format=",.0f")),
        color=alt.Color("Series:N", scale=colours, legend=alt.Legend(orient="top", title=None)),
        tooltip=[
            alt.Tooltip("Series:N"),
            alt.Tooltip("Date:T", format="%d/%m/%Y"),
            alt.Tooltip("Label:N", title="Cumulative"),
        ],
    )
    profile = base.transform_filter(alt.datum.Series == "Profile").mark_line(strokeDash=[6, 4], strokeWidth=2)
    spend = base.transform_filter(alt.datum.Series == "Spend").mark_line(interpolate="step-after", strokeWidth=3)
    today = (
        alt.Chart(pd.DataFrame({"Date": [pd.Timestamp(as_at)], "Label": [f"As at {common.uk_date(as_at)}"]}))
        .mark_rule(color="#c0392b", strokeDash=[2, 2])
        .encode(x="Date:T", tooltip=[alt.Tooltip("Label:N", title="")])
    )
    return alt.LayerChart(layer=[profile, spend, today], height=320)


@st.cache_data(ttl=data.TTL, show_spinner=False)
def chart_spec(version: Any, principal: Any, fund_id: int, as_at: date) -> dict[str, Any] | None:
    """The chart as a Vega-Lite spec, built and validated once per data version of the fund (Altair's
    validation is the slow part)."""
    points = data.spend_against_profile(principal, fund_id, as_at)
    if not any(p.series == "Profile" for p in points):
        return None
    spec: dict[str, Any] = chart(points, as_at).to_dict()
    return spec


who = common.principal()
as_at = common.as_at()
st.title("Overview")

all_funds = data.fund_summaries(who)
if not all_funds:
    if who.is_admin:
        st.info("No funds yet. Managers add funds on the Funds page; grant them partnerships on the Admin page.")
    else:
        st.info(
            "There are no funds in your partnerships yet. A Community Safety Manager can add one on the Funds page."
        )
    st.stop()

years = sorted({s.fund.year for s in all_funds}, key=lambda y: FinancialYear.parse(y).start_year, reverse=True)
current = FinancialYear.containing(as_at).label
year = st.selectbox(
    "Financial year", options=years, index=years.index(current) if current in years else 0, key="overview_year"
)
funds = data.fund_summaries(who, year, as_at)
findings = data.findings(who, as_at)
severities = severities_by_fund(findings)

st.caption(f"As at {common.uk_date(as_at)} · {len(funds)} fund(s) in {year}")
received = sum((s.received for s in funds), ZERO)
allocated = sum((s.allocated for s in funds), ZERO)
spent = sum((s.spent for s in funds), ZERO)
cols = common.columns(4)
cols[0].metric(
    "Funding",
    common.gbp(sum((s.figures.funding for s in funds), ZERO)),
    help="Each fund's award, or its receipts if they total more",
)
cols[1].metric("Received", common.gbp(received))
cols[2].metric("Allocated", common.gbp(allocated))
cols[3].metric("Spent", common.gbp(spent), help=f"Balance {common.gbp(allocated - spent)}")

many = len({s.partnership for s in funds}) > 1
rows = []
for s in funds:
    row: dict[str, Any] = {
        "Against profile": s.figures.rag,
        "Worst finding": worst_finding(severities, s),
        "Fund": f"{s.fund.code} · {s.fund.name}",
        "Funding": common.as_float(s.figures.funding),
        "Status": s.fund.amount_status.value.replace("_", " "),
        "Received": common.as_float(s.received),
        "Allocated": common.as_float(s.allocated),
        "Spent": common.as_float(s.spent),
        "Balance": common.signed_money(s.balance),
        "Unallocated": common.signed_money(s.unallocated),
        "Spent %": float(s.spent / s.allocated * 100) if s.allocated else None,
    }
    if many:
        row = {"Partnership": common.short_partnership(s.partnership), **row}
    rows.append(row)
table, rag_column = common.pills(pd.DataFrame(rows), "Against profile", "Worst finding")
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        **rag_column,
        **common.money_columns("Funding", "Received", "Allocated", "Spent", signed=("Balance", "Unallocated")),
        "Spent %": st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100, width="small"),
        "Status": st.column_config.TextColumn(width=96),
        "Fund": st.column_config.TextColumn(width=230),
    },
    row_height=common.TWO_LINES,  # a long fund name or status wraps onto a second line rather than being cut short
)
left, right = st.columns([3, 2], gap="large")
with left:
    chosen = common.fund_id()
    in_year = {int(s.fund.id or 0): s for s in funds}
    if chosen not in in_year:
        chosen = next(iter(in_year))
    summary = in_year[chosen]
    st.subheader(f"Spend against profile · {common.md(summary.fund.code)} {summary.fund.year}")
    spec = chart_spec(data.fund_version(chosen), who, chosen, as_at)
    if spec is not None:
        st.vega_lite_chart(spec, width="stretch")
        st.caption(
            "Cumulative spend (solid) against the cumulative spend profile (dashed). Choose the fund in the sidebar."
        )
    else:
        st.info("This fund has no spend profile yet: add one on Profiles and outcomes.")

with right:
    st.subheader("Needs attention first")
    urgent = [f for f in findings if f.year == year and f.severity.value in ("error", "warning")][:6]
    if not urgent:
        st.success(f"No errors or warnings for {year}.", icon=":material/check_circle:")
    for finding in urgent:
        icon = common.SEVERITY_ICONS.get(finding.severity.value, "")
        with st.container(border=True):
            st.markdown(
                f"{icon} **{finding.code} {finding.name}** · "
                + " · ".join(common.md(x) for x in (finding.fund, finding.line) if x)
            )
            st.caption(common.md(finding.message))
    if can_open(who.role, COMPLIANCE):
        st.page_link(COMPLIANCE, label="All findings", icon=":material/rule:")
