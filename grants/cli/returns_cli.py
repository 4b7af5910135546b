"""The return workflow, accepted findings and closed years on the command line.

``return draft|sign-off|submit|amend|versions`` (same fund and period options as ``report return``; the
funder's review is in return_review_cli),
``findings accept|withdraw|accepted`` and ``year close|reopen``. A refusal exits 2 listing every reason.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from grants.cli.common import financial_year, iso_date
from grants.cli.reports import return_options
from grants.cli.return_packages import add_package_parsers
from grants.cli.return_review_cli import add_review_parsers
from grants.domain.errors import RuleViolation
from grants.services import lookup, usecase
from grants.services.access import Principal
from grants.storage.database import Database


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("return", help="an OPCC return: draft words, sign-off, submit, amend")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")

    draft = actions.add_parser("draft", help="save the draft's words: explanations per line, outcomes, risks")
    return_options(draft)
    draft.add_argument(
        "--explain", action="append", default=[], metavar="LINE=TEXT",
        help="explain a red or amber line, or a variance beyond tolerance (repeat; LINE= with no text removes it)",
    )  # fmt: skip
    draft.add_argument("--outcomes", metavar="TEXT", help="outcomes achieved in the period")
    draft.set_defaults(handler=_draft)

    signoff = actions.add_parser("sign-off", help="sign off the return's current figures (Strategic Group)")
    return_options(signoff)
    signoff.add_argument("--on", type=iso_date, metavar="YYYY-MM-DD", help="date signed off (default: today)")
    signoff.set_defaults(handler=_sign_off)

    submit = actions.add_parser("submit", help="submit a signed-off return: its figures and PDF are frozen")
    return_options(submit)
    submit.add_argument("--on", type=iso_date, metavar="YYYY-MM-DD", help="date submitted (default: today)")
    submit.set_defaults(handler=_submit)

    amend = actions.add_parser("amend", help="a new version of a submitted return from the current ledger")
    return_options(amend)
    amend.add_argument("--reason", required=True, metavar="TEXT", help="why (e.g. the funder asked for a correction)")
    amend.add_argument("--on", type=iso_date, metavar="YYYY-MM-DD", help="date submitted (default: today)")
    amend.set_defaults(handler=_amend)

    listing = actions.add_parser("versions", help="the submitted versions of a return, with each PDF's SHA-256")
    return_options(listing)
    listing.set_defaults(handler=_versions)
    add_review_parsers(actions)
    add_package_parsers(actions)

    findings = subparsers.add_parser("findings", help="accept a finding, or withdraw an acceptance (Strategic Group)")
    moves = findings.add_subparsers(dest="action", required=True, metavar="ACTION")
    accept = moves.add_parser("accept", help="accept a finding with a reason: it no longer blocks a return")
    _finding_options(accept)
    accept.add_argument("--reason", required=True, metavar="TEXT")
    accept.add_argument("--review-on", type=iso_date, metavar="YYYY-MM-DD", help="the finding comes back after this")
    accept.add_argument("--as-at", type=iso_date, metavar="YYYY-MM-DD", help="the finding as at (default: today)")
    accept.set_defaults(handler=_accept)
    withdraw = moves.add_parser("withdraw", help="withdraw an acceptance: the finding is open again")
    _finding_options(withdraw)
    withdraw.add_argument("--reason", default="", metavar="TEXT")
    withdraw.set_defaults(handler=_withdraw)
    accepted = moves.add_parser("accepted", help="a fund's acceptances, withdrawn ones too")
    _fund_options(accepted)
    accepted.set_defaults(handler=_accepted)

    year = subparsers.add_parser("year", help="close a financial year (Strategic Group) or reopen it (administrator)")
    steps = year.add_subparsers(dest="action", required=True, metavar="ACTION")
    close = steps.add_parser("close", help="make the year's ledger read-only; its findings leave the open list")
    close.add_argument("year", type=financial_year, metavar="YYYY/YY")
    close.add_argument("--partnership", required=True, metavar="NAME")
    close.add_argument("--reason", default="", metavar="TEXT")
    close.set_defaults(handler=_close)
    reopen = steps.add_parser("reopen", help="reopen a closed year, saying why (administrator)")
    reopen.add_argument("year", type=financial_year, metavar="YYYY/YY")
    reopen.add_argument("--partnership", required=True, metavar="NAME")
    reopen.add_argument("--reason", required=True, metavar="TEXT")
    reopen.set_defaults(handler=_reopen)


def _fund_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--partnership", required=True, metavar="NAME")
    parser.add_argument("--fund", required=True, metavar="CODE")
    parser.add_argument("--year", required=True, type=financial_year, metavar="YYYY/YY")


def _finding_options(parser: argparse.ArgumentParser) -> None:
    _fund_options(parser)
    parser.add_argument("--code", required=True, metavar="RULE", help="the finding's rule code, e.g. SPD001")
    parser.add_argument("--line", metavar="DESCRIPTION", help="the finding's budget line (default: the whole fund)")


def _today() -> date:
    from grants.services.reporting import now_london

    return now_london().date()


def _fund(args: argparse.Namespace, database: Database) -> int:
    fund_id: int = usecase.read(database, args.principal, lookup.fund_id, args.partnership, args.fund, args.year)
    return fund_id


def _explained(pairs: list[str]) -> dict[str, str]:
    explained = {}
    for pair in pairs:
        line, sep, text = pair.partition("=")
        if not sep or not line.strip():
            raise RuleViolation(f"--explain {pair!r}: write LINE=TEXT (the line's description, '=', the explanation)")
        explained[line.strip()] = text.strip()
    return explained


def _draft(args: argparse.Namespace, database: Database) -> int:
    from grants.services import return_workflow

    words = usecase.perform(
        database,
        args.principal,
        return_workflow.save_words,
        _fund(args, database),
        args.half or args.quarter,
        explanations=_explained(args.explain),
        general=args.explanations,
        outcomes=args.outcomes,
        risks=args.risks,
    )
    print(f"saved the {args.fund.upper()} {args.half or args.quarter} draft's words:")
    for line, text in words.explanations.items():
        print(f"  {line}: {text}")
    for label, text in (("variances", words.general), ("outcomes", words.outcomes), ("risks", words.risks)):
        if text:
            print(f"  ({label}) {text}")
    return 0


def _sign_off(args: argparse.Namespace, database: Database) -> int:
    from grants.services import return_workflow

    on: date = args.on or _today()
    who: Principal = args.principal
    fund_id = _fund(args, database)
    if args.explanations is not None or args.risks is not None:
        raise RuleViolation("the Strategic Group signs off the figures; the manager writes the words (return draft)")
    saved = usecase.perform(database, who, return_workflow.sign_off, fund_id, args.half or args.quarter, on=on)
    print(
        f"{saved.signed_off_name} ({saved.signed_off_role}) signed off the {args.fund.upper()} {saved.period} "
        f"figures on {on:%d/%m/%Y}"
    )
    return 0


def _submit(args: argparse.Namespace, database: Database) -> int:
    from grants.services import return_workflow

    on: date = args.on or _today()
    saved = usecase.perform(
        database,
        args.principal,
        return_workflow.submit_return,
        _fund(args, database),
        args.half or args.quarter,
        on=on,
        explanations=args.explanations,
        risks=args.risks,
    )
    print(f"submitted the {args.fund.upper()} {saved.period} return on {on:%d/%m/%Y}; its figures are frozen")
    return 0


def _amend(args: argparse.Namespace, database: Database) -> int:
    from grants.services import return_workflow

    on: date = args.on or _today()
    fund_id = _fund(args, database)
    period = args.half or args.quarter
    if args.explanations is not None or args.risks is not None:
        usecase.perform(
            database, args.principal, return_workflow.save_words, fund_id, period, general=args.explanations,
            risks=args.risks,
        )  # fmt: skip
    saved = usecase.perform(
        database, args.principal, return_workflow.amend_return, fund_id, period, reason=args.reason, on=on
    )
    print(f"submitted version {saved.version_number} of the {args.fund.upper()} {saved.period} return on {on:%d/%m/%Y}")
    return 0


def _versions(args: argparse.Namespace, database: Database) -> int:
    from grants.services import return_workflow

    found = usecase.read(
        database, args.principal, return_workflow.versions, _fund(args, database), args.half or args.quarter
    )
    if not found:
        print("not submitted yet")
    for version in found:
        reason = f"  reason: {version.reason}" if version.reason else ""
        print(
            f"version {version.number}  submitted {version.submitted_on:%d/%m/%Y} by {version.submitted_by}  "
            f"sha256 {version.pdf_sha256}{reason}"
        )
    return 0


def _accept(args: argparse.Namespace, database: Database) -> int:
    from grants.services import finding_acceptance

    today = _today()
    done = usecase.perform(
        database, args.principal, finding_acceptance.accept_finding, _fund(args, database), code=args.code,
        line=args.line, reason=args.reason, review_on=args.review_on, on=today, as_at=args.as_at or today,
    )  # fmt: skip
    for acceptance in done:
        print(f"accepted {acceptance.code} on {acceptance.line or 'the whole fund'}: {acceptance.message}")
    return 0


def _withdraw(args: argparse.Namespace, database: Database) -> int:
    from grants.services import finding_acceptance

    done = usecase.perform(
        database, args.principal, finding_acceptance.withdraw_acceptance, _fund(args, database), code=args.code,
        line=args.line, reason=args.reason, on=_today(),
    )  # fmt: skip
    print(f"withdrew {len(done)} acceptance(s) of {args.code.upper()}: the finding is open again")
    return 0


def _accepted(args: argparse.Namespace, database: Database) -> int:
    from grants.services import finding_acceptance

    found = usecase.read(database, args.principal, finding_acceptance.acceptances, _fund(args, database))
    print(json.dumps([a.model_dump(mode="json", exclude={"version"}) for a in found], indent=2, ensure_ascii=False))
    return 0


def _close(args: argparse.Namespace, database: Database) -> int:
    from grants.services import year_close

    partnership_id = usecase.read(database, args.principal, lookup.partnership_id, args.partnership)
    usecase.perform(
        database, args.principal, year_close.close_year, partnership_id, args.year, on=_today(), reason=args.reason
    )
    print(f"closed {args.year} for {args.partnership}: its ledger is read-only and its findings left the open list")
    return 0


def _reopen(args: argparse.Namespace, database: Database) -> int:
    from grants.services import year_close

    partnership_id = usecase.read(database, args.principal, lookup.partnership_id, args.partnership)
    usecase.perform(
        database, args.principal, year_close.reopen_year, partnership_id, args.year, on=_today(), reason=args.reason
    )
    print(f"reopened {args.year} for {args.partnership}")
    return 0
