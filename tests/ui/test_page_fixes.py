"""What a new user found wrong on the pages (issue: every job in a real browser), each through AppTest: counts that
add up, the finding's own severity, the round with applications first, a refused account keeping what was typed,
and the delete / withdraw screens (audited)."""

from __future__ import annotations

import re

from sqlalchemy import select

from grants.domain.enums import Role
from grants.services.passwords import PASSWORD_RULE
from grants.storage.database import Database
from grants.storage.tables import AuditEventRow, BudgetLineRow, ReceiptRow, SpendRow
from grants.ui.common import severity_note
from tests.ui.conftest import no_exceptions
from tests.ui.test_pages import (
    ADMIN,
    ALLOCATIONS,
    COMPLIANCE,
    FUNDS,
    ROUNDS,
    SPEND,
    AppAs,
    as_shown,
    choose_fund,
    texts,
    toasts,
)


def audited(database: Database, entity: str, entity_id: int, action: str) -> bool:
    with database.engine.connect() as connection:
        found = connection.execute(
            select(AuditEventRow.id).where(
                AuditEventRow.entity == entity, AuditEventRow.entity_id == entity_id, AuditEventRow.action == action
            )
        ).first()
    return found is not None


def test_the_compliance_counts_add_up_to_the_findings_shown(app_as: AppAs) -> None:
    at = app_as(Role.STRATEGIC_GROUP, page=COMPLIANCE)
    at.radio(key="compliance_view").set_value("Every finding").run()  # one row per finding
    no_exceptions(at)
    summary = next(as_shown(m.value) for m in at.markdown if "finding(s) shown" in m.value)
    shown, total = map(int, re.search(r"(\d+) of (\d+) finding\(s\) shown", summary).groups())  # type: ignore[union-attr]
    by_severity = [int(n) for n in re.findall(r"(\d+) (?:errors?|warnings?|notes?)\b", summary)]
    assert len(by_severity) == 3 and sum(by_severity) == shown == len(at.dataframe[0].value)
    assert shown <= total


def test_a_finding_is_labelled_with_its_own_severity() -> None:
    assert severity_note("error", "error") == "severity error"
    assert severity_note("error", "warning") == "severity error here (this rule is usually a warning)"
    assert "default severity" not in severity_note("error", "warning")


def test_grant_rounds_opens_on_the_round_with_applications(app_as: AppAs, demo_database: Database) -> None:
    at = choose_fund(app_as(Role.STRATEGIC_GROUP, page=ROUNDS), demo_database, "PZ-BF")
    no_exceptions(at)
    assert at.selectbox(key="round_choice").format_func(at.selectbox(key="round_choice").value).startswith("Round 1")
    assert len(at.dataframe[1].value) == 10, "round 1's ten applications, not the empty planned round 2"


def test_a_refused_account_keeps_what_was_typed_and_the_rule_shows_first(app_as: AppAs) -> None:
    at = app_as(Role.ADMIN, page=ADMIN)
    assert PASSWORD_RULE in texts(at), "the rule is on the form before anyone types"
    at.text_input(key="new_user_name").input("jo.bloggs")
    at.text_input(key="new_user_display").input("Jo Bloggs")
    at.selectbox(key="new_user_role").set_value("viewer")
    at.text_input(key="new_user_password").input("password1234")
    at.text_input(key="new_user_password_again").input("password1234")
    next(b for b in at.button if b.label == "Add user").click().run()
    no_exceptions(at)
    assert at.error and "too common" in as_shown(at.error[0].value)
    assert at.text_input(key="new_user_name").value == "jo.bloggs"
    assert at.text_input(key="new_user_display").value == "Jo Bloggs"
    assert at.selectbox(key="new_user_role").value == "viewer"

    at.text_input(key="new_user_password").input("copper kettle marmalade")
    at.text_input(key="new_user_password_again").input("copper kettle marmalade")
    next(b for b in at.button if b.label == "Add user").click().run()
    assert toasts(at) == ["Added jo.bloggs"]
    assert at.text_input(key="new_user_name").value == "", "emptied once the account is added"


def test_a_manager_deletes_a_spend_after_ticking_to_confirm(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=SPEND)
    which = at.selectbox(key="delete_spend_which")
    spend_id = int(which.value)
    next(b for b in at.button if b.label == "Delete spend").click().run()
    assert "tick the box" in texts(at), "nothing is deleted without the tick"
    with demo_database.engine.connect() as connection:
        assert connection.execute(select(SpendRow.id).where(SpendRow.id == spend_id)).first() is not None
    at.checkbox(key="delete_spend_confirm").check()
    next(b for b in at.button if b.label == "Delete spend").click().run()
    no_exceptions(at)
    assert toasts(at) and toasts(at)[0].startswith(f"Deleted spend #{spend_id}")
    with demo_database.engine.connect() as connection:
        assert connection.execute(select(SpendRow.id).where(SpendRow.id == spend_id)).first() is None
    assert audited(demo_database, "spends", spend_id, "delete")


def test_a_manager_deletes_a_receipt(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=FUNDS)
    select_box = next(s for s in at.selectbox if s.key and s.key.startswith("delete_receipt_"))
    receipt_id = int(select_box.value)
    next(c for c in at.checkbox if c.key and c.key.startswith("delete_receipt_confirm_")).check()
    next(b for b in at.button if b.label == "Delete receipt").click().run()
    no_exceptions(at)
    assert toasts(at) and toasts(at)[0].startswith(f"Deleted receipt #{receipt_id}")
    with demo_database.engine.connect() as connection:
        assert connection.execute(select(ReceiptRow.id).where(ReceiptRow.id == receipt_id)).first() is None
    assert audited(demo_database, "receipts", receipt_id, "delete")


def test_the_strategic_group_withdraws_an_approval(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.STRATEGIC_GROUP, page=ALLOCATIONS)
    line_id = int(at.selectbox(key="withdraw_line").value)
    at.checkbox(key="withdraw_confirm").check()
    next(b for b in at.button if b.label == "Withdraw approval").click().run()
    no_exceptions(at)
    assert toasts(at) and toasts(at)[0].startswith("Approval withdrawn:")
    with demo_database.engine.connect() as connection:
        approved_by = connection.execute(select(BudgetLineRow.approved_by).where(BudgetLineRow.id == line_id)).scalar()
    assert approved_by == ""
    assert audited(demo_database, "budget_lines", line_id, "update")


def test_managers_cannot_withdraw_approvals(app_as: AppAs) -> None:
    at = app_as(Role.MANAGER, page=ALLOCATIONS)
    assert not [b for b in at.button if b.label == "Withdraw approval"]


def test_no_page_script_writes_a_stray_string_onto_the_page() -> None:
    """Streamlit's "magic" shows a bare string statement in a page script (the spend page once showed a
    comment about its session key); only the module's own docstring is exempt."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    stray = []
    for script in [root / "streamlit_app.py", *sorted((root / "grants" / "ui").glob("*_page.py"))]:
        body = ast.parse(script.read_text()).body
        for statement in body[1:]:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                stray.append(f"{script.name}:{statement.lineno}")
    assert stray == []


def test_long_names_and_messages_wrap_rather_than_being_cut_short(app_as: AppAs) -> None:
    """Streamlit's grid wraps text only in rows taller than 4rem (64px): the Overview's fund names and statuses,
    the Compliance messages and the Audit log's changes get such rows."""
    from tests.ui.test_pages import AUDIT, OVERVIEW

    for page in (OVERVIEW, COMPLIANCE, AUDIT):
        at = app_as(Role.STRATEGIC_GROUP, page=page)
        no_exceptions(at)
        assert at.dataframe[0].proto.row_height > 64, page
