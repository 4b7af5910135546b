"""Every page, for every role, in Chromium: axe-core finds no serious or critical WCAG 2.2 AA violation, no
request leaves localhost, money always reads "£1,234.56", and no text is cut short without its whole.

A new page joins by being in ``grants.ui.navigation.PAGES``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grants.domain.enums import Role
from grants.ui.navigation import pages_for
from tests.e2e.journeys import (
    axe_violations,
    bare_money_columns,
    cut_off_texts,
    open_page,
    outside_requests,
    save_json,
    shot,
    sign_in_as,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_available")]


def test_the_sign_in_page_is_accessible_and_stays_on_localhost(page: Any, app_url: str, artifacts: Path) -> None:
    outside = outside_requests(page, app_url)
    page.goto(app_url)
    page.get_by_label("Username").wait_for()
    wait_idle(page)
    shot(page, artifacts, "sweep-sign-in")
    assert axe_violations(page) == []
    assert outside == []


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_page_passes_for_every_role(page: Any, app_url: str, artifacts: Path, role: Role) -> None:
    outside = outside_requests(page, app_url)
    sign_in_as(page, app_url, role)
    problems: dict[str, dict[str, list[str]]] = {}
    for spec in pages_for(role):
        open_page(page, spec.title)
        shot(page, artifacts, f"sweep-{role.value}-{spec.url_path}")
        found = {
            "exception": [e.inner_text()[:300] for e in page.locator('[data-testid="stException"]').all()],
            "axe": axe_violations(page),
            "money without £": bare_money_columns(page),
            "cut off": cut_off_texts(page),
        }
        found = {kind: items for kind, items in found.items() if items}
        if found:
            problems[spec.title] = found
    save_json(artifacts, f"sweep-{role.value}", problems)
    assert problems == {}
    assert outside == []
