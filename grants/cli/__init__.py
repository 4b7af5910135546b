"""The command line: ``python -m grants COMMAND ...``.

Each module in this package registers its own sub-commands with ``register``;
a handler takes the parsed arguments and an open, migrated ``Database`` and
returns the exit status. Exit status 2 means bad input (nothing was changed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from alembic.util.exc import CommandError
from sqlalchemy.exc import ArgumentError, OperationalError

from grants.cli import backup, check, demo, ledger, reports, users
from grants.cli.common import Handler
from grants.domain.errors import GrantsError
from grants.storage.database import Database, redact

MODULES = [ledger, demo, check, reports, users, backup]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grants", description="Community safety funding tracker")
    parser.add_argument(
        "--database", metavar="URL", help="database URL (default: GRANTS_DATABASE_URL or data/grants.db)"
    )
    parser.add_argument("--user", default="cli", help="name recorded in the audit log (default: cli)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        database = Database(args.database)
    except (ArgumentError, ValueError):
        print("error: the database URL cannot be read (e.g. sqlite:///data/grants.db)", file=sys.stderr)
        return 2
    try:
        if getattr(args, "migrate", True):  # restore works on a database that cannot be migrated
            database.migrate()
        return handler(args, database)
    except OperationalError as exc:
        print(f"error: cannot use the database {redact(database.url)}: {exc.orig}", file=sys.stderr)
        return 2
    except GrantsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:  # Alembic: a schema version this release does not know
        print(
            f"error: the database {redact(database.url)} is not one this release can use ({exc}); "
            "restore a backup over it with 'restore FILE --force'",
            file=sys.stderr,
        )
        return 2
    except OSError as exc:
        print(f"error: {exc} (database {redact(database.url)})", file=sys.stderr)
        return 2
    finally:
        database.dispose()
