"""Demo apart from real data: a real database never gets the demo, and the demo says so everywhere."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from grants.services import reporting, usecase, users
from grants.services.access import local_operator
from grants.services.demo import PARTNERSHIP, install_demo
from grants.services.installation import DEMO_NOTICE, is_demo
from grants.storage.database import Database
from tests.support import ops
from tests.ui.conftest import APP, TIMEOUT

ROOT = Path(__file__).resolve().parents[2]


def _grants(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "GRANTS_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "grants", "--database", url, *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _everything_said(at: AppTest) -> str:
    kinds = ("title", "markdown", "caption", "info", "warning", "error", "code", "text")
    parts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    parts += [str(cell) for table in at.table for cell in table.value.to_numpy().ravel()]
    return "\n".join(parts)


def test_a_real_install_gets_one_account_no_demo_and_no_password_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'real.db'}"
    assert _grants(url, "init").returncode == 0
    first = AppTest.from_file(APP, default_timeout=TIMEOUT)
    monkeypatch.setenv("GRANTS_DATABASE_URL", url)
    st.cache_resource.clear()
    first.run()  # the app's first start, before any account
    said = _everything_said(first)
    assert "There are no accounts yet" in said and "users add" in said
    added = _grants(url, "users", "add", "alice", "--role", "admin", "--all-partnerships", "--password-stdin",
                    stdin="a long passphrase for alice\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    said = _everything_said(at)
    assert "demo-" not in said and DEMO_NOTICE not in said
    assert [e.label for e in at.expander] == []
    database = Database(url)
    assert [u.username for u in usecase.read(database, local_operator(), users.list_users)] == ["alice"]
    assert database.is_empty() and not is_demo(database)
    st.cache_resource.clear()


def test_init_demo_refuses_a_database_with_real_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.db'}"
    table = ROOT / "grants" / "demo_data" / "charnwood_plf_2017_18.csv"
    where = ["--partnership", "Melton CSP", "--fund", "PLF", "--year", "2023/24"]
    assert _grants(url, "import", "budget", str(table), *where).returncode == 0
    for args in (["init", "--demo"], ["demo"], ["users", "demo"]):
        refused = _grants(url, *args)
        assert refused.returncode == 2, args
    database = Database(url)
    assert not is_demo(database) and users.user_count(database) == 0


def test_the_demo_says_demo_data_on_every_page_and_in_every_pdf(tmp_path: Path, demo_database: Database) -> None:
    assert is_demo(demo_database)
    assert install_demo(demo_database) is False  # loading it again adds nothing
    from tests.ui.conftest import principal_of

    for who in ("manager", "admin"):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["principal"] = principal_of(demo_database, who)
        at.run()
        assert DEMO_NOTICE in [w.value for w in at.warning], who
    signed_out = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert DEMO_NOTICE in [w.value for w in signed_out.warning]
    pack = ops.budget_pack(demo_database, partnership=PARTNERSHIP, year="2026/27", as_at=date(2026, 10, 1))
    pages = PdfReader(io.BytesIO(reporting.render_budget_pack(pack, "pdf"))).pages
    assert len(pages) > 1 and all("Demo data" in (page.extract_text() or "") for page in pages)


def test_a_real_databases_pdf_does_not_say_demo(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'real.db'}")
    database.migrate()
    table = ROOT / "grants" / "demo_data" / "charnwood_plf_2017_18.csv"
    ops.import_budget(database, table, partnership="Melton CSP", fund_code="PLF", year="2017/18",
                  as_at=date(2017, 10, 26), actor="t")  # fmt: skip
    pack = ops.budget_pack(database, partnership="Melton CSP", year="2017/18", as_at=date(2017, 10, 26))
    text = "".join(
        p.extract_text() or "" for p in PdfReader(io.BytesIO(reporting.render_budget_pack(pack, "pdf"))).pages
    )
    assert "Melton CSP" in text and "Demo data" not in text
