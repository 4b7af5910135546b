"""The app's shared pieces: one Database per process, cached reads cleared after writes."""

from __future__ import annotations

import streamlit as st

from grants.services.demo import ensure_demo
from grants.storage.database import Database


@st.cache_resource(show_spinner="Opening the ledger…")
def database() -> Database:
    """The process's database: migrated on start; the demo loaded into an empty default database."""
    db = Database()
    db.migrate()
    ensure_demo(db)
    return db


def clear_caches() -> None:
    """Call after every write so no page shows stale totals."""
    st.cache_data.clear()
