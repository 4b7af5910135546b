"""Audit log: who changed what, when, from what to what. Read-only."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
import streamlit as st

from grants.ui import common, data

ENTITIES = {
    "budget_lines": "Budget line",
    "spends": "Spend",
    "funds": "Fund",
    "receipts": "Receipt",
    "virements": "Virement",
    "profile_entries": "Profile",
    "outcome_updates": "Outcome update",
    "outcome_targets": "Outcome target",
    "grant_rounds": "Grant round",
    "applications": "Application",
    "returns": "Return",
    "match_contributions": "Match funding",
    "imported_tables": "Imported table",
    "partnerships": "Partnership",
    "funders": "Funder",
    "users": "User",
}
ACTIONS = {
    "create": "added",
    "update": "changed",
    "delete": "removed",
    "import": "imported",
    "set-password": "password set",
}
MONEY_FIELDS = {"amount", "allocated", "reported_balance", "requested", "cap", "hourly_rate", "per_grant_cap"}


def shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name in MONEY_FIELDS:
        try:
            return common.gbp(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def change_text(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """ "allocated: £5,000.00 → £6,000.00" for updates; the record's main fields for adds and removals."""
    if before and after:
        return "; ".join(f"{k}: {shown(k, before.get(k))} → {shown(k, after.get(k))}" for k in after)
    record = after or before or {}
    keys = [
        k
        for k in ("description", "name", "code", "year", "username", "role", "applicant", "reference")
        if record.get(k)
    ]
    keys += [k for k in MONEY_FIELDS if k in record]
    keys += [
        k for k in ("spent_on", "received_on", "period", "kind", "status", "rows", "source", "fund") if record.get(k)
    ]
    return "; ".join(f"{k}: {shown(k, record[k])}" for k in dict.fromkeys(keys)) or "—"


who = common.principal()
st.title("Audit log")
st.caption(
    "Every change to the ledger: who made it, when, and the values before and after. Nothing here can be edited."
)

cols = common.columns([2, 2, 1])
entity = cols[0].selectbox(
    "Record type",
    options=[None, *[e for e in ENTITIES if e != "users" or who.is_admin]],
    format_func=lambda e: "Everything" if e is None else ENTITIES[e],
    key="audit_entity",
)
limit = cols[2].selectbox(
    "Show", options=[100, 500, 2000], index=1, key="audit_limit", format_func=lambda n: f"newest {n}"
)
events = data.audit_events(who, entity, int(limit))
actors = sorted({e.actor for e in events})
actor = cols[1].selectbox(
    "Who", options=[None, *actors], format_func=lambda a: "Anyone" if a is None else a, key="audit_actor"
)
events = [e for e in events if actor is None or e.actor == actor]
if not events:
    st.info("No changes recorded that you can see.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "When": common.uk_datetime(e.at),
                "Who": e.actor,
                "Did": ACTIONS.get(e.action, e.action),
                "What": f"{ENTITIES.get(e.entity, e.entity)}" + (f" #{e.entity_id}" if e.entity_id is not None else ""),
                "Change": change_text(e.before, e.after),
            }
            for e in events
        ]
    ),
    hide_index=True,
    width="stretch",
    column_config={"Change": st.column_config.TextColumn(width=480)},  # stays on screen; long changes wrap
    row_height=78,  # taller rows wrap a long change (click a cell for the whole of it) rather than cutting it short
)
st.caption(f"{len(events)} change(s), newest first. Times are as recorded (UTC).")
