"""The tracker's web app: page config, sign-in, the role's navigation, and the shared sidebar.

Pages are thin scripts in ``grants/ui/*_page.py`` over the service layer; which pages a
person sees depends on their role (``grants.ui.navigation``), and what they may do on a page
is decided again by the services (``grants.services.access``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from grants.ui import auth, common
from grants.ui.navigation import LOGIN_PAGE, pages_for

# The favicon is a local file: a ":material/…:" icon would be fetched from an outside host on every page.
FAVICON = Path(__file__).parent / "grants" / "ui" / "favicon.svg"
st.set_page_config(page_title="CSP funding tracker", page_icon=str(FAVICON), layout="wide")

common.accessibility_styles()
auth.demo_banner()
principal = auth.current_principal()
auth.write_cookie()
if principal is None:
    st.navigation(
        [st.Page(LOGIN_PAGE, title="Sign in", icon=":material/login:", default=True)], position="hidden"
    ).run()
    st.stop()

common.show_flash()
sections: dict[str, list[st.Page]] = {}
for index, spec in enumerate(pages_for(principal.role)):
    page = st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=index == 0)
    sections.setdefault(spec.section, []).append(page)
# Streamlit's own sectioned menu puts its section headers inside the list (a <ul> with <div> children), which
# screen readers cannot follow; the menu is drawn here instead, as links under each section's name.
navigation = st.navigation(sections, position="hidden")

with st.sidebar:
    for section, section_pages in sections.items():
        st.markdown(f"**{common.md(section)}**")
        for section_page in section_pages:
            st.page_link(section_page)
    st.divider()
    where = "all partnerships" if principal.all_partnerships else f"{len(principal.partnership_ids)} partnership(s)"
    st.markdown(f":material/account_circle: **{common.md(principal.username)}**")
    st.caption(f"{principal.role_label} · {where}")
    if st.button("Sign out", key="sign_out", icon=":material/logout:"):
        auth.sign_out()
common.sidebar(principal)
st.sidebar.caption("Community safety partnership funding tracker")
navigation.run()
