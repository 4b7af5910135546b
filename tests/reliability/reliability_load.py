"""The concurrent-writer worker: one process, its own ``Database``, reading and writing lines for N seconds.

Each write reads a line in one transaction and writes it back, with a value no other write uses, in
another, naming the version it read; a ``Conflict`` (someone wrote in between) or SQLite's
"database is locked" is retried with a bounded, jittered back-off. Each loop also adds a spend row.
The worker reports exactly what it knows succeeded, so the test can compare it with the database.
"""

from __future__ import annotations

import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import OperationalError

from grants.domain.errors import Conflict
from grants.domain.models import Spend
from grants.domain.money import from_pence
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

MAX_ATTEMPTS = 200
BACKOFF_START = 0.001
BACKOFF_CAP = 0.05


@dataclass
class WorkerReport:
    actor: str
    seconds: float = 0.0
    line_writes: list[tuple[int, int]] = field(default_factory=list)  # (line id, allocated pence written)
    spends: list[tuple[int, int]] = field(default_factory=list)  # (line id, pence)
    conflicts: int = 0
    locked: int = 0
    retries: int = 0
    gave_up: int = 0
    error: str = ""


def _locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database table is locked" in text or "busy" in text


def _with_retries(action: Callable[[], None], report: WorkerReport, rng: random.Random) -> bool:
    """Run ``action`` until it succeeds (True) or MAX_ATTEMPTS are spent (False)."""
    delay = BACKOFF_START
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            report.retries += 1
            time.sleep(delay * rng.random())
            delay = min(delay * 2, BACKOFF_CAP)
        try:
            action()
            return True
        except Conflict:
            report.conflicts += 1
        except OperationalError as exc:
            if not _locked(exc):
                raise
            report.locked += 1
    report.gave_up += 1
    return False


def run_writer(
    url: str, index: int, seconds: float, line_ids: list[int], barrier: Any, results: Any
) -> None:  # pragma: no cover - runs in a child process
    """The body of one writer process: reports a ``WorkerReport`` (as a dict) on ``results``."""
    report = WorkerReport(actor=f"writer-{index}")
    database: Database | None = None
    try:
        database = Database(url)
        with database.engine.connect():
            pass  # connected before the start line, so start-up cost is not in the timed run
        barrier.wait(timeout=300)
        _write_for(database, index, seconds, line_ids, report)
    except BaseException:  # the parent must hear about any failure, not wait for a report that never comes
        report.error = traceback.format_exc()
    finally:
        if database is not None:
            database.dispose()
        results.put(report.__dict__)


def _write_for(database: Database, index: int, seconds: float, line_ids: list[int], report: WorkerReport) -> None:
    rng = random.Random(index)
    actor = report.actor
    started = time.monotonic()
    deadline = started + seconds
    sequence = 0
    while time.monotonic() < deadline:
        sequence += 1
        line_id = rng.choice(line_ids)
        pence = index * 100_000_000 + sequence  # no other write anywhere uses this value

        def write_line(line_id: int = line_id, pence: int = pence) -> None:
            with UnitOfWork(database, actor=actor) as uow:
                read = uow.lines.get(line_id)
            with UnitOfWork(database, actor=actor) as uow:
                uow.lines.update(line_id, read.version, allocated=from_pence(pence))
                uow.commit()

        if _with_retries(write_line, report, rng):
            report.line_writes.append((line_id, pence))

        spend_pence = rng.randint(1, 500_000)

        def add_spend(line_id: int = line_id, spend_pence: int = spend_pence, sequence: int = sequence) -> None:
            with UnitOfWork(database, actor=actor) as uow:
                uow.spends.add(
                    Spend(
                        line_id=line_id,
                        spent_on=date(2023, 6, 1),
                        amount=Decimal(spend_pence) / 100,
                        reference=f"{actor}-{sequence}",
                    )
                )
                uow.commit()

        if _with_retries(add_spend, report, rng):
            report.spends.append((line_id, spend_pence))
    report.seconds = time.monotonic() - started
