"""Speed as a person feels it: the app in Chromium over the demo data, timed from the click to the finished page.

``python -m benchmarks.browser [--repeat 5] [--role manager] [--json FILE]``

Starts ``streamlit run`` on a temporary demo database (the demo accounts), signs in once untimed (the server's
first run: imports, caches), then times

* **sign-in**: a fresh browser context each time, from the click on "Sign in" to the Overview drawn and idle;
* **warm page load**: each page of the role's menu, visited once untimed, then the click on its menu link to
  its heading drawn and the run finished (no element left stale).

Each figure is the median of ``--repeat`` runs; targets: a page ≤ 1 s, sign-in ≤ 1.5 s. Needs Debian's
chromium at /usr/bin/chromium and the playwright package (no browser download).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from grants.domain.enums import Role
from grants.ui.navigation import pages_for

PROJECT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
PAGE_TARGET = 1.0
SIGN_IN_TARGET = 1.5
ACCOUNTS = {
    "manager": Role.MANAGER,
    "strategic": Role.STRATEGIC_GROUP,
    "viewer": Role.VIEWER,
    "admin": Role.ADMIN,
    "funder": Role.FUNDER,
}
IDLE = (
    "() => !document.querySelector('[data-stale=\"true\"]')"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def demo_app(folder: Path) -> Iterator[tuple[str, int]]:
    """``streamlit run`` over a fresh demo database; yields its URL and process id."""
    from grants.services.demo import ensure_demo_accounts, load_demo
    from grants.storage.database import Database

    url_db = f"sqlite:///{folder / 'demo.db'}"
    database = Database(url_db)
    database.migrate()
    load_demo(database)
    ensure_demo_accounts(database)
    database.dispose()
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(PROJECT / "streamlit_app.py"), f"--server.port={port}"]
    command += ["--server.address=127.0.0.1", "--server.headless=true", "--server.fileWatcherType=none"]
    env = {**os.environ, "GRANTS_DATABASE_URL": url_db}
    with (folder / "streamlit.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError((folder / "streamlit.log").read_text(errors="replace")) from None
                time.sleep(0.25)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


SERVER_PID = 0
"""The app server's process id, whose CPU time is read beside each wall-clock time (set by :func:`main`)."""
CPU: list[float] = []
"""The server's CPU seconds for each timed action, in order (a shared machine stretches wall-clock time)."""


def server_cpu_seconds() -> float:
    """User + system CPU time of the app server so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{SERVER_PID}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(action: Callable[[], None], finished: Callable[[], None]) -> float:
    cpu = server_cpu_seconds()
    started = time.perf_counter()
    action()
    finished()
    seconds = time.perf_counter() - started
    CPU.append(server_cpu_seconds() - cpu)
    return seconds


def _idle(page: Any) -> None:
    page.wait_for_function(IDLE, timeout=60_000, polling=20)


def sign_in_seconds(browser: Any, url: str, username: str) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(f"demo-{username}")
    _idle(page)

    def done() -> None:
        page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
        _idle(page)

    seconds = _timed(lambda: page.get_by_role("button", name="Sign in").click(), done)
    context.close()
    return seconds


def page_seconds(page: Any, title: str) -> float:
    link = page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title, exact=True)

    def done() -> None:
        page.get_by_role("heading", name=title, exact=True).wait_for(timeout=60_000)
        _idle(page)

    return _timed(link.click, done)


def measure(url: str, username: str, repeat: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    role = ACCOUNTS[username]
    titles = [spec.title for spec in pages_for(role)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        sign_in_seconds(browser, url, username)  # the server's first run, untimed
        CPU.clear()
        sign_ins = [sign_in_seconds(browser, url, username) for _ in range(repeat)]
        sign_in_cpu = list(CPU)
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
        page = context.new_page()
        page.goto(url)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(f"demo-{username}")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
        for title in [*titles[1:], titles[0]]:  # each page once, untimed: warm
            page_seconds(page, title)
        pages: dict[str, list[float]] = {title: [] for title in titles}
        pages_cpu: dict[str, list[float]] = {title: [] for title in titles}
        for _ in range(repeat):
            for title in [*titles[1:], titles[0]]:
                CPU.clear()
                pages[title].append(page_seconds(page, title))
                pages_cpu[title].extend(CPU)
        browser.close()
    return {"sign_in": sign_ins, "sign_in_cpu": sign_in_cpu, "pages": pages, "pages_cpu": pages_cpu}


def report(username: str, measured: dict[str, Any]) -> dict[str, Any]:
    sign_in = statistics.median(measured["sign_in"])
    pages = {title: statistics.median(times) for title, times in measured["pages"].items()}
    pages_cpu = {title: statistics.median(times) for title, times in measured["pages_cpu"].items()}
    return {
        "role": username,
        "sign_in_seconds": round(sign_in, 3),
        "sign_in_server_cpu_seconds": round(statistics.median(measured["sign_in_cpu"]), 3),
        "sign_in_target": SIGN_IN_TARGET,
        "sign_in_met": sign_in <= SIGN_IN_TARGET,
        "pages_seconds": {title: round(seconds, 3) for title, seconds in pages.items()},
        "pages_server_cpu_seconds": {title: round(seconds, 3) for title, seconds in pages_cpu.items()},
        "page_target": PAGE_TARGET,
        "pages_met": all(seconds <= PAGE_TARGET for seconds in pages.values()),
        "runs": measured,
        "load_average": os.getloadavg(),
    }


def table(result: dict[str, Any]) -> str:
    rows = [("sign-in", result["sign_in_seconds"], result["sign_in_server_cpu_seconds"], result["sign_in_target"])]
    rows += [
        (f"page: {title}", s, result["pages_server_cpu_seconds"][title], result["page_target"])
        for title, s in result["pages_seconds"].items()
    ]
    lines = [f"{'as ' + result['role']:<34} {'median s':>9} {'server cpu s':>13} {'target':>7}  met"]
    lines += [
        f"{name:<34} {seconds:>9.3f} {cpu:>13.3f} {target:>7.1f}  {'yes' if seconds <= target else 'NO'}"
        for name, seconds, cpu, target in rows
    ]
    lines.append(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    global SERVER_PID
    parse = argparse.ArgumentParser(prog="python -m benchmarks.browser", description=__doc__.splitlines()[0])
    parse.add_argument("--repeat", type=int, default=5, metavar="K", help="timed runs of each (median reported)")
    parse.add_argument("--role", choices=list(ACCOUNTS), action="append", help="demo account(s); default manager")
    parse.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    args = parse.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium package", file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="grants-browser-bench-") as folder, demo_app(Path(folder)) as (url, pid):
        SERVER_PID = pid
        for username in args.role or ["manager"]:
            result = report(username, measure(url, username, args.repeat))
            results.append(result)
            print(table(result), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"scenarios": results}, indent=2))
    return 0 if all(r["sign_in_met"] and r["pages_met"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
