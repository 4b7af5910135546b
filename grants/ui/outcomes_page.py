"""Profiles and outcomes: each line's planned spend by quarter, and outcome updates with evidence."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from grants.domain.calendar import FinancialYear
from grants.domain.models import OutcomeTarget
from grants.services import outcomes as outcomes_service
from grants.services import usecase
from grants.ui import common, data, import_panel
from grants.ui.context import database

ZERO = Decimal("0.00")
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
GENERATION = "profile_editor_generation"  # owned here: bumped after a save so the grid starts clean


def target_text(target: OutcomeTarget | None) -> str:
    """A line's outcome target and its measure, shown beside each update that reports against it."""
    if target is None:
        return ""
    measure = f" (measured by: {target.measure})" if target.measure else ""
    return f"{target.target}{measure}".strip()


who = common.principal()
db = database()
st.title("Profiles and outcomes")
fund_id = common.require_fund()
fund = data.fund(who, fund_id)
balances = data.lines(who, fund_id)
st.subheader(f"{common.md(fund.code)} {fund.year} · {common.md(fund.name)}")
if not who.can_write:
    common.read_only_note(who)
if not balances:
    st.info("This fund has no budget lines yet: add them on the Allocations page first.")
    st.stop()

profile_tab, outcome_tab = st.tabs(["Spend profile", "Outcome updates"])

with profile_tab:
    year = fund.year
    planned = data.profiles(who, fund_id, year)
    frame = pd.DataFrame(
        [
            {
                "Line": b.description,
                **{
                    q: common.as_float(planned.get(b.line.id or 0, {}).get(n + 1, ZERO)) for n, q in enumerate(QUARTERS)
                },
                "Profiled": common.as_float(sum(planned.get(b.line.id or 0, {}).values(), ZERO)),
                "Allocated": common.as_float(b.allocated),
            }
            for b in balances
        ]
    )
    money = st.column_config.NumberColumn(format="£%,.2f", min_value=0.0, step=0.01)
    fixed = st.column_config.NumberColumn(format="£%,.2f", disabled=True)
    config = {
        "Line": st.column_config.TextColumn(disabled=True, width="large"),
        **{q: money for q in QUARTERS},
        "Profiled": fixed,
        "Allocated": fixed,
    }
    quarters = FinancialYear.parse(year)
    st.caption(
        f"Planned spend per quarter of {year}: "
        + ", ".join(
            f"{q} {common.uk_date(quarters.quarter(n + 1).start)}–{common.uk_date(quarters.quarter(n + 1).end)}"
            for n, q in enumerate(QUARTERS)
        )
    )
    if who.can_write:
        generation = st.session_state.setdefault(GENERATION, 0)
        key = f"profile_editor_{fund_id}_{generation}"
        st.data_editor(frame, key=key, hide_index=True, width="stretch", column_config=config)
        edits = (st.session_state.get(key) or {}).get("edited_rows", {})
        if st.button("Save profile", type="primary", key="save_profile", disabled=not edits):
            rows = []
            for pos, row in edits.items():
                quarters_changed = {n + 1: common.to_money(row[q]) for n, q in enumerate(QUARTERS) if q in row}
                rows.append((int(balances[int(pos)].line.id or 0), quarters_changed))
            with common.saving():
                changed = usecase.perform(db, who, outcomes_service.save_profiles, fund_id, year, rows)
                st.session_state[GENERATION] = generation + 1
                common.saved(f"Profile saved ({changed} quarter(s) changed)")
    else:
        st.dataframe(frame, hide_index=True, width="stretch", column_config=config)
    if who.can_write:
        with st.expander("Import a spend profile"):
            import_panel.profile_import_panel(who, fund)
    gaps = [b.description for b in balances if b.allocated and not planned.get(b.line.id or 0)]
    if gaps:
        st.warning(
            f"{len(gaps)} line(s) with money have no profile: {', '.join(common.md(g) for g in gaps)}.",
            icon=":material/trending_down:",
        )

with outcome_tab:
    updates = data.outcomes(who, fund_id)
    targets = data.outcome_targets(who, fund_id)
    if targets:
        st.markdown("**Outcome targets** (from the action plan)")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Line": b.description,
                        "Outcome target": targets[b.line.id or 0].target,
                        "Performance measure": targets[b.line.id or 0].measure,
                        "Time scales": targets[b.line.id or 0].time_scales,
                        "Updates": sum(1 for u in updates if u.outcome.line_id == b.line.id),
                    }
                    for b in balances
                    if (b.line.id or 0) in targets
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    if updates:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Line": u.line,
                        "Target": target_text(targets.get(u.outcome.line_id)),
                        "Period": u.outcome.period,
                        "Reported": common.uk_date(u.outcome.reported_on),
                        "Outputs": f"{u.outcome.outputs.normalize():,} {u.outcome.unit}".strip()
                        if u.outcome.outputs is not None
                        else "",
                        "Narrative": u.outcome.narrative,
                        "Evidence": u.outcome.evidence,
                        "Status": "awaiting data" if u.outcome.awaiting_data else "reported",
                    }
                    for u in updates
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info("No outcome updates recorded for this fund yet.")
    if who.can_write:
        fy = FinancialYear.parse(fund.year)
        periods = [fy.quarter(n).name for n in (1, 2, 3, 4)] + [fy.half(1).name, fy.half(2).name, fy.label]
        with st.form("outcome_form", clear_on_submit=True):
            st.markdown("**Add an outcome update**")
            names = {b.line.id: b.description for b in balances}
            cols = common.columns([3, 1, 1])
            line_id = cols[0].selectbox("Line", options=list(names), format_func=names.__getitem__, key="outcome_line")
            period = cols[1].selectbox("Period", options=periods, key="outcome_period")
            reported = cols[2].date_input("Reported on", value=common.today(), format="DD/MM/YYYY", key="outcome_on")
            cols = common.columns([1, 1, 2])
            outputs = cols[0].number_input("Outputs", value=None, min_value=0.0, step=1.0, key="outcome_outputs")
            unit = cols[1].text_input("Unit", key="outcome_unit", placeholder="people supported")
            evidence = cols[2].text_input(
                "Evidence", key="outcome_evidence", placeholder="monitoring report, registers…"
            )
            narrative = st.text_area("What was delivered", key="outcome_narrative")
            awaiting = st.checkbox("Awaiting data from the provider", key="outcome_awaiting")
            if st.form_submit_button("Add update", type="primary"):
                with common.saving("Outcome update added"):
                    usecase.perform(
                        db,
                        who,
                        outcomes_service.add_outcome,
                        int(line_id or 0),
                        period=str(period),
                        reported_on=reported,
                        outputs=Decimal(str(outputs)) if outputs is not None else None,
                        unit=unit,
                        narrative=narrative,
                        evidence=evidence,
                        awaiting_data=awaiting,
                    )
