"""The ``spend_months`` aggregate always equals a fresh GROUP BY of the spends, after every kind of write.

On SQLite and PostgreSQL: the repository's add, bulk insert, update and delete, a rolled-back unit of
work, the spend import (real and dry run), the county generator, the services that record and delete
spend, and two writers on the same line at once. And the frames the checks load from it equal the
frames grouped from the spend rows themselves, for a fund starting mid-month and an as-at date
mid-month.
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from grants.domain.enums import SpendKind
from grants.domain.models import BudgetLine, Fund, Partnership, Spend
from grants.services.county import generate_county
from grants.services.ledger_frames import load_frames
from grants.storage import spend_months
from grants.storage.database import Database
from grants.storage.tables import SpendMonthRow, SpendRow
from grants.storage.unit_of_work import UnitOfWork
from tests.support.frames import aggregate_spends
from tests.support.ops import import_spend

Groups = list[tuple[Any, ...]]


def stored(database: Database) -> Groups:
    with database.engine.connect() as connection:
        rows = connection.execute(select(SpendMonthRow.__table__)).all()
    return sorted(tuple(row) for row in rows)


def fresh(database: Database) -> Groups:
    with database.engine.connect() as connection:
        rows = connection.execute(spend_months.fresh_groups()).all()
    return sorted(
        (r.line_id, _day(r.month), r.kind, r.capital_revenue, r.amount, r.count, _day(r.first_on), _day(r.last_on))
        for r in rows
    )


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def assert_aggregate_is_fresh(database: Database) -> Groups:
    groups = stored(database)
    assert groups == fresh(database)
    return groups


def _ledger(database: Database, *, starts: date = date(2023, 4, 1)) -> tuple[int, int]:
    """A fund (starting on ``starts``) with a revenue line and a capital line; their ids."""
    with UnitOfWork(database, actor="tester") as uow:
        partnership = uow.partnerships.add(Partnership(name="Charnwood CSP"))
        assert partnership.id is not None
        fund = uow.funds.add(
            Fund(
                code="SS",
                name="Safer Streets",
                partnership_id=partnership.id,
                year="2023/24",
                starts=starts,
                ends=date(2024, 3, 31),
                amount=Decimal("100000"),
            )
        )
        assert fund.id is not None
        revenue = uow.lines.add(BudgetLine(fund_id=fund.id, description="Street Pastors", allocated=Decimal("9000")))
        capital = uow.lines.add(
            BudgetLine(
                fund_id=fund.id, description="Alley gates", allocated=Decimal("20000"), capital_revenue="capital"
            )
        )
        uow.commit()
    assert revenue.id is not None and capital.id is not None
    return revenue.id, capital.id


def _spend(line_id: int, day: date, amount: str, kind: SpendKind = SpendKind.PAYMENT, **extra: Any) -> Spend:
    return Spend(line_id=line_id, spent_on=day, amount=Decimal(amount), kind=kind, **extra)


def _stored(line_id: int, day: date, pence: int, kind: str, flag: str | None = None) -> dict[str, Any]:
    """A spend row in stored form, as the bulk insert takes it."""
    return {
        "line_id": line_id,
        "spent_on": day,
        "amount": pence,
        "kind": kind,
        "reference": "",
        "capital_revenue": flag,
        "batch_id": None,
    }


def test_every_repository_write_keeps_the_aggregate_equal_to_a_fresh_group_by(any_database: Database) -> None:
    revenue, capital = _ledger(any_database)
    with UnitOfWork(any_database, actor="tester") as uow:
        first = uow.spends.add(_spend(revenue, date(2023, 5, 3), "100.00"))
        uow.spends.add(_spend(revenue, date(2023, 5, 20), "50.50"))  # same group: sums, counts, widens dates
        uow.spends.add(_spend(revenue, date(2023, 5, 21), "7.25", SpendKind.REFUND))
        uow.spends.add(_spend(revenue, date(2023, 5, 22), "3.00", SpendKind.INCOME))
        uow.spends.add(_spend(capital, date(2023, 5, 22), "900.00", capital_revenue="revenue"))
        last = uow.spends.add(_spend(capital, date(2023, 6, 1), "1000.00", capital_revenue="capital"))
        uow.commit()
    groups = assert_aggregate_is_fresh(any_database)
    assert (revenue, date(2023, 5, 1), "payment", "", 150_50, 2, date(2023, 5, 3), date(2023, 5, 20)) in groups

    with UnitOfWork(any_database, actor="tester") as uow:  # bulk insert (the import's fast path)
        uow.spends.insert_stored(
            [
                _stored(revenue, date(2023, 5, 1), 1, "payment"),
                _stored(capital, date(2023, 7, 31), 2, "refund", "capital"),
            ]
        )
        uow.commit()
    assert_aggregate_is_fresh(any_database)

    assert first.id is not None and last.id is not None
    for changes in (
        {"amount": Decimal("120.00")},  # the sum changes
        {"spent_on": date(2023, 8, 9)},  # moves to another month: both months recomputed
        {"line_id": capital},  # moves to another line
        {"kind": SpendKind.REFUND},  # another group of the same month
        {"capital_revenue": "capital"},
    ):
        with UnitOfWork(any_database, actor="tester") as uow:
            current = uow.spends.get(first.id)
            uow.spends.update(first.id, current.version, **changes)
            uow.commit()
        assert_aggregate_is_fresh(any_database)

    with UnitOfWork(any_database, actor="tester") as uow:
        uow.spends.delete(last.id, None)  # the only spend of its group: the group goes
        uow.commit()
    groups = assert_aggregate_is_fresh(any_database)
    assert not [g for g in groups if g[0] == capital and g[1] == date(2023, 6, 1)]


def test_a_rolled_back_unit_of_work_leaves_the_aggregate_as_it_was(any_database: Database) -> None:
    revenue, capital = _ledger(any_database)
    with UnitOfWork(any_database, actor="tester") as uow:
        kept = uow.spends.add(_spend(revenue, date(2023, 9, 1), "10.00"))
        uow.commit()
    before = assert_aggregate_is_fresh(any_database)
    assert kept.id is not None
    with UnitOfWork(any_database, actor="tester") as uow:  # no commit: everything rolls back
        uow.spends.add(_spend(capital, date(2023, 9, 2), "99.00"))
        uow.spends.insert_stored([_stored(revenue, date(2023, 10, 1), 5, "payment")])
        uow.spends.update(kept.id, None, amount=Decimal("11.00"))
        uow.spends.delete(kept.id, None)
    assert assert_aggregate_is_fresh(any_database) == before
    with pytest.raises(RuntimeError), UnitOfWork(any_database, actor="tester") as uow:  # an error rolls back too
        uow.spends.add(_spend(revenue, date(2023, 9, 3), "1.00"))
        raise RuntimeError("something went wrong after the write")
    assert assert_aggregate_is_fresh(any_database) == before


def test_the_spend_import_and_its_dry_run_keep_the_aggregate(any_database: Database, tmp_path: Path) -> None:
    _ledger(any_database)
    ledger = tmp_path / "spend.csv"
    ledger.write_text(
        "Date,Budget Line,Amount,Reference\n"
        "03/05/2023,Street Pastors,£100.00,INV-1\n"
        "04/05/2023,Street Pastors,-£10.00,CR-1\n"
        '05/06/2023,Alley gates,"£1,250.50",INV-2\n',
        encoding="utf-8",
    )
    options: dict[str, Any] = {"partnership": "Charnwood CSP", "fund_code": "SS", "year": "2023/24", "actor": "t"}
    import_spend(any_database, ledger, dry_run=True, **options)
    assert assert_aggregate_is_fresh(any_database) == []
    import_spend(any_database, ledger, **options)
    assert len(assert_aggregate_is_fresh(any_database)) == 3


def test_the_county_generator_writes_the_aggregate(any_database: Database) -> None:
    generate_county(any_database, spend_rows=3000, partnerships=1, years=2)
    groups = assert_aggregate_is_fresh(any_database)
    assert sum(group[5] for group in groups) == 3000


def test_the_spend_services_keep_the_aggregate(any_database: Database) -> None:
    from grants.domain.enums import Role
    from grants.services import usecase
    from grants.services.access import Principal
    from grants.services.spending import delete_spend, record_spend

    revenue, _ = _ledger(any_database)
    admin = Principal(username="manager", role=Role.MANAGER, all_partnerships=True)
    spend = usecase.perform(
        any_database, admin, record_spend, revenue, spent_on=date(2023, 11, 5), amount=Decimal("40.00")
    )
    assert_aggregate_is_fresh(any_database)
    assert spend.id is not None
    usecase.perform(any_database, admin, delete_spend, spend.id, spend.version)
    assert assert_aggregate_is_fresh(any_database) == []


@pytest.mark.postgres
def test_two_writers_on_one_line_at_once_lose_nothing(pg_database: Database) -> None:
    revenue, _ = _ledger(pg_database)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(offset: int) -> None:
        try:
            start.wait()
            for i in range(15):
                with UnitOfWork(pg_database, actor=f"writer{offset}") as uow:
                    uow.spends.add(_spend(revenue, date(2023, 12, 1 + (i + offset) % 20), f"{offset + 1}.00"))
                    uow.commit()
        except BaseException as exc:  # report in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    groups = assert_aggregate_is_fresh(pg_database)
    assert sum(group[5] for group in groups) == 60


def test_frames_read_from_the_aggregate_equal_frames_grouped_from_every_spend(any_database: Database) -> None:
    """A fund starting mid-month and an as-at date mid-month: the months that straddle them are split exactly."""
    revenue, capital = _ledger(any_database, starts=date(2023, 4, 15))
    with UnitOfWork(any_database, actor="tester") as uow:
        for day, line, amount, kind, flag in (
            (date(2023, 3, 30), revenue, "5.00", SpendKind.PAYMENT, None),  # before the fund, another month
            (date(2023, 4, 3), revenue, "10.00", SpendKind.PAYMENT, None),  # before the fund, same month as start
            (date(2023, 4, 20), revenue, "20.00", SpendKind.PAYMENT, None),
            (date(2023, 4, 21), revenue, "2.00", SpendKind.REFUND, None),
            (date(2023, 4, 22), capital, "30.00", SpendKind.PAYMENT, None),  # the line's flag (capital)
            (date(2023, 4, 23), capital, "40.00", SpendKind.PAYMENT, "capital"),  # same group once merged
            (date(2023, 10, 10), capital, "50.00", SpendKind.PAYMENT, None),
            (date(2023, 10, 20), capital, "60.00", SpendKind.PAYMENT, None),  # after the as-at date
            (date(2024, 4, 2), revenue, "70.00", SpendKind.PAYMENT, None),  # after the fund
        ):
            uow.spends.add(_spend(line, day, amount, kind, **({"capital_revenue": flag} if flag else {})))
        uow.commit()
    for as_at in (date(2023, 10, 15), date(2024, 6, 1), None):
        frames = load_frames(any_database, as_at=as_at)
        with any_database.engine.connect() as connection:
            raw = pd.DataFrame(
                connection.execute(
                    select(
                        SpendRow.line_id,
                        SpendRow.spent_on,
                        SpendRow.amount.label("amount_pence"),
                        SpendRow.kind,
                        SpendRow.capital_revenue,
                    ).where(SpendRow.spent_on <= (as_at or date.max))
                ).all()
            )
        expected = aggregate_spends(raw, frames.lines, frames.funds)
        keys = ["line_id", "kind", "capital_revenue", "month", "position"]
        got = frames.spends.sort_values(keys).reset_index(drop=True)
        want = expected.sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
