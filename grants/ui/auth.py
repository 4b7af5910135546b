"""Signing in: an OIDC provider through ``st.login`` when ``[auth]`` is configured, else local accounts.

With OIDC (e.g. Microsoft Entra ID) the provider proves who the person is and Streamlit keeps
the identity in a signed cookie; the verified email must match an active account's username
here, which gives the role and partnerships. Without ``[auth]`` in ``.streamlit/secrets.toml``,
people sign in with a local username and password (scrypt hashes in the users table); the
sign-in lasts for the browser tab's session.

This module owns the ``principal`` session-state key. Every run re-reads the account, so a
changed role or a deactivated account takes effect on the next click.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from grants.services import users
from grants.services.access import Principal
from grants.services.installation import DEMO_NOTICE, is_demo
from grants.ui.common import PRINCIPAL
from grants.ui.context import database


def oidc_provider() -> str | None:
    """The configured OIDC provider's name ("" for a single unnamed one), or None without ``[auth]``."""
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets.toml at all
        return None
    if not section:
        return None
    named = [key for key, value in section.items() if isinstance(value, Mapping)]
    return named[0] if named else ""


def oidc_email() -> str | None:
    """The signed-in OIDC identity's email (Entra ID may send it as ``preferred_username``)."""
    if not st.user.is_logged_in:
        return None
    for claim in ("email", "preferred_username", "upn"):
        value = st.user.get(claim)
        if isinstance(value, str) and "@" in value:
            return value
    return None


def current_principal() -> Principal | None:
    """Who is signed in now, re-read from the users table; None when no one is."""
    db = database()
    if oidc_provider() is not None:
        email = oidc_email()
        found = users.principal_for_email(db, email) if email else None
    else:
        held = st.session_state.get(PRINCIPAL)
        found = users.principal_for(db, held.username) if isinstance(held, Principal) else None
    if found is None:
        st.session_state.pop(PRINCIPAL, None)
    else:
        st.session_state[PRINCIPAL] = found
    return found


def sign_in(username: str, password: str) -> bool:
    """Check a local username and password; on success remember the principal for this session."""
    found = users.authenticate(database(), username, password)
    if found is None:
        return False
    st.session_state[PRINCIPAL] = found
    return True


def sign_out() -> None:
    st.session_state.pop(PRINCIPAL, None)
    if oidc_provider() is not None and st.user.is_logged_in:
        st.logout()
    st.rerun()


def demo_banner() -> None:
    """ "Demo data" at the top of every page (and the sign-in page) of a demo database."""
    if is_demo(database()):
        st.warning(DEMO_NOTICE, icon=":material/science:")


def first_admin_command() -> str:
    return "python -m grants users add YOUR-USERNAME --role admin --all-partnerships"
