"""Allocations: the fund's budget lines in an editable grid, approval by the Strategic Group, virements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from grants.domain.enums import CapitalRevenue
from grants.services import allocations, period_lock, virements
from grants.services.allocations import LineChange
from grants.services.usecase import perform
from grants.ui import common, data, import_panel, removals
from grants.ui.context import database

ZERO = Decimal("0.00")
GENERATION = "lines_editor_generation"  # owned here: bumped after a save so the grid starts clean
COLUMNS = {
    "Description": "description",
    "Delivery partner": "delivery_partner",
    "Strategic priority": "strategic_priority",
    "Area": "area",
    "Theme": "theme",
    "Cohort": "cohort",
    "Capital/revenue": "capital_revenue",
    "Allocated": "allocated",
}


def approval_text(balance: data.LineBalance) -> str:
    line = balance.line
    if line.approved_by:
        return f"✓ approved {common.uk_date(line.approved_on)}"
    if line.rejected_by:
        return f"✗ rejected {common.uk_date(line.rejected_on)}"
    return "awaiting approval" if line.allocated else ""


def pending_moves(moves: list[Any]) -> dict[int, Decimal]:
    """Each line's net pending virement (+ in, − out): shown beside the allocation, which it has not changed."""
    net: dict[int, Decimal] = {}
    for move in moves:
        if move.pending:
            v = move.virement
            net[v.from_line_id] = net.get(v.from_line_id, ZERO) - v.amount
            net[v.to_line_id] = net.get(v.to_line_id, ZERO) + v.amount
    return net


def grid(balances: list[data.LineBalance], pending: dict[int, Decimal] | None = None) -> pd.DataFrame:
    pending = pending or {}
    return pd.DataFrame(
        [
            {
                "Description": b.line.description,
                "Delivery partner": b.line.delivery_partner,
                "Strategic priority": b.line.strategic_priority,
                "Area": b.line.area,
                "Theme": b.line.theme,
                "Cohort": b.line.cohort,
                "Capital/revenue": b.line.capital_revenue.value,
                "Allocated": common.as_float(b.allocated),
                "Spent": common.as_float(b.spent),
                "Balance": common.signed_money(b.balance),
                "Approved": approval_text(b),
                "Pending virement": common.signed_money(pending.get(b.line.id or 0)),
                "Approved by": b.line.approved_by,
            }
            for b in balances
        ],
        columns=ORDER,
    )


def grid_height(rows: int) -> int:
    """Tall enough to show every line (35px a row, plus the heading), up to a screenful.

    For the read-only table only: a fixed height on the editor makes the grid jump back to its
    first cell when a row is added (Streamlit 1.67), so the editor keeps its automatic height.
    """
    return min(3 + 35 * (rows + 1), 700)


def to_fields(row: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column, name in COLUMNS.items():
        if column not in row:
            continue
        value = row[column]
        if name == "allocated":
            fields[name] = common.to_money(value)
        elif name == "capital_revenue":
            fields[name] = value or CapitalRevenue.REVENUE.value
        else:
            fields[name] = "" if value is None else str(value)
    return fields


ORDER = [
    "Description",
    "Allocated",
    "Spent",
    "Balance",
    "Approved",
    "Pending virement",
    "Delivery partner",
    "Strategic priority",
    "Area",
    "Theme",
    "Cohort",
    "Capital/revenue",
    "Approved by",
]
MONEY = st.column_config.NumberColumn(format="£%,.2f", disabled=True)
CONFIG = {
    "Description": st.column_config.TextColumn(required=True, width="large"),
    "Capital/revenue": st.column_config.SelectboxColumn(
        options=["revenue", "capital"], required=True, default="revenue"
    ),
    "Allocated": st.column_config.NumberColumn(format="£%,.2f", min_value=0.0, step=0.01, required=True, default=0.0),
    "Spent": MONEY,
    "Balance": common.signed_money_column(disabled=True),
    "Approved": st.column_config.TextColumn(disabled=True, help="Approved by the Strategic Group on"),
    "Approved by": st.column_config.TextColumn(disabled=True),
    "Pending virement": common.signed_money_column(
        disabled=True, help="Proposed, not yet approved: the allocation has not changed"
    ),
    "Strategic priority": st.column_config.TextColumn(width="medium"),
}

who = common.principal()
db = database()
st.title("Allocations")
fund_id = common.require_fund()
fund = data.fund(who, fund_id)
balances = data.lines(who, fund_id)
moves = data.virements(who, fund_id)
pending = pending_moves(moves)
st.subheader(f"{common.md(fund.code)} {fund.year} · {common.md(fund.name)}")

allocated = sum((b.allocated for b in balances), ZERO)
spent = sum((b.spent for b in balances), ZERO)
cols = common.columns(4)
cols[0].metric("Funding", common.gbp(fund.amount))
cols[1].metric("Allocated", common.gbp(allocated))
cols[2].metric("Unallocated", common.gbp(fund.amount - allocated))
cols[3].metric("Spent", common.gbp(spent), help=f"Balance remaining {common.gbp(allocated - spent)}")
if allocated > fund.amount:
    st.warning(f"Allocations exceed the fund by {common.gbp(allocated - fund.amount)}.", icon=":material/warning:")

focus = st.query_params.get("line")
if focus and focus.isdigit():
    match = next((b for b in balances if b.line.id == int(focus)), None)
    if match is not None:
        st.info(
            f"**{common.md(match.description)}** — allocated {common.gbp(match.allocated)}, "
            f"spent {common.gbp(match.spent)}, "
            f"balance {common.gbp(match.balance)}. "
            + (
                f"Approved by {common.md(match.line.approved_by)} on {common.uk_date(match.line.approved_on)}."
                if match.line.approved_by
                else "Not approved yet."
            ),
            icon=":material/push_pin:",
        )

if who.can_write:
    generation = st.session_state.setdefault(GENERATION, 0)
    key = f"lines_editor_{fund_id}_{generation}"
    # The lines and versions as first shown in this grid: a save checks against what the person saw, so a
    # change made meanwhile (by anyone, on any app process) is a conflict, not silently overwritten.
    shown = st.session_state.setdefault(f"{key}_shown", [(b.line.id or 0, b.line.version) for b in balances])
    shown = [*shown, *((b.line.id or 0, b.line.version) for b in balances[len(shown) :])]
    st.data_editor(
        grid(balances, pending),
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=CONFIG,
        placeholder="",
    )
    st.caption(
        "Edit cells, add a row at the bottom, or select rows to delete; then save. Changing an approved line's "
        "amount, description or delivery partner sends it back to the Strategic Group. Move money between lines "
        "with a virement below."
    )
    edits = st.session_state.get(key) or {}
    unsaved = bool(edits.get("edited_rows") or edits.get("added_rows") or edits.get("deleted_rows"))
    adjustment = st.text_input(
        "Post-submission adjustment: why (only when a change falls inside a period whose return was submitted)",
        key="lines_adjustment",
    )
    if st.button("Save changes", type="primary", key="save_lines", disabled=not unsaved):
        changes = [
            LineChange(shown[int(pos)][0], shown[int(pos)][1], to_fields(row))
            for pos, row in edits.get("edited_rows", {}).items()
        ]
        additions = [
            to_fields(row) for row in edits.get("added_rows", []) if any(v not in (None, "") for v in row.values())
        ]
        deletions = [shown[int(pos)] for pos in edits.get("deleted_rows", [])]
        with common.saving(), period_lock.adjusting(adjustment):
            result = perform(
                db, who, allocations.save_lines, fund_id, changes=changes, additions=additions, deletions=deletions
            )
            st.session_state[GENERATION] = generation + 1
            common.saved(f"Saved: {result.summary}")
    with st.expander("Import a budget table or action plan"):
        import_panel.ledger_import_panel(who, fund)
else:
    common.read_only_note(who, "change allocations")
    st.dataframe(
        grid(balances, pending),
        hide_index=True,
        width="stretch",
        height=grid_height(len(balances)),
        column_config=CONFIG,
    )
st.caption(
    f"Total allocated {common.gbp(allocated)} · spent {common.gbp(spent)} · balance {common.gbp(allocated - spent)}"
)

if who.can_approve:
    st.subheader("Approve allocations")
    waiting = [b for b in balances if not b.line.approved_by and b.allocated > 0]
    if not waiting:
        st.success("Every line with money has a recorded approval.", icon=":material/check_circle:")
    else:
        with st.form("approve_lines_form"):
            chosen = st.multiselect(
                "Lines awaiting approval",
                options=[b.line.id for b in waiting],
                default=[b.line.id for b in waiting],
                format_func=lambda i: next(
                    f"{b.description} ({common.gbp(b.allocated)})" for b in waiting if b.line.id == i
                ),
                key="approve_lines",
            )
            on = st.date_input("Approved on", value=common.today(), format="DD/MM/YYYY", key="approve_lines_on")
            if st.form_submit_button(f"Approve as {common.md(who.label)}", type="primary"):
                versions = {b.line.id: b.line.version for b in waiting}
                with common.saving(f"Approved {len(chosen)} line(s)"):
                    perform(db, who, allocations.approve_lines, [(int(i or 0), versions[i]) for i in chosen], on=on)
        with st.form("reject_line_form", clear_on_submit=True):
            rejected = st.selectbox(
                "Reject a line",
                options=[b.line.id for b in waiting],
                format_func=lambda i: next(
                    f"{b.description} ({common.gbp(b.allocated)})" for b in waiting if b.line.id == i
                ),
                key="reject_line",
            )
            why = st.text_input("Reason for rejecting (the manager will read it)", key="reject_line_reason")
            if st.form_submit_button("Reject line"):
                line = next(b.line for b in waiting if b.line.id == rejected)
                with common.saving("Line rejected"):
                    perform(
                        db,
                        who,
                        allocations.reject_line,
                        int(rejected or 0),
                        line.version,
                        reason=why,
                        on=common.today(),
                    )
    removals.withdraw_approval_form(who, balances)

st.subheader("Virements")
if moves:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Proposed": common.uk_date(v.virement.moved_on),
                    "From": v.from_line,
                    "To": v.to_line,
                    "Amount": common.as_float(v.virement.amount),
                    "State": v.state,
                    "Reason": v.virement.reason,
                }
                for v in moves
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={**common.money_columns("Amount"), "Reason": st.column_config.TextColumn(width="large")},
    )
else:
    st.caption("No virement has been proposed for this fund's lines.")

if who.can_write and len(balances) >= 2:
    with st.form("virement_form", clear_on_submit=True):
        st.markdown("**Propose moving money between lines** (nothing moves until the Strategic Group approves)")
        ids = [b.line.id for b in balances]
        names = {b.line.id: f"{b.description} (balance {common.gbp(b.balance)})" for b in balances}
        cols = common.columns(2)
        source = cols[0].selectbox("From", options=ids, format_func=lambda i: names[i], key="virement_from")
        target = cols[1].selectbox("To", options=ids, index=1, format_func=lambda i: names[i], key="virement_to")
        cols = common.columns([1, 3])
        amount = cols[0].number_input("Amount (£)", min_value=0.0, step=50.0, format="%.2f", key="virement_amount")
        reason = cols[1].text_input("Reason", key="virement_reason", placeholder="e.g. underspend re-used for …")
        if st.form_submit_button("Propose virement", type="primary"):
            with common.saving("Virement proposed: it waits for the Strategic Group"):
                perform(
                    db,
                    who,
                    virements.propose_virement,
                    from_line_id=int(source or 0),
                    to_line_id=int(target or 0),
                    amount=common.to_money(amount),
                    reason=reason,
                    proposed_on=common.today(),
                )

if who.can_approve:
    waiting_moves = [v for v in moves if v.pending]
    if waiting_moves:
        # The choice sits outside the form, so the reason shown below is always the chosen virement's.
        chosen_move = st.selectbox(
            "Virement awaiting a decision",
            options=[v.virement.id for v in waiting_moves],
            format_func=lambda i: next(
                f"{common.gbp(v.virement.amount)} from {v.from_line} to {v.to_line}"
                for v in waiting_moves
                if v.virement.id == i
            ),
            key="decide_virement",
        )
        move = next(v for v in waiting_moves if v.virement.id == chosen_move)
        with st.form("decide_virement_form"):
            st.markdown(f"**Reason given:** {common.md(move.virement.reason)}")
            why = st.text_input("Reason for rejecting (only if you reject)", key="reject_virement_reason")
            cols = common.columns(2)
            if cols[0].form_submit_button("Approve virement", type="primary"):
                with common.saving("Virement approved: the money and its profile have moved"):
                    perform(
                        db,
                        who,
                        virements.approve_virement,
                        int(chosen_move or 0),
                        move.virement.version,
                        on=common.today(),
                    )
            if cols[1].form_submit_button("Reject virement"):
                with common.saving("Virement rejected"):
                    perform(
                        db,
                        who,
                        virements.reject_virement,
                        int(chosen_move or 0),
                        move.virement.version,
                        reason=why,
                        on=common.today(),
                    )
