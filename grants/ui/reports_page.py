"""Reports and returns: the budget pack, the OPCC return (download, submit), 360Giving, the return calendar."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from grants.domain.calendar import FinancialYear
from grants.services import giving_export, reporting, return_calendar, returns, usecase
from grants.ui import common, data, return_panel
from grants.ui.context import database
from grants.ui.meeting_section import meeting_section

STATE_LABELS = {
    "submitted": "submitted",
    "overdue": "overdue",
    "due soon": "due soon",
    "open": "period running",
    "upcoming": "upcoming",
}
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
}


def status_words(status: str) -> str:
    """A return's status as words ("signed off", not "signed_off")."""
    return status.replace("_", " ")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


who = common.principal()
db = database()
as_at = common.as_at()
st.title("Reports and returns")

visible = data.partnerships(who)
if not visible:
    st.info("You have no partnerships to report on.")
    st.stop()

calendar_tab, pack_tab, return_tab, giving_tab = st.tabs(["Return calendar", "Budget pack", "OPCC return", "360Giving"])

with calendar_tab:
    years = sorted(
        {s.fund.year for s in data.fund_summaries(who)}, key=lambda y: FinancialYear.parse(y).start_year, reverse=True
    )
    this_year = FinancialYear.containing(as_at).label
    year = st.selectbox(
        "Financial year", options=years, index=years.index(this_year) if this_year in years else 0, key="calendar_year"
    )
    return_panel.year_controls(who, db, visible, str(year))
    entries = data.return_calendar_entries(who, year)
    if not entries:
        st.info("No returns fall due for these funds.")
    else:
        states = [e.state(as_at) for e in entries]
        late = states.count("overdue")
        soon = states.count("due soon")
        if late:
            st.error(f"{late} return(s) overdue as at {common.uk_date(as_at)}.", icon=":material/alarm:")
        elif soon:
            st.warning(f"{soon} return(s) due within 30 days.", icon=":material/event:")
        else:
            st.success("No return is overdue or due within 30 days.", icon=":material/check_circle:")
        calendar, state_column = common.pills(
            pd.DataFrame(
                [
                    {
                        "Fund": e.fund,
                        "Period": e.period_name,
                        "Period ends": common.uk_date(e.period_end),
                        "Due": common.uk_date(e.due_on),
                        "State": STATE_LABELS[state],
                        "Status": status_words(e.status),
                        "Submitted": common.uk_date(e.submitted_on),
                    }
                    for e, state in zip(entries, states, strict=True)
                ]
            ),
            "State",
        )
        st.dataframe(calendar, hide_index=True, width="stretch", column_config=state_column)

with pack_tab:
    st.caption(
        "The budget table for the Strategic Group, as the papers print it, with an as-at date, the summary by "
        "strategic priority and the open findings."
    )
    cols = common.columns(3)
    partnership_id = cols[0].selectbox(
        "Partnership",
        options=[p.id for p in visible],
        format_func=lambda i: next(p.name for p in visible if p.id == i),
        key="pack_partnership",
    )
    pack_years = sorted(
        {s.fund.year for s in data.fund_summaries(who) if s.fund.partnership_id == partnership_id},
        key=lambda y: FinancialYear.parse(y).start_year,
        reverse=True,
    )
    pack_year = cols[1].selectbox("Year", options=pack_years, key="pack_year")
    funds = [s for s in data.fund_summaries(who, pack_year) if s.fund.partnership_id == partnership_id]
    pack_fund = cols[2].selectbox(
        "Funds",
        options=[None, *[s.fund.id for s in funds]],
        format_func=lambda i: (
            "All funds" if i is None else next(f"{s.fund.code} {s.fund.name}" for s in funds if s.fund.id == i)
        ),
        key="pack_fund",
    )
    if pack_year and partnership_id is not None:
        owner = int(partnership_id)
        name = f"budget-pack-{slug(pack_year)}-{as_at:%Y-%m-%d}"
        cols = common.columns(3)
        for column, fmt, label in zip(cols, ("pdf", "xlsx", "csv"), ("PDF", "Excel", "CSV"), strict=True):

            def make(fmt: str = fmt) -> bytes:
                pack = usecase.read(
                    db, who, reporting.budget_pack, owner, year=str(pack_year), as_at=as_at, fund_id=pack_fund
                )
                return reporting.render_budget_pack(pack, fmt)

            column.download_button(
                f"Budget pack ({label})",
                data=make,
                file_name=f"{name}.{fmt}",
                mime=MIME[fmt],
                key=f"pack_{fmt}",
                on_click="ignore",
                icon=":material/download:",
            )
        with st.expander("Budget / Resource Implications paragraphs for the quarterly report"):
            for priority, paragraph in data.budget_implications(who, int(partnership_id), str(pack_year), as_at):
                st.markdown(f"**{common.md(priority)}**  \n{common.md(paragraph)}")
    if partnership_id is not None:
        st.divider()
        meeting_section(who, db, int(partnership_id))

with return_tab:
    fund_id = common.fund_id()
    fund = data.fund(who, fund_id) if fund_id is not None else None
    chosen_fund = int(fund_id or 0)
    periods = return_calendar.return_periods(fund) if fund is not None else []
    if fund is None:
        st.info("There are no funds you can see yet.")
    elif not periods:
        st.info(f"{common.md(fund.code)} {fund.year} has no six-monthly or quarterly return.")
    else:
        st.caption(
            f"The OPCC financial profile return for {common.md(fund.code)} {fund.year} "
            "(choose the fund in the sidebar)."
        )
        period = st.radio("Period", options=periods, horizontal=True, key="return_period")
        view = data.return_view(who, chosen_fund, str(period))
        status = status_words(view.status)
        st.markdown(
            f"**{view.period}** ({common.uk_date(view.period_start)} to {common.uk_date(view.period_end)}) · due "
            f"{common.uk_date(view.due_on)} · status **{status}**"
            + (
                f" on {common.uk_date(view.submitted_on)} by {common.md(view.submitted_by)}"
                if view.submitted_on
                else ""
            )
        )
        cols = common.columns(3)
        cols[0].metric("Funding received", common.gbp(view.funding_received))
        cols[1].metric("Allocated", common.gbp(view.allocated))
        cols[2].metric(
            "Spent to date", common.gbp(view.spent_to_date), help=f"In the period {common.gbp(view.spent_in_period)}"
        )
        cols = common.columns(3)
        cols[0].metric("Committed", common.gbp(view.committed))
        cols[1].metric("Forecast outturn", common.gbp(view.forecast_outturn))
        cols[2].metric("Projected underspend", common.gbp(view.projected_underspend))

        def make_return() -> bytes:
            shown = usecase.read(db, who, returns.return_view, chosen_fund, str(period))
            made = returns.render_return(shown)
            if shown.frozen:  # exactly as sent
                return usecase.read(db, who, returns.submitted_pdf, chosen_fund, str(period), None, made)
            return made

        st.download_button(
            "Download the return (PDF)",
            data=make_return,
            file_name=f"opcc-return-{slug(fund.code)}-{slug(view.period)}.pdf",
            mime=MIME["pdf"],
            key="return_pdf",
            on_click="ignore",
            type="primary",
            icon=":material/download:",
        )

        def make_return_workbook() -> bytes:
            return returns.render_return(usecase.read(db, who, returns.return_view, chosen_fund, str(period)), "xlsx")

        st.download_button(
            "Download the return (Excel)",
            data=make_return_workbook,
            file_name=f"opcc-return-{slug(fund.code)}-{slug(view.period)}.xlsx",
            mime=MIME["xlsx"],
            key="return_xlsx",
            on_click="ignore",
            icon=":material/table:",
        )
        if status == "submitted":
            st.info(
                "This return has been submitted: its figures are frozen and it downloads exactly as sent.",
                icon=":material/ac_unit:",
            )
        if not (who.can_write or who.can_approve):
            common.read_only_note(who, "draft, sign off or submit returns")
        return_panel.show(who, db, chosen_fund, str(period), view, f"{slug(fund.code)}-{slug(view.period)}")

with giving_tab:
    st.caption("The grants made to delivery partners, in the 360Giving open data standard.")
    everyone = who.all_partnerships
    chosen = st.selectbox(
        "Partnership",
        options=([None] if everyone else []) + [p.id for p in visible],
        format_func=lambda i: "All partnerships" if i is None else next(p.name for p in visible if p.id == i),
        key="giving_partnership",
    )
    cols = common.columns(2)
    for column, fmt in zip(cols, ("json", "csv"), strict=True):

        def make_giving(fmt: str = fmt) -> bytes:
            return usecase.read(db, who, giving_export.export_360giving, fmt, partnership_id=chosen)

        column.download_button(
            f"360Giving ({fmt.upper()})",
            data=make_giving,
            file_name=f"360giving-grants.{fmt}",
            mime=MIME[fmt],
            key=f"giving_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
