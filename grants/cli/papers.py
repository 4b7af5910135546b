"""``import budget`` without ``--fund`` (several funds in one file), ``import plan`` and ``import template``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from grants.cli.common import financial_year, iso_date, today_in_london
from grants.cli.output import write_out
from grants.domain.money import format_gbp
from grants.imports.parsed import ImportRejected
from grants.services import importing, lookup, papers_import, usecase
from grants.services.access import Principal
from grants.services.templates import KINDS, template
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

CHANGES_SHOWN = 200


def add_kinds(kinds: Any) -> None:
    """Add ``plan`` and ``template`` to ``import``'s kinds."""
    plan = kinds.add_parser("plan", help="an action plan in the papers' layout (key action, costs, targets)")
    plan.add_argument("file", type=Path)
    plan.add_argument("--partnership", required=True, help='e.g. "Charnwood Community Safety Partnership"')
    plan.add_argument("--year", required=True, type=financial_year, help="financial year, e.g. 2023/24")
    plan.add_argument("--fund", help="fund code for every table (default: each table's heading names its fund)")
    plan.add_argument("--as-at", type=iso_date, help="the date the plan takes effect (default: today)")
    plan.add_argument("--dry-run", action="store_true", help="show what would change and change nothing")
    plan.set_defaults(handler=_import_plan)

    blank = kinds.add_parser("template", help="write a blank template for an import: budget, spend, profile, plan")
    blank.add_argument("template_kind", choices=KINDS, metavar="KIND", help="budget, spend, profile or plan")
    blank.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.xlsx or FILE.csv")
    blank.add_argument("--force", action="store_true", help="replace FILE if it exists")
    blank.set_defaults(handler=_template)


def import_budget_funds(args: argparse.Namespace, database: Database) -> int:
    """``import budget FILE --partnership … --year …`` with no ``--fund``: every fund's table in the file."""
    return _run(args, database, _budget_funds_named, as_at=args.as_at or today_in_london())


def _budget_funds_named(
    uow: UnitOfWork, principal: Principal, partnership: str, path: Path, **options: Any
) -> list[importing.ImportReport]:
    partnership_id = lookup.partnership_id_or_new(uow, principal, partnership)
    return papers_import.import_budget_funds(uow, principal, partnership_id, path, **options)


def _plan_named(
    uow: UnitOfWork, principal: Principal, partnership: str, path: Path, **options: Any
) -> list[importing.ImportReport]:
    partnership_id = lookup.partnership_id_or_new(uow, principal, partnership)
    return papers_import.import_plan(uow, principal, partnership_id, path, **options)


def _import_plan(args: argparse.Namespace, database: Database) -> int:
    return _run(args, database, _plan_named, as_at=args.as_at or today_in_london(), fund_code=args.fund)


def _run(args: argparse.Namespace, database: Database, work: Any, **options: Any) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 2
    run = usecase.read if args.dry_run else usecase.perform  # a dry run is the same work, rolled back
    try:
        reports = run(
            database, args.principal, work, args.partnership, path, year=args.year, dry_run=args.dry_run, **options
        )
    except ImportRejected as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for report in reports:
        print_report(report)
    if args.dry_run:
        print("(dry run: nothing was changed)")
    return 0


def print_report(report: importing.ImportReport) -> None:
    """The preview or result of one fund's import: headings read, each row's change, totals, the summary."""
    print(f"{report.fund}:")
    if report.headings:
        print("  headings: " + "; ".join(f"'{written}' -> {field}" for written, field in report.headings.items()))
    for change in report.changes[:CHANGES_SHOWN]:
        print(f"  {change}")
    if len(report.changes) > CHANGES_SHOWN:
        print(f"  ... and {len(report.changes) - CHANGES_SHOWN} more")
    for name, printed in report.printed.items():
        actual = report.totals.get(name)
        if actual is not None and actual != printed:
            shown = f"{format_gbp(printed)} is not the sum of the lines {format_gbp(actual)}"
            print(f"  note: the printed total {name} {shown}")
    print(f"  {report.summary()}")


def _template(args: argparse.Namespace, database: Database) -> int:
    try:
        data = template(args.template_kind, args.out.suffix)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    written = write_out(args.out, data, database, force=args.force)
    print(f"wrote the {args.template_kind} template to {written}")
    return 0
