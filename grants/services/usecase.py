"""The one way into the services: every use case runs as a principal inside one unit of work.

A use case is a plain function ``use_case(uow, principal, *ids_and_values)``: it checks the
principal's role and partnerships with :mod:`grants.services.access` through the same ``uow`` it then
reads or writes with, so the check and the work are one transaction. Use cases never commit; the entry
point (a page or a command) runs them with :func:`perform` (writes: commit on success, roll back on any
error) or :func:`read` (queries: always roll back). The audit log records ``principal.username``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from grants.services import period_lock
from grants.services.access import Principal
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

P = ParamSpec("P")
R = TypeVar("R")


def perform(
    database: Database,
    principal: Principal,
    use_case: Callable[Concatenate[UnitOfWork, Principal, P], R],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> R:
    """Run a write use case as ``principal`` and commit it; any exception leaves the database unchanged.

    Every write passes the locked-period and closed-year guard (:mod:`grants.services.period_lock`).
    """
    with UnitOfWork(database, actor=principal.username) as uow:
        period_lock.install(uow, principal)
        result = use_case(uow, principal, *args, **kwargs)
        uow.commit()
        return result


def read(
    database: Database,
    principal: Principal,
    query: Callable[Concatenate[UnitOfWork, Principal, P], R],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> R:
    """Run a query as ``principal``; nothing it does is committed."""
    with UnitOfWork(database, actor=principal.username) as uow:
        return query(uow, principal, *args, **kwargs)
