"""Ledger writes as commands: ``fund``, ``line``, ``spend``, ``receipt``, ``match``, ``profile``, ``outcome``.

The app's writes, for a scheduled job or a script. Names (partnership, fund code, year, line
description) become ids here, at the edge; the use case then checks the acting principal's role and
partnerships in the same transaction as the work. Records without a natural name (a spend entry, a
receipt) are named by the id the listing commands and the app's audit log show.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import Any

from grants.cli.common import adjustment_option, financial_year, iso_date, money, today_in_london
from grants.domain.enums import AmountStatus, MatchKind, ReceiptStatus, SpendKind
from grants.domain.errors import RuleViolation
from grants.domain.money import format_gbp
from grants.services import allocations, funds_admin, lookup, outcomes, spending, usecase
from grants.services.access import Principal
from grants.storage.database import Database


def register(subparsers: Any) -> None:
    _register_fund(subparsers)
    _register_line(subparsers)
    _register_spend(subparsers)
    _register_receipt(subparsers)
    _register_match(subparsers)
    _register_profile(subparsers)
    _register_outcome(subparsers)


def fund_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--partnership", required=True, metavar="NAME")
    parser.add_argument("--fund", required=True, metavar="CODE", help="fund code, e.g. PLF")
    parser.add_argument("--year", required=True, type=financial_year, metavar="YYYY/YY")


def fund_of(args: argparse.Namespace, database: Database) -> int:
    result: int = usecase.read(database, args.principal, lookup.fund_id, args.partnership, args.fund, args.year)
    return result


def line_of(args: argparse.Namespace, database: Database, fund_id: int) -> int:
    result: int = usecase.read(database, args.principal, lookup.line_id, fund_id, args.line)
    return result


def assignments(pairs: list[str]) -> dict[str, Any]:
    """``--set name=value`` pairs; a value is read as JSON when it can be (numbers, true, null, lists), else text."""
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise RuleViolation(f"--set {pair!r}: write it as NAME=VALUE")
        try:
            values[name.strip()] = json.loads(raw)
        except ValueError:
            values[name.strip()] = raw
    return values


# -- funds -------------------------------------------------------------------------------------------


def _register_fund(subparsers: Any) -> None:
    group = subparsers.add_parser("fund", help="add a fund, change it or its conditions").add_subparsers(
        dest="fund_action", required=True, metavar="ACTION"
    )
    add = group.add_parser("add", help="a fund of a stream for a partnership and year (the stream's conditions)")
    fund_options(add)
    add.add_argument("--amount", type=money, default=Decimal("0.00"), help="the award, e.g. 75500.00")
    add.add_argument("--status", choices=[s.value for s in AmountStatus], default=AmountStatus.CONFIRMED.value)
    add.add_argument("--name", default="")
    add.add_argument("--notes", default="")
    add.set_defaults(handler=_fund_add)

    update = group.add_parser("update", help="change a fund: --set amount=75500.00 --set notes=...")
    fund_options(update)
    update.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", required=True)
    update.set_defaults(handler=_fund_update)

    # A fund's conditions change by a proposal the Strategic Group approves: 'conditions propose'.


def _fund_add(args: argparse.Namespace, database: Database) -> int:
    who: Principal = args.principal
    partnership_id = usecase.read(database, who, lookup.partnership_id, args.partnership)
    fund = usecase.perform(
        database,
        who,
        funds_admin.create_fund,
        partnership_id=partnership_id,
        code=args.fund,
        year=args.year,
        amount=args.amount,
        amount_status=args.status,
        name=args.name,
        notes=args.notes,
    )
    print(f"added fund {fund.code} {fund.year} ({fund.name}): {format_gbp(fund.amount)}")
    return 0


def _fund_update(args: argparse.Namespace, database: Database) -> int:
    fund = usecase.perform(
        database, args.principal, funds_admin.update_fund, fund_of(args, database), None, **assignments(args.set)
    )
    print(f"updated fund {fund.code} {fund.year}")
    return 0


# -- budget lines ------------------------------------------------------------------------------------


def _register_line(subparsers: Any) -> None:
    group = subparsers.add_parser("line", help="add or edit a budget line").add_subparsers(
        dest="line_action", required=True, metavar="ACTION"
    )
    add = group.add_parser("add", help="a new budget line (unapproved until the Strategic Group approves it)")
    fund_options(add)
    add.add_argument("--description", required=True)
    add.add_argument("--allocated", required=True, type=money)
    add.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="e.g. delivery_partner=...")
    adjustment_option(add)
    _partner_numbers(add)
    add.set_defaults(handler=_line_add)

    edit = group.add_parser("edit", help="change a line: --set allocated=1500.00 --set delivery_partner=...")
    fund_options(edit)
    edit.add_argument("--line", required=True, metavar="DESCRIPTION")
    edit.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    adjustment_option(edit)
    _partner_numbers(edit)
    edit.set_defaults(handler=_line_edit)


def _partner_numbers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--charity-number", metavar="NUMBER", help="the delivery partner's registered charity number (360Giving GB-CHC)"
    )
    parser.add_argument(
        "--company-number", metavar="NUMBER", help="the delivery partner's Companies House number (360Giving GB-COH)"
    )


def _numbers(args: argparse.Namespace) -> dict[str, str]:
    given = {"charity_number": args.charity_number, "company_number": args.company_number}
    return {name: value.strip() for name, value in given.items() if value is not None}


def _line_add(args: argparse.Namespace, database: Database) -> int:
    values = {"description": args.description, "allocated": args.allocated, **assignments(args.set), **_numbers(args)}
    line = usecase.perform(database, args.principal, allocations.add_line, fund_of(args, database), **values)
    print(f"added line {line.description!r}: {format_gbp(line.allocated)} (awaiting approval)")
    return 0


def _line_edit(args: argparse.Namespace, database: Database) -> int:
    line_id = line_of(args, database, fund_of(args, database))
    changes = {**assignments(args.set), **_numbers(args)}
    if not changes:
        raise RuleViolation("nothing to change: give --set NAME=VALUE, --charity-number or --company-number")
    if "allocated" in changes:
        changes["allocated"] = money(str(changes["allocated"]))
    line = usecase.perform(database, args.principal, allocations.update_line, line_id, None, **changes)
    print(f"updated line {line.description!r}")
    return 0


# -- spend, receipts, match ------------------------------------------------------------------------


def _register_spend(subparsers: Any) -> None:
    group = subparsers.add_parser("spend", help="record or delete one payment, refund or income").add_subparsers(
        dest="spend_action", required=True, metavar="ACTION"
    )
    record = group.add_parser("record", help="a payment out of a line (or a refund back, or income)")
    fund_options(record)
    record.add_argument("--line", required=True, metavar="DESCRIPTION")
    record.add_argument("--amount", required=True, type=money)
    record.add_argument("--date", type=iso_date, help="the day paid (default: today)")
    record.add_argument("--kind", choices=[k.value for k in SpendKind], default=SpendKind.PAYMENT.value)
    record.add_argument("--reference", default="", help="invoice or PO number")
    adjustment_option(record)
    record.set_defaults(handler=_spend_record)

    delete = group.add_parser("delete", help="remove a spend entered by mistake (the audit log keeps it)")
    delete.add_argument("id", type=int, help="the spend's id")
    adjustment_option(delete)
    delete.set_defaults(handler=_spend_delete)


def _spend_record(args: argparse.Namespace, database: Database) -> int:
    line_id = line_of(args, database, fund_of(args, database))
    spend = usecase.perform(
        database,
        args.principal,
        spending.record_spend,
        line_id,
        spent_on=args.date or today_in_london(),
        amount=args.amount,
        kind=args.kind,
        reference=args.reference,
    )
    print(f"recorded {spend.kind.value} {format_gbp(spend.amount)} on {spend.spent_on:%d/%m/%Y} (spend {spend.id})")
    return 0


def _spend_delete(args: argparse.Namespace, database: Database) -> int:
    usecase.perform(database, args.principal, spending.delete_spend, args.id, None)
    print(f"deleted spend {args.id}")
    return 0


def _register_receipt(subparsers: Any) -> None:
    group = subparsers.add_parser("receipt", help="money into a fund: add, change or delete").add_subparsers(
        dest="receipt_action", required=True, metavar="ACTION"
    )
    add = group.add_parser("add", help="money received (with its date) or expected")
    fund_options(add)
    add.add_argument("--amount", required=True, type=money)
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--received-on", type=iso_date, metavar="YYYY-MM-DD")
    when.add_argument("--expected", action="store_true", help="expected, not received yet")
    add.add_argument("--approximate", action="store_true")
    add.add_argument("--reference", default="")
    adjustment_option(add)
    add.set_defaults(handler=_receipt_add)

    update = group.add_parser("update", help="change a receipt: --set received_on=2026-10-01 --set status=received")
    update.add_argument("id", type=int)
    update.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", required=True)
    adjustment_option(update)
    update.set_defaults(handler=_receipt_update)

    delete = group.add_parser("delete", help="remove a receipt")
    delete.add_argument("id", type=int)
    adjustment_option(delete)
    delete.set_defaults(handler=_receipt_delete)


def _receipt_add(args: argparse.Namespace, database: Database) -> int:
    receipt = usecase.perform(
        database,
        args.principal,
        funds_admin.add_receipt,
        fund_of(args, database),
        amount=args.amount,
        received_on=args.received_on,
        status=ReceiptStatus.EXPECTED if args.expected else ReceiptStatus.RECEIVED,
        approximate=args.approximate,
        reference=args.reference,
    )
    print(f"recorded receipt {receipt.id}: {format_gbp(receipt.amount)} {receipt.status.value}")
    return 0


def _receipt_update(args: argparse.Namespace, database: Database) -> int:
    changes = assignments(args.set)
    if changes.get("received_on"):
        changes["received_on"] = iso_date(str(changes["received_on"]))
    if "amount" in changes:
        changes["amount"] = money(str(changes["amount"]))
    usecase.perform(database, args.principal, funds_admin.update_receipt, args.id, None, **changes)
    print(f"updated receipt {args.id}")
    return 0


def _receipt_delete(args: argparse.Namespace, database: Database) -> int:
    usecase.perform(database, args.principal, funds_admin.delete_receipt, args.id, None)
    print(f"deleted receipt {args.id}")
    return 0


def _register_match(subparsers: Any) -> None:
    group = subparsers.add_parser("match", help="match funding: cash or in-kind hours").add_subparsers(
        dest="match_action", required=True, metavar="ACTION"
    )
    add = group.add_parser("add", help="a match contribution")
    fund_options(add)
    add.add_argument("--kind", choices=[k.value for k in MatchKind], required=True)
    add.add_argument("--contributor", required=True)
    add.add_argument("--date", type=iso_date, help="default: today")
    add.add_argument("--amount", type=money, default=Decimal("0.00"), help="cash")
    add.add_argument("--hours", type=money, help="in-kind hours")
    add.add_argument("--rate", type=money, help="in-kind hourly rate")
    add.add_argument("--line", metavar="DESCRIPTION", help="the line it matches (optional)")
    adjustment_option(add)
    add.set_defaults(handler=_match_add)


def _match_add(args: argparse.Namespace, database: Database) -> int:
    fund_id = fund_of(args, database)
    match = usecase.perform(
        database,
        args.principal,
        spending.record_match,
        fund_id,
        kind=args.kind,
        contributed_on=args.date or today_in_london(),
        contributor=args.contributor,
        amount=args.amount,
        hours=args.hours,
        hourly_rate=args.rate,
        line_id=line_of(args, database, fund_id) if args.line else None,
    )
    print(f"recorded match contribution {match.id} from {match.contributor}: {format_gbp(match.value)}")
    return 0


# -- profiles and outcomes ---------------------------------------------------------------------------


def _register_profile(subparsers: Any) -> None:
    group = subparsers.add_parser("profile", help="set a line's planned spend for a quarter").add_subparsers(
        dest="profile_action", required=True, metavar="ACTION"
    )
    put = group.add_parser("set", help="a line's profile for one quarter of the fund's year")
    fund_options(put)
    put.add_argument("--line", required=True, metavar="DESCRIPTION")
    put.add_argument("--quarter", required=True, type=int, choices=(1, 2, 3, 4))
    put.add_argument("--amount", required=True, type=money)
    put.set_defaults(handler=_profile_set)


def _profile_set(args: argparse.Namespace, database: Database) -> int:
    fund_id = fund_of(args, database)
    line_id = line_of(args, database, fund_id)
    rows = [(line_id, {args.quarter: args.amount})]
    changed = usecase.perform(database, args.principal, outcomes.save_profiles, fund_id, args.year, rows)
    print(f"profile set ({changed} entr{'y' if changed == 1 else 'ies'} changed)")
    return 0


def _register_outcome(subparsers: Any) -> None:
    group = subparsers.add_parser("outcome", help="outcome updates: outputs, narrative, evidence").add_subparsers(
        dest="outcome_action", required=True, metavar="ACTION"
    )
    add = group.add_parser("add", help="an outcome update for a line and period")
    fund_options(add)
    add.add_argument("--line", required=True, metavar="DESCRIPTION")
    add.add_argument("--period", required=True, help='"2026/27 Q2", "2026/27 H1" or "2026/27"')
    add.add_argument("--on", type=iso_date, help="reported on (default: today)")
    add.add_argument("--outputs", type=Decimal)
    add.add_argument("--unit", default="")
    add.add_argument("--narrative", default="")
    add.add_argument("--evidence", default="")
    add.add_argument("--awaiting-data", action="store_true")
    add.set_defaults(handler=_outcome_add)

    update = group.add_parser("update", help="change an outcome update: --set narrative=... --set awaiting_data=false")
    update.add_argument("id", type=int)
    update.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", required=True)
    update.set_defaults(handler=_outcome_update)


def _outcome_add(args: argparse.Namespace, database: Database) -> int:
    line_id = line_of(args, database, fund_of(args, database))
    update = usecase.perform(
        database,
        args.principal,
        outcomes.add_outcome,
        line_id,
        period=args.period,
        reported_on=args.on or today_in_london(),
        outputs=args.outputs,
        unit=args.unit,
        narrative=args.narrative,
        evidence=args.evidence,
        awaiting_data=args.awaiting_data,
    )
    print(f"recorded outcome update {update.id} for {update.period}")
    return 0


def _outcome_update(args: argparse.Namespace, database: Database) -> int:
    usecase.perform(database, args.principal, outcomes.update_outcome, args.id, None, **assignments(args.set))
    print(f"updated outcome update {args.id}")
    return 0
