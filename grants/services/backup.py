"""Backing up the whole database, and the file helpers restoring shares (``grants.services.restore``).

SQLite: a backup is a single SQLite file made with the online backup API
(``sqlite3.Connection.backup``), so it is a consistent copy even while the app is
writing. It is written to a temporary file beside the target, checked
(``PRAGMA integrity_check``) and renamed into place, so a crash never leaves a
half-written backup under the chosen name.

PostgreSQL: ``pg_dump --format=custom``, checked with ``pg_restore --list``. The
connection settings go to the tools through the environment (``PGHOST``, ``PGUSER``,
``PGPASSWORD``...), so a password is never on a command line, where other users
could read it, nor in a message.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, select, table, text
from sqlalchemy.engine import URL, make_url

from grants.domain.errors import GrantsError
from grants.storage.database import Database, redact

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SCHEMA_TABLE = "alembic_version"
"""Alembic's bookkeeping table: present in every tracker database, never counted as data."""

PG_TOOL_TIMEOUT = 3600
"""Seconds a pg_dump or pg_restore may run before it is stopped."""

# libpq reads these from the environment; a URL's query may carry them (``?sslmode=require``).
_LIBPQ_QUERY_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "options": "PGOPTIONS",
}


class BackupError(GrantsError):
    """A backup or restore that could not be done; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup or restore did."""

    path: Path
    backend: str  # "sqlite" or "postgresql"
    size: int  # bytes in the backup file
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows (SQLite; PostgreSQL after a restore)
    replaced_copy: Path | None = None  # a restore with force: where the replaced database was kept

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# -- the public use cases -------------------------------------------------------------------


def backup(database: Database, out: Path, *, force: bool = False) -> BackupResult:
    """Copy the whole database to ``out`` (refusing to replace an existing file unless ``force``)."""
    out = Path(out).expanduser().absolute()
    if out.is_dir():
        raise BackupError(f"{out} is a folder; give the name of the backup file to write")
    if out.exists() and not force:
        raise BackupError(f"{out} already exists; choose another name or use --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    if database.is_sqlite:
        return _sqlite_backup(sqlite_path(database), out)
    return _pg_backup(database, out)


def data_rows(database: Database) -> dict[str, int]:
    """Rows in every table of the database (Alembic's own table left out)."""
    names = [name for name in inspect(database.engine).get_table_names() if name != SCHEMA_TABLE]
    counts: dict[str, int] = {}
    with database.engine.connect() as connection:
        for name in sorted(names):
            counts[name] = int(connection.execute(select(text("count(*)")).select_from(table(name))).scalar() or 0)
    return counts


def holds_data(database: Database) -> bool:
    """True when any table (other than Alembic's) has a row."""
    return any(data_rows(database).values())


# -- SQLite ---------------------------------------------------------------------------------


def sqlite_path(database: Database) -> Path:
    name = make_url(database.url).database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(name).expanduser().absolute()


def temporary_beside(target: Path, purpose: str) -> Path:
    return target.with_name(f".{target.name}.{purpose}-{os.getpid()}.tmp")


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {
        name: int(connection.execute(f'SELECT count(*) FROM "{name.replace(chr(34), chr(34) * 2)}"').fetchone()[0])
        for name in names
        if name != SCHEMA_TABLE
    }


def check_sqlite_copy(connection: sqlite3.Connection, what: str) -> None:
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{what} is not a readable SQLite database ({exc})") from exc
    if result != ["ok"]:
        raise BackupError(f"{what} failed SQLite's integrity check: {'; '.join(result[:5])}")


def _copy_sqlite(source: Path, destination: Path, what: str) -> dict[str, int]:
    """Copy with the online backup API into ``destination`` (a new file), check it, and count its rows."""
    destination.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(str(source), timeout=30)) as src, closing(sqlite3.connect(destination)) as dst:
            src.backup(dst)  # one step: a consistent snapshot, even while others write (WAL)
            check_sqlite_copy(dst, what)
            # A backup is one self-contained file: no -wal beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
            counts = _sqlite_counts(dst)
    except sqlite3.DatabaseError as exc:
        destination.unlink(missing_ok=True)
        raise BackupError(f"{what} could not be copied ({exc})") from exc
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    _fsync(destination)
    return counts


def _sqlite_backup(source: Path, out: Path) -> BackupResult:
    if not source.is_file():
        raise BackupError(f"there is no database at {source} to back up")
    if out == source or (out.exists() and out.samefile(source)):
        raise BackupError("the backup file cannot be the database itself")
    temporary = temporary_beside(out, "backup")
    try:
        counts = _copy_sqlite(source, temporary, f"the database {source.name}")
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)
    fsync_folder(out.parent)
    return BackupResult(path=out, backend="sqlite", size=out.stat().st_size, rows=counts)


@contextmanager
def sole_user(target: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the database once no one else is using it: its WAL folded in and emptied."""
    with closing(sqlite3.connect(str(target), timeout=5)) as connection:
        try:
            busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"the database at {target} cannot be opened to replace it ({exc})") from exc
        if busy:
            raise BackupError(
                "the database is in use (the app or another command has it open); stop them and try again"
            )
        yield connection


def kept_copy_name(target: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return target.with_name(f"{target.name}.before-restore-{stamp}")


def keep_copy(target: Path, kept: Path) -> None:
    """Copy the live SQLite database to ``kept`` (one self-contained file) once no one else is using it."""
    with sole_user(target) as connection, closing(sqlite3.connect(kept)) as copy:
        connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    _fsync(kept)


def settle(path: Path) -> None:
    """A SQLite file made whole on disk: its WAL folded in and removed, then synced."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    forget_journals(path)
    _fsync(path)


def forget_journals(path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def read_magic(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_MAGIC))


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    with suppress(OSError):  # not every platform lets a folder be opened
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# -- PostgreSQL -----------------------------------------------------------------------------


def pg_environment(url: str | URL, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: libpq's PG* variables from the URL, password included.

    Nothing here goes on a command line. Settings the URL does not give are left as the
    environment has them (so ``~/.pgpass`` and an inherited ``PGPASSWORD`` still work).
    """
    parsed = make_url(url) if isinstance(url, str) else url
    env = dict(os.environ if base is None else base)
    if parsed.host:
        env["PGHOST"] = parsed.host
    if parsed.port:
        env["PGPORT"] = str(parsed.port)
    if parsed.username:
        env["PGUSER"] = parsed.username
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    if parsed.database:
        env["PGDATABASE"] = parsed.database
    for key, value in parsed.query.items():
        variable = _LIBPQ_QUERY_ENV.get(key)
        if variable is None:
            raise BackupError(f"the database URL's setting {key!r} is not one pg_dump understands; remove it")
        env[variable] = value if isinstance(value, str) else value[-1]
    return env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools (the server's version or newer)"
        )
    return found


def run_pg_tool(arguments: list[str], env: dict[str, str], password: str | None, what: str) -> str:
    try:
        completed = subprocess.run(
            arguments, env=env, capture_output=True, text=True, timeout=PG_TOOL_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what} did not finish within {PG_TOOL_TIMEOUT} seconds") from exc
    if completed.returncode != 0:
        detail = _scrub(completed.stderr.strip() or completed.stdout.strip(), password)
        raise BackupError(f"{what} failed (exit status {completed.returncode}): {detail}")
    return completed.stdout


def _scrub(message: str, password: str | None) -> str:
    """Belt and braces: a tool's message never carries the password back to us."""
    return message.replace(password, "***") if password else message


def _pg_backup(database: Database, out: Path) -> BackupResult:
    parsed = make_url(database.url)
    env = pg_environment(parsed)
    temporary = temporary_beside(out, "backup")
    what = f"pg_dump of {redact(database.url)}"
    try:
        run_pg_tool(
            [pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={temporary}"],
            env,
            parsed.password,
            what,
        )
        check_pg_archive(temporary, env, parsed.password)
        _fsync(temporary)
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)
    fsync_folder(out.parent)
    return BackupResult(path=out, backend="postgresql", size=out.stat().st_size)


def check_pg_archive(path: Path, env: dict[str, str], password: str | None) -> None:
    run_pg_tool([pg_tool("pg_restore"), "--list", str(path)], env, password, f"reading the archive {path.name}")
