"""Report commands: ``report budget``, ``report return``, ``export 360giving`` (``return …``: returns_cli).

The output format comes from the file's extension (.pdf, .xlsx, .csv; .json for returns and the
360Giving export). Bad input exits with status 2 and a message; nothing is written.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from grants.cli.common import financial_year, iso_date
from grants.cli.meetings import add_meeting_parser
from grants.cli.output import write_out
from grants.services import lookup, usecase
from grants.services.access import Principal
from grants.storage.database import Database


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help="make the budget pack or an OPCC return")
    kinds = report.add_subparsers(dest="report", required=True, metavar="REPORT")

    budget = kinds.add_parser("budget", help="the Strategic Group's budget pack (PDF, XLSX or CSV)")
    budget.add_argument("--partnership", required=True, metavar="NAME")
    budget.add_argument("--year", required=True, type=financial_year, metavar="YYYY/YY")
    budget.add_argument("--fund", metavar="CODE", help="only this fund (default: every fund of the year)")
    budget.add_argument("--as-at", type=iso_date, metavar="YYYY-MM-DD", help="figures as at (default: today)")
    budget.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.pdf, FILE.xlsx or FILE.csv")
    _force_option(budget)
    budget.set_defaults(handler=_budget)

    add_meeting_parser(kinds)

    county = kinds.add_parser("county", help="the funder's county view: every partnership and stream (PDF/XLSX/CSV)")
    county.add_argument("--year", required=True, type=financial_year, metavar="YYYY/YY")
    county.add_argument("--funder", metavar="NAME", help="only the funds of this funder and those below it")
    county.add_argument("--as-at", type=iso_date, metavar="YYYY-MM-DD", help="figures as at (default: today)")
    county.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.pdf, FILE.xlsx or FILE.csv")
    _force_option(county)
    county.set_defaults(handler=_county)

    opcc = kinds.add_parser("return", help="the OPCC financial profile return for a half or a quarter (PDF or JSON)")
    return_options(opcc)
    opcc.add_argument(
        "--version", type=int, metavar="N", help="a submitted version exactly as sent (default: the version in force)"
    )
    opcc.add_argument(
        "--out", type=Path, metavar="FILE", help="FILE.pdf, FILE.xlsx or FILE.json (default: a name in this folder)"
    )
    _force_option(opcc)
    opcc.set_defaults(handler=_return)

    export = subparsers.add_parser("export", help="export open data")
    formats = export.add_subparsers(dest="export", required=True, metavar="FORMAT")
    giving = formats.add_parser("360giving", help="grants made to delivery partners, in the 360Giving standard")
    giving.add_argument("--partnership", metavar="NAME", help="only this partnership (default: all)")
    giving.add_argument(
        "--prefix",
        metavar="360G-...",
        help="your registered 360Giving prefix (default: $GRANTS_360G_PREFIX or 360G-CSPTRACKER)",
    )
    giving.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.json or FILE.csv")
    _force_option(giving)
    giving.set_defaults(handler=_export)


def period_options(parser: argparse.ArgumentParser) -> None:
    """Which return: ``--partnership --fund --year`` and ``--half`` or ``--quarter``."""
    parser.add_argument("--partnership", required=True, metavar="NAME")
    parser.add_argument("--fund", required=True, metavar="CODE")
    parser.add_argument("--year", required=True, type=financial_year, metavar="YYYY/YY")
    period = parser.add_mutually_exclusive_group(required=True)
    period.add_argument("--half", choices=("H1", "H2"), type=str.upper, help="six-monthly: H1 Apr–Sep, H2 Oct–Mar")
    period.add_argument("--quarter", choices=("Q1", "Q2", "Q3", "Q4"), type=str.upper, help="quarterly funds")


def return_options(parser: argparse.ArgumentParser) -> None:
    """Which return (:func:`period_options`), and the draft's words to write over the saved ones."""
    period_options(parser)
    parser.add_argument(
        "--explanations", metavar="TEXT", help="explanation of variances (default: the draft's saved words)"
    )
    parser.add_argument("--risks", metavar="TEXT", help="risks to delivery or spend (default: the draft's saved words)")


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists (a link is never followed)")


def _write(args: argparse.Namespace, database: Database, path: Path, data: bytes) -> int:
    written = write_out(path, data, database, force=args.force)
    print(f"wrote {written} ({len(data):,} bytes)")
    return 0


def _budget(args: argparse.Namespace, database: Database) -> int:
    from grants.services import reporting  # loaded on use: pandas and reportlab are slow to import

    who: Principal = args.principal
    fmt = reporting.format_of(str(args.out))
    as_at: date = args.as_at or reporting.now_london().date()
    partnership_id = usecase.read(database, who, lookup.partnership_id, args.partnership)
    fund_id = None
    if args.fund:
        fund_id = usecase.read(database, who, lookup.fund_id, args.partnership, args.fund, args.year)
    pack = usecase.read(
        database, who, reporting.budget_pack, partnership_id, year=args.year, fund_id=fund_id, as_at=as_at
    )
    return _write(args, database, args.out, reporting.render_budget_pack(pack, fmt))


def _county(args: argparse.Namespace, database: Database) -> int:
    from grants.services import county_view, reporting  # loaded on use: pandas and reportlab are slow to import

    fmt = reporting.format_of(str(args.out))
    now = reporting.now_london()
    view = usecase.read(
        database, args.principal, county_view.county_view, year=args.year, as_at=args.as_at or now.date(),
        funder=args.funder,
    )  # fmt: skip
    status = _write(args, database, args.out, county_view.render_county(view, fmt, generated_at=now))
    t = view.totals
    print(f"{len(view.rows)} rows, {t.partnerships} partnerships; spent {t.spent} of {t.funding} funding")
    return status


def _return(args: argparse.Namespace, database: Database) -> int:
    from grants.services import reporting, returns  # loaded on use: pandas and reportlab are slow to import

    period = args.half or args.quarter
    suffix = f"-v{args.version}" if args.version else ""
    out: Path = args.out or Path(f"return-{args.fund.upper()}-{args.year.replace('/', '-')}-{period}{suffix}.pdf")
    fmt = reporting.format_of(str(out), ("pdf", "xlsx", "json"))
    who: Principal = args.principal
    fund_id = usecase.read(database, who, lookup.fund_id, args.partnership, args.fund, args.year)
    view = usecase.read(
        database,
        who,
        returns.return_view,
        fund_id,
        period,
        explanations=args.explanations,
        risks=args.risks,
        version=args.version,
    )
    data = returns.render_return(view, fmt)
    if fmt == "pdf" and view.frozen:
        data = usecase.read(database, who, returns.submitted_pdf, fund_id, period, args.version, data)
    status = 0 if _write(args, database, out, data) == 0 else 2
    if status == 0:
        version = f" (version {view.extras.version})" if view.extras.version else ""
        print(f"{view.fund_code} {view.period} return: {view.status}{version}")
    return status


def _export(args: argparse.Namespace, database: Database) -> int:
    from grants.services import giving_export, reporting  # loaded on use: pandas and reportlab are slow to import

    fmt = reporting.format_of(str(args.out), ("json", "csv"))
    who: Principal = args.principal
    partnership_id = None
    if args.partnership:
        partnership_id = usecase.read(database, who, lookup.partnership_id, args.partnership)
    left_out: list[str] = []
    data = usecase.read(
        database,
        who,
        giving_export.export_360giving,
        fmt,
        partnership_id=partnership_id,
        prefix=args.prefix,
        left_out=left_out,
    )
    for line in left_out:
        print(f"left out: {line}")
    if left_out:
        print(f"{len(left_out)} unapproved line(s) left out: only approved grants are published")
    return _write(args, database, args.out, data)
