"""The ledger's figures, computed in one place: for every line and every fund, as at a date.

Everything that shows money — the rules, the Overview, Compliance, the budget pack, the OPCC return, the
county view and 360Giving — reads these two frames, so a figure means one thing everywhere and the same
figure agrees to the penny wherever it is printed. Money is in pence (int64), never floats.

The input is the ledger as it stood at the end of the as-at date D (``grants.services.ledger_frames``:
lines and profiles as then agreed, spend, receipts and virements dated by D). Definitions:

Per line
- **allocated**: the line's allocation as at D; **approved**: the allocation when the line's approval
  (approver and date) stands at D, else 0.
- **spent** = payments − refunds dated by D (:func:`net_pence` is the one place spend is netted). **income**
  (e.g. bike locks sold) is kept apart, never netted off spend. **balance** = allocated − spent.
- **profile to date**: every quarter ended by D in full, plus the current quarter pro-rated by the days
  passed (rounded half up to the penny); **remaining profile** = profile total − profile to date.
- **variance** = spent − profile to date (negative is behind).
- **committed** = on an approved line, allocated − spent, never below zero; an unapproved line is
  allocated but not committed.
- **forecast outturn** = spent + remaining profile; a line with no profile is forecast to spend its
  allocation (or what it has spent, if more). A running period forecasts the rest of its profile: an
  unfinished period is never treated as ended.
- **against profile** (the RAG of the return and the pack): Red when spent beyond the allocation, or
  behind the profile to date by more than :data:`RED_BEHIND` of it; Amber when behind by more than
  :data:`AMBER_BEHIND`; Green otherwise; "No profile" for a line with money and no profile. PRF001
  reports exactly the lines whose shortfall rates Amber or Red (:func:`behind_rating`).

Per fund (sums of its lines, plus its receipts)
- **received**: receipts marked received by D; **funding**: the award, or the receipts (received and
  expected) if they total more; **still expected** = funding − received, never below zero, for a fund
  whose receipts are recorded (a fund with none recorded is taken as paid up front: nothing expected);
  **money in**: the money received, or the award when no receipt is recorded (a fund paid up front);
  **unallocated** = funding − allocated; **projected underspend** = funding − forecast outturn.

"Against profile" is one idea; the worst finding on a fund (an error, a warning) is another, and is
called the fund's *worst finding*, never its RAG.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from grants.domain.enums import ReceiptStatus, SpendKind

AMBER_BEHIND = Decimal("0.10")  # behind the profile to date by more than this share: amber
RED_BEHIND = Decimal("0.25")  # ... by more than this share: red
GREEN, AMBER, RED, NO_PROFILE = "Green", "Amber", "Red", "No profile"

_INT = "int64"
_NAT = np.iinfo("int64").min


SIGN = {SpendKind.PAYMENT.value: 1, SpendKind.REFUND.value: -1, SpendKind.INCOME.value: 0}
"""What a spend of each kind does to "spent": a payment adds, a refund subtracts, income adds nothing."""


def net_pence(kind: pd.Series, amount: pd.Series) -> np.ndarray:
    """What each spend adds to "spent", in pence (:data:`SIGN`)."""
    sign = kind.map(SIGN).fillna(0).to_numpy(dtype="int64")
    return amount.to_numpy(dtype="int64") * sign


def net(kind: SpendKind | str, amount: Decimal) -> Decimal:
    """What one spend adds to "spent", in pounds (:data:`SIGN`)."""
    return amount * SIGN.get(getattr(kind, "value", kind), 0)


# -- quarters and the profile to date ---------------------------------------------------------------
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


def profile_to_date_pence(profiles: pd.DataFrame, as_at: date) -> np.ndarray:
    """Each profile quarter's amount due by the end of ``as_at``: all of it once ended, the current one
    pro-rated by days (half a penny rounds up), nothing before it starts."""
    if profiles.empty:
        return np.zeros(0, dtype="int64")
    starts, ends = quarter_bounds(profiles["year"], profiles["quarter"])
    passed, total = elapsed_days(starts, ends, pd.Timestamp(as_at))
    amount = profiles["amount_pence"].to_numpy(dtype="int64")
    # round half up for either sign: floor((2·a·p + t) / 2t)
    return np.floor_divide(2 * amount * passed + total, 2 * total)


# -- ratings ----------------------------------------------------------------------------------------
def behind_share(spent: pd.Series, profile_to_date: pd.Series) -> pd.Series:
    """How far behind the profile to date each line is, as a share of it (NaN when nothing is due yet)."""
    due = profile_to_date.where(profile_to_date > 0)
    return (profile_to_date - spent) / due


def behind_rating(
    share: pd.Series, *, amber: Decimal | float = AMBER_BEHIND, red: Decimal | float = RED_BEHIND
) -> pd.Series:
    """Green, Amber or Red for a shortfall share (NaN: nothing due, Green)."""
    values = share.to_numpy(dtype="float64")
    rating = np.where(values > float(red), RED, np.where(values > float(amber), AMBER, GREEN))
    return pd.Series(rating, index=share.index, dtype="str")


# -- lines ------------------------------------------------------------------------------------------
def line_spend(spends: pd.DataFrame, line_ids: pd.Index) -> pd.DataFrame:
    """Per line: payments, refunds, income and spent (net) in pence, and the first and last payment date.

    ``spends`` has the columns of the ``spends`` frame (``line_id``, ``kind``, ``amount_pence``,
    ``first_on``, ``last_on``); sums are exact in int64. Line ids need not be unique (test ledgers).
    """
    unique = pd.Index(pd.unique(line_ids.to_numpy()), name="line_id")
    at = unique.get_indexer(pd.Index(spends["line_id"]))
    known = at >= 0
    kind = spends["kind"].to_numpy(dtype=object)
    amount = spends["amount_pence"].to_numpy(dtype="int64")
    net = net_pence(spends["kind"], spends["amount_pence"])
    result = pd.DataFrame(index=unique)
    for column, values, chosen in (
        ("payments_pence", amount, known & (kind == SpendKind.PAYMENT.value)),
        ("refunds_pence", amount, known & (kind == SpendKind.REFUND.value)),
        ("income_pence", amount, known & (kind == SpendKind.INCOME.value)),
        ("spent_pence", net, known),
    ):
        totals = np.zeros(len(unique), dtype="int64")
        np.add.at(totals, at[chosen], values[chosen])
        result[column] = totals
    paid = known & (kind == SpendKind.PAYMENT.value)
    for column, source, pick, start in (
        ("first_spend_on", "first_on", np.minimum, np.iinfo("int64").max),
        ("last_spend_on", "last_on", np.maximum, _NAT),
    ):
        days = spends[source].to_numpy(dtype="datetime64[ns]").view("int64")
        chosen = paid & (days != _NAT)
        found = np.full(len(unique), start, dtype="int64")
        pick.at(found, at[chosen], days[chosen])
        seen = np.zeros(len(unique), dtype=bool)
        seen[at[chosen]] = True
        result[column] = np.where(seen, found, _NAT).view("datetime64[ns]")
    return result.reset_index()


def line_profile(profiles: pd.DataFrame, line_ids: pd.Index, as_at: date) -> pd.DataFrame:
    """Per line: the whole profile, the profile to date, what remains, and whether it has a profile."""
    lines = pd.DataFrame({"line_id": pd.unique(line_ids.to_numpy())})
    if profiles.empty:
        return lines.assign(profile_pence=0, profile_to_date_pence=0, profile_remaining_pence=0, has_profile=False)
    per_entry = pd.DataFrame(
        {
            "line_id": profiles["line_id"].to_numpy(),
            "profile_pence": profiles["amount_pence"].to_numpy(dtype="int64"),
            "profile_to_date_pence": profile_to_date_pence(profiles, as_at),
        }
    )
    per_line = per_entry.groupby("line_id", as_index=False).sum()
    per_line["profile_remaining_pence"] = per_line["profile_pence"] - per_line["profile_to_date_pence"]
    per_line["has_profile"] = True
    result = lines.merge(per_line, on="line_id", how="left")
    for column in ("profile_pence", "profile_to_date_pence", "profile_remaining_pence"):
        result[column] = result[column].fillna(0).astype("int64")
    result["has_profile"] = result["has_profile"].astype("boolean").fillna(False).astype("bool")
    return result


def line_figures(lines: pd.DataFrame, spends: pd.DataFrame, profiles: pd.DataFrame, as_at: date) -> pd.DataFrame:
    """Every line's figures as at ``as_at`` (see the module's definitions), one row per line, in line order.

    ``lines`` needs ``line_id``, ``fund_id``, ``allocated_pence``, ``approved_by`` and ``approved_on``.
    """
    ids = pd.Index(lines["line_id"])
    result = lines[["line_id", "fund_id", "allocated_pence"]].copy()
    result["allocated_pence"] = result["allocated_pence"].astype("int64")
    approved = (lines["approved_by"].fillna("").astype("str").str.strip() != "") & lines["approved_on"].notna()
    result["approved"] = approved.to_numpy(dtype=bool)
    result["approved_pence"] = np.where(result["approved"], result["allocated_pence"], 0).astype("int64")
    result = result.merge(line_spend(spends, ids), on="line_id", how="left")
    result = result.merge(line_profile(profiles, ids, as_at), on="line_id", how="left")
    allocated, spent = result["allocated_pence"], result["spent_pence"]
    result["balance_pence"] = allocated - spent
    result["variance_pence"] = spent - result["profile_to_date_pence"]
    result["committed_pence"] = np.where(result["approved"], np.maximum(result["balance_pence"], 0), 0).astype("int64")
    result["forecast_pence"] = np.where(
        result["has_profile"], spent + result["profile_remaining_pence"], np.maximum(allocated, spent)
    ).astype("int64")
    result["behind_share"] = behind_share(spent, result["profile_to_date_pence"])
    result["status"] = against_profile(
        allocated=allocated,
        spent=spent,
        has_profile=result["has_profile"],
        rating=behind_rating(result["behind_share"]),
    )
    return result


def against_profile(*, allocated: pd.Series, spent: pd.Series, has_profile: pd.Series, rating: pd.Series) -> pd.Series:
    """Spend against profile, as a word: Red when overspent, "No profile" for money with no profile (Green
    for no money), else the shortfall's rating."""
    status = np.where(
        spent > allocated,
        RED,
        np.where(~has_profile.to_numpy(dtype=bool), np.where(allocated > 0, NO_PROFILE, GREEN), rating),
    )
    return pd.Series(status, index=allocated.index, dtype="str")


# -- funds ------------------------------------------------------------------------------------------
_SUMMED = (
    "allocated_pence",
    "approved_pence",
    "spent_pence",
    "payments_pence",
    "refunds_pence",
    "income_pence",
    "balance_pence",
    "committed_pence",
    "profile_pence",
    "profile_to_date_pence",
    "profile_remaining_pence",
    "variance_pence",
    "forecast_pence",
)


def fund_figures(funds: pd.DataFrame, lines: pd.DataFrame, receipts: pd.DataFrame) -> pd.DataFrame:
    """Every fund's figures: its lines' sums (``lines`` from :func:`line_figures`) and its receipts.

    ``funds`` needs ``fund_id`` and ``amount_pence``; ``receipts`` (those dated by the as-at date) needs
    ``fund_id``, ``amount_pence`` and ``status``.
    """
    result = funds.copy()
    per_fund = lines.groupby("fund_id")[list(_SUMMED)].sum()
    per_fund["lines"] = lines.groupby("fund_id").size()
    per_fund["has_profile"] = lines.groupby("fund_id")["has_profile"].any()
    result = result.join(per_fund, on="fund_id")
    is_received = receipts["status"] == ReceiptStatus.RECEIVED.value
    received = receipts[is_received].groupby("fund_id")["amount_pence"]
    result = result.join(received.sum().rename("received_pence"), on="fund_id")
    result = result.join(received.size().rename("received_count"), on="fund_id")
    every = receipts.groupby("fund_id")["amount_pence"]
    result = result.join(every.sum().rename("receipts_pence"), on="fund_id")
    result = result.join(every.size().rename("receipts_count"), on="fund_id")
    for column in (*_SUMMED, "lines", "received_pence", "received_count", "receipts_pence", "receipts_count"):
        result[column] = result[column].fillna(0).astype("int64")
    result["has_profile"] = result["has_profile"].astype("boolean").fillna(False).astype("bool")
    amount = result["amount_pence"].astype("int64")
    result["funding_pence"] = np.maximum(amount, result["receipts_pence"])
    owed = np.maximum(result["funding_pence"] - result["received_pence"], 0)
    result["still_expected_pence"] = np.where(result["receipts_count"] > 0, owed, 0)
    result["money_in_pence"] = result["received_pence"].where(result["received_count"] > 0, amount)
    result["unallocated_pence"] = result["funding_pence"] - result["allocated_pence"]
    result["projected_underspend_pence"] = result["funding_pence"] - result["forecast_pence"]
    result["behind_share"] = behind_share(result["spent_pence"], result["profile_to_date_pence"])
    result["status"] = against_profile(
        allocated=result["allocated_pence"],
        spent=result["spent_pence"],
        has_profile=result["has_profile"],
        rating=behind_rating(result["behind_share"]),
    )
    return result


@dataclass(frozen=True, eq=False)
class Figures:
    """The lines' and the funds' figures as at one date."""

    as_at: date
    lines: pd.DataFrame
    funds: pd.DataFrame


def compute(
    *,
    funds: pd.DataFrame,
    lines: pd.DataFrame,
    spends: pd.DataFrame,
    profiles: pd.DataFrame,
    receipts: pd.DataFrame,
    as_at: date,
) -> Figures:
    """The figures of these frames (the ledger as at ``as_at``)."""
    per_line = line_figures(lines, spends, profiles, as_at)
    return Figures(as_at=as_at, lines=per_line, funds=fund_figures(funds, per_line, receipts))
