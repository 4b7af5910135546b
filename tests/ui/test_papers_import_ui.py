"""The Allocations page's import of an action plan: the preview names headings and rows before anything is
saved, and the Outcomes page shows each line's target beside its updates."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from streamlit.testing.v1 import AppTest

from grants.domain.enums import Role
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.imports.conftest import csv_text
from tests.imports.papers_fixtures import PLAN_HEADING, PLAN_ROWS
from tests.ui.conftest import no_exceptions

AppAs = Callable[..., AppTest]
ALLOCATIONS = "grants/ui/allocations_page.py"
OUTCOMES = "grants/ui/outcomes_page.py"
PLAN = csv_text([PLAN_HEADING, *PLAN_ROWS]).encode("utf-8")


def counts(database: Database) -> tuple[int, int]:
    with UnitOfWork(database) as uow:
        return uow.lines.count(), uow.targets.count()


def test_an_action_plan_is_previewed_then_imported_and_its_targets_shown(
    app_as: AppAs, demo_database: Database
) -> None:
    at = app_as(Role.MANAGER, page=ALLOCATIONS)
    at.radio(key="ledger_kind").set_value("plan").run()
    before = counts(demo_database)
    at.file_uploader(key="ledger_upload").upload("plan.csv", PLAN, "text/csv")
    at.run()
    no_exceptions(at)
    assert counts(demo_database) == before  # the preview saved nothing
    shown = [frame.value for frame in at.dataframe]
    headings = next(f for f in shown if "Heading in the file" in f.columns)
    assert dict(zip(headings["Heading in the file"], headings["Read as"], strict=True))["Outcome Target"] == (
        "outcome target"
    )
    changes = next(f for f in shown if "Change" in f.columns)["Change"].tolist()
    assert "row 5: add 'Multi-agency problem solving group' with no allocation ('Ongoing' is not money)" in changes
    at.button(key="ledger_import").click().run()
    no_exceptions(at)
    assert counts(demo_database) == (before[0] + 4, before[1] + 4)

    outcomes = app_as(Role.MANAGER, page=OUTCOMES)
    no_exceptions(outcomes)
    targets = next(f.value for f in outcomes.dataframe if "Outcome target" in f.value.columns)
    assert "Reduce youth ASB in NL62 by 10%" in targets["Outcome target"].tolist()


def test_a_bad_cost_is_listed_and_nothing_is_saved(app_as: AppAs, demo_database: Database) -> None:
    rows = [list(row) for row in PLAN_ROWS]
    rows[2][3] = "£1,OOO"
    at = app_as(Role.MANAGER, page=ALLOCATIONS)
    at.radio(key="ledger_kind").set_value("plan").run()
    before = counts(demo_database)
    at.file_uploader(key="ledger_upload").upload("plan.csv", csv_text([PLAN_HEADING, *rows]).encode(), "text/csv")
    at.run()
    no_exceptions(at)
    problems = next(f.value for f in at.dataframe if "Problem" in f.value.columns)
    assert problems[["Row", "Column"]].values.tolist() == [[4, "Financial and Resource Implications"]]
    assert [b for b in at.button if b.key == "ledger_import"] == []
    assert counts(demo_database) == before


def test_a_spend_profile_is_previewed_then_imported_on_the_outcomes_page(
    app_as: AppAs, demo_database: Database
) -> None:
    at = app_as(Role.MANAGER, page=OUTCOMES)
    with UnitOfWork(demo_database) as uow:
        before = uow.profiles.count()
    at.file_uploader(key="profile_upload").upload(
        "profile.csv", b"Line,Q3,Q4\nYouth diversion sessions,100,250.50\n", "text/csv"
    )
    at.run()
    no_exceptions(at)
    headings = next(f.value for f in at.dataframe if "Heading in the file" in f.value.columns)
    assert headings["Read as"].tolist() == ["budget line", "Q3 amount", "Q4 amount"]
    with UnitOfWork(demo_database) as uow:
        assert uow.profiles.count() == before
    at.button(key="profile_import").click().run()
    no_exceptions(at)
    with UnitOfWork(demo_database) as uow:
        line = next(line for line in uow.lines.find() if line.description == "Youth diversion sessions")
        planned = {p.quarter: p.amount for p in uow.profiles.find(line_id=line.id)}
    assert (planned[3], planned[4]) == (Decimal("100.00"), Decimal("250.50"))
