"""The three users' jobs in a real browser: the manager allocates, spends, sees the finding and downloads
the return; the viewer reads and cannot change anything. A screenshot of every step is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.journeys import cell, choose, open_page, shot, sign_in, toast, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_available")]

NEW_LINE = "E2E knife crime workshops"


def type_new_line(page: Any, slow: int) -> None:
    """Add a row at the bottom of the grid, type the new line's description and £1,500."""
    pause = 300 + 700 * slow
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 150, box["y"] + box["height"] - 18)
    wait_idle(page)  # adding the row reruns the page; typing during that run can be lost
    page.wait_for_timeout(pause)
    page.keyboard.type(NEW_LINE, delay=10 + 10 * slow)
    page.keyboard.press("Tab")  # commits the description (a rerun) and moves to "Allocated"
    wait_idle(page)
    page.keyboard.press("Enter")  # open the cell's editor before typing, so no keystroke is lost
    page.wait_for_timeout(pause + 100)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("1500", delay=20 + 10 * slow)
    page.keyboard.press("Enter")
    wait_idle(page)


def test_a_manager_allocates_spends_sees_the_finding_and_downloads_the_return(
    page: Any, app_url: str, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    sign_in(page, app_url, "manager", "demo-manager")
    expect(page.get_by_text("£163,000.00")).to_be_visible()
    shot(page, artifacts, "01-manager-overview")

    # Allocate: add a line in the grid (the row at the bottom adds one), give it money, save.
    save = page.get_by_role("button", name="Save changes")
    for attempt in range(3):  # a loaded machine can swallow keystrokes during a rerun: start again cleanly
        open_page(page, "Allocations")
        type_new_line(page, slow=attempt)
        if save.is_enabled():
            break
    shot(page, artifacts, "02-allocations-line-typed")
    save.click()
    toast(page, "Saved: 1 line(s) added")
    wait_idle(page)
    expect(page.get_by_text("Total allocated £81,500.00")).to_be_visible()
    shot(page, artifacts, "03-allocations-saved")

    # Record spend beyond the new line's allocation.
    open_page(page, "Spend")
    choose(page, "Budget line", f"{NEW_LINE} (balance £1,500.00)")
    page.get_by_label("Amount (£)").fill("1750")
    page.get_by_label("Reference").fill("E2E-INV-1")
    page.get_by_role("button", name="Record spend").click()
    toast(page, "Recorded payment out of £1,750.00")
    wait_idle(page)
    expect(cell(page, "E2E-INV-1")).to_be_attached()
    shot(page, artifacts, "04-spend-recorded")

    # The overspend shows up as a finding on that line.
    open_page(page, "Compliance")
    page.get_by_text("Every finding", exact=True).click()  # one row per finding, not per line
    wait_idle(page)
    page.get_by_label("Line contains").fill("knife crime")
    page.get_by_label("Line contains").press("Enter")
    wait_idle(page)
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="Rule").first.click()
    page.keyboard.type("SPD001")  # the list is virtual: filter it rather than scroll
    page.get_by_role("option", name="SPD001 overspent").click()
    page.keyboard.press("Escape")
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"SPD001 · {NEW_LINE}")).to_be_visible()
    expect(cell(page, "SPD001")).to_be_attached()
    expect(page.locator('[data-testid="stMarkdown"]').filter(has_text="Spent £1,750.00").first).to_be_visible()
    shot(page, artifacts, "05-compliance-finding")

    # Download the OPCC return.
    open_page(page, "Reports and returns")
    page.get_by_role("tab", name="OPCC return").click()
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the return (PDF)").click()
    saved = artifacts / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "opcc-return-plf-2026-27-h1.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    shot(page, artifacts, "06-reports-return")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").wait_for()
    shot(page, artifacts, "07-signed-out")


def test_a_viewer_reads_everything_and_can_change_nothing(page: Any, app_url: str, artifacts: Path) -> None:
    from playwright.sync_api import expect

    sign_in(page, app_url, "viewer", "demo-viewer")
    expect(page.get_by_role("link", name="Admin")).to_have_count(0)
    shot(page, artifacts, "08-viewer-overview")

    open_page(page, "Allocations")
    expect(page.get_by_text("you can read this page but not change allocations")).to_be_visible()
    expect(page.get_by_role("button", name="Save changes")).to_have_count(0)
    expect(page.get_by_role("button", name="Record virement")).to_have_count(0)
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    page.mouse.dblclick(box["x"] + 150, box["y"] + 55)
    page.keyboard.type("changed by a viewer")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("changed by a viewer")).to_have_count(0)
    shot(page, artifacts, "09-viewer-allocations-read-only")

    open_page(page, "Spend")
    expect(page.get_by_role("button", name="Record spend")).to_have_count(0)
    expect(page.get_by_text("you can read this page but not record spend")).to_be_visible()
    shot(page, artifacts, "10-viewer-spend-read-only")

    open_page(page, "Reports and returns")
    page.get_by_role("tab", name="OPCC return").click()
    expect(page.get_by_role("button", name="Download the return (PDF)")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("button", name="Submit and freeze")).to_have_count(0)
    expect(page.get_by_text("you can read this page but not submit returns")).to_be_visible()
    shot(page, artifacts, "11-viewer-reports")
