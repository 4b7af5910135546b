"""Grant rounds as commands: ``round add|open|close`` and ``application add|score|decide``.

The manager plans, opens and closes a round and records and scores applications; the decision is
the panel's (the Strategic Group role), exactly as in the app.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from grants.cli.common import iso_date, money, today_in_london
from grants.cli.records import fund_of, fund_options
from grants.domain.enums import RoundStatus
from grants.domain.money import format_gbp
from grants.services import lookup, rounds, usecase
from grants.storage.database import Database


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("round", help="grant rounds: plan, open, close").add_subparsers(
        dest="round_action", required=True, metavar="ACTION"
    )
    add = group.add_parser("add", help="plan a round of a small-grants fund")
    fund_options(add)
    add.add_argument("--opens", required=True, type=iso_date, metavar="YYYY-MM-DD")
    add.add_argument("--closes", required=True, type=iso_date, metavar="YYYY-MM-DD")
    add.add_argument("--cap", type=money, help="the most one grant may be")
    add.add_argument("--number", type=int, help="default: after the fund's last round")
    add.set_defaults(handler=_round_add)
    for action, status in (("open", RoundStatus.OPEN), ("close", RoundStatus.CLOSED)):
        change = group.add_parser(action, help=f"{action} a round")
        fund_options(change)
        change.add_argument("--round", required=True, type=int, metavar="N")
        change.set_defaults(handler=_round_status, status=status)

    apps = subparsers.add_parser("application", help="grant applications: add, score, decide").add_subparsers(
        dest="application_action", required=True, metavar="ACTION"
    )
    received = apps.add_parser("add", help="an application received while the round is open")
    fund_options(received)
    received.add_argument("--round", required=True, type=int, metavar="N")
    received.add_argument("--applicant", required=True)
    received.add_argument("--requested", required=True, type=money)
    received.add_argument("--received-on", type=iso_date, help="default: today")
    received.add_argument("--project", default="")
    received.add_argument("--theme", default="")
    received.add_argument("--area", default="")
    received.set_defaults(handler=_application_add)

    score = apps.add_parser("score", help="the assessment score (0 to 10)")
    score.add_argument("id", type=int, help="the application's id")
    score.add_argument("--score", required=True, type=Decimal)
    score.set_defaults(handler=_application_score)

    decide = apps.add_parser("decide", help="the panel's decision: fund (a budget line) or refuse")
    decide.add_argument("id", type=int, help="the application's id")
    outcome = decide.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--fund-it", action="store_true", help="fund it (default: the amount requested)")
    outcome.add_argument("--refuse", action="store_true")
    decide.add_argument("--amount", type=money, help="the amount awarded")
    decide.add_argument("--on", type=iso_date, help="decided on (default: today)")
    decide.set_defaults(handler=_application_decide)


def _round_of(args: argparse.Namespace, database: Database) -> int:
    result: int = usecase.read(database, args.principal, lookup.round_id, fund_of(args, database), args.round)
    return result


def _round_add(args: argparse.Namespace, database: Database) -> int:
    grant_round = usecase.perform(
        database,
        args.principal,
        rounds.create_round,
        fund_of(args, database),
        opens=args.opens,
        closes=args.closes,
        cap=args.cap,
        number=args.number,
    )
    print(f"planned round {grant_round.number}: {grant_round.opens:%d/%m/%Y} to {grant_round.closes:%d/%m/%Y}")
    return 0


def _round_status(args: argparse.Namespace, database: Database) -> int:
    grant_round = usecase.perform(
        database, args.principal, rounds.set_round_status, _round_of(args, database), None, args.status
    )
    print(f"round {grant_round.number} is {grant_round.status.value}")
    return 0


def _application_add(args: argparse.Namespace, database: Database) -> int:
    application = usecase.perform(
        database,
        args.principal,
        rounds.record_application,
        _round_of(args, database),
        applicant=args.applicant,
        requested=args.requested,
        received_on=args.received_on or today_in_london(),
        project=args.project,
        theme=args.theme,
        area=args.area,
    )
    print(f"recorded application {application.id} from {application.applicant}: {format_gbp(application.requested)}")
    return 0


def _application_score(args: argparse.Namespace, database: Database) -> int:
    application = usecase.perform(database, args.principal, rounds.score_application, args.id, None, args.score)
    print(f"scored application {application.id}: {application.score}")
    return 0


def _application_decide(args: argparse.Namespace, database: Database) -> int:
    application = usecase.perform(
        database,
        args.principal,
        rounds.decide_application,
        args.id,
        None,
        funded=bool(args.fund_it),
        on=args.on or today_in_london(),
        amount=args.amount,
    )
    print(f"application {application.id} from {application.applicant}: {application.status.value}")
    return 0
