"""The county generator: deterministic, realistic shapes, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pytest

from grants.domain.errors import GrantsError
from grants.services.county import generate_county
from grants.services.demo import load_demo
from grants.services.fund_figures import fund_summaries, line_balances
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork


def _figures(database: Database) -> list[tuple[str, str, str, str, str]]:
    with UnitOfWork(database) as uow:
        return [(s.partnership, s.fund.code, s.fund.year, str(s.allocated), str(s.spent)) for s in fund_summaries(uow)]


@pytest.mark.postgres
def test_the_same_seed_makes_the_same_county_on_sqlite_and_postgresql(
    database: Database, pg_database: Database
) -> None:
    first = generate_county(database, spend_rows=3000, partnerships=2, years=2)
    second = generate_county(pg_database, spend_rows=3000, partnerships=2, years=2)
    assert first == second
    assert (first.partnerships, first.funds, first.spends, first.outcomes) == (2, 24, 3000, 300)
    assert _figures(database) == _figures(pg_database)


def test_the_county_has_the_shapes_the_rules_must_find(database: Database) -> None:
    generate_county(database, spend_rows=20000, partnerships=2, years=2)
    with UnitOfWork(database) as uow:
        balances = [b for fund in uow.funds.find() for b in line_balances(uow, fund.id or 0)]
    assert any(b.balance < 0 for b in balances), "some lines are overspent"
    assert any(b.spent == 0 for b in balances), "some lines never started"
    assert any(0 < b.spent < b.allocated / 2 for b in balances), "some lines are well behind"
    names = Counter((b.line.fund_id, b.description, b.allocated) for b in balances)
    assert any(count > 1 for count in names.values()), "some lines are duplicated"


def test_the_generator_refuses_a_database_that_has_data(database: Database) -> None:
    load_demo(database)
    with pytest.raises(GrantsError, match="empty database"):
        generate_county(database, spend_rows=10, partnerships=1, years=1)
