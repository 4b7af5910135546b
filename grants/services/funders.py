"""Funders and the chain their money flows down (Home Office > OPCC > partnership).

A funder's ``parent_id`` is the funder whose money it passes on. Anyone signed in may read the funders' names
(they are printed on every return); an administrator (or the local operator) adds a funder or records whose
money it passes on. A chain never loops back on itself.
"""

from __future__ import annotations

from grants.domain.errors import Conflict, NotFound, RuleViolation
from grants.domain.models import Funder
from grants.services.access import Principal, require_admin
from grants.services.funding_chain import funder_chain
from grants.storage.unit_of_work import UnitOfWork


def list_funders(uow: UnitOfWork, principal: Principal) -> list[tuple[Funder, tuple[str, ...]]]:
    """Every funder with its chain from the top, by name."""
    return [(f, funder_chain(uow, f.id)) for f in uow.funders.find(order_by="name")]


def _named(uow: UnitOfWork, name: str) -> Funder:
    found = uow.funders.first(name=name.strip())
    if found is None:
        known = ", ".join(f.name for f in uow.funders.find(order_by="name")) or "none yet"
        raise NotFound(f"no funder called {name!r} (known: {known})")
    return found


def add_funder(uow: UnitOfWork, principal: Principal, name: str, *, parent: str = "") -> Funder:
    """A new funder (optionally passing on ``parent``'s money)."""
    require_admin(principal)
    if not name.strip():
        raise RuleViolation("a funder needs a name")
    if uow.funders.first(name=name.strip()) is not None:
        raise Conflict(f"there is already a funder called {name.strip()}")
    parent_id = _named(uow, parent).id if parent.strip() else None
    return uow.funders.add(Funder(name=name.strip(), parent_id=parent_id))


def set_parent(uow: UnitOfWork, principal: Principal, name: str, parent: str) -> Funder:
    """Record whose money ``name`` passes on (``parent`` empty: nobody's); refused if the chain would loop."""
    require_admin(principal)
    funder = _named(uow, name)
    parent_id = _named(uow, parent).id if parent.strip() else None
    step = parent_id
    while step is not None:
        if step == funder.id:
            raise RuleViolation(f"{funder.name} cannot pass on {parent.strip()}'s money: the chain would loop")
        step = uow.funders.get(step).parent_id
    assert funder.id is not None
    return uow.funders.update(funder.id, funder.version, parent_id=parent_id)
