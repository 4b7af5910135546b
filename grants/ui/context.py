"""The app's shared pieces: one Database per process, and clearing cached reads after writes."""

from __future__ import annotations

import streamlit as st

from grants.services.demo import ensure_demo
from grants.storage.database import Database


@st.cache_resource(show_spinner="Opening the ledger…")
def database() -> Database:
    """The process's database: migrated on start; the demo data loaded into an empty database.

    Accounts are never created here: the demo set-up (or ``python -m grants users demo``)
    makes the demo accounts, and ``python -m grants users add`` the first administrator.
    """
    db = Database()
    db.migrate()
    ensure_demo(db)
    return db
