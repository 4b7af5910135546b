"""The command line: ``python -m grants COMMAND ...``.

Each module in this package registers its own sub-commands with ``register``;
a handler takes the parsed arguments and an open, migrated ``Database`` and
returns the exit status. Exit status 2 means bad input or a refusal (nothing was changed).

Who acts: with ``--user NAME``, that existing, active account, with its role and partnerships exactly
as in the app (an unknown or disabled account is refused); without it, the local operator (whoever
holds the database URL), with every right, recorded in the audit log as "local operator". The
principal is ``args.principal``; handlers turn names into ids and call ``usecase.perform``/``read``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from alembic.util.exc import CommandError
from pydantic import ValidationError
from sqlalchemy.exc import ArgumentError, OperationalError

from grants.cli import (
    backup,
    check,
    decisions,
    demo,
    funders,
    ledger,
    partnerships,
    programmes,
    records,
    reports,
    returns_cli,
    rounds,
    users,
)
from grants.cli.common import Handler
from grants.domain.errors import GrantsError, PermissionDenied
from grants.services import period_lock
from grants.services.lookup import acting_as
from grants.storage.database import Database, redact

MODULES = [
    ledger, records, decisions, rounds, demo, check, reports, returns_cli, users, backup, partnerships, funders,
    programmes,
]  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grants", description="Community safety funding tracker")
    parser.add_argument(
        "--database", metavar="URL", help="database URL (default: GRANTS_DATABASE_URL or data/grants.db)"
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="act as this existing, active account, with its role and partnerships "
        "(default: the local operator, with every right, recorded as 'local operator')",
    )
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
            args.principal = acting_as(database, args.user)
        else:
            args.principal = acting_as(database, None)  # whoever holds the database URL
        if getattr(args, "operator_only", False) and not args.principal.is_admin:
            raise PermissionDenied(f"{args.principal.username} is not an administrator; nothing was changed")
        with period_lock.adjusting(getattr(args, "adjustment", None)):
            return handler(args, database)
    except OperationalError as exc:
        print(f"error: cannot use the database {redact(database.url)}: {exc.orig}", file=sys.stderr)
        return 2
    except GrantsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']).replace('_', ' ')}: {item['msg']}" for item in exc.errors()
        )
        print(f"error: {problems}; nothing was changed", file=sys.stderr)
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
