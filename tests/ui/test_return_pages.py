"""The return workflow in the app: the draft's words, a refused submission listing its reasons, the Strategic
Group's sign-off, submission, accepting a finding on the Compliance page, and closing a year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from streamlit.testing.v1 import AppTest

from grants.domain.enums import ReturnStatus, Role
from grants.domain.models import Return
from grants.services.demo import PARTNERSHIP
from grants.services.ledger import find_fund
from grants.services.return_words import DraftWords
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.reports.test_return_workflow import CCTV, accept_h1_errors
from tests.ui.conftest import no_exceptions

AppAs = Callable[..., AppTest]
REPORTS = "grants/ui/reports_page.py"
COMPLIANCE = "grants/ui/compliance_page.py"
SPEND = "grants/ui/spend_page.py"


def button(at: AppTest, label: str) -> object:
    return next(b for b in at.button if b.label.startswith(label))


def the_return(database: Database) -> object:
    with UnitOfWork(database) as uow:
        (stored,) = [r for r in uow.returns.find() if r.period == "2026/27 H1"]
    return stored


def test_a_return_goes_from_draft_words_to_sign_off_to_submission_in_the_app(
    app_as: AppAs, demo_database: Database
) -> None:
    at = app_as(Role.MANAGER, page=REPORTS)
    no_exceptions(at)
    button(at, "Submit and freeze").click().run()  # type: ignore[attr-defined]
    refused = "\n".join(e.value for e in at.error)
    assert "no Strategic Group member has signed off" in refused and "ALC004" in refused
    assert "Not submitted. Each of these must be put right first:" in refused  # a list, one reason a line
    assert "\n- no Strategic Group member has signed off" in refused
    # the manager writes the words: saved on the draft as written
    explain = next(t for t in at.text_area if t.label.startswith(CCTV))
    explain.input("The second camera cost £250 more than quoted.")
    at.text_area(key="return_risks").input("Supplier delays")
    next(b for b in at.button if b.label == "Save the draft's words").click().run()
    no_exceptions(at)
    words = DraftWords.from_dict(the_return(demo_database).words)  # type: ignore[attr-defined]
    assert (
        words.explanation_of(CCTV) == "The second camera cost £250 more than quoted."
        and words.risks == "Supplier delays"
    )
    assert "Sign off the current figures" not in [b.label for b in at.button], "a manager does not sign off"
    # the Strategic Group accepts the errors and signs off in the app
    accept_h1_errors(demo_database)
    strategic = app_as(Role.STRATEGIC_GROUP, page=REPORTS)
    assert "Submit and freeze" not in [b.label for b in strategic.button]
    button(strategic, "Sign off the current figures").click().run()  # type: ignore[attr-defined]
    no_exceptions(strategic)
    assert any("status **signed off**" in m.value for m in strategic.markdown)  # words, not "signed_off"
    assert the_return(demo_database).signed_off_by == "strategic"  # type: ignore[attr-defined]
    # then the manager submits
    at = app_as(Role.MANAGER, page=REPORTS)
    button(at, "Submit and freeze").click().run()  # type: ignore[attr-defined]
    no_exceptions(at)
    stored = the_return(demo_database)
    assert stored.status is ReturnStatus.SUBMITTED and stored.version_number == 1  # type: ignore[attr-defined]
    at = app_as(Role.MANAGER, page=REPORTS)
    assert any(b.label.startswith("Version 1, submitted") for b in at.get("download_button"))
    assert "Submit an amended version" in [b.label for b in at.button]


def test_the_strategic_group_accepts_a_finding_on_the_compliance_page(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.STRATEGIC_GROUP, page=COMPLIANCE)
    at.radio(key="compliance_view").set_value("Every finding").run()  # one row per finding
    no_exceptions(at)
    before = len(at.dataframe[0].value)
    at.text_area(key="accept_reason").input("Agreed at the November meeting")
    next(b for b in at.button if b.label == "Accept the finding").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        (acceptance,) = uow.acceptances.find()
    assert (acceptance.accepted_by, acceptance.reason) == ("strategic", "Agreed at the November meeting")
    at = app_as(Role.STRATEGIC_GROUP, page=COMPLIANCE)
    at.radio(key="compliance_view").set_value("Every finding").run()
    assert len(at.dataframe[0].value) == before - 1
    shown = "\n".join(e.value for e in at.markdown).replace("\\", "")  # markdown escapes
    assert "Accepted by Strategic Group member (demo) on" in shown and "Agreed at the November meeting" in shown
    assert not [b for b in app_as(Role.MANAGER, page=COMPLIANCE).button if b.label == "Accept the finding"]


def test_the_by_line_view_offers_the_line_s_findings_to_accept(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.STRATEGIC_GROUP, page=COMPLIANCE)
    assert at.radio(key="compliance_view").value == "By line"
    picker = next(s for s in at.selectbox if s.label == "Finding to accept")
    assert len(picker.options) >= 1
    at.text_area(key="accept_reason").input("Agreed at the November meeting")
    next(b for b in at.button if b.label == "Accept the finding").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        (acceptance,) = uow.acceptances.find()
    assert (acceptance.accepted_by, acceptance.reason) == ("strategic", "Agreed at the November meeting")
    assert not [s for s in app_as(Role.MANAGER, page=COMPLIANCE).selectbox if s.label == "Finding to accept"]


def test_the_strategic_group_closes_a_year_in_the_app_and_the_manager_cannot_change_it(
    app_as: AppAs, demo_database: Database
) -> None:
    at = app_as(Role.STRATEGIC_GROUP, page=REPORTS)
    at.selectbox(key="calendar_year").set_value("2017/18").run()
    button(at, "Close 2017/18 for").click().run()  # type: ignore[attr-defined]
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        (closed,) = uow.closed_years.find()
    assert (closed.year, closed.closed_by) == ("2017/18", "Strategic Group member (demo)")
    compliance = app_as(Role.STRATEGIC_GROUP, page=COMPLIANCE)
    assert "finding(s) on closed years (PLF 2017/18)" in "\n".join(c.value for c in compliance.caption)


def test_a_receipt_inside_a_submitted_half_is_refused_unless_recorded_as_an_adjustment(
    app_as: AppAs, demo_database: Database
) -> None:
    with UnitOfWork(demo_database, actor="test") as uow:
        fund = find_fund(uow, PARTNERSHIP, "PLF", "2026/27")
        assert fund.id is not None
        fund_id = fund.id
        uow.returns.add(
            Return(fund_id=fund_id, period="2026/27 H1", status=ReturnStatus.SUBMITTED, version_number=1,
                   submitted_on=date(2026, 10, 30), submitted_by="manager")
        )  # fmt: skip
        uow.commit()
        before = uow.receipts.count()
    at = app_as(Role.MANAGER, page="grants/ui/funds_page.py")
    at.selectbox(key="fund_id").set_value(fund_id).run()
    at.number_input(key=f"receipt_amount_{fund_id}").set_value(100.0)
    at.date_input(key=f"receipt_on_{fund_id}").set_value(date(2026, 9, 1))
    next(b for b in at.button if b.label == "Add receipt").click().run()
    assert any("submitted" in e.value for e in at.error), [e.value for e in at.error]
    with UnitOfWork(demo_database) as uow:
        assert uow.receipts.count() == before
    at.number_input(key=f"receipt_amount_{fund_id}").set_value(100.0)
    at.date_input(key=f"receipt_on_{fund_id}").set_value(date(2026, 9, 1))
    at.text_input(key=f"receipt_adjustment_{fund_id}").input("OPCC paid a late H1 top-up")
    next(b for b in at.button if b.label == "Add receipt").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        assert uow.receipts.count() == before + 1
        assert [a.reason for a in uow.adjustments.find(fund_id=fund_id)] == ["OPCC paid a late H1 top-up"]
