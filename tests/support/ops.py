"""Name-keyed shortcuts over the use cases, for tests that set up or read a ledger by names.

Each runs the real use case through ``usecase.perform`` (or ``usecase.read`` for a dry run or a
query) as the local operator named ``actor``, after turning names into ids with
:mod:`grants.services.lookup` exactly as the command line does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from grants.domain.models import Return
from grants.services import checking, giving_export, importing, lookup, reporting, return_workflow, returns, usecase
from grants.services.access import Principal, local_operator
from grants.storage.database import Database
from reports.model import BudgetPack, ReturnView
from rules.findings import Finding

ACTOR = "tests"


def _who(actor: str) -> Principal:
    return local_operator(actor)


def _fund(database: Database, partnership: str, fund_code: str, year: str) -> int:
    result: int = usecase.read(database, _who(ACTOR), lookup.fund_id, partnership, fund_code, year)
    return result


def import_budget(
    database: Database,
    path: Path,
    *,
    partnership: str,
    fund_code: str,
    year: str,
    as_at: date,
    actor: str = ACTOR,
    dry_run: bool = False,
) -> importing.ImportReport:
    def named(uow: Any, who: Principal) -> importing.ImportReport:
        partnership_id = lookup.partnership_id_or_new(uow, who, partnership)
        return importing.import_budget(
            uow, who, partnership_id, path, fund_code=fund_code, year=year, as_at=as_at, dry_run=dry_run
        )

    run = usecase.read if dry_run else usecase.perform
    return run(database, _who(actor), named)


def import_spend(
    database: Database,
    path: Path,
    *,
    partnership: str,
    fund_code: str,
    year: str,
    actor: str = ACTOR,
    dry_run: bool = False,
    allow_repeat: str = "",
    progress: Callable[[float], None] | None = None,
) -> importing.ImportReport:
    run = usecase.read if dry_run else usecase.perform
    return run(
        database,
        _who(actor),
        importing.import_spend,
        _fund(database, partnership, fund_code, year),
        path,
        dry_run=dry_run,
        allow_repeat=allow_repeat,
        progress=progress,
    )


def import_profile(
    database: Database,
    path: Path,
    *,
    partnership: str,
    fund_code: str,
    year: str,
    actor: str = ACTOR,
    dry_run: bool = False,
) -> importing.ImportReport:
    run = usecase.read if dry_run else usecase.perform
    fund_id = _fund(database, partnership, fund_code, year)
    return run(database, _who(actor), importing.import_profile, fund_id, path, dry_run=dry_run)


def run_checks(database: Database, *, partnership: str | None = None, **options: Any) -> list[Finding]:
    """The checks as the local operator, optionally for one partnership (by name)."""
    who = _who(ACTOR)
    partnership_id = usecase.read(database, who, lookup.partnership_id, partnership) if partnership else None
    found: list[Finding] = usecase.read(database, who, checking.run_checks, partnership_id=partnership_id, **options)
    return found


def _pack_ids(database: Database, partnership: str, year: str, fund_code: str | None) -> tuple[int, int | None]:
    who = _who(ACTOR)
    partnership_id: int = usecase.read(database, who, lookup.partnership_id, partnership)
    fund_id = _fund(database, partnership, fund_code, year) if fund_code else None
    return partnership_id, fund_id


def budget_pack(
    database: Database,
    *,
    partnership: str,
    year: str,
    as_at: date,
    fund_code: str | None = None,
    prepared_by: str = "",
    **options: Any,
) -> BudgetPack:
    partnership_id, fund_id = _pack_ids(database, partnership, year, fund_code)
    return usecase.read(
        database,
        _who(ACTOR),
        reporting.budget_pack,
        partnership_id,
        year=year,
        as_at=as_at,
        fund_id=fund_id,
        prepared_by=prepared_by,
        **options,
    )


def budget_implications(
    database: Database, *, partnership: str, year: str, as_at: date, fund_code: str | None = None
) -> list[tuple[str, str]]:
    partnership_id, fund_id = _pack_ids(database, partnership, year, fund_code)
    return usecase.read(
        database, _who(ACTOR), reporting.budget_implications, partnership_id, year=year, as_at=as_at, fund_id=fund_id
    )


def export_360giving(database: Database, fmt: str, *, partnership: str | None = None, **options: Any) -> bytes:
    who = _who(ACTOR)
    partnership_id = usecase.read(database, who, lookup.partnership_id, partnership) if partnership else None
    return usecase.read(database, who, giving_export.export_360giving, fmt, partnership_id=partnership_id, **options)


def _period(half: str | None, quarter: str | None) -> str:
    period = half or quarter
    if not period:
        raise ValueError("give a half or a quarter")
    return period


def return_view(
    database: Database,
    *,
    partnership: str,
    fund_code: str,
    year: str,
    half: str | None = None,
    quarter: str | None = None,
    prepared_by: str = "",
    **options: Any,
) -> ReturnView:
    fund_id = _fund(database, partnership, fund_code, year)
    return usecase.read(
        database,
        _who(ACTOR),
        returns.return_view,
        fund_id,
        _period(half, quarter),
        prepared_by=prepared_by,
        **options,
    )


def submit_return(
    database: Database,
    *,
    partnership: str,
    fund_code: str,
    year: str,
    actor: str = ACTOR,
    on: date,
    half: str | None = None,
    quarter: str | None = None,
    clock: Callable[[], datetime] | None = None,
    sign_off: bool = True,
    **options: Any,
) -> Return:
    """Sign the return off (unless ``sign_off`` is False) and submit it, as the local operator ``actor``."""
    fund_id = _fund(database, partnership, fund_code, year)
    if clock is not None:
        options["clock"] = clock
    if sign_off:
        usecase.perform(
            database, _who(actor), return_workflow.sign_off, fund_id, _period(half, quarter), on=on,
            **({"clock": clock} if clock is not None else {}),
        )  # fmt: skip
    return usecase.perform(
        database, _who(actor), return_workflow.submit_return, fund_id, _period(half, quarter), on=on, **options
    )
