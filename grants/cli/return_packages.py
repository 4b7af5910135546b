"""Return packages on the command line: ``return export``, ``return receive``, ``return received``,
``return received-pdf`` and ``return review-received``.

A partnership's installation exports a submitted return as a package (FILE.zip); the funder's installation
receives it and lists what it received for the county view. A package refused for any reason exits 2 with the
reason, and nothing is stored.
"""

from __future__ import annotations

import argparse
import json
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from grants.cli.common import financial_year
from grants.cli.output import write_out
from grants.domain.money import format_gbp, plain
from grants.services import lookup, usecase
from grants.services.package_format import MAX_PACKAGE, PackageRefused
from grants.storage.database import Database


def add_package_parsers(actions: Any) -> None:
    """The package actions of ``return`` (called from ``grants.cli.returns_cli.register``)."""
    export = actions.add_parser("export", help="write a submitted return as a package for the funder (FILE.zip)")
    export.add_argument("--partnership", required=True, metavar="NAME")
    export.add_argument("--fund", required=True, metavar="CODE")
    export.add_argument("--year", required=True, type=financial_year, metavar="YYYY/YY")
    period = export.add_mutually_exclusive_group(required=True)
    period.add_argument("--half", choices=("H1", "H2"), type=str.upper, help="six-monthly: H1 Apr–Sep, H2 Oct–Mar")
    period.add_argument("--quarter", choices=("Q1", "Q2", "Q3", "Q4"), type=str.upper, help="quarterly funds")
    export.add_argument("--version", type=int, metavar="N", help="a submitted version (default: the latest)")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.zip")
    _force(export)
    export.set_defaults(handler=_export)

    receive = actions.add_parser("receive", help="check a return package and store its return (the funder)")
    receive.add_argument("package", type=Path, metavar="FILE.zip")
    receive.set_defaults(handler=_receive)

    listing = actions.add_parser("received", help="the returns received as packages: the latest version of each")
    listing.add_argument("--year", required=True, type=financial_year, metavar="YYYY/YY")
    listing.add_argument("--funder", metavar="NAME", help="only this funder's returns and those of funders below it")
    listing.add_argument("--format", choices=("table", "json"), default="table", help="output (default: table)")
    listing.set_defaults(handler=_received)

    pdf = actions.add_parser("received-pdf", help="a received return's PDF exactly as it came")
    pdf.add_argument("received", type=int, metavar="ID", help="its number in 'return received'")
    pdf.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    _force(pdf)
    pdf.set_defaults(handler=_received_pdf)

    review = actions.add_parser("review-received", help="accept or query a received return (the funder)")
    review.add_argument("received", type=int, metavar="ID", help="its number in 'return received'")
    verdict = review.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--accept", action="store_true", help="accept the return")
    verdict.add_argument("--query", action="store_true", help="query it (say what, with --comment)")
    review.add_argument("--comment", default="", metavar="TEXT")
    review.set_defaults(handler=_review)


def _force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists (a link is never followed)")


def _export(args: argparse.Namespace, database: Database) -> int:
    from grants.services.return_package import export_package

    who = args.principal
    fund_id = usecase.read(database, who, lookup.fund_id, args.partnership, args.fund, args.year)
    data = usecase.read(database, who, export_package, fund_id, args.half or args.quarter, args.version)
    written = write_out(args.out, data, database, force=args.force)
    period = args.half or args.quarter
    print(f"wrote {written} ({len(data):,} bytes): the {args.fund.upper()} {args.year} {period} return")
    return 0


def _package_bytes(path: Path) -> bytes:
    """The file's bytes, refusing anything but a regular file of at most the package limit (read no further)."""
    try:
        status = path.stat()
    except OSError as exc:
        raise PackageRefused(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(status.st_mode):
        raise PackageRefused(str(path), "is not a file")
    if status.st_size > MAX_PACKAGE:
        raise PackageRefused(str(path), f"is {status.st_size:,} bytes; a return package is at most {MAX_PACKAGE:,}")
    with path.open("rb") as handle:
        data = handle.read(MAX_PACKAGE + 1)
    if len(data) > MAX_PACKAGE:
        raise PackageRefused(str(path), f"is more than {MAX_PACKAGE:,} bytes; a return package is at most that")
    return data


def _receive(args: argparse.Namespace, database: Database) -> int:
    from grants.services.return_package import receive_package

    path: Path = args.package
    data = _package_bytes(path)
    done = usecase.perform(database, args.principal, receive_package, data, source_name=path.name)
    item = done.received
    document = item.frozen
    print(
        f"received version {item.version_number} of the {item.fund_code} {item.period} return of "
        f"{done.partnership} (funder: {done.funder or 'none named'}), submitted "
        f"{_day(document['submitted']['on'])} by {document['submitted']['by']}; stored as received return {item.id}"
    )
    if done.partnership_created:
        print(f"added the partnership {done.partnership}")
    for name in done.funders_created:
        print(f"added the funder {name}")
    return 0


def _amount(value: Decimal | None) -> str:
    return "-" if value is None else format_gbp(value)


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _received(args: argparse.Namespace, database: Database) -> int:
    from grants.services.received_returns import funder_named, received_summaries

    who = args.principal
    funder_id = usecase.read(database, who, funder_named, args.funder) if args.funder else None
    found = usecase.read(database, who, received_summaries, year=args.year, funder_id=funder_id)
    if args.format == "json":
        print(json.dumps([_plain(row.__dict__) for row in found], indent=2, ensure_ascii=False))
        return 0
    if not found:
        print(f"no returns received for {args.year}")
    for row in found:
        print(
            f"#{row.id}  {row.partnership}  {row.fund_code} {row.period} v{row.version}  ({row.funder or 'no funder'})"
            f"  funding {_amount(row.funding)}  received {_amount(row.received)}  allocated {_amount(row.allocated)}"
            f"  spent {_amount(row.spent)}  projects {_count(row.projects)}  red {_count(row.red_lines)}"
            f"  open errors {_count(row.open_errors)}  review: {row.review or 'not yet'}"
        )
    return 0


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    def one(value: Any) -> Any:
        if isinstance(value, Decimal):
            return plain(value)
        if hasattr(value, "isoformat"):
            return value.isoformat(timespec="seconds")
        return value

    return {key: one(value) for key, value in values.items()}


def _received_pdf(args: argparse.Namespace, database: Database) -> int:
    from grants.services.received_returns import received_pdf

    data = usecase.read(database, args.principal, received_pdf, args.received)
    written = write_out(args.out, data, database, force=args.force)
    print(f"wrote {written} ({len(data):,} bytes)")
    return 0


def _review(args: argparse.Namespace, database: Database) -> int:
    from grants.services.received_returns import review_received

    action = "accepted" if args.accept else "queried"
    done = usecase.perform(database, args.principal, review_received, args.received, action, args.comment)
    print(
        f"{action} received return {done.id}: the {done.fund_code} {done.period} return, version {done.version_number}"
    )
    return 0


def _day(text: str) -> str:
    return date.fromisoformat(text).strftime("%d/%m/%Y")
