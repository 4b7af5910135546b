"""Formatting and normalising helpers shared by the rules (money, dates, names)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd


def gbp(pence: object) -> str:
    """Whole pence as ``£12,345.00`` (negatives ``-£1,500.00``): ``format_gbp`` of the amount, in integers."""
    whole = int(pence)  # type: ignore[call-overload]
    sign = "-" if whole < 0 else ""
    whole = abs(whole)
    return f"{sign}£{whole // 100:,}.{whole % 100:02d}"


def pounds_to_pence(amount: Decimal) -> int:
    """A parameter in pounds as whole pence."""
    return int((amount * 100).to_integral_value())


def day(value: object) -> str:
    """A date as the papers write it: ``26 Oct 2017``; blank for a missing date."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if not isinstance(value, date):
        return str(value)
    return f"{value.day} {value:%b %Y}"


def percent(share: object) -> str:
    """A share as ``12.5%``."""
    return f"{float(share) * 100:.1f}%"  # type: ignore[arg-type]


def gbp_series(pence: pd.Series) -> pd.Series:
    """Each amount in pence as ``£12,345.00`` (one call per finding, not per spend)."""
    return pd.Series([gbp(value) for value in pence.tolist()], index=pence.index, dtype="str")


def day_series(values: pd.Series) -> pd.Series:
    """Each date as :func:`day` writes it, formatted once per distinct date."""
    return per_distinct(values, day).astype("str")


def per_distinct(values: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """``values.map(function)`` as objects, calling ``function`` once per distinct value (and per missing one)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[: len(uniques)] = [function(value) for value in uniques]
    result = mapped[codes]  # code -1 (missing) picks the spare last slot, filled below
    missing = codes == -1
    if missing.any():  # None, NaN, NaT...: once per distinct missing object (usually just None)
        pending = values.to_numpy(dtype=object)[missing]
        which, _ = pd.factorize(np.fromiter(map(id, pending), dtype=np.int64, count=len(pending)))
        _, first = np.unique(which, return_index=True)
        answers = np.empty(len(first), dtype=object)
        answers[:] = [function(value) for value in pending[first]]
        result[missing] = answers[which]
    return pd.Series(result, index=values.index, dtype=object)


def normalise_text(values: pd.Series) -> pd.Series:
    """Case, punctuation and spacing removed: ``Go-Getta`` and ``go getta`` compare equal."""
    return (
        values.fillna("")
        .astype("str")
        .str.casefold()
        .str.replace("&", " and ", regex=False)
        .str.replace(r"[\W_]+", " ", regex=True)
        .str.strip()
    )


_BEAT = re.compile(r"^(?:beat|nl|n)?\s*(\d{2})$")


def normalise_area(value: str) -> str:
    """Police beats written "Beat 62", "NL62", "N62" or "62" all become ``nl62``; other names are casefolded."""
    text = re.sub(r"\s+", " ", str(value).casefold().strip())
    match = _BEAT.match(text)
    return f"nl{match[1]}" if match else text


def normalise_word(value: str) -> str:
    """A theme, cohort or category compared loosely ("Health & Wellbeing" = "health and wellbeing")."""
    text = str(value).casefold().replace("&", " and ")
    return re.sub(r"[\W_]+", " ", text).strip()


def percent_series(shares: pd.Series) -> pd.Series:
    return pd.Series([percent(share) for share in shares.tolist()], index=shares.index, dtype="str")
