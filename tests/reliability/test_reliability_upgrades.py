"""Crash-safe upgrades: ``init`` on a new database, and an upgrade of one holding spends, killed with SIGKILL
before each of many SQL statements, leave the database at the old schema version or the new, never
between, and the next command works. SQLite and PostgreSQL.

The child (``reliability_kill_child.py``) counts the statements every engine sends and kills itself
just before statement N; a first run without a kill gives the count.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from reliability_support import HERE, ROOT, grants_cli
from sqlalchemy import create_engine, insert, inspect, text

from grants.services.restore import known_revisions
from grants.services.users import DEMO_PASSWORDS
from grants.storage.database import Database
from grants.storage.tables import SpendRow

CHILD = HERE / "reliability_kill_child.py"
POINTS = 6  # kill points per run, spread over every statement
SPENDS = 5_000


def _run(url: str, *args: str, kill_at: int = 0) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KILL_AT_STATEMENT": str(kill_at)}
    command = [sys.executable, str(CHILD), "--database", url, *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def _statements(url: str, *args: str) -> int:
    finished = _run(url, *args)
    assert finished.returncode == 0, finished.stderr
    return int(finished.stdout.rsplit("STATEMENTS ", 1)[1])


def _points(total: int) -> list[int]:
    step = max(1, total // POINTS)
    return sorted({1, 2, *range(1, total + 1, step), total - 1, total})


def _state(url: str) -> tuple[str | None, set[str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            version = None
            if "alembic_version" in tables:
                version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            return version, tables - {"alembic_version"}
    finally:
        engine.dispose()


def _head_tables(url: str) -> set[str]:
    return _state(url)[1]


@pytest.fixture
def pg_urls() -> Iterator[list[str]]:
    """Makes PostgreSQL databases on demand (appended by the test), dropped afterwards."""
    from tests.conftest import POSTGRES_ADMIN_URL

    made: list[str] = []
    yield made
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for url in made:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def _new_database(backend: str, folder: Path, made: list[str], template: str | None = None) -> str:
    if backend == "sqlite":
        path = folder / f"{uuid.uuid4().hex[:8]}.db"
        if template:
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    from tests.conftest import POSTGRES_ADMIN_URL, _postgres_reachable, unavailable

    if reason := _postgres_reachable():
        unavailable(reason)
    name = f"grants_kill_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    admin.dispose()
    url = f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    made.append(url)
    return url


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_init_killed_anywhere_leaves_no_schema_or_all_of_it(backend: str, tmp_path: Path, pg_urls: list[str]) -> None:
    reference = _new_database(backend, tmp_path, pg_urls)
    total = _statements(reference, "init")
    head_version, head_tables = _state(reference)
    assert head_version in known_revisions() and total > 10
    for point in _points(total):
        url = _new_database(backend, tmp_path, pg_urls)
        killed = _run(url, "init", kill_at=point)
        assert killed.returncode == -9, (point, killed.stdout, killed.stderr)
        assert _state(url) in [(None, set()), (head_version, head_tables)], f"killed before statement {point}"
        after = grants_cli(url, "funds", "--format", "json")
        assert after.returncode == 0, (point, after.stderr)
        assert _state(url) == (head_version, head_tables)


def _older_database_with_spends(backend: str, folder: Path, made: list[str]) -> str:
    """A database at schema version 0002 (before the spend aggregate) holding SPENDS spends."""
    url = _new_database(backend, folder, made)
    database = Database(url)
    database.migrate("0002")
    with database.engine.begin() as connection:
        # the columns of version 0002 only: today's table definitions have columns added since
        connection.execute(text("INSERT INTO partnerships (id, name, area, version) VALUES (1, 'CSP', '', 1)"))
        connection.execute(
            text(
                "INSERT INTO funds (id, code, name, partnership_id, year, starts, ends, amount, amount_status, "
                "aliases, conditions, notes, version) VALUES (1, 'PLF', 'PLF', 1, '2023/24', :starts, :ends, "
                "100000000, 'confirmed', '[]', '{}', '', 1)"
            ),
            {"starts": date(2023, 4, 1), "ends": date(2024, 3, 31)},
        )
        connection.execute(  # the columns of version 0002 only (later versions add more)
            text(
                "INSERT INTO budget_lines (id, fund_id, description, delivery_partner, strategic_priority, area, "
                "cohort, theme, capital_revenue, allocated, approved_by, continuation_decided, source, notes, version) "
                "VALUES (1, 1, 'Mediation', '', '', '', '', '', 'revenue', 1, '', false, '', '', 1)"
            )
        )
        connection.execute(
            insert(SpendRow),
            [
                {"line_id": 1, "spent_on": date(2023, 4 + n % 9, 1 + n % 28), "amount": 100 + n, "kind": "payment"}
                | {"version": 1}
                for n in range(SPENDS)
            ],
        )
    database.dispose()
    return url


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_an_upgrade_killed_anywhere_leaves_the_old_version_or_the_new(
    backend: str, tmp_path: Path, pg_urls: list[str]
) -> None:
    template = _older_database_with_spends(backend, tmp_path, pg_urls)
    old_version, old_tables = _state(template)
    assert old_version == "0002"
    reference = _new_database(backend, tmp_path, pg_urls, template)
    total = _statements(reference, "init")
    new_version, new_tables = _state(reference)
    assert new_version != old_version
    for point in _points(total):
        url = _new_database(backend, tmp_path, pg_urls, template)
        killed = _run(url, "init", kill_at=point)
        assert killed.returncode == -9, (point, killed.stdout, killed.stderr)
        assert _state(url) in [(old_version, old_tables), (new_version, new_tables)], f"killed before {point}"
        assert grants_cli(url, "funds").returncode == 0
        engine = create_engine(url)
        with engine.connect() as connection:  # the aggregate the upgrade builds agrees with the spends
            spent = connection.execute(text("SELECT sum(amount) FROM spends")).scalar()
            aggregated = connection.execute(text("SELECT sum(amount) FROM spend_months")).scalar()
        engine.dispose()
        assert spent == aggregated == sum(100 + n for n in range(SPENDS))


def _demo_content(url: str) -> tuple[int, int, int, int]:
    """(demo mark, partnerships, funds, accounts) of a database whose schema may be absent or partial."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if not {"settings", "partnerships", "funds", "users"} <= tables:
                return (0, 0, 0, 0)
            count = lambda table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)  # noqa: E731
            marked = connection.execute(text("SELECT count(*) FROM settings WHERE key = 'demo'")).scalar()
            return (int(marked or 0), count("partnerships"), count("funds"), count("users"))
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_init_demo_killed_anywhere_leaves_no_demo_or_all_of_it(
    backend: str, tmp_path: Path, pg_urls: list[str]
) -> None:
    reference = _new_database(backend, tmp_path, pg_urls)
    total = _statements(reference, "init", "--demo")
    complete = _demo_content(reference)
    assert complete[0] == 1 and complete[1] >= 1 and complete[2] >= 1 and complete[3] == len(DEMO_PASSWORDS)
    for point in sorted({total // 3, 2 * total // 3, total - 1}):  # total - 1: among the last writes (the accounts)
        url = _new_database(backend, tmp_path, pg_urls)
        killed = _run(url, "init", "--demo", kill_at=point)
        assert killed.returncode == -9, (point, killed.stdout, killed.stderr)
        assert _demo_content(url) in [(0, 0, 0, 0), complete], f"killed before statement {point}"
        again = grants_cli(url, "init", "--demo")
        assert again.returncode == 0, (point, again.stdout, again.stderr)
        assert _demo_content(url) == complete
