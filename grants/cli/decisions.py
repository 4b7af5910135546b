"""The Strategic Group's decisions and the manager's proposals: ``approval`` and ``virement`` commands.

``approval approve|reject|withdraw`` acts on budget lines; ``virement propose|approve|reject|list`` on
virements. Each runs one use case as the acting account (``--user``) inside one transaction.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from grants.cli.common import iso_date, money, today_in_london
from grants.cli.records import fund_of, fund_options, line_of
from grants.domain.errors import NotFound
from grants.domain.money import format_gbp, plain
from grants.services import allocations, queries, usecase, virements
from grants.storage.database import Database


def register(subparsers: Any) -> None:
    approval = subparsers.add_parser("approval", help="the Strategic Group approves, rejects or withdraws a line")
    actions = approval.add_subparsers(dest="approval_action", required=True, metavar="ACTION")
    approve = actions.add_parser("approve", help="approve budget lines (as agreed at a meeting)")
    fund_options(approve)
    approve.add_argument("--line", action="append", required=True, metavar="DESCRIPTION", help="repeatable")
    approve.add_argument("--on", type=iso_date, help="the day it was agreed (default: today)")
    approve.set_defaults(handler=_approve_lines)
    reject = actions.add_parser("reject", help="decline a line's allocation, saying why")
    fund_options(reject)
    reject.add_argument("--line", required=True, metavar="DESCRIPTION")
    reject.add_argument("--reason", required=True)
    reject.add_argument("--on", type=iso_date, help="default: today")
    reject.set_defaults(handler=_reject_line)
    withdraw = actions.add_parser("withdraw", help="take back an approval recorded by mistake")
    fund_options(withdraw)
    withdraw.add_argument("--line", required=True, metavar="DESCRIPTION")
    withdraw.set_defaults(handler=_withdraw)

    virement = subparsers.add_parser("virement", help="propose, approve, reject or list virements")
    moves = virement.add_subparsers(dest="virement_action", required=True, metavar="ACTION")
    propose = moves.add_parser("propose", help="propose moving money between two lines (nothing moves yet)")
    fund_options(propose)
    propose.add_argument("--from", dest="source", required=True, metavar="DESCRIPTION")
    propose.add_argument("--to", dest="target", required=True, metavar="DESCRIPTION")
    propose.add_argument("--amount", required=True, type=money)
    propose.add_argument("--reason", required=True)
    propose.set_defaults(handler=_propose)
    for name, helptext in (("approve", "approve a proposal: the money and its profile move"), ("reject", "reject")):
        decide = moves.add_parser(name, help=helptext)
        fund_options(decide)
        decide.add_argument("--id", required=True, type=int, help="the virement's number (virement list)")
        decide.add_argument("--on", type=iso_date, help="default: today")
        if name == "reject":
            decide.add_argument("--reason", required=True)
        decide.set_defaults(handler=_decide)
    listing = moves.add_parser("list", help="a fund's virements and where each stands")
    fund_options(listing)
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=_list)


def _approve_lines(args: argparse.Namespace, database: Database) -> int:
    fund_id = fund_of(args, database)
    chosen = [(line_of(_with_line(args, name), database, fund_id), None) for name in args.line]
    approved = usecase.perform(
        database, args.principal, allocations.approve_lines, chosen, on=args.on or today_in_london()
    )
    for line in approved:
        print(f"approved {line.description!r} ({format_gbp(line.allocated)}) on {line.approved_on:%d/%m/%Y}")
    return 0


def _with_line(args: argparse.Namespace, name: str) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), "line": name})


def _reject_line(args: argparse.Namespace, database: Database) -> int:
    line_id = line_of(args, database, fund_of(args, database))
    line = usecase.perform(
        database,
        args.principal,
        allocations.reject_line,
        line_id,
        None,
        reason=args.reason,
        on=args.on or today_in_london(),
    )
    print(f"rejected {line.description!r}: {line.rejection_reason}")
    return 0


def _withdraw(args: argparse.Namespace, database: Database) -> int:
    line_id = line_of(args, database, fund_of(args, database))
    line = usecase.perform(database, args.principal, allocations.withdraw_approval, line_id, None)
    print(f"approval of {line.description!r} withdrawn; it waits for the Strategic Group again")
    return 0


def _propose(args: argparse.Namespace, database: Database) -> int:
    fund_id = fund_of(args, database)
    source = line_of(_with_line(args, args.source), database, fund_id)
    target = line_of(_with_line(args, args.target), database, fund_id)
    proposal = usecase.perform(
        database,
        args.principal,
        virements.propose_virement,
        from_line_id=source,
        to_line_id=target,
        amount=args.amount,
        reason=args.reason,
        proposed_on=today_in_london(),
    )
    print(f"virement {proposal.id} proposed: {format_gbp(proposal.amount)}; nothing moves until it is approved")
    return 0


def _decide(args: argparse.Namespace, database: Database) -> int:
    fund_id = fund_of(args, database)  # the fund must be one the account may see
    if args.id not in {v.virement.id for v in usecase.read(database, args.principal, queries.virements, fund_id)}:
        raise NotFound(f"virement {args.id} is not one of this fund's virements (see 'virement list')")
    on = args.on or today_in_london()
    if args.virement_action == "approve":
        done = usecase.perform(database, args.principal, virements.approve_virement, args.id, None, on=on)
    else:
        done = usecase.perform(
            database, args.principal, virements.reject_virement, args.id, None, reason=args.reason, on=on
        )
    print(f"virement {done.id} {done.status.value} on {on:%d/%m/%Y}")
    return 0


def _list(args: argparse.Namespace, database: Database) -> int:
    views = usecase.read(database, args.principal, queries.virements, fund_of(args, database))
    rows = [
        {
            "id": str(v.virement.id),
            "proposed": f"{v.virement.moved_on:%Y-%m-%d}",
            "from": v.from_line,
            "to": v.to_line,
            "amount": plain(v.virement.amount),
            "state": v.state,
            "reason": v.virement.reason,
        }
        for v in views
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            print(" | ".join(row.values()))
    return 0
