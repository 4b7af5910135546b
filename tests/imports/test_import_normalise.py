"""Normalising names and the money round trip."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grants.imports.budget import read_budget_table
from grants.imports.cells import fast_amount, read_money
from grants.imports.normalise import normalise_area, normalise_description


@pytest.mark.parametrize("written", ["Beat 62", "NL62", "62", "nl 62", "beat62", "N62", " Beat  62 ", 62, 62.0])
def test_a_beat_written_any_way_becomes_nl62(written: object) -> None:
    assert normalise_area(written) == "NL62"


def test_several_beats_are_each_normalised() -> None:
    assert normalise_area("Beat 62 / 63") == "NL62, NL63"


@pytest.mark.parametrize("written", ["Loughborough East", "Charnwood-wide", "Bell Foundry estate", ""])
def test_an_area_that_is_not_a_beat_is_kept_as_written(written: str) -> None:
    assert normalise_area(written) == written


@pytest.mark.parametrize("written", ["Go Getta", "Go-Getta", "go  getta", "**Go Getta**", "GO-GETTA.", " Go_Getta "])
def test_go_getta_is_the_same_line_however_it_is_written(written: str) -> None:
    assert normalise_description(written) == "go getta"


def test_an_ampersand_matches_and() -> None:
    assert normalise_description("Health & Wellbeing") == normalise_description("Health and Wellbeing")


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=Decimal("-999999999.99"), max_value=Decimal("999999999.99"), places=2, allow_nan=False))
def test_any_two_place_amount_formatted_as_pounds_parses_back_exactly(amount: Decimal) -> None:
    written = f"£{amount:,.2f}"
    assert read_money(written).amount == amount
    assert read_money(f"{amount:.2f}").amount == amount
    assert fast_amount(f"{amount:.2f}") == amount


def test_the_hypothesis_form_reads_through_a_whole_file(make_csv: Callable[..., Path]) -> None:
    table = read_budget_table(make_csv([["Description", "Allocated"], ["Mediation", f"£{Decimal('1234567.89'):,.2f}"]]))
    assert table.rows[0].allocated == Decimal("1234567.89")
