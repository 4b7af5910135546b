"""Names to ids, for the command line's edge: a partnership, a fund, a line, an account.

Each lookup is a read use case (``usecase.read``): it refuses what the principal may not see, so a name
of another partnership is refused here as it would be by the use case itself.
"""

from __future__ import annotations

from grants.domain.errors import NotFound, PermissionDenied
from grants.imports.normalise import normalise_description
from grants.services.access import Principal, local_operator, principal_of, require_admin, require_read
from grants.services.ledger import ensure_partnership, find_fund, find_partnership
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork


def acting_as(database: Database, username: str | None) -> Principal:
    """Who a command acts as: the local operator (no name), or an existing, active account.

    An unknown or disabled account is refused (``PermissionDenied``) before anything is read or changed.
    """
    if username is None:
        return local_operator()
    name = username.strip().lower()
    with UnitOfWork(database, actor=name or "anonymous") as uow:
        user = uow.users.first(username=name) if name else None
        if user is None:
            raise PermissionDenied(f"--user {username!r}: there is no account of that name; nothing was changed")
        if not user.active:
            raise PermissionDenied(f"--user {username!r}: that account is disabled; nothing was changed")
        return principal_of(uow, user)


def partnership_id(uow: UnitOfWork, principal: Principal, name: str) -> int:
    """The partnership of this name (or, when no name matches exactly, the one matching it in any case)."""
    wanted = name.strip().lower()
    alike = [p for p in uow.partnerships.find() if p.name.lower() == wanted]
    found = alike[0] if len(alike) == 1 and uow.partnerships.first(name=name) is None else find_partnership(uow, name)
    assert found.id is not None
    require_read(principal, found.id)
    return found.id


def partnership_id_or_new(uow: UnitOfWork, principal: Principal, name: str) -> int:
    """The partnership's id, creating it first when there is none of that name (administrators only)."""
    try:
        return partnership_id(uow, principal, name)
    except NotFound:
        require_admin(principal)
        created = ensure_partnership(uow, name)
        assert created.id is not None
        return created.id


def fund_id(uow: UnitOfWork, principal: Principal, partnership: str, code: str, year: str) -> int:
    """The id of fund ``code`` of ``partnership`` for ``year`` (NotFound naming what exists)."""
    partnership_id(uow, principal, partnership)
    fund = find_fund(uow, partnership, code, year)
    assert fund.id is not None
    return fund.id


def line_id(uow: UnitOfWork, principal: Principal, fund: int, description: str) -> int:
    """The id of the fund's (first) line of this description, matched as the importers match it."""
    require_read(principal, uow.funds.get(fund).partnership_id)
    wanted = normalise_description(description)
    lines = uow.lines.find(fund_id=fund)
    for line in lines:
        if normalise_description(line.description) == wanted and line.id is not None:
            return line.id
    known = "; ".join(line.description for line in lines[:10]) or "none yet"
    raise NotFound(f"no budget line {description!r} in this fund (lines: {known})")


def round_id(uow: UnitOfWork, principal: Principal, fund: int, number: int) -> int:
    require_read(principal, uow.funds.get(fund).partnership_id)
    found = uow.rounds.first(fund_id=fund, number=number)
    if found is None or found.id is None:
        raise NotFound(f"this fund has no grant round {number}")
    return found.id
