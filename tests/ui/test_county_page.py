"""The County view page through Streamlit's AppTest: the funder's table, its totals, and the review of a return."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from streamlit.testing.v1 import AppTest

from grants.domain.enums import Role
from grants.services import usecase
from grants.services.access import local_operator
from grants.services.demo import PARTNERSHIP
from grants.services.ledger import find_fund
from grants.services.return_package import export_package, receive_package
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from grants.ui.navigation import pages_for
from tests.support.sent_returns import submitted_demo
from tests.ui.conftest import no_exceptions

AppAs = Callable[..., AppTest]
COUNTY = "grants/ui/county_page.py"


def _table(at: AppTest) -> list[dict[str, object]]:
    frame = at.dataframe[0].value
    return [dict(row) for row in frame.to_dict("records")]


def test_the_funder_sees_one_row_per_stream_and_the_county_total(app_as: AppAs) -> None:
    at = app_as(Role.FUNDER, page=COUNTY)
    no_exceptions(at)
    assert at.title[0].value == "County view"
    at.selectbox(key="county_year").set_value("2026/27").run()
    rows = _table(at)
    *funds, total = rows
    assert total["Partnership"] == "County total"
    assert funds and all(str(r["Stream"]).split(" · ")[0] in {"PLF", "PZ-BF", "SS"} for r in funds)
    for column in ("Funding", "Received", "Allocated", "Spent"):
        assert Decimal(str(total[column])) == sum(Decimal(str(r[column])) for r in funds)


def test_the_funder_accepts_a_return_from_the_drill_down_and_it_is_recorded(
    app_as: AppAs, demo_database: Database
) -> None:
    at = app_as(Role.FUNDER, page=COUNTY)
    at.selectbox(key="county_year").set_value("2017/18").run()
    at.radio(key="county_period").set_value("H1").run()
    no_exceptions(at)
    accept = next(b for b in at.button if b.label == "Accept the return")
    accept.click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        fund = find_fund(uow, PARTNERSHIP, "PLF", "2017/18")
        stored = uow.returns.first(fund_id=fund.id, period="2017/18 H1")
        assert stored is not None and stored.review == "accepted"
        (review,) = uow.reviews.find(return_id=stored.id)
        assert (review.action, review.by) == ("accepted", "funder")


def test_the_viewer_reads_the_county_view_but_cannot_review(app_as: AppAs) -> None:
    at = app_as(Role.VIEWER, page=COUNTY)
    at.selectbox(key="county_year").set_value("2017/18").run()
    at.radio(key="county_period").set_value("H1").run()
    no_exceptions(at)
    assert not [b for b in at.button if b.label in ("Accept the return", "Query the return")]


def test_only_the_funder_and_the_viewer_have_the_county_view() -> None:
    having = {role for role in Role if any(p.path == COUNTY for p in pages_for(role))}
    assert having == {Role.FUNDER, Role.VIEWER}


def test_the_funder_accepts_a_return_received_as_a_package(
    app_as: AppAs, demo_database: Database, tmp_path: Path
) -> None:
    sent = Database(f"sqlite:///{submitted_demo(tmp_path / 'charnwood.db')}")
    with UnitOfWork(sent) as uow:
        fund_id = int(find_fund(uow, PARTNERSHIP, "PLF", "2026/27").id or 0)
    package = usecase.read(sent, local_operator(), export_package, fund_id, "H1", None)
    sent.dispose()
    usecase.perform(demo_database, local_operator(), receive_package, package, source_name="charnwood.zip")
    at = app_as(Role.FUNDER, page=COUNTY)
    at.selectbox(key="county_year").set_value("2026/27").run()
    no_exceptions(at)
    assert any(str(r["Stream"]).startswith("PLF") for r in _table(at))
    assert [s.value for s in at.subheader][:1] == ["Returns received as packages"]
    next(b for b in at.button if b.label == "Accept the received return").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        (received,) = uow.received_returns.find()
        assert (received.review, received.reviewed_by) == ("accepted", "funder")
