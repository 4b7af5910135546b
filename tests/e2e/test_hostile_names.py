"""Hostile names render as text on every page: no fetched image, no live link, no markup (in Chromium)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from grants.domain.enums import Role
from grants.services.demo import ensure_demo_accounts, load_demo
from grants.storage.database import Database
from grants.storage.tables import (
    ApplicationRow,
    BudgetLineRow,
    FundRow,
    OutcomeUpdateRow,
    PartnershipRow,
    ReceiptRow,
)
from grants.ui.navigation import pages_for
from tests.e2e.conftest import running_app
from tests.e2e.journeys import open_page, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_available")]

TRAP = "127.0.0.1:9"  # nothing listens on the discard port: a fetch of it is the failure we look for
HOSTILE = (
    f"![x](http://{TRAP}/x.png)",
    f"[link](http://{TRAP}/)",
    "www.example.org",
    "e2e@example.org",
    "<b>bold</b>",
    '=HYPERLINK("x")',
)
NAMES = " ".join(HOSTILE)


def _seed(url_db: str) -> None:
    database = Database(url_db)
    database.migrate()
    load_demo(database)
    ensure_demo_accounts(database)
    with database.engine.begin() as connection:
        connection.execute(update(PartnershipRow).values(name=PartnershipRow.name + " " + NAMES))
        connection.execute(update(FundRow).values(name=FundRow.name + " " + NAMES))
        connection.execute(update(BudgetLineRow).values(description=BudgetLineRow.description + " " + NAMES))
        connection.execute(
            update(BudgetLineRow).where(BudgetLineRow.delivery_partner != "").values(delivery_partner=NAMES)
        )
        connection.execute(update(ApplicationRow).values(applicant=NAMES, project=NAMES))
        connection.execute(update(ReceiptRow).values(reference=NAMES))
        connection.execute(update(OutcomeUpdateRow).values(narrative=NAMES, evidence=NAMES))
    database.dispose()


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    url_db = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'grants.db'}"
    _seed(url_db)
    with running_app(url_db, artifacts / "streamlit-hostile.log") as url:
        yield url


def _markup_found(page: Any) -> list[str]:
    found = []
    for selector in (
        f'a[href*="{TRAP}"]',
        'a[href*="example.org"]',
        'a[href^="mailto:"]',
        f'img[src*="{TRAP}"]',
    ):
        if page.locator(selector).count():
            found.append(selector)
    if page.locator("b, strong").filter(has_text="bold").count():
        found.append("<b>bold</b> rendered as bold")
    return found


@pytest.mark.parametrize(("role", "username"), [(Role.MANAGER, "manager"), (Role.ADMIN, "admin")])
def test_hostile_names_render_as_text_on_every_page(
    page: Any, hostile_url: str, artifacts: Path, role: Role, username: str
) -> None:
    from playwright.sync_api import expect

    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if TRAP in request.url else None)
    sign_in(page, hostile_url, username, f"demo-{username}")
    main = expect(page.locator('[data-testid="stMain"]'))
    if role is Role.MANAGER:
        main.to_contain_text(re.compile("www\u2060?\\.example\\.org"))  # the names are there, as typed
        main.to_contain_text("<b>bold</b>")
    problems: dict[str, list[str]] = {}
    for spec in pages_for(role):
        open_page(page, spec.title)
        shot(page, artifacts, f"hostile-{username}-{spec.url_path}")
        found = _markup_found(page)
        if found:
            problems[spec.title] = found
    assert problems == {}
    assert fetched == []
