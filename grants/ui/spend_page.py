"""Spend: record a payment, refund or income; import a spend ledger (preview first); match funding."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from grants.domain.enums import MatchKind, SpendKind
from grants.domain.errors import RuleViolation
from grants.imports.parsed import ImportRejected
from grants.services import importing, period_lock, spending, usecase
from grants.ui import common, data, import_panel, removals
from grants.ui.context import database

KINDS = {"payment": "Payment out", "refund": "Refund back to the line", "income": "Income (e.g. bike locks sold)"}


# Session key: the (fund, SHA-256) of uploads imported in this session, so the Import button goes once done.
# (A comment, not a docstring: Streamlit's "magic" writes a bare string in a page script onto the page.)
IMPORTED = "spend_imported"


def run_import(uploaded: Any, fund_id: int, *, dry_run: bool, allow_repeat: str = "", progress: Any = None) -> Any:
    """Write the upload to a temporary file with its own name (messages name the file) and import it.

    The preview is the same use case run without committing (``usecase.read``).
    """
    run = usecase.read if dry_run else usecase.perform
    with tempfile.TemporaryDirectory(prefix="grants-upload-") as folder:
        path = Path(folder) / Path(uploaded.name).name
        path.write_bytes(uploaded.getvalue())
        return run(
            database(),
            who,
            importing.import_spend,
            fund_id,
            path,
            dry_run=dry_run,
            allow_repeat=allow_repeat,
            progress=progress,
        )


def upload_key(uploaded: Any, fund_id: int) -> str:
    return f"{fund_id}:{hashlib.sha256(uploaded.getvalue()).hexdigest()}"


def import_section(uploaded: Any, fund_id: int) -> None:
    """Preview the upload; import it once; a file already imported into the fund asks for a reason first."""
    key = upload_key(uploaded, fund_id)
    done = st.session_state.setdefault(IMPORTED, {})
    if key in done:
        st.success(f"Imported: {common.md(done[key])}", icon=":material/check_circle:")
        return
    reason = ""
    try:
        try:
            preview = run_import(uploaded, fund_id, dry_run=True)
        except RuleViolation as repeat:
            st.warning(f"{common.md(repeat)}", icon=":material/content_copy:")
            reason = st.text_input(
                "Why import this file again? (recorded in the audit log)", key="spend_repeat_reason"
            ).strip()
            if not reason:
                return
            preview = run_import(uploaded, fund_id, dry_run=True, allow_repeat=reason)
    except ImportRejected as error:
        st.error(f"{common.md(uploaded.name)} cannot be imported: {len(error.problems)} problem(s). Nothing was saved.")
        st.dataframe(import_panel.problems_table(error), hide_index=True, width="stretch")
        return
    except Exception as error:
        st.error(f"{common.md(uploaded.name)} could not be read: {common.md(error)}")
        return
    st.success(f"Preview: {common.md(preview.summary())}", icon=":material/search:")
    if preview.duplicate_count:
        st.warning(
            f"{preview.duplicate_count} row(s) look like spend already recorded (same date, amount, line, "
            "reference and kind): check they are not counted twice.",
            icon=":material/content_copy:",
        )
        with st.expander(f"Likely duplicates ({preview.duplicate_count})"):
            for item in preview.likely_duplicates:
                st.text(item)
    with st.expander(f"What would change ({len(preview.changes)})", expanded=True):
        import_panel.show_preview(preview)
    label = f"Import {preview.rows_read} row(s)" + (" again" if reason else "")
    if st.button(label, type="primary", key="spend_import"):
        bar = st.progress(0.0, text="Importing…")
        with common.saving():
            report = run_import(
                uploaded,
                fund_id,
                dry_run=False,
                allow_repeat=reason,
                progress=lambda share: bar.progress(share, text="Importing…"),
            )
            done[key] = report.summary()
            common.saved(common.md(report.summary()))


who = common.principal()
db = database()
st.title("Spend")
fund_id = common.require_fund()
fund = data.fund(who, fund_id)
balances = data.lines(who, fund_id)
st.subheader(f"{common.md(fund.code)} {fund.year} · {common.md(fund.name)}")

if who.can_write and balances:
    record, upload, match = st.tabs(["Record spend", "Import a spend ledger", "Match funding"])
    with record, st.form("spend_form", clear_on_submit=True):
        names = {b.line.id: f"{b.description} (balance {common.gbp(b.balance)})" for b in balances}
        line_id = st.selectbox("Budget line", options=list(names), format_func=lambda i: names[i], key="spend_line")
        cols = common.columns(4)
        spent_on = cols[0].date_input("Date", value=common.as_at(), format="DD/MM/YYYY", key="spend_on")
        amount = cols[1].number_input("Amount (£)", min_value=0.0, step=10.0, format="%.2f", key="spend_amount")
        kind = cols[2].selectbox("Kind", options=list(KINDS), format_func=KINDS.__getitem__, key="spend_kind")
        reference = cols[3].text_input("Reference", key="spend_reference", placeholder="invoice or PO number")
        adjustment = st.text_input(
            "Post-submission adjustment: why (only for a date inside a period whose return was submitted)",
            key="spend_adjustment",
        )
        if st.form_submit_button("Record spend", type="primary"):
            with (
                common.saving(f"Recorded {KINDS[str(kind)].lower()} of {common.gbp(common.to_money(amount))}"),
                period_lock.adjusting(adjustment),
            ):
                usecase.perform(
                    db,
                    who,
                    spending.record_spend,
                    int(line_id or 0),
                    spent_on=spent_on,
                    amount=common.to_money(amount),
                    kind=SpendKind(kind),
                    reference=reference,
                )
    with upload:
        st.caption(
            "A CSV or Excel file with one row per payment: the budget line, date, amount, and optionally kind and "
            "reference. The whole file is checked first; nothing is saved until every row is right."
        )
        import_panel.template_downloads("spend", "spend_template")
        uploaded = st.file_uploader("Spend ledger", type=["csv", "xlsx"], key="spend_upload")
        if uploaded is not None:
            import_section(uploaded, fund_id)
    with match:
        matches = data.matches(who, fund_id)
        if matches:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Date": common.uk_date(m.contributed_on),
                            "Contributor": m.contributor,
                            "Kind": "in-kind hours" if m.kind is MatchKind.IN_KIND else "cash",
                            "Hours": str(m.hours) if m.hours is not None else "",
                            "Rate": common.as_float(m.hourly_rate),
                            "Value": common.as_float(m.value),
                        }
                        for m in matches
                    ]
                ),
                hide_index=True,
                width="stretch",
                column_config=common.money_columns("Rate", "Value"),
            )
        with st.form("match_form", clear_on_submit=True):
            cols = common.columns(3)
            match_kind = cols[0].selectbox(
                "Kind", options=["cash", "in_kind"], key="match_kind", format_func=lambda k: k.replace("_", "-")
            )
            contributor = cols[1].text_input("Contributor", key="match_contributor")
            on = cols[2].date_input("Date", value=common.as_at(), format="DD/MM/YYYY", key="match_on")
            cols = common.columns(3)
            cash = cols[0].number_input("Cash (£)", min_value=0.0, step=100.0, format="%.2f", key="match_cash")
            hours = cols[1].number_input("Hours (in-kind)", min_value=0.0, step=1.0, key="match_hours")
            rate = cols[2].number_input("Hourly rate (£)", min_value=0.0, step=1.0, format="%.2f", key="match_rate")
            if st.form_submit_button("Add match contribution"):
                with common.saving("Match contribution recorded"):
                    usecase.perform(
                        db,
                        who,
                        spending.record_match,
                        fund_id,
                        kind=str(match_kind),
                        contributed_on=on,
                        contributor=contributor,
                        amount=common.to_money(cash),
                        hours=common.to_money(hours) if match_kind == "in_kind" else None,
                        hourly_rate=common.to_money(rate) if match_kind == "in_kind" else None,
                    )
elif not who.can_write:
    common.read_only_note(who, "record spend")
else:
    st.info("This fund has no budget lines yet: add them on the Allocations page first.")

st.subheader("Spend recorded")
entries = data.spends(who, fund_id)
if not entries:
    st.info("No spend recorded against this fund yet.")
else:
    lines = sorted({e.line for e in entries})
    chosen = st.multiselect("Lines", options=lines, key="spend_filter_lines", placeholder="All lines")
    shown = [e for e in entries if not chosen or e.line in chosen]
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Date": common.uk_date(e.spend.spent_on),
                    "Line": e.line,
                    "Kind": e.spend.kind.value,
                    "Amount": common.signed_money(
                        e.spend.amount if e.spend.kind is not SpendKind.REFUND else -e.spend.amount
                    ),
                    "Reference": e.spend.reference,
                }
                for e in shown
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config=common.money_columns(signed=("Amount",)),
    )
    st.caption(f"{len(shown)} entr{'y' if len(shown) == 1 else 'ies'}, newest first")
    if who.can_write and shown:
        removals.delete_spend_form(who, shown)
