"""``python -m grants backup --out FILE`` and ``python -m grants restore FILE [--force]``.

SQLite databases are copied with SQLite's online backup API; PostgreSQL ones with
``pg_dump`` (the password goes to it through the environment, never the command line). A
restore is a checked copy (``grants.services.restore``); it refuses a database that holds
data unless ``--force``, keeps what it replaced, and ``restore --undo`` puts that back.
Exit status 2 when nothing could be done.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from grants.services.backup import BackupError, backup
from grants.services.restoring import restore, undo_restore
from grants.storage.database import Database, redact


def register(subparsers: Any) -> None:
    save = subparsers.add_parser(
        "backup",
        help="copy the whole database to a file",
        description="Copy every table to FILE: a SQLite file for SQLite, a pg_dump custom-format archive for "
        "PostgreSQL. The file appears only when it is complete and checked.",
    )
    save.add_argument("--out", required=True, type=Path, metavar="FILE", help="the backup file to write")
    save.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    save.set_defaults(handler=_backup, operator_only=True)

    load = subparsers.add_parser(
        "restore",
        help="replace the database with a checked copy of a backup (or --undo the last restore)",
        description="Replace the database with a checked copy of a backup made by 'backup': the backup is "
        "opened read-only, must hold this product's schema at a version this release knows and nothing else "
        "(no triggers, views, functions or foreign tables), and only its tables' rows are copied. Refuses a "
        "database that holds data unless --force; the replaced database is always kept, an audit event "
        "records the restore, and --undo puts the replaced database back. Stop the app first.",
    )
    load.add_argument("file", type=Path, nargs="?", metavar="FILE", help="a backup made by 'python -m grants backup'")
    load.add_argument("--force", action="store_true", help="replace a database that holds data (it is kept)")
    load.add_argument("--undo", action="store_true", help="put back the database the newest restore replaced")
    load.set_defaults(handler=_restore, migrate=False, operator_only=True)


def _backup(args: argparse.Namespace, database: Database) -> int:
    result = backup(database, args.out, force=args.force)
    rows = f", {result.total_rows} rows in {len(result.rows)} tables" if result.rows else ""
    print(f"backed up {redact(database.url)} to {result.path} ({result.size} bytes{rows})")
    return 0


def _actor(args: argparse.Namespace) -> str:
    principal = getattr(args, "principal", None)  # set by the entry point; absent when a handler is called directly
    return str(principal.username) if principal is not None else str(args.user or "local operator")


def _restore(args: argparse.Namespace, database: Database) -> int:
    if args.undo:
        if args.file is not None or args.force:
            raise BackupError("--undo takes no FILE and no --force")
        undone = undo_restore(database, actor=_actor(args))
        print(f"put back {undone.source} as {redact(database.url)} ({undone.total_rows} rows)")
        print(f"the database it replaced is kept at {undone.replaced_copy}")
        return 0
    if args.file is None:
        raise BackupError("give the backup FILE to restore, or --undo")
    result = restore(database, args.file, force=args.force, actor=_actor(args))
    print(
        f"restored {redact(database.url)} from {result.source} (SHA-256 {result.sha256}, schema version "
        f"{result.version}; {result.total_rows} rows in {len(result.rows)} tables)"
    )
    if result.replaced_copy is not None:
        print(f"the database it replaced is kept at {result.replaced_copy} ('restore --undo' puts it back)")
    return 0
