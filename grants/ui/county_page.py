"""County view: the funder's table of every partnership and funding stream it funds, with the county's totals,
each return's state, and a drill-down to one partnership's return to accept or query it.

The figures are :mod:`grants.services.county_view`'s (the same engine as every report); the downloads are the
same files as ``report county``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from grants.domain.calendar import FinancialYear
from grants.services import county_view, received_returns, return_calendar, return_workflow, returns, usecase
from grants.ui import common, data, review_panel
from grants.ui.context import database

MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}

who = common.principal()
db = database()
as_at = common.as_at()
st.title("County view")
st.caption(
    "Every partnership and funding stream"
    + (" your organisation funds" if who.funder_id is not None else " you can see")
    + f", as at {common.uk_date(as_at)}: funding, spend, red lines, open errors and where each return stands."
)

years = sorted({s.fund.year for s in data.fund_summaries(who)}, key=lambda y: FinancialYear.parse(y).start_year)
if not years:
    st.info("No partnership's fund is visible to you yet.")
    st.stop()
current = FinancialYear.containing(as_at).label
year = st.selectbox(
    "Financial year",
    options=years[::-1],
    index=years[::-1].index(current) if current in years else 0,
    key="county_year",
)
view = data.county(who, year, as_at)
totals = view.totals

cols = common.columns(4)
cols[0].metric("Funding", common.gbp(totals.funding), help=f"Received {common.gbp(totals.received)}")
cols[1].metric(
    "Spent",
    common.gbp(totals.spent),
    help=f"{totals.percent_spent}% of funding" if totals.percent_spent is not None else None,
)
cols[2].metric("Red lines", f"{totals.red_lines}", help=f"{totals.open_errors} open error findings")
cols[3].metric("Returns overdue", f"{totals.overdue_returns}", help=f"{totals.queried_returns} queried")

rows: list[dict[str, Any]] = [
    {
        "Partnership": common.short_partnership(r.partnership),
        "Stream": f"{r.stream} · {r.fund}",
        "Funder": r.funder,
        "Funding": common.as_float(r.funding),
        "Received": common.as_float(r.received),
        "Allocated": common.as_float(r.allocated),
        "Spent": common.as_float(r.spent),
        "Spent %": float(r.percent_spent) if r.percent_spent is not None else None,
        "Projects": r.projects,
        "Red lines": r.red_lines,
        "Open errors": r.open_errors,
        "Returns": r.returns_text,
    }
    for r in view.rows
]
rows.append(
    {
        "Partnership": "County total",
        "Stream": f"{totals.partnerships} partnerships",
        "Funder": view.funder,
        "Funding": common.as_float(totals.funding),
        "Received": common.as_float(totals.received),
        "Allocated": common.as_float(totals.allocated),
        "Spent": common.as_float(totals.spent),
        "Spent %": float(totals.percent_spent) if totals.percent_spent is not None else None,
        "Projects": totals.projects,
        "Red lines": totals.red_lines,
        "Open errors": totals.open_errors,
        "Returns": f"{totals.overdue_returns} overdue; {totals.queried_returns} queried",
    }
)
table = pd.DataFrame(rows)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        **common.money_columns("Funding", "Received", "Allocated", "Spent"),
        "Spent %": st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100, width="small"),
        "Stream": st.column_config.TextColumn(width=common.fit_width(table["Stream"], most=300)),
        "Funder": st.column_config.TextColumn(width=common.fit_width(table["Funder"], most=300)),
        "Returns": st.column_config.TextColumn(width=common.fit_width(table["Returns"], most=420)),
    },
    row_height=common.TWO_LINES,
)

download = common.columns(3)
for column, fmt, label in zip(download, ("pdf", "xlsx", "csv"), ("PDF", "Excel", "CSV"), strict=True):

    def make(fmt: str = fmt) -> bytes:
        return county_view.render_county(view, fmt, generated_at=common.now())

    column.download_button(
        f"Download ({label})",
        data=make,
        file_name=f"county-view-{year.replace('/', '-')}.{fmt}",
        mime=MIME[fmt],
        key=f"county_{fmt}",
        on_click="ignore",
        icon=":material/download:",
    )

received = usecase.read(db, who, received_returns.received_summaries, year=year)
if received:
    st.subheader("Returns received as packages")
    st.caption("From partnerships that keep their own tracker: the return as it came, checked against its manifest.")
    by_id = {r.id: r for r in received}
    picked = by_id[
        int(
            st.selectbox(
                "Received return",
                options=list(by_id),
                format_func=lambda i: (
                    f"{by_id[i].partnership} · {by_id[i].fund_code} {by_id[i].period} (version {by_id[i].version})"
                ),
                key="county_received",
            )
            or 0
        )
    ]
    st.markdown(
        f"Submitted {common.md(picked.submitted_on)} · the funder's review: **{common.md(picked.review or 'not yet')}**"
    )

    def received_file(received_id: int = picked.id) -> bytes:
        return usecase.read(db, who, received_returns.received_pdf, received_id)

    st.download_button(
        "Download the received return (PDF)",
        data=received_file,
        file_name=f"received-return-{picked.id}.pdf",
        mime=MIME["pdf"],
        key="county_received_pdf",
        on_click="ignore",
        icon=":material/download:",
    )
    if who.can_review and not who.local and picked.review != "accepted":
        with st.form("received_review_form"):
            comment = st.text_area("Comment (required to query)", key="received_comment", max_chars=2000)
            accept, query = common.columns(2)
            if accept.form_submit_button("Accept the received return", type="primary", icon=":material/task_alt:"):
                with common.saving("Received return accepted"):
                    usecase.perform(db, who, received_returns.review_received, picked.id, "accepted", comment)
            if query.form_submit_button("Query the received return", icon=":material/help:"):
                with common.saving("Query recorded: send it to the partnership with their return"):
                    usecase.perform(db, who, received_returns.review_received, picked.id, "queried", comment)

st.subheader("A partnership's return")
local = [r for r in view.rows if r.fund_id is not None]
if not local:
    st.info("No fund of this tracker in this view has a return to review.")
    st.stop()
labels = {r.fund_id: f"{r.partnership} · {r.stream} {view.year}" for r in local}
chosen_fund = st.selectbox("Partnership and stream", options=list(labels), format_func=lambda i: labels[i])
fund = data.fund(who, int(chosen_fund or 0))
fund_id = int(fund.id or 0)
periods = return_calendar.return_periods(fund)
if not periods:
    st.info("This fund makes no periodic return.")
    st.stop()
period = st.radio("Period", options=periods, horizontal=True, key="county_period")
state = usecase.read(db, who, return_workflow.return_state, fund_id, period)
stored_view = usecase.read(db, who, returns.return_view, fund_id, period)
st.markdown(
    f"**{common.md(stored_view.period)}** · due {common.uk_date(stored_view.due_on)} · "
    f"{common.md(state['state'])}"
    + (f" · the funder's review: **{common.md(state['review'])}**" if state.get("review") else "")
)
if stored_view.frozen:

    def submitted_pdf() -> bytes:
        return usecase.read(db, who, returns.version_pdf, fund_id, period)

    st.download_button(
        "Download the return as submitted (PDF)",
        data=submitted_pdf,
        file_name=f"opcc-return-{fund.code}-{fund.year.replace('/', '-')}-{period}.pdf",
        mime=MIME["pdf"],
        key="county_return_pdf",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
review_panel.show(
    who,
    db,
    fund_id,
    period,
    status=stored_view.status,
    review=str(state.get("review", "")),
    key=f"county_{fund.id}_{period}",
)
