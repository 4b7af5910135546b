"""``python -m grants check``: run every compliance rule and print the findings.

Exit status 1 when any finding is an error, else 0 (2 for bad input, as every command).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from grants.cli.common import financial_year, iso_date
from grants.domain.enums import Severity
from grants.services.installation import is_demo
from grants.storage.database import Database
from reports.csvfile import csv_records
from reports.text import DEMO_MARK

if TYPE_CHECKING:  # the rules (and pandas) load only when a check runs: other commands start faster
    from rules.findings import Finding

UK = ZoneInfo("Europe/London")
TABLE_COLUMNS = (("severity", 8), ("code", 7), ("fund", 8), ("year", 8), ("line", 32), ("message", 0))


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="run the compliance rules and list the findings",
        description="Run every compliance rule over the ledger as at a date. "
        "Exit status 1 when any finding is an error.",
    )
    parser.add_argument("--partnership", metavar="NAME", help="only this partnership's funds")
    parser.add_argument("--fund", metavar="CODE", help="only funds with this code (e.g. PLF)")
    parser.add_argument("--year", metavar="YYYY/YY", type=financial_year, help="only funds of this year (e.g. 2017/18)")
    parser.add_argument(
        "--as-at", metavar="YYYY-MM-DD", type=iso_date, default=None, help="the date to check as at (default: today)"
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output (default: table)")
    parser.set_defaults(handler=check)


def today() -> date:
    """Today in the UK: read here, at the entry point, and nowhere in the rules."""
    return datetime.now(UK).date()


def check(args: argparse.Namespace, database: Database, out: TextIO | None = None) -> int:
    as_at: date = args.as_at or today()
    from grants.services import lookup, usecase
    from grants.services.checking import run_checks

    who = args.principal
    partnership_id = None
    if args.partnership:
        partnership_id = usecase.read(database, who, lookup.partnership_id, args.partnership)
    findings = usecase.read(
        database,
        who,
        run_checks,
        as_at=as_at,
        partnership_id=partnership_id,
        fund_code=args.fund,
        year=args.year,
    )
    stream = out or sys.stdout
    stream.write(render(findings, args.format, as_at, notice=DEMO_MARK if is_demo(database) else ""))
    return 1 if any(finding.severity is Severity.ERROR for finding in findings) else 0


def render(findings: Sequence[Finding], output: str, as_at: date, *, notice: str = "") -> str:
    if output == "json":
        return json.dumps([finding.export() for finding in findings], indent=2, ensure_ascii=False) + "\n"
    if output == "csv":
        from rules.findings import EXPORT_FIELDS

        return csv_records([finding.export() for finding in findings], list(EXPORT_FIELDS), notice=notice)
    return table(findings, as_at)


def table(findings: Sequence[Finding], as_at: date) -> str:
    """A plain-text table, then a one-line summary."""
    lines = []
    header = "  ".join(name.upper().ljust(width) if width else name.upper() for name, width in TABLE_COLUMNS)
    partnerships = sorted({finding.partnership for finding in findings if finding.partnership})
    lines.append(f"Compliance check as at {as_at:%d/%m/%Y}" + (f": {', '.join(partnerships)}" if partnerships else ""))
    if findings:
        lines.append(header)
    for finding in findings:
        values = finding.export()
        cells = []
        for name, width in TABLE_COLUMNS:
            text = values[name] or ("(fund)" if name == "line" else "")
            cells.append(_clip(text, width).ljust(width) if width else text)
        lines.append("  ".join(cells).rstrip())
    counts = {severity: sum(1 for f in findings if f.severity is severity) for severity in Severity}
    lines.append(
        f"{len(findings)} finding(s): {counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} info"
    )
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
