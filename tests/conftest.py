"""Shared fixtures: a migrated SQLite database per test, and PostgreSQL where the server answers."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from grants.storage.database import Database

# The server the PostgreSQL tests use (another one, e.g. a stopped port, to prove CI=true fails without it).
POSTGRES_ADMIN_URL = os.environ.get("GRANTS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def in_ci() -> bool:
    """True under CI (``CI=true``): nothing the tests need may be missing there."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> NoReturn:
    """The one way a test gives up for a missing tool, server or file: a skip locally, a failure in CI."""
    if in_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once per session; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    database.dispose()
    return path


@pytest.fixture
def database(tmp_path: Path, _migrated_sqlite_template: Path) -> Iterator[Database]:
    """A fresh, migrated SQLite database file for one test."""
    path = tmp_path / "grants.db"
    shutil.copyfile(_migrated_sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


def _postgres_reachable() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return None
    except OperationalError as exc:
        return f"PostgreSQL at {POSTGRES_ADMIN_URL.rsplit('@', 1)[-1]} is not reachable ({exc.orig})"


@pytest.fixture(scope="session")
def _postgres_server() -> str:
    reason = _postgres_reachable()
    if reason:
        unavailable(reason)
    return POSTGRES_ADMIN_URL


@pytest.fixture
def pg_database(_postgres_server: str) -> Iterator[Database]:
    """A fresh, migrated PostgreSQL database for one test, dropped afterwards."""
    name = f"grants_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(f"{_postgres_server.rsplit('/', 1)[0]}/{name}")
    db.migrate()
    yield db
    db.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_database(request: pytest.FixtureRequest) -> Database:
    """The same test on SQLite and on PostgreSQL."""
    fixture = "database" if request.param == "sqlite" else "pg_database"
    db: Database = request.getfixturevalue(fixture)
    return db
