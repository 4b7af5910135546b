"""The app in a real browser: ``streamlit run`` on a free localhost port over a temporary demo database,
driven by Debian's chromium through Playwright (the sync API).

Skipped (failed under ``CI=true``), with the reason, when ``/usr/bin/chromium`` or the ``playwright`` package
is missing. The browser is never downloaded (``playwright install`` is not used). Screenshots of every step go to
``test-artifacts/e2e/`` (gitignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grants.services.demo import ensure_demo_accounts, load_demo
from grants.storage.database import Database
from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 60.0


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (install Debian's chromium package to run the browser tests)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT:.0f}s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Chromium and Playwright are present (``unavailable`` otherwise: a skip locally, a failure in CI)."""
    reason = skip_reason()
    if reason is not None:
        unavailable(reason)


@pytest.fixture(scope="session")
def artifacts(browser_available: None) -> Path:
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    """The app's URL: a ``streamlit run`` of ``streamlit_app.py`` over a fresh demo database with demo accounts."""
    folder = tmp_path_factory.mktemp("e2e")
    url_db = f"sqlite:///{folder / 'grants.db'}"
    database = Database(url_db)
    database.migrate()
    load_demo(database)
    ensure_demo_accounts(database)
    database.dispose()
    port = _free_port()
    log = artifacts / "streamlit.log"
    env = {**os.environ, "GRANTS_DATABASE_URL": url_db, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "streamlit_app.py"),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
        "--client.toolbarMode=minimal",
        "--browser.gatherUsageStats=false",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(browser_available: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a cold first run (rules, reports) can take a few seconds
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True, locale="en-GB")
    context.set_default_timeout(30_000)
    opened = context.new_page()
    yield opened
    context.close()
