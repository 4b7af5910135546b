"""Restoring a backup: which database's restore applies (SQLite's or PostgreSQL's), and undoing one.

The checks and the SQLite copy live in :mod:`grants.services.restore`, PostgreSQL's in
:mod:`grants.services.restore_pg`; this module only chooses between them, so neither imports the other back.
"""

from __future__ import annotations

from pathlib import Path

from grants.services import backup as files
from grants.services import restore as sqlite
from grants.services import restore_pg
from grants.services.backup import BackupError
from grants.services.restore import RestoreResult
from grants.storage.database import Database


def restore(database: Database, source: Path, *, force: bool = False, actor: str = "cli") -> RestoreResult:
    """Replace the database with a checked copy of a backup; refuses one that holds data unless ``force``."""
    source = Path(source).expanduser().absolute()
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    magic = files.read_magic(source)
    if database.is_sqlite:
        if magic.startswith(files.PG_DUMP_MAGIC):
            raise BackupError(
                f"{source.name} is a PostgreSQL backup (pg_dump); restore it into a PostgreSQL database, not SQLite"
            )
        if not magic.startswith(files.SQLITE_MAGIC):
            raise BackupError(f"{source.name} is not a backup made by 'python -m grants backup' (not a SQLite file)")
        return sqlite.sqlite_restore(database, source, force=force, actor=actor)
    if magic.startswith(files.SQLITE_MAGIC):
        raise BackupError(f"{source.name} is a SQLite backup; restore it into a SQLite database, not PostgreSQL")
    if not magic.startswith(files.PG_DUMP_MAGIC):
        raise BackupError(
            f"{source.name} is not a backup made by 'python -m grants backup' (not a pg_dump custom-format archive)"
        )
    return restore_pg.restore(database, source, force=force, actor=actor)


def undo_restore(database: Database, *, actor: str = "cli") -> RestoreResult:
    """Put back the database the newest restore replaced (the current one is kept beside it)."""
    if database.is_sqlite:
        return sqlite.sqlite_undo(database, actor=actor)
    return restore_pg.undo(database, actor=actor)


# -- checks shared by both databases ------------------------------------------------------------
