"""Sign in: with the organisation's identity provider when configured, else a local account."""

from __future__ import annotations

import streamlit as st

from grants.services import users
from grants.services.installation import is_demo
from grants.services.users import DEMO_PASSWORDS
from grants.ui import auth
from grants.ui.common import md
from grants.ui.context import database

st.title("CSP funding tracker")
st.caption("Funding, allocations, spend and returns for community safety partnerships")

provider = auth.oidc_provider()
if provider is not None:
    email = auth.oidc_email()
    if email:
        st.error(
            f"You are signed in as {md(email)}, but no active account here has that email address. "
            "Ask an administrator to add you with your role and partnerships.",
            icon=":material/lock:",
        )
        if st.button("Sign out", key="oidc_sign_out"):
            st.logout()
    else:
        st.write("Sign in with your organisation account.")
        if st.button("Sign in", key="oidc_sign_in", type="primary", icon=":material/login:"):
            st.login(provider or None)
    st.stop()

db = database()
demo = is_demo(db)
if users.user_count(db) == 0:
    st.warning("There are no accounts yet, so no one can sign in.", icon=":material/person:")
    st.markdown(
        "Create the first administrator on the server (the password is asked for there), then sign in here "
        "and add everyone else on the Admin page:"
    )
    st.code(auth.first_admin_command(), language="bash")
    st.caption("To try the app on the demo data instead, run `make run`: it uses its own demo database.")
    st.stop()

with st.form("sign_in_form"):
    username = st.text_input("Username", key="sign_in_username", autocomplete="username")
    password = st.text_input("Password", type="password", key="sign_in_password", autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary")
if submitted:
    problem = auth.sign_in(username, password)
    if problem is None:
        st.rerun()
    st.error(md(problem), icon=":material/lock:")

if demo and users.demo_accounts_present(db):  # passwords are shown for the demo database only
    with st.expander("Demo accounts", expanded=True):
        st.caption("This is the demo database, with the demo accounts. Never use it for real data.")
        st.table(
            [
                {"Username": "manager", "Password": DEMO_PASSWORDS["manager"], "Can": "record money, allocate, spend"},
                {"Username": "strategic", "Password": DEMO_PASSWORDS["strategic"], "Can": "read, approve"},
                {"Username": "viewer", "Password": DEMO_PASSWORDS["viewer"], "Can": "read every partnership"},
                {"Username": "admin", "Password": DEMO_PASSWORDS["admin"], "Can": "manage users"},
                {
                    "Username": "funder",
                    "Password": DEMO_PASSWORDS["funder"],
                    "Can": "the OPCC: county view, accept or query returns",
                },
            ]
        )
