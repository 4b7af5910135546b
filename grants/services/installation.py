"""What kind of installation a database is: the demo, or real data.

The mark is a row in the database itself (``settings``: ``demo = yes``), written in the same
transaction that loads the demo, so the "Demo data" banner on every page and PDF cannot lie: a
copy of the database carries it, and a real database never has it. Only ``init --demo`` (run on a
database by name) or ``make run`` (on ``data/demo.db``) load the demo.
"""

from __future__ import annotations

from sqlalchemy import select

from grants.storage.database import Database
from grants.storage.tables import SettingRow
from grants.storage.unit_of_work import UnitOfWork

DEMO = "demo"
DEMO_NOTICE = "Demo data: illustrative figures and demo accounts, not a real ledger"


def mark_demo(uow: UnitOfWork) -> None:
    """Mark this database as the demo (in the caller's unit of work; audited)."""
    if uow.session.get(SettingRow, DEMO) is None:
        uow.session.add(SettingRow(key=DEMO, value="yes"))
        uow.audit.record("create", "setting", None, None, {"key": DEMO, "value": "yes"})


def is_demo_in(uow: UnitOfWork) -> bool:
    return uow.session.execute(select(SettingRow.value).where(SettingRow.key == DEMO)).scalar() == "yes"


def is_demo(database: Database) -> bool:
    """Whether this database holds the demo data."""
    with UnitOfWork(database, actor="system") as uow:
        return is_demo_in(uow)
