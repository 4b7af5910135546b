"""Steps for programmes.feature: a funder's programme, its funds, proposed changes of conditions, on a migrated
SQLite database, through the same services the Funds page and the command line call."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, scenarios, then, when

from features.support import step
from grants.domain.enums import Role
from grants.domain.errors import GrantsError
from grants.domain.models import BudgetLine, Funder
from grants.services import allocations, checking, condition_changes, programmes
from grants.services.access import Principal, local_operator
from grants.services.ledger import ensure_fund
from grants.services.usecase import perform, read
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

scenarios("programmes.feature")

OPCC = "Office of the Police and Crime Commissioner"
YEAR = "2026/27"
DECIDED_ON = date(2026, 9, 1)


@dataclass
class World:
    database: Database
    funders: dict[str, int] = field(default_factory=dict)
    funds: dict[str, int] = field(default_factory=dict)
    partnerships: dict[str, int] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    change: int = 0
    told: str = ""

    def officer(self, funder: str) -> Principal:
        return Principal.of(f"{funder.lower()}-officer", Role.FUNDER, self.partnerships.values(),
                            funder_id=self.funders[funder])  # fmt: skip

    def manager(self, partnership: str) -> Principal:
        return Principal.of(f"{partnership.lower()}-manager", Role.MANAGER, (self.partnerships[partnership],))

    def strategic(self) -> Principal:
        return Principal.of("sam", Role.STRATEGIC_GROUP, self.partnerships.values())

    def attempt(self, use_case: Any, who: Principal, *args: Any, **kwargs: Any) -> None:
        try:
            perform(self.database, who, use_case, *args, **kwargs)
        except GrantsError as exc:
            self.told = str(exc)
        else:
            self.told = ""


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("programmes") / "template.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    database.dispose()
    return path


@pytest.fixture
def world(tmp_path: Path, _migrated: Path) -> Iterator[World]:
    path = tmp_path / "grants.db"
    shutil.copyfile(_migrated, path)
    database = Database(f"sqlite:///{path}")
    yield World(database)
    database.dispose()


def _set_cap(world: World, who: Principal, cap: Decimal) -> None:
    world.attempt(programmes.set_programme, who, funder=world.funders["OPCC"], code="PLF", year=YEAR,
                  changes={"per_grant_cap": cap})  # fmt: skip


def _over_cap(world: World, partnership: str) -> list[str]:
    found = read(world.database, local_operator(), checking.run_checks, as_at=date(2026, 10, 1),
                 fund_id=world.funds[partnership])  # fmt: skip
    return [f.line for f in found if f.code == "ALC005" and "cap" in f.message]


# -- the programme and its funds ---------------------------------------------------------------------------


@given(step("the OPCC's Partnership Locality Fund programme for {year:Year} caps each grant at {cap:Money}"))
def the_programme(world: World, year: str, cap: Decimal) -> None:
    with UnitOfWork(world.database, actor="setup") as uow:
        home_office = uow.funders.add(Funder(name="Home Office"))
        opcc = uow.funders.add(Funder(name=OPCC, parent_id=home_office.id))
        other = uow.funders.add(Funder(name="Department for Levelling Up, Housing and Communities"))
        assert home_office.id is not None and opcc.id is not None and other.id is not None
        world.funders = {"Home Office": home_office.id, "OPCC": opcc.id, "another funder": other.id}
        programmes.set_programme(uow, local_operator(), funder=opcc.id, code="PLF", year=year,
                                 changes={"per_grant_cap": cap})  # fmt: skip
        uow.commit()


@given(step('{partnership}\'s PLF fund for {year:Year} is in the programme with a line "{description}" allocated '
            "{amount:Money}"))  # fmt: skip
def a_fund_in_the_programme(world: World, partnership: str, year: str, description: str, amount: Decimal) -> None:
    with UnitOfWork(world.database, actor="setup") as uow:
        fund, _ = ensure_fund(uow, partnership, "PLF", year)
        assert fund.id is not None and fund.programme_id is not None, "a new fund joins its funder's programme"
        with uow.dated(date(2026, 4, 1)):
            line = uow.lines.add(BudgetLine(fund_id=fund.id, description=description, allocated=amount,
                                            strategic_priority="SP2"))  # fmt: skip
        assert line.id is not None
        uow.commit()
    world.funds[partnership] = fund.id
    world.partnerships[partnership] = fund.partnership_id
    world.lines[description] = line.id


# -- the funder --------------------------------------------------------------------------------------------


@when(step("the {funder}'s officer lowers the programme's cap to {cap:Money}"))
def a_funder_lowers_the_cap(world: World, funder: str, cap: Decimal) -> None:
    _set_cap(world, world.officer(funder), cap)
    assert not world.told, world.told


@when(step("{who} tries to lower the programme's cap to {cap:Money}"))
def someone_tries_to_lower_the_cap(world: World, who: str, cap: Decimal) -> None:
    principals = {
        "Charnwood's manager": world.manager("Charnwood"),
        "a Strategic Group member": world.strategic(),
        "an officer of another funder": world.officer("another funder"),
    }
    _set_cap(world, principals[who], cap)


@when(step('the OPCC\'s officer tries to change the allocation of "{description}" to {amount:Money}'))
def the_funder_tries_the_ledger(world: World, description: str, amount: Decimal) -> None:
    world.attempt(allocations.update_line, world.officer("OPCC"), world.lines[description], None, allocated=amount)


# -- proposals ---------------------------------------------------------------------------------------------


def _propose(world: World, who: Principal, partnership: str, cap: Decimal, reason: str) -> None:
    change = perform(world.database, who, condition_changes.propose_change, world.funds[partnership],
                     changes={"per_grant_cap": cap}, override=True, reason=reason, on=date(2026, 8, 20))  # fmt: skip
    assert change.id is not None
    world.change = change.id


@given(step('{partnership}\'s manager proposed a cap of {cap:Money} because "{reason}"'))
@when(step('{partnership}\'s manager proposes a cap of {cap:Money} because "{reason}"'))
def a_manager_proposes(world: World, partnership: str, cap: Decimal, reason: str) -> None:
    _propose(world, world.manager(partnership), partnership, cap, reason)


@when(step('the local operator proposes a cap of {cap:Money} for {partnership} because "{reason}"'))
def the_operator_proposes(world: World, cap: Decimal, partnership: str, reason: str) -> None:
    _propose(world, local_operator(), partnership, cap, reason)


@given(step("a Strategic Group member approved it"))
@when(step("a Strategic Group member approves it"))
def approved(world: World) -> None:
    perform(world.database, world.strategic(), condition_changes.approve_change, world.change, on=DECIDED_ON)


@when(step('a Strategic Group member rejects it because "{reason}"'))
def rejected(world: World, reason: str) -> None:
    perform(world.database, world.strategic(), condition_changes.reject_change, world.change, reason=reason,
            on=DECIDED_ON)  # fmt: skip


@when(step("the local operator tries to approve it"))
def the_operator_approves_their_own(world: World) -> None:
    world.attempt(condition_changes.approve_change, local_operator(), world.change, on=DECIDED_ON)


# -- outcomes ----------------------------------------------------------------------------------------------


@then(step("{partnership}'s fund caps each grant at {cap:Money}"))
def the_cap_in_force(world: World, partnership: str, cap: Decimal) -> None:
    with UnitOfWork(world.database) as uow:
        assert uow.funds.get(world.funds[partnership]).conditions.per_grant_cap == cap


@then(step('the next check finds "{description}" over {partnership}\'s cap'))
def over_the_cap(world: World, description: str, partnership: str) -> None:
    assert _over_cap(world, partnership) == [description]


@then(step("the next check finds nothing over {partnership}'s cap"))
def nothing_over_the_cap(world: World, partnership: str) -> None:
    assert _over_cap(world, partnership) == []


@then(step('the Funds page says {partnership}\'s cap comes from "{source}"'))
def where_the_cap_comes_from(world: World, partnership: str, source: str) -> None:
    rows = read(world.database, world.manager(partnership), programmes.fund_conditions, world.funds[partnership])
    assert next(r.source for r in rows if r.name == "per_grant_cap") == source


@then(step("one change of conditions is waiting for the Strategic Group"))
def one_waiting(world: World) -> None:
    waiting = read(world.database, world.strategic(), condition_changes.pending_changes)
    assert [w.change.id for w in waiting] == [world.change]


@then(step("no change of conditions is waiting for the Strategic Group"))
def none_waiting(world: World) -> None:
    assert read(world.database, world.strategic(), condition_changes.pending_changes) == []


@then(step('they are told "{message}"'))
def told(world: World, message: str) -> None:
    assert message in world.told, world.told
