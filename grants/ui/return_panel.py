"""The OPCC return's workflow in the Reports page: the draft's words, sign-off, submission, amendment and
the versions sent (grants/services/return_workflow.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from grants.services import return_workflow, returns, usecase, year_close
from grants.services.access import Principal
from grants.storage.database import Database
from grants.ui import common, review_panel

MIME_PDF = "application/pdf"


def _refusal(error: return_workflow.SubmissionRefused) -> None:
    st.error(
        "Not submitted. Each of these must be put right first:\n\n"
        + "\n".join(f"- {common.md(reason)}" for reason in error.reasons),
        icon=":material/block:",
    )


def _submit(done: str, action: Callable[[], object]) -> None:
    """Submit (or amend); a refusal lists each of its reasons (``common.saving`` would run them into one line)."""
    with common.saving():
        try:
            action()
        except return_workflow.SubmissionRefused as refused:
            _refusal(refused)
            return
        common.saved(done)


def words_form(who: Principal, db: Database, fund_id: int, period: str, view: Any) -> None:
    """The manager writes the draft's words; each is saved on the draft as written."""
    saved = usecase.read(db, who, return_workflow.draft_words, fund_id, period)
    needing = [line for line in view.lines if line.rag in ("Red", "Amber")]
    others = [
        line for line in view.lines if line.rag not in ("Red", "Amber") and saved.explanation_of(line.description)
    ]
    with st.form("return_words_form"):
        st.markdown("**The draft's words** (saved on the draft; they appear in every PDF of it)")
        explained: dict[str, str] = {}
        for index, line in enumerate([*needing, *others]):
            explained[line.description] = st.text_area(
                f"{line.description} ({line.rag}, variance {common.gbp(line.variance)})",
                value=saved.explanation_of(line.description),
                key=f"return_explain_{fund_id}_{period}_{index}",
            )
        general = st.text_area("Explanation of variances overall", value=saved.general, key="return_explanations")
        outcomes = st.text_area("Outcomes in the period", value=saved.outcomes, key="return_outcomes")
        risks = st.text_area("Risks", value=saved.risks, key="return_risks")
        if st.form_submit_button("Save the draft's words", icon=":material/save:"):
            with common.saving("The draft's words are saved"):
                usecase.perform(
                    db, who, return_workflow.save_words, fund_id, period, explanations=explained, general=general,
                    outcomes=outcomes, risks=risks,
                )  # fmt: skip


def show(who: Principal, db: Database, fund_id: int, period: str, view: Any, slug: str) -> None:
    """Where the return stands, and what the signed-in person can do next."""
    state = usecase.read(db, who, return_workflow.return_state, fund_id, period)
    if state.get("signed_off_by"):
        st.caption(
            f"Signed off by {common.md(state['signed_off_by'])} ({common.md(state['signed_off_role'])}) on "
            f"{state['signed_off_on']}"
            + ("" if state.get("signed_off_current", True) else " — the figures have changed since: sign off again")
        )
    submitted = view.status == "submitted"
    if who.can_write and not submitted:
        words_form(who, db, fund_id, period, view)
    if who.can_approve and not who.local:
        label = "Sign off the current figures" + (" for an amendment" if submitted else "")
        if st.button(label, key="return_sign_off", icon=":material/approval:"):
            with common.saving("Signed off"):
                usecase.perform(db, who, return_workflow.sign_off, fund_id, period, on=common.today())
    if who.can_write and not submitted:
        on = st.date_input("Submitted on", value=common.today(), format="DD/MM/YYYY", key="return_on")
        if st.button("Submit and freeze", type="primary", key="return_submit", icon=":material/send:"):
            _submit(
                f"{view.period} return submitted and frozen",
                lambda: usecase.perform(db, who, return_workflow.submit_return, fund_id, period, on=on),
            )
    if who.can_write and submitted:
        with st.form("return_amend_form"):
            st.markdown("**Amend** (a new version from the current ledger; earlier versions stay as sent)")
            reason = st.text_input("Why (e.g. the funder asked for a correction)", key="return_amend_reason")
            if st.form_submit_button("Submit an amended version"):
                _submit(
                    "Amended version submitted",
                    lambda: usecase.perform(
                        db, who, return_workflow.amend_return, fund_id, period, reason=reason, on=common.today()
                    ),
                )
    if not who.can_write and not who.can_approve:
        common.read_only_note(who, "submit returns")
    versions = usecase.read(db, who, return_workflow.versions, fund_id, period)
    for version in versions:

        def make(number: int = version.number) -> bytes:
            return usecase.read(db, who, returns.version_pdf, fund_id, period, number)

        st.download_button(
            f"Version {version.number}, submitted {common.uk_date(version.submitted_on)} by {version.submitted_by}"
            + (f" ({version.reason})" if version.reason else ""),
            data=make,
            file_name=f"opcc-return-{slug}-v{version.number}.pdf",
            mime=MIME_PDF,
            key=f"return_version_{version.number}",
            on_click="ignore",
            icon=":material/history:",
        )
    review_panel.show(
        who, db, fund_id, period, status=view.status, review=str(state.get("review", "")), key=f"reports_{slug}"
    )


def year_controls(who: Principal, db: Database, partnerships: list[Any], year: str) -> None:
    """The Strategic Group closes the year (its ledger becomes read-only); an administrator reopens it."""
    if who.local or not (who.can_approve or who.is_admin):
        return
    with st.expander(f"Close or reopen {year}"):
        for partnership in partnerships:
            closures = usecase.read(db, who, year_close.closed_years, partnership.id)
            current = next((c for c in reversed(closures) if c.year == year and c.closed), None)
            name = common.md(partnership.name)
            if current is not None:
                st.caption(
                    f"{name}: {year} closed on {common.uk_date(current.closed_on)} by {common.md(current.closed_by)}"
                )
                if who.is_admin:
                    reason = st.text_input("Why reopen it", key=f"reopen_reason_{partnership.id}")
                    if st.button(f"Reopen {year} for {partnership.name}", key=f"reopen_{partnership.id}"):
                        with common.saving(f"{year} reopened"):
                            usecase.perform(
                                db, who, year_close.reopen_year, partnership.id, year, on=common.today(), reason=reason
                            )
            elif who.can_approve and st.button(
                f"Close {year} for {partnership.name} (its ledger becomes read-only)", key=f"close_{partnership.id}"
            ):
                with common.saving(f"{year} closed"):
                    usecase.perform(db, who, year_close.close_year, partnership.id, year, on=common.today())
