from datetime import date

import pytest

from grants.domain.calendar import FinancialYear, parse_date, parse_period, quarter_of
from grants.domain.errors import InvalidDate, InvalidPeriod


def test_a_financial_year_runs_from_1_april_to_31_march() -> None:
    year = FinancialYear.parse("2023/24")
    assert (year.start, year.end, year.label) == (date(2023, 4, 1), date(2024, 3, 31), "2023/24")


@pytest.mark.parametrize("text", ["2023/24", "2023-24", "2023/2024", "FY2023/24"])
def test_year_labels_in_every_common_form_mean_the_same_year(text: str) -> None:
    assert FinancialYear.parse(text) == FinancialYear(2023)


@pytest.mark.parametrize("text", ["2023/25", "23/24", "2023", "next year"])
def test_a_year_label_that_is_not_a_financial_year_is_refused(text: str) -> None:
    with pytest.raises(InvalidPeriod):
        FinancialYear.parse(text)


def test_quarters_and_halves_follow_the_public_sector_calendar() -> None:
    year = FinancialYear(2023)
    assert [(q.start, q.end) for q in (year.quarter(n) for n in (1, 2, 3, 4))] == [
        (date(2023, 4, 1), date(2023, 6, 30)),
        (date(2023, 7, 1), date(2023, 9, 30)),
        (date(2023, 10, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 3, 31)),
    ]
    assert (year.half(1).start, year.half(1).end) == (date(2023, 4, 1), date(2023, 9, 30))
    assert (year.half(2).start, year.half(2).end) == (date(2023, 10, 1), date(2024, 3, 31))
    assert parse_period("2023/24 H2") == year.half(2)


def test_a_date_knows_its_financial_year_and_quarter() -> None:
    assert quarter_of(date(2024, 2, 29)) == (FinancialYear(2023), 4)
    assert quarter_of(date(2017, 10, 26)) == (FinancialYear(2017), 3)


def test_the_current_quarter_is_pro_rated_by_days() -> None:
    q1 = FinancialYear(2023).quarter(1)
    assert q1.elapsed_fraction(date(2023, 4, 1)) == pytest.approx(1 / 91)
    assert q1.elapsed_fraction(date(2023, 3, 31)) == 0.0
    assert q1.elapsed_fraction(date(2023, 7, 1)) == 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12102023", date(2023, 10, 12)),
        ("260123", date(2023, 1, 26)),
        ("12/12/23", date(2023, 12, 12)),
        ("22nd December 2023", date(2023, 12, 22)),
        ("1st Oct 2023", date(2023, 10, 1)),
        ("26/10/2017", date(2017, 10, 26)),
        ("2023-12-22", date(2023, 12, 22)),
        (45282, date(2023, 12, 22)),
    ],
)
def test_every_date_form_in_the_papers_reads_day_first(text: object, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2023", "32122023", "yesterday", "", "13/13/13"])
def test_an_impossible_date_is_refused(text: str) -> None:
    with pytest.raises(InvalidDate):
        parse_date(text)
