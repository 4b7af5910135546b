"""Steps for return_packages.feature: the partnership's tracker exports a submitted return as a package and the
OPCC's tracker receives it, each through ``python -m grants`` on its own database."""

from __future__ import annotations

import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from pytest_bdd import given, scenarios, then, when

from features.support import step
from grants import cli
from grants.domain.models import Funder
from grants.services import usecase, users
from grants.services.access import local_operator
from grants.services.demo import PARTNERSHIP
from grants.services.received_returns import ReceivedSummary, received_summaries
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.sent_returns import H1, submitted_demo

scenarios("return_packages.feature")

OPCC = "Office of the Police and Crime Commissioner"


@dataclass
class Installations:
    charnwood: Path
    opcc: Path
    package: Path
    status: int = 0
    err: str = ""

    def run(self, db: Path, *args: str) -> int:
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            self.status = cli.main(["--database", f"sqlite:///{db}", *args])
        self.err = err.getvalue()
        return self.status


@pytest.fixture(scope="module")
def _sent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return submitted_demo(tmp_path_factory.mktemp("sent-feature") / "charnwood.db")


@pytest.fixture
def trackers(tmp_path: Path, _sent: Path) -> Installations:
    charnwood = tmp_path / "charnwood.db"
    shutil.copyfile(_sent, charnwood)
    return Installations(charnwood=charnwood, opcc=tmp_path / "opcc.db", package=tmp_path / "charnwood-h1.zip")


# -- given ------------------------------------------------------------------------------------------
@given(step("Charnwood's PLF 2026/27 H1 return has been submitted"))
def submitted(trackers: Installations) -> None:
    assert trackers.charnwood.exists()


@given(step("the OPCC's tracker, where the commissioning officer has an account"))
def opcc_tracker(trackers: Installations) -> None:
    database = Database(f"sqlite:///{trackers.opcc}")
    database.migrate()
    with UnitOfWork(database, actor="setup") as uow:
        uow.funders.add(Funder(name=OPCC))
        uow.commit()
    usecase.perform(database, local_operator(), users.add_user, username="commissioning", role="funder", funder=OPCC)
    database.dispose()


# -- when -------------------------------------------------------------------------------------------
@when(step("the manager exports the H1 return as a package"))
def exports(trackers: Installations) -> None:
    status = trackers.run(
        trackers.charnwood, "--user", "manager", "return", "export", *H1, "--out", str(trackers.package)
    )
    assert status == 0, trackers.err


@when(step("someone changes one byte of the PDF in the package"))
def changes_a_byte(trackers: Installations) -> None:
    data = bytearray(trackers.package.read_bytes())
    data[data.index(b"%PDF-") + 200] ^= 0x04
    trackers.package.write_bytes(bytes(data))


@when(step("the commissioning officer receives the package"))
def receives(trackers: Installations) -> None:
    trackers.run(trackers.opcc, "--user", "commissioning", "return", "receive", str(trackers.package))


# -- then -------------------------------------------------------------------------------------------
def _county_view(trackers: Installations, year: str) -> list[ReceivedSummary]:
    database = Database(f"sqlite:///{trackers.opcc}")
    try:
        return usecase.read(database, local_operator(), received_summaries, year=year)
    finally:
        database.dispose()


@then(step("the OPCC's county view for {year:Year} lists Charnwood's PLF 2026/27 H1 return, version 1"))
def listed(trackers: Installations, year: str) -> None:
    assert trackers.status == 0, trackers.err
    [row] = _county_view(trackers, year)
    assert (row.partnership, row.fund_code, row.period, row.version) == (PARTNERSHIP, "PLF", "2026/27 H1", 1)


@then(step("it shows {spent:Money} spent of {allocated:Money} allocated, with {red:d} red line"))
def shows(trackers: Installations, spent: Decimal, allocated: Decimal, red: int) -> None:
    [row] = _county_view(trackers, "2026/27")
    assert (row.spent, row.allocated, row.red_lines) == (spent, allocated, red)


@then(step('it is refused, saying "{words:Text}"'))
def refused(trackers: Installations, words: str) -> None:
    assert trackers.status == 2
    assert words in trackers.err, trackers.err


@then(step("the OPCC's tracker holds no received return"))
def nothing_stored(trackers: Installations) -> None:
    assert _county_view(trackers, "2026/27") == []
    database = Database(f"sqlite:///{trackers.opcc}")
    with UnitOfWork(database) as uow:
        assert uow.partnerships.count() == 0
    database.dispose()
