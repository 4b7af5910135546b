"""Every page through Streamlit's AppTest: what each role sees and can do, on the demo data."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from grants.domain.enums import ApplicationStatus, Role, RoundStatus
from grants.services import condition_changes
from grants.services.demo import PARTNERSHIP
from grants.services.fund_figures import line_balances
from grants.services.ledger import find_fund
from grants.services.usecase import perform
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from grants.ui.navigation import PAGES, pages_for
from tests.ui.conftest import APP, TIMEOUT, no_exceptions, principal_of

AppAs = Callable[..., AppTest]
OVERVIEW = "grants/ui/overview_page.py"
FUNDS = "grants/ui/funds_page.py"
ALLOCATIONS = "grants/ui/allocations_page.py"
SPEND = "grants/ui/spend_page.py"
ROUNDS = "grants/ui/rounds_page.py"
OUTCOMES = "grants/ui/outcomes_page.py"
COMPLIANCE = "grants/ui/compliance_page.py"
REPORTS = "grants/ui/reports_page.py"
AUDIT = "grants/ui/audit_page.py"
ADMIN = "grants/ui/admin_page.py"


def fund_id(database: Database, code: str = "PLF", year: str = "2026/27") -> int:
    with UnitOfWork(database) as uow:
        found = find_fund(uow, PARTNERSHIP, code, year).id
    assert found is not None
    return found


def lines(database: Database, code: str = "PLF") -> dict[str, Decimal]:
    with UnitOfWork(database) as uow:
        return {b.description: b.allocated for b in line_balances(uow, fund_id(database, code))}


def choose_fund(at: AppTest, database: Database, code: str) -> AppTest:
    at.selectbox(key="fund_id").set_value(fund_id(database, code))
    return at.run()


def texts(at: AppTest) -> str:
    """Everything the page says, to search in."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning",
                                   "error") for e in getattr(at, kind)]  # fmt: skip
    return "\n".join(str(p) for p in parts)


def labels(column: Any) -> list[str]:
    """The values of a coloured-label column (each cell holds a one-item list)."""
    return [str(next(iter(cell), "")) for cell in column]


def as_shown(markdown: str) -> str:
    """Markdown as the browser shows it (the app escapes ledger text: ``ledger.csv\\:`` shows ``ledger.csv:``)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")  # and the invisible link-breakers


def toasts(at: AppTest) -> list[str]:
    return [as_shown(t.value) for t in at.toast]


# -- the navigation, for every role ---------------------------------------------------------

SMOKE = [(role, spec.path) for role in Role for spec in pages_for(role)]


@pytest.mark.parametrize(("role", "page"), SMOKE, ids=[f"{r.value}-{Path(p).stem}" for r, p in SMOKE])
def test_every_page_of_every_roles_navigation_runs_without_an_exception(app_as: AppAs, role: Role, page: str) -> None:
    at = app_as(role, page=page)
    no_exceptions(at)
    assert at.title, "every page has a title"


def test_each_role_sees_only_its_pages() -> None:
    titles = {role: [p.title for p in pages_for(role)] for role in Role}
    assert "Admin" in titles[Role.ADMIN] and "Admin" not in titles[Role.MANAGER] + titles[Role.VIEWER]
    assert titles[Role.ADMIN] == ["Overview", "Audit log", "Admin"]
    assert titles[Role.VIEWER] == [p.title for p in PAGES if p.title != "Admin"]
    assert not any("/pages/" in p.path for p in PAGES), "no legacy pages/ folder"


def test_a_page_missing_from_the_roles_navigation_cannot_be_opened(app_as: AppAs) -> None:
    at = app_as(Role.VIEWER)
    with pytest.raises(ValueError):
        at.switch_page(ADMIN)


# -- signing in -----------------------------------------------------------------------------


def test_signing_in_with_the_form_opens_the_overview(demo_database: Database) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert at.text_input(key="sign_in_username") is not None
    assert "Demo accounts" in [e.label for e in at.expander]
    at.text_input(key="sign_in_username").input("manager")
    at.text_input(key="sign_in_password").input("wrong password")
    at.button[0].click().run()
    assert "do not match" in at.error[0].value
    at.text_input(key="sign_in_password").input("demo-manager")
    at.button[0].click().run()
    no_exceptions(at)
    assert at.title[0].value == "Overview"
    at.button(key="sign_out").click().run()
    assert at.text_input(key="sign_in_username") is not None, "signed out: back to the sign-in form"


def test_a_database_without_accounts_says_how_to_make_the_first_admin(demo_database: Database) -> None:
    with UnitOfWork(demo_database) as uow:
        uow.session.execute(text("DELETE FROM users"))
        uow.commit()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    no_exceptions(at)
    assert "There are no accounts yet" in texts(at)
    assert any("users add" in c.value and "--role admin" in c.value for c in at.code)


def test_a_deactivated_account_is_signed_out_on_its_next_click(app_as: AppAs, demo_database: Database) -> None:
    at = app_as("viewer")
    with UnitOfWork(demo_database) as uow:
        viewer = uow.users.first(username="viewer")
        assert viewer is not None and viewer.id is not None
        uow.users.update(viewer.id, None, active=False)
        uow.commit()
    at.run()
    assert at.text_input(key="sign_in_username") is not None


# -- overview -------------------------------------------------------------------------------


def test_the_overview_shows_each_funds_money_against_profile_and_worst_finding(app_as: AppAs) -> None:
    at = app_as(Role.VIEWER)
    assert at.title[0].value == "Overview"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Allocated"] == "£163,000.00" and metrics["Spent"] == "£69,350.00"
    table = at.dataframe[0].value
    assert list(table["Fund"]) == [
        "PLF · Partnership Locality Fund",
        "PZ-BF · Bell Foundry People Zone Grant Fund",
        "SS · Safer Streets (illustrative round)",
    ]
    assert set(labels(table["Against profile"])) <= {"Red", "Amber", "Green", "No profile"}
    assert set(labels(table["Worst finding"])) <= {"Error", "Warning", "None"}
    assert "RAG" not in table.columns  # one word per idea: never "RAG" for the worst finding
    assert "Needs attention first" in [h.value for h in at.subheader]


def test_the_overview_of_2017_18_reproduces_the_papers_totals(app_as: AppAs) -> None:
    at = app_as(Role.MANAGER)
    at.selectbox(key="overview_year").set_value("2017/18").run()
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Allocated"], metrics["Spent"]) == ("£75,500.00", "£32,533.00")


# -- funds ----------------------------------------------------------------------------------


def test_a_manager_records_money_received_and_sees_a_toast(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=FUNDS)
    plf = fund_id(demo_database)
    at.number_input(key=f"receipt_amount_{plf}").set_value(1234.56)
    at.text_input(key=f"receipt_ref_{plf}").input("OPCC top-up")
    next(b for b in at.button if b.label == "Add receipt").click().run()
    no_exceptions(at)
    assert toasts(at) == ["Recorded £1,234.56"]
    with UnitOfWork(demo_database) as uow:
        assert any(r.reference == "OPCC top-up" and r.amount == Decimal("1234.56") for r in uow.receipts.find())


def test_a_managers_change_of_conditions_waits_for_the_strategic_group(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=FUNDS)
    plf = fund_id(demo_database)
    shown = at.dataframe[-1].value
    cap_row = shown[shown["Condition"] == "Allocate everything by"].iloc[0]
    assert cap_row["Comes from"] == "programme Partnership Locality Fund 2026/27 (Office of the Police and Crime " \
        "Commissioner)"  # fmt: skip
    at.number_input(key=f"cond_cap_{plf}").set_value(10000.0)
    at.text_input(key=f"cond_areas_{plf}").input("NL62, NL65")
    next(b for b in at.button if b.label == "Propose change").click().run()
    assert "say why" in texts(at), "a reason is required"
    at.number_input(key=f"cond_cap_{plf}").set_value(10000.0)
    at.text_input(key=f"cond_areas_{plf}").input("NL62, NL65")
    at.text_area(key=f"cond_reason_{plf}").input("The OPCC's letter of 2 November")
    next(b for b in at.button if b.label == "Propose change").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        assert uow.funds.get(plf).conditions.per_grant_cap is None, "nothing changes before approval"
        (change,) = uow.condition_changes.find()
    assert change.changes == {"per_grant_cap": "10000.00", "eligible_areas": ["NL62", "NL65"]}
    assert "Approve" not in [b.label for b in at.button], "the manager does not approve their own proposal"

    at = app_as(Role.STRATEGIC_GROUP, page=FUNDS)
    assert "The OPCC's letter of 2 November" in as_shown(texts(at))
    at.button(key=f"cond_approve_{change.id}").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        fund = uow.funds.get(plf)
    assert fund.conditions.per_grant_cap == Decimal("10000.00") and fund.conditions.eligible_areas == ("NL62", "NL65")
    assert fund.conditions.strategic_priority_required, "untouched conditions are kept"
    assert fund.condition_overrides.fields["per_grant_cap"].approved_by == "strategic"


def test_the_strategic_group_rejects_a_change_of_conditions_with_a_reason(
    app_as: AppAs, demo_database: Database
) -> None:
    plf = fund_id(demo_database)
    change = perform(demo_database, principal_of(demo_database, "manager"), condition_changes.propose_change, plf,
                     changes={"match_share": "0.25"}, override=True, reason="Council <b>match</b>",
                     on=date(2026, 11, 2))  # fmt: skip
    at = app_as(Role.STRATEGIC_GROUP, page=FUNDS)
    assert "Council <b>match</b>" in as_shown(texts(at)), "shown as typed, escaped"
    reject = next(b for b in at.button if b.label == "Reject")
    reject.click().run()
    assert "say why the change is rejected" in texts(at)
    at.text_input(key=f"cond_reject_{change.id}").input("The OPCC's match share stands")
    next(b for b in at.button if b.label == "Reject").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        decided = uow.condition_changes.get(change.id or 0)
        assert uow.funds.get(plf).conditions.match_share is None
    assert (decided.status.value, decided.decided_by) == ("rejected", "strategic")


def test_the_funders_officer_sets_the_programmes_cap_and_every_fund_in_it_follows(
    app_as: AppAs, demo_database: Database
) -> None:
    at = app_as("funder", page=FUNDS)
    plf = fund_id(demo_database)
    with UnitOfWork(demo_database) as uow:
        programme_id = uow.funds.get(plf).programme_id
    assert programme_id is not None
    assert "Propose change" not in [b.label for b in at.button], "the funder changes no fund directly"
    at.number_input(key=f"prog_cap_{programme_id}").set_value(9000.0)
    next(b for b in at.button if b.label == "Save programme conditions").click().run()
    no_exceptions(at)
    assert toasts(at) == ["Programme conditions saved"]
    with UnitOfWork(demo_database) as uow:
        assert uow.funds.get(plf).conditions.per_grant_cap == Decimal("9000.00")
        assert uow.programmes.get(programme_id).conditions.per_grant_cap == Decimal("9000.00")
    shown = at.dataframe[-1].value
    assert shown[shown["Condition"] == "Per-grant cap"].iloc[0]["Value"] == "£9,000.00"


def test_a_manager_sees_no_programme_form(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=FUNDS)
    assert "Save programme conditions" not in [b.label for b in at.button]


def test_a_viewer_sees_the_fund_but_no_forms_to_change_it(app_as: AppAs) -> None:
    at = app_as(Role.VIEWER, page=FUNDS)
    labels = [b.label for b in at.button]
    assert "Add receipt" not in labels and "Save details" not in labels
    assert "you can read this page" in texts(at)


# -- allocations ----------------------------------------------------------------------------


def test_a_manager_edits_and_adds_lines_in_the_grid(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=ALLOCATIONS)
    plf = fund_id(demo_database)
    key = f"lines_editor_{plf}_0"
    assert at.data_editor(key=key).editing_mode == "dynamic"
    at.session_state[key] = {
        "edited_rows": {0: {"Allocated": 12500.0}},
        "added_rows": [{"Description": "Knife crime awareness", "Allocated": 750.0, "Delivery partner": "Youth Unity"}],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="save_lines").click().run()
    no_exceptions(at)
    assert toasts(at) == ["Saved: 1 line(s) added, 1 changed; 1 need the Strategic Group's approval again"]
    saved = lines(demo_database)
    assert saved["Youth diversion sessions"] == Decimal("12500.00")
    assert saved["Knife crime awareness"] == Decimal("750.00")
    assert f"lines_editor_{plf}_1" in [e.key for e in at.data_editor], "the grid starts clean after a save"


def test_a_stale_grid_says_someone_else_changed_it_and_saves_nothing(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=ALLOCATIONS)
    plf = fund_id(demo_database)
    with UnitOfWork(demo_database, actor="someone-else") as uow:
        first = uow.lines.find(fund_id=plf)[0]
        assert first.id is not None
        uow.lines.update(first.id, first.version, notes="changed elsewhere")
        uow.commit()
    at.session_state[f"lines_editor_{plf}_0"] = {
        "edited_rows": {0: {"Allocated": 1.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="save_lines").click().run()
    assert "Someone else changed this" in at.error[0].value
    assert lines(demo_database)["Youth diversion sessions"] == Decimal("12000.00")


def test_the_strategic_group_approves_lines_and_cannot_edit_them(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.STRATEGIC_GROUP, page=ALLOCATIONS)
    assert not at.data_editor, "a read-only table, not an editor"
    assert "Approve allocations" in [h.value for h in at.subheader]
    next(b for b in at.button if b.label.startswith("Approve as")).click().run()
    no_exceptions(at)
    assert toasts(at) == ["Approved 1 line(s)"]
    with UnitOfWork(demo_database) as uow:
        contingency = uow.lines.first(description="Contingency fund")
    assert contingency is not None and contingency.approved_by == "Strategic Group member (demo)"


def test_a_manager_proposes_a_virement_and_the_strategic_group_approves_it(
    app_as: AppAs, demo_database: Database
) -> None:
    at = app_as(Role.MANAGER, page=ALLOCATIONS)
    at.number_input(key="virement_amount").set_value(2000.0)
    at.text_input(key="virement_reason").input("Q3 underspend re-used")
    next(b for b in at.button if b.label == "Propose virement").click().run()
    no_exceptions(at)
    assert "waits for the Strategic Group" in toasts(at)[0]
    with UnitOfWork(demo_database) as uow:
        (proposal,) = uow.virements.find()
        source = uow.lines.get(proposal.from_line_id)
    at = app_as(Role.STRATEGIC_GROUP, page=ALLOCATIONS)
    assert any("Q3 underspend" in m.value for m in at.markdown), "the approver sees the reason"
    next(b for b in at.button if b.label == "Approve virement").click().run()
    assert toasts(at) == ["Virement approved: the money and its profile have moved"]
    with UnitOfWork(demo_database) as uow:
        (virement,) = uow.virements.find()
        moved = uow.lines.get(virement.from_line_id)
    assert virement.approved_by == "Strategic Group member (demo)"
    assert moved.allocated == source.allocated - Decimal("2000.00")


def test_the_strategic_group_rejects_a_virement_with_a_reason(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=ALLOCATIONS)
    at.number_input(key="virement_amount").set_value(500.0)
    at.text_input(key="virement_reason").input("try it")
    next(b for b in at.button if b.label == "Propose virement").click().run()
    at = app_as(Role.STRATEGIC_GROUP, page=ALLOCATIONS)
    at.text_input(key="reject_virement_reason").input("not agreed at the meeting")
    next(b for b in at.button if b.label == "Reject virement").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        (virement,) = uow.virements.find()
    assert (virement.status.value, virement.decision_reason) == ("rejected", "not agreed at the meeting")


def test_a_viewer_cannot_change_allocations(app_as: AppAs) -> None:
    at = app_as(Role.VIEWER, page=ALLOCATIONS)
    assert not at.data_editor
    labels = [b.label for b in at.button]
    assert not {"Save changes", "Propose virement", "Approve virement", "Reject virement"} & set(labels)
    assert at.dataframe[0].value.shape[0] == 9


# -- spend ----------------------------------------------------------------------------------


def test_a_manager_records_a_payment(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=SPEND)
    at.number_input(key="spend_amount").set_value(321.0)
    at.text_input(key="spend_reference").input("INV-777")
    next(b for b in at.button if b.label == "Record spend").click().run()
    no_exceptions(at)
    assert toasts(at) == ["Recorded payment out of £321.00"]
    assert at.dataframe[0].value.iloc[0]["Reference"] == "INV-777"


CSV = "text/csv"


def test_an_import_lists_every_bad_row_and_saves_nothing(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=SPEND)
    bad = (
        "Date,Budget Line,Amount,Reference\n12/12/26,Youth diversion sessions,£100,A\n13/12/26,Unicorn Grooming,£10,B\n"
    )
    at.file_uploader(key="spend_upload").upload("ledger.csv", bad.encode("utf-8"), CSV)
    at.run()
    no_exceptions(at)
    assert "cannot be imported: 1 problem(s). Nothing was saved." in at.error[0].value
    problems = at.dataframe[0].value
    assert list(problems.iloc[0][["File", "Row", "Column"]]) == ["ledger.csv", 3, "Budget Line"]
    assert "Unicorn Grooming" in problems.iloc[0]["Problem"]
    assert not [b for b in at.button if b.label.startswith("Import ")]


def test_a_good_import_is_previewed_then_saved_whole(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=SPEND)
    good = (
        b"Date,Budget Line,Amount,Reference\n"
        b"12/12/26,Youth diversion sessions,100,A\n"
        b"13/12/26,Mobile CCTV camera fund,-50,B\n"
    )
    at.file_uploader(key="spend_upload").upload("ledger.csv", good, CSV)
    at.run()
    assert as_shown(at.success[0].value).startswith("Preview: ledger.csv: would import 2 row(s)")
    with UnitOfWork(demo_database) as uow:
        before = uow.spends.count()
    at.button(key="spend_import").click().run()
    no_exceptions(at)
    assert toasts(at) == [f"ledger.csv: imported 2 row(s) into {PARTNERSHIP} PLF 2026/27; net spend £50.00"]
    with UnitOfWork(demo_database) as uow:
        assert uow.spends.count() == before + 2


# -- grant rounds ---------------------------------------------------------------------------


def test_a_round_is_opened_an_application_recorded_and_funded(app_as: AppAs, demo_database: Database) -> None:
    at = choose_fund(app_as(Role.MANAGER, page=ROUNDS), demo_database, "PZ-BF")
    assert at.dataframe[0].value["Status"].tolist() == ["closed", "planned"]
    at.selectbox(key="round_choice").select_index(1).run()  # it opens on round 1, where the applications are
    at.button(key="round_open").click().run()
    assert toasts(at) == ["Round 2 is open"]
    at.text_input(key="app_applicant").input("Warwick Way Residents")
    at.text_input(key="app_project").input("Summer fun day")
    at.number_input(key="app_requested").set_value(1500.0)
    next(b for b in at.button if b.label == "Record application").click().run()
    no_exceptions(at)
    assert toasts(at) == ["Application recorded"]

    at = choose_fund(app_as(Role.STRATEGIC_GROUP, page=ROUNDS), demo_database, "PZ-BF")
    next(b for b in at.button if b.label == "Record decision").click().run()
    no_exceptions(at)
    assert toasts(at) == ["Funded: a budget line was added"]
    assert lines(demo_database, "PZ-BF")["Summer fun day (Warwick Way Residents)"] == Decimal("1500.00")
    with UnitOfWork(demo_database) as uow:
        statuses = {r.number: r.status for r in uow.rounds.find(fund_id=fund_id(demo_database, "PZ-BF"))}
        funded = uow.applications.first(applicant="Warwick Way Residents")
    assert statuses[2] is RoundStatus.OPEN and funded is not None and funded.status is ApplicationStatus.FUNDED


# -- profiles and outcomes ------------------------------------------------------------------


def test_a_manager_changes_a_quarters_profile_and_adds_an_outcome(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=OUTCOMES)
    plf = fund_id(demo_database)
    at.session_state[f"profile_editor_{plf}_0"] = {
        "edited_rows": {3: {"Q4": 2500.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="save_profile").click().run()
    assert toasts(at) == ["Profile saved (1 quarter(s) changed)"]
    at.text_area(key="outcome_narrative").input("Twelve sessions on the estate.")
    at.text_input(key="outcome_evidence").input("Attendance registers")
    next(b for b in at.button if b.label == "Add update").click().run()
    no_exceptions(at)
    assert toasts(at) == ["Outcome update added"]
    with UnitOfWork(demo_database) as uow:
        assert any(o.evidence == "Attendance registers" for o in uow.outcomes.find())
        detached = uow.lines.first(description="Detached youth work, Bell Foundry estate")
        assert detached is not None
        q4 = uow.profiles.first(line_id=detached.id, quarter=4)
    assert q4 is not None and q4.amount == Decimal("2500.00")


# -- compliance -----------------------------------------------------------------------------


def test_compliance_lists_findings_filters_them_and_explains_the_rule(app_as: AppAs) -> None:
    at = app_as(Role.STRATEGIC_GROUP, page=COMPLIANCE)
    no_exceptions(at)
    at.radio(key="compliance_view").set_value("Every finding").run()
    table = at.dataframe[0].value
    assert "SPD001" in set(table["Code"]), "the demo's overspent CCTV line"
    at.multiselect(key="compliance_severity").set_value(["error"]).run()
    assert set(labels(at.dataframe[0].value["Severity"])) == {"Error"}
    at.multiselect(key="compliance_codes").set_value(["SPD001"]).run()
    (row,) = at.dataframe[0].value.itertuples()
    assert row.Line == "Mobile CCTV camera fund"
    said = texts(at)
    assert "SPD001 overspent" in said and "Why:" in said and "Fails when:" in said


def test_compliance_groups_one_lines_findings_together(app_as: AppAs) -> None:
    at = app_as(Role.STRATEGIC_GROUP, page=COMPLIANCE)
    no_exceptions(at)
    table = at.dataframe[0].value
    lines = list(table["Line"])
    assert len(lines) == len(set(zip(table["Fund"], lines, strict=True))), "each line once"
    contingency = table[table["Line"] == "Contingency fund"].iloc[0]
    assert contingency["Errors"] + contingency["Warnings"] >= 3
    assert "no strategic priority" in contingency["Findings"] and "unapproved" in contingency["Findings"]
    said = texts(at)
    assert "What to do:" in said and "docs/domain.md" not in said


# -- reports and returns --------------------------------------------------------------------


def test_reports_show_the_calendar_the_return_and_downloads(app_as: AppAs) -> None:
    at = app_as(Role.VIEWER, page=REPORTS)
    no_exceptions(at)
    calendar = at.dataframe[0].value
    assert "overdue" in labels(calendar["State"])
    assert {b.label for b in at.get("download_button")} >= {
        "Budget pack (PDF)",
        "Budget pack (Excel)",
        "Budget pack (CSV)",
        "Download the return (PDF)",
        "360Giving (JSON)",
        "360Giving (CSV)",
    }
    assert "Submit and freeze" not in [b.label for b in at.button], "a viewer cannot submit a return"


def test_a_manager_freezes_the_meeting_pack_and_a_viewer_downloads_it_as_frozen(
    app_as: AppAs, demo_database: Database
) -> None:
    at = app_as(Role.MANAGER, page=REPORTS)
    no_exceptions(at)
    assert {b.label for b in at.get("download_button")} >= {"Meeting pack (PDF)", "Meeting pack (Excel)"}
    next(b for b in at.button if b.label == "Freeze for the meeting").click().run()
    no_exceptions(at)
    assert any(t.startswith("Meeting pack of") and t.endswith("frozen") for t in toasts(at))
    with UnitOfWork(demo_database) as uow:
        events = uow.audit.events(entity="meeting_packs")
    assert [(e.action, e.actor) for e in events] == [("freeze", "manager")]
    viewer = app_as(Role.VIEWER, page=REPORTS)
    no_exceptions(viewer)
    assert "Frozen for this meeting" in texts(viewer)
    assert "Freeze for the meeting" not in [b.label for b in viewer.button]


# -- audit log and admin --------------------------------------------------------------------


def test_the_audit_log_shows_who_changed_what(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=SPEND)
    at.number_input(key="spend_amount").set_value(99.0)
    next(b for b in at.button if b.label == "Record spend").click().run()
    at.switch_page(AUDIT).run()
    newest = at.dataframe[0].value.iloc[0]
    assert (newest["Who"], newest["Did"], newest["What"].split(" #")[0]) == ("manager", "added", "Spend")
    assert "amount: £99.00" in newest["Change"]
    assert not at.data_editor and not [b for b in at.button if b.label != "Sign out"]


def test_an_admin_adds_a_user_who_can_then_sign_in(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.ADMIN, page=ADMIN)
    at.text_input(key="new_user_name").input("jo")
    at.selectbox(key="new_user_role").set_value("viewer")
    at.text_input(key="new_user_password").input("a fine password")
    at.text_input(key="new_user_password_again").input("a fine password")
    next(b for b in at.button if b.label == "Add user").click().run()
    no_exceptions(at)
    assert toasts(at) == ["Added jo"]
    from grants.services.users import authenticate

    found = authenticate(demo_database, "jo", "a fine password")
    assert found is not None and found.role is Role.VIEWER


def test_an_admin_records_the_partnerships_local_authority(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.ADMIN, page=ADMIN)
    no_exceptions(at)
    form = next(key for key in (t.key for t in at.text_input) if key and key.startswith("la_code_"))
    which = form.removeprefix("la_code_")
    assert at.text_input(key=f"la_code_{which}").value == "E07000130", "the demo's Charnwood"
    at.text_input(key=f"la_code_{which}").input("Charnwood")
    next(b for b in at.button if b.label == "Save local authority").click().run()
    assert "GSS" in texts(at), "a name is not a code: refused, in words"
    at.text_input(key=f"la_code_{which}").input("E07000131")
    at.text_input(key=f"la_name_{which}").input("Harborough")
    next(b for b in at.button if b.label == "Save local authority").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        assert {(p.la_code, p.la_name) for p in uow.partnerships.find() if p.id == int(which)} == {
            ("E07000131", "Harborough")
        }


def test_the_app_uses_uk_formats(app_as: AppAs) -> None:
    at = app_as(Role.MANAGER)
    assert re.search(r"As at \d{2}/\d{2}/\d{4}", texts(at))
    assert all(re.fullmatch(r"£\d{1,3}(,\d{3})*\.\d{2}", m.value) for m in at.metric)


def test_a_manager_sees_only_their_partnership_and_the_opcc_sees_every_one(
    app_as: AppAs, demo_database: Database
) -> None:
    from grants.services import funds_admin, usecase, users
    from grants.services.access import local_operator

    melton = usecase.perform(
        demo_database, local_operator(), users.add_partnership, "Melton Community Safety Partnership"
    )
    assert melton.id is not None
    melton_manager = usecase.perform(
        demo_database, local_operator(), users.add_user, username="mel", role="manager", partnership_ids=[melton.id]
    )
    signed_in = users.principal_for(demo_database, melton_manager.username)
    assert signed_in is not None
    usecase.perform(
        demo_database,
        signed_in,
        funds_admin.create_fund,
        partnership_id=melton.id,
        code="PLF",
        year="2026/27",
        amount=Decimal("30000.00"),
    )
    charnwood = app_as("manager")
    assert "Partnership" not in charnwood.dataframe[0].value.columns
    assert len(charnwood.dataframe[0].value) == 3
    opcc = app_as("viewer")
    table = opcc.dataframe[0].value
    assert set(table["Partnership"]) == {"Charnwood CSP", "Melton CSP"}
    mel = app_as("mel")
    assert list(mel.dataframe[0].value["Fund"]) == ["PLF · Partnership Locality Fund"]
    assert {m.label: m.value for m in mel.metric}["Funding"] == "£30,000.00"


def test_a_link_to_a_line_opens_its_fund_with_the_line_pinned(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.STRATEGIC_GROUP)
    ss = fund_id(demo_database, "SS")
    with UnitOfWork(demo_database) as uow:
        line = uow.lines.first(description="Street lighting improvements")
    assert line is not None
    at.query_params["fund"] = str(ss)
    at.query_params["line"] = str(line.id)
    at.switch_page(ALLOCATIONS).run()
    no_exceptions(at)
    assert at.session_state["fund_id"] == ss
    assert "**Street lighting improvements** — allocated £20,000.00, spent £4,000.00" in at.info[0].value
