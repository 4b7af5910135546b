"""What every rule sees: the frames, the "as at" date, and figures derived once per run.

Derived figures (spent per line, allocated per fund, money received, ...) are computed here, once,
with groupby and merge, so each rule stays short and no rule loops over spend rows.

The money figures (spent, profile to date, funding, forecast, ...) come from ``grants.figures``, the one
place each is defined; this context only shapes them for the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from grants import figures as engine
from rules.findings import Finding
from rules.frames import LedgerFrames

_SPEND_COLUMNS = (
    "line_id",
    "payments_pence",
    "refunds_pence",
    "income_pence",
    "spent_pence",
    "first_spend_on",
    "last_spend_on",
)
_PROFILE_COLUMNS = (
    "line_id",
    "profile_pence",
    "profile_to_date_pence",
    "profile_remaining_pence",
    "has_profile",
    "behind_share",
    "forecast_pence",
    "committed_pence",
    "status",
)
FUND_COLUMNS = ["fund_id", "partnership_id", "code", "year", "starts", "ends", "amount_pence", "amount_status"]


def financial_year_start(month: pd.Series) -> pd.Series:
    """The calendar year each date's financial year starts in (April to March)."""
    return (month.dt.year - (month.dt.month < 4).astype("int64")).astype("int64")


def year_label(start_year: pd.Series) -> pd.Series:
    """Each start year's financial year label ("2023/24"), written once per distinct year."""
    codes, uniques = pd.factorize(start_year, use_na_sentinel=True)
    if (codes < 0).any():
        return start_year.astype("str") + "/" + ((start_year + 1) % 100).astype("str").str.zfill(2)
    labels = np.array([f"{year}/{str((year + 1) % 100).zfill(2)}" for year in uniques.tolist()], dtype=object)
    return pd.Series(labels[codes], index=start_year.index, dtype="str")


def quarter_number(month: pd.Series) -> pd.Series:
    return (((month.dt.month - 4) % 12) // 3 + 1).astype("int64")


class RuleContext:
    """The frames at an as-at date, plus derived figures shared by the rules."""

    def __init__(self, frames: LedgerFrames, as_at: date, prior: Sequence[Finding] = ()) -> None:
        self.frames = frames
        self.as_at = as_at
        self.prior = tuple(prior)

    @cached_property
    def today(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_at)

    @cached_property
    def spends(self) -> pd.DataFrame:
        """Aggregated spends with ``net_pence`` (payment +, refund −, income 0), financial year and quarter."""
        spends = self.frames.spends.copy()
        spends["net_pence"] = engine.net_pence(spends["kind"], spends["amount_pence"])
        spends["year_start"] = financial_year_start(spends["month"])
        spends["year"] = year_label(spends["year_start"])
        spends["quarter"] = quarter_number(spends["month"])
        return spends

    @cached_property
    def figures(self) -> engine.Figures:
        """The lines' and funds' figures as at the run's date (``grants.figures``: one definition of each)."""
        frames = self.frames
        return engine.compute(
            funds=frames.funds[["fund_id", "amount_pence"]],
            lines=frames.lines,
            spends=frames.spends,
            profiles=frames.profiles,
            receipts=frames.receipts,
            as_at=self.as_at,
        )

    @cached_property
    def line_spend(self) -> pd.DataFrame:
        """Per line: spent (net), payments, refunds, income, first and last payment date."""
        return self.figures.lines[list(_SPEND_COLUMNS)].drop_duplicates("line_id")

    @cached_property
    def lines(self) -> pd.DataFrame:
        """Every line with its fund's facts (``fund_*``), conditions and spend totals."""
        funds = self.frames.funds[[*FUND_COLUMNS, "conditions"]].rename(
            columns={
                "code": "fund_code",
                "year": "fund_year",
                "starts": "fund_starts",
                "ends": "fund_ends",
                "amount_pence": "fund_amount_pence",
            }
        )
        lines = self.frames.lines.merge(funds, on="fund_id", how="left")
        return lines.merge(self.line_spend, on="line_id", how="left")

    @cached_property
    def funds(self) -> pd.DataFrame:
        """Every fund with its figures (``grants.figures.fund_figures``): allocated, spent, received, funding,
        money in, forecast and the rest."""
        per_fund = self.figures.funds.drop(columns=["amount_pence"])
        return self.frames.funds.merge(per_fund, on="fund_id", how="left")

    def condition(self, frame: pd.DataFrame, name: str, *, explicit: bool = False) -> pd.Series:
        """One of the fund's conditions per row (``frame`` has a ``conditions`` column).

        With ``explicit``, a condition the fund's agreement did not set is None even where
        ``FundConditions`` has a default, so the rule's own parameter applies.
        """

        def value(conditions: object) -> object:
            if conditions is None or (explicit and name not in getattr(conditions, "model_fields_set", ())):
                return None
            return getattr(conditions, name)

        column = frame["conditions"]
        if column.empty:
            return column.map(value).astype("object")
        # Lines share their fund's conditions object: map each distinct object once (pandas infers the
        # result's type from the distinct values, so it is what mapping every row gives), then spread.
        objects = column.to_numpy(dtype=object)
        codes, _ = pd.factorize(np.fromiter(map(id, objects), dtype=np.int64, count=len(objects)))
        _, first = np.unique(codes, return_index=True)
        mapped = pd.Series(objects[first], dtype=object).map(value)
        result = mapped.take(codes).set_axis(frame.index).astype("object")
        result.name = column.name
        return result

    @cached_property
    def line_profile(self) -> pd.DataFrame:
        """Per line: the whole profile, the profile to date (current quarter pro-rated by days) and what remains,
        the shortfall share and the line's rating against profile."""
        return self.figures.lines[list(_PROFILE_COLUMNS)].drop_duplicates("line_id")


def lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``table``'s value for each key (missing: NA/NaT), indexed like ``keys``; dates stay dates.

    ``Series.map(series)`` cannot carry a datetime column through an empty mapping; this can.
    """
    return table.reindex(keys.to_numpy()).set_axis(keys.index)
