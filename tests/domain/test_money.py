from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.domain.errors import InvalidMoney
from grants.domain.money import format_gbp, from_pence, parse_money, plain, to_pence


@pytest.mark.parametrize(
    ("text", "amount", "approximate"),
    [
        ("£75,500.00", "75500.00", False),
        ("£1,500", "1500.00", False),
        ("0", "0.00", False),
        ("£7, 200", "7200.00", False),
        ("£1180.44", "1180.44", False),
        ("circa £34K", "34000.00", True),
        ("£40k", "40000.00", False),
        ("£15,000 approx", "15000.00", True),
        ("-£250", "-250.00", False),
        ("(250.00)", "-250.00", False),
        (1500, "1500.00", False),
        (1180.44, "1180.44", False),
        (Decimal("783"), "783.00", False),
    ],
)
def test_every_money_form_in_the_papers_parses_exactly(text: object, amount: str, approximate: bool) -> None:
    parsed = parse_money(text)
    assert parsed.amount == Decimal(amount)
    assert parsed.approximate is approximate


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("£1,5OO", "not an amount"),
        ("£10.005", "fraction of a penny"),
        ("£5,000 12", "page number"),
        ("", "blank"),
        ("Page 3", "not an amount"),
        ("£1e9", "not an amount"),
    ],
)
def test_text_that_is_not_money_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidMoney, match=reason):
        parse_money(text)


def test_uk_format_has_pound_sign_commas_and_pence() -> None:
    assert format_gbp(Decimal("75500")) == "£75,500.00"
    assert format_gbp(Decimal("-1500.5")) == "-£1,500.50"
    assert plain(Decimal("1500")) == "1500.00"


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_pence_round_trip_is_exact(pence: int) -> None:
    assert to_pence(from_pence(pence)) == pence


@given(st.decimals(min_value=Decimal("-9999999999.99"), max_value=Decimal("9999999999.99"), places=2))
def test_formatted_amounts_parse_back_to_the_same_value(amount: Decimal) -> None:
    assert parse_money(format_gbp(amount)).amount == amount
