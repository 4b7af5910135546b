"""Funds: the chosen fund's details, the money received or expected, and its conditions."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from grants.domain.calendar import FinancialYear
from grants.domain.conditions import FundConditions
from grants.domain.enums import AmountStatus, ReceiptStatus, ReturnCadence
from grants.domain.streams import STREAMS
from grants.services import funds_admin, usecase
from grants.ui import common, data, removals
from grants.ui.context import database


def _items(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("\n", ",").split(",") if part.strip())


def _share(value: float | None) -> Decimal | None:
    return None if value is None else (Decimal(str(value)) / 100).quantize(Decimal("0.0001"))


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(value * 100)


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
            if st.form_submit_button("Add receipt", type="primary"):
                with common.saving(f"Recorded {common.gbp(common.to_money(amount_in))}"):
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
    c = fund.conditions
    st.caption(
        "The conditions of the grant agreement: the compliance checks read these (blank means the rule's default)."
    )
    with st.form(f"conditions_form_{fund_id}"):
        disabled = not who.can_write
        cols = common.columns(3)
        cap = cols[0].number_input(
            "Per-grant cap (£)",
            value=common.as_float(c.per_grant_cap),
            min_value=0.0,
            step=500.0,
            format="%.2f",
            key=f"cond_cap_{fund_id}",
            disabled=disabled,
            help=FundConditions.model_fields["per_grant_cap"].description,
        )
        evidence = cols[1].number_input(
            "Evidence needed from (£)",
            value=common.as_float(c.evidence_threshold),
            min_value=0.0,
            step=500.0,
            format="%.2f",
            key=f"cond_evidence_{fund_id}",
            disabled=disabled,
            help=FundConditions.model_fields["evidence_threshold"].description,
        )
        virement = cols[2].number_input(
            "Virement threshold (% of a line)",
            value=_percent(c.virement_threshold),
            min_value=0.0,
            max_value=100.0,
            step=1.0,
            key=f"cond_virement_{fund_id}",
            disabled=disabled,
        )
        cols = common.columns(3)
        match = cols[0].number_input(
            "Match required (% of grant)",
            value=_percent(c.match_share),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            key=f"cond_match_{fund_id}",
            disabled=disabled,
        )
        capital = cols[1].number_input(
            "Capital at most (% of fund)",
            value=_percent(c.capital_share_max),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            key=f"cond_capital_{fund_id}",
            disabled=disabled,
        )
        revenue = cols[2].number_input(
            "Revenue at most (% of fund)",
            value=_percent(c.revenue_share_max),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            key=f"cond_revenue_{fund_id}",
            disabled=disabled,
        )
        cols = common.columns(2)
        areas = cols[0].text_input(
            "Eligible areas (beats, comma-separated)",
            value=", ".join(c.eligible_areas),
            key=f"cond_areas_{fund_id}",
            disabled=disabled,
            placeholder="any",
        )
        themes = cols[1].text_input(
            "Eligible themes",
            value=", ".join(c.eligible_themes),
            key=f"cond_themes_{fund_id}",
            disabled=disabled,
            placeholder="any",
        )
        cols = common.columns(2)
        cohorts = cols[0].text_input(
            "Eligible cohorts",
            value=", ".join(c.eligible_cohorts),
            key=f"cond_cohorts_{fund_id}",
            disabled=disabled,
            placeholder="any",
        )
        excluded = cols[1].text_input(
            "Excluded categories",
            value=", ".join(c.excluded_categories),
            key=f"cond_excluded_{fund_id}",
            disabled=disabled,
            placeholder="none",
        )
        cols = common.columns(4)
        deadline = cols[0].date_input(
            "Allocate everything by",
            value=c.allocation_deadline,
            format="DD/MM/YYYY",
            key=f"cond_deadline_{fund_id}",
            disabled=disabled,
        )
        cadences = [r.value for r in ReturnCadence]
        cadence = cols[1].selectbox(
            "Returns",
            options=cadences,
            index=cadences.index(c.return_cadence.value),
            format_func=lambda v: v.replace("_", " "),
            key=f"cond_cadence_{fund_id}",
            disabled=disabled,
        )
        due_days = cols[2].number_input(
            "Return due (days after period)",
            value=c.return_due_days,
            min_value=0,
            max_value=366,
            step=1,
            key=f"cond_due_{fund_id}",
            disabled=disabled,
            help="Blank: the end of the next month",
        )
        monitoring = cols[3].number_input(
            "Monitoring every (days)",
            value=c.monitoring_cadence_days,
            min_value=1,
            max_value=366,
            step=1,
            key=f"cond_monitoring_{fund_id}",
            disabled=disabled,
        )
        cols = common.columns(2)
        carry = cols[0].checkbox(
            "Spend may fall outside the grant period",
            value=c.carry_over_allowed,
            key=f"cond_carry_{fund_id}",
            disabled=disabled,
        )
        priority = cols[1].checkbox(
            "Every line needs a strategic priority",
            value=c.strategic_priority_required,
            key=f"cond_priority_{fund_id}",
            disabled=disabled,
        )
        if st.form_submit_button("Save conditions", type="primary", disabled=disabled):
            with common.saving("Conditions saved"):
                usecase.perform(
                    db,
                    who,
                    funds_admin.update_conditions,
                    fund_id,
                    fund.version,
                    {
                        "per_grant_cap": common.to_money(cap) if cap else None,
                        "evidence_threshold": common.to_money(evidence) if evidence else None,
                        "virement_threshold": _share(virement) if virement is not None else Decimal("0.10"),
                        "match_share": _share(match) if match else None,
                        "capital_share_max": _share(capital) if capital is not None else None,
                        "revenue_share_max": _share(revenue) if revenue is not None else None,
                        "eligible_areas": _items(areas),
                        "eligible_themes": _items(themes),
                        "eligible_cohorts": _items(cohorts),
                        "excluded_categories": _items(excluded),
                        "allocation_deadline": deadline,
                        "return_cadence": cadence,
                        "return_due_days": int(due_days) if due_days is not None else None,
                        "monitoring_cadence_days": int(monitoring) if monitoring is not None else None,
                        "carry_over_allowed": carry,
                        "strategic_priority_required": priority,
                    },
                )
