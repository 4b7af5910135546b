"""App tests: a demo database with the demo accounts, and an AppTest signed in as one of them.

Signing in is done the way the app's sign-in form leaves it: a :class:`Principal` in session
state under ``principal``. The app re-reads the account from the database on every run, so the
principal must name a real account.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from grants.domain.enums import Role
from grants.services.access import Principal
from grants.services.demo import ensure_demo_accounts, load_demo
from grants.storage.database import Database

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
TIMEOUT = 60


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    load_demo(database)
    ensure_demo_accounts(database)
    database.dispose()
    return path


@pytest.fixture
def demo_database(tmp_path: Path, _demo_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A fresh copy of the demo database, which the app under test opens (GRANTS_DATABASE_URL)."""
    path = tmp_path / "grants.db"
    shutil.copyfile(_demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("GRANTS_DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    db = Database(url)
    yield db
    db.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()


def principal_of(database: Database, username: str) -> Principal:
    from grants.services.users import principal_for

    found = principal_for(database, username)
    assert found is not None, username
    return found


ROLE_ACCOUNTS = {
    Role.MANAGER: "manager",
    Role.STRATEGIC_GROUP: "strategic",
    Role.VIEWER: "viewer",
    Role.ADMIN: "admin",
    Role.FUNDER: "funder",
}


@pytest.fixture
def app_as(demo_database: Database) -> Callable[..., AppTest]:
    """``app_as("manager")`` (or a Role): the app run once, signed in; ``page=`` switches to a page first."""

    def make(who: str | Role, page: str | None = None) -> AppTest:
        username = ROLE_ACCOUNTS[who] if isinstance(who, Role) else who
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["principal"] = principal_of(demo_database, username)
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        return at

    return make


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
