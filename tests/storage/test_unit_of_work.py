"""The unit of work, optimistic concurrency and the audit log, on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from grants.domain.errors import Conflict
from grants.domain.models import BudgetLine, Fund, Partnership
from grants.storage.database import Database
from grants.storage.tables import Base
from grants.storage.unit_of_work import UnitOfWork


def _fund(uow: UnitOfWork) -> Fund:
    partnership = uow.partnerships.add(Partnership(name="Charnwood"))
    assert partnership.id is not None
    return uow.funds.add(
        Fund(
            code="PLF",
            name="Partnership Locality Fund",
            partnership_id=partnership.id,
            year="2017/18",
            starts=date(2017, 4, 1),
            ends=date(2018, 3, 31),
            amount=Decimal("75500"),
        )
    )


def _line(database: Database) -> BudgetLine:
    with UnitOfWork(database, actor="manager") as uow:
        fund = _fund(uow)
        assert fund.id is not None
        line = uow.lines.add(BudgetLine(fund_id=fund.id, description="Mediation", allocated=Decimal("5000")))
        uow.commit()
    return line


def test_a_unit_of_work_rolls_back_unless_committed(any_database: Database) -> None:
    with UnitOfWork(any_database) as uow:
        _fund(uow)
    with UnitOfWork(any_database) as uow:
        assert uow.partnerships.count() == 0
        assert uow.audit.events() == []


def test_a_unit_of_work_rolls_back_on_error(any_database: Database) -> None:
    with pytest.raises(RuntimeError), UnitOfWork(any_database) as uow:
        _fund(uow)
        raise RuntimeError("boom")
    with UnitOfWork(any_database) as uow:
        assert uow.funds.count() == 0


def test_committed_work_is_kept_with_its_audit_events(any_database: Database) -> None:
    line = _line(any_database)
    with UnitOfWork(any_database) as uow:
        stored = uow.lines.get(line.id or 0)
        events = uow.audit.events(entity="budget_lines")
    assert stored.allocated == Decimal("5000.00")
    assert [(e.action, e.actor, e.after and e.after["allocated"]) for e in events] == [("create", "manager", "5000.00")]


def test_an_update_records_before_and_after_in_the_audit_log(any_database: Database) -> None:
    line = _line(any_database)
    with UnitOfWork(any_database, actor="jane") as uow:
        uow.lines.update(line.id or 0, line.version, allocated=Decimal("4500.50"))
        uow.commit()
    with UnitOfWork(any_database) as uow:
        event = uow.audit.events(entity="budget_lines", entity_id=line.id)[0]
        assert uow.lines.get(line.id or 0).version == 2
    assert (event.action, event.actor, event.before, event.after) == (
        "update",
        "jane",
        {"allocated": "5000.00"},
        {"allocated": "4500.50"},
    )


def test_a_second_writer_of_a_stale_line_gets_a_conflict_not_an_overwrite(any_database: Database) -> None:
    line = _line(any_database)
    with UnitOfWork(any_database, actor="first") as uow:
        uow.lines.update(line.id or 0, line.version, allocated=Decimal("6000"))
        uow.commit()
    with pytest.raises(Conflict, match="changed by someone else"), UnitOfWork(any_database, actor="second") as uow:
        uow.lines.update(line.id or 0, line.version, allocated=Decimal("7000"))
        uow.commit()
    with UnitOfWork(any_database) as uow:
        assert uow.lines.get(line.id or 0).allocated == Decimal("6000.00")


def test_two_open_transactions_racing_on_one_line_cannot_both_win(any_database: Database) -> None:
    line = _line(any_database)
    with UnitOfWork(any_database, actor="second") as second:
        seen = second.lines.get(line.id or 0)  # the second writer reads first...
        with UnitOfWork(any_database, actor="first") as first:  # ...then the first writer commits
            first.lines.update(line.id or 0, line.version, allocated=Decimal("6000"))
            first.commit()
        with pytest.raises(Conflict):
            second.lines.update(line.id or 0, seen.version, allocated=Decimal("7000"))
    with UnitOfWork(any_database) as uow:
        assert uow.lines.get(line.id or 0).allocated == Decimal("6000.00")


def test_the_migrations_build_exactly_the_schema_the_code_declares(any_database: Database) -> None:
    with any_database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrating_twice_changes_nothing(database: Database) -> None:
    database.migrate()
    database.migrate()
    assert database.is_empty()
