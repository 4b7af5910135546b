"""Admin: accounts, their roles and partnerships, and the partnerships themselves."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from grants.domain.enums import Role
from grants.services import funders, usecase, users
from grants.services import partnerships as partnership_records
from grants.services.access import ROLE_LABELS
from grants.services.passwords import PASSWORD_RULE
from grants.ui import auth, common
from grants.ui.context import database

who = common.principal()
db = database()
st.title("Admin")
if not who.is_admin:
    st.error("Only an administrator manages users and partnerships.", icon=":material/lock:")
    st.stop()

accounts = usecase.read(db, who, users.list_users)
partnerships = usecase.read(db, who, users.list_partnerships)
names = {p.id: p.name for p in partnerships}
funder_names = [f.name for f, _ in usecase.read(db, who, funders.list_funders)]
oidc = auth.oidc_provider() is not None

people, places = st.tabs(["Users", "Partnerships"])

# The add-user form keeps what was typed when the account is refused (e.g. a weak password), and is emptied only
# after the account is added: Streamlit's clear_on_submit would empty it either way.
ADD_USER_FIELDS = ("new_user_name", "new_user_display", "new_user_partnerships", "new_user_all", "new_user_funder")
ADD_USER_PASSWORDS = ("new_user_password", "new_user_password_again")
CLEAR_ADD_USER = "add_user_clear"
if st.session_state.pop(CLEAR_ADD_USER, False):
    for field in (*ADD_USER_FIELDS, *ADD_USER_PASSWORDS):
        st.session_state.pop(field, None)

with people:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Username": u.username,
                    "Name": u.display_name,
                    "Role": ROLE_LABELS[u.role],
                    "Partnerships": "all" if u.all_partnerships else ", ".join(u.partnerships) or "none",
                    "May sign in": "yes" if u.active else "no (disabled)",
                    "Password": "set" if u.has_password else ("(signs in with Microsoft)" if oidc else "not set"),
                }
                for u in accounts
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Managers record money for their partnerships; the Strategic Group reads and approves; viewers read "
        "(the OPCC may see every partnership); administrators manage users. "
        + ("With Microsoft sign-in, the username is the person's work email." if oidc else "")
    )

    with st.expander("Add a user", icon=":material/person_add:"), st.form("add_user_form"):
        cols = common.columns(3)
        username = cols[0].text_input("Username" + (" (work email)" if oidc else ""), key="new_user_name")
        display = cols[1].text_input("Full name", key="new_user_display")
        role = cols[2].selectbox(
            "Role", options=[r.value for r in Role], format_func=lambda r: ROLE_LABELS[Role(r)], key="new_user_role"
        )
        cols = common.columns([3, 1])
        granted = cols[0].multiselect(
            "Partnerships", options=list(names), format_func=names.__getitem__, key="new_user_partnerships"
        )
        everywhere = cols[1].checkbox("All partnerships", key="new_user_all")
        funder = st.selectbox(
            "Funder (for a funder's officer: they see the partnerships it funds)",
            options=["", *funder_names],
            format_func=lambda name: name or "None (not a funder's officer)",
            key="new_user_funder",
        )
        st.caption(f":material/password: {PASSWORD_RULE}")
        cols = common.columns(2)
        password = cols[0].text_input(
            "Password" + (" (optional with Microsoft sign-in)" if oidc else ""),
            type="password",
            key="new_user_password",
            help=PASSWORD_RULE,
        )
        again = cols[1].text_input("Password again", type="password", key="new_user_password_again")
        if st.form_submit_button("Add user", type="primary"):
            if password != again:
                st.error("The two passwords differ.")
            else:
                with common.saving():
                    usecase.perform(
                        db,
                        who,
                        users.add_user,
                        username=username,
                        display_name=display,
                        role=str(role),
                        password=password or None,
                        partnership_ids=[int(i or 0) for i in granted],
                        all_partnerships=everywhere,
                        funder=str(funder or ""),
                    )
                    st.session_state[CLEAR_ADD_USER] = True
                    common.saved(f"Added {common.md(username.strip().lower())}")

    if accounts:
        st.subheader("Change a user")
        by_id = {u.id: u for u in accounts}
        chosen = st.selectbox(
            "User", options=list(by_id), format_func=lambda i: by_id[i].username, key="edit_user_which"
        )
        account = by_id[int(chosen or 0)]
        with st.form(f"edit_user_form_{account.id}"):
            cols = common.columns(3)
            display = cols[0].text_input("Full name", value=account.display_name, key=f"edit_display_{account.id}")
            roles = [r.value for r in Role]
            role = cols[1].selectbox(
                "Role",
                options=roles,
                index=roles.index(account.role.value),
                format_func=lambda r: ROLE_LABELS[Role(r)],
                key=f"edit_role_{account.id}",
            )
            active = cols[2].checkbox("May sign in", value=account.active, key=f"edit_active_{account.id}")
            cols = common.columns([3, 1])
            granted = cols[0].multiselect(
                "Partnerships",
                options=list(names),
                default=[i for i in account.partnership_ids if i in names],
                format_func=names.__getitem__,
                key=f"edit_partnerships_{account.id}",
            )
            everywhere = cols[1].checkbox(
                "All partnerships", value=account.all_partnerships, key=f"edit_all_{account.id}"
            )
            if st.form_submit_button("Save user", type="primary"):
                with common.saving(f"Saved {common.md(account.username)}"):
                    usecase.perform(
                        db,
                        who,
                        users.update_user,
                        account.id,
                        account.version,
                        display_name=display,
                        role=str(role),
                        active=active,
                        partnership_ids=[int(i or 0) for i in granted],
                        all_partnerships=everywhere,
                    )
        with st.form(f"password_form_{account.id}", clear_on_submit=True):
            st.caption(f":material/password: {PASSWORD_RULE}")
            cols = common.columns(2)
            new = cols[0].text_input(
                f"New password for {common.md(account.username)}", type="password", key=f"pw_{account.id}"
            )
            again = cols[1].text_input("Again", type="password", key=f"pw_again_{account.id}")
            if st.form_submit_button("Set password"):
                if new != again:
                    st.error("The two passwords differ.")
                else:
                    with common.saving(f"Password set for {common.md(account.username)}"):
                        usecase.perform(db, who, users.set_password, account.username, new)

with places:
    st.dataframe(
        pd.DataFrame([{"Partnership": p.name, "Area": p.area} for p in partnerships]),
        hide_index=True,
        width="stretch",
    )
    with st.form("add_partnership_form", clear_on_submit=True):
        st.markdown("**Add a partnership**")
        cols = common.columns(2)
        name = cols[0].text_input(
            "Name", key="new_partnership_name", placeholder="e.g. Melton Community Safety Partnership"
        )
        area = cols[1].text_input("Area", key="new_partnership_area", placeholder="e.g. Melton borough")
        if st.form_submit_button("Add partnership", type="primary"):
            with common.saving(f"Added {common.md(name.strip())}"):
                usecase.perform(db, who, users.add_partnership, name, area)
    if partnerships:
        by_partnership = {p.id: p for p in partnerships}
        which = st.selectbox(
            "Rename a partnership",
            options=list(by_partnership),
            format_func=lambda i: by_partnership[i].name,
            key="rename_partnership_which",
        )
        target = by_partnership[which]
        with st.form(f"rename_partnership_form_{which}"):
            cols = common.columns(2)
            new_name = cols[0].text_input("Name", value=target.name, key=f"rename_name_{which}")
            new_area = cols[1].text_input("Area", value=target.area, key=f"rename_area_{which}")
            if st.form_submit_button("Save partnership"):
                with common.saving("Partnership saved"):
                    usecase.perform(
                        db, who, users.update_partnership, int(which or 0), target.version, name=new_name, area=new_area
                    )
        with st.form(f"local_authority_form_{which}"):
            st.markdown("**Local authority** (its ONS GSS code is the location the 360Giving export publishes)")
            cols = common.columns(2)
            la_code = cols[0].text_input(
                "GSS code", value=target.la_code, key=f"la_code_{which}", placeholder="e.g. E07000130"
            )
            la_name = cols[1].text_input(
                "Name", value=target.la_name, key=f"la_name_{which}", placeholder="e.g. Charnwood"
            )
            if st.form_submit_button("Save local authority"):
                with common.saving("Local authority saved"):
                    usecase.perform(
                        db, who, partnership_records.set_local_authority, int(which or 0), code=la_code, name=la_name
                    )
