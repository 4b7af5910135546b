"""What every rule sees: the frames, the "as at" date, and figures derived once per run.

Derived figures (spent per line, allocated per fund, money received, ...) are computed here, once,
with groupby and merge, so each rule stays short and no rule loops over spend rows.

Spent = payments − refunds. Income (e.g. bike locks sold) is kept apart, never netted off spend.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from grants.domain.enums import ReceiptStatus, SpendKind
from rules.findings import Finding
from rules.frames import LedgerFrames

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


def quarter_bounds(year: pd.Series, quarter: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day of financial quarter ``quarter`` of years labelled "2023/24"."""
    start_year = year.str.slice(0, 4).astype("int64")
    first_month = (quarter.astype("int64") - 1) * 3 + 4
    calendar_year = start_year + (first_month > 12).astype("int64")
    month = (first_month - 1) % 12 + 1
    starts = pd.to_datetime(pd.DataFrame({"year": calendar_year, "month": month, "day": 1}))
    ends = starts + pd.offsets.MonthEnd(3)
    return starts, ends


def elapsed_days(starts: pd.Series, ends: pd.Series, as_at: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """Days of each period passed by the end of ``as_at`` (0 before it starts, all after it ends), and its length."""
    total = ((ends - starts).dt.days + 1).to_numpy(dtype="int64")
    passed = ((as_at - starts).dt.days + 1).to_numpy(dtype="int64")
    return np.clip(passed, 0, total), total


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
        kind = spends["kind"]
        sign = np.where(kind == SpendKind.PAYMENT.value, 1, np.where(kind == SpendKind.REFUND.value, -1, 0))
        spends["net_pence"] = (spends["amount_pence"] * sign).astype("int64")
        spends["year_start"] = financial_year_start(spends["month"])
        spends["year"] = year_label(spends["year_start"])
        spends["quarter"] = quarter_number(spends["month"])
        return spends

    @cached_property
    def line_spend(self) -> pd.DataFrame:
        """Per line: spent (net), payments, refunds, income, first and last payment date."""
        spends = self.spends
        lines = pd.Index(self.frames.lines["line_id"], name="line_id")
        if lines.is_unique:
            return _line_spend(spends, lines)
        by_kind = spends.pivot_table(
            index="line_id", columns="kind", values="amount_pence", aggfunc="sum", fill_value=0
        ).reindex(columns=[k.value for k in SpendKind], fill_value=0)
        result = pd.DataFrame(index=lines)
        result["payments_pence"] = by_kind[SpendKind.PAYMENT.value]
        result["refunds_pence"] = by_kind[SpendKind.REFUND.value]
        result["income_pence"] = by_kind[SpendKind.INCOME.value]
        result = result.fillna(0).astype("int64")
        result["spent_pence"] = result["payments_pence"] - result["refunds_pence"]
        payments = spends[spends["kind"] == SpendKind.PAYMENT.value]
        dates = payments.groupby("line_id").agg(first_spend_on=("first_on", "min"), last_spend_on=("last_on", "max"))
        result = result.join(dates, how="left")
        return result.reset_index()

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
        """Every fund with allocated, spent and received totals.

        ``money_in_pence`` is the money received (receipts marked received), or the fund's amount when no
        receipt is recorded (a fund paid up front, as the PLF is).
        """
        funds = self.frames.funds.copy()
        lines = self.lines
        per_fund = lines.groupby("fund_id").agg(
            allocated_pence=("allocated_pence", "sum"),
            spent_pence=("spent_pence", "sum"),
            lines=("line_id", "size"),
        )
        receipts = self.frames.receipts
        received = receipts[receipts["status"] == ReceiptStatus.RECEIVED.value].groupby("fund_id")["amount_pence"]
        funds = funds.join(per_fund, on="fund_id").join(received.sum().rename("received_pence"), on="fund_id")
        funds = funds.join(received.size().rename("received_count"), on="fund_id")
        for column in ("allocated_pence", "spent_pence", "lines", "received_pence", "received_count"):
            funds[column] = funds[column].fillna(0).astype("int64")
        funds["money_in_pence"] = funds["received_pence"].where(funds["received_count"] > 0, funds["amount_pence"])
        return funds

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
        """Per line: the whole profile, the profile to date (current quarter pro-rated by days) and what remains."""
        profiles = self.frames.profiles
        lines = self.frames.lines[["line_id"]]
        if profiles.empty:
            empty = lines.assign(profile_pence=0, profile_to_date_pence=0, profile_remaining_pence=0, has_profile=False)
            return empty
        starts, ends = quarter_bounds(profiles["year"], profiles["quarter"])
        passed, total = elapsed_days(starts, ends, self.today)
        amount = profiles["amount_pence"].to_numpy(dtype="int64")
        to_date = (amount * passed + total // 2) // total
        per_entry = pd.DataFrame(
            {"line_id": profiles["line_id"].to_numpy(), "profile_pence": amount, "profile_to_date_pence": to_date}
        )
        per_line = per_entry.groupby("line_id", as_index=False).sum()
        per_line["profile_remaining_pence"] = per_line["profile_pence"] - per_line["profile_to_date_pence"]
        per_line["has_profile"] = True
        result = lines.merge(per_line, on="line_id", how="left")
        for column in ("profile_pence", "profile_to_date_pence", "profile_remaining_pence"):
            result[column] = result[column].fillna(0).astype("int64")
        result["has_profile"] = result["has_profile"].fillna(False).astype("bool")
        return result


def _line_spend(spends: pd.DataFrame, lines: pd.Index) -> pd.DataFrame:
    """``RuleContext.line_spend`` by position in the (unique) line ids: sums with ``np.add.at``, exact in int64."""
    at = lines.get_indexer(pd.Index(spends["line_id"]))
    known = at >= 0
    kind = spends["kind"]
    amount = spends["amount_pence"].to_numpy(dtype="int64")
    result = pd.DataFrame(index=lines)
    for column, value in (
        ("payments_pence", SpendKind.PAYMENT.value),
        ("refunds_pence", SpendKind.REFUND.value),
        ("income_pence", SpendKind.INCOME.value),
    ):
        chosen = known & (kind == value).to_numpy(dtype=bool)
        totals = np.zeros(len(lines), dtype="int64")
        np.add.at(totals, at[chosen], amount[chosen])
        result[column] = totals
    result["spent_pence"] = result["payments_pence"] - result["refunds_pence"]
    paid = known & (kind == SpendKind.PAYMENT.value).to_numpy(dtype=bool)
    for column, source, pick, start in (
        ("first_spend_on", "first_on", np.minimum, np.iinfo("int64").max),
        ("last_spend_on", "last_on", np.maximum, np.iinfo("int64").min),
    ):
        days = spends[source].to_numpy(dtype="datetime64[ns]").view("int64")
        chosen = paid & (days != np.iinfo("int64").min)  # NaT is int64 min: not a date
        found = np.full(len(lines), start, dtype="int64")
        pick.at(found, at[chosen], days[chosen])
        seen = np.zeros(len(lines), dtype=bool)
        seen[at[chosen]] = True
        result[column] = np.where(seen, found, np.iinfo("int64").min).view("datetime64[ns]")
    return result.reset_index()


def lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``table``'s value for each key (missing: NA/NaT), indexed like ``keys``; dates stay dates.

    ``Series.map(series)`` cannot carry a datetime column through an empty mapping; this can.
    """
    return table.reindex(keys.to_numpy()).set_axis(keys.index)
