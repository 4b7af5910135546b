"""Ledger commands: ``init``, ``import budget|spend|profile``, ``funds``, ``lines``."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from grants.cli.common import adjustment_option, financial_year, iso_date, today_in_london
from grants.cli.papers import add_kinds, import_budget_funds
from grants.domain.money import format_gbp, plain
from grants.imports.parsed import ImportRejected
from grants.services import importing, lookup, queries, usecase
from grants.services.access import Principal
from grants.services.demo import install_demo
from grants.services.installation import is_demo
from grants.storage.database import Database, redact
from grants.storage.unit_of_work import UnitOfWork
from reports.csvfile import csv_records
from reports.text import DEMO_MARK


def register(subparsers: Any) -> None:
    init = subparsers.add_parser("init", help="create or upgrade the database")
    init.add_argument(
        "--demo",
        action="store_true",
        help="load the demo data and demo accounts into this (new, empty) database; a database holding "
        "real data is refused",
    )
    init.set_defaults(handler=_init, operator_only=True)

    imports = subparsers.add_parser(
        "import", help="import a budget table, spend ledger, spend profile or action plan; or write a template"
    )
    kinds = imports.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, helptext in (
        ("budget", "a budget table in the papers' layout (CSV or XLSX)"),
        ("spend", "a spend ledger: payments, refunds, income"),
        ("profile", "quarterly spend profiles"),
    ):
        parser = kinds.add_parser(kind, help=helptext)
        parser.add_argument("file", type=Path)
        _fund_options(parser, fund_required=kind != "budget")
        if kind == "budget":
            parser.add_argument(
                "--as-at", type=iso_date, help="the date the table's figures are as at (default: today)"
            )
        if kind == "spend":
            parser.add_argument(
                "--allow-repeat",
                metavar="REASON",
                default="",
                help="import a file already imported into this fund, on purpose (the reason is audited)",
            )
        parser.add_argument("--dry-run", action="store_true", help="show what would change and change nothing")
        adjustment_option(parser)
        parser.set_defaults(handler=_import)
    add_kinds(kinds)

    funds = subparsers.add_parser("funds", help="list funds with allocated, spent and balance")
    funds.add_argument("--partnership")
    funds.add_argument("--year", type=financial_year)
    funds.add_argument("--as-at", type=iso_date, help="the ledger as it stood at the end of this day (default: today)")
    _format_option(funds)
    funds.set_defaults(handler=_funds)

    lines = subparsers.add_parser("lines", help="list a fund's budget lines (now, or as they stood on a day)")
    _fund_options(lines)
    lines.add_argument("--as-at", type=iso_date, help="the ledger as it stood at the end of this day")
    _format_option(lines)
    lines.set_defaults(handler=_lines)


def _fund_options(parser: argparse.ArgumentParser, *, fund_required: bool = True) -> None:
    parser.add_argument("--partnership", required=True, help='e.g. "Charnwood Community Safety Partnership"')
    if fund_required:
        parser.add_argument("--fund", required=True, help="fund code, e.g. PLF")
    else:
        parser.add_argument(
            "--fund", help="fund code, e.g. PLF (default: every fund's table in the file, each named by its heading)"
        )
    parser.add_argument("--year", required=True, type=financial_year, help="financial year, e.g. 2023/24")


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _init(args: argparse.Namespace, database: Database) -> int:
    if args.demo:
        loaded = install_demo(database)
        note = "demo data and demo accounts loaded" if loaded else "it already holds the demo"
        print(f"database ready at {redact(database.url)}; {note}")
    else:
        print(f"database ready at {redact(database.url)}")
    return 0


def _import_budget_named(
    uow: UnitOfWork, principal: Principal, partnership: str, path: Path, **options: Any
) -> importing.ImportReport:
    """A budget import into a partnership named on the command line (created first by an administrator)."""
    partnership_id = lookup.partnership_id_or_new(uow, principal, partnership)
    return importing.import_budget(uow, principal, partnership_id, path, **options)


def _import(args: argparse.Namespace, database: Database) -> int:
    if args.kind == "budget" and not args.fund:
        return import_budget_funds(args, database)
    path: Path = args.file
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 2
    who: Principal = args.principal
    run = usecase.read if args.dry_run else usecase.perform  # a dry run is the same work, rolled back
    try:
        if args.kind == "budget":
            report = run(
                database,
                who,
                _import_budget_named,
                args.partnership,
                path,
                fund_code=args.fund,
                year=args.year,
                as_at=args.as_at or today_in_london(),
                dry_run=args.dry_run,
            )
        else:
            fund_id = usecase.read(database, who, lookup.fund_id, args.partnership, args.fund, args.year)
            if args.kind == "spend":
                report = run(
                    database,
                    who,
                    importing.import_spend,
                    fund_id,
                    path,
                    dry_run=args.dry_run,
                    allow_repeat=args.allow_repeat,
                )
            else:
                report = run(database, who, importing.import_profile, fund_id, path, dry_run=args.dry_run)
    except ImportRejected as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if report.headings:
        print("  headings: " + "; ".join(f"'{written}' -> {field}" for written, field in report.headings.items()))
    for change in report.changes[:200]:
        print(f"  {change}")
    if len(report.changes) > 200:
        print(f"  ... and {len(report.changes) - 200} more")
    for name, printed in report.printed.items():
        actual = report.totals.get(name)
        if actual is not None and actual != printed:
            shown = f"{format_gbp(printed)} is not the sum of the lines {format_gbp(actual)}"
            print(f"  note: the printed total {name} {shown}")
    if report.duplicate_count:
        print(f"  likely duplicates: {report.duplicate_count} row(s) identical to spend already recorded")
        for item in report.likely_duplicates:
            print(f"    {item}")
        if report.duplicate_count > len(report.likely_duplicates):
            print(f"    ... and {report.duplicate_count - len(report.likely_duplicates)} more")
    print(report.summary() + ("  (dry run: nothing was changed)" if report.dry_run else ""))
    return 0


def _emit(rows: list[dict[str, str]], fmt: str, money_columns: set[str], *, demo: bool = False) -> None:
    if fmt == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        sys.stdout.write(csv_records(rows, notice=DEMO_MARK if demo else ""))
        return
    if not rows:
        print("(nothing to show)")
        return
    shown = [
        {k: (format_gbp(Decimal(v)) if k in money_columns and v != "" else v) for k, v in row.items()} for row in rows
    ]
    widths = {k: max(len(k), *(len(r[k]) for r in shown)) for k in shown[0]}
    print("  ".join(k.ljust(widths[k]) for k in widths))
    for row in shown:
        print("  ".join(row[k].rjust(widths[k]) if k in money_columns else row[k].ljust(widths[k]) for k in widths))


def _funds(args: argparse.Namespace, database: Database) -> int:
    who: Principal = args.principal
    summaries = usecase.read(database, who, queries.fund_summaries, year=args.year, as_at=args.as_at)
    if args.partnership:
        only = usecase.read(database, who, lookup.partnership_id, args.partnership)
        summaries = [s for s in summaries if s.fund.partnership_id == only]
    rows = [
        {
            "partnership": s.partnership,
            "fund": s.fund.code,
            "name": s.fund.name,
            "year": s.fund.year,
            "amount": plain(s.fund.amount),
            "status": s.fund.amount_status.value,
            "funding": plain(s.figures.funding),
            "received": plain(s.received),
            "allocated": plain(s.allocated),
            "spent": plain(s.spent),
            "balance": plain(s.balance),
            "lines": str(s.lines),
        }
        for s in summaries
    ]
    _emit(rows, args.format, {"amount", "funding", "received", "allocated", "spent", "balance"}, demo=is_demo(database))
    return 0


def _lines(args: argparse.Namespace, database: Database) -> int:
    who: Principal = args.principal
    fund_id = usecase.read(database, who, lookup.fund_id, args.partnership, args.fund, args.year)
    balances = usecase.read(database, who, queries.lines, fund_id, args.as_at)
    rows = [
        {
            "description": b.description,
            "allocated": plain(b.allocated),
            "spent": plain(b.spent),
            "balance": plain(b.balance),
            "delivery_partner": b.line.delivery_partner,
            "strategic_priority": b.line.strategic_priority,
            "approved_on": f"{b.line.approved_on:%Y-%m-%d}" if b.line.approved_by and b.line.approved_on else "",
            "line_id": str(b.line.id),  # what a re-imported table's "Line ID" column names
        }
        for b in balances
    ]
    if args.format == "table" and rows:
        total = {"description": "Total", "delivery_partner": "", "strategic_priority": "", "approved_on": ""}
        total["line_id"] = ""
        for key in ("allocated", "spent", "balance"):
            total[key] = plain(sum((getattr(b, key) for b in balances), Decimal("0")))
        rows.append({k: total[k] for k in rows[0]})
    _emit(rows, args.format, {"allocated", "spent", "balance"}, demo=is_demo(database))
    return 0
