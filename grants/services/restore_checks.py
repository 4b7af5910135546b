"""What restoring on SQLite and on PostgreSQL share: the result, the checks of a backup, the audit event.

``grants.services.restore`` (SQLite, and the entry points) and ``grants.services.restore_pg`` both use
these, so neither imports the other's module at load time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, insert, select, text

from grants.services.backup import BackupError
from grants.storage.database import MIGRATIONS
from grants.storage.tables import AuditEventRow

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


# -- checks ------------------------------------------------------------


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


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
