"""The funder's job in Chromium: the OPCC's officer opens the County view, finds the partnership's return and
queries it with a comment; the manager sees the query under the return and replies; the funder then accepts it.

Every step asserts what the person would check and leaves a screenshot in ``test-artifacts/e2e/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grants.domain.enums import Role
from grants.services.demo import PARTNERSHIP, ensure_demo_accounts, load_demo
from grants.services.ledger import find_fund
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.e2e.conftest import running_app
from tests.e2e.journeys import axe_violations, choose, main, open_page, shot, sign_in_as, toast, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_available")]

QUERY = "Please confirm the CCTV overspend was agreed"
REPLY = "Agreed by the Strategic Group on 26/10/2017"


@pytest.fixture(scope="module")
def county_app(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[tuple[str, str]]:
    """(the app's URL, its database's URL): the demo with its accounts."""
    url_db = f"sqlite:///{tmp_path_factory.mktemp('funder-journey') / 'grants.db'}"
    database = Database(url_db)
    database.migrate()
    load_demo(database)
    ensure_demo_accounts(database)
    database.dispose()
    with running_app(url_db, artifacts / "streamlit-funder-journey.log") as url:
        yield url, url_db


def period(page: Any, name: str) -> None:
    main(page).locator('[data-testid="stRadio"]').get_by_text(name, exact=True).first.click()
    wait_idle(page)


def sidebar_fund(page: Any, label: str) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=label).first.click()
    wait_idle(page)


def test_the_funder_queries_a_return_the_manager_replies_and_the_funder_accepts(
    page: Any, county_app: tuple[str, str], artifacts: Path
) -> None:
    from playwright.sync_api import expect

    county_url, url_db = county_app
    sign_in_as(page, county_url, Role.FUNDER)
    open_page(page, "County view")
    expect(main(page).get_by_text("County total").first).to_be_attached()
    shot(page, artifacts, "journey-funder-01-county")
    assert axe_violations(page) == []

    choose(page, "Financial year", "2017/18")
    wait_idle(page)
    period(page, "H1")
    form = page.locator('[data-testid="stForm"]').filter(has_text="Query the return")
    form.get_by_label("Comment for the partnership (required to query)").fill(QUERY)
    form.get_by_role("button", name="Query the return").click()
    toast(page, "Query sent to the partnership")
    wait_idle(page)
    expect(main(page).get_by_text(QUERY).first).to_be_visible()
    shot(page, artifacts, "journey-funder-02-queried")

    page.context.clear_cookies()
    sign_in_as(page, county_url, Role.MANAGER)
    sidebar_fund(page, "PLF 2017/18")
    open_page(page, "Reports and returns")
    main(page).get_by_role("tab", name="OPCC return").click()
    wait_idle(page)
    period(page, "H1")
    expect(main(page).get_by_text(QUERY).first).to_be_visible()
    reply = page.locator('[data-testid="stForm"]').filter(has_text="Send the reply")
    reply.get_by_label("Your reply to the funder").fill(REPLY)
    reply.get_by_role("button", name="Send the reply").click()
    toast(page, "Reply sent to the funder")
    shot(page, artifacts, "journey-funder-03-manager-replied")

    page.context.clear_cookies()
    sign_in_as(page, county_url, Role.FUNDER)
    open_page(page, "County view")
    choose(page, "Financial year", "2017/18")
    wait_idle(page)
    period(page, "H1")
    expect(main(page).get_by_text(REPLY).first).to_be_visible()
    page.locator('[data-testid="stForm"]').get_by_role("button", name="Accept the return").click()
    toast(page, "Return accepted")
    shot(page, artifacts, "journey-funder-04-accepted")
    database = Database(url_db)
    with UnitOfWork(database) as uow:
        fund = find_fund(uow, PARTNERSHIP, "PLF", "2017/18")
        stored = uow.returns.first(fund_id=fund.id, period="2017/18 H1")
        assert stored is not None and stored.review == "accepted"
        assert [(r.action, r.by) for r in uow.reviews.find(return_id=stored.id, order_by="id")] == [
            ("queried", "funder"),
            ("replied", "manager"),
            ("accepted", "funder"),
        ]
    database.dispose()
