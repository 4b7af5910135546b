"""The year's set-up and the return's whole life in Chromium, over the demo (this module's own database):

1. the manager adds next year's fund (PLF 2027/28) on the Funds page and fills it from the blank budget template
   downloaded on the Allocations page: preview, import, the lines and the total allocated shown;
2. the manager writes the PLF 2026/27 H1 return's explanation of its red line ("Mobile CCTV camera fund"): saved,
   shown again after a reload, printed in the draft PDF; a submission tried at once is refused, listing why;
3. the Strategic Group accepts both H1 errors that block the return (ALC004 on "Prevention campaign materials",
   SPD001 on "Mobile CCTV camera fund"), each in the browser on the Compliance page with a reason, sees them
   accepted, and signs off the H1 return;
4. the manager, the return's author, submits and freezes it and downloads the submitted PDF.

2 to 4 are one test (each needs the state the one before left); 1 touches nothing of theirs.

Every step asserts what the person would check and leaves a screenshot in ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grants.domain.enums import Role
from grants.services.demo import ensure_demo_accounts, load_demo
from grants.storage.database import Database
from tests.e2e.conftest import running_app
from tests.e2e.journeys import (
    choose_fund,
    choose_period,
    download,
    main,
    open_page,
    shot,
    sign_in_as,
    toast,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_available")]

NEW_YEAR_LINES = (
    ("Street pastors", 12000, "Night-time economy"),
    ("Youth outreach workers", 18000, "Youth violence"),
    ("Domestic abuse champions", 6500, "Domestic abuse"),
)
RED_LINE = "Mobile CCTV camera fund"
WORDS = "The second camera cost more than quoted; the Strategic Group agreed the £250.00 overspend."
STRATEGIC = "Strategic Group member (demo)"


@pytest.fixture(scope="module")
def return_url(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    """The app over the demo with its accounts (nothing added: each journey does its own work in the browser)."""
    url_db = f"sqlite:///{tmp_path_factory.mktemp('return-journeys') / 'grants.db'}"
    database = Database(url_db)
    database.migrate()
    load_demo(database)
    ensure_demo_accounts(database)
    database.dispose()
    with running_app(url_db, artifacts / "streamlit-return-journeys.log") as url:
        yield url


def expect_text(page: Any, text: str | re.Pattern[str]) -> None:
    from playwright.sync_api import expect

    expect(main(page).get_by_text(text).first).to_be_visible()


def pdf_text(data: bytes) -> str:
    """The PDF's text with its line breaks and runs of spaces made single spaces (a sentence may wrap)."""
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-"), data[:20]
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def filled_template(blank: bytes) -> bytes:
    """The downloaded blank budget template with the new year's lines and a Total row typed under its headings."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(blank))
    sheet = workbook.worksheets[0]
    headings = [c.value for c in sheet[1]]
    assert headings[:2] == ["Description", "Amount Allocated"], headings
    column = {name: headings.index(name) for name in ("Description", "Amount Allocated", "Strategic Priority")}
    for description, amount, priority in NEW_YEAR_LINES:
        row: list[object] = [None] * len(headings)
        row[column["Description"]] = description
        row[column["Amount Allocated"]] = amount
        row[column["Strategic Priority"]] = priority
        sheet.append(row)
    sheet.append(["Total", sum(amount for _, amount, _ in NEW_YEAR_LINES)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def open_return(page: Any, fund: str, period: str) -> None:
    open_page(page, "Reports and returns")
    choose_fund(page, fund)
    main(page).get_by_role("tab", name="OPCC return").click()
    wait_idle(page)
    choose_period(page, period)


def test_the_manager_sets_up_next_years_fund_from_the_budget_template(
    page: Any, return_url: str, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    sign_in_as(page, return_url, Role.MANAGER)
    open_page(page, "Funds")
    page.get_by_text("Add a fund").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Name (blank: the stream's name)")
    form.get_by_label("Financial year").fill("2027/28")
    form.get_by_label("Amount (£)").fill("36500")
    shot(page, artifacts, "journey-setup-01-fund-typed")
    form.get_by_role("button", name="Add fund").click()
    toast(page, "Added PLF 2027/28")
    wait_idle(page)
    shot(page, artifacts, "journey-setup-02-fund-added")

    open_page(page, "Allocations")
    expect_text(page, "PLF 2027/28 · Partnership Locality Fund")  # the new fund, chosen for the person
    page.get_by_text("Import a budget table or action plan").click()
    wait_idle(page)
    blank = download(page, "Template (Excel)")
    upload = filled_template(blank)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": "plf-2027-28.xlsx", "mimeType": "application/octet-stream", "buffer": upload}
    )
    wait_idle(page)
    expect_text(page, re.compile(r"Preview: plf-2027-28\.xlsx: would import 3 row\(s\) into .* PLF 2027/28"))
    expect_text(page, "allocated £36,500.00")
    preview = page.locator('[role="gridcell"]')
    expect(preview.filter(has_text="row 2: add 'Street pastors' allocated £12,000.00").first).to_be_attached()
    expect(preview.filter(has_text="row 4: add 'Domestic abuse champions' allocated £6,500.00").first).to_be_attached()
    expect_text(page, "What would change (3)")  # the three lines; the blank Funding Received column is no receipt
    expect(preview.filter(has_text="record funding received")).to_have_count(0)
    main(page).get_by_role("button", name="Import plf-2027-28.xlsx").scroll_into_view_if_needed()
    shot(page, artifacts, "journey-setup-03-template-preview")

    main(page).get_by_role("button", name="Import plf-2027-28.xlsx").click()
    wait_idle(page)
    expect_text(page, re.compile(r"Imported: plf-2027-28\.xlsx: imported 3 row\(s\)"))
    expect(main(page).get_by_role("button", name="Import plf-2027-28.xlsx")).to_have_count(0)
    for description, _, _ in NEW_YEAR_LINES:
        expect(page.locator('[role="gridcell"]').filter(has_text=description).first).to_be_attached()
    expect_text(page, "Total allocated £36,500.00")
    allocated = main(page).locator('[data-testid="stMetric"]').filter(has_text="Allocated").first
    expect(allocated).to_contain_text("£36,500.00")
    unallocated = main(page).locator('[data-testid="stMetric"]').filter(has_text="Unallocated").first
    expect(unallocated).to_contain_text("£0.00")
    unallocated.scroll_into_view_if_needed()
    shot(page, artifacts, "journey-setup-04-lines-imported")


def the_manager_writes_the_explanations(page: Any, return_url: str, artifacts: Path) -> None:
    """Journey 2: the red line's explanation saved, kept after a reload, in the draft PDF; submitting too early is
    refused with every reason listed."""
    from playwright.sync_api import expect

    sign_in_as(page, return_url, Role.MANAGER)
    open_return(page, "PLF 2026/27", "H1")
    expect_text(page, re.compile(r"2026/27 H1.*status \w+"))
    box = main(page).get_by_label(re.compile(rf"^{RED_LINE} \(Red, variance "))
    expect(box).to_have_value("")
    shot(page, artifacts, "journey-words-01-red-line-unexplained")
    box.fill(WORDS)
    main(page).get_by_role("button", name="Save the draft's words").click()
    toast(page, "The draft's words are saved")
    wait_idle(page)

    page.reload()
    page.get_by_role("heading", name="Reports and returns", exact=True).wait_for()
    wait_idle(page)
    open_return(page, "PLF 2026/27", "H1")
    expect(main(page).get_by_label(re.compile(rf"^{RED_LINE} \(Red, variance "))).to_have_value(WORDS)
    shot(page, artifacts, "journey-words-02-kept-after-reload")

    text = pdf_text(download(page, "Download the return (PDF)"))
    assert WORDS in text, text[-1500:]
    assert "DRAFT" in text

    # Submitting at once is refused: every reason listed, the red line (now explained) no longer among them.
    main(page).get_by_role("button", name="Submit and freeze").click()
    wait_idle(page)
    refusal = main(page).locator('[data-testid="stAlert"]').filter(has_text="Not submitted")
    expect(refusal).to_be_visible()
    reasons = refusal.locator("li")
    expect(reasons.filter(has_text="no Strategic Group member has signed off the figures")).to_have_count(1)
    expect(reasons.filter(has_text="open error finding SPD001 on Mobile CCTV camera fund")).to_have_count(1)
    expect(reasons.filter(has_text="open error finding ALC004 on Prevention campaign materials")).to_have_count(1)
    expect(refusal).not_to_contain_text("has no explanation")
    shot(page, artifacts, "journey-words-03-submission-refused")


def filter_findings(page: Any, line: str, code: str | None = None) -> None:
    """Narrow the Compliance page's findings to a line (and a rule, when given)."""
    rule = main(page).locator('[data-testid="stMultiSelect"]').filter(has_text="Rule")
    clear = rule.get_by_role("button", name="Clear all")
    if clear.count():
        clear.click()
        wait_idle(page)
    if code is not None:
        rule.click()
        page.keyboard.type(code)
        page.get_by_role("option", name=re.compile(f"^{code}")).first.click()
        page.keyboard.press("Escape")
        wait_idle(page)
    main(page).get_by_label("Line contains").fill(line)
    main(page).get_by_label("Line contains").press("Enter")
    wait_idle(page)


def accept(page: Any, code: str, reason: str, artifacts: Path, step: str) -> None:
    """Give the reason in the form under the finding shown and accept it."""
    form = page.locator('[data-testid="stForm"]').filter(has_text="Accept this finding")
    form.get_by_label("Why the partnership accepts it").fill(reason)
    form.scroll_into_view_if_needed()
    shot(page, artifacts, step)
    form.get_by_role("button", name="Accept the finding").click()
    toast(page, f"{code} accepted")
    wait_idle(page)


def the_strategic_group_accepts_the_errors_and_signs_off(page: Any, return_url: str, artifacts: Path) -> None:
    """Journey 3: both H1 errors accepted with reasons on the Compliance page, shown as accepted; the return signed
    off."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    sign_in_as(page, return_url, Role.STRATEGIC_GROUP)
    choose_fund(page, "PLF 2026/27")  # Compliance starts filtered to the sidebar's fund
    open_page(page, "Compliance")
    expect(main(page).locator('[data-testid="stMultiSelect"]').filter(has_text="Fund")).to_contain_text("PLF 2026/27")
    shot(page, artifacts, "journey-signoff-01-compliance")
    # One finding in the "Every finding" view, found with the filters...
    filter_findings(page, "Prevention campaign materials", "ALC004")
    main(page).locator('[data-testid="stRadio"]').get_by_text("Every finding", exact=True).click()
    wait_idle(page)
    expect_text(page, re.compile(r"^1 of \d+ finding\(s\) shown"))
    expect(main(page).get_by_role("heading", name="ALC004 · Prevention campaign materials")).to_be_visible()
    accept(page, "ALC004", "Campaign priority agreed at the October meeting", artifacts, "journey-signoff-02-alc004")

    # ...the other in the "By line" view: the line's findings together, the one to accept chosen among them.
    filter_findings(page, RED_LINE)
    main(page).locator('[data-testid="stRadio"]').get_by_text("By line", exact=True).click()
    wait_idle(page)
    expect(main(page).get_by_role("heading", name=RED_LINE)).to_be_visible()
    expect_text(page, re.compile("SPD001 overspent: Spent £7,250.00 against an allocation of £7,000.00"))
    picker = main(page).get_by_role("combobox", name="Finding to accept")
    expect(picker).to_have_value("SPD001 overspent")  # the line's error first
    accept(page, "SPD001", "Overspend covered by the contingency line", artifacts, "journey-signoff-03-spd001")
    accepted = main(page).locator('[data-testid="stExpander"]').filter(has_text="Accepted findings (2)")
    accepted.get_by_text("Accepted findings (2)").click()
    expect(accepted.get_by_text(re.compile(rf"Accepted by {re.escape(STRATEGIC)} on \d\d/\d\d/\d{{4}}: "
                                           "Overspend covered by the contingency line"))).to_be_visible()  # fmt: skip
    expect(accepted.get_by_text(re.compile("Campaign priority agreed at the October meeting"))).to_be_visible()
    shot(page, artifacts, "journey-signoff-04-accepted")

    open_return(page, "PLF 2026/27", "H1")
    main(page).get_by_role("button", name="Sign off the current figures").click()
    toast(page, "Signed off")
    wait_idle(page)
    signed = rf"Signed off by {re.escape(STRATEGIC)} \(Strategic Group member\) on \d\d/\d\d/\d{{4}}"
    expect_text(page, re.compile(signed))
    expect_text(page, re.compile(r"status signed off$"))  # words, not "signed_off"
    shot(page, artifacts, "journey-signoff-05-signed-off")


def the_author_submits_and_downloads(page: Any, return_url: str, artifacts: Path) -> None:
    """Journey 4: the manager submits and freezes the signed-off return and downloads it as sent."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    sign_in_as(page, return_url, Role.MANAGER)
    open_return(page, "PLF 2026/27", "H1")
    expect_text(page, re.compile(rf"Signed off by {re.escape(STRATEGIC)}"))
    shot(page, artifacts, "journey-submit-01-signed-off")
    main(page).get_by_role("button", name="Submit and freeze").click()
    toast(page, "2026/27 H1 return submitted and frozen")
    wait_idle(page)
    expect_text(page, re.compile(r"status submitted on \d\d/\d\d/\d{4} by Community Safety Manager \(demo\)"))
    expect_text(page, "This return has been submitted: its figures are frozen and it downloads exactly as sent.")
    expect(main(page).get_by_role("button", name="Submit and freeze")).to_have_count(0)
    shot(page, artifacts, "journey-submit-02-submitted")

    sent = download(page, re.compile(r"^Version 1, submitted \d\d.\d\d.\d{4} by "))
    text = pdf_text(sent)
    assert "SUBMITTED on" in text, text[:1500]
    assert WORDS in text
    assert download(page, "Download the return (PDF)") == sent  # the return downloads exactly as sent
    shot(page, artifacts, "journey-submit-03-downloaded")


def test_the_h1_return_from_its_explanations_to_its_submission(page: Any, return_url: str, artifacts: Path) -> None:
    """Journeys 2 to 4 in one test, each needing the one before (so they cannot be split between test workers)."""
    the_manager_writes_the_explanations(page, return_url, artifacts)
    the_strategic_group_accepts_the_errors_and_signs_off(page, return_url, artifacts)
    the_author_submits_and_downloads(page, return_url, artifacts)
