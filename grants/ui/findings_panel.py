"""The Compliance page's accepted findings: what the Strategic Group accepted (who, when, why), accepting the
finding on screen, withdrawing an acceptance, and how many findings sit on closed years."""

from __future__ import annotations

from typing import Any

import streamlit as st

from grants.services import finding_acceptance, usecase
from grants.services.access import Principal
from grants.services.finding_review import accepted_note
from grants.ui import common
from grants.ui.context import database


def settled(who: Principal, reviewed: Any) -> None:
    """Accepted findings (with a withdraw button for the Strategic Group) and the closed years' count."""
    if reviewed.closed:
        years = sorted({f"{f.fund} {f.year}" for f in reviewed.closed})
        st.caption(
            f"{len(reviewed.closed)} finding(s) on closed years ({common.md(', '.join(years))}) are not listed; "
            "they stay in those years' packs."
        )
    if not reviewed.accepted:
        return
    with st.expander(f"Accepted findings ({len(reviewed.accepted)}): shown as accepted, they do not block a return"):
        for index, (finding, acceptance) in enumerate(reviewed.accepted):
            st.markdown(
                f"**{common.md(finding.fund)} {common.md(finding.year)} · "
                f"{common.md(finding.line or 'whole fund')}** · "
                f"{common.md(finding.message)}  \n{common.md(accepted_note(acceptance))}"
            )
            if who.can_approve and not who.local and st.button("Withdraw the acceptance", key=f"withdraw_{index}"):
                with common.saving("Acceptance withdrawn: the finding is open again"):
                    usecase.perform(
                        database(), who, finding_acceptance.withdraw_acceptance, int(acceptance.fund_id),
                        code=acceptance.code, line=acceptance.line or None, reason="withdrawn in the app",
                        on=common.today(),
                    )  # fmt: skip


def accept_form(who: Principal, picked: Any, as_at: Any) -> None:
    """The Strategic Group accepts the selected finding with a reason and an optional review date."""
    if not who.can_approve or who.local or picked.fund_id is None:
        return
    with st.form("accept_finding_form", clear_on_submit=True):
        st.markdown("**Accept this finding** (it stops blocking the return; it comes back if its figures change)")
        reason = st.text_area("Why the partnership accepts it", key="accept_reason")
        review_on = st.date_input("Review by (optional)", value=None, format="DD/MM/YYYY", key="accept_review_on")
        if st.form_submit_button("Accept the finding", icon=":material/task_alt:"):
            with common.saving(f"{picked.code} accepted"):
                usecase.perform(
                    database(), who, finding_acceptance.accept_finding, int(picked.fund_id), code=picked.code,
                    line=picked.line, reason=reason, review_on=review_on, on=common.today(), as_at=as_at,
                )  # fmt: skip
