"""Several app servers: a write through one process (another app process, or the command line) shows on
every other process's next read of the app's cached figures, because every cache is keyed on the data
version held in the database (``grants.services.data_version``).

Two ``Database`` objects on one file stand in for two app processes on SQLite; on PostgreSQL the writer
is a real second process (``python -m grants import spend``) and the reader this one, with the app's
cached reads (``grants.ui.data``) exactly as a page calls them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import streamlit as st
from reliability_support import AS_AT, CORPUS, CSP, FUND, YEAR, fund_id, grants_cli, import_args, line_ids, seed

from grants.domain.enums import Role
from grants.domain.models import Spend
from grants.services import checking, queries, usecase
from grants.services.access import Principal
from grants.services.backup import backup
from grants.services.data_version import data_version
from grants.services.restoring import restore, undo_restore
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from grants.ui import data

OPCC = Principal.of("opcc", Role.VIEWER, all_partnerships=True)


@pytest.fixture
def app_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Caches empty before and after; the app's database is the one the test names in GRANTS_DATABASE_URL."""
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def _spent(fund: int) -> Decimal:
    return sum((line.spent for line in data.lines(OPCC, fund)), Decimal(0))


def _spend_through(database: Database, amount: str) -> None:
    with UnitOfWork(database, actor="other app") as uow:
        line = line_ids(database)["Mediation"]
        uow.spends.add(Spend(line_id=line, spent_on=date(2023, 6, 1), amount=Decimal(amount)))
        uow.commit()


def test_every_commit_moves_the_version_and_another_database_object_sees_it(seeded: Database) -> None:
    other = Database(seeded.url)  # a second app process's engine and pool
    try:
        before = data_version(other)
        _spend_through(seeded, "12.34")
        assert data_version(other) > before
        with UnitOfWork(seeded, actor="reader") as uow:  # a transaction that writes nothing
            uow.lines.find()
        assert data_version(other) == data_version(seeded)
    finally:
        other.dispose()


def test_the_app_caches_show_a_write_from_another_process_on_the_next_read(
    seeded: Database, app_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRANTS_DATABASE_URL", seeded.url)
    fund = fund_id(seeded)
    computed: list[int] = []
    real = queries.lines
    monkeypatch.setattr(queries, "lines", lambda *a, **k: computed.append(1) or real(*a, **k))
    first = _spent(fund)
    assert _spent(fund) == first and len(computed) == 1  # cached while nothing changes
    other_app = Database(seeded.url)
    try:
        _spend_through(other_app, "12.34")
    finally:
        other_app.dispose()
    assert _spent(fund) == first + Decimal("12.34")  # no cache was cleared in this process
    assert len(computed) == 2


def test_a_restore_never_brings_the_version_back_to_one_already_cached(seeded: Database, tmp_path: Path) -> None:
    made = backup(seeded, tmp_path / "old.db")
    for amount in ("1.00", "2.00", "3.00"):
        _spend_through(seeded, amount)
    seen = data_version(seeded)
    restore(seeded, made.path, force=True)
    assert data_version(seeded) > seen
    seen = data_version(seeded)
    undo_restore(seeded)
    assert data_version(seeded) > seen


@pytest.mark.postgres
def test_on_postgresql_a_command_line_import_shows_on_the_apps_next_read(
    pg_seeded: Database, app_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRANTS_DATABASE_URL", pg_seeded.url)
    fund = fund_id(pg_seeded)
    first = _spent(fund)
    assert _spent(fund) == first
    imported = grants_cli(pg_seeded.url, *import_args("spend", CORPUS / "spend_formula_references.csv"))
    assert imported.returncode == 0, imported.stderr
    fresh = sum((line.spent for line in usecase.read(pg_seeded, OPCC, queries.lines, fund)), Decimal(0))
    assert fresh != first
    assert _spent(fund) == fresh


def test_signing_in_and_out_does_not_move_the_version(seeded: Database) -> None:
    before = data_version(seeded)
    with UnitOfWork(seeded, actor="jane") as uow:
        uow.audit.record("sign-in", "sessions", 1, None, {"username": "jane"})
        uow.commit()
    assert data_version(seeded) == before
    _spend_through(seeded, "1.00")
    assert data_version(seeded) > before


@pytest.mark.postgres
def test_on_postgresql_a_write_to_one_fund_shows_on_the_next_read_and_only_that_fund_is_worked_out_again(
    pg_seeded: Database, app_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two partnerships' funds on the Overview's reads (summaries and findings); another process records a
    spend on one; this process's next read shows it, recomputing that fund (and its partnership's cross-fund
    rule) only, and its findings are those a fresh check gives."""
    monkeypatch.setenv("GRANTS_DATABASE_URL", pg_seeded.url)
    seed(pg_seeded, partnership="Melton CSP")
    written, other = fund_id(pg_seeded), fund_id(pg_seeded, "Melton CSP")
    summed: list[list[int]] = []
    checked: list[tuple[list[int], list[int]]] = []
    real_sums, real_checks = queries.fund_summaries, checking.scoped_findings

    def sums(*args: object, fund_ids: list[int], **kwargs: object) -> object:
        summed.append(sorted(fund_ids))
        return real_sums(*args, fund_ids=fund_ids, **kwargs)  # type: ignore[arg-type]

    def checks(uow: object, who: object, funds: list[int], partnerships: list[int], **kwargs: object) -> object:
        checked.append((sorted(funds), sorted(partnerships)))
        return real_checks(uow, who, funds, partnerships, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(queries, "fund_summaries", sums)
    monkeypatch.setattr(checking, "scoped_findings", checks)

    def spent() -> dict[int, Decimal]:
        return {s.fund.id or 0: s.spent for s in data.fund_summaries(OPCC)}

    before = spent()
    data.findings(OPCC, AS_AT)
    assert summed == [sorted([written, other])] and checked[0][0] == sorted([written, other])
    assert spent() == before and len(summed) == 1 and len(checked) == 1  # nothing moved: nothing recomputed

    recorded = grants_cli(
        pg_seeded.url, "spend", "record", "--partnership", CSP, "--fund", FUND, "--year", YEAR,
        "--line", "Mediation", "--amount", "12.34", "--date", "2023-06-01",
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    after = spent()
    assert after == {written: before[written] + Decimal("12.34"), other: before[other]}
    assert summed[1:] == [[written]]
    shown = data.findings(OPCC, AS_AT)
    with UnitOfWork(pg_seeded) as uow:
        partnership = uow.funds.get(written).partnership_id
    assert checked[1:] == [([written], [partnership])]
    fresh = usecase.read(pg_seeded, OPCC, checking.run_checks, as_at=AS_AT)

    def seen(found: object) -> list[tuple[object, ...]]:
        return sorted((f.code, f.fund_id, f.line_id or 0, f.message) for f in found)  # type: ignore[attr-defined]

    assert seen(shown) == seen(fresh) and shown
