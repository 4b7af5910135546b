"""Accounts: local passwords, roles and partnerships, and the demo accounts.

Passwords are hashed with stdlib ``hashlib.scrypt`` (memory-hard, slow on purpose) with a
random salt per user and stored as ``scrypt$n$r$p$salt$hash`` (salt and hash base64), so the
cost can be raised later and old hashes still verify. Comparison is constant-time
(``hmac.compare_digest``), and an unknown username costs the same hash as a known one, so
timing does not reveal which usernames exist.

A password or its hash never reaches the audit log: the user row is written without it and
the hash is set afterwards with an audit event that says only "password set".

When the app signs people in through an OIDC provider (``st.login``), the verified email is
looked up as a username with :func:`principal_for_email`; the account still has to exist
here, with its role and partnerships, or the person gets no access.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from grants.domain.enums import Role
from grants.domain.errors import Conflict, NotFound, RuleViolation
from grants.domain.models import Partnership, User
from grants.services.access import Principal, principal_of, require_admin
from grants.services.passwords import MIN_LENGTH, check_new_password
from grants.storage.database import Database
from grants.storage.tables import UserRow
from grants.storage.unit_of_work import UnitOfWork

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_PASSWORD_LENGTH = MIN_LENGTH
_MAX_SCRYPT_MEMORY = 256 * 1024 * 1024

DEMO_PASSWORDS = {
    "manager": "demo-manager",
    "strategic": "demo-strategic",
    "viewer": "demo-viewer",
    "admin": "demo-admin",
    "funder": "demo-funder",
}
"""The demo accounts' passwords: for the demo database only (documented in the README and on the sign-in page)."""

_DEMO_ACCOUNTS = (
    ("manager", "Community Safety Manager (demo)", Role.MANAGER, False),
    ("strategic", "Strategic Group member (demo)", Role.STRATEGIC_GROUP, False),
    ("viewer", "OPCC viewer (demo)", Role.VIEWER, True),
    ("admin", "Administrator (demo)", Role.ADMIN, True),
    ("funder", "OPCC commissioning officer (demo)", Role.FUNDER, False),
)
DEMO_FUNDER = "Office of the Police and Crime Commissioner"
"""The demo funder's account works for the OPCC (the Partnership Locality Fund's funder)."""
DEMO_MARK = "(demo)"


# -- password hashing -----------------------------------------------------------------------


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$n$r$p$salt$hash`` for a password, with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=_MAX_SCRYPT_MEMORY)
    return "$".join(["scrypt", str(n), str(r), str(p), _b64(salt), _b64(key)])


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a stored hash (constant-time; False for any malformed hash)."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        key = hashlib.scrypt(
            password.encode("utf-8"),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(_unb64(expected)),
            maxmem=_MAX_SCRYPT_MEMORY,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key, _unb64(expected))


def check_password(password: str, username: str = "") -> None:
    """Refuse a password that breaks the rule (:data:`grants.services.passwords.PASSWORD_RULE`)."""
    check_new_password(password, username)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
"""Hashed against when the username is unknown, so a miss costs as long as a hit."""


# -- signing in -----------------------------------------------------------------------------


def normalise_username(username: str) -> str:
    return username.strip().lower()


def user_count(database: Database) -> int:
    """How many accounts exist (0 means the first admin still has to be made)."""
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(UserRow)) or 0)


def authenticate(database: Database, username: str, password: str) -> Principal | None:
    """The principal for a username and password, or None (no hint which of the two was wrong)."""
    with UnitOfWork(database, actor=normalise_username(username) or "anonymous") as uow:
        user = uow.users.first(username=normalise_username(username))
    if user is None or not user.active or not user.password_hash:
        verify_password(password, _DUMMY_HASH)
        return None
    if not verify_password(password, user.password_hash):
        return None
    return _principal(database, user)


def principal_for(database: Database, username: str) -> Principal | None:
    """The current principal of an active account (re-read each request: role changes apply at once)."""
    with UnitOfWork(database, actor=username) as uow:
        user = uow.users.first(username=normalise_username(username))
    if user is None or not user.active:
        return None
    return _principal(database, user)


def _principal(database: Database, user: User) -> Principal:
    with UnitOfWork(database, actor=user.username) as uow:
        return principal_of(uow, user)


def principal_for_email(database: Database, email: str) -> Principal | None:
    """The principal whose username is this (OIDC-verified) email address, if active."""
    if not email or "@" not in email:
        return None
    return principal_for(database, email)


def demo_accounts_present(database: Database) -> bool:
    """Whether the demo accounts exist (the sign-in page then lists them)."""
    with UnitOfWork(database, actor="app") as uow:
        admin = uow.users.first(username="admin")
    return admin is not None and DEMO_MARK in admin.display_name


# -- managing accounts ----------------------------------------------------------------------


@dataclass(frozen=True)
class UserSummary:
    """An account as the admin page shows it (never the hash)."""

    id: int
    version: int
    username: str
    display_name: str
    role: Role
    all_partnerships: bool
    partnerships: tuple[str, ...]
    partnership_ids: tuple[int, ...]
    active: bool
    has_password: bool


def list_users(uow: UnitOfWork, principal: Principal) -> list[UserSummary]:
    require_admin(principal)
    names = {p.id: p.name for p in uow.partnerships.find()}
    users = uow.users.find(order_by="username")
    return [
        UserSummary(
            id=u.id or 0,
            version=u.version or 0,
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            all_partnerships=u.all_partnerships,
            partnerships=tuple(names.get(i, f"#{i}") for i in u.partnership_ids),
            partnership_ids=u.partnership_ids,
            active=u.active,
            has_password=bool(u.password_hash),
        )
        for u in users
    ]


def partnership_ids_for(uow: UnitOfWork, names: Iterable[str]) -> tuple[int, ...]:
    """Ids of partnerships named exactly; NotFound names the ones that do not exist."""
    known = {p.name: p.id for p in uow.partnerships.find()}
    wanted = list(names)
    missing = [name for name in wanted if name not in known]
    if missing:
        names = ", ".join(repr(m) for m in missing)
        raise NotFound(f"no partnership called {names} (known: {', '.join(known) or 'none'})")
    return tuple(sorted(int(known[name] or 0) for name in wanted))


def add_user(
    uow: UnitOfWork,
    principal: Principal,
    *,
    username: str,
    role: Role | str,
    password: str | None = None,
    partnership_ids: Sequence[int] = (),
    all_partnerships: bool = False,
    display_name: str = "",
    funder: str = "",
) -> User:
    """Create an account. Without a password the person can sign in only through OIDC.

    A funder's account (role ``funder``) names its funder (``funder``, e.g. "Leicestershire OPCC") and no
    partnerships: it sees the partnerships that funder's money reaches.
    """
    require_admin(principal)
    funder_id = _funder_for(uow, Role(role), funder, partnership_ids, all_partnerships)
    name = normalise_username(username)
    if not name or any(ch.isspace() for ch in name):
        raise RuleViolation("a username is one word (an email address works), without spaces")
    if password is not None:
        check_password(password, name)
    if uow.users.first(username=name) is not None:
        raise Conflict(f"there is already a user called {name}")
    _check_partnerships_exist(uow, partnership_ids)
    user = uow.users.add(
        User(
            username=name,
            display_name=display_name.strip(),
            role=Role(role),
            all_partnerships=all_partnerships,
            partnership_ids=tuple(sorted(set(partnership_ids))),
            funder_id=funder_id,
        )
    )
    assert user.id is not None
    if password is not None:
        _store_hash(uow, user.id, hash_password(password))
    return uow.users.get(user.id)


def _funder_for(
    uow: UnitOfWork, role: Role, funder: str, partnership_ids: Sequence[int], all_partnerships: bool
) -> int | None:
    """The funder id of a funder's account (which must name one and no partnerships); None for other roles."""
    if role is not Role.FUNDER:
        if funder.strip():
            raise RuleViolation("only a funder's account names a funder (choose the role funder)")
        return None
    if partnership_ids or all_partnerships:
        raise RuleViolation("a funder's account sees the partnerships its funder funds; do not grant partnerships")
    found = uow.funders.first(name=funder.strip()) if funder.strip() else None
    if found is None:
        known = ", ".join(f.name for f in uow.funders.find()) or "none yet"
        raise NotFound(f"a funder's account needs --funder, one of: {known}")
    return found.id


def update_user(
    uow: UnitOfWork,
    principal: Principal,
    user_id: int,
    expected_version: int | None,
    *,
    role: Role | str | None = None,
    partnership_ids: Sequence[int] | None = None,
    all_partnerships: bool | None = None,
    display_name: str | None = None,
    active: bool | None = None,
) -> User:
    """Change an account's role, partnerships, name or whether it may sign in."""
    require_admin(principal)
    changes: dict[str, object] = {}
    if role is not None:
        changes["role"] = Role(role)
    if partnership_ids is not None:
        changes["partnership_ids"] = tuple(sorted(set(partnership_ids)))
    if all_partnerships is not None:
        changes["all_partnerships"] = all_partnerships
    if display_name is not None:
        changes["display_name"] = display_name.strip()
    if active is not None:
        changes["active"] = active
    current = uow.users.get(user_id)
    if partnership_ids is not None:
        _check_partnerships_exist(uow, partnership_ids)
    stays_admin = changes.get("role", current.role) is Role.ADMIN and changes.get("active", current.active)
    if current.role is Role.ADMIN and current.active and not stays_admin and _active_admins(uow) <= 1:
        raise RuleViolation("this is the last active administrator; make another before changing this one")
    return uow.users.update(user_id, expected_version, **changes)


def set_password(uow: UnitOfWork, principal: Principal, username: str, new_password: str) -> None:
    """Set a password: an admin for anyone, anyone for themselves."""
    name = normalise_username(username)
    if name != normalise_username(principal.username):
        require_admin(principal)
    check_password(new_password, name)
    user = uow.users.first(username=name)
    if user is None or user.id is None:
        raise NotFound(f"no user called {name}")
    _store_hash(uow, user.id, hash_password(new_password))


def add_partnership(uow: UnitOfWork, principal: Principal, name: str, area: str = "") -> Partnership:
    require_admin(principal)
    clean = name.strip()
    if not clean:
        raise RuleViolation("a partnership needs a name")
    if uow.partnerships.first(name=clean) is not None:
        raise Conflict(f"there is already a partnership called {clean}")
    return uow.partnerships.add(Partnership(name=clean, area=area.strip()))


def update_partnership(
    uow: UnitOfWork, principal: Principal, partnership_id: int, expected_version: int | None, *, name: str, area: str
) -> Partnership:
    require_admin(principal)
    if not name.strip():
        raise RuleViolation("a partnership needs a name")
    return uow.partnerships.update(partnership_id, expected_version, name=name.strip(), area=area.strip())


def list_partnerships(uow: UnitOfWork, principal: Principal) -> list[Partnership]:
    """Every partnership, for an administrator choosing whom to grant (the ledger reads filter by principal)."""
    require_admin(principal)
    return uow.partnerships.find(order_by="name")


def ensure_demo_users(database: Database, partnership: str) -> list[str]:
    """Create the demo accounts that do not exist yet, in a demo database only; the usernames created.

    ``manager`` (Community Safety Manager of the demo partnership), ``strategic`` (its Strategic
    Group), ``viewer`` (reads every partnership), ``admin`` (users and partnerships, every partnership) and
    ``funder`` (the OPCC's commissioning officer: the county view and the review of returns).
    Passwords are in :data:`DEMO_PASSWORDS`. ``partnership`` is the demo
    partnership's name (``grants.services.demo.PARTNERSHIP``).
    """
    with UnitOfWork(database, actor="demo-loader") as uow:
        created = add_demo_users(uow, partnership)
        uow.commit()
    return created


def add_demo_users(uow: UnitOfWork, partnership: str) -> list[str]:
    """:func:`ensure_demo_users` in the caller's unit of work (which commits), so the demo and its accounts
    can be one transaction."""
    from grants.services.installation import is_demo_in

    uow.session.flush()  # the demo mark may have been added in this unit of work
    if not is_demo_in(uow):
        raise RuleViolation(
            "the demo accounts go only into a demo database (python -m grants --database URL init --demo "
            "on a new database); add real accounts with 'python -m grants users add'"
        )
    created: list[str] = []
    demo = uow.partnerships.first(name=partnership)
    own = (demo.id,) if demo is not None and demo.id is not None else ()
    opcc = uow.funders.first(name=DEMO_FUNDER)
    for username, display_name, role, everywhere in _DEMO_ACCOUNTS:
        if uow.users.first(username=username) is not None:
            continue
        funder = role is Role.FUNDER
        if funder and opcc is None:
            continue  # a demo without the OPCC has no funder's account
        user = uow.users.add(
            User(
                username=username,
                display_name=display_name,
                role=role,
                all_partnerships=everywhere,
                partnership_ids=() if everywhere or funder else own,
                funder_id=opcc.id if funder and opcc is not None else None,
            )
        )
        assert user.id is not None
        _store_hash(uow, user.id, hash_password(DEMO_PASSWORDS[username]))
        created.append(username)
    return created


# -- helpers --------------------------------------------------------------------------------


def _store_hash(uow: UnitOfWork, user_id: int, hashed: str) -> None:
    """Set a hash without putting it in the audit log (the event says only that it was set)."""
    row = uow.session.get(UserRow, user_id)
    if row is None:
        raise NotFound(f"no user with id {user_id}")
    row.password_hash = hashed
    uow.session.flush()
    uow.audit.record("set-password", "users", user_id, None, {"username": row.username, "password": "set"})


def _check_partnerships_exist(uow: UnitOfWork, partnership_ids: Iterable[int]) -> None:
    known = {p.id for p in uow.partnerships.find()}
    missing = sorted(set(partnership_ids) - known)
    if missing:
        raise NotFound(f"no partnership with id {', '.join(str(i) for i in missing)}")


def _active_admins(uow: UnitOfWork) -> int:
    return sum(1 for u in uow.users.find(role=Role.ADMIN) if u.active)


__all__ = [
    "DEMO_PASSWORDS",
    "UserSummary",
    "add_demo_users",
    "add_partnership",
    "add_user",
    "authenticate",
    "ensure_demo_users",
    "hash_password",
    "list_users",
    "principal_for",
    "principal_for_email",
    "set_password",
    "update_user",
    "user_count",
    "verify_password",
]
