"""Grant rounds: plan, open and close a round; record, score and decide applications."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st

from grants.domain.enums import ApplicationStatus, RoundStatus
from grants.services import rounds as rounds_service
from grants.services import usecase
from grants.ui import common, data
from grants.ui.context import database

STATUS_LABELS = {
    ApplicationStatus.RECEIVED: "received",
    ApplicationStatus.UNDER_REVIEW: "under review",
    ApplicationStatus.FUNDED: "✓ funded",
    ApplicationStatus.REFUSED: "✗ refused",
}


def first_round_shown(rounds: list[Any]) -> int:
    """The newest round that has applications (where the work is), else the newest round."""
    with_applications = [i for i, r in enumerate(rounds) if data.applications(who, int(r.id or 0))]
    return with_applications[-1] if with_applications else len(rounds) - 1


who = common.principal()
db = database()
st.title("Grant rounds")
fund_id = common.require_fund()
fund = data.fund(who, fund_id)
st.subheader(f"{common.md(fund.code)} {fund.year} · {common.md(fund.name)}")
if not (who.can_write or who.can_approve):
    common.read_only_note(who, "change rounds or applications")

all_rounds = data.rounds(who, fund_id)
if all_rounds:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Round": r.number,
                    "Opens": common.uk_date(r.opens),
                    "Closes": common.uk_date(r.closes),
                    "Cap per grant": common.as_float(r.cap),
                    "Status": r.status.value,
                    "Applications": len(data.applications(who, int(r.id or 0))),
                }
                for r in all_rounds
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config=common.money_columns("Cap per grant"),
    )
else:
    st.info("This fund has no grant rounds. Small-grants funds (e.g. People Zones) run their money through rounds.")
    with_rounds = [
        s for s in data.fund_summaries(who) if s.fund.id != fund_id and data.rounds(who, int(s.fund.id or 0))
    ]
    for other in with_rounds:
        label = f"Open {common.md(other.fund.code)} {other.fund.year} · {common.md(other.fund.name)}"
        if st.button(label, key=f"rounds_goto_{other.fund.id}", icon=":material/arrow_forward:"):
            st.session_state[common.GOTO_FUND] = other.fund.id
            st.rerun()

if who.can_write:
    with st.expander("Plan a round", icon=":material/add:"), st.form("round_form", clear_on_submit=True):
        cols = common.columns(3)
        opens = cols[0].date_input("Opens", value=common.as_at(), format="DD/MM/YYYY", key="round_opens")
        closes = cols[1].date_input(
            "Closes", value=common.as_at() + timedelta(weeks=4), format="DD/MM/YYYY", key="round_closes"
        )
        cap = cols[2].number_input(
            "Cap per grant (£)",
            value=common.as_float(fund.conditions.per_grant_cap),
            min_value=0.0,
            step=500.0,
            format="%.2f",
            key="round_cap",
        )
        if st.form_submit_button("Plan round", type="primary"):
            with common.saving("Round planned"):
                usecase.perform(
                    db,
                    who,
                    rounds_service.create_round,
                    fund_id,
                    opens=opens,
                    closes=closes,
                    cap=common.to_money(cap) if cap else None,
                )

if not all_rounds:
    st.stop()

labels = {r.id: f"Round {r.number} ({r.status.value})" for r in all_rounds}
round_id = st.selectbox(
    "Round",
    options=list(labels),
    index=first_round_shown(all_rounds),
    format_func=labels.__getitem__,
    key="round_choice",
)
chosen = next(r for r in all_rounds if r.id == round_id)
if who.can_write:
    cols = common.columns(4)
    if chosen.status is RoundStatus.PLANNED and cols[0].button("Open round", key="round_open", type="primary"):
        with common.saving(f"Round {chosen.number} is open"):
            usecase.perform(
                db, who, rounds_service.set_round_status, int(chosen.id or 0), chosen.version, RoundStatus.OPEN
            )
    if chosen.status is RoundStatus.OPEN and cols[0].button("Close round", key="round_close"):
        with common.saving(f"Round {chosen.number} is closed"):
            usecase.perform(
                db, who, rounds_service.set_round_status, int(chosen.id or 0), chosen.version, RoundStatus.CLOSED
            )

applications = data.applications(who, int(round_id or 0))
lines = {b.line.id: b for b in data.lines(who, fund_id)}
if applications:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Applicant": a.applicant,
                    "Project": a.project,
                    "Theme": a.theme,
                    "Area": a.area,
                    "Requested": common.as_float(a.requested),
                    "Received": common.uk_date(a.received_on),
                    "Score": f"{a.score:.1f}" if a.score is not None else "",
                    "Decision": STATUS_LABELS[a.status],
                    "Awarded": common.as_float(lines[a.line_id].allocated) if a.line_id in lines else None,
                    "Decided by": a.decided_by,
                }
                for a in applications
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config=common.money_columns("Requested", "Awarded"),
    )
    funded = [a for a in applications if a.status is ApplicationStatus.FUNDED]
    st.caption(f"{len(funded)} of {len(applications)} application(s) funded.")
else:
    st.info("No applications recorded for this round yet.")

undecided = [a for a in applications if a.status in (ApplicationStatus.RECEIVED, ApplicationStatus.UNDER_REVIEW)]
names = {a.id: f"{a.applicant} — {a.project or 'project'} ({common.gbp(a.requested)})" for a in undecided}

if who.can_write and chosen.status is RoundStatus.OPEN:
    with st.form("application_form", clear_on_submit=True):
        st.markdown("**Record an application**")
        cols = common.columns(2)
        applicant = cols[0].text_input("Applicant", key="app_applicant")
        project = cols[1].text_input("Project", key="app_project")
        cols = common.columns(4)
        theme = cols[0].text_input("Theme", key="app_theme")
        area = cols[1].text_input("Area (beat)", key="app_area", placeholder="e.g. NL65")
        requested = cols[2].number_input("Requested (£)", min_value=0.0, step=100.0, format="%.2f", key="app_requested")
        received = cols[3].date_input("Received", value=common.today(), format="DD/MM/YYYY", key="app_received")
        if st.form_submit_button("Record application", type="primary"):
            with common.saving("Application recorded"):
                usecase.perform(
                    db,
                    who,
                    rounds_service.record_application,
                    int(round_id or 0),
                    applicant=applicant,
                    project=project,
                    theme=theme,
                    area=area,
                    requested=common.to_money(requested),
                    received_on=received,
                )

if who.can_write and undecided:
    with st.form("score_form"):
        st.markdown("**Score an application**")
        cols = common.columns([3, 1])
        which = cols[0].selectbox("Application", options=list(names), format_func=names.__getitem__, key="score_which")
        score = cols[1].number_input("Score (0–10)", min_value=0.0, max_value=10.0, step=0.5, key="score_value")
        if st.form_submit_button("Save score"):
            target = next(a for a in undecided if a.id == which)
            with common.saving("Score saved"):
                usecase.perform(
                    db, who, rounds_service.score_application, int(which or 0), target.version, common.to_money(score)
                )

if who.can_approve and undecided:
    with st.form("decide_form"):
        st.markdown("**Decide** (a funded application becomes an approved budget line)")
        cols = common.columns([3, 1, 1])
        which = cols[0].selectbox("Application", options=list(names), format_func=names.__getitem__, key="decide_which")
        decision = cols[1].radio("Decision", options=["fund", "refuse"], horizontal=True, key="decide_decision")
        award = cols[2].number_input(
            "Award (£, blank: as requested)", value=None, min_value=0.0, step=100.0, format="%.2f", key="decide_award"
        )
        if st.form_submit_button("Record decision", type="primary"):
            target = next(a for a in undecided if a.id == which)
            with common.saving("Funded: a budget line was added" if decision == "fund" else "Refused"):
                usecase.perform(
                    db,
                    who,
                    rounds_service.decide_application,
                    int(which or 0),
                    target.version,
                    funded=decision == "fund",
                    on=common.today(),
                    amount=common.to_money(award) if award else None,
                )
