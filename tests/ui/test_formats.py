"""The app's edge formatting: UK money and dates, exact pounds from widgets, Markdown shown as written."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from grants.ui import common


def test_money_and_dates_are_written_the_uk_way() -> None:
    assert common.gbp(Decimal("12345")) == "£12,345.00"
    assert common.gbp(Decimal("-250.5")) == "-£250.50"
    assert common.gbp(None) == ""
    assert common.uk_date(date(2017, 10, 26)) == "26/10/2017"
    assert common.uk_datetime(datetime(2026, 11, 22, 9, 5)) == "22/11/2026 09:05"


def test_a_number_from_a_widget_becomes_exact_pounds_and_pence() -> None:
    assert common.to_money(0.1 + 0.2) == Decimal("0.30")
    assert common.to_money(1234.56) == Decimal("1234.56")
    assert common.to_money(None) == Decimal("0.00")


def test_ledger_text_is_shown_as_written_not_as_markdown() -> None:
    def shown(text: str) -> str:
        return common.md(text).replace("\u2060", "")

    assert shown("Fish & Chips <Ltd>") == r"Fish \& Chips \<Ltd\>"
    assert shown("*Urgent* [site](http://x) :red[x] $5") == r"\*Urgent\* \[site\]\(http\://x\) \:red\[x\] \$5"
    assert shown("Go-Getta_2") == r"Go\-Getta\_2"


def test_rag_labels_become_coloured_pills() -> None:
    table, config = common.pills(pd.DataFrame({"RAG": ["Red", "Green", ""]}), "RAG")
    assert table["RAG"].tolist() == [["Red"], ["Green"], []]
    assert set(config) == {"RAG"}


def test_every_money_column_shows_pounds_and_pence_and_a_negative_reads_minus_pounds() -> None:
    config = common.money_columns("Spent", signed=("Balance",))
    assert config["Spent"]["type_config"]["format"] == "£%,.2f"
    assert config["Balance"].get("label") is None, "no 'Balance (£)' heading over bare figures"
    assert config["Balance"]["alignment"] == "right"
    assert common.signed_money(Decimal("-250")) == "-£250.00"
    assert common.signed_money(Decimal("4800")) == "£4,800.00"
    assert common.signed_money(None) is None


def test_a_column_is_wide_enough_for_its_longest_text() -> None:
    assert common.fit_width(["SS · Safer Streets (illustrative round)"], heading="Fund") >= 39 * 7
    assert common.fit_width(["bid approved"], heading="Status") >= 12 * 7
    assert common.fit_width(["x" * 500]) == 560
