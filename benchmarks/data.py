"""The data the scenarios run on: a generated county per size, a scratch database to import into, a CSV.

SQLite: each county is a file in the work folder (kept there, so a second run with ``--workdir``
reuses it). PostgreSQL: the county goes into the database ``--database-url`` names; the benchmark
regenerates it when it holds a county of another size, and refuses a database holding anything else.
The import scenario writes into scratch databases (``<name>_bench_import_*`` on PostgreSQL), never
into the county.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from grants.domain.calendar import FinancialYear
from grants.domain.errors import GrantsError
from grants.services.county import generate_county
from grants.storage.database import Database, redact
from grants.storage.tables import AuditEventRow, Base, BudgetLineRow, FundRow, PartnershipRow

AS_AT = date(2025, 11, 20)
"""The checks' "as at" date: mid-year in the county's last year, so every kind of finding occurs."""
PARTNERSHIP = "Charnwood CSP"
YEAR = "2025/26"
RETURN_FUND = "PLF"
RETURN_HALF = "H1"
IMPORT_PARTNERSHIP = "Blaby CSP"
IMPORT_FUND = "PLF"
IMPORT_YEAR = "2016/17"
SEED = 2017


class BenchmarkError(GrantsError):
    """The benchmark cannot prepare its data (e.g. the PostgreSQL database holds other data)."""


def is_postgres(url: str | None) -> bool:
    return url is not None and make_url(url).get_backend_name() == "postgresql"


def generated_rows(database: Database) -> tuple[int, int] | None:
    """(spend rows, partnerships) of the county the generator put in this database; None if it did not."""
    try:
        with database.engine.connect() as connection:
            after = connection.execute(
                select(AuditEventRow.after)
                .where(AuditEventRow.action == "generate", AuditEventRow.entity == "county")
                .order_by(AuditEventRow.id.desc())
                .limit(1)
            ).scalar()
    except Exception:  # no tables yet
        return None
    if not isinstance(after, dict):
        return None
    if after.get("seed") != SEED or "spends" not in after:
        return None
    return int(after["spends"]), int(after.get("partnerships", 0))


def county(url: str | None, rows: int, workdir: Path, partnerships: int = 10) -> str:
    """The URL of a database holding the county with ``rows`` spend rows, generated if need be.

    ``partnerships`` (default all ten) makes a smaller county for quick runs of the harness.
    """
    if not is_postgres(url):
        name = f"county-{rows}" if partnerships == 10 else f"county-{rows}-p{partnerships}"
        path = workdir / f"{name}.db"
        if not path.exists():
            building = workdir / f"{name}.building.db"
            building.unlink(missing_ok=True)
            database = Database(f"sqlite:///{building}")
            database.migrate()
            generate_county(database, spend_rows=rows, seed=SEED, partnerships=partnerships)
            database.dispose()
            building.rename(path)
        return f"sqlite:///{path}"
    assert url is not None
    database = Database(url)
    try:
        database.migrate()
        held = generated_rows(database)
        if held == (rows, partnerships):
            return url
        if held is None and not database.is_empty():
            raise BenchmarkError(
                f"{redact(url)} holds data the county generator did not make; give the benchmark an empty database"
            )
        if held is not None:
            _wipe(database)
        generate_county(database, spend_rows=rows, seed=SEED, partnerships=partnerships)
    finally:
        database.dispose()
    return url


def _wipe(database: Database) -> None:
    """Drop every table of a database the county generator filled, then migrate it afresh."""
    Base.metadata.drop_all(database.engine)
    with database.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    database.migrate()


# -- the import scenario's scratch databases --------------------------------------------------------


@dataclass(frozen=True)
class Scratch:
    """Fresh copies of a small migrated ledger (one partnership, one year) to import into."""

    url: str | None  # the PostgreSQL URL the benchmark was given, or None for SQLite
    workdir: Path

    @property
    def _template_path(self) -> Path:
        return self.workdir / "import-template.db"

    def _names(self) -> tuple[str, str]:
        assert self.url is not None
        base = make_url(self.url).database or "grants"
        return f"{base}_bench_import_template", f"{base}_bench_import_run"

    def _admin(self) -> Any:
        assert self.url is not None
        return create_engine(make_url(self.url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def prepare(self) -> None:
        """Build the template once: migrated, with the fund's budget lines and a few spends."""
        if not is_postgres(self.url):
            if not self._template_path.exists():
                database = Database(f"sqlite:///{self._template_path}")
                database.migrate()
                generate_county(database, spend_rows=1000, seed=SEED, partnerships=1, years=1)
                database.dispose()
            return
        template, _ = self._names()
        admin = self._admin()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{template}"'))
        admin.dispose()
        database = Database(str(make_url(self.url).set(database=template).render_as_string(hide_password=False)))
        database.migrate()
        generate_county(database, spend_rows=1000, seed=SEED, partnerships=1, years=1)
        database.dispose()

    def template_url(self) -> str:
        if not is_postgres(self.url):
            return f"sqlite:///{self._template_path}"
        assert self.url is not None
        return str(make_url(self.url).set(database=self._names()[0]).render_as_string(hide_password=False))

    def fresh(self) -> str:
        """The URL of a new copy of the template (replacing the previous copy)."""
        if not is_postgres(self.url):
            run = self.workdir / "import-run.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{run}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self._template_path, run)
            return f"sqlite:///{run}"
        template, run_name = self._names()
        admin = self._admin()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{run_name}" TEMPLATE "{template}"'))
        admin.dispose()
        assert self.url is not None
        return str(make_url(self.url).set(database=run_name).render_as_string(hide_password=False))

    def drop(self) -> None:
        if not is_postgres(self.url):
            return
        admin = self._admin()
        with admin.connect() as connection:
            for name in self._names():
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def spend_csv(scratch_url: str, rows: int, workdir: Path) -> Path:
    """A spend ledger CSV of ``rows`` payments and refunds against the import fund's lines (made once)."""
    path = workdir / f"spend-{rows}.csv"
    if path.exists():
        return path
    database = Database(scratch_url)
    with database.engine.connect() as connection:
        descriptions = list(
            connection.execute(
                select(BudgetLineRow.description)
                .join(FundRow, FundRow.id == BudgetLineRow.fund_id)
                .join(PartnershipRow, PartnershipRow.id == FundRow.partnership_id)
                .where(
                    PartnershipRow.name == IMPORT_PARTNERSHIP,
                    FundRow.code == IMPORT_FUND,
                    FundRow.year == IMPORT_YEAR,
                )
                .order_by(BudgetLineRow.id)
            ).scalars()
        )
    database.dispose()
    if not descriptions:
        raise BenchmarkError("the scratch ledger has no lines for the import fund")
    year = FinancialYear.parse(IMPORT_YEAR)
    rng = np.random.default_rng(SEED)
    lines = rng.integers(0, len(descriptions), size=rows).tolist()
    days = rng.integers(0, (year.end - year.start).days + 1, size=rows).tolist()
    pence = (rng.lognormal(9.0, 1.0, size=rows).astype(np.int64) + 1).tolist()
    refunds = (rng.random(rows) < 0.01).tolist()
    building = path.with_suffix(".building")
    with building.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Budget Line", "Amount", "Reference"])
        for i, (line, day, amount, refund) in enumerate(zip(lines, days, pence, refunds, strict=True)):
            spent_on = year.start + timedelta(days=day)
            figure = f"£{amount // 100:,}.{amount % 100:02d}"
            writer.writerow(
                [f"{spent_on:%d/%m/%Y}", descriptions[line], f"-{figure}" if refund else figure, f"INV-{i}"]
            )
    building.rename(path)
    return path
