"""Crashes: a process SIGKILLed in the middle of writing leaves the database exactly as it was.

Two ways of catching the process mid-write:

- the real command (``python -m grants import spend BIG.csv``) is killed as soon as its bulk INSERT
  is seen running — on SQLite by the write-ahead log growing, on PostgreSQL by ``pg_stat_activity``
  showing the INSERT — and only if the process has not exited yet (its exit status must be -9);
  if it finished first, the attempt is repeated with a file twice the size;
- a child process pauses inside the engine's ``commit`` event (every row written, the commit not
  yet sent) and is killed there: the worst moment. This also covers submitting an OPCC return.

Afterwards every table is compared with a snapshot taken before, ``PRAGMA integrity_check`` says
ok, and the app starts and works again (``python -m grants funds``, then a real import).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from reliability_generators import big_spend_ledger
from reliability_support import (
    CORPUS,
    CSP,
    FUND,
    HERE,
    ROOT,
    SEED_LINES,
    YEAR,
    grants_cli,
    import_args,
    snapshot,
    snapshot_difference,
    sqlite_path,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from grants.domain.enums import ReturnStatus
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.ops import import_spend, submit_return

ATTEMPTS = 4
FIRST_ROWS = 80_000


def _kill_when(process: subprocess.Popen[str], started_writing: Callable[[], bool], timeout: float = 300) -> bool:
    """SIGKILL ``process`` the moment ``started_writing()`` holds; True if it was killed while still running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False  # it finished before we saw it write
        if started_writing():
            if process.poll() is not None:
                return False
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
            return process.returncode == -signal.SIGKILL
        time.sleep(0.005)
    process.kill()
    process.wait(timeout=60)
    raise AssertionError(f"the import neither wrote nor finished within {timeout} s")


def _start_import(url: str, path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "GRANTS_DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "grants", *import_args("spend", path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _integrity(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]


def _app_works_again(url: str) -> None:
    """The app starts cleanly (``python -m grants funds``: nothing spent) and takes a real import."""
    listed = grants_cli(url, "funds", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    (fund,) = [f for f in json.loads(listed.stdout) if f["partnership"] == CSP]
    assert Decimal(fund["spent"]) == 0
    database = Database(url)
    try:
        report = import_spend(
            database, CORPUS / "spend_windows_1252.csv", partnership=CSP, fund_code=FUND, year=YEAR, actor="after"
        )
    finally:
        database.dispose()
    assert report.rows_read == 2


@pytest.mark.slow
def test_a_big_sqlite_import_killed_mid_insert_leaves_the_database_as_it_was(seeded: Database, tmp_path: Path) -> None:
    original = sqlite_path(seeded)
    seeded.dispose()
    before = snapshot(seeded)
    seeded.dispose()
    rows = FIRST_ROWS
    for attempt in range(1, ATTEMPTS + 1):
        path = tmp_path / f"attempt{attempt}.db"
        shutil.copyfile(original, path)
        wal = Path(f"{path}-wal")
        ledger, _ = big_spend_ledger(tmp_path, SEED_LINES, rows=rows, name=f"ledger{attempt}.csv")
        url = f"sqlite:///{path}"
        process = _start_import(url, ledger)
        # The bulk INSERT spills pages to the write-ahead log as it goes: 256 KB of it means it is under way.
        if _kill_when(process, lambda wal=wal: wal.exists() and wal.stat().st_size > 256 * 1024):
            break
        rows *= 2
    else:
        pytest.fail(f"the import finished before it could be caught writing, {ATTEMPTS} times")
    assert wal.stat().st_size > 256 * 1024  # the killed process had written uncommitted pages
    after = Database(url)
    try:
        assert snapshot_difference(before, snapshot(after)) == []
    finally:
        after.dispose()
    assert _integrity(path) == ["ok"]
    _app_works_again(url)
    assert _integrity(path) == ["ok"]


@pytest.mark.slow
@pytest.mark.postgres
def test_a_big_postgresql_import_killed_mid_insert_leaves_the_database_as_it_was(
    pg_seeded: Database, tmp_path: Path
) -> None:
    before = snapshot(pg_seeded)
    pg_seeded.dispose()
    name = make_url(pg_seeded.url).database
    watcher = create_engine(pg_seeded.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    inserting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = :name AND state = 'active' "
        "AND (query ILIKE 'INSERT INTO spends%' OR query ILIKE 'COPY spends%')"
    )
    remaining = text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()")
    try:
        with watcher.connect() as connection:

            def insert_running() -> bool:
                return bool(connection.execute(inserting, {"name": name}).scalar())

            # A committed import cannot be taken back here, so there is one attempt: the INSERT of 80,000
            # rows runs for seconds and the watcher looks every 5 ms, so it is always seen.
            ledger, _ = big_spend_ledger(tmp_path, SEED_LINES, rows=FIRST_ROWS)
            caught = _kill_when(_start_import(pg_seeded.url, ledger), insert_running)
            assert caught, "the import finished before its INSERT was seen running; raise FIRST_ROWS"
            deadline = time.monotonic() + 60
            while connection.execute(remaining, {"name": name}).scalar() and time.monotonic() < deadline:
                time.sleep(0.1)  # the server notices the dead client and rolls its transaction back
    finally:
        watcher.dispose()
    assert snapshot_difference(before, snapshot(pg_seeded)) == []
    pg_seeded.dispose()
    _app_works_again(pg_seeded.url)


def _kill_before_commit(url: str, *action: str) -> None:
    """Run the crash child until it is about to commit, then SIGKILL it there."""
    process = subprocess.Popen(
        [sys.executable, str(HERE / "reliability_crash_child.py"), url, *action],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 180)
        line = process.stdout.readline() if ready else ""
        assert line.strip() == "ABOUT TO COMMIT", (line, process.stderr.read() if process.poll() is not None else "")
        assert process.poll() is None
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_an_import_killed_just_before_its_commit_leaves_nothing(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> None:
    database: Database = request.getfixturevalue("seeded" if backend == "sqlite" else "pg_seeded")
    ledger, _ = big_spend_ledger(tmp_path, SEED_LINES, rows=5_000)
    before = snapshot(database)
    database.dispose()
    _kill_before_commit(database.url, "import-spend", str(ledger))
    assert snapshot_difference(before, snapshot(database)) == []
    if backend == "sqlite":
        assert _integrity(sqlite_path(database)) == ["ok"]
    database.dispose()
    _app_works_again(database.url)


@pytest.mark.slow
def test_a_return_submission_killed_just_before_its_commit_leaves_nothing_and_can_be_submitted_again(
    seeded: Database,
) -> None:
    before = snapshot(seeded)
    seeded.dispose()
    _kill_before_commit(seeded.url, "submit-return")
    assert snapshot_difference(before, snapshot(seeded)) == []
    assert _integrity(sqlite_path(seeded)) == ["ok"]
    submitted = submit_return(
        seeded,
        partnership=CSP,
        fund_code=FUND,
        year=YEAR,
        half="H1",
        actor="manager",
        on=date(2023, 10, 21),
        findings=lambda *_: None,
    )
    assert submitted.status is ReturnStatus.SUBMITTED
    with UnitOfWork(seeded) as uow:
        assert [(r.period, r.submitted_by) for r in uow.returns.find()] == [("2023/24 H1", "manager")]
