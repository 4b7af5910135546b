"""A signed-in session survives a browser refresh, and sign-out ends it (in Chromium)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.journeys import shot, sign_in, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_available")]


def test_a_refresh_keeps_the_session_and_sign_out_ends_it(page: Any, app_url: str, artifacts: Path) -> None:
    sign_in(page, app_url, "viewer", "demo-viewer")
    page.wait_for_timeout(500)  # let the cookie script run
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert "grants_session" in cookies and cookies["grants_session"]["sameSite"] == "Strict"
    page.reload()
    page.get_by_role("heading", name="Overview").wait_for()
    wait_idle(page)
    assert page.get_by_label("Username").count() == 0
    shot(page, artifacts, "session-after-refresh")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").wait_for()
    page.reload()
    page.get_by_label("Username").wait_for()
    wait_idle(page)
    assert page.get_by_role("heading", name="Overview").count() == 0
    shot(page, artifacts, "session-after-sign-out")
