"""Where the ledger lives: one setting chooses SQLite (default) or PostgreSQL.

The URL comes from ``--database``, else ``GRANTS_DATABASE_URL``, else a SQLite
file ``data/grants.db`` beside the code. Schema migrations (Alembic) are
applied by :func:`Database.migrate`, which every entry point calls on start.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE = PROJECT_ROOT / "data" / "grants.db"
ENV_VAR = "GRANTS_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x47524E54  # PostgreSQL advisory lock key held while migrating ("GRNT")


def database_url(explicit: str | None = None) -> str:
    """The URL in force: the explicit one, the environment's, or the default SQLite file."""
    if explicit:
        return explicit
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    return f"sqlite:///{DEFAULT_SQLITE}"


def redact(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


class Database:
    """An engine plus a session factory for one database URL."""

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        self.url = database_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    def session(self) -> Session:
        return self._sessions()

    def migrate(self, revision: str = "head") -> None:
        """Create or upgrade the schema to ``revision`` (the newest by default) in one transaction.

        All the migrations a run applies, and Alembic's version stamp, commit together or not at all, so
        a crash (even ``kill -9``) leaves the database at the old version or the new. SQLite's driver
        would commit before every DDL statement, so there the transaction is begun by hand
        (``BEGIN IMMEDIATE``: one migrator at a time; the others wait, then find nothing to do). On
        PostgreSQL an advisory lock makes concurrent starters wait for each other in the same way.
        """
        config = alembic_config(self.url)
        if self.is_sqlite:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    config.attributes["connection"] = connection
                    command.upgrade(config, revision)
                except BaseException:
                    connection.exec_driver_sql("ROLLBACK")
                    raise
                connection.exec_driver_sql("COMMIT")
            return
        with self.engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def is_empty(self) -> bool:
        """True when no partnership has been stored yet (a new database)."""
        from sqlalchemy import func, select

        from grants.storage.tables import PartnershipRow

        if not inspect(self.engine).has_table("partnerships"):
            return True
        with self.session() as session:
            return not session.scalar(select(func.count()).select_from(PartnershipRow))

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # 64 MiB of page cache (the default is 2 MiB): a million-row import keeps the spend indexes' pages in
    # memory instead of re-reading them for every row. Pages are only taken as they are used.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()
