"""Access: every service call checks the caller's role and partnerships; escalation attempts change nothing.

Two partnerships, A (``Reliability Test CSP``, with spend, receipts, a round, an application, an
outcome, a profile and a virement) and B (``Neighbouring CSP``). Each write use case is tried by
everyone who must not do it — a viewer, the Strategic Group, an administrator, B's manager, a
manager of no partnership — and must raise ``PermissionDenied`` and leave every table as it was;
then the one who may do it does it (so the refusal is the check, not a broken call). Reads of A
are refused to B's people, and lists (partnerships, funds, audit events, the 360Giving export)
never show A to them. Cross-partnership tricks (a virement into A's line from B's fund, A's line in
B's grid) are refused too.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reliability_support import CORPUS, CSP, FUND, OTHER_CSP, YEAR, seed, snapshot, snapshot_difference

from grants.domain.enums import Role
from grants.domain.errors import GrantsError, PermissionDenied, RuleViolation
from grants.services import (
    allocations,
    condition_changes,
    funds_admin,
    giving_export,
    importing,
    outcomes,
    queries,
    reporting,
    return_calendar,
    returns,
    rounds,
    spending,
    usecase,
    users,
    virements,
)
from grants.services.access import Principal
from grants.services.usecase import perform
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.ops import import_spend

ON = date(2023, 7, 1)
LATER = date(2023, 11, 1)  # after the seeded table's as-at date, so an approval can move its lines


@dataclass(frozen=True)
class World:
    """Ids (and versions) of the records of partnerships A and B, read from the database."""

    a: int
    b: int
    fund_a: int
    fund_b: int
    lines_a: list[int]
    lines_b: list[int]
    versions: dict[tuple[str, int], int]
    spend_a: int
    receipt_a: int
    round_a: int
    application_a: int
    outcome_a: int
    virement_a: int
    manager_user: int

    def v(self, kind: str, item: int) -> int:
        return self.versions[(kind, item)]


PRINCIPALS = {
    "manager_a": Principal.of("manager-a", Role.MANAGER, [1]),
    "manager_b": Principal.of("manager-b", Role.MANAGER, [2]),
    "viewer_a": Principal.of("viewer-a", Role.VIEWER, [1]),
    "sg_a": Principal.of("sg-a", Role.STRATEGIC_GROUP, [1]),
    "sg_b": Principal.of("sg-b", Role.STRATEGIC_GROUP, [2]),
    "admin": Principal.of("admin", Role.ADMIN, all_partnerships=True),
    "viewer_all": Principal.of("opcc", Role.VIEWER, all_partnerships=True),
    "manager_none": Principal.of("manager-none", Role.MANAGER, []),
}


def _world(database: Database) -> World:
    with UnitOfWork(database) as uow:
        a = uow.partnerships.first(name=CSP)
        b = uow.partnerships.first(name=OTHER_CSP)
        assert a is not None and b is not None and (a.id, b.id) == (1, 2)
        fund_a = uow.funds.first(partnership_id=a.id)
        fund_b = uow.funds.first(partnership_id=b.id)
        assert fund_a is not None and fund_b is not None
        lines_a = uow.lines.find(fund_id=fund_a.id)
        lines_b = uow.lines.find(fund_id=fund_b.id)
        versions: dict[tuple[str, int], int] = {}
        for kind, repository in [
            ("line", uow.lines),
            ("spend", uow.spends),
            ("receipt", uow.receipts),
            ("round", uow.rounds),
            ("application", uow.applications),
            ("outcome", uow.outcomes),
            ("virement", uow.virements),
            ("fund", uow.funds),
            ("user", uow.users),
            ("partnership", uow.partnerships),
        ]:
            for item in repository.find():
                versions[(kind, item.id or 0)] = item.version or 0
        manager_user = uow.users.first(username="manager-a")
        assert manager_user is not None
        return World(
            a=a.id or 0,
            b=b.id or 0,
            fund_a=fund_a.id or 0,
            fund_b=fund_b.id or 0,
            lines_a=[line.id or 0 for line in lines_a],
            lines_b=[line.id or 0 for line in lines_b],
            versions=versions,
            spend_a=uow.spends.find()[0].id or 0,
            receipt_a=uow.receipts.find(fund_id=fund_a.id)[0].id or 0,
            round_a=uow.rounds.find()[0].id or 0,
            application_a=uow.applications.find()[0].id or 0,
            outcome_a=uow.outcomes.find()[0].id or 0,
            virement_a=uow.virements.find()[0].id or 0,
            manager_user=manager_user.id or 0,
        )


@pytest.fixture(scope="session")
def _access_template(tmp_path_factory: pytest.TempPathFactory, _migrated_sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("access") / "access.db"
    shutil.copyfile(_migrated_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    seed(database)
    seed(database, partnership=OTHER_CSP)
    manager = PRINCIPALS["manager_a"]
    import_spend(
        database, CORPUS / "spend_formula_references.csv", partnership=CSP, fund_code=FUND, year=YEAR, actor="m"
    )
    with UnitOfWork(database) as uow:
        fund_a = uow.funds.first(partnership_id=1)
        assert fund_a is not None and fund_a.id is not None
        lines = [line.id or 0 for line in uow.lines.find(fund_id=fund_a.id)]
    usecase.perform(
        database, manager, funds_admin.add_receipt, fund_a.id, amount=Decimal("11500.00"), received_on=date(2023, 5, 1)
    )
    round_ = usecase.perform(
        database, manager, rounds.create_round, fund_a.id, opens=date(2023, 6, 1), closes=date(2023, 9, 30)
    )
    round_ = usecase.perform(database, manager, rounds.set_round_status, round_.id or 0, round_.version, "open")
    usecase.perform(
        database,
        manager,
        rounds.record_application,
        round_.id or 0,
        applicant="Youth Club",
        requested=Decimal("500"),
        received_on=ON,
    )
    usecase.perform(
        database, manager, outcomes.add_outcome, lines[0], period="2023/24 Q1", reported_on=ON, narrative="started"
    )
    usecase.perform(database, manager, outcomes.save_profiles, fund_a.id, YEAR, [(lines[0], {1: Decimal("100.00")})])
    perform(
        database,
        manager,
        virements.propose_virement,
        from_line_id=lines[0],
        to_line_id=lines[2],
        amount=Decimal("100"),
        proposed_on=ON,
        reason="x",
    )
    admin = PRINCIPALS["admin"]
    usecase.perform(
        database,
        admin,
        users.add_user,
        username="admin",
        role=Role.ADMIN,
        all_partnerships=True,
        password="correct horse battery",
    )
    usecase.perform(database, admin, users.add_user, username="manager-a", role=Role.MANAGER, partnership_ids=[1])
    database.dispose()
    return path


@pytest.fixture
def world_db(tmp_path: Path, _access_template: Path) -> Iterator[tuple[Database, World]]:
    path = tmp_path / "access.db"
    shutil.copyfile(_access_template, path)
    database = Database(f"sqlite:///{path}")
    yield database, _world(database)
    database.dispose()


Call = Callable[[Database, Principal, World], Any]


@dataclass(frozen=True)
class Case:
    name: str
    allowed: str  # the principal who may do it (the positive control)
    denied: tuple[str, ...]
    call: Call


LEDGER_DENIED = ("viewer_a", "sg_a", "admin", "viewer_all", "manager_b", "manager_none")
APPROVE_DENIED = ("manager_a", "viewer_a", "admin", "viewer_all", "sg_b", "manager_b")
ADMIN_DENIED = ("manager_a", "sg_a", "viewer_a", "viewer_all", "manager_b")


def _ledger(name: str, call: Call) -> Case:
    return Case(name, "manager_a", LEDGER_DENIED, call)


WRITES = [
    _ledger(
        "add a line", lambda d, p, w: perform(d, p, allocations.add_line, w.fund_a, description="New", allocated="10")
    ),
    _ledger(
        "change a line",
        lambda d, p, w: perform(
            d, p, allocations.update_line, w.lines_a[1], w.v("line", w.lines_a[1]), allocated="1.00"
        ),
    ),
    _ledger(
        "remove a line",
        lambda d, p, w: perform(
            d, p, allocations.save_lines, w.fund_a, deletions=[(w.lines_a[3], w.v("line", w.lines_a[3]))]
        ),
    ),
    _ledger(
        "move money between lines",
        lambda d, p, w: perform(
            d,
            p,
            virements.propose_virement,
            from_line_id=w.lines_a[1],
            to_line_id=w.lines_a[3],
            amount=Decimal("5"),
            proposed_on=ON,
            reason="x",
        ),
    ),
    _ledger(
        "record a payment",
        lambda d, p, w: usecase.perform(
            d, p, spending.record_spend, w.lines_a[0], spent_on=ON, amount=Decimal("12.34")
        ),
    ),
    _ledger(
        "delete a payment",
        lambda d, p, w: usecase.perform(d, p, spending.delete_spend, w.spend_a, w.v("spend", w.spend_a)),
    ),
    _ledger(
        "import a ledger file",
        lambda d, p, w: usecase.perform(d, p, importing.import_spend, w.fund_a, CORPUS / "spend_windows_1252.csv"),
    ),
    _ledger(
        "record match funding",
        lambda d, p, w: usecase.perform(
            d,
            p,
            spending.record_match,
            w.fund_a,
            kind="cash",
            contributed_on=ON,
            contributor="Council",
            amount=Decimal("50"),
        ),
    ),
    _ledger(
        "open a grant round",
        lambda d, p, w: usecase.perform(
            d, p, rounds.create_round, w.fund_a, opens=date(2023, 10, 1), closes=date(2023, 12, 1)
        ),
    ),
    _ledger(
        "change a round's status",
        lambda d, p, w: usecase.perform(d, p, rounds.set_round_status, w.round_a, w.v("round", w.round_a), "closed"),
    ),
    _ledger(
        "record an application",
        lambda d, p, w: usecase.perform(
            d, p, rounds.record_application, w.round_a, applicant="Another", requested=Decimal("100"), received_on=ON
        ),
    ),
    _ledger(
        "score an application",
        lambda d, p, w: usecase.perform(
            d, p, rounds.score_application, w.application_a, w.v("application", w.application_a), Decimal("7")
        ),
    ),
    _ledger(
        "set a spend profile",
        lambda d, p, w: usecase.perform(
            d, p, outcomes.save_profiles, w.fund_a, YEAR, [(w.lines_a[1], {2: Decimal("50")})]
        ),
    ),
    _ledger(
        "add an outcome update",
        lambda d, p, w: usecase.perform(
            d, p, outcomes.add_outcome, w.lines_a[1], period="2023/24 Q2", reported_on=ON, narrative="x"
        ),
    ),
    _ledger(
        "change an outcome update",
        lambda d, p, w: usecase.perform(
            d, p, outcomes.update_outcome, w.outcome_a, w.v("outcome", w.outcome_a), narrative="edited"
        ),
    ),
    _ledger(
        "create a fund",
        lambda d, p, w: usecase.perform(
            d, p, funds_admin.create_fund, partnership_id=w.a, code="SS", year=YEAR, amount=Decimal("9")
        ),
    ),
    _ledger(
        "change a fund",
        lambda d, p, w: usecase.perform(d, p, funds_admin.update_fund, w.fund_a, w.v("fund", w.fund_a), notes="edited"),
    ),
    _ledger(
        "change a fund's conditions",
        lambda d, p, w: usecase.perform(
            d, p, condition_changes.propose_change, w.fund_a, changes={"carry_over_allowed": True}, reason="x", on=ON
        ),
    ),
    _ledger(
        "record money received",
        lambda d, p, w: usecase.perform(d, p, funds_admin.add_receipt, w.fund_a, amount=Decimal("1"), received_on=ON),
    ),
    _ledger(
        "change a receipt",
        lambda d, p, w: usecase.perform(
            d, p, funds_admin.update_receipt, w.receipt_a, w.v("receipt", w.receipt_a), reference="x"
        ),
    ),
    _ledger(
        "delete a receipt",
        lambda d, p, w: usecase.perform(d, p, funds_admin.delete_receipt, w.receipt_a, w.v("receipt", w.receipt_a)),
    ),
    Case(
        "approve a line",
        "sg_a",
        APPROVE_DENIED,
        lambda d, p, w: perform(d, p, allocations.approve_lines, [(w.lines_a[1], w.v("line", w.lines_a[1]))], on=ON),
    ),
    Case(
        "approve a virement",
        "sg_a",
        APPROVE_DENIED,
        lambda d, p, w: perform(
            d, p, virements.approve_virement, w.virement_a, w.v("virement", w.virement_a), on=LATER
        ),
    ),
    Case(
        "decide an application",
        "sg_a",
        APPROVE_DENIED,
        lambda d, p, w: usecase.perform(
            d, p, rounds.decide_application, w.application_a, w.v("application", w.application_a), funded=False, on=ON
        ),
    ),
    Case(
        "add a user",
        "admin",
        ADMIN_DENIED,
        lambda d, p, w: usecase.perform(
            d, p, users.add_user, username="mallory", role=Role.ADMIN, all_partnerships=True
        ),
    ),
    Case(
        "make oneself an administrator",
        "admin",
        ADMIN_DENIED,
        lambda d, p, w: usecase.perform(
            d, p, users.update_user, w.manager_user, w.v("user", w.manager_user), role=Role.ADMIN, all_partnerships=True
        ),
    ),
    Case(
        "set someone else's password",
        "admin",
        ADMIN_DENIED,
        lambda d, p, w: usecase.perform(d, p, users.set_password, "admin", "a brand new passphrase"),
    ),
    Case(
        "add a partnership",
        "admin",
        ADMIN_DENIED,
        lambda d, p, w: usecase.perform(d, p, users.add_partnership, "Mallory CSP"),
    ),
    Case(
        "rename a partnership",
        "admin",
        ADMIN_DENIED,
        lambda d, p, w: usecase.perform(
            d, p, users.update_partnership, w.a, w.v("partnership", w.a), name="Renamed", area=""
        ),
    ),
    Case("list the users", "admin", ADMIN_DENIED, lambda d, p, w: usecase.read(d, p, users.list_users)),
]


@pytest.mark.parametrize("case", WRITES, ids=[case.name for case in WRITES])
def test_a_write_is_refused_to_everyone_but_its_owner_and_changes_nothing(
    world_db: tuple[Database, World], case: Case
) -> None:
    database, world = world_db
    before = snapshot(database)
    for who in case.denied:
        with pytest.raises(PermissionDenied):
            case.call(database, PRINCIPALS[who], world)
        assert snapshot_difference(before, snapshot(database)) == [], who
    case.call(database, PRINCIPALS[case.allowed], world)  # the owner may: the refusals were the checks


READS: list[tuple[str, Call]] = [
    ("a fund", lambda d, p, w: usecase.read(d, p, queries.fund, w.fund_a)),
    ("its lines", lambda d, p, w: usecase.read(d, p, queries.lines, w.fund_a)),
    ("its receipts", lambda d, p, w: usecase.read(d, p, queries.receipts, w.fund_a)),
    ("its match funding", lambda d, p, w: usecase.read(d, p, queries.matches, w.fund_a)),
    ("its virements", lambda d, p, w: usecase.read(d, p, queries.virements, w.fund_a)),
    ("its spend", lambda d, p, w: usecase.read(d, p, queries.spends, w.fund_a)),
    ("its profile", lambda d, p, w: usecase.read(d, p, queries.profiles, w.fund_a, YEAR)),
    ("its outcomes", lambda d, p, w: usecase.read(d, p, queries.outcomes, w.fund_a)),
    ("its rounds", lambda d, p, w: usecase.read(d, p, queries.rounds, w.fund_a)),
    ("a round's applications", lambda d, p, w: usecase.read(d, p, queries.applications, w.round_a)),
    ("its returns", lambda d, p, w: usecase.read(d, p, queries.returns, w.fund_a)),
    ("spend against profile", lambda d, p, w: usecase.read(d, p, queries.spend_against_profile, w.fund_a, as_at=ON)),
    ("the OPCC return", lambda d, p, w: usecase.read(d, p, returns.return_view, w.fund_a, "H1")),
    (
        "the budget pack",
        lambda d, p, w: usecase.read(d, p, reporting.budget_pack, w.a, year=YEAR, as_at=ON),
    ),
    (
        "the 360Giving export",
        lambda d, p, w: usecase.read(d, p, giving_export.export_360giving, "csv", partnership_id=w.a),
    ),
]


@pytest.mark.parametrize("name", [name for name, _ in READS])
def test_a_read_of_another_partnerships_records_is_refused(world_db: tuple[Database, World], name: str) -> None:
    database, world = world_db
    call = dict(READS)[name]
    for who in ("manager_b", "sg_b", "manager_none"):
        with pytest.raises(PermissionDenied):
            call(database, PRINCIPALS[who], world)
    if not name.startswith(("the ", "spend against")):  # the documents are slow to build: one control is enough
        call(database, PRINCIPALS["viewer_a"], world)


def test_lists_never_show_another_partnership(world_db: tuple[Database, World]) -> None:
    database, world = world_db
    b = PRINCIPALS["manager_b"]
    assert [p.name for p in usecase.read(database, b, queries.partnerships)] == [OTHER_CSP]
    assert {s.fund.partnership_id for s in usecase.read(database, b, queries.fund_summaries)} == {world.b}
    assert {entry.partnership for entry in usecase.read(database, b, return_calendar.return_calendar)} <= {OTHER_CSP}
    events = usecase.read(database, b, queries.audit_events, limit=10_000)
    a_records = {("budget_lines", line) for line in world.lines_a} | {
        ("receipts", world.receipt_a),
        ("virements", world.virement_a),
        ("grant_rounds", world.round_a),
        ("funds", world.fund_a),
        ("spends", world.spend_a),
        ("outcome_updates", world.outcome_a),
    }
    assert [e for e in events if (e.entity, e.entity_id) in a_records] == []
    assert [e for e in events if e.entity == "users"] == []  # accounts: administrators only
    assert CSP not in repr([e.after for e in events])
    everyone = usecase.read(database, PRINCIPALS["admin"], queries.audit_events, limit=10_000)
    assert any((e.entity, e.entity_id) in a_records for e in everyone)  # the filter hid something real
    with pytest.raises(PermissionDenied):
        usecase.read(
            database, b, giving_export.export_360giving, "csv"
        )  # "everything I can see" must name a partnership


def test_the_audit_log_never_shows_a_password_hash(world_db: tuple[Database, World]) -> None:
    database, _ = world_db
    events = usecase.read(database, PRINCIPALS["admin"], queries.audit_events, entity="users", limit=10_000)
    assert events
    for event in events:
        for values in (event.before or {}, event.after or {}):
            assert "scrypt" not in repr(values) and "$" not in str(values.get("password_hash", ""))


CROSS: list[tuple[str, Call]] = [
    (
        "B's grid changing A's line",
        lambda d, p, w: perform(
            d,
            p,
            allocations.save_lines,
            w.fund_b,
            changes=[allocations.LineChange(w.lines_a[0], None, {"allocated": "1"})],
        ),
    ),
    (
        "B's grid removing A's line",
        lambda d, p, w: perform(d, p, allocations.save_lines, w.fund_b, deletions=[(w.lines_a[3], None)]),
    ),
    (
        "a virement from B's line into A's",
        lambda d, p, w: perform(
            d,
            p,
            virements.propose_virement,
            from_line_id=w.lines_b[0],
            to_line_id=w.lines_a[0],
            amount=Decimal("1"),
            proposed_on=ON,
            reason="x",
        ),
    ),
    (
        "match funding on B's fund for A's line",
        lambda d, p, w: usecase.perform(
            d,
            p,
            spending.record_match,
            w.fund_b,
            kind="cash",
            contributed_on=ON,
            contributor="x",
            amount=Decimal("1"),
            line_id=w.lines_a[0],
        ),
    ),
    (
        "B's profile for A's line",
        lambda d, p, w: usecase.perform(
            d, p, outcomes.save_profiles, w.fund_b, YEAR, [(w.lines_a[0], {1: Decimal("1")})]
        ),
    ),
]


@pytest.mark.parametrize("name", [name for name, _ in CROSS])
def test_a_cross_partnership_trick_by_bs_manager_is_refused_and_changes_nothing(
    world_db: tuple[Database, World], name: str
) -> None:
    database, world = world_db
    before = snapshot(database)
    with pytest.raises((PermissionDenied, RuleViolation)):
        dict(CROSS)[name](database, PRINCIPALS["manager_b"], world)
    assert snapshot_difference(before, snapshot(database)) == []


def test_approving_a_batch_with_one_line_of_another_partnership_approves_none(
    world_db: tuple[Database, World],
) -> None:
    database, world = world_db
    before = snapshot(database)
    batch = [
        (world.lines_b[0], world.v("line", world.lines_b[0])),
        (world.lines_a[0], world.v("line", world.lines_a[0])),
    ]
    with pytest.raises(PermissionDenied):
        perform(database, PRINCIPALS["sg_b"], allocations.approve_lines, batch, on=ON)
    assert snapshot_difference(before, snapshot(database)) == []


def test_a_user_may_set_only_their_own_password(world_db: tuple[Database, World]) -> None:
    database, _ = world_db
    manager = PRINCIPALS["manager_a"]
    usecase.perform(database, manager, users.set_password, "manager-a", "my own new passphrase")
    assert users.authenticate(database, "manager-a", "my own new passphrase") is not None
    before = snapshot(database)
    with pytest.raises(PermissionDenied):
        usecase.perform(
            database, manager, users.set_password, "ADMIN", "taking over the admin"
        )  # case games do not help
    assert snapshot_difference(before, snapshot(database)) == []
    assert issubclass(PermissionDenied, GrantsError)
