"""Restoring a backup as a checked copy, and undoing a restore.

A restore never trusts the file. It opens the backup read-only, checks that it holds this product's
schema at a version this release knows, builds a fresh database at that version with the product's own
migrations, copies the product's tables into it row by row and nothing else (no trigger, view, function,
foreign table or extra table comes across: a backup carrying one is refused), upgrades the copy to the
current schema and appends an audit event (who, when, which backup, its SHA-256, what it replaced).
Only then is it swapped in, atomically; the replaced database is kept, and ``undo_restore`` puts it back.

SQLite: the copy is a new file beside the database (``ATTACH ... mode=ro`` and ``INSERT ... SELECT``), the
swap a rename; the replaced database is kept as ``NAME.before-restore-STAMP``. PostgreSQL: the archive is
first read with ``pg_restore --list`` (only tables, their data, sequences, keys and indexes are allowed),
then restored into a scratch database that is dropped afterwards; the copy is built in a new schema of
the live database and swapped with ``public`` by two renames in one transaction; the replaced schema is
kept as ``grants_before_restore_STAMP``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, insert, inspect, select, text

from grants.services import backup as files
from grants.services.backup import BackupError
from grants.services.data_version import version_or_zero
from grants.storage.data_versions import set_all_versions
from grants.storage.database import MIGRATIONS, Database, redact
from grants.storage.tables import AuditEventRow, DataVersionRow

RESTORE_ACTION = "restore"
UNDO_ACTION = "restore-undo"
KEPT_FILE = ".before-restore-"
UNDONE_FILE = ".undone-restore-"
KEPT_SCHEMA = "grants_before_restore_"
UNDONE_SCHEMA = "grants_undone_restore_"


@dataclass(frozen=True)
class RestoreResult:
    """What a restore (or its undo) did."""

    backend: str  # "sqlite" or "postgresql"
    source: str  # the backup file, or the kept copy an undo put back
    sha256: str | None  # of the backup file
    version: str | None  # the backup's schema version before it was brought up to date
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows now live
    replaced_copy: str | None = None  # where the replaced database is kept (a file, or a schema)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def known_revisions() -> set[str]:
    """The schema versions this release can restore (and then upgrade)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_version(found: list[str], name: str) -> str:
    """The backup's one schema version, known to this release."""
    if len(found) != 1:
        raise BackupError(f"{name} has {len(found)} schema versions recorded; a tracker database has exactly one")
    version = found[0]
    if version not in known_revisions():
        raise BackupError(
            f"{name} is at schema version {version!r}, which this release does not know "
            "(another application's database, or a newer release's backup)"
        )
    return version


def check_objects(extra: Iterable[tuple[str, str]], name: str) -> None:
    """Refuse anything a tracker backup does not hold: triggers, views, functions, foreign tables..."""
    listed = sorted(set(extra))
    if listed:
        shown = ", ".join(f"{kind} {item!r}" for kind, item in listed[:10])
        more = f" and {len(listed) - 10} more" if len(listed) > 10 else ""
        raise BackupError(
            f"{name} holds what a tracker backup never does ({shown}{more}); it was changed after it was made, "
            "and is refused"
        )


def check_tables(found: dict[str, set[str]], expected: dict[str, set[str]], name: str, version: str) -> None:
    """The backup's tables and their columns are exactly the product's at its version."""
    foreign = sorted(set(found) - set(expected))
    missing = sorted(set(expected) - set(found))
    if foreign:
        raise BackupError(f"{name} holds tables that are not the tracker's: {', '.join(foreign[:10])}; refused")
    if missing:
        raise BackupError(f"{name} lacks the tracker's tables {', '.join(missing[:10])} (schema version {version})")
    for table in sorted(expected):
        if found[table] != expected[table]:
            odd = sorted(found[table] ^ expected[table])
            raise BackupError(
                f"{name}: table {table} does not have the columns of version {version} ({', '.join(odd)})"
            )


def audit_row(actor: str, action: str, details: dict[str, Any], connection: Connection, *, above: int = 0) -> None:
    """Append one audit event about the database as a whole, its id above ``above`` and every id already there.

    The newest audit event's id is the data version caches are keyed on (``grants.services.data_version``):
    numbering the event above the replaced database's newest keeps the version from going back.
    """
    newest = int(connection.execute(select(func.max(AuditEventRow.id))).scalar() or 0)
    number = max(newest, above) + 1
    connection.execute(
        insert(AuditEventRow).values(
            id=number,
            at=datetime.now(UTC).replace(tzinfo=None),
            actor=actor,
            action=action,
            entity="database",
            entity_id=None,
            before=None,
            after=details,
        )
    )
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT setval(pg_get_serial_sequence('audit_events', 'id'), :n)"), {"n": number})
    if inspect(connection).has_table(DataVersionRow.__tablename__):  # a backup from before them gets them on upgrade
        set_all_versions(connection, number)  # every fund's cached figures are outdated, on every process


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


# -- SQLite -------------------------------------------------------------------------------------


def _read_only_uri(path: Path) -> str:
    return f"{path.as_uri()}?mode=ro"


def _attach(connection: sqlite3.Connection, source: Path) -> None:
    """The backup, read-only, as schema ``backup`` of ``connection``."""
    try:
        connection.execute("ATTACH DATABASE ? AS backup", (_read_only_uri(source),))
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source.name} is not a readable SQLite database ({exc})") from exc


def _objects(connection: sqlite3.Connection, schema: str) -> list[tuple[str, str, str]]:
    return [
        (str(kind), str(name), str(sql or ""))
        for kind, name, sql in connection.execute(f"SELECT type, name, sql FROM {schema}.sqlite_master")
        if not str(name).startswith("sqlite_")
    ]


def _columns(connection: sqlite3.Connection, schema: str, names: Iterable[str]) -> dict[str, set[str]]:
    return {
        name: {str(row[1]) for row in connection.execute(f'PRAGMA {schema}.table_info("{name}")')}
        for name in names
        if name != files.SCHEMA_TABLE
    }


def _check_sqlite_backup(connection: sqlite3.Connection, name: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Integrity, schema version and no foreign objects of the attached backup; its objects."""
    try:
        result = [row[0] for row in connection.execute("PRAGMA backup.integrity_check")]
        found = _objects(connection, "backup")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{name} is not a readable SQLite database ({exc})") from exc
    if result != ["ok"]:
        raise BackupError(f"{name} failed SQLite's integrity check: {'; '.join(str(r) for r in result[:5])}")
    if not any(kind == "table" and item == files.SCHEMA_TABLE for kind, item, _ in found):
        raise BackupError(f"{name} is a SQLite file but not a tracker database (it has no schema version)")
    versions = [str(row[0]) for row in connection.execute(f"SELECT version_num FROM backup.{files.SCHEMA_TABLE}")]
    return check_version(versions, name), found


def _copy_into(fresh: Path, source: Path, name: str) -> dict[str, int]:
    """Check the backup against ``fresh`` (migrated to its version by the caller) and copy its rows in."""
    with closing(sqlite3.connect(fresh.as_uri(), uri=True, isolation_level=None)) as connection:
        _attach(connection, source)
        _, found = _check_sqlite_backup(connection, name)
        return _copy_rows(connection, found, name)


def _copy_rows(connection: sqlite3.Connection, found: list[tuple[str, str, str]], name: str) -> dict[str, int]:
    expected_objects = {(kind, item) for kind, item, _ in _objects(connection, "main")}
    check_objects(
        [
            (kind, item)
            for kind, item, _ in found
            if kind in ("trigger", "view") and (kind, item) not in expected_objects
        ]
        + [("virtual table", item) for kind, item, sql in found if kind == "table" and "VIRTUAL" in sql.upper()[:20]],
        name,
    )
    version = str(connection.execute(f"SELECT version_num FROM main.{files.SCHEMA_TABLE}").fetchone()[0])
    expected = _columns(connection, "main", [item for kind, item, _ in _objects(connection, "main") if kind == "table"])
    check_tables(_columns(connection, "backup", [i for k, i, _ in found if k == "table"]), expected, name, version)
    order = _insert_order(connection, expected)
    counts: dict[str, int] = {}
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("BEGIN IMMEDIATE")
    try:
        for table in order:
            columns = ", ".join(f'"{column}"' for column in sorted(expected[table]))
            connection.execute(f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM backup."{table}"')
            counts[table] = int(connection.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0])
        orphans = connection.execute("PRAGMA main.foreign_key_check").fetchall()
        if orphans:
            table, rowid, parent, _ = orphans[0]
            first = f"first {table} {rowid} -> {parent}"
            raise sqlite3.IntegrityError(f"{len(orphans)} row(s) refer to missing rows, {first}")
        connection.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        connection.execute("ROLLBACK")
        raise BackupError(f"{name}'s rows do not fit the tracker's schema ({exc}); refused") from exc
    connection.execute("DETACH DATABASE backup")
    return counts


def _insert_order(connection: sqlite3.Connection, tables: dict[str, set[str]]) -> list[str]:
    """Tables with the ones they refer to first (so foreign keys hold at every insert)."""
    needs = {
        name: {str(row[2]) for row in connection.execute(f'PRAGMA main.foreign_key_list("{name}")')} & set(tables)
        for name in tables
    }
    order: list[str] = []
    while needs:
        ready = sorted(name for name, wanted in needs.items() if wanted <= set(order) | {name})
        if not ready:
            raise BackupError(f"the tracker's tables refer to each other in a cycle: {sorted(needs)}")
        order.extend(ready)
        for name in ready:
            del needs[name]
    return order


def _database_details(database: Database) -> dict[str, Any]:
    rows = files.data_rows(database)
    return {"database": redact(database.url), "rows": sum(rows.values()), "audit_events": rows.get("audit_events", 0)}


def sqlite_restore(database: Database, source: Path, *, force: bool, actor: str) -> RestoreResult:
    target = files.sqlite_path(database)
    if target == source or (target.exists() and target.samefile(source)):
        raise BackupError("the backup file is the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = sha256_of(source)
    with closing(sqlite3.connect("file::memory:", uri=True)) as probe:  # the backup's version, read-only
        _attach(probe, source)
        version, _ = _check_sqlite_backup(probe, source.name)
    current = _database_details(database) if target.exists() else None
    above = version_or_zero(database) if target.exists() else 0
    if current and current["rows"] and not force:
        raise BackupError(
            f"the database {redact(database.url)} holds data ({current['rows']} rows); restore "
            "will not overwrite it. Use --force to replace it (a copy of it is kept beside it)"
        )
    kept = files.kept_copy_name(target) if target.exists() else None
    fresh = files.temporary_beside(target, "restore")
    fresh.unlink(missing_ok=True)
    try:
        copy = Database(f"sqlite:///{fresh}")
        try:
            copy.migrate(version)  # the product's own schema at the backup's version ...
            copy.dispose()
            _copy_into(fresh, source, source.name)  # ... its tables' rows, checked, and nothing else
            copy.migrate()  # ... brought up to this release's schema
            details = {
                "backup": str(source),
                "sha256": digest,
                "backup_version": version,
                "replaced": current,
                "replaced_kept_at": str(kept) if kept else None,
            }
            with copy.engine.begin() as connection:
                audit_row(actor, RESTORE_ACTION, details, connection, above=above)
            counts = files.data_rows(copy)
        finally:
            copy.dispose()
        files.settle(fresh)
        database.dispose()  # our own pooled connections must not hold the file open
        if kept is not None:
            files.keep_copy(target, kept)
        os.replace(fresh, target)
        files.forget_journals(target)
        files.fsync_folder(target.parent)
    finally:
        fresh.unlink(missing_ok=True)
        files.forget_journals(fresh)
    return RestoreResult("sqlite", str(source), digest, version, counts, str(kept) if kept else None)


def sqlite_undo(database: Database, *, actor: str) -> RestoreResult:
    target = files.sqlite_path(database)
    candidates = sorted(target.parent.glob(f"{target.name}{KEPT_FILE}*"))
    if not candidates:
        raise BackupError(f"there is no restore to undo: no {target.name}{KEPT_FILE}* file beside the database")
    previous = candidates[-1]
    with closing(sqlite3.connect(_read_only_uri(previous), uri=True)) as connection:
        files.check_sqlite_copy(connection, f"the kept database {previous.name}")
    undone = target.with_name(f"{target.name}{UNDONE_FILE}{stamp()}")
    above = version_or_zero(database)
    database.dispose()
    if target.exists():
        files.keep_copy(target, undone)
    os.replace(previous, target)
    files.forget_journals(target)
    files.fsync_folder(target.parent)
    database.migrate()
    details = {"put_back": str(previous), "undone_kept_at": str(undone) if target.exists() else None}
    with database.engine.begin() as connection:
        audit_row(actor, UNDO_ACTION, details, connection, above=above)
    return RestoreResult("sqlite", str(previous), None, None, files.data_rows(database), str(undone))
