"""Shared browser helpers: signing in, moving between pages, screenshots, and the checks every page passes.

A page joins the every-page sweep (``test_every_page.py``: axe, outside requests, money format, cut-off
text) by being in ``grants.ui.navigation.PAGES``; nothing here lists pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from grants.domain.enums import Role

DEMO_ACCOUNTS = {
    Role.MANAGER: ("manager", "demo-manager"),
    Role.STRATEGIC_GROUP: ("strategic", "demo-strategic"),
    Role.VIEWER: ("viewer", "demo-viewer"),
    Role.ADMIN: ("admin", "demo-admin"),
    Role.FUNDER: ("funder", "demo-funder"),
}
BLOCKING_IMPACTS = ("serious", "critical")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


# -- moving about ---------------------------------------------------------------------------


def wait_idle(page: Any) -> None:
    """Wait for Streamlit to finish the current run: its status widget gone and no element left stale."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)


def shot(page: Any, artifacts: Path, name: str) -> None:
    page.wait_for_timeout(400)  # let charts and toasts settle
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def sign_in(page: Any, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Overview").wait_for()
    wait_idle(page)


def sign_in_as(page: Any, url: str, role: Role) -> None:
    sign_in(page, url, *DEMO_ACCOUNTS[role])


def open_page(page: Any, title: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    wait_idle(page)


def toast(page: Any, text: str | re.Pattern[str]) -> None:
    from playwright.sync_api import expect

    expect(page.locator('[data-testid="stToast"]').filter(has_text=text).first).to_be_visible()


def cell(page: Any, text: str) -> Any:
    """A table cell: the grid draws on a canvas and mirrors its cells in a hidden table."""
    return page.locator('[role="gridcell"]').filter(has_text=text).first


def choose(page: Any, label: str, option: str) -> None:
    """Pick an option of a select box by its label; typing its start first (long lists are virtual)."""
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.click()
    page.keyboard.type(option[:12])
    page.get_by_role("option", name=option).first.click()


def main(page: Any) -> Any:
    return page.locator('[data-testid="stMain"]')


# -- what every page must pass --------------------------------------------------------------


def outside_requests(page: Any, base_url: str) -> list[str]:
    """Start recording every request the page makes to anything but the app's own host; returns the list."""
    found: list[str] = []
    allowed = ("data:", "blob:", "about:", base_url)

    def record(request: Any) -> None:
        if not request.url.startswith(allowed):
            found.append(request.url)

    page.on("request", record)
    return found


def axe_violations(page: Any) -> list[str]:
    """Serious and critical WCAG 2.2 AA (and best-practice) violations axe-core finds on the page.

    Found once, they are looked for again a second later, after the run is idle: on a loaded machine an element
    can still be fading back from Streamlit's "stale" look (greyed text), which is not the page's own colour.
    """
    problems = _axe_once(page)
    if problems:
        page.wait_for_timeout(1000)
        wait_idle(page)
        problems = _axe_once(page)
    return problems


def _axe_once(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            messages = [check["message"] for check in node["any"] + node["all"] + node["none"]]
            problems.append(f"{violation['id']} ({violation['impact']}): {node['html'][:160]} — {'; '.join(messages)}")
    return problems


_GRID_HEADINGS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] th[role="columnheader"]')]
  .map(th => th.textContent.trim())"""


def bare_money_columns(page: Any) -> list[str]:
    """Grid columns showing money without "£" (headed "Balance (£)", cells "4,800.00" beside "£12,000.00")."""
    return sorted({heading for heading in page.evaluate(_GRID_HEADINGS) if heading.endswith("(£)")})


_CUT_OFF = """() => {
  const out = [];
  const scope = document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *');
  for (const el of scope) {
    if (el.closest('[data-testid="stDataFrame"]') || !el.checkVisibility({visibilityProperty: true})) continue;
    const whole = el.closest('[title]');
    if (el.tagName === 'INPUT' && el.type === 'text' && el.value) {
      if (el.scrollWidth > el.clientWidth + 1 && !(whole && whole.title.includes(el.value))) out.push(el.value);
      continue;
    }
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) {
      const text = el.textContent.trim();
      if (!(whole && whole.title.includes(text))) out.push(text);
    }
  }
  return out;
}"""


def cut_off_texts(page: Any) -> list[str]:
    """Text shown cut short with "…" and no tooltip holding the whole of it."""
    return list(page.evaluate(_CUT_OFF))


def save_json(artifacts: Path, name: str, value: object) -> None:
    (artifacts / f"{name}.json").write_text(json.dumps(value, indent=2, ensure_ascii=False))


# -- choices most journeys make -------------------------------------------------------------


def choose_fund(page: Any, label: str) -> None:
    """Pick the fund in the sidebar's picker by its short label (e.g. "PLF 2026/27")."""
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=label, exact=True).first.click()
    wait_idle(page)


def choose_period(page: Any, name: str) -> None:
    """Pick a return period ("H1", "Q3") from the radio buttons in the page's main area."""
    main(page).locator('[data-testid="stRadio"]').get_by_text(name, exact=True).first.click()
    wait_idle(page)


def download(page: Any, button: str | re.Pattern[str]) -> bytes:
    """Click a download button in the main area and return the bytes the browser saved."""
    with page.expect_download() as info:
        main(page).get_by_role("button", name=button).first.click()
    return Path(info.value.path()).read_bytes()
