"""Each role's jobs, start to finish, in Chromium, over a demo database of this module's own: the manager
allocates, records and imports spend and proposes a virement; the strategic group approves and rejects a line
and a virement with reasons; the viewer finds nothing to change; the admin adds a user and disables one.

Every step asserts what the person would check and leaves a screenshot in ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from grants.domain.enums import Role
from grants.services import allocations, usecase, virements
from grants.services.access import local_operator
from grants.services.demo import PARTNERSHIP, ensure_demo_accounts, load_demo
from grants.services.fund_figures import line_balances
from grants.services.ledger import find_fund
from grants.services.passwords import PASSWORD_RULE
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from grants.ui.navigation import pages_for
from tests.e2e.conftest import running_app
from tests.e2e.journeys import choose, main, open_page, shot, sign_in_as, toast, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_available")]

TO_APPROVE = "Journey: street pastors"
TO_REJECT = "Journey: leaflet drop"
MOVE_APPROVED = "moving the youth underspend to CCTV maintenance"
MOVE_REJECTED = "a second camera nobody asked for"
NEW_LINE = "Journey: night-time economy marshals"


def _seed(url_db: str) -> None:
    """The demo, plus two lines and two virements waiting for the strategic group."""
    database = Database(url_db)
    database.migrate()
    load_demo(database)
    ensure_demo_accounts(database)
    operator = local_operator()
    with UnitOfWork(database) as uow:
        fund_id = int(find_fund(uow, PARTNERSHIP, "PLF", "2026/27").id or 0)
    for description, amount in ((TO_APPROVE, "1200"), (TO_REJECT, "300")):
        usecase.perform(
            database, operator, allocations.add_line, fund_id, description=description, allocated=Decimal(amount)
        )
    with UnitOfWork(database) as uow:
        ids = {b.description: int(b.line.id or 0) for b in line_balances(uow, fund_id)}
    for amount, reason in (("200", MOVE_APPROVED), ("150", MOVE_REJECTED)):
        usecase.perform(
            database,
            operator,
            virements.propose_virement,
            from_line_id=ids["Youth diversion sessions"],
            to_line_id=ids["Mobile CCTV camera fund"],
            amount=Decimal(amount),
            reason=reason,
            proposed_on=date(2026, 11, 1),
        )
    database.dispose()


@pytest.fixture(scope="module")
def journey_url(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    url_db = f"sqlite:///{tmp_path_factory.mktemp('journeys') / 'grants.db'}"
    _seed(url_db)
    with running_app(url_db, artifacts / "streamlit-journeys.log") as url:
        yield url


def expect_text(page: Any, text: str | re.Pattern[str]) -> None:
    from playwright.sync_api import expect

    expect(main(page).get_by_text(text).first).to_be_visible()


def add_grid_line(page: Any, description: str, amount: str) -> None:
    """Add a row at the bottom of the allocations grid and type its description and amount (retried from a clean
    page when a loaded machine swallows keystrokes during a rerun)."""
    save = page.get_by_role("button", name="Save changes")
    for attempt in range(3):
        open_page(page, "Allocations")
        pause = 300 + 700 * attempt
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.hover()
        grid.get_by_role("button", name="Add row").click()  # the grid's own toolbar: a new row at the bottom
        wait_idle(page)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 150, box["y"] + box["height"] - 18)  # its description cell
        page.wait_for_timeout(pause)
        page.keyboard.type(description, delay=10 + 10 * attempt)
        page.keyboard.press("Tab")
        wait_idle(page)
        page.keyboard.press("Enter")
        page.wait_for_timeout(pause + 100)
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type(amount, delay=20 + 10 * attempt)
        page.keyboard.press("Enter")
        wait_idle(page)
        if save.is_enabled():
            return
    raise AssertionError("the grid did not take the new line after three tries")


def upload(page: Any, name: str, content: str) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    wait_idle(page)


def test_the_manager_allocates_records_and_imports_spend_and_proposes_a_virement(
    page: Any, journey_url: str, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    sign_in_as(page, journey_url, Role.MANAGER)
    shot(page, artifacts, "journey-manager-01-overview")

    # Allocate: a new line of £2,000.00 in the grid.
    add_grid_line(page, NEW_LINE, "2000")
    shot(page, artifacts, "journey-manager-02-line-typed")
    page.get_by_role("button", name="Save changes").click()
    toast(page, "Saved: 1 line(s) added")
    wait_idle(page)
    expect_text(page, "Total allocated £83,500.00")  # the demo's £80,000.00, the two waiting lines and this one
    shot(page, artifacts, "journey-manager-03-line-saved")

    # Record spend against it.
    open_page(page, "Spend")
    choose(page, "Budget line", f"{NEW_LINE} (balance £2,000.00)")
    page.get_by_label("Amount (£)").fill("250")
    page.get_by_label("Reference").fill("JRN-1")
    page.get_by_role("button", name="Record spend").click()
    toast(page, "Recorded payment out of £250.00")
    wait_idle(page)
    shot(page, artifacts, "journey-manager-04-spend-recorded")

    # Import a ledger with a bad row: every problem listed, nothing saved; then the fixed file, once.
    page.get_by_role("tab", name="Import a spend ledger").click()
    bad = f"Date,Budget Line,Amount,Reference\n20/11/26,{NEW_LINE},100,JRN-2\n21/11/26,No such line,50,JRN-3\n"
    upload(page, "december.csv", bad)
    expect_text(page, "december.csv cannot be imported: 1 problem(s). Nothing was saved.")
    expect(main(page).get_by_role("button", name=re.compile(r"^Import \d+ row"))).to_have_count(0)
    shot(page, artifacts, "journey-manager-05-import-refused")
    good = f"Date,Budget Line,Amount,Reference\n20/11/26,{NEW_LINE},100,JRN-2\n21/11/26,{NEW_LINE},50,JRN-3\n"
    upload(page, "december-fixed.csv", good)
    expect_text(page, re.compile("Preview: .*2"))
    shot(page, artifacts, "journey-manager-06-import-preview")
    main(page).get_by_role("button", name="Import 2 row(s)").click()
    wait_idle(page)
    expect_text(page, re.compile(r"Imported: december-fixed\.csv: imported 2 row\(s\)"))
    expect(main(page).get_by_role("button", name=re.compile(r"^Import \d+ row"))).to_have_count(0)
    shot(page, artifacts, "journey-manager-07-imported-button-gone")

    # Propose a virement from the new line.
    open_page(page, "Allocations")
    choose(page, "From", f"{NEW_LINE} (balance £1,600.00)")  # less £250.00 and £150.00 (dated by today)
    choose(page, "To", "Youth diversion sessions")
    page.get_by_label("Amount (£)").fill("400")
    page.get_by_label("Reason").fill("marshals start in January, not October")
    page.get_by_role("button", name="Propose virement").click()
    toast(page, "Virement proposed: it waits for the Strategic Group")
    wait_idle(page)
    expect(page.locator('[role="gridcell"]').filter(has_text="marshals start in January").first).to_be_attached()
    shot(page, artifacts, "journey-manager-08-virement-proposed")


def test_the_strategic_group_approves_and_rejects_lines_and_virements(
    page: Any, journey_url: str, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    sign_in_as(page, journey_url, Role.STRATEGIC_GROUP)
    open_page(page, "Allocations")
    headings = page.locator('[data-testid="stDataFrame"]').first.locator('th[role="columnheader"]')
    expect(headings.nth(4)).to_have_text("Approved")  # beside the money, not off-screen behind long text
    shot(page, artifacts, "journey-strategic-01-allocations")

    # Reject one waiting line, with a reason.
    choose(page, "Reject a line", TO_REJECT)
    page.get_by_label("Reason for rejecting (the manager will read it)").fill("leaflets are in the council's budget")
    page.get_by_role("button", name="Reject line").click()
    toast(page, "Line rejected")
    wait_idle(page)
    shot(page, artifacts, "journey-strategic-02-line-rejected")

    # Approve the other: only that one chosen.
    chooser = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Lines awaiting approval")
    chooser.get_by_role("button", name="Clear all").click()
    chooser.click()
    page.keyboard.type("street pastors")
    page.get_by_role("option", name=re.compile("street pastors")).click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("^Approve as")).click()
    toast(page, "Approved 1 line(s)")
    wait_idle(page)
    shot(page, artifacts, "journey-strategic-03-line-approved")

    # Virements: the reason given is in the decision box; one rejected with a reason, one approved.
    choose(page, "Virement awaiting a decision", "£150.00 from Youth diversion sessions to Mobile CCTV camera fund")
    wait_idle(page)
    expect_text(page, f"Reason given: {MOVE_REJECTED}")
    page.get_by_label("Reason for rejecting (only if you reject)").fill("no evidence of need")
    page.get_by_role("button", name="Reject virement").click()
    toast(page, "Virement rejected")
    wait_idle(page)
    shot(page, artifacts, "journey-strategic-04-virement-rejected")
    choose(page, "Virement awaiting a decision", "£200.00 from Youth diversion sessions to Mobile CCTV camera fund")
    wait_idle(page)
    expect_text(page, f"Reason given: {MOVE_APPROVED}")
    page.get_by_role("button", name="Approve virement").click()
    toast(page, "Virement approved: the money and its profile have moved")
    wait_idle(page)
    expect(page.locator('[role="gridcell"]').filter(has_text="no evidence of need").first).to_be_attached()
    shot(page, artifacts, "journey-strategic-05-virement-approved")


WRITE_VERBS = re.compile(
    r"^(Save|Record|Add|Delete|Approve|Reject|Withdraw|Submit|Propose|Import|Open round|Close round|Plan|Mark|Set)"
)


def test_the_viewer_finds_no_control_that_changes_anything(page: Any, journey_url: str, artifacts: Path) -> None:
    sign_in_as(page, journey_url, Role.VIEWER)
    offered: dict[str, list[str]] = {}
    for spec in pages_for(Role.VIEWER):
        open_page(page, spec.title)
        for tab in page.get_by_role("tab").all():  # what hides in tabs too
            tab.click()
            wait_idle(page)
        buttons = main(page).get_by_role("button").all()
        labels = [b.inner_text().strip() for b in buttons if b.is_visible() and b.is_enabled()]
        changing = [label for label in labels if WRITE_VERBS.match(label)]
        if changing:
            offered[spec.title] = changing
        shot(page, artifacts, f"journey-viewer-{spec.url_path}")
    assert offered == {}


def test_the_admin_adds_a_user_and_disables_one(page: Any, journey_url: str, artifacts: Path) -> None:
    from playwright.sync_api import expect

    sign_in_as(page, journey_url, Role.ADMIN)
    open_page(page, "Admin")
    page.get_by_text("Add a user").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Password again")
    expect(form.get_by_text(PASSWORD_RULE)).to_be_visible()  # before anything is typed
    shot(page, artifacts, "journey-admin-01-rule-before-typing")

    form.get_by_label("Username").fill("sam.okafor")
    form.get_by_label("Full name").fill("Sam Okafor")
    form.get_by_label("Password", exact=True).fill("password2024!")
    form.get_by_label("Password again").fill("password2024!")
    form.get_by_role("button", name="Add user").click()
    wait_idle(page)
    expect(form.get_by_text("that password is too common")).to_be_visible()
    expect(form.get_by_label("Username")).to_have_value("sam.okafor")
    expect(form.get_by_label("Full name")).to_have_value("Sam Okafor")
    shot(page, artifacts, "journey-admin-02-password-refused-form-kept")

    form.get_by_label("Password", exact=True).fill("copper kettle marmalade")
    form.get_by_label("Password again").fill("copper kettle marmalade")
    form.get_by_role("button", name="Add user").click()
    toast(page, "Added sam.okafor")
    wait_idle(page)
    expect(page.locator('[role="gridcell"]').filter(has_text="sam.okafor").first).to_be_attached()
    shot(page, artifacts, "journey-admin-03-user-added")

    choose(page, "User", "sam.okafor")
    wait_idle(page)
    page.locator('[data-testid="stCheckbox"]').filter(has_text="May sign in").click()
    page.get_by_role("button", name="Save user").click()
    toast(page, "Saved sam.okafor")
    wait_idle(page)
    expect(page.locator('[role="gridcell"]').filter(has_text="no (disabled)").first).to_be_attached()
    shot(page, artifacts, "journey-admin-04-user-disabled")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").wait_for()
    page.get_by_label("Username").fill("sam.okafor")
    page.get_by_label("Password", exact=True).fill("copper kettle marmalade")
    page.get_by_role("button", name="Sign in").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Overview")).to_have_count(0)
    shot(page, artifacts, "journey-admin-05-disabled-user-refused")


def test_a_spend_is_recorded_with_the_keyboard_alone(page: Any, journey_url: str, artifacts: Path) -> None:
    """Sign in, open Spend, record a payment: every action a key press (the DOM is only read, to know where
    the focus is)."""

    def tab_to(check: str, limit: int = 120) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => {{ const e = document.activeElement; return !!e && ({check}); }}"):
                return
        raise AssertionError(f"Tab never reached {check}")

    def labelled(label: str) -> str:
        return f"e.getAttribute('aria-label') === {label!r}"

    def named(text: str) -> str:
        return f"e.innerText && e.innerText.trim() === {text!r}"

    page.goto(journey_url)
    page.get_by_label("Username").wait_for()
    wait_idle(page)
    tab_to(labelled("Username"))
    page.keyboard.type("manager")
    tab_to(labelled("Password"))
    page.keyboard.type("demo-manager")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Overview").wait_for()
    wait_idle(page)

    tab_to("e.tagName === 'A' && e.href.endsWith('/spend')")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Spend", exact=True).wait_for()
    wait_idle(page)
    tab_to(labelled("Budget line"))
    page.keyboard.type("Youth diversion")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    tab_to(labelled("Amount (£)"))
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("75")
    tab_to(labelled("Reference"))
    page.keyboard.type("KEYBOARD-1")
    tab_to(f"e.tagName === 'BUTTON' && {named('Record spend')}")
    shot(page, artifacts, "journey-keyboard-01-form-filled")
    page.keyboard.press("Enter")
    toast(page, "Recorded payment out of £75.00")
    wait_idle(page)
    shot(page, artifacts, "journey-keyboard-02-spend-recorded")
