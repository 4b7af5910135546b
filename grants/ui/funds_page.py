"""Funds: the chosen fund's details, the money received or expected, and its conditions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from grants.domain.calendar import FinancialYear
from grants.domain.enums import AmountStatus, ReceiptStatus
from grants.domain.streams import STREAMS
from grants.services import funds_admin, period_lock, usecase
from grants.ui import common, conditions_panel, data, removals
from grants.ui.context import database

who = common.principal()
db = database()
st.title("Funds")

if who.can_write:
    with st.expander("Add a fund", icon=":material/add:"):
        visible = data.partnerships(who)
        with st.form("new_fund_form", clear_on_submit=True):
            cols = common.columns([3, 2, 2])  # wide enough for a partnership's full name
            partnership_id = cols[0].selectbox(
                "Partnership",
                options=[p.id for p in visible],
                format_func=lambda i: next(p.name for p in visible if p.id == i),
                key="new_fund_partnership",
            )
            code = cols[1].selectbox(
                "Stream",
                options=[*STREAMS, "other"],
                format_func=lambda c: f"{c} · {STREAMS[c].name}" if c in STREAMS else "Another stream (type a code)",
                key="new_fund_stream",
            )
            other = cols[2].text_input("Code for another stream", key="new_fund_code", placeholder="e.g. VRN")
            cols = common.columns(3)
            year = cols[0].text_input(
                "Financial year", value=FinancialYear.containing(common.today()).label, key="new_fund_year"
            )
            amount = cols[1].number_input("Amount (£)", min_value=0.0, step=100.0, format="%.2f", key="new_fund_amount")
            status = cols[2].selectbox(
                "How sure",
                options=[s.value for s in AmountStatus],
                key="new_fund_status",
                format_func=lambda s: s.replace("_", " "),
            )
            name = st.text_input("Name (blank: the stream's name)", key="new_fund_name")
            if st.form_submit_button("Add fund", type="primary"):
                with common.saving():
                    created = usecase.perform(
                        db,
                        who,
                        funds_admin.create_fund,
                        partnership_id=int(partnership_id or 0),
                        code=other if code == "other" else str(code),
                        year=year,
                        amount=common.to_money(amount),
                        amount_status=status,
                        name=name,
                    )
                    st.session_state[common.GOTO_FUND] = created.id
                    common.saved(f"Added {common.md(created.code)} {created.year}")

fund_id = common.require_fund()
fund = data.fund(who, fund_id)
summary = next((s for s in data.fund_summaries(who) if s.fund.id == fund_id), None)
st.subheader(f"{common.md(fund.code)} {fund.year} · {common.md(fund.name)}")
if summary is not None:
    cols = common.columns(4)
    cols[0].metric("Funding", common.gbp(fund.amount), help=f"Status: {fund.amount_status.value.replace('_', ' ')}")
    cols[1].metric("Received", common.gbp(summary.received))
    cols[2].metric("Allocated", common.gbp(summary.allocated))
    cols[3].metric("Unallocated", common.gbp(summary.unallocated))
if not who.can_write:
    common.read_only_note(who)

details, money_in, conditions = st.tabs(["Details", "Receipts", "Conditions"])

with details:
    if who.can_write:
        with st.form(f"fund_details_{fund_id}"):
            name = st.text_input("Name", value=fund.name, key=f"fund_name_{fund_id}")
            cols = common.columns(4)
            amount = cols[0].number_input(
                "Amount (£)",
                value=float(fund.amount),
                min_value=0.0,
                step=100.0,
                format="%.2f",
                key=f"fund_amount_{fund_id}",
            )
            statuses = [s.value for s in AmountStatus]
            status = cols[1].selectbox(
                "How sure",
                options=statuses,
                index=statuses.index(fund.amount_status.value),
                format_func=lambda s: s.replace("_", " "),
                key=f"fund_status_{fund_id}",
            )
            starts = cols[2].date_input("Starts", value=fund.starts, format="DD/MM/YYYY", key=f"fund_starts_{fund_id}")
            ends = cols[3].date_input("Ends", value=fund.ends, format="DD/MM/YYYY", key=f"fund_ends_{fund_id}")
            notes = st.text_area("Notes", value=fund.notes, key=f"fund_notes_{fund_id}")
            if st.form_submit_button("Save details", type="primary"):
                with common.saving("Fund details saved"):
                    usecase.perform(
                        db,
                        who,
                        funds_admin.update_fund,
                        fund_id,
                        fund.version,
                        name=name.strip(),
                        amount=common.to_money(amount),
                        amount_status=AmountStatus(status),
                        starts=starts,
                        ends=ends,
                        notes=notes,
                    )
    else:
        st.markdown(
            f"**Amount** {common.gbp(fund.amount)} ({fund.amount_status.value.replace('_', ' ')})  \n"
            f"**Period** {common.uk_date(fund.starts)} to {common.uk_date(fund.ends)}"
        )
        if fund.notes:
            st.caption(common.md(fund.notes))

with money_in:
    receipts = data.receipts(who, fund_id)
    if receipts:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Amount": common.as_float(r.amount),
                        "Approximate": "approx." if r.approximate else "",
                        "Status": r.status.value,
                        "Received on": common.uk_date(r.received_on),
                        "Reference": r.reference,
                    }
                    for r in receipts
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config=common.money_columns("Amount"),
        )
    else:
        st.info("No money recorded as received or expected for this fund yet.")
    if who.can_write:
        expected = [r for r in receipts if r.status is ReceiptStatus.EXPECTED]
        if expected:
            with st.form(f"receive_form_{fund_id}"):
                st.markdown("**Mark expected money as received**")
                cols = common.columns(2)
                chosen = cols[0].selectbox(
                    "Expected receipt",
                    options=[r.id for r in expected],
                    format_func=lambda i: next(f"{common.gbp(r.amount)} {r.reference}" for r in expected if r.id == i),
                    key=f"receive_which_{fund_id}",
                )
                on = cols[1].date_input("Received on", format="DD/MM/YYYY", key=f"receive_on_{fund_id}")
                if st.form_submit_button("Mark received"):
                    target = next(r for r in expected if r.id == chosen)
                    with common.saving("Receipt marked as received"):
                        usecase.perform(
                            db,
                            who,
                            funds_admin.update_receipt,
                            int(chosen or 0),
                            target.version,
                            status=ReceiptStatus.RECEIVED,
                            received_on=on,
                        )
        with st.form(f"receipt_form_{fund_id}", clear_on_submit=True):
            st.markdown("**Record money in**")
            cols = common.columns(4)
            amount_in = cols[0].number_input(
                "Amount (£)", min_value=0.0, step=100.0, format="%.2f", key=f"receipt_amount_{fund_id}"
            )
            status_in = cols[1].selectbox("Status", options=["received", "expected"], key=f"receipt_status_{fund_id}")
            on_in = cols[2].date_input("Received on", format="DD/MM/YYYY", key=f"receipt_on_{fund_id}")
            approx = cols[3].checkbox("Approximate", key=f"receipt_approx_{fund_id}", help="e.g. “circa £34K”")
            reference = st.text_input("Reference", key=f"receipt_ref_{fund_id}", placeholder="e.g. OPCC H1 payment")
            adjustment = st.text_input(
                "Post-submission adjustment: why (only for a date inside a period whose return was submitted)",
                key=f"receipt_adjustment_{fund_id}",
            )
            if st.form_submit_button("Add receipt", type="primary"):
                with (
                    common.saving(f"Recorded {common.gbp(common.to_money(amount_in))}"),
                    period_lock.adjusting(adjustment),
                ):
                    usecase.perform(
                        db,
                        who,
                        funds_admin.add_receipt,
                        fund_id,
                        amount=common.to_money(amount_in),
                        received_on=on_in if status_in == "received" else None,
                        status=status_in,
                        approximate=approx,
                        reference=reference,
                    )
        if receipts:
            removals.delete_receipt_form(who, receipts, fund_id)

with conditions:
    conditions_panel.show(who, fund)
