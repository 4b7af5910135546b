"""Concurrent edits: a stale write is a Conflict, never a silent overwrite, and under load nothing is lost.

The load test runs 8 writer processes (each its own ``Database``) for ``--reliability-seconds``
(default 5) against SQLite and against PostgreSQL, then checks the database against what the
workers say they did: every counted write has exactly one audit event, each line's value is the
last audited "after" (and each audited "before" is the previous "after": no write was lost), and
the spend rows sum to what the workers recorded.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

import pytest
from reliability_support import HERE, ROOT, SEED_LINES, line_ids
from sqlalchemy import event, func, select

from grants.domain.enums import Role
from grants.domain.errors import Conflict
from grants.domain.money import to_pence
from grants.services import allocations
from grants.services.access import Principal
from grants.services.usecase import perform
from grants.storage.database import Database
from grants.storage.tables import AuditEventRow, BudgetLineRow, SpendRow
from grants.storage.unit_of_work import UnitOfWork

WRITERS = 8


def _manager(database: Database) -> Principal:
    with UnitOfWork(database) as uow:
        partnership = uow.partnerships.find()[0]
    return Principal.of("manager", Role.MANAGER, [partnership.id or 0])


def test_the_second_of_two_people_editing_a_line_gets_a_conflict_not_an_overwrite(any_seeded: Database) -> None:
    line_id = line_ids(any_seeded)["Mediation"]
    with UnitOfWork(any_seeded) as uow:
        read_by_both = uow.lines.get(line_id)
    manager = _manager(any_seeded)
    first = perform(
        any_seeded, manager, allocations.update_line, line_id, read_by_both.version, allocated=Decimal("6000.00")
    )
    with pytest.raises(Conflict, match="changed by someone else"):
        perform(
            any_seeded, manager, allocations.update_line, line_id, read_by_both.version, allocated=Decimal("7000.00")
        )
    with UnitOfWork(any_seeded) as uow:
        stored = uow.lines.get(line_id)
        updates = [e for e in uow.audit.events("budget_lines", line_id) if e.action == "update"]
    assert stored.allocated == Decimal("6000.00")
    assert stored.version == first.version == (read_by_both.version or 0) + 1
    assert [e.after for e in updates] == [{"allocated": "6000.00"}]


def test_a_write_that_loses_the_race_inside_the_database_is_a_conflict(any_seeded: Database) -> None:
    """Someone commits between our version check and our UPDATE: the database's own check refuses it."""
    line_id = line_ids(any_seeded)["Street Pastors"]
    with UnitOfWork(any_seeded, actor="slow") as slow:
        version = slow.lines.get(line_id).version
        raced = []

        def someone_else_commits_first(session: Any, *_: Any) -> None:
            if not raced:
                raced.append(True)
                with UnitOfWork(any_seeded, actor="quick") as quick:
                    quick.lines.update(line_id, version, allocated=Decimal("1.00"))
                    quick.commit()

        event.listen(slow.session, "before_flush", someone_else_commits_first)
        with pytest.raises(Conflict):
            slow.lines.update(line_id, version, allocated=Decimal("2.00"))
    assert raced
    with UnitOfWork(any_seeded) as uow:
        assert uow.lines.get(line_id).allocated == Decimal("1.00")
        assert [e.actor for e in uow.audit.events("budget_lines", line_id) if e.action == "update"] == ["quick"]


# -- 8 writers for N seconds -------------------------------------------------------------------


def _run_writers(
    url: str, ids: list[int], seconds: float, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[dict[str, Any]], float]:
    """Start the writers from a fork server that has imported the code once (each child starts in a blink).

    Python 3.11's fork server ignores the parent's sys.path, so it is given as PYTHONPATH.
    """
    paths = [str(ROOT), str(HERE), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["reliability_load"])
    from reliability_load import run_writer

    barrier = context.Barrier(WRITERS + 1)
    results = context.Queue()
    processes = [
        context.Process(target=run_writer, args=(url, index, seconds, ids, barrier, results), daemon=True)
        for index in range(1, WRITERS + 1)
    ]
    for process in processes:
        process.start()
    barrier.wait(timeout=300)
    started = time.monotonic()
    reports = [results.get(timeout=seconds + 300) for _ in processes]
    elapsed = time.monotonic() - started
    for process in processes:
        process.join(timeout=60)
    return reports, elapsed


def _check_nothing_was_lost(database: Database, reports: list[dict[str, Any]], ids: list[int]) -> None:
    assert [r["error"] for r in reports if r["error"]] == []
    with database.engine.connect() as connection:
        audit = connection.execute(
            select(
                AuditEventRow.actor,
                AuditEventRow.action,
                AuditEventRow.entity,
                AuditEventRow.entity_id,
                AuditEventRow.before,
                AuditEventRow.after,
            )
            .where(AuditEventRow.actor.like("writer-%"))
            .order_by(AuditEventRow.id)
        ).all()
        lines = {row.id: row for row in connection.execute(select(BudgetLineRow)).all()}
        spent = dict(
            connection.execute(select(SpendRow.line_id, func.sum(SpendRow.amount)).group_by(SpendRow.line_id)).all()
        )
        spend_rows = Counter(
            dict(
                connection.execute(
                    select(AuditEventRow.actor, func.count())
                    .where(AuditEventRow.entity == "spends", AuditEventRow.action == "create")
                    .group_by(AuditEventRow.actor)
                ).all()
            )
        )
        spends_stored = connection.execute(select(func.count()).select_from(SpendRow)).scalar()

    # Every write a worker counted has exactly one audit event, and no event lacks its write.
    for report in reports:
        updates = [e for e in audit if e.actor == report["actor"] and e.action == "update"]
        assert len(updates) == len(report["line_writes"]), report["actor"]
        assert spend_rows[report["actor"]] == len(report["spends"]), report["actor"]
        assert sorted((e.entity_id, to_pence(Decimal(e.after["allocated"]))) for e in updates) == sorted(
            tuple(w) for w in report["line_writes"]
        )
    assert spends_stored == sum(len(r["spends"]) for r in reports)

    # Each line's value is the last audited "after", and each "before" is the previous "after".
    history: dict[int, list[Any]] = defaultdict(list)
    for e in audit:
        if e.entity == "budget_lines" and e.action == "update":
            history[e.entity_id].append(e)
    for line_id in ids:
        events = history[line_id]
        line = lines[line_id]
        if events:
            assert to_pence(Decimal(events[-1].after["allocated"])) == line.allocated
            for earlier, later in itertools.pairwise(events):
                assert later.before == earlier.after, "a write was made from a stale read"
        assert line.version == 1 + len(events)

    # The spend rows sum to what the workers recorded, line by line, to the penny.
    recorded: Counter[int] = Counter()
    for report in reports:
        for line_id, pence in report["spends"]:
            recorded[line_id] += pence
    assert {k: int(v) for k, v in spent.items()} == dict(recorded)


def _figures(backend: str, reports: list[dict[str, Any]], elapsed: float) -> str:
    writes = sum(len(r["line_writes"]) for r in reports)
    spends = sum(len(r["spends"]) for r in reports)
    return (
        f"load {backend}: {WRITERS} writers x {elapsed:.1f} s: {writes} line writes + {spends} spend rows "
        f"({(writes + spends) / elapsed:.0f}/s), {sum(r['conflicts'] for r in reports)} conflicts, "
        f"{sum(r['locked'] for r in reports)} 'database is locked', {sum(r['retries'] for r in reports)} retries, "
        f"{sum(r['gave_up'] for r in reports)} gave up; nothing lost"
    )


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_eight_writers_for_n_seconds_lose_nothing(
    request: pytest.FixtureRequest,
    backend: str,
    reliability_seconds: float,
    record_property: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database: Database = request.getfixturevalue("seeded" if backend == "sqlite" else "pg_seeded")
    by_name = line_ids(database)
    ids = [by_name[name] for name in SEED_LINES]
    database.dispose()
    reports, elapsed = _run_writers(database.url, ids, reliability_seconds, monkeypatch)
    _check_nothing_was_lost(database, reports, ids)
    assert sum(len(r["line_writes"]) for r in reports) > 0
    assert all(r["gave_up"] == 0 for r in reports)
    figures = _figures(backend, reports, elapsed)
    record_property("figures", figures)
    print(f"\n{figures}")


def test_the_load_check_would_catch_a_lost_write(seeded: Database) -> None:
    """The checker is not vacuous: a worker claiming one more write than the database holds fails it."""
    ids = [line_ids(seeded)[name] for name in SEED_LINES]
    with UnitOfWork(seeded, actor="writer-1") as uow:
        line = uow.lines.get(ids[0])
        uow.lines.update(ids[0], line.version, allocated=Decimal("123.45"))
        uow.commit()
    honest = {"actor": "writer-1", "line_writes": [(ids[0], 12345)], "spends": [], "error": ""}
    _check_nothing_was_lost(seeded, [honest], ids)
    claims_more = {**honest, "line_writes": [(ids[0], 12345), (ids[1], 99)]}
    with pytest.raises(AssertionError):
        _check_nothing_was_lost(seeded, [claims_more], ids)
