"""Funder commands: ``funders list|add|set-parent`` (the chain the money flows down)."""

from __future__ import annotations

import argparse
from typing import Any

from grants.services import funders, usecase
from grants.storage.database import Database


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("funders", help="funders and whose money each passes on (Home Office > OPCC)")
    actions = group.add_subparsers(dest="funders_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every funder with its chain")
    listing.set_defaults(handler=_list)
    add = actions.add_parser("add", help="add a funder (administrator)")
    add.add_argument("name")
    add.add_argument("--parent", default="", metavar="NAME", help="the funder whose money it passes on")
    add.set_defaults(handler=_add)
    parent = actions.add_parser("set-parent", help="record whose money a funder passes on (administrator)")
    parent.add_argument("name")
    parent.add_argument("--parent", required=True, metavar="NAME", help='the funder above it ("" for none)')
    parent.set_defaults(handler=_set_parent)


def _list(args: argparse.Namespace, database: Database) -> int:
    for funder, chain in usecase.read(database, args.principal, funders.list_funders):
        print(" > ".join(chain) if len(chain) > 1 else funder.name)
    return 0


def _add(args: argparse.Namespace, database: Database) -> int:
    added = usecase.perform(database, args.principal, funders.add_funder, args.name, parent=args.parent)
    print(f"added funder {added.name}")
    return 0


def _set_parent(args: argparse.Namespace, database: Database) -> int:
    changed = usecase.perform(database, args.principal, funders.set_parent, args.name, args.parent)
    chain = usecase.read(database, args.principal, funders.list_funders)
    print(next(" > ".join(c) for f, c in chain if f.id == changed.id))
    return 0
