"""``python -m grants backup --out FILE`` and ``python -m grants restore FILE [--force]``.

SQLite databases are copied with SQLite's online backup API; PostgreSQL ones with
``pg_dump``/``pg_restore`` (the password goes to them through the environment, never the
command line). A restore refuses a database that holds data unless ``--force``, and then
keeps a copy of what it replaced (SQLite). Exit status 2 when nothing could be done.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from grants.cli.output import check_out
from grants.services.backup import backup, restore
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
    save.set_defaults(handler=_backup)

    load = subparsers.add_parser(
        "restore",
        help="replace the database with a backup",
        description="Replace the database with a backup made by 'backup'. Refuses a database that holds any "
        "data unless --force; all or nothing. Stop the app (and any scheduled imports) first.",
    )
    load.add_argument("file", type=Path, metavar="FILE", help="a backup made by 'python -m grants backup'")
    load.add_argument(
        "--force", action="store_true", help="replace a database that holds data (SQLite: a copy of it is kept)"
    )
    load.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace, database: Database) -> int:
    check_out(args.out, database, force=args.force)  # the service writes through a temporary file and a rename
    result = backup(database, args.out, force=args.force)
    rows = f", {result.total_rows} rows in {len(result.rows)} tables" if result.rows else ""
    print(f"backed up {redact(database.url)} to {result.path} ({result.size} bytes{rows})")
    return 0


def _restore(args: argparse.Namespace, database: Database) -> int:
    result = restore(database, args.file, force=args.force)
    print(f"restored {redact(database.url)} from {result.path} ({result.total_rows} rows in {len(result.rows)} tables)")
    if result.replaced_copy is not None:
        print(f"the database it replaced is kept at {result.replaced_copy}")
    return 0
