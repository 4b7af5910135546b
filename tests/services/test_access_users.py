"""Accounts: slow salted password hashes, signing in, roles that take effect at once, the command line."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from grants.cli import users as users_cli
from grants.domain.enums import Role
from grants.domain.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from grants.domain.models import Funder, Partnership
from grants.services import usecase, users
from grants.services.access import Principal, local_operator
from grants.services.demo import PARTNERSHIP
from grants.services.installation import mark_demo
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

ADMIN = Principal.of("ada", Role.ADMIN, all_partnerships=True)
FAST = {"n": 2**4, "r": 1, "p": 1}  # cheap parameters for tests that only need a valid hash


def test_a_hash_is_scrypt_with_its_parameters_and_a_fresh_salt() -> None:
    first = users.hash_password("correct horse battery")
    second = users.hash_password("correct horse battery")
    scheme, n, r, p, salt, key = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(salt) >= 22 and len(key) >= 43
    assert first != second, "a fresh salt each time"
    assert users.verify_password("correct horse battery", first)
    assert users.verify_password("correct horse battery", second)
    assert not users.verify_password("correct horse batterY", first)


@pytest.mark.parametrize(
    "stored", ["", "plain", "scrypt$16$1$1$@@@$@@@", "md5$1$1$1$AAAA$AAAA", "scrypt$x$1$1$AA==$AA=="]
)
def test_a_malformed_hash_never_verifies(stored: str) -> None:
    assert not users.verify_password("anything", stored)


def test_a_hash_made_with_other_parameters_still_verifies() -> None:
    assert users.verify_password("pw", users.hash_password("pw", **FAST))


def test_signing_in_needs_the_right_password_of_an_active_account(database: Database) -> None:
    usecase.perform(
        database, ADMIN, users.add_user, username=" Jane@Council.gov.uk ", role="manager", password="a good long one"
    )
    assert users.authenticate(database, "jane@council.gov.uk", "a good long one") == Principal.of(
        "jane@council.gov.uk", Role.MANAGER
    )
    assert users.authenticate(database, "JANE@council.gov.uk", "a good long one") is not None
    assert users.authenticate(database, "jane@council.gov.uk", "wrong password") is None
    assert users.authenticate(database, "nobody", "a good long one") is None
    (jane,) = usecase.read(database, ADMIN, users.list_users)
    usecase.perform(database, ADMIN, users.update_user, jane.id, jane.version, active=False)
    assert users.authenticate(database, "jane@council.gov.uk", "a good long one") is None
    assert users.principal_for(database, "jane@council.gov.uk") is None


def test_a_password_never_reaches_the_audit_log(database: Database) -> None:
    usecase.perform(database, ADMIN, users.add_user, username="jane", role="viewer", password="secret-password-123")
    usecase.perform(database, ADMIN, users.set_password, "jane", "another-secret-456")
    with UnitOfWork(database) as uow:
        log = json.dumps([e.model_dump(mode="json") for e in uow.audit.events(limit=1000)])
        stored = uow.users.first(username="jane")
    assert stored is not None and stored.password_hash.startswith("scrypt$")
    assert "secret-password-123" not in log and "another-secret-456" not in log
    assert stored.password_hash not in log and "scrypt$" not in log
    assert '"password": "set"' in log


def test_role_and_partnership_changes_apply_to_the_next_request(database: Database) -> None:
    with UnitOfWork(database, actor="setup") as uow:
        melton = uow.partnerships.add(Partnership(name="Melton CSP"))
        uow.commit()
    assert melton.id is not None
    user = usecase.perform(database, ADMIN, users.add_user, username="sam", role="viewer", password="long enough pw")
    assert user.id is not None
    usecase.perform(
        database, ADMIN, users.update_user, user.id, user.version, role="strategic_group", partnership_ids=[melton.id]
    )
    assert users.principal_for(database, "sam") == Principal.of("sam", Role.STRATEGIC_GROUP, [melton.id])
    with pytest.raises(NotFound):
        usecase.perform(database, ADMIN, users.update_user, user.id, None, partnership_ids=[999])


def test_a_stale_edit_of_an_account_is_a_conflict(database: Database) -> None:
    user = usecase.perform(database, ADMIN, users.add_user, username="sam", role="viewer")
    usecase.perform(database, ADMIN, users.update_user, user.id or 0, user.version, display_name="Sam")
    with pytest.raises(Conflict):
        usecase.perform(database, ADMIN, users.update_user, user.id or 0, user.version, display_name="Samuel")


def test_the_last_active_administrator_cannot_be_demoted_or_disabled(database: Database) -> None:
    admin = usecase.perform(database, ADMIN, users.add_user, username="ada", role="admin", password="long enough pw")
    with pytest.raises(RuleViolation, match="last active administrator"):
        usecase.perform(database, ADMIN, users.update_user, admin.id or 0, None, role="viewer")
    with pytest.raises(RuleViolation, match="last active administrator"):
        usecase.perform(database, ADMIN, users.update_user, admin.id or 0, None, active=False)
    usecase.perform(database, ADMIN, users.add_user, username="bob", role="admin", password="long enough pw")
    usecase.perform(database, ADMIN, users.update_user, admin.id or 0, None, role="viewer")


def test_bad_accounts_are_refused(database: Database) -> None:
    with pytest.raises(RuleViolation, match="at least 12"):
        usecase.perform(database, ADMIN, users.add_user, username="jane", role="viewer", password="short")
    with pytest.raises(RuleViolation, match="one word"):
        usecase.perform(database, ADMIN, users.add_user, username="jane doe", role="viewer")
    usecase.perform(database, ADMIN, users.add_user, username="jane", role="viewer")
    with pytest.raises(Conflict):
        usecase.perform(database, ADMIN, users.add_user, username="JANE", role="viewer")


def test_anyone_may_change_their_own_password_but_only_an_admin_anothers(database: Database) -> None:
    usecase.perform(database, ADMIN, users.add_user, username="jane", role="viewer", password="first password")
    usecase.perform(database, ADMIN, users.add_user, username="sam", role="viewer", password="first password")
    jane = users.principal_for(database, "jane")
    assert jane is not None
    usecase.perform(database, jane, users.set_password, "jane", "second password")
    assert users.authenticate(database, "jane", "second password") is not None
    with pytest.raises(PermissionDenied):
        usecase.perform(database, jane, users.set_password, "sam", "hijacked password")


def test_an_oidc_email_maps_to_the_account_with_that_username(database: Database) -> None:
    usecase.perform(database, ADMIN, users.add_user, username="jane.smith@charnwood.gov.uk", role="manager")
    found = users.principal_for_email(database, "Jane.Smith@charnwood.gov.uk")
    assert found is not None and found.role is Role.MANAGER
    assert users.principal_for_email(database, "someone@else.org") is None
    assert users.principal_for_email(database, "not-an-email") is None


def test_the_demo_accounts_are_made_once_with_their_documented_passwords(database: Database) -> None:
    with UnitOfWork(database, actor="setup") as uow:
        uow.partnerships.add(Partnership(name="Charnwood Community Safety Partnership"))
        opcc = uow.funders.add(Funder(name=users.DEMO_FUNDER))
        uow.commit()
    with pytest.raises(RuleViolation, match="only into a demo database"):
        users.ensure_demo_users(database, PARTNERSHIP)  # a real database never gets the demo accounts
    with UnitOfWork(database, actor="setup") as uow:
        mark_demo(uow)
        uow.commit()
    assert not users.demo_accounts_present(database)
    assert users.ensure_demo_users(database, PARTNERSHIP) == ["manager", "strategic", "viewer", "admin", "funder"]
    assert users.ensure_demo_users(database, PARTNERSHIP) == []
    assert users.demo_accounts_present(database)
    roles = {}
    for username, password in users.DEMO_PASSWORDS.items():
        principal = users.authenticate(database, username, password)
        assert principal is not None, username
        roles[username] = principal
    assert roles["manager"].role is Role.MANAGER and len(roles["manager"].partnership_ids) == 1
    assert roles["strategic"].role is Role.STRATEGIC_GROUP
    assert roles["viewer"].all_partnerships and roles["admin"].all_partnerships
    assert roles["funder"].role is Role.FUNDER and roles["funder"].funder_id == opcc.id
    assert not roles["funder"].all_partnerships and roles["funder"].partnership_ids == ()  # it funds no fund yet


# -- the command line -----------------------------------------------------------------------


def _run(database: Database, argv: list[str], stdin: str = "") -> int:
    parser = argparse.ArgumentParser()
    users_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    args.principal = local_operator()
    old = users_cli.sys.stdin
    users_cli.sys.stdin = io.StringIO(stdin)
    try:
        return int(args.handler(args, database))
    finally:
        users_cli.sys.stdin = old


def test_the_first_admin_is_made_on_the_command_line_without_echoing_the_password(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert users.user_count(database) == 0
    assert (
        _run(
            database,
            ["users", "add", "Ada", "--role", "admin", "--all-partnerships", "--password-stdin"],
            "s3cret pass phrase\n",
        )
        == 0
    )
    out = capsys.readouterr()
    assert "s3cret" not in out.out + out.err
    assert "added ada: administrator, every partnership" in out.out
    assert users.authenticate(database, "ada", "s3cret pass phrase") is not None
    with UnitOfWork(database) as uow:
        (created,) = [e for e in uow.audit.events(entity="users") if e.action == "create"]
    assert created.actor == "local operator"


def test_the_command_line_grants_partnerships_by_name(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with UnitOfWork(database, actor="setup") as uow:
        uow.partnerships.add(Partnership(name="Melton CSP"))
        uow.commit()
    assert (
        _run(database, ["users", "add", "mo", "--role", "manager", "--partnership", "Melton CSP", "--no-password"]) == 0
    )
    with pytest.raises(NotFound, match="Nowhere"):
        _run(database, ["users", "add", "x", "--role", "viewer", "--partnership", "Nowhere", "--no-password"])
    assert _run(database, ["users", "disable", "mo"]) == 0
    capsys.readouterr()
    assert _run(database, ["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "mo" in listing and "Melton CSP" in listing and "(disabled)" in listing
    assert users.principal_for(database, "mo") is None


def test_the_demo_accounts_can_be_made_on_the_command_line_in_a_demo_database_only(database: Database) -> None:
    with pytest.raises(RuleViolation, match="only into a demo database"):
        _run(database, ["users", "demo"])
    assert users.user_count(database) == 0
    with UnitOfWork(database, actor="setup") as uow:
        mark_demo(uow)
        uow.commit()
    assert _run(database, ["users", "demo"]) == 0
    assert users.authenticate(database, "viewer", "demo-viewer") is not None
    assert local_operator().is_admin
