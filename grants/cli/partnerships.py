"""``partnership set``: the local authority a partnership serves (its ONS GSS code and name)."""

from __future__ import annotations

import argparse
from typing import Any

from grants.services import lookup, partnerships, usecase
from grants.storage.database import Database


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("partnership", help="a partnership's own record").add_subparsers(
        dest="partnership_action", required=True, metavar="ACTION"
    )
    chosen = group.add_parser(
        "set",
        help="the local authority district it serves, for 360Giving locations (e.g. --la-code E07000130 "
        "--la-name Charnwood)",
    )
    chosen.add_argument("--partnership", required=True, metavar="NAME")
    chosen.add_argument("--la-code", required=True, metavar="GSS", help="the ONS GSS code, e.g. E07000130")
    chosen.add_argument("--la-name", required=True, metavar="NAME", help="the local authority's name, e.g. Charnwood")
    chosen.set_defaults(handler=_set)


def _set(args: argparse.Namespace, database: Database) -> int:
    partnership_id = usecase.read(database, args.principal, lookup.partnership_id, args.partnership)
    saved = usecase.perform(
        database,
        args.principal,
        partnerships.set_local_authority,
        partnership_id,
        code=args.la_code,
        name=args.la_name,
    )
    print(f"{saved.name}: local authority {saved.la_name} ({saved.la_code})")
    return 0
