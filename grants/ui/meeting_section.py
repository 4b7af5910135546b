"""The strategic group meeting's pack on the Reports page: make it as at the meeting, or freeze it for the
meeting (kept as shown and downloaded byte for byte afterwards)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from grants.services import meetings, usecase
from grants.services.access import Principal
from grants.storage.database import Database
from grants.ui import common

MIME = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def meeting_section(who: Principal, db: Database, partnership_id: int) -> None:
    """The meeting pack's date, the last meeting's date, downloads and the freeze button."""
    st.markdown("**Strategic Group meeting pack**")
    st.caption(
        "The budget tables as at the meeting, what changed since the last meeting (lines, amounts, virements, "
        "spend), the findings and the Budget / Resource Implications per priority. Freeze it for the meeting "
        "to keep it exactly as shown."
    )
    cols = common.columns(2)
    meeting_on: date = cols[0].date_input("Meeting date", value=common.today(), format="DD/MM/YYYY", key="meeting_on")
    since = cols[1].date_input(
        "Last meeting (blank: the last frozen pack)", value=None, format="DD/MM/YYYY", key="meeting_since"
    )
    frozen = usecase.read(db, who, meetings.frozen_pack, partnership_id, meeting_on)
    if frozen is not None:
        st.info(
            f"Frozen for this meeting on {frozen.frozen_at:%d/%m/%Y at %H:%M} by {frozen.frozen_by}: it downloads "
            f"exactly as shown (SHA-256 of the PDF {frozen.pdf_sha256[:16]}…).",
            icon=":material/ac_unit:",
        )
    buttons = common.columns(3)
    for column, fmt, label in zip(buttons[:2], ("pdf", "xlsx"), ("PDF", "Excel"), strict=True):

        def make(fmt: str = fmt) -> bytes:
            kept = usecase.read(db, who, meetings.frozen_pack, partnership_id, meeting_on)
            if kept is not None:
                return kept.data(fmt)
            pack = usecase.read(
                db, who, meetings.meeting_pack, partnership_id, meeting_on=meeting_on, since=since or None
            )
            return meetings.render_meeting_pack(pack, fmt)

        column.download_button(
            f"Meeting pack ({label})",
            data=make,
            file_name=f"meeting-pack-{meeting_on:%Y-%m-%d}.{fmt}",
            mime=MIME[fmt],
            key=f"meeting_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
    freeze = frozen is None and who.can_write
    if freeze and buttons[2].button("Freeze for the meeting", key="meeting_freeze", icon=":material/ac_unit:"):
        with common.saving(f"Meeting pack of {meeting_on:%d/%m/%Y} frozen"):
            usecase.perform(
                db, who, meetings.freeze_meeting_pack, partnership_id, meeting_on=meeting_on, since=since or None
            )
