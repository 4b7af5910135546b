"""A deterministic county-wide data set for load and benchmark work.

10 partnerships × 10 years × 6 funds × ~40 lines (~24,000 budget lines), N spend
rows (default 1,000,000), N/10 outcome updates, quarterly profiles and receipts,
with realistic shapes: lumpy quarterly spend, lines behind profile, overspent
lines, lines never started and duplicated lines. Same seed, same data, on SQLite
or PostgreSQL. Every figure is invented: the partnerships are real names, the
money is not.

Rows are written with the driver's fastest bulk path (executemany of tuples on
SQLite, COPY on PostgreSQL) inside one transaction, and one audit event per
table records the load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import numpy as np
from sqlalchemy import Table, insert

from grants.domain.calendar import FinancialYear
from grants.domain.errors import GrantsError
from grants.domain.streams import stream_for
from grants.services.installation import DEMO
from grants.storage import spend_months
from grants.storage.bulk import write_rows
from grants.storage.database import Database
from grants.storage.repository import jsonable
from grants.storage.tables import (
    AuditEventRow,
    Base,
    BudgetLineRow,
    FunderRow,
    FundRow,
    OutcomeUpdateRow,
    PartnershipRow,
    ProfileEntryRow,
    ReceiptRow,
    SettingRow,
    SpendRow,
)
from grants.storage.unit_of_work import utc_now

PARTNERSHIPS = (
    "Blaby",
    "Charnwood",
    "Harborough",
    "Hinckley and Bosworth",
    "Melton",
    "North West Leicestershire",
    "Oadby and Wigston",
    "Blaby and Hinckley (joint)",
    "Leicester City",
    "Rutland",
)
FUND_CODES = ("PLF", "CI001", "PZ", "SS", "CSF", "DAA")
FIRST_YEAR = 2016
YEARS = 10
LINES_PER_FUND = 40
PRIORITIES = (
    "SP1 Safeguarding communities from violent offences",
    "SP2 Reduce harm caused by youth ASB and youth crime",
    "SP3 Reduce criminal exploitation",
    "",
)
PARTNERS = ("Go-Getta", "Love4Life", "Living Without Abuse", "Falcon Centre", "Turning Point", "Street Pastors")
PROJECTS = (
    "Youth diversion",
    "Street Pastors",
    "Mediation",
    "Domestic abuse outreach",
    "Target hardening",
    "Prevention campaign",
    "Detached youth work",
    "Substance misuse project",
    "Cycle theft",
    "ASB victim support",
)
ACTOR = "county-generator"


@dataclass(frozen=True)
class CountySize:
    """What the generator made."""

    partnerships: int
    funds: int
    lines: int
    profiles: int
    spends: int
    outcomes: int
    receipts: int


def generate_county(
    database: Database,
    *,
    spend_rows: int = 1_000_000,
    seed: int = 2017,
    partnerships: int = len(PARTNERSHIPS),
    years: int = YEARS,
) -> CountySize:
    """Fill an empty database with the county data set; refuses a database that has data.

    ``partnerships`` and ``years`` shrink the set for quick tests; the defaults are the county.
    """
    if not database.is_empty():
        raise GrantsError("the county data set needs an empty database (use a new --database URL)")
    rng = np.random.default_rng(seed)
    now = utc_now()
    with database.engine.begin() as connection:
        connection.execute(insert(SettingRow), [{"key": DEMO, "value": "yes"}])  # synthetic: a demo database
        connection.execute(
            insert(FunderRow),
            [
                {"id": 1, "name": "Office of the Police and Crime Commissioner", "version": 1},
                {"id": 2, "name": "Home Office", "version": 1},
            ],
        )
        connection.execute(
            insert(PartnershipRow),
            [
                {"id": i + 1, "name": f"{name} CSP", "area": "Leicestershire", "version": 1}
                for i, name in enumerate(PARTNERSHIPS[:partnerships])
            ],
        )
        funds, lines = _funds_and_lines(rng, partnerships, years)
        connection.execute(insert(FundRow), funds)
        _bulk(connection, BudgetLineRow.__tablename__, list(lines[0]), lines[1])
        fund_year = {f["id"]: FinancialYear.parse(f["year"]) for f in funds}
        line_fund = np.array([row[1] for row in lines[1]], dtype=np.int64)
        allocated = np.array([row[9] for row in lines[1]], dtype=np.int64)
        profiles = _profiles(rng, lines[1], fund_year)
        _bulk(
            connection,
            ProfileEntryRow.__tablename__,
            ["id", "line_id", "year", "quarter", "amount", "version"],
            profiles,
        )
        receipts = [
            (f["id"], f["id"], f["amount"], f["starts"] + timedelta(days=45), "received", False, "OPCC grant", 1)
            for f in funds
        ]
        _bulk(
            connection,
            ReceiptRow.__tablename__,
            ["id", "fund_id", "amount", "received_on", "status", "approximate", "reference", "version"],
            receipts,
        )
        spends = _spends(rng, spend_rows, line_fund, allocated, fund_year)
        _bulk(
            connection,
            SpendRow.__tablename__,
            ["id", "line_id", "spent_on", "amount", "kind", "reference", "capital_revenue", "batch_id", "version"],
            spends,
        )
        spend_months.rebuild(connection)  # the derived per-line-per-month sums, in the same transaction
        outcomes = _outcomes(rng, spend_rows // 10, line_fund, fund_year)
        _bulk(
            connection,
            OutcomeUpdateRow.__tablename__,
            [
                "id",
                "line_id",
                "period",
                "reported_on",
                "outputs",
                "unit",
                "narrative",
                "evidence",
                "awaiting_data",
                "version",
            ],
            outcomes,
        )
        size = CountySize(
            partnerships=partnerships,
            funds=len(funds),
            lines=len(lines[1]),
            profiles=len(profiles),
            spends=len(spends),
            outcomes=len(outcomes),
            receipts=len(receipts),
        )
        connection.execute(
            insert(AuditEventRow),
            [
                {
                    "at": now,
                    "actor": ACTOR,
                    "action": "generate",
                    "entity": "county",
                    "entity_id": None,
                    "before": None,
                    "after": jsonable({**size.__dict__, "seed": seed}),
                }
            ],
        )
        if not database.is_sqlite:
            _reset_sequences(connection)
    if not database.is_sqlite:
        _analyze(database)
    return size


def _analyze(database: Database) -> None:
    """PostgreSQL: planner statistics for the freshly loaded tables (autovacuum may be off or behind).

    Without them the planner takes the million-row spends table for an empty one and reads all of it
    to find one fund's spends.
    """
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(
            "ANALYZE funds, budget_lines, profile_entries, receipts, spends, spend_months, outcome_updates"
        )


def _funds_and_lines(
    rng: np.random.Generator, partnerships: int, years: int
) -> tuple[list[dict[str, Any]], tuple[Sequence[str], list[tuple[Any, ...]]]]:
    funds: list[dict[str, Any]] = []
    rows: list[tuple[Any, ...]] = []
    columns = (
        "id", "fund_id", "description", "delivery_partner", "strategic_priority", "area", "cohort", "theme",
        "capital_revenue", "allocated", "reported_balance", "approved_by", "approved_on", "starts", "ends",
        "continuation_decided", "source", "notes", "version",
    )  # fmt: skip
    line_id = 0
    for p in range(partnerships):
        for y in range(years):
            year = FinancialYear(FIRST_YEAR + y)
            for code in FUND_CODES:
                fund_id = len(funds) + 1
                count = int(rng.integers(LINES_PER_FUND - 5, LINES_PER_FUND + 6))
                amounts = (rng.lognormal(mean=8.3, sigma=0.7, size=count) * 100).astype(np.int64) // 5000 * 5000
                amounts = np.maximum(amounts, 50_000)
                stream = stream_for(code)
                funds.append(
                    {
                        "id": fund_id,
                        "code": code,
                        "name": stream.name,
                        "partnership_id": p + 1,
                        "funder_id": 2 if code == "SS" else 1,
                        "year": year.label,
                        "starts": year.start,
                        "ends": year.end,
                        "amount": int(amounts.sum()),
                        "amount_status": "confirmed",
                        "aliases": [],
                        "conditions": stream.default_conditions(year).model_dump(mode="json", exclude_defaults=True),
                        "notes": "Generated county data (invented figures).",
                        "version": 1,
                    }
                )
                for i in range(count):
                    line_id += 1
                    project = PROJECTS[int(rng.integers(len(PROJECTS)))]
                    duplicate = i > 0 and rng.random() < 0.01
                    description = rows[-1][2] if duplicate else f"{project} {i + 1}"
                    allocated = int(rows[-1][9]) if duplicate else int(amounts[i])
                    unapproved = rng.random() < 0.03
                    rows.append(
                        (
                            line_id, fund_id, description, PARTNERS[int(rng.integers(len(PARTNERS)))],
                            PRIORITIES[int(rng.integers(len(PRIORITIES)))], f"NL{56 + int(rng.integers(10))}", "", "",
                            "capital" if rng.random() < 0.15 else "revenue", allocated, None,
                            "" if unapproved else "Strategic Group",
                            None if unapproved else year.start + timedelta(days=20),
                            None, None, False, "county generator", "", 1,
                        )
                    )  # fmt: skip
    return funds, (columns, rows)


def _profiles(
    rng: np.random.Generator, lines: list[tuple[Any, ...]], fund_year: dict[int, FinancialYear]
) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    shares = rng.dirichlet([2.0, 2.0, 2.0, 2.0], size=len(lines))
    for index, line in enumerate(lines):
        if rng.random() < 0.05:
            continue  # a line with no profile (PRF005)
        allocated = int(line[9])
        parts = (shares[index] * allocated).astype(np.int64)
        parts[3] += allocated - int(parts.sum())
        label = fund_year[int(line[1])].label
        for quarter in range(4):
            rows.append((len(rows) + 1, int(line[0]), label, quarter + 1, int(parts[quarter]), 1))
    return rows


def _spends(
    rng: np.random.Generator,
    count: int,
    line_fund: np.ndarray,
    allocated: np.ndarray,
    fund_year: dict[int, FinancialYear],
) -> list[tuple[Any, ...]]:
    lines = len(line_fund)
    # How much of its allocation each line spends: most near plan, some behind, some over, some never start.
    behaviour = rng.choice(4, size=lines, p=[0.75, 0.12, 0.06, 0.07])
    spend_share = np.select(
        [behaviour == 0, behaviour == 1, behaviour == 2],
        [rng.uniform(0.85, 1.0, lines), rng.uniform(0.2, 0.6, lines), rng.uniform(1.02, 1.2, lines)],
        0.0,
    )
    weights = np.where(spend_share > 0, allocated.astype(np.float64), 0.0)
    line_index = rng.choice(lines, size=count, p=weights / weights.sum())
    raw = rng.lognormal(0.0, 0.6, size=count)
    per_line = np.bincount(line_index, weights=raw, minlength=lines)
    target = allocated * spend_share
    amounts = np.maximum((raw * target[line_index] / np.maximum(per_line[line_index], 1e-9)).astype(np.int64), 1)
    quarter = rng.choice(4, size=count, p=[0.15, 0.25, 0.25, 0.35])
    offset = rng.integers(0, 90, size=count)
    quarter_starts = {fund: [year.quarter(q + 1).start for q in range(4)] for fund, year in fund_year.items()}
    refund = rng.random(count) < 0.01
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    funds_of_lines = line_fund.tolist()
    for i, (line, q, off, amount, is_refund) in enumerate(
        zip(line_index.tolist(), quarter.tolist(), offset.tolist(), amounts.tolist(), refund.tolist(), strict=True)
    ):
        day = quarter_starts[funds_of_lines[line]][q] + timedelta(days=off)
        append((i + 1, line + 1, day, amount, "refund" if is_refund else "payment", f"TX{i + 1:07d}", None, None, 1))
    return rows


def _outcomes(
    rng: np.random.Generator, count: int, line_fund: np.ndarray, fund_year: dict[int, FinancialYear]
) -> list[tuple[Any, ...]]:
    line_index = rng.integers(0, len(line_fund), size=count)
    quarter = rng.integers(1, 5, size=count)
    awaiting = rng.random(count) < 0.1
    outputs = rng.integers(1, 200, size=count) * 100
    rows: list[tuple[Any, ...]] = []
    funds_of_lines = line_fund.tolist()
    for i, (line, q, wait, out) in enumerate(
        zip(line_index.tolist(), quarter.tolist(), awaiting.tolist(), outputs.tolist(), strict=True)
    ):
        year = fund_year[funds_of_lines[line]]
        period = year.quarter(q)
        rows.append(
            (
                i + 1, line + 1, period.name, period.end + timedelta(days=20), None if wait else out,
                "people supported", "Awaiting data." if wait else "Delivered.", "" if wait else "Monitoring return",
                wait, 1,
            )
        )  # fmt: skip
    return rows


def _bulk(connection: Any, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """The driver's bulk path; statistics are refreshed once, for every table, at the end (``_analyze``)."""
    write_rows(connection, cast(Table, Base.metadata.tables[table]), columns, rows, analyze=False)


def _reset_sequences(connection: Any) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id."""
    for table in ("funders", "partnerships", "funds", "budget_lines", "profile_entries", "receipts", "spends",
                  "outcome_updates"):  # fmt: skip
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )
