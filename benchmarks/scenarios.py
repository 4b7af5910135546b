"""The scenarios: what each times, its baselines (timed in the same process) and its target.

Each scenario function gets a :class:`Run` (the county's URL, the size, how many repeats, the work
folder) and returns a :class:`Timings`: the scenario's own times and each baseline's. The first
baseline named is the one the table shows; the others go into the JSON. Scenarios that read the
county run once untimed first (imports, fonts, the database's page cache), so the figures are the
operation's own cost; ``page_rerun``'s baseline is that cold first run.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks import data
from grants.services.access import local_operator

PROJECT = Path(__file__).resolve().parents[1]
FIXED_MOMENT = datetime(2025, 11, 20, 9, 0, 0)
OPERATOR = local_operator("benchmark")
"""The benchmarks act as the local operator (every right), recorded as "benchmark"."""


@dataclass(frozen=True)
class Run:
    url: str  # the county
    rows: int
    repeat: int
    workdir: Path
    postgres_url: str | None  # what --database-url gave (None: SQLite)


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    baselines: dict[str, list[float]] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    def time(self, action: Callable[[], object]) -> object:
        started, cpu = time.perf_counter(), time.process_time()
        result = action()
        self.seconds.append(time.perf_counter() - started)
        self.cpu_seconds.append(time.process_time() - cpu)
        return result

    def baseline(self, name: str, action: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = action()
        self.baselines.setdefault(name, []).append(time.perf_counter() - started)
        return result


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    target_seconds: float
    baseline: str  # the baseline shown in the table
    run: Callable[[Run], Timings]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# -- import_spend ------------------------------------------------------------------------------------


def import_spend(run: Run) -> Timings:
    """Import ``rows`` spend rows from a CSV into a fresh copy of a small ledger, validated, committed."""
    from grants.imports.normalise import normalise_description
    from grants.imports.spend import read_spend_ledger
    from grants.services import importing, lookup, usecase
    from grants.storage.database import Database

    scratch = data.Scratch(run.postgres_url, run.workdir)
    path = run.workdir / f"spend-{run.rows}.csv"
    timings = Timings()
    try:
        for _ in range(run.repeat):
            timings.baseline("read_csv", lambda: read_spend_ledger(path))
            ledger = read_spend_ledger(path)
            database = Database(scratch.fresh())
            lines = _line_ids(database)  # the rows' own lines, as the import resolves them
            tuples = [
                (line, row.spent_on, int(row.amount * 100), row.kind.value, row.reference, None)
                for row, line in zip(
                    ledger.rows, [lines[normalise_description(r.line)] for r in ledger.rows], strict=True
                )
            ]
            del ledger
            timings.baseline("raw_insert", lambda database=database, tuples=tuples: _raw_insert(database, tuples))  # type: ignore[misc]
            del tuples
            database.dispose()
            database = Database(scratch.fresh())
            fund_id = usecase.read(
                database, OPERATOR, lookup.fund_id, data.IMPORT_PARTNERSHIP, data.IMPORT_FUND, data.IMPORT_YEAR
            )
            report = timings.time(
                lambda database=database, fund_id=fund_id: usecase.perform(  # type: ignore[misc]
                    database, OPERATOR, importing.import_spend, fund_id, path
                )
            )
            timings.notes["rows_imported"] = getattr(report, "rows_read", None)
            database.dispose()
    finally:
        scratch.drop()
    return timings


def _line_ids(database: Any) -> dict[str, int]:
    """Normalised description -> line id (the first line of that name) for the import fund, as the import maps."""
    from sqlalchemy import text

    from grants.imports.normalise import normalise_description

    found: dict[str, int] = {}
    with database.engine.connect() as connection:
        for line_id, description in connection.execute(text("SELECT id, description FROM budget_lines ORDER BY id")):
            found.setdefault(normalise_description(description), line_id)
    return found


def _raw_insert(database: Any, rows: list[tuple[Any, ...]]) -> None:
    """The same rows (same lines, in a batch) with the driver's bulk path and nothing else: executemany (SQLite)
    or COPY (PostgreSQL), in one transaction."""
    from sqlalchemy import text

    columns = "line_id, spent_on, amount, kind, reference, capital_revenue, batch_id, version"
    with database.engine.begin() as connection:
        batch = connection.execute(
            text(
                "INSERT INTO import_batches (kind, source, sha256, rows, imported_at, imported_by) "
                "VALUES ('spend', 'baseline', '', :rows, :at, 'benchmark') RETURNING id"
            ),
            {"rows": len(rows), "at": FIXED_MOMENT},
        ).scalar_one()
        dbapi = connection.connection.driver_connection
        if database.is_sqlite:
            cursor = dbapi.cursor()
            cursor.executemany(
                f"INSERT INTO spends ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(row[0], row[1].isoformat(), *row[2:], batch, 1) for row in rows],
            )
            cursor.close()
        else:
            with dbapi.cursor() as cursor, cursor.copy(f"COPY spends ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, batch, 1))


# -- check -------------------------------------------------------------------------------------------


def check(run: Run) -> Timings:
    """``run_checks`` over the whole county; baselines: loading the frames, and SQL doing the aggregation."""
    from sqlalchemy import text

    from grants.services import usecase
    from grants.services.checking import run_checks
    from grants.services.ledger_frames import load_frames
    from grants.storage.database import Database

    database = Database(run.url)
    timings = Timings()
    net = "CASE kind WHEN 'payment' THEN amount WHEN 'refund' THEN -amount ELSE 0 END"
    usecase.read(database, OPERATOR, run_checks, as_at=data.AS_AT)  # warm-up, not timed: first-use imports and caches
    for _ in range(run.repeat):
        timings.baseline("load_frames", lambda: load_frames(database, as_at=data.AS_AT))
        with database.engine.connect() as connection:
            timings.baseline(
                "sql_spent_per_line",
                lambda connection=connection: connection.execute(  # type: ignore[misc]
                    text(f"SELECT line_id, SUM({net}) FROM spends WHERE spent_on <= :day GROUP BY line_id"),
                    {"day": data.AS_AT},
                ).fetchall(),
            )
            timings.baseline(
                "sql_read_spend_months",
                lambda connection=connection: connection.execute(  # type: ignore[misc]
                    text("SELECT * FROM spend_months WHERE first_on <= :day"), {"day": data.AS_AT}
                ).fetchall(),
            )
        found = timings.time(lambda: usecase.read(database, OPERATOR, run_checks, as_at=data.AS_AT))
        timings.notes["findings"] = len(found)  # type: ignore[arg-type]
    database.dispose()
    return timings


# -- reports -----------------------------------------------------------------------------------------


def budget_pdf(run: Run) -> Timings:
    """One partnership-year budget pack PDF (with its findings); baseline: the view model alone."""
    from grants.services import lookup, usecase
    from grants.services.reporting import budget_pack, render_budget_pack
    from grants.storage.database import Database

    database = Database(run.url)
    timings = Timings()
    partnership_id = usecase.read(database, OPERATOR, lookup.partnership_id, data.PARTNERSHIP)

    def pack() -> Any:
        return usecase.read(
            database,
            OPERATOR,
            budget_pack,
            partnership_id,
            year=data.YEAR,
            as_at=data.AS_AT,
            generated_at=FIXED_MOMENT,
        )

    render_budget_pack(pack(), "pdf")  # warm-up, not timed: first-use imports, fonts and caches
    for _ in range(run.repeat):
        timings.baseline("view_model", pack)
        pdf = timings.time(lambda: render_budget_pack(pack(), "pdf"))
        timings.notes["bytes"] = len(pdf)  # type: ignore[arg-type]
    database.dispose()
    return timings


def return_pdf(run: Run) -> Timings:
    """One OPCC return PDF (a PLF half-year, with its findings); baseline: the view model alone."""
    from grants.services import lookup, usecase
    from grants.services.returns import render_return, return_view
    from grants.storage.database import Database

    database = Database(run.url)
    timings = Timings()
    fund_id = usecase.read(database, OPERATOR, lookup.fund_id, data.PARTNERSHIP, data.RETURN_FUND, data.YEAR)

    def view() -> Any:
        return usecase.read(database, OPERATOR, return_view, fund_id, data.RETURN_HALF, generated_at=FIXED_MOMENT)

    render_return(view(), "pdf")  # warm-up, not timed: first-use imports, fonts and caches
    for _ in range(run.repeat):
        timings.baseline("view_model", view)
        pdf = timings.time(lambda: render_return(view(), "pdf"))
        timings.notes["bytes"] = len(pdf)  # type: ignore[arg-type]
    database.dispose()
    return timings


def export_360giving(run: Run) -> Timings:
    """The county's 360Giving JSON; baseline: the query that reads the grants alone."""
    from sqlalchemy import select

    from grants.services import usecase
    from grants.services.giving_export import export_360giving
    from grants.storage.database import Database
    from grants.storage.tables import BudgetLineRow, FundRow, PartnershipRow

    database = Database(run.url)
    timings = Timings()
    query = (
        select(BudgetLineRow, FundRow.code, FundRow.year, FundRow.name, PartnershipRow.name)
        .join(FundRow, FundRow.id == BudgetLineRow.fund_id)
        .join(PartnershipRow, PartnershipRow.id == FundRow.partnership_id)
        .where(BudgetLineRow.delivery_partner != "", BudgetLineRow.allocated > 0)
    )
    usecase.read(database, OPERATOR, export_360giving, "json", generated_at=FIXED_MOMENT)  # warm-up, not timed
    for _ in range(run.repeat):
        with database.engine.connect() as connection:
            timings.baseline("query", lambda connection=connection: connection.execute(query).fetchall())  # type: ignore[misc]
        package = timings.time(
            lambda: usecase.read(database, OPERATOR, export_360giving, "json", generated_at=FIXED_MOMENT)
        )
        timings.notes["bytes"] = len(package)  # type: ignore[arg-type]
    database.dispose()
    return timings


def report_county(run: Run) -> Timings:
    """The funder's county view of one year, written as CSV and PDF (``report county``); baseline: every fund's
    figures alone (``fund_summaries``), without the checks and the returns' states."""
    from grants.services import usecase
    from grants.services.county_view import county_view, render_county
    from grants.services.queries import fund_summaries
    from grants.storage.database import Database

    database = Database(run.url)
    timings = Timings()

    def report() -> bytes:
        view = usecase.read(database, OPERATOR, county_view, year=data.YEAR, as_at=data.AS_AT)
        return render_county(view, "csv", generated_at=FIXED_MOMENT) + render_county(
            view, "pdf", generated_at=FIXED_MOMENT
        )

    report()  # warm-up, not timed: first-use imports, fonts and caches
    for _ in range(run.repeat):
        timings.baseline("figures", lambda: usecase.read(database, OPERATOR, fund_summaries, year=data.YEAR))
        made = timings.time(report)
        timings.notes["bytes"] = len(made)  # type: ignore[arg-type]
    database.dispose()
    return timings


# -- the app -----------------------------------------------------------------------------------------


def _signed_in_app(run: Run, username: str, page: str | None = None) -> Any:
    """The app under ``AppTest`` signed in as a demo account, as at the county's date (not yet run on ``page``)."""
    os.environ["GRANTS_DATABASE_URL"] = run.url
    from streamlit.testing.v1 import AppTest

    from grants.services.demo import ensure_demo_accounts
    from grants.services.users import principal_for
    from grants.storage.database import Database

    database = Database(run.url)
    ensure_demo_accounts(database)
    principal = principal_for(database, username)
    database.dispose()
    app = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=900)
    app.session_state["principal"] = principal
    app.session_state["as_at"] = data.AS_AT
    if page is not None:
        app.run()
        app.switch_page(page)
    return app


def _warm_reruns(run: Run, app: Any) -> Timings:
    timings = Timings()
    timings.baseline("cold_run", app.run)
    _no_exception(app)
    timings.notes["title"] = app.title[0].value if app.title else None
    for _ in range(max(run.repeat, 3)):
        timings.time(app.run)
        _no_exception(app)
    return timings


def page_rerun(run: Run) -> Timings:
    """A warm rerun of the Overview page (Streamlit AppTest) as the OPCC viewer; baseline: the first run."""
    return _warm_reruns(run, _signed_in_app(run, "viewer"))


def rerun_after_write(run: Run) -> Timings:
    """The Overview's rerun (AppTest, the OPCC viewer) just after a write to one fund (a spend recorded through
    the repository, as any process or command would); baseline: the first, cold run. Each timed rerun finds
    one fund's data version moved; the spend is deleted again (untimed, the same fund) so the county stays as
    generated."""
    from decimal import Decimal

    from grants.domain.models import Spend
    from grants.services import lookup, usecase
    from grants.storage.database import Database
    from grants.storage.unit_of_work import UnitOfWork

    app = _signed_in_app(run, "viewer")
    database = Database(run.url)
    fund_id = usecase.read(database, OPERATOR, lookup.fund_id, data.PARTNERSHIP, data.RETURN_FUND, data.YEAR)
    with UnitOfWork(database) as uow:
        line_id = uow.lines.find(fund_id=fund_id)[0].id or 0
    timings = Timings()
    timings.baseline("cold_run", app.run)
    _no_exception(app)
    app.run()  # warm
    for _ in range(run.repeat):
        with UnitOfWork(database, actor="benchmark") as uow:
            spend = uow.spends.add(Spend(line_id=line_id, spent_on=data.AS_AT, amount=Decimal("12.34")))
            uow.commit()
        timings.time(app.run)
        _no_exception(app)
        with UnitOfWork(database, actor="benchmark") as uow:  # the county as generated again (the same fund)
            uow.spends.delete(spend.id or 0, None)
            uow.commit()
    database.dispose()
    return timings


def county_page_rerun(run: Run) -> Timings:
    """A warm rerun of the County view page (AppTest) as the OPCC's funder account; baseline: the first run."""
    return _warm_reruns(run, _signed_in_app(run, "funder", "grants/ui/county_page.py"))


def _no_exception(app: Any) -> None:
    if app.exception:
        raise RuntimeError(f"the page raised: {[e.message for e in app.exception]}")


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("import_spend", "import N spend rows from CSV, validated", 20.0, "read_csv", import_spend),
    Scenario("check", "the whole rule catalogue over the county (run_checks)", 2.0, "load_frames", check),
    Scenario("budget_pdf", "one partnership-year budget pack PDF", 1.0, "view_model", budget_pdf),
    Scenario("return_pdf", "one OPCC return PDF", 1.0, "view_model", return_pdf),
    Scenario("export_360giving", "the county's 360Giving JSON", 5.0, "query", export_360giving),
    Scenario("report_county", "the county view of a year as CSV and PDF", 2.0, "figures", report_county),
    Scenario("page_rerun", "a warm rerun of the Overview page (AppTest)", 0.3, "cold_run", page_rerun),
    Scenario("county_page_rerun", "a warm rerun of the County view (AppTest)", 0.3, "cold_run", county_page_rerun),
    Scenario(
        "rerun_after_write", "the Overview's rerun after a one-fund write (AppTest)", 1.0, "cold_run", rerun_after_write
    ),
)
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
