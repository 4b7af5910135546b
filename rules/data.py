"""DAT: figures that do not add up, duplicates and stale data (docs/domain.md §4, DAT001–DAT004)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from pydantic import Field

from grants.domain.enums import Severity
from rules.base import RuleParams, found, money_param, nothing, rule
from rules.context import RuleContext, lookup
from rules.text import day, day_series, gbp_series, normalise_text, pounds_to_pence


class BalanceMismatchParams(RuleParams):
    tolerance: Decimal = money_param("0.00", "A difference up to this much is accepted (default: to the penny)")


@rule("DAT001", "balance-mismatch", Severity.ERROR, BalanceMismatchParams)
def balance_mismatch(context: RuleContext, params: BalanceMismatchParams) -> pd.DataFrame:
    """A line's printed balance is not its allocation less its spend, to the penny.

    Why: figures in the papers do not always add up (docs/domain.md §4, DAT001; §6).

    Fails when: a line has a reported balance (as printed in an imported table) that differs from allocated
    − spent in the ledger by more than ``tolerance``.

    Passes when: the printed balance equals allocated − spent, or no balance was printed.

    Parameters: ``tolerance`` (£, default £0.00).

    Severity: error: either the paper or the ledger is wrong, and the figure must not go into a return until
    it is known which.
    """
    lines = context.lines
    printed = lines["reported_balance_pence"]
    lines = lines.assign(
        true_balance=lines["allocated_pence"] - lines["spent_pence"],
        printed=printed,
    )
    known = lines[lines["printed"].notna()].copy()
    known["printed"] = known["printed"].astype("int64")
    known["difference"] = known["printed"] - known["true_balance"]
    rows = known[known["difference"].abs() > pounds_to_pence(params.tolerance)]
    if rows.empty:
        return nothing()
    message = (
        "The printed balance is "
        + gbp_series(rows["printed"])
        + " but allocated "
        + gbp_series(rows["allocated_pence"])
        + " − spent "
        + gbp_series(rows["spent_pence"])
        + " = "
        + gbp_series(rows["true_balance"])
        + " (a difference of "
        + gbp_series(rows["difference"].abs())
        + ")."
    )
    hint = "Check the spend recorded against the line; correct the ledger or the printed table so they agree."
    return found(rows, message, hint)


class DuplicateLineParams(RuleParams):
    min_allocated: Decimal = money_param("0.00", "Lines allocated less than this are not compared")


@rule("DAT002", "duplicate-line", Severity.WARNING, DuplicateLineParams)
def duplicate_line(context: RuleContext, params: DuplicateLineParams) -> pd.DataFrame:
    """Two lines of one fund and year with the same description and the same amount.

    Why: the same row imported twice, or typed twice, double-counts the allocation (docs/domain.md §4, DAT002).

    Fails when: two or more lines of a fund have the same normalised description (case, punctuation and
    spacing ignored: "Go-Getta" = "go getta") and the same allocation of at least ``min_allocated``; every
    line after the first (by id) gets a finding.

    Passes when: the descriptions or the amounts differ.

    Parameters: ``min_allocated`` (£, default £0.00).

    Severity: warning: two identical lines can be real (two grants to one project); check and merge if not.
    """
    lines = context.lines
    lines = lines[lines["allocated_pence"] >= pounds_to_pence(params.min_allocated)]
    lines = lines.assign(key=normalise_text(lines["description"])).sort_values("line_id")
    group = lines.groupby(["fund_id", "key", "allocated_pence"])
    lines = lines.assign(copies=group["line_id"].transform("size"), first_id=group["line_id"].transform("min"))
    rows = lines[(lines["copies"] > 1) & (lines["line_id"] != lines["first_id"])]
    if rows.empty:
        return nothing()
    copy_number = rows.groupby(["fund_id", "key", "allocated_pence"]).cumcount() + 2
    message = (
        "'"
        + rows["description"]
        + "' with "
        + gbp_series(rows["allocated_pence"])
        + " allocated appears "
        + rows["copies"].astype("str")
        + " times in this fund; this is copy "
        + copy_number.astype("str")
        + "."
    )
    hint = "If the table was imported twice or the line typed twice, delete the copy; otherwise rename one line."
    return found(rows, message, hint)


class TotalsMismatchParams(RuleParams):
    tolerance: Decimal = money_param("0.00", "A difference up to this much is accepted")


_TOTALS = (
    ("printed_allocated_pence", "row_allocated", "allocated"),
    ("printed_spent_pence", "row_spent", "spent"),
    ("printed_balance_pence", "row_balance", "balance"),
)


@rule("DAT003", "totals-mismatch", Severity.WARNING, TotalsMismatchParams)
def totals_mismatch(context: RuleContext, params: TotalsMismatchParams) -> pd.DataFrame:
    """An imported table's printed total is not the sum of its rows.

    Why: printed budget tables end with a Total row that does not always add up (docs/domain.md §4, DAT003; §6).

    Fails when: the table's printed total allocated (or spent, or balance) differs by more than
    ``tolerance`` from the sum of the table's own printed rows, as read when it was imported. Later changes
    to the ledger (a virement, an edited allocation, lines another table added) do not change what the
    table printed, so they do not make its total wrong. For a table imported before its row sums were
    kept, its rows are the fund's lines imported from that file (sources "FILE row N"), or all the fund's
    lines when none is; balance and spent totals are then compared only when every row printed a balance.

    Passes when: every printed total equals the sum of its printed rows.

    Parameters: ``tolerance`` (£, default £0.00).

    Severity: warning: the printed paper is wrong, not the ledger (which DAT001 checks line by line).
    """
    tables = context.frames.imported_tables
    if tables.empty:
        return nothing()
    sums = _legacy_row_sums(context, tables)
    kept = tables["rows_allocated_pence"].notna()
    tables = tables.join(sums, on="table_id")
    for kept_column, sum_column in (
        ("rows_allocated_pence", "row_allocated"),
        ("rows_spent_pence", "row_spent"),
        ("rows_balance_pence", "row_balance"),
    ):
        tables[sum_column] = tables[kept_column].where(kept, tables[sum_column].astype("Int64"))
    tables["rows_counted"] = tables["rows"].where(kept, tables["rows_counted"].fillna(0).astype("int64"))
    tolerance = pounds_to_pence(params.tolerance)
    results = []
    for printed_column, sum_column, label in _TOTALS:
        printed = tables[printed_column]
        summed = tables[sum_column]
        compared = printed.notna() & summed.notna()
        difference = (printed.astype("Int64") - summed.astype("Int64")).abs()
        rows = tables[compared & (difference > tolerance)].copy()
        if rows.empty:
            continue
        rows["printed"] = rows[printed_column].astype("int64")
        rows["summed"] = rows[sum_column].astype("int64")
        count = rows["rows_counted"].astype("int64")
        message = (
            "'"
            + rows["source"]
            + f"' prints a total {label} of "
            + gbp_series(rows["printed"])
            + " but its "
            + count.astype("str")
            + pd.Series([" row adds" if n == 1 else " rows add" for n in count], index=rows.index, dtype="str")
            + " up to "
            + gbp_series(rows["summed"])
            + " (a difference of "
            + gbp_series((rows["printed"] - rows["summed"]).abs())
            + ")."
        )
        hint = "Tell the author of the table; use the sum of the rows, which the ledger holds."
        results.append(found(rows, message, hint, per_line=False))
    return pd.concat(results, ignore_index=True) if results else nothing()


def _legacy_row_sums(context: RuleContext, tables: pd.DataFrame) -> pd.DataFrame:
    """Row sums for tables imported before their own row sums were kept: from the fund's lines."""
    lines = context.frames.lines[["line_id", "fund_id", "source", "allocated_pence", "reported_balance_pence"]]
    pairs = tables[["table_id", "fund_id", "source"]].merge(lines, on="fund_id", how="left", suffixes=("", "_line"))
    pairs["from_table"] = [
        isinstance(line_source, str) and bool(source) and line_source.startswith(source + " row ")
        for source, line_source in zip(pairs["source"], pairs["source_line"], strict=True)
    ]
    any_match = pairs.groupby("table_id")["from_table"].transform("any")
    pairs = pairs[pairs["from_table"] | ~any_match]
    pairs = pairs.assign(
        row_spent=pairs["allocated_pence"] - pairs["reported_balance_pence"], has_line=pairs["line_id"].notna()
    )
    sums = pairs.groupby("table_id").agg(
        row_allocated=("allocated_pence", "sum"),
        row_balance=("reported_balance_pence", "sum"),
        row_spent=("row_spent", "sum"),
        rows_counted=("has_line", "sum"),
        balances=("reported_balance_pence", "count"),
    )
    complete = sums["balances"] == sums["rows_counted"]
    sums.loc[~complete, ["row_balance", "row_spent"]] = pd.NA
    return sums[["row_allocated", "row_balance", "row_spent", "rows_counted"]]


class StaleDataParams(RuleParams):
    max_age_days: int = Field(default=90, ge=1, le=3650, description="Figures older than this many days are stale")


@rule("DAT004", "stale-data", Severity.WARNING, StaleDataParams)
def stale_data(context: RuleContext, params: StaleDataParams) -> pd.DataFrame:
    """A running fund's newest figures are older than N days at the as-at date.

    Why: meetings were moved "due to data availability issues"; a report built on old figures misleads
    (docs/domain.md §4, DAT004).

    Fails when: the fund is running at the as-at date and its newest spend, receipt or outcome update (or,
    with none, its start date) is more than ``max_age_days`` before the as-at date.

    Passes when: something was recorded within ``max_age_days``, or the fund is not running.

    Parameters: ``max_age_days`` (1–3650, default 90).

    Severity: warning.
    """
    funds = context.frames.funds
    if funds.empty:
        return nothing()
    line_fund = context.frames.lines.set_index("line_id")["fund_id"]
    spends = context.frames.spends
    newest_spend = spends.groupby(spends["line_id"].map(line_fund))["last_on"].max()
    receipts = context.frames.receipts
    newest_receipt = receipts.groupby("fund_id")["received_on"].max()
    outcomes = context.frames.outcomes
    newest_outcome = outcomes.groupby(outcomes["line_id"].map(line_fund))["reported_on"].max()
    newest = pd.concat(
        [
            lookup(funds["fund_id"], newest_spend),
            lookup(funds["fund_id"], newest_receipt),
            lookup(funds["fund_id"], newest_outcome),
        ],
        axis=1,
    ).max(axis=1)
    recorded = newest.notna()
    funds = funds.assign(newest=newest.fillna(funds["starts"]))
    funds = funds.assign(age=(context.today - funds["newest"]).dt.days)
    running = (funds["starts"] <= context.today) & (context.today <= funds["ends"])
    mask = running & (funds["age"] > params.max_age_days)
    rows = funds[mask]
    if rows.empty:
        return nothing()
    what = pd.Series(
        [
            "The newest spend, receipt or outcome is dated " if has else "Nothing recorded since the fund started on "
            for has in recorded[mask]
        ],
        index=rows.index,
        dtype="str",
    )
    message = (
        what
        + day_series(rows["newest"])
        + ", "
        + rows["age"].astype("str")
        + f" days before {day(context.as_at)} (more than {params.max_age_days})."
    )
    hint = "Bring the spend and outcome records up to date before reporting."
    return found(rows, message, hint, per_line=False)


RULES = (balance_mismatch, duplicate_line, totals_mismatch, stale_data)
