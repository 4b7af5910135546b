"""Helpers shared by the command-line modules."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from grants.domain.calendar import FinancialYear, parse_date
from grants.domain.money import parse_money
from grants.storage.database import Database

Handler = Callable[[argparse.Namespace, Database], int]
SubParsers = "argparse._SubParsersAction[argparse.ArgumentParser]"


def financial_year(text: str) -> str:
    """argparse type: a financial year label, normalised to "2023/24"."""
    try:
        return FinancialYear.parse(text).label
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def iso_date(text: str) -> date:
    """argparse type: a date (YYYY-MM-DD, or any form the papers use)."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def today_in_london() -> date:
    """Today's date in the UK: entry points read the clock, the domain never does."""
    return datetime.now(ZoneInfo("Europe/London")).date()


def money(text: str) -> Decimal:
    """argparse type: an exact amount in pounds and pence ("1500", "1,500.00", "£1,500.00")."""
    try:
        return parse_money(text).amount
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def adjustment_option(parser: argparse.ArgumentParser) -> None:
    """``--adjustment REASON``: allow a change dated inside a submitted return's period, recorded as a
    post-submission adjustment (audited; listed on the fund's next return)."""
    parser.add_argument(
        "--adjustment",
        metavar="REASON",
        help="record a change dated inside a submitted return's period as a post-submission adjustment, saying why",
    )
