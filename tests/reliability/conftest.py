"""Fixtures for the reliability tests: a seeded fund on SQLite and PostgreSQL, and the load-test length.

``--reliability-seconds N`` sets how long each concurrent-writer test runs (default 5; the full
figure in RELIABILITY.md comes from 60). The option is registered here, so give it with this folder
on the command line: ``pytest tests/reliability --reliability-seconds 60``. The environment
variable ``RELIABILITY_SECONDS`` does the same from anywhere.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_support import seed

from grants.storage.database import Database

DEFAULT_SECONDS = 5.0


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reliability-seconds",
        type=float,
        default=None,
        help=f"how long each concurrent-writer load test runs (default {DEFAULT_SECONDS:g}; RELIABILITY.md uses 60)",
    )


@pytest.fixture(scope="session")
def reliability_seconds(pytestconfig: pytest.Config) -> float:
    given = pytestconfig.getoption("--reliability-seconds", default=None)
    if given is None:
        given = float(os.environ.get("RELIABILITY_SECONDS", DEFAULT_SECONDS))
    return float(given)


@pytest.fixture(scope="session")
def _seeded_sqlite_template(tmp_path_factory: pytest.TempPathFactory, _migrated_sqlite_template: Path) -> Path:
    """Migrate and seed once per session (per xdist worker); each test gets its own copy."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    shutil.copyfile(_migrated_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    seed(database)
    database.dispose()
    return path


@pytest.fixture
def seeded(tmp_path: Path, _seeded_sqlite_template: Path) -> Iterator[Database]:
    """A SQLite database (its own file) holding the seeded fund."""
    path = tmp_path / "seeded.db"
    shutil.copyfile(_seeded_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def pg_seeded(pg_database: Database) -> Database:
    """A PostgreSQL database (its own, dropped afterwards) holding the seeded fund."""
    seed(pg_database)
    return pg_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_seeded(request: pytest.FixtureRequest) -> Database:
    """The seeded fund on SQLite and on PostgreSQL."""
    database: Database = request.getfixturevalue("seeded" if request.param == "sqlite" else "pg_seeded")
    return database
