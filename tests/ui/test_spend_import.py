"""The Spend page's import: the Import button goes once the file is imported, and a file already imported
into the fund asks why before it is imported again."""

from __future__ import annotations

import re
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from grants.domain.enums import Role
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.ui.conftest import no_exceptions

AppAs = Callable[..., AppTest]
SPEND = "grants/ui/spend_page.py"
CSV = "text/csv"
LEDGER = (
    b"Date,Budget Line,Amount,Reference\n"
    b"12/12/26,Youth diversion sessions,100,A\n"
    b"13/12/26,Mobile CCTV camera fund,-50,B\n"
)


def spend_rows(database: Database) -> int:
    with UnitOfWork(database) as uow:
        return uow.spends.count()


def import_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.label.startswith("Import ")]


def test_the_import_button_goes_once_the_file_is_imported(app_as: AppAs, demo_database: Database) -> None:
    at = app_as(Role.MANAGER, page=SPEND)
    at.file_uploader(key="spend_upload").upload("ledger.csv", LEDGER, CSV)
    at.run()
    before = spend_rows(demo_database)
    at.button(key="spend_import").click().run()
    no_exceptions(at)
    assert spend_rows(demo_database) == before + 2
    at.run()  # the same upload, still on the page
    no_exceptions(at)
    assert import_buttons(at) == []
    assert any("Imported: ledger.csv: imported 2 row(s)" in re.sub(r"\\(.)", r"\1", s.value) for s in at.success)
    assert spend_rows(demo_database) == before + 2


def test_a_file_already_imported_asks_for_a_reason_before_importing_it_again(
    app_as: AppAs, demo_database: Database
) -> None:
    first = app_as(Role.MANAGER, page=SPEND)
    first.file_uploader(key="spend_upload").upload("ledger.csv", LEDGER, CSV)
    first.run()
    first.button(key="spend_import").click().run()
    once = spend_rows(demo_database)

    again = app_as(Role.MANAGER, page=SPEND)  # another session: the same file uploaded again
    again.file_uploader(key="spend_upload").upload("ledger.csv", LEDGER, CSV)
    again.run()
    no_exceptions(again)
    repeated = [w.value for w in again.warning if "already imported" in w.value]  # (beside the demo banner)
    assert len(repeated) == 1 and "by manager" in repeated[0]
    assert import_buttons(again) == []
    again.text_input(key="spend_repeat_reason").input("two invoices with the same lines").run()
    assert import_buttons(again) == ["Import 2 row(s) again"]
    assert any("likely duplicates" in e.label.lower() for e in again.expander)
    again.button(key="spend_import").click().run()
    no_exceptions(again)
    assert spend_rows(demo_database) == once + 2
    with UnitOfWork(demo_database) as uow:
        event = uow.audit.events(entity="spends", limit=1)[0]
    assert event.after is not None and event.after["allow_repeat"] == "two invoices with the same lines"
