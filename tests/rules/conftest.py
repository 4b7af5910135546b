"""Helpers for the rules' tests: store a ``LedgerBuilder`` ledger in a real database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from grants.domain import models
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.ledger import LedgerBuilder


def store(database: Database, ledger: LedgerBuilder) -> dict[int, int]:
    """Write every record of ``ledger`` through the repositories; returns builder id → stored id."""
    ids: dict[int, int] = {}

    def add(repository: Any, item: models.Entity, **links: str) -> None:
        changes: dict[str, Any] = {"id": None, "version": None}
        for field in links:
            value = getattr(item, field)
            changes[field] = ids[value] if value is not None else None
        stored = repository.add(type(item).model_validate({**dict(item), **changes}))
        assert item.id is not None
        ids[item.id] = stored.id

    earliest = min((fund.starts for fund in ledger.funds), default=date(2000, 1, 1))
    # The builder's ledger has no dates of record: every line and profile counts from the first fund's start.
    with UnitOfWork(database, actor="test") as uow, uow.dated(earliest):
        for partnership in ledger.partnerships:
            add(uow.partnerships, partnership)
        for fund in ledger.funds:
            add(uow.funds, fund, partnership_id="")
        for receipt in ledger.receipts:
            add(uow.receipts, receipt, fund_id="")
        for line in ledger.lines:
            add(uow.lines, line, fund_id="")
        for entry in ledger.profiles:
            add(uow.profiles, entry, line_id="")
        for spend in ledger.spends:
            add(uow.spends, spend, line_id="")
        for match in ledger.matches:
            add(uow.matches, match, fund_id="", line_id="")
        for virement in ledger.virements:
            add(uow.virements, virement, fund_id="", from_line_id="", to_line_id="")
        for update in ledger.outcomes:
            add(uow.outcomes, update, line_id="")
        for item in ledger.returns:
            add(uow.returns, item, fund_id="")
        for round_ in ledger.rounds:
            add(uow.rounds, round_, fund_id="")
        for application in ledger.applications:
            add(uow.applications, application, round_id="", line_id="")
        for table in ledger.imported_tables:
            add(uow.imported_tables, table, fund_id="")
        uow.commit()
    return ids


Store = Callable[[Database, LedgerBuilder], dict[int, int]]


@pytest.fixture
def store_ledger() -> Store:
    """``store_ledger(database, ledger)``: the ledger written to the database (ids mapped)."""
    return store
