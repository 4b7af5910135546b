"""Restore on PostgreSQL as a checked copy (the why and the steps: ``grants.services.restore``).

The archive's table of contents is read first (``pg_restore --list``): a backup made by this product holds
only tables, their data, sequences, keys, defaults and indexes in ``public``; anything else (a trigger, a
view, a function, a foreign table, another schema, a table that is not the tracker's) is refused before
any of it runs. The archive is then restored into a scratch database (dropped afterwards), checked again
from the catalogue, and its rows are copied into a new schema of the live database made by the product's
own migrations. Copy, upgrade, audit event and the swap (``public`` renamed to
``grants_before_restore_STAMP``, the new schema renamed to ``public``) are one transaction: the live
database is either as it was or wholly restored. Run it as the owner of the tracker's tables.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, MetaData, create_engine, insert, inspect, select, text
from sqlalchemy.engine import make_url

from grants.services import backup as files
from grants.services.backup import BackupError
from grants.services.restore import (
    KEPT_SCHEMA,
    RESTORE_ACTION,
    UNDO_ACTION,
    UNDONE_SCHEMA,
    RestoreResult,
    audit_row,
    check_objects,
    check_tables,
    check_version,
    sha256_of,
    stamp,
)
from grants.storage.database import Database, alembic_config, redact

BATCH = 5000
LOCK_TIMEOUT = "30s"
# pg_restore --list entry types a backup made by this product may hold (longest first); the rest are refused.
ALLOWED = (
    "TABLE DATA",
    "TABLE",
    "SEQUENCE SET",
    "SEQUENCE OWNED BY",
    "SEQUENCE",
    "FK CONSTRAINT",
    "CONSTRAINT",
    "INDEX",
    "DEFAULT",
)
_TOC_ENTRY = re.compile(r"^\d+;\s+\d+\s+\d+\s+(?P<rest>.*)$")
_FOREIGN_OBJECTS = """
SELECT 'trigger', tgname::text FROM pg_trigger WHERE NOT tgisinternal
UNION ALL SELECT 'view', viewname::text FROM pg_views WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
UNION ALL SELECT 'materialized view', matviewname::text FROM pg_matviews
UNION ALL SELECT 'function', p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
UNION ALL SELECT 'foreign table', relname::text FROM pg_class WHERE relkind = 'f'
UNION ALL SELECT 'rule', rulename::text FROM pg_rules WHERE schemaname NOT IN ('pg_catalog')
UNION ALL SELECT 'policy', policyname::text FROM pg_policies
UNION ALL SELECT 'extension', extname::text FROM pg_extension WHERE extname <> 'plpgsql'
UNION ALL SELECT 'schema', nspname::text FROM pg_namespace WHERE nspname NOT IN ('public', 'pg_catalog',
    'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
"""


def restore(database: Database, source: Path, *, force: bool, actor: str) -> RestoreResult:
    parsed = make_url(database.url)
    env = files.pg_environment(parsed)
    tool = files.pg_tool("pg_restore")
    listing = files.run_pg_tool([tool, "--list", str(source)], env, parsed.password, f"reading {source.name}")
    version = check_version(_archive_versions(tool, source, env, parsed.password), source.name)
    digest = sha256_of(source)
    current = files.data_rows(database)
    if any(current.values()) and not force:
        raise BackupError(
            f"the database {redact(database.url)} holds data ({sum(current.values())} rows); restore will not "
            "overwrite it. Back it up first, then use --force to replace it (the replaced schema is kept)"
        )
    replaced = {"database": redact(database.url), "rows": sum(current.values()), "audit_events": 0}
    replaced["audit_events"] = current.get("audit_events", 0)
    fresh, kept = f"grants_restore_{stamp().lower()}", f"{KEPT_SCHEMA}{stamp().lower()}"
    with database.engine.connect() as live:
        live.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        live.execute(text(f"CREATE SCHEMA {_quote(fresh)}"))
        live.execute(text(f"SET LOCAL search_path TO {_quote(fresh)}"))
        _upgrade(database, live, version)
        expected = _columns(live, fresh)
        check_objects(_toc_problems(listing, set(expected)), source.name)
        with _Scratch(database, source, env, parsed.password) as scratch:
            check_objects([(str(k), str(n)) for k, n in scratch.execute(text(_FOREIGN_OBJECTS))], source.name)
            stamped = scratch.execute(text(f"SELECT version_num FROM {files.SCHEMA_TABLE}")).scalars()
            check_version([str(v) for v in stamped], source.name)
            check_tables(_columns(scratch, "public"), expected, source.name, version)
            _copy_tables(scratch, live, fresh, expected)
        _reset_sequences(live, fresh, expected)
        _upgrade(database, live, "head")
        details = {"backup": str(source), "sha256": digest, "backup_version": version, "replaced": replaced}
        audit_row(actor, RESTORE_ACTION, {**details, "replaced_kept_as_schema": kept}, live)
        live.execute(text(f"ALTER SCHEMA public RENAME TO {_quote(kept)}"))
        live.execute(text(f"ALTER SCHEMA {_quote(fresh)} RENAME TO public"))
        live.commit()
    database.dispose()
    return RestoreResult("postgresql", str(source), digest, version, files.data_rows(database), kept)


def undo(database: Database, *, actor: str) -> RestoreResult:
    undone = f"{UNDONE_SCHEMA}{stamp().lower()}"
    with database.engine.connect() as live:
        pattern = KEPT_SCHEMA.replace("_", "\\_") + "%"
        previous = live.execute(
            text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p ORDER BY nspname DESC LIMIT 1"), {"p": pattern}
        ).scalar()
        if previous is None:
            raise BackupError(f"there is no restore to undo: no {KEPT_SCHEMA}* schema in the database")
        live.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        live.execute(text(f"ALTER SCHEMA public RENAME TO {_quote(undone)}"))
        live.execute(text(f"ALTER SCHEMA {_quote(str(previous))} RENAME TO public"))
        audit_row(actor, UNDO_ACTION, {"put_back_schema": str(previous), "undone_kept_as_schema": undone}, live)
        live.commit()
    database.dispose()
    database.migrate()
    return RestoreResult("postgresql", str(previous), None, None, files.data_rows(database), undone)


# -- helpers ----------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise BackupError(f"unexpected schema name {name!r}")
    return f'"{name}"'


def _archive_versions(tool: str, source: Path, env: dict[str, str], password: str | None) -> list[str]:
    """The rows of the archive's alembic_version table, read without restoring anything."""
    script = files.run_pg_tool(
        [tool, "--data-only", f"--table={files.SCHEMA_TABLE}", "--file=-", str(source)],
        env,
        password,
        f"reading the schema version of {source.name}",
    )
    lines = script.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"COPY public.{files.SCHEMA_TABLE} ")), None)
    if start is None:
        raise BackupError(f"{source.name} is a pg_dump archive but not a tracker database (it has no schema version)")
    versions = []
    for line in lines[start + 1 :]:
        if line == "\\.":
            break
        versions.append(line.strip())
    return versions


def _toc_problems(listing: str, expected: set[str]) -> list[tuple[str, str]]:
    """The entries of a ``pg_restore --list`` that a tracker backup never holds."""
    problems: list[tuple[str, str]] = []
    for line in listing.splitlines():
        match = _TOC_ENTRY.match(line.strip())
        if not match:
            continue
        rest = match["rest"]
        kind = next((allowed for allowed in ALLOWED if rest.startswith(allowed + " ")), None)
        if kind is None:
            problems.append((rest.split(" ")[0].lower(), rest))
            continue
        words = rest[len(kind) + 1 :].split(" ")
        if words[0] != "public":
            problems.append((f"{kind.lower()} in schema", words[0]))
        elif kind in ("TABLE", "TABLE DATA") and len(words) > 1 and words[1] not in expected | {files.SCHEMA_TABLE}:
            problems.append(("table", words[1]))
    return problems


def _upgrade(database: Database, connection: Connection, revision: str) -> None:
    config = alembic_config(database.url)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _columns(connection: Connection, schema: str) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {
        name: {str(column["name"]) for column in inspector.get_columns(name, schema=schema)}
        for name in inspector.get_table_names(schema=schema)
        if name != files.SCHEMA_TABLE
    }


class _Scratch:
    """A scratch database holding the archive as pg_restore makes it; dropped on leaving."""

    def __init__(self, database: Database, source: Path, env: dict[str, str], password: str | None) -> None:
        self.name = f"grants_scratch_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(database.url, isolation_level="AUTOCOMMIT")
        self.url = make_url(database.url).set(database=self.name)
        self.source, self.env, self.password = source, env, password

    def __enter__(self) -> Connection:
        with self.admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {_quote(self.name)}"))
        restore = [files.pg_tool("pg_restore"), "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
        arguments = [*restore, "--no-password", f"--dbname={self.name}", str(self.source)]
        what = f"pg_restore of {self.source.name} into a scratch database"
        files.run_pg_tool(arguments, self.env, self.password, what)
        self.engine = create_engine(self.url)
        self.connection = self.engine.connect()
        return self.connection

    def __exit__(self, *_: object) -> None:
        if hasattr(self, "connection"):
            self.connection.close()
            self.engine.dispose()
        with self.admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {_quote(self.name)} WITH (FORCE)"))
        self.admin.dispose()


def _copy_tables(source: Connection, target: Connection, schema: str, tables: Iterable[str]) -> None:
    """Every row of ``tables`` from the scratch database into ``schema``, referenced tables first."""
    names = list(tables)
    source_meta, target_meta = MetaData(), MetaData(schema=schema)
    source_meta.reflect(source, only=names)
    target_meta.reflect(target, only=names, schema=schema)
    for table in target_meta.sorted_tables:
        origin = source_meta.tables[table.name]
        columns = [column.name for column in table.columns]
        result = source.execution_options(yield_per=BATCH).execute(select(*(origin.c[c] for c in columns)))
        for batch in result.partitions(BATCH):
            target.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in batch])


def _reset_sequences(connection: Connection, schema: str, tables: dict[str, set[str]]) -> None:
    """Each id sequence continues after the copied rows."""
    for name, columns in tables.items():
        if "id" not in columns:
            continue
        qualified = f"{_quote(schema)}.{_quote(name)}"
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:t, 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) "
                f"FROM {qualified}"
            ),
            {"t": qualified},
        )
