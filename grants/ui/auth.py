"""Signing in: an OIDC provider through ``st.login`` when ``[auth]`` is configured, else local accounts.

With OIDC (e.g. Microsoft Entra ID) the provider proves who the person is and Streamlit keeps
the identity in a signed cookie; the verified email must match an active account's username
here, which gives the role and partnerships. Without ``[auth]`` in ``.streamlit/secrets.toml``,
people sign in with a local username and password (scrypt hashes in the users table) through
:mod:`grants.services.signin`: guesses are throttled, and the session's token is kept in a cookie
(``grants_session``, set by a few lines of JavaScript since Streamlit cannot set one itself; read
back with ``st.context.cookies``), so a browser refresh keeps the person signed in until sign-out or
30 minutes idle. A principal put in the session state without a token (the AppTest suites) is
re-read from the users table on every run, as before.

This module owns the ``principal`` session-state key. Every run re-reads the account, so a
changed role or a deactivated account takes effect on the next click.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from grants.services import signin, users
from grants.services.access import Principal
from grants.services.installation import DEMO_NOTICE, is_demo
from grants.storage.database import Database
from grants.ui.common import PRINCIPAL
from grants.ui.context import database

COOKIE = "grants_session"
TOKEN = "session_token"
PENDING_COOKIE = "session_cookie_pending"


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
        found = _local_principal(db)
    if found is None:
        st.session_state.pop(PRINCIPAL, None)
    else:
        st.session_state[PRINCIPAL] = found
    return found


def _local_principal(db: Database) -> Principal | None:
    token = st.session_state.get(TOKEN) or _cookie()
    if token:
        found = signin.resume(db, token)
        if found is None:
            st.session_state.pop(TOKEN, None)
            if _cookie():
                st.session_state[PENDING_COOKIE] = ""  # forget the ended session's cookie
        else:
            st.session_state[TOKEN] = token
        return found
    held = st.session_state.get(PRINCIPAL)
    return users.principal_for(db, held.username) if isinstance(held, Principal) else None


def _cookie() -> str:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no request behind this run
        return ""
    return value if isinstance(value, str) else ""  # (AppTest answers with a mock)


def sign_in(username: str, password: str) -> str | None:
    """Check a local username and password (throttled); None on success, else the message to show."""
    result = signin.sign_in(database(), username, password)
    if result.principal is None:
        return result.message
    st.session_state[PRINCIPAL] = result.principal
    st.session_state[TOKEN] = result.token
    st.session_state[PENDING_COOKIE] = result.token
    return None


def sign_out() -> None:
    signin.sign_out(database(), st.session_state.pop(TOKEN, "") or _cookie())
    st.session_state.pop(PRINCIPAL, None)
    st.session_state[PENDING_COOKIE] = ""
    if oidc_provider() is not None and st.user.is_logged_in:
        st.logout()
    st.rerun()


def write_cookie() -> None:
    """Set (after sign-in) or clear (after sign-out) the session cookie in the browser, once."""
    if PENDING_COOKIE not in st.session_state:
        return
    token = str(st.session_state.pop(PENDING_COOKIE))
    if not all(c.isalnum() or c in "-_" for c in token):  # token_urlsafe: nothing to escape
        return
    age = 12 * 3600 if token else 0  # the server ends an idle session long before
    st.html(
        "<script>document.cookie = "
        f"'{COOKIE}={token}; path=/; max-age={age}; samesite=strict'"
        " + (location.protocol === 'https:' ? '; secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def demo_banner() -> None:
    """ "Demo data" at the top of every page (and the sign-in page) of a demo database."""
    if is_demo(database()):
        st.warning(DEMO_NOTICE, icon=":material/science:")


def first_admin_command() -> str:
    return "python -m grants users add YOUR-USERNAME --role admin --all-partnerships"
