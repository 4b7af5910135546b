"""Shared fixtures: a migrated SQLite database per test, and PostgreSQL where the server answers."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from grants.storage.database import Database

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


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
        return f"PostgreSQL at 127.0.0.1:5432 is not reachable ({exc.orig})"


@pytest.fixture(scope="session")
def _postgres_server() -> str:
    reason = _postgres_reachable()
    if reason:
        pytest.skip(reason)
    return POSTGRES_ADMIN_URL


@pytest.fixture
def pg_database(_postgres_server: str) -> Iterator[Database]:
    """A fresh, migrated PostgreSQL database for one test, dropped afterwards."""
    name = f"grants_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
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
