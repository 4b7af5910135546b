"""A funder's programme: its conditions reach every fund in it that does not override them, and the next
check reads them; a fund's own change of conditions waits for the Strategic Group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from grants.domain.enums import Role
from grants.domain.errors import PermissionDenied, RuleViolation
from grants.domain.models import BudgetLine, Funder
from grants.domain.programmes import ChangeStatus
from grants.services import checking, condition_changes, programmes, year_close
from grants.services.access import Principal, local_operator
from grants.services.ledger import ensure_fund
from grants.services.usecase import perform, read
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

A = "Charnwood Community Safety Partnership"
B = "Melton Community Safety Partnership"
OPCC = "Office of the Police and Crime Commissioner"
YEAR = "2026/27"
ON = date(2026, 9, 1)


@dataclass
class World:
    database: Database
    home_office: int
    opcc: int
    dluhc: int
    a: int
    b: int
    fund_a: int
    fund_b: int

    def funder(self, funder_id: int, name: str = "olive") -> Principal:
        return Principal.of(name, Role.FUNDER, (self.a, self.b), funder_id=funder_id)

    def manager(self) -> Principal:
        return Principal.of("mandy", Role.MANAGER, (self.a, self.b))

    def strategic(self, name: str = "sam") -> Principal:
        return Principal.of(name, Role.STRATEGIC_GROUP, (self.a, self.b), display_name="Sam (Strategic Group)")


@pytest.fixture
def world(database: Database) -> World:
    with UnitOfWork(database, actor="setup") as uow:
        home_office = uow.funders.add(Funder(name="Home Office"))
        assert home_office.id is not None
        opcc = uow.funders.add(Funder(name=OPCC, parent_id=home_office.id))
        dluhc = uow.funders.add(Funder(name="Department for Levelling Up, Housing and Communities"))
        assert opcc.id is not None and dluhc.id is not None
        programmes.set_programme(
            uow, local_operator(), funder=opcc.id, code="PLF", year=YEAR, changes={"per_grant_cap": "10000"}
        )
        fund_a, _ = ensure_fund(uow, A, "PLF", YEAR)
        fund_b, _ = ensure_fund(uow, B, "PLF", YEAR)
        assert fund_a.id is not None and fund_b.id is not None
        for fund_id, allocated in ((fund_a.id, "8000.00"), (fund_b.id, "8000.00")):
            with uow.dated(date(2026, 4, 1)):
                uow.lines.add(
                    BudgetLine(
                        fund_id=fund_id,
                        description="Youth diversion sessions",
                        strategic_priority="SP2",
                        allocated=Decimal(allocated),
                    )
                )
        uow.commit()
        return World(
            database,
            home_office.id,
            opcc.id,
            dluhc.id,
            fund_a.partnership_id,
            fund_b.partnership_id,
            fund_a.id,
            fund_b.id,
        )


def _cap(world: World, fund_id: int) -> Decimal | None:
    with UnitOfWork(world.database) as uow:
        return uow.funds.get(fund_id).conditions.per_grant_cap


def _set_cap(world: World, who: Principal, cap: str) -> None:
    perform(world.database, who, programmes.set_programme, funder=world.opcc, code="PLF", year=YEAR,
            changes={"per_grant_cap": cap})  # fmt: skip


def _over_cap(world: World, fund_id: int) -> list[str]:
    found = read(world.database, local_operator(), checking.run_checks, as_at=date(2026, 10, 1), fund_id=fund_id)
    return [f.line for f in found if f.code == "ALC005" and "cap" in f.message]


def _override_b(world: World, cap: str) -> None:
    change = perform(world.database, world.manager(), condition_changes.propose_change, world.fund_b,
                     changes={"per_grant_cap": cap}, override=True, reason="Agreed with the OPCC", on=ON)  # fmt: skip
    assert change.id is not None
    perform(world.database, world.strategic(), condition_changes.approve_change, change.id, on=ON)


def _audit(world: World, entity: str, entity_id: int | None = None) -> list[dict[str, object]]:
    with UnitOfWork(world.database) as uow:
        return [dict(e.after or {}) | {"actor": e.actor} for e in uow.audit.events(entity, entity_id)]


def test_new_funds_join_their_funders_programme_and_inherit_its_conditions(world: World) -> None:
    with UnitOfWork(world.database) as uow:
        fund = uow.funds.get(world.fund_a)
        programme = uow.programmes.get(fund.programme_id or 0)
    assert (programme.code, programme.year, programme.funder_id) == ("PLF", YEAR, world.opcc)
    assert fund.conditions.per_grant_cap == Decimal("10000.00")
    assert fund.conditions.strategic_priority_required, "a new programme starts from its stream's defaults"
    rows = {r.name: r for r in read(world.database, world.manager(), programmes.fund_conditions, world.fund_a)}
    assert rows["per_grant_cap"].source == f"programme Partnership Locality Fund {YEAR} ({OPCC})"
    assert rows["match_share"].source == "default"


def test_a_programme_cap_change_reaches_the_funds_that_do_not_override_it(world: World) -> None:
    _override_b(world, "12000")
    _set_cap(world, world.funder(world.opcc), "5000")
    assert _cap(world, world.fund_a) == Decimal("5000.00")
    assert _cap(world, world.fund_b) == Decimal("12000.00"), "the override stands"
    fund_events = _audit(world, "funds", world.fund_a)
    assert fund_events[0]["conditions"]["per_grant_cap"] == "5000.00"  # type: ignore[index]
    assert fund_events[0]["actor"] == "olive"
    assert _audit(world, "programmes")[0]["actor"] == "olive"
    rows = {r.name: r for r in read(world.database, world.manager(), programmes.fund_conditions, world.fund_b)}
    assert rows["per_grant_cap"].source == (
        "override: Agreed with the OPCC — proposed by mandy, approved by sam on 01/09/2026"
    )


def test_the_next_check_reflects_a_programme_cap_change(world: World) -> None:
    assert _over_cap(world, world.fund_a) == []
    _set_cap(world, world.funder(world.opcc), "5000")
    assert _over_cap(world, world.fund_a) == ["Youth diversion sessions"]
    assert _over_cap(world, world.fund_b) == ["Youth diversion sessions"]
    _set_cap(world, world.funder(world.home_office, "hugh"), "9000")  # a funder above the OPCC may set it too
    assert _over_cap(world, world.fund_a) == []


def test_only_the_funder_or_one_above_it_sets_a_programme(world: World) -> None:
    for who in (world.funder(world.dluhc), world.manager(), world.strategic()):
        with pytest.raises(PermissionDenied):
            _set_cap(world, who, "1")
    assert _cap(world, world.fund_a) == Decimal("10000.00")
    with pytest.raises(PermissionDenied, match="does not work for"):
        _set_cap(world, world.funder(world.dluhc), "1")


def test_a_managers_change_has_no_effect_until_the_strategic_group_approves_it(world: World) -> None:
    with pytest.raises(RuleViolation, match="override"):
        perform(world.database, world.manager(), condition_changes.propose_change, world.fund_a,
                changes={"per_grant_cap": "3000"}, reason="Smaller grants", on=ON)  # fmt: skip
    with pytest.raises(RuleViolation, match="say why"):
        perform(world.database, world.manager(), condition_changes.propose_change, world.fund_a,
                changes={"per_grant_cap": "3000"}, override=True, reason=" ", on=ON)  # fmt: skip
    change = perform(world.database, world.manager(), condition_changes.propose_change, world.fund_a,
                     changes={"per_grant_cap": "3000"}, override=True, reason="Smaller grants", on=ON)  # fmt: skip
    assert change.id is not None
    assert _cap(world, world.fund_a) == Decimal("10000.00"), "the old conditions stay in force"
    assert _over_cap(world, world.fund_a) == []
    pending = read(world.database, world.strategic(), condition_changes.pending_changes)
    assert [(p.change.id, p.partnership) for p in pending] == [(change.id, A)]
    with pytest.raises(PermissionDenied):
        perform(world.database, world.manager(), condition_changes.approve_change, change.id, on=ON)
    perform(world.database, world.strategic(), condition_changes.approve_change, change.id, on=ON)
    assert _cap(world, world.fund_a) == Decimal("3000.00")
    assert _over_cap(world, world.fund_a) == ["Youth diversion sessions"]
    with UnitOfWork(world.database) as uow:
        decided = uow.condition_changes.get(change.id)
        override = uow.funds.get(world.fund_a).condition_overrides.fields["per_grant_cap"]
    assert (decided.status, decided.decided_by, decided.decided_on) == (ChangeStatus.APPROVED, "sam", ON)
    assert (override.by, override.approved_by, override.reason) == ("mandy", "sam", "Smaller grants")
    assert read(world.database, world.strategic(), condition_changes.pending_changes) == []
    with pytest.raises(RuleViolation, match="already approved by sam"):
        perform(world.database, world.strategic("stella"), condition_changes.approve_change, change.id, on=ON)


def test_inheriting_again_drops_the_override(world: World) -> None:
    _override_b(world, "12000")
    change = perform(world.database, world.manager(), condition_changes.propose_change, world.fund_b, changes={},
                     inherit=["per_grant_cap"], reason="The programme's cap suits us now", on=ON)  # fmt: skip
    assert change.id is not None
    assert _cap(world, world.fund_b) == Decimal("12000.00")
    perform(world.database, world.strategic(), condition_changes.approve_change, change.id, on=ON)
    assert _cap(world, world.fund_b) == Decimal("10000.00")
    _set_cap(world, world.funder(world.opcc), "7000")
    assert _cap(world, world.fund_b) == Decimal("7000.00")


def test_nobody_decides_their_own_proposal(world: World) -> None:
    operator = local_operator()
    change = perform(world.database, operator, condition_changes.propose_change, world.fund_a,
                     changes={"match_share": "0.25"}, override=True, reason="Council match", on=ON)  # fmt: skip
    assert change.id is not None
    with pytest.raises(PermissionDenied, match="proposed this change"):
        perform(world.database, operator, condition_changes.approve_change, change.id, on=ON)
    with pytest.raises(PermissionDenied, match="proposed this change"):
        perform(world.database, operator, condition_changes.reject_change, change.id, reason="no", on=ON)
    with UnitOfWork(world.database) as uow:
        assert uow.funds.get(world.fund_a).conditions.match_share is None


def test_a_rejected_change_changes_nothing_and_keeps_its_reason(world: World) -> None:
    change = perform(world.database, world.manager(), condition_changes.propose_change, world.fund_a,
                     changes={"per_grant_cap": "3000"}, override=True, reason="Smaller grants", on=ON)  # fmt: skip
    assert change.id is not None
    with pytest.raises(RuleViolation, match="say why"):
        perform(world.database, world.strategic(), condition_changes.reject_change, change.id, reason="", on=ON)
    perform(world.database, world.strategic(), condition_changes.reject_change, change.id,
            reason="The OPCC's cap stands", on=ON)  # fmt: skip
    with UnitOfWork(world.database) as uow:
        fund = uow.funds.get(world.fund_a)
        decided = uow.condition_changes.get(change.id)
    assert fund.conditions.per_grant_cap == Decimal("10000.00") and not fund.condition_overrides.fields
    assert (decided.status, decided.decided_by, decided.decision_reason) == (
        ChangeStatus.REJECTED,
        "sam",
        "The OPCC's cap stands",
    )
    assert _audit(world, "condition_changes", change.id)[0]["status"] == "rejected"


def test_a_fund_outside_a_programme_changes_its_own_conditions_on_approval(world: World) -> None:
    with UnitOfWork(world.database, actor="setup") as uow:
        fund, _ = ensure_fund(uow, A, "CSF", YEAR)  # no CSF programme: the stream's default cap
        uow.commit()
    assert fund.id is not None and fund.programme_id is None
    with pytest.raises(RuleViolation, match="no funder's programme"):
        perform(world.database, world.manager(), condition_changes.propose_change, fund.id,
                changes={"per_grant_cap": "8000"}, override=True, reason="x", on=ON)  # fmt: skip
    with pytest.raises(ValidationError):
        perform(world.database, world.manager(), condition_changes.propose_change, fund.id,
                changes={"match_share": "2"}, reason="x", on=ON)  # fmt: skip
    change = perform(world.database, world.manager(), condition_changes.propose_change, fund.id,
                     changes={"per_grant_cap": "8000"}, reason="New grant letter", on=ON)  # fmt: skip
    assert change.id is not None
    assert _cap(world, fund.id) == Decimal("10000.00")
    perform(world.database, world.strategic(), condition_changes.approve_change, change.id, on=ON)
    assert _cap(world, fund.id) == Decimal("8000.00")
    rows = {r.name: r for r in read(world.database, world.manager(), programmes.fund_conditions, fund.id)}
    assert rows["per_grant_cap"].source == "this fund"


def test_an_existing_fund_joins_a_programme_set_later(world: World) -> None:
    with UnitOfWork(world.database, actor="setup") as uow:
        fund, _ = ensure_fund(uow, A, "SS", YEAR)  # Home Office money, before the OPCC's programme exists
        uow.commit()
    assert fund.id is not None and fund.programme_id is None
    perform(world.database, world.funder(world.opcc), programmes.set_programme, funder=world.opcc, code="SS",
            year=YEAR, changes={"match_share": "0.4"})  # fmt: skip
    assert read(world.database, world.manager(), programmes.fund_conditions, fund.id)[5].value == Decimal("0.5")
    with pytest.raises(PermissionDenied):
        perform(world.database, world.manager(), programmes.join_programme, fund_id=fund.id)
    joined = perform(world.database, world.funder(world.opcc), programmes.join_programme, fund_id=fund.id)
    assert joined.programme_id is not None and joined.conditions.match_share == Decimal("0.4")
    with pytest.raises(RuleViolation, match="already in the programme"):
        perform(world.database, local_operator(), programmes.join_programme, fund_id=fund.id)


def test_a_programme_names_only_conditions_that_exist(world: World) -> None:
    with pytest.raises(RuleViolation, match="no condition called per_grant_limit"):
        perform(world.database, local_operator(), programmes.set_programme, funder=world.opcc, code="PLF",
                year=YEAR, changes={"per_grant_limit": "1"})  # fmt: skip
    with pytest.raises(RuleViolation, match="per-grant cap must be more than"):
        _set_cap(world, local_operator(), "-5")
    with pytest.raises(ValidationError):
        _set_cap(world, local_operator(), "12.345")
    assert _cap(world, world.fund_a) == Decimal("10000.00")


def test_a_closed_year_keeps_the_conditions_it_was_judged_by(world: World) -> None:
    perform(world.database, world.strategic(), year_close.close_year, world.a, YEAR, on=date(2027, 5, 1))
    with pytest.raises(RuleViolation, match="closed"):
        _set_cap(world, world.funder(world.opcc), "5000")
    assert _cap(world, world.fund_b) == Decimal("10000.00"), "the whole change is refused"
