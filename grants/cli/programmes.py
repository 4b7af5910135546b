"""Commands for a funder's programmes and for proposed changes of a fund's conditions.

``programme set|show|join``: the funder's officer (``--user``) or the local operator sets a programme's
conditions once for a stream and year; every fund in it follows at once. ``conditions show|propose|
approve|reject|pending``: a fund's conditions with where each comes from; the manager proposes a change
(a reason required, ``--override`` for a fund in a programme), the Strategic Group decides it.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from typing import Any

from grants.cli.common import financial_year, iso_date, money, today_in_london
from grants.cli.records import assignments, fund_of, fund_options
from grants.domain.conditions import condition_text
from grants.domain.enums import ReturnCadence
from grants.services import condition_changes, programmes, usecase
from grants.storage.database import Database


def share(text: str) -> Decimal:
    """argparse type: a share between 0 and 1 ("0.5"), or a percentage ("50%")."""
    try:
        value = Decimal(text.strip().rstrip("%"))
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share (e.g. 0.5 or 50%)") from exc
    value = value / 100 if text.strip().endswith("%") else value
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a share is between 0 and 1 (or 0% and 100%)")
    return value


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("programme", help="a funder's conditions for a stream and year").add_subparsers(
        dest="programme_action", required=True, metavar="ACTION"
    )
    put = group.add_parser("set", help="create or change a programme's conditions (the funder)")
    _programme_options(put)
    put.add_argument("--name", default="", help="blank: the stream's name and the year")
    put.add_argument("--per-grant-cap", type=money, metavar="£")
    put.add_argument("--match-share", type=share, metavar="SHARE")
    put.add_argument("--return-cadence", choices=[c.value for c in ReturnCadence])
    put.add_argument("--return-due-days", type=int, metavar="N")
    put.add_argument("--eligible-area", action="extend", nargs="+", metavar="AREA", help="replaces the list")
    put.add_argument("--eligible-theme", action="extend", nargs="+", metavar="THEME", help="replaces the list")
    put.add_argument("--allocation-deadline", type=iso_date, metavar="DATE")
    put.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="any other condition")
    put.set_defaults(handler=_set)
    show = group.add_parser("show", help="a programme's conditions and its funds")
    _programme_options(show)
    show.set_defaults(handler=_show)
    join = group.add_parser("join", help="put an existing fund in its funder's programme")
    fund_options(join)
    join.add_argument("--funder", metavar="NAME", help="the programme's funder (default: the fund's own)")
    join.set_defaults(handler=_join)

    changes = subparsers.add_parser("conditions", help="a fund's conditions and proposed changes").add_subparsers(
        dest="conditions_action", required=True, metavar="ACTION"
    )
    shown = changes.add_parser("show", help="a fund's conditions and where each comes from")
    fund_options(shown)
    shown.set_defaults(handler=_conditions)
    propose = changes.add_parser("propose", help="propose a change for the Strategic Group (the manager)")
    fund_options(propose)
    propose.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    propose.add_argument("--inherit", action="append", default=[], metavar="NAME", help="take it from the programme")
    propose.add_argument("--override", action="store_true", help="override the fund's programme (with --reason)")
    propose.add_argument("--reason", required=True)
    propose.add_argument("--on", type=iso_date, default=None, metavar="DATE", help="default: today")
    propose.set_defaults(handler=_propose)
    for action, handler in (("approve", _approve), ("reject", _reject)):
        decide = changes.add_parser(action, help=f"{action} a proposed change (the Strategic Group)")
        decide.add_argument("--id", type=int, required=True, metavar="N")
        decide.add_argument("--reason", default="", help="why (required to reject)")
        decide.add_argument("--on", type=iso_date, default=None, metavar="DATE", help="default: today")
        decide.set_defaults(handler=handler)
    pending = changes.add_parser("pending", help="proposed changes awaiting the Strategic Group")
    pending.set_defaults(handler=_pending)


def _programme_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--funder", required=True, metavar="NAME")
    parser.add_argument("--code", required=True, metavar="CODE", help="the stream, e.g. PLF or SS")
    parser.add_argument("--year", required=True, type=financial_year, metavar="YYYY/YY")


def _funder(args: argparse.Namespace, database: Database) -> int:
    found: int = usecase.read(database, args.principal, programmes.funder_id, args.funder)
    return found


def _set(args: argparse.Namespace, database: Database) -> int:
    changes: dict[str, Any] = assignments(args.set)
    named = {
        "per_grant_cap": args.per_grant_cap,
        "match_share": args.match_share,
        "return_cadence": args.return_cadence,
        "return_due_days": args.return_due_days,
        "eligible_areas": tuple(args.eligible_area) if args.eligible_area else None,
        "eligible_themes": tuple(args.eligible_theme) if args.eligible_theme else None,
        "allocation_deadline": args.allocation_deadline,
    }
    changes.update({name: value for name, value in named.items() if value is not None})
    programme, changed = usecase.perform(
        database,
        args.principal,
        programmes.set_programme,
        funder=_funder(args, database),
        code=args.code,
        year=args.year,
        name=args.name,
        changes=changes,
    )
    print(f"programme {programme.name} ({programme.code} {programme.year}) set; {len(changed)} fund(s) changed")
    return 0


def _show(args: argparse.Namespace, database: Database) -> int:
    funder = _funder(args, database)
    programme = usecase.read(database, args.principal, programmes.programme_of, funder, args.code, args.year)
    assert programme.id is not None
    view = usecase.read(database, args.principal, programmes.programme_view, programme.id)
    print(f"{programme.name} ({programme.code} {programme.year}), set by {view.funder}")
    for name, value in programme.conditions.model_dump().items():
        print(f"  {name}: {condition_text(name, value)}")
    for partnership, fund in view.members:
        overrides = ", ".join(sorted(fund.condition_overrides.fields)) or "none"
        print(f"fund {partnership} {fund.code} {fund.year}: overrides {overrides}")
    return 0


def _join(args: argparse.Namespace, database: Database) -> int:
    fund_id = fund_of(args, database)
    programme_id = None
    if args.funder:
        found = usecase.read(
            database, args.principal, programmes.programme_of, _funder(args, database), args.fund, args.year
        )
        programme_id = found.id
    fund = usecase.perform(
        database, args.principal, programmes.join_programme, fund_id=fund_id, programme_id=programme_id
    )
    print(f"{fund.code} {fund.year} now takes its conditions from its funder's programme")
    return 0


def _conditions(args: argparse.Namespace, database: Database) -> int:
    for row in usecase.read(database, args.principal, programmes.fund_conditions, fund_of(args, database)):
        print(f"{row.name}: {condition_text(row.name, row.value)} — {row.source}")
    return 0


def _propose(args: argparse.Namespace, database: Database) -> int:
    change = usecase.perform(
        database,
        args.principal,
        condition_changes.propose_change,
        fund_of(args, database),
        changes=assignments(args.set),
        inherit=args.inherit,
        override=args.override,
        reason=args.reason,
        on=args.on or today_in_london(),
    )
    print(f"proposed change {change.id}: waiting for the Strategic Group (the conditions in force are unchanged)")
    return 0


def _approve(args: argparse.Namespace, database: Database) -> int:
    fund = usecase.perform(
        database, args.principal, condition_changes.approve_change, args.id, on=args.on or today_in_london()
    )
    print(f"approved change {args.id}: {fund.code} {fund.year}'s conditions changed")
    return 0


def _reject(args: argparse.Namespace, database: Database) -> int:
    usecase.perform(
        database,
        args.principal,
        condition_changes.reject_change,
        args.id,
        reason=args.reason,
        on=args.on or today_in_london(),
    )
    print(f"rejected change {args.id}: nothing changed")
    return 0


def _pending(args: argparse.Namespace, database: Database) -> int:
    found = usecase.read(database, args.principal, condition_changes.pending_changes)
    for item in found:
        change = item.change
        what = [f"{name}={condition_text(name, value)}" for name, value in change.changes.items()]
        what += [f"{name} from the programme" for name in change.inherit]
        print(
            f"{change.id}: {item.partnership} {item.fund.code} {item.fund.year}: {'; '.join(what)} "
            f"— {change.reason} (proposed by {change.proposed_by} on {change.proposed_on:%d/%m/%Y})"
        )
    if not found:
        print("no proposed changes of conditions are waiting")
    return 0
