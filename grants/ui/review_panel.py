"""The funder's review of a submitted return, as a panel: the history, and what the signed-in person can do.

The funder's officer accepts or queries the version in force; the Community Safety Manager answers a query in
words here (or with an amended version, in the return's workflow above). Shown on the Reports page under a
return and in the County view's drill-down.
"""

from __future__ import annotations

import streamlit as st

from grants.services import return_review, usecase
from grants.services.access import Principal
from grants.storage.database import Database
from grants.ui import common


def show(who: Principal, db: Database, fund_id: int, period: str, *, status: str, review: str, key: str) -> None:
    """The exchange with the funder about one return (``status``/``review``: the stored return's)."""
    history = usecase.read(db, who, return_review.return_history, fund_id, period)
    st.markdown("**History with the funder**")
    if not history:
        st.caption("Not submitted yet: the funder reviews a return once it is submitted.")
    for row in history:
        st.markdown(
            f"- {common.uk_date(row.on)} — {common.md(row.what)} by {common.md(row.who)}"
            + (f": “{common.md(row.comment)}”" if row.comment else "")
        )
    if status != "submitted":
        return
    if who.can_review and not who.local and review != return_review.ACCEPTED:
        with st.form(f"review_form_{key}"):
            comment = st.text_area(
                "Comment for the partnership (required to query)", key=f"review_comment_{key}", max_chars=2000
            )
            accept, query = common.columns(2)
            if accept.form_submit_button("Accept the return", type="primary", icon=":material/task_alt:"):
                with common.saving("Return accepted"):
                    usecase.perform(db, who, return_review.accept_return, fund_id, period, comment=comment)
            if query.form_submit_button("Query the return", icon=":material/help:"):
                with common.saving("Query sent to the partnership"):
                    usecase.perform(db, who, return_review.query_return, fund_id, period, comment=comment)
    if who.can_write and not who.local and review == return_review.QUERIED:
        with st.form(f"reply_form_{key}"):
            st.markdown("The funder has queried this return: reply in words, or submit an amended version above.")
            reply = st.text_area("Your reply to the funder", key=f"reply_text_{key}", max_chars=4000)
            if st.form_submit_button("Send the reply", icon=":material/reply:"):
                with common.saving("Reply sent to the funder"):
                    usecase.perform(db, who, return_review.reply_to_query, fund_id, period, comment=reply)
