"""Helpers for the reliability tests: whole-database snapshots, the real command line, a seeded fund.

Kept out of conftest so that worker processes (multiprocessing, spawn) and subprocess scripts
can import it by name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, inspect, select

from grants.services.ledger import find_fund
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.ops import import_budget

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"

CSP = "Reliability Test CSP"
OTHER_CSP = "Neighbouring CSP"
FUND = "PLF"
YEAR = "2023/24"
AS_AT = date(2023, 10, 26)
SEED_FILE = CORPUS / "seed_budget.csv"
SEED_LINES = ("Mediation", "Street Pastors", "Go Getta", "Anstey Youth Café")

Snapshot = dict[str, list[tuple[Any, ...]]]


_REFLECTED: dict[tuple[str, tuple[str, ...]], MetaData] = {}


def _reflected(database: Database) -> MetaData:
    """The database's tables as reflected (once per schema: every test database has the same one)."""
    names = tuple(sorted(inspect(database.engine).get_table_names()))
    key = (database.engine.dialect.name, names)
    if key not in _REFLECTED:
        metadata = MetaData()
        metadata.reflect(bind=database.engine)
        _REFLECTED[key] = metadata
    return _REFLECTED[key]


def snapshot(database: Database) -> Snapshot:
    """Every row of every table in the database (as the database has them, reflected), in key order."""
    metadata = _reflected(database)
    found: Snapshot = {}
    with database.engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            found[table.name] = [tuple(row) for row in rows]
    return found


def snapshot_difference(before: Snapshot, after: Snapshot) -> list[str]:
    """What changed between two snapshots, in words (empty when they are equal)."""
    changes = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            added = [row for row in new if row not in old]
            removed = [row for row in old if row not in new]
            changes.append(f"{name}: {len(added)} row(s) added or changed, {len(removed)} removed or changed")
    return changes


def seed(database: Database, partnership: str = CSP, source: Path = SEED_FILE) -> None:
    """The fund every spend and profile case is imported against: four lines, £11,500 allocated."""
    import_budget(database, source, partnership=partnership, fund_code=FUND, year=YEAR, as_at=AS_AT, actor="seed")


def line_ids(database: Database, partnership: str = CSP) -> dict[str, int]:
    """The seeded fund's lines by description."""
    with UnitOfWork(database) as uow:
        fund = find_fund(uow, partnership, FUND, YEAR)
        return {line.description: line.id or 0 for line in uow.lines.find(fund_id=fund.id)}


def fund_id(database: Database, partnership: str = CSP) -> int:
    with UnitOfWork(database) as uow:
        return find_fund(uow, partnership, FUND, YEAR).id or 0


def grants_cli(
    url: str,
    *args: str,
    timeout: float = 180,
    env: Mapping[str, str] | None = None,
    url_in_environment: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m grants ...`` as a real process against ``url``."""
    environment = {**os.environ, **(env or {})}
    command = [sys.executable, "-m", "grants"]
    if url_in_environment:
        environment["GRANTS_DATABASE_URL"] = url
    else:
        command += ["--database", url]
    return subprocess.run(
        [*command, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout, check=False
    )


def import_args(kind: str, path: Path, *, fund: str = FUND, partnership: str = CSP, year: str = YEAR) -> list[str]:
    """The command-line arguments for ``import KIND FILE`` into the seeded fund."""
    extra = ["--as-at", AS_AT.isoformat()] if kind == "budget" else []
    return ["import", kind, str(path), "--partnership", partnership, "--fund", fund, "--year", year, *extra]


def sqlite_path(database: Database) -> Path:
    return Path(database.engine.url.database or "")
