"""Permissions are enforced in the services: who may read, write and approve, and only their partnerships."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from grants.domain.enums import ApplicationStatus, Role, RoundStatus
from grants.domain.errors import Conflict, PermissionDenied, RuleViolation
from grants.domain.models import Application, BudgetLine, GrantRound, Partnership, Spend
from grants.services import (
    allocations,
    condition_changes,
    funds_admin,
    giving_export,
    outcomes,
    queries,
    reporting,
    return_calendar,
    return_workflow,
    returns,
    rounds,
    spending,
    usecase,
    users,
    virements,
    year_close,
)
from grants.services.access import Principal, local_operator, require_approve, require_read, require_write
from grants.services.allocations import LineChange
from grants.services.ledger import ensure_fund
from grants.services.usecase import perform
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

A = "Charnwood Community Safety Partnership"
B = "Melton Community Safety Partnership"


@dataclass
class World:
    database: Database
    a: int  # partnership ids
    b: int
    fund_a: int
    fund_b: int
    line_a: int
    line_a2: int
    line_b: int
    round_a: int
    application_a: int

    def manager(self, *partnerships: int) -> Principal:
        return Principal.of("mandy", Role.MANAGER, partnerships or (self.a,))

    def strategic(self) -> Principal:
        return Principal.of("sam", Role.STRATEGIC_GROUP, (self.a,), display_name="Sam (Strategic Group)")

    def viewer(self) -> Principal:
        return Principal.of("opcc", Role.VIEWER, all_partnerships=True)

    def admin(self) -> Principal:
        return Principal.of("ada", Role.ADMIN, all_partnerships=True)


def _line(uow: UnitOfWork, fund_id: int, description: str, allocated: str) -> int:
    with uow.dated(date(2026, 4, 1)):  # agreed at the start of the year the tests work in
        line = uow.lines.add(BudgetLine(fund_id=fund_id, description=description, allocated=Decimal(allocated)))
    assert line.id is not None
    return line.id


@pytest.fixture
def world(database: Database) -> World:
    with UnitOfWork(database, actor="setup") as uow:
        fund_a, _ = ensure_fund(uow, A, "PLF", "2026/27")
        fund_b, _ = ensure_fund(uow, B, "PLF", "2026/27")
        assert fund_a.id is not None and fund_b.id is not None
        uow.funds.update(fund_a.id, None, amount=Decimal("50000.00"))
        uow.funds.update(fund_b.id, None, amount=Decimal("30000.00"))
        line_a = _line(uow, fund_a.id, "Youth diversion sessions", "12000.00")
        line_a2 = _line(uow, fund_a.id, "Street Pastors", "6000.00")
        line_b = _line(uow, fund_b.id, "Melton youth club", "9000.00")
        uow.spends.add(Spend(line_id=line_a, spent_on=date(2026, 5, 15), amount=Decimal("2000.00")))
        uow.spends.add(Spend(line_id=line_b, spent_on=date(2026, 5, 15), amount=Decimal("1000.00")))
        grant_round = uow.rounds.add(
            GrantRound(
                fund_id=fund_a.id,
                number=1,
                opens=date(2026, 5, 4),
                closes=date(2026, 6, 1),
                cap=Decimal("5000.00"),
                status=RoundStatus.OPEN,
            )
        )
        assert grant_round.id is not None
        application = uow.applications.add(
            Application(
                round_id=grant_round.id,
                applicant="Fearon Hall",
                project="Wellbeing drop-in",
                requested=Decimal("4800.00"),
                received_on=date(2026, 5, 20),
            )
        )
        assert application.id is not None
        uow.commit()
        return World(
            database,
            a=fund_a.partnership_id,
            b=fund_b.partnership_id,
            fund_a=fund_a.id,
            fund_b=fund_b.id,
            line_a=line_a,
            line_a2=line_a2,
            line_b=line_b,
            round_a=grant_round.id,
            application_a=application.id,
        )


def _version(database: Database, line_id: int) -> int | None:
    with UnitOfWork(database) as uow:
        return uow.lines.get(line_id).version


# -- every write use case refuses a viewer --------------------------------------------------

WRITES: dict[str, Callable[[World, Principal], Any]] = {
    "add a budget line": lambda w, p: perform(
        w.database, p, allocations.add_line, w.fund_a, description="New", allocated="10"
    ),
    "edit budget lines": lambda w, p: perform(
        w.database,
        p,
        allocations.save_lines,
        w.fund_a,
        changes=[LineChange(w.line_a, None, {"allocated": Decimal("1.00")})],
    ),
    "record a virement": lambda w, p: perform(
        w.database,
        p,
        virements.propose_virement,
        from_line_id=w.line_a,
        to_line_id=w.line_a2,
        amount=Decimal("100.00"),
        proposed_on=date(2026, 9, 1),
        reason="re-use",
    ),
    "record spend": lambda w, p: usecase.perform(
        w.database, p, spending.record_spend, w.line_a, spent_on=date(2026, 9, 1), amount=Decimal("10.00")
    ),
    "record match funding": lambda w, p: usecase.perform(
        w.database,
        p,
        spending.record_match,
        w.fund_a,
        kind="cash",
        contributed_on=date(2026, 9, 1),
        contributor="Council",
        amount=Decimal(5),
    ),
    "create a fund": lambda w, p: usecase.perform(
        w.database, p, funds_admin.create_fund, partnership_id=w.a, code="CSF", year="2026/27"
    ),
    "edit a fund": lambda w, p: usecase.perform(
        w.database, p, funds_admin.update_fund, w.fund_a, None, notes="changed"
    ),
    "propose a change of a fund's conditions": lambda w, p: usecase.perform(
        w.database,
        p,
        condition_changes.propose_change,
        w.fund_a,
        changes={"per_grant_cap": Decimal("10000.00")},
        reason="As the grant letter says",
        on=date(2026, 9, 1),
    ),
    "record a receipt": lambda w, p: usecase.perform(
        w.database, p, funds_admin.add_receipt, w.fund_a, amount=Decimal("100.00"), received_on=date(2026, 5, 1)
    ),
    "plan a grant round": lambda w, p: usecase.perform(
        w.database, p, rounds.create_round, w.fund_a, opens=date(2027, 1, 4), closes=date(2027, 2, 1)
    ),
    "record an application": lambda w, p: usecase.perform(
        w.database,
        p,
        rounds.record_application,
        w.round_a,
        applicant="Brownies",
        requested=Decimal("500.00"),
        received_on=date(2026, 5, 21),
    ),
    "score an application": lambda w, p: usecase.perform(
        w.database, p, rounds.score_application, w.application_a, None, Decimal(7)
    ),
    "set a spend profile": lambda w, p: usecase.perform(
        w.database, p, outcomes.save_profiles, w.fund_a, "2026/27", [(w.line_a, {1: Decimal("3000.00")})]
    ),
    "add an outcome update": lambda w, p: usecase.perform(
        w.database,
        p,
        outcomes.add_outcome,
        w.line_a,
        period="2026/27 Q1",
        reported_on=date(2026, 7, 20),
        narrative="Delivered",
    ),
    "write a return's words": lambda w, p: usecase.perform(
        w.database, p, return_workflow.save_words, w.fund_a, "H1", risks="Supplier delays"
    ),
}
APPROVALS: dict[str, Callable[[World, Principal], Any]] = {
    "approve lines": lambda w, p: perform(
        w.database, p, allocations.approve_lines, [(w.line_a, None)], on=date(2026, 4, 21)
    ),
    "decide an application": lambda w, p: usecase.perform(
        w.database, p, rounds.decide_application, w.application_a, None, funded=True, on=date(2026, 6, 15)
    ),
    "sign off a return": lambda w, p: usecase.perform(
        w.database, p, return_workflow.sign_off, w.fund_a, "H1", on=date(2026, 10, 29)
    ),
    "close a year": lambda w, p: usecase.perform(
        w.database, p, year_close.close_year, w.a, "2026/27", on=date(2027, 5, 1)
    ),
}


def _audit_count(database: Database) -> int:
    with UnitOfWork(database) as uow:
        return len(uow.audit.events(limit=100000))


@pytest.mark.parametrize("use_case", sorted(WRITES))
def test_a_viewer_calling_a_write_service_is_refused_and_nothing_changes(world: World, use_case: str) -> None:
    before = _audit_count(world.database)
    with pytest.raises(PermissionDenied):
        WRITES[use_case](world, world.viewer())
    assert _audit_count(world.database) == before


@pytest.mark.parametrize("use_case", sorted(WRITES))
def test_the_strategic_group_and_the_admin_cannot_write_the_ledger(world: World, use_case: str) -> None:
    for principal in (world.strategic(), world.admin()):
        with pytest.raises(PermissionDenied):
            WRITES[use_case](world, principal)


@pytest.mark.parametrize("use_case", sorted(WRITES))
def test_a_funders_officer_changes_no_partnerships_ledger(world: World, use_case: str) -> None:
    with UnitOfWork(world.database) as uow:
        funder_id = uow.funds.get(world.fund_a).funder_id
    officer = Principal.of("olive", Role.FUNDER, (world.a, world.b), funder_id=funder_id)
    before = _audit_count(world.database)
    with pytest.raises(PermissionDenied):
        WRITES[use_case](world, officer)
    assert _audit_count(world.database) == before


@pytest.mark.parametrize("use_case", sorted(WRITES))
def test_a_manager_of_another_partnership_cannot_write_here(world: World, use_case: str) -> None:
    with pytest.raises(PermissionDenied):
        WRITES[use_case](world, world.manager(world.b))


@pytest.mark.parametrize("use_case", sorted(WRITES))
def test_the_manager_of_the_partnership_may_write(world: World, use_case: str) -> None:
    before = _audit_count(world.database)
    WRITES[use_case](world, world.manager())
    with UnitOfWork(world.database) as uow:
        written = uow.audit.events(limit=100000)
    assert len(written) > before  # the write happened, and was audited under the manager's name
    assert written[0].actor == "mandy"


@pytest.mark.parametrize("use_case", sorted(APPROVALS))
def test_only_the_strategic_group_approves(world: World, use_case: str) -> None:
    for principal in (world.manager(), world.viewer(), world.admin()):
        with pytest.raises(PermissionDenied):
            APPROVALS[use_case](world, principal)
    APPROVALS[use_case](world, world.strategic())


def test_admin_work_is_for_administrators_only(world: World) -> None:
    for principal in (world.manager(), world.strategic(), world.viewer()):
        with pytest.raises(PermissionDenied):
            usecase.perform(
                world.database, principal, users.add_user, username="eve", role="admin", password="a long password"
            )
        with pytest.raises(PermissionDenied):
            usecase.read(world.database, principal, users.list_users)
        with pytest.raises(PermissionDenied):
            usecase.perform(world.database, principal, users.add_partnership, "Blaby CSP")
    usecase.perform(world.database, world.admin(), users.add_partnership, "Blaby CSP")


# -- reads are limited to the partnerships granted -----------------------------------------


def test_a_manager_of_one_partnership_cannot_read_anothers_fund(world: World) -> None:
    mine = world.manager(world.a)
    for read in (queries.lines, queries.fund, queries.receipts, queries.spends, queries.virements, queries.outcomes):
        with pytest.raises(PermissionDenied):
            usecase.read(world.database, mine, read, world.fund_b)
    assert [b.description for b in usecase.read(world.database, mine, queries.lines, world.fund_a)] == [
        "Youth diversion sessions",
        "Street Pastors",
    ]


def test_lists_show_only_the_granted_partnerships(world: World) -> None:
    mine = world.manager(world.a)
    assert {s.partnership for s in usecase.read(world.database, mine, queries.fund_summaries)} == {A}
    assert [p.name for p in usecase.read(world.database, mine, queries.partnerships)] == [A]
    assert {s.partnership for s in usecase.read(world.database, world.viewer(), queries.fund_summaries)} == {A, B}
    nobody = Principal.of("new", Role.VIEWER)
    assert usecase.read(world.database, nobody, queries.fund_summaries) == []


def test_the_audit_log_shows_only_the_granted_partnerships_changes(world: World) -> None:
    usecase.perform(
        world.database, world.manager(world.b), spending.record_spend, world.line_b, spent_on=date(2026, 9, 1), amount=5
    )
    mine = usecase.read(world.database, world.manager(world.a), queries.audit_events)
    theirs = usecase.read(world.database, world.manager(world.b), queries.audit_events)
    every = usecase.read(world.database, world.viewer(), queries.audit_events)
    assert any(e.after and e.after.get("description") == "Youth diversion sessions" for e in mine)
    assert not any(e.after and e.after.get("description") == "Melton youth club" for e in mine)
    assert any(e.actor == "mandy" and e.entity == "spends" for e in theirs)
    assert not any(e.actor == "mandy" and e.entity == "spends" for e in mine)
    assert len(every) > len(mine)
    assert all(e.entity != "users" for e in every), "only administrators see user changes"


def test_checks_are_pure_functions_of_the_principal() -> None:
    manager = Principal.of("m", "manager", [2, 1, 2])
    assert manager.partnership_ids == (1, 2)
    require_write(manager, 1)
    require_read(manager, 2)
    with pytest.raises(PermissionDenied):
        require_read(manager, 3)
    with pytest.raises(PermissionDenied):
        require_approve(manager, 1)
    assert local_operator().is_admin and local_operator().all_partnerships


# -- what the write use cases do ------------------------------------------------------------


def test_writes_are_audited_under_the_signed_in_username(world: World) -> None:
    usecase.perform(
        world.database, world.manager(), spending.record_spend, world.line_a, spent_on=date(2026, 9, 1), amount=10
    )
    with UnitOfWork(world.database) as uow:
        newest = uow.audit.events(entity="spends", limit=1)[0]
    assert newest.actor == "mandy"
    assert newest.after is not None and newest.after["amount"] == "10.00"


def test_saving_a_grid_read_before_someone_elses_change_is_a_conflict(world: World) -> None:
    read_version = _version(world.database, world.line_a)
    perform(world.database, world.manager(), allocations.update_line, world.line_a, read_version, notes="first")
    with pytest.raises(Conflict):
        perform(
            world.database,
            world.manager(),
            allocations.save_lines,
            world.fund_a,
            changes=[LineChange(world.line_a, read_version, {"allocated": Decimal("1.00")})],
            additions=[{"description": "Would be added", "allocated": Decimal("5.00")}],
        )
    assert [b.description for b in usecase.read(world.database, world.manager(), queries.lines, world.fund_a)] == [
        "Youth diversion sessions",
        "Street Pastors",
    ], "the whole grid is refused, additions included"


def test_changing_an_approved_allocation_sends_it_back_for_approval(world: World) -> None:
    perform(world.database, world.strategic(), allocations.approve_lines, [(world.line_a, None)], on=date(2026, 4, 21))
    result = perform(
        world.database,
        world.manager(),
        allocations.save_lines,
        world.fund_a,
        changes=[LineChange(world.line_a, None, {"allocated": Decimal("13000.00"), "notes": "more"})],
    )
    assert result.approvals_cleared == ["Youth diversion sessions"]
    line = result.updated[0]
    assert line.allocated == Decimal("13000.00") and line.approved_by == "" and line.approved_on is None


def test_approving_records_who_and_when(world: World) -> None:
    (line,) = perform(
        world.database, world.strategic(), allocations.approve_lines, [(world.line_a, None)], on=date(2026, 4, 21)
    )
    assert (line.approved_by, line.approved_on) == ("Sam (Strategic Group)", date(2026, 4, 21))


def test_a_line_with_spend_cannot_be_removed_but_an_empty_one_can(world: World) -> None:
    manager = world.manager()
    with pytest.raises(RuleViolation, match="spend recorded"):
        perform(world.database, manager, allocations.save_lines, world.fund_a, deletions=[(world.line_a, None)])
    perform(world.database, manager, allocations.save_lines, world.fund_a, deletions=[(world.line_a2, None)])
    assert [b.line.id for b in usecase.read(world.database, manager, queries.lines, world.fund_a)] == [world.line_a]


def test_a_virement_is_a_proposal_until_the_strategic_group_approves_it(world: World) -> None:
    manager = world.manager()
    proposed = perform(
        world.database,
        manager,
        virements.propose_virement,
        from_line_id=world.line_a,
        to_line_id=world.line_a2,
        amount=Decimal("2000.00"),
        proposed_on=date(2026, 10, 1),
        reason="underspend re-used",
    )
    balances = {b.line.id: b.allocated for b in usecase.read(world.database, manager, queries.lines, world.fund_a)}
    assert balances == {world.line_a: Decimal("12000.00"), world.line_a2: Decimal("6000.00")}, "nothing moves yet"
    assert proposed.id is not None
    with pytest.raises(PermissionDenied):
        perform(world.database, manager, virements.approve_virement, proposed.id, None, on=date(2026, 10, 5))
    approved = perform(
        world.database, world.strategic(), virements.approve_virement, proposed.id, None, on=date(2026, 10, 5)
    )
    assert (approved.approved_by, approved.approved_on) == ("Sam (Strategic Group)", date(2026, 10, 5))
    balances = {b.line.id: b.allocated for b in usecase.read(world.database, manager, queries.lines, world.fund_a)}
    assert balances == {world.line_a: Decimal("10000.00"), world.line_a2: Decimal("8000.00")}
    with pytest.raises(RuleViolation, match="already approved"):
        perform(world.database, world.strategic(), virements.approve_virement, proposed.id, None, on=date(2026, 10, 6))
    with pytest.raises(RuleViolation, match="unspent"):
        perform(
            world.database,
            manager,
            virements.propose_virement,
            from_line_id=world.line_a,
            to_line_id=world.line_a2,
            amount=Decimal("9999.00"),
            proposed_on=date(2026, 10, 7),
            reason="too much",
        )


def test_a_rejected_virement_moves_nothing_and_keeps_its_reason(world: World) -> None:
    proposed = perform(
        world.database,
        world.manager(),
        virements.propose_virement,
        from_line_id=world.line_a,
        to_line_id=world.line_a2,
        amount=Decimal("500.00"),
        proposed_on=date(2026, 10, 1),
        reason="try it",
    )
    with pytest.raises(RuleViolation, match="say why"):
        perform(
            world.database,
            world.strategic(),
            virements.reject_virement,
            proposed.id or 0,
            None,
            reason=" ",
            on=date(2026, 10, 2),
        )
    rejected = perform(
        world.database,
        world.strategic(),
        virements.reject_virement,
        proposed.id or 0,
        None,
        reason="not agreed",
        on=date(2026, 10, 2),
    )
    assert (rejected.status.value, rejected.decision_reason) == ("rejected", "not agreed")
    balances = {
        b.line.id: b.allocated for b in usecase.read(world.database, world.manager(), queries.lines, world.fund_a)
    }
    assert balances == {world.line_a: Decimal("12000.00"), world.line_a2: Decimal("6000.00")}


def test_changing_an_approved_line_purpose_or_partner_voids_its_approval(world: World) -> None:
    perform(world.database, world.strategic(), allocations.approve_lines, [(world.line_a, None)], on=date(2026, 4, 21))
    result = perform(
        world.database,
        world.manager(),
        allocations.save_lines,
        world.fund_a,
        changes=[LineChange(world.line_a, None, {"description": "Something else entirely"})],
        effective_on=date(2026, 4, 21),
    )
    assert result.approvals_cleared and result.updated[0].approved_by == ""
    perform(world.database, world.strategic(), allocations.approve_lines, [(world.line_a, None)], on=date(2026, 4, 22))
    result = perform(
        world.database,
        world.manager(),
        allocations.save_lines,
        world.fund_a,
        changes=[LineChange(world.line_a, None, {"delivery_partner": "Another charity"})],
        effective_on=date(2026, 4, 23),
    )
    assert result.updated[0].approved_by == "" and result.updated[0].approved_on is None


def test_the_strategic_group_can_reject_a_line_with_a_reason(world: World) -> None:
    line = perform(
        world.database,
        world.strategic(),
        allocations.reject_line,
        world.line_a,
        None,
        reason="no evidence of need",
        on=date(2026, 5, 1),
    )
    assert (line.rejected_by, line.rejection_reason, line.approved_by) == (
        "Sam (Strategic Group)",
        "no evidence of need",
        "",
    )
    with pytest.raises(PermissionDenied):
        perform(
            world.database,
            world.manager(),
            allocations.reject_line,
            world.line_a,
            None,
            reason="x",
            on=date(2026, 5, 1),
        )


def test_a_funded_application_becomes_an_approved_budget_line_within_the_cap(world: World) -> None:
    with pytest.raises(RuleViolation, match=r"at most £5,000\.00"):
        usecase.perform(
            world.database,
            world.strategic(),
            rounds.decide_application,
            world.application_a,
            None,
            funded=True,
            on=date(2026, 6, 15),
            amount=Decimal("6000.00"),
        )
    decided = usecase.perform(
        world.database,
        world.strategic(),
        rounds.decide_application,
        world.application_a,
        None,
        funded=True,
        on=date(2026, 6, 15),
    )
    assert decided.status is ApplicationStatus.FUNDED and decided.line_id is not None
    line = next(
        b.line
        for b in usecase.read(world.database, world.manager(), queries.lines, world.fund_a)
        if b.line.id == decided.line_id
    )
    assert (line.description, line.allocated, line.approved_by) == (
        "Wellbeing drop-in (Fearon Hall)",
        Decimal("4800.00"),
        "Sam (Strategic Group)",
    )


def test_a_closed_round_takes_no_applications(world: World) -> None:
    with UnitOfWork(world.database) as uow:
        version = uow.rounds.get(world.round_a).version
    usecase.perform(
        world.database, world.manager(), rounds.set_round_status, world.round_a, version, RoundStatus.CLOSED
    )
    with pytest.raises(RuleViolation, match="closed"):
        usecase.perform(
            world.database,
            world.manager(),
            rounds.record_application,
            world.round_a,
            applicant="Late",
            requested=Decimal(1),
            received_on=date(2026, 6, 2),
        )


def test_profiles_are_saved_per_quarter_and_read_back(world: World) -> None:
    manager = world.manager()
    changed = usecase.perform(
        world.database,
        manager,
        outcomes.save_profiles,
        world.fund_a,
        "2026/27",
        [(world.line_a, {1: Decimal("3000"), 2: Decimal("0")})],
    )
    assert changed == 1, "a zero quarter with no entry stays empty"
    usecase.perform(
        world.database, manager, outcomes.save_profiles, world.fund_a, "2026/27", [(world.line_a, {1: Decimal("2500")})]
    )
    assert usecase.read(world.database, manager, queries.profiles, world.fund_a, "2026/27") == {
        world.line_a: {1: Decimal("2500.00")}
    }


def test_spend_against_profile_accumulates_both_series(world: World) -> None:
    manager = world.manager()
    usecase.perform(
        world.database,
        manager,
        outcomes.save_profiles,
        world.fund_a,
        "2026/27",
        [(world.line_a, {1: Decimal("3000"), 2: Decimal("3000")})],
    )
    points = usecase.read(
        world.database, manager, queries.spend_against_profile, world.fund_a, as_at=date(2026, 11, 22)
    )
    profile = [p for p in points if p.series == "Profile"]
    spend = [p for p in points if p.series == "Spend"]
    assert profile[-1].amount == Decimal("6000.00") and profile[0].amount == Decimal("0.00")
    assert spend[-1] == queries.CumulativePoint(date(2026, 11, 22), "Spend", Decimal("2000.00"))


def test_a_new_partnerships_manager_sees_nothing_until_granted(world: World, database: Database) -> None:
    with UnitOfWork(database, actor="setup") as uow:
        blaby = uow.partnerships.add(Partnership(name="Blaby CSP"))
        uow.commit()
    assert blaby.id is not None
    assert usecase.read(database, world.manager(blaby.id), queries.fund_summaries) == []


def test_reports_are_limited_to_the_granted_partnerships(world: World) -> None:
    mine = world.manager(world.a)
    on = date(2026, 11, 22)
    pack = usecase.read(world.database, mine, reporting.budget_pack, world.a, year="2026/27", as_at=on)
    assert reporting.render_budget_pack(pack, "pdf").startswith(b"%PDF")
    with pytest.raises(PermissionDenied):
        usecase.read(world.database, mine, reporting.budget_pack, world.b, year="2026/27", as_at=on)
    with pytest.raises(PermissionDenied):
        usecase.read(
            world.database, mine, reporting.budget_pack, world.a, year="2026/27", as_at=on, fund_id=world.fund_b
        )
    with pytest.raises(PermissionDenied):
        usecase.read(world.database, mine, returns.return_view, world.fund_b, "H1")
    with pytest.raises(PermissionDenied, match="choose one of your partnerships"):
        usecase.read(world.database, mine, giving_export.export_360giving, "csv")
    assert {e.fund_id for e in usecase.read(world.database, mine, return_calendar.return_calendar)} == {world.fund_a}
    assert {e.fund_id for e in usecase.read(world.database, world.viewer(), return_calendar.return_calendar)} == {
        world.fund_a,
        world.fund_b,
    }
