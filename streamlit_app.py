"""The tracker's web app: page config, navigation, and the shared frame."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="CSP funding tracker", page_icon="£", layout="wide")

pages = [
    st.Page("grants/ui/overview_page.py", title="Overview", icon=":material/dashboard:", default=True),
]
navigation = st.navigation(pages)
st.sidebar.caption("Community safety partnership funding tracker")
navigation.run()
