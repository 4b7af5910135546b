"""User commands: ``users add|list|passwd|disable|enable|demo``.

The first administrator is made here (``python -m grants users add alice --role admin
--all-partnerships``); everyone else can then be added on the app's Admin page. Whoever runs the
command line without ``--user`` is the local operator, with every permission, recorded in the audit log
as "local operator"; with ``--user NAME`` it acts as that account (an administrator, to manage users).

A password comes from a prompt (typed twice, not echoed) or, for scripts, the first line of
standard input with ``--password-stdin``. It is never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from grants.domain.enums import Role
from grants.domain.errors import NotFound, PermissionDenied, RuleViolation
from grants.services import usecase, users
from grants.services.access import ROLE_LABELS
from grants.services.demo import ensure_demo_accounts
from grants.services.passwords import PASSWORD_RULE
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("users", help="sign-in accounts: add the first admin, list, set passwords")
    commands = group.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    add = commands.add_parser(
        "add", help="add an account", description=f"Add an account. Password rule: {PASSWORD_RULE}"
    )
    add.add_argument("username", help="a login name, or the person's work email when signing in with Microsoft")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", default="", help="the person's full name, shown in the app and on approvals")
    where = add.add_mutually_exclusive_group()
    where.add_argument(
        "--partnership", action="append", default=[], metavar="NAME", help="a partnership they may see (repeat)"
    )
    where.add_argument("--all-partnerships", action="store_true", help="every partnership (e.g. an admin)")
    add.add_argument(
        "--funder", default="", metavar="NAME", help="role funder: the funder they work for (sees what it funds)"
    )
    secret = add.add_mutually_exclusive_group()
    secret.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    secret.add_argument("--no-password", action="store_true", help="no local password (signs in through OIDC only)")
    add.set_defaults(handler=_add)

    listing = commands.add_parser("list", help="list accounts (never passwords)")
    listing.set_defaults(handler=_list)

    passwd = commands.add_parser(
        "passwd", help="set an account's password", description=f"Set a password. Password rule: {PASSWORD_RULE}"
    )
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd.set_defaults(handler=_passwd)

    for name, active, helptext in (
        ("disable", False, "stop an account signing in"),
        ("enable", True, "let a disabled account sign in again"),
    ):
        toggle = commands.add_parser(name, help=helptext)
        toggle.add_argument("username")
        toggle.set_defaults(handler=_toggle, active=active)

    demo = commands.add_parser("demo", help="add the demo accounts (manager, strategic, viewer, admin)")
    demo.set_defaults(handler=_demo)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    print(f"Password rule: {PASSWORD_RULE}", file=sys.stderr)
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Password again: ")
    if first != second:
        raise RuleViolation("the two passwords differ")
    return first


def _add(args: argparse.Namespace, database: Database) -> int:
    acting = args.principal
    with UnitOfWork(database, actor=acting.username) as uow:
        granted = users.partnership_ids_for(uow, args.partnership)
    password = None if args.no_password else _read_password(args.password_stdin)
    user = usecase.perform(
        database,
        acting,
        users.add_user,
        username=args.username,
        role=args.role,
        password=password,
        partnership_ids=granted,
        all_partnerships=args.all_partnerships,
        display_name=args.name,
        funder=args.funder,
    )
    where = "every partnership" if user.all_partnerships else f"{len(user.partnership_ids)} partnership(s)"
    if user.funder_id is not None:
        where = f"the partnerships {args.funder} funds"
    print(f"added {user.username}: {ROLE_LABELS[user.role].lower()}, {where}")
    return 0


def _list(args: argparse.Namespace, database: Database) -> int:
    accounts = usecase.read(database, args.principal, users.list_users)
    if not accounts:
        print("no accounts yet: add the first administrator with")
        print("  python -m grants users add YOUR-USERNAME --role admin --all-partnerships")
        return 0
    for account in accounts:
        where = "all partnerships" if account.all_partnerships else ", ".join(account.partnerships) or "no partnerships"
        state = "" if account.active else "  (disabled)"
        print(f"{account.username:<30} {account.role.value:<16} {where}{state}")
    return 0


def _passwd(args: argparse.Namespace, database: Database) -> int:
    usecase.perform(database, args.principal, users.set_password, args.username, _read_password(args.password_stdin))
    print(f"password set for {users.normalise_username(args.username)}")
    return 0


def _toggle(args: argparse.Namespace, database: Database) -> int:
    acting = args.principal
    name = users.normalise_username(args.username)
    found = next((u for u in usecase.read(database, acting, users.list_users) if u.username == name), None)
    if found is None:
        raise NotFound(f"no user called {name}")
    usecase.perform(database, acting, users.update_user, found.id, found.version, active=args.active)
    print(f"{name} {'can sign in' if args.active else 'is disabled'}")
    return 0


def _demo(args: argparse.Namespace, database: Database) -> int:
    if not args.principal.is_admin:
        raise PermissionDenied(f"only an administrator adds the demo accounts; {args.principal.username} is not")
    created = ensure_demo_accounts(database)
    if created:
        print(f"added the demo accounts: {', '.join(created)} (passwords: demo-<username>, e.g. demo-manager)")
    else:
        print("the demo accounts already exist")
    return 0
