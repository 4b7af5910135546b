"""Taking back a mistake: delete a spend or a receipt, withdraw an approval. Each asks for a tick first and is
audited by its service (the audit log keeps what the record was)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from grants.domain.enums import SpendKind
from grants.services import allocations, funds_admin, spending, usecase
from grants.services.access import Principal
from grants.ui import common
from grants.ui.context import database

CONFIRM = "Yes, I mean it (the audit log keeps a record of what it was)"


def _confirmed(ticked: bool) -> bool:
    if not ticked:
        st.warning("Nothing changed: tick the box to confirm first.", icon=":material/warning:")
    return ticked


def spend_label(entry: Any) -> str:
    spend = entry.spend
    sign = "-" if spend.kind is SpendKind.REFUND else ""
    reference = f" · {spend.reference}" if spend.reference else ""
    return (
        f"#{spend.id} · {common.uk_date(spend.spent_on)} · {entry.line} · {sign}{common.gbp(spend.amount)}{reference}"
    )


def delete_spend_form(who: Principal, entries: Sequence[Any]) -> None:
    """A spend recorded by mistake: choose it, tick, delete."""
    by_id = {e.spend.id: e for e in entries}
    with st.expander("Delete a spend entered by mistake", icon=":material/delete:"), st.form("delete_spend_form"):
        chosen = st.selectbox(
            "Spend to delete",
            options=list(by_id),
            format_func=lambda i: spend_label(by_id[i]),  # options are shown as plain text
            key="delete_spend_which",
        )
        ticked = st.checkbox(CONFIRM, key="delete_spend_confirm")
        if st.form_submit_button("Delete spend") and _confirmed(ticked):
            entry = by_id[chosen]
            with common.saving(f"Deleted spend #{entry.spend.id} ({common.gbp(entry.spend.amount)})"):
                usecase.perform(database(), who, spending.delete_spend, int(chosen or 0), entry.spend.version)


def delete_receipt_form(who: Principal, receipts: Sequence[Any], fund_id: int) -> None:
    """Money recorded as received or expected by mistake: choose it, tick, delete."""
    by_id = {r.id: r for r in receipts}

    def label(i: int) -> str:
        r = by_id[i]
        when = common.uk_date(r.received_on) if r.received_on else r.status.value
        return f"#{r.id} · {common.gbp(r.amount)} · {when}" + (f" · {r.reference}" if r.reference else "")

    with st.form(f"delete_receipt_form_{fund_id}"):
        st.markdown("**Delete a receipt recorded by mistake**")
        chosen = st.selectbox(
            "Receipt to delete", options=list(by_id), format_func=label, key=f"delete_receipt_{fund_id}"
        )
        ticked = st.checkbox(CONFIRM, key=f"delete_receipt_confirm_{fund_id}")
        if st.form_submit_button("Delete receipt") and _confirmed(ticked):
            target = by_id[chosen]
            with common.saving(f"Deleted receipt #{target.id} ({common.gbp(target.amount)})"):
                usecase.perform(database(), who, funds_admin.delete_receipt, int(chosen or 0), target.version)


def withdraw_approval_form(who: Principal, balances: Sequence[Any]) -> None:
    """The Strategic Group takes back an approval recorded against the wrong line."""
    approved = [b for b in balances if b.line.approved_by]
    if not approved:
        return
    by_id = {b.line.id: b for b in approved}

    def label(i: int) -> str:
        b = by_id[i]
        return (
            f"{b.description} ({common.gbp(b.allocated)}, approved {common.uk_date(b.line.approved_on)} "
            f"by {b.line.approved_by})"
        )

    with st.form("withdraw_approval_form"):
        st.markdown("**Withdraw an approval** (the line goes back to awaiting approval)")
        chosen = st.selectbox("Approved line", options=list(by_id), format_func=label, key="withdraw_line")
        ticked = st.checkbox(CONFIRM, key="withdraw_confirm")
        if st.form_submit_button("Withdraw approval") and _confirmed(ticked):
            line = by_id[chosen].line
            with common.saving(f"Approval withdrawn: {common.md(by_id[chosen].description)} awaits approval again"):
                usecase.perform(
                    database(), who, allocations.withdraw_approval, int(chosen or 0), line.version, on=common.today()
                )
