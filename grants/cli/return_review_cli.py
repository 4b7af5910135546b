"""The funder's review of a submitted return on the command line: ``return accept|query|reply|history``.

``accept`` and ``query`` are the funder's (``--user`` a funder's officer, or the local operator); ``reply`` is
the Community Safety Manager's answer to a query (an amendment, ``return amend``, answers it with a new version).
"""

from __future__ import annotations

import argparse
from typing import Any

from grants.cli.reports import period_options
from grants.services import lookup, usecase
from grants.storage.database import Database


def add_review_parsers(actions: Any) -> None:
    accept = actions.add_parser("accept", help="the funder accepts the version in force of a submitted return")
    period_options(accept)
    accept.add_argument("--comment", default="", metavar="TEXT", help="a note for the partnership (optional)")
    accept.set_defaults(handler=_accept)

    query = actions.add_parser("query", help="the funder queries a submitted return (the partnership sees it)")
    period_options(query)
    query.add_argument("--comment", required=True, metavar="TEXT", help="what the partnership should answer")
    query.set_defaults(handler=_query)

    reply = actions.add_parser("reply", help="answer the funder's query in words (or amend the return)")
    period_options(reply)
    reply.add_argument("--comment", required=True, metavar="TEXT", help="the reply")
    reply.set_defaults(handler=_reply)

    history = actions.add_parser("history", help="a return's versions, and the funder's acceptances and queries")
    period_options(history)
    history.set_defaults(handler=_history)


def _target(args: argparse.Namespace, database: Database) -> tuple[int, str]:
    fund_id: int = usecase.read(database, args.principal, lookup.fund_id, args.partnership, args.fund, args.year)
    return fund_id, args.half or args.quarter


def _accept(args: argparse.Namespace, database: Database) -> int:
    from grants.services import return_review

    saved = usecase.perform(
        database, args.principal, return_review.accept_return, *_target(args, database), comment=args.comment
    )
    print(f"accepted version {saved.version_number} of the {args.fund.upper()} {saved.period} return")
    return 0


def _query(args: argparse.Namespace, database: Database) -> int:
    from grants.services import return_review

    saved = usecase.perform(
        database, args.principal, return_review.query_return, *_target(args, database), comment=args.comment
    )
    print(f"queried version {saved.version_number} of the {args.fund.upper()} {saved.period} return: {args.comment}")
    return 0


def _reply(args: argparse.Namespace, database: Database) -> int:
    from grants.services import return_review

    saved = usecase.perform(
        database, args.principal, return_review.reply_to_query, *_target(args, database), comment=args.comment
    )
    print(f"replied to the funder's query on the {args.fund.upper()} {saved.period} return")
    return 0


def _history(args: argparse.Namespace, database: Database) -> int:
    from grants.services import return_review

    rows = usecase.read(database, args.principal, return_review.return_history, *_target(args, database))
    if not rows:
        print("not submitted yet: no history")
    for row in rows:
        comment = f": {row.comment}" if row.comment else ""
        print(f"{row.on:%d/%m/%Y}  {row.what} by {row.who}{comment}")
    return 0
