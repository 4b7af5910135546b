"""A small county gives the same findings on SQLite and on PostgreSQL (the benchmark runs on both)."""

from __future__ import annotations

from datetime import date

import pytest

from grants.services.county import generate_county
from grants.storage.database import Database
from tests.support.ops import run_checks


@pytest.mark.postgres
def test_the_same_county_gives_the_same_findings_on_sqlite_and_postgresql(
    database: Database, pg_database: Database
) -> None:
    for db in (database, pg_database):
        generate_county(db, spend_rows=4000, partnerships=2, years=3)
    checked = 0
    for as_at in (date(2017, 10, 26), date(2018, 2, 14), date(2019, 1, 31)):
        on_sqlite = [f.model_dump() for f in run_checks(database, as_at=as_at)]
        on_postgres = [f.model_dump() for f in run_checks(pg_database, as_at=as_at)]
        assert on_sqlite == on_postgres
        checked += len(on_sqlite)
    partnership = [f.model_dump() for f in run_checks(database, partnership="Charnwood CSP", as_at=date(2018, 2, 14))]
    assert partnership == [
        f.model_dump() for f in run_checks(pg_database, partnership="charnwood csp", as_at=date(2018, 2, 14))
    ]
    assert checked > 100
