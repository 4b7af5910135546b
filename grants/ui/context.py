"""The app's shared pieces: one Database per process, and clearing cached reads after writes."""

from __future__ import annotations

import streamlit as st

from grants.storage.database import Database


@st.cache_resource(show_spinner="Opening the ledger…")
def database() -> Database:
    """The process's database, migrated on start. Nothing is loaded into it and no account is made here:
    ``init --demo`` (``make run``) makes the demo database, ``python -m grants users add`` the first
    administrator of a real one.
    """
    db = Database()
    db.migrate()
    return db
