"""Who may do what: permissions are decided here, in the service layer, never in a page.

A :class:`Principal` is the signed-in person as the services see them: a username, a role and
the partnerships granted to them (or all of them). Every write use case takes a principal and
calls one of the ``require_*`` checks before it touches data; every read filters to
:func:`visible_partnerships`. A check that fails raises :class:`PermissionDenied` with a
sentence the app can show as it is.

The roles (docs/domain.md §1):

========================  =====  =======================  ==============================  =====
role                      read   write the ledger         approve allocations, virements  users
========================  =====  =======================  ==============================  =====
``manager``               yes    yes                      no                              no
``strategic_group``       yes    no                       yes                             no
``viewer`` (e.g. OPCC)    yes    no                       no                              no
``admin``                 yes    no                       no                              yes
``funder`` (the OPCC)     yes    no                       no (reviews returns instead)    no
========================  =====  =======================  ==============================  =====

Reads and writes are limited to the principal's partnerships. A funder's account sees the partnerships
that hold a fund of its funder (or of a funder its money flows down to: Home Office -> OPCC -> partnership),
changes no partnership's ledger, and accepts or queries their submitted returns (:func:`require_review`).

Approving is kept apart from recording on purpose: the manager records money and proposes, the Strategic Group approves
("as agreed by Charnwood Strategic Group"), so no one approves their own allocation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from grants.domain.enums import Role
from grants.domain.errors import PermissionDenied
from grants.domain.models import User
from grants.storage.tables import FundRow
from grants.storage.unit_of_work import UnitOfWork

ROLE_LABELS = {
    Role.MANAGER: "Community Safety Manager",
    Role.STRATEGIC_GROUP: "Strategic Group member",
    Role.VIEWER: "Viewer",
    Role.ADMIN: "Administrator",
    Role.FUNDER: "Funder's officer",
}
WRITE_ROLES = frozenset({Role.MANAGER})
APPROVE_ROLES = frozenset({Role.STRATEGIC_GROUP})
ADMIN_ROLES = frozenset({Role.ADMIN})
REVIEW_ROLES = frozenset({Role.FUNDER})
LOCAL_OPERATOR = "local operator"


@dataclass(frozen=True)
class Principal:
    """The signed-in person as the services see them (no password, nothing secret).

    ``partnership_ids`` is a sorted tuple so the principal hashes the same way every run
    (the app keys its caches on it).
    """

    username: str
    role: Role
    partnership_ids: tuple[int, ...] = ()
    all_partnerships: bool = False
    display_name: str = ""
    local: bool = False
    """The local operator: whoever runs the command line with the database URL (every right, no account)."""
    funder_id: int | None = None
    """A funder's account: the funder it works for (its partnerships are those the funder's money reaches)."""

    @classmethod
    def of(
        cls,
        username: str,
        role: Role | str,
        partnership_ids: Iterable[int] = (),
        *,
        all_partnerships: bool = False,
        display_name: str = "",
        funder_id: int | None = None,
    ) -> Principal:
        return cls(
            username=username,
            role=Role(role),
            partnership_ids=tuple(sorted({int(i) for i in partnership_ids})),
            all_partnerships=all_partnerships,
            display_name=display_name,
            funder_id=funder_id,
        )

    @classmethod
    def from_user(cls, user: User, funded_partnerships: Iterable[int] = ()) -> Principal:
        """The principal of an account; a funder's account sees ``funded_partnerships`` (:func:`principal_of`)."""
        if user.role is Role.FUNDER:
            return cls.of(
                user.username,
                user.role,
                funded_partnerships,
                display_name=user.display_name,
                funder_id=user.funder_id,
            )
        return cls.of(
            user.username,
            user.role,
            user.partnership_ids,
            all_partnerships=user.all_partnerships,
            display_name=user.display_name,
        )

    @property
    def label(self) -> str:
        """The name to show and to record as who approved something."""
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return LOCAL_OPERATOR if self.local else ROLE_LABELS[self.role]

    @property
    def can_write(self) -> bool:
        return self.local or self.role in WRITE_ROLES

    @property
    def can_approve(self) -> bool:
        return self.local or self.role in APPROVE_ROLES

    @property
    def can_review(self) -> bool:
        """Accepting or querying a partnership's submitted return: the funder's officer."""
        return self.local or self.role in REVIEW_ROLES

    @property
    def is_admin(self) -> bool:
        return self.local or self.role in ADMIN_ROLES

    def sees(self, partnership_id: int) -> bool:
        return self.all_partnerships or partnership_id in self.partnership_ids


def local_operator(name: str = LOCAL_OPERATOR) -> Principal:
    """Whoever runs the command line without ``--user``: they hold the database URL, so they may do anything.

    Not an account and not an administrator: a principal of its own (``local``), recorded in the audit
    log as "local operator" (or ``name``, e.g. the demo loader).
    """
    return Principal(username=name, role=Role.VIEWER, all_partnerships=True, display_name=name, local=True)


# -- checks ---------------------------------------------------------------------------------


def require_read(principal: Principal, partnership_id: int) -> None:
    if not principal.sees(partnership_id):
        raise PermissionDenied(f"{principal.username} does not have access to this partnership")


def require_write(principal: Principal, partnership_id: int) -> None:
    """Recording money and plans: the Community Safety Manager of that partnership."""
    if not principal.can_write:
        raise PermissionDenied(
            f"{principal.username} is a {principal.role_label.lower()} and can only read the ledger; "
            "ask the Community Safety Manager to make this change"
        )
    require_read(principal, partnership_id)


def require_approve(principal: Principal, partnership_id: int) -> None:
    """Approving allocations, virements and grant decisions: the Strategic Group."""
    if not principal.can_approve:
        raise PermissionDenied(
            f"only the Strategic Group approves allocations and virements; {principal.username} is a "
            f"{principal.role_label.lower()}"
        )
    require_read(principal, partnership_id)


def require_review(principal: Principal, partnership_id: int) -> None:
    """Accepting or querying a submitted return: the funder's officer, for a partnership it funds."""
    if not principal.can_review:
        raise PermissionDenied(
            f"only the funder accepts or queries a submitted return; {principal.username} is a "
            f"{principal.role_label.lower()}"
        )
    require_read(principal, partnership_id)


def require_funder(uow: UnitOfWork, principal: Principal, funder_id: int) -> None:
    """Setting a programme's conditions: the officer of that funder or of a funder above it in its chain (the
    Home Office for the OPCC's programme), or the local operator. Needs ``uow`` to walk the chain."""
    if principal.local:
        return
    if principal.role is not Role.FUNDER or principal.funder_id is None:
        raise PermissionDenied(
            f"only the funder sets a programme's conditions; {principal.username} is a {principal.role_label.lower()}"
        )
    if funder_id not in funder_and_below(uow, principal.funder_id):
        name = uow.funders.get(funder_id).name
        raise PermissionDenied(f"{principal.username} does not work for {name} or a funder above it")


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise PermissionDenied(f"only an administrator manages users and partnerships; {principal.username} is not")


def visible_partnerships(principal: Principal) -> frozenset[int] | None:
    """The partnership ids the principal may see, or ``None`` for every partnership."""
    return None if principal.all_partnerships else frozenset(principal.partnership_ids)


def funder_and_below(uow: UnitOfWork, funder_id: int) -> frozenset[int]:
    """The funder and every funder its money flows down to (children, grandchildren, ...)."""
    children: dict[int | None, list[int]] = {}
    for funder in uow.funders.find():
        assert funder.id is not None
        children.setdefault(funder.parent_id, []).append(funder.id)
    found: set[int] = set()
    waiting = [funder_id]
    while waiting:
        current = waiting.pop()
        if current not in found:
            found.add(current)
            waiting.extend(children.get(current, ()))
    return frozenset(found)


def funded_partnerships(uow: UnitOfWork, funder_id: int) -> frozenset[int]:
    """The partnerships holding a fund whose money comes from this funder, directly or down its chain."""
    funders = funder_and_below(uow, funder_id)
    query = select(FundRow.partnership_id).where(FundRow.funder_id.in_(funders)).distinct()
    return frozenset(int(i) for i in uow.session.execute(query).scalars())  # read on every request: one column


def principal_of(uow: UnitOfWork, user: User) -> Principal:
    """The principal of an account as it stands now (a funder's partnerships are read afresh)."""
    if user.role is Role.FUNDER and user.funder_id is not None:
        return Principal.from_user(user, funded_partnerships(uow, user.funder_id))
    return Principal.from_user(user)


# -- which partnership a record belongs to --------------------------------------------------


def partnership_of_fund(uow: UnitOfWork, fund_id: int) -> int:
    return uow.funds.get(fund_id).partnership_id


def partnership_of_line(uow: UnitOfWork, line_id: int) -> int:
    return partnership_of_fund(uow, uow.lines.get(line_id).fund_id)


def partnership_of_round(uow: UnitOfWork, round_id: int) -> int:
    return partnership_of_fund(uow, uow.rounds.get(round_id).fund_id)


def check_fund(uow: UnitOfWork, principal: Principal, fund_id: int, *, write: bool = False) -> int:
    """The fund's partnership id, after checking the principal may read it (and write to it)."""
    partnership_id = partnership_of_fund(uow, fund_id)
    if write:
        require_write(principal, partnership_id)
    else:
        require_read(principal, partnership_id)
    return partnership_id
