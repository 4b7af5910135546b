"""Security at the edges: no user text as HTML, upload limits, no secrets in output, an append-only audit log.

- the app never renders HTML it was given (no ``unsafe_allow_html=True``, ``st.html`` or
  ``components.html``), and what it passes to ``st.markdown`` from the ledger is escaped;
- the app's upload limit (``.streamlit/config.toml``) is set;
- a database URL's password never appears in any command's output, even when things fail; a
  password given to ``users add`` is never echoed or stored in clear;
- the audit log cannot be edited through the app: ``AuditLog`` only appends and reads, no
  repository writes to it, and no code updates or deletes its rows.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from reliability_support import CORPUS, ROOT, grants_cli, import_args, snapshot

from grants.domain.models import AuditEvent, Partnership
from grants.storage.database import Database
from grants.storage.repository import AuditLog, Repository
from grants.storage.tables import AuditEventRow
from grants.storage.unit_of_work import UnitOfWork

PASSWORD = "Pa55w0rd-Never-Shown"
ADD_ALICE = ["users", "add", "alice", "--role", "admin", "--all-partnerships", "--password-stdin"]
UI_FILES = [*sorted((ROOT / "grants" / "ui").rglob("*.py")), ROOT / "streamlit_app.py"]


def _bug(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"BUG reported to the lead: {reason}")


# -- the app renders no HTML it was given --------------------------------------------------------


def _calls(path: Path) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Call)]


def _name(node: ast.AST) -> str:
    return ast.unparse(node)


COOKIE_WRITER = ROOT / "grants" / "ui" / "auth.py"
"""The one allowed ``st.html`` of data: ``write_cookie`` sets the session cookie with a server-made token only."""
STYLE_WRITER = ROOT / "grants" / "ui" / "common.py"
"""And ``accessibility_styles``: the constant stylesheet ``ACCESSIBILITY_CSS``, nothing from anyone in it."""


def test_the_app_never_renders_html_it_was_given() -> None:
    offenders = []
    for path in UI_FILES:
        allowed = (
            _cookie_writer_lines()
            if path == COOKIE_WRITER
            else _style_writer_lines()
            if path == STYLE_WRITER
            else set()
        )
        for call in _calls(path):
            function = _name(call.func)
            unsafe = any(k.arg == "unsafe_allow_html" and _name(k.value) != "False" for k in call.keywords)
            if (unsafe or function.endswith(("st.html", "components.html", "components.v1.html"))) and (
                call.lineno not in allowed
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{call.lineno} {function}")
    assert offenders == []


def _cookie_writer_lines() -> set[int]:
    tree = ast.parse(COOKIE_WRITER.read_text(encoding="utf-8"))
    (writer,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "write_cookie"]
    return {n.lineno for n in ast.walk(writer) if isinstance(n, ast.Call)}


def _style_writer_lines() -> set[int]:
    """The lines of ``accessibility_styles``' calls, provided it passes only the constant stylesheet."""
    tree = ast.parse(STYLE_WRITER.read_text(encoding="utf-8"))
    (writer,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "accessibility_styles"]
    calls = [n for n in ast.walk(writer) if isinstance(n, ast.Call)]
    assert all([_name(a) for a in call.args] == ["ACCESSIBILITY_CSS"] and not call.keywords for call in calls)
    return {call.lineno for call in calls}


def test_the_cookie_writer_writes_only_a_token_it_made(monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    from grants.ui import auth

    written: list[str] = []
    monkeypatch.setattr(st, "html", lambda body, **_: written.append(str(body)))
    for value in ("';alert(1);'", "<script>", "abc def", "tok-EN_123"):
        monkeypatch.setattr(st, "session_state", {auth.PENDING_COOKIE: value})
        auth.write_cookie()
    assert len(written) == 1 and "grants_session=tok-EN_123;" in written[0]


SAFE_CALLS = re.compile(r"^(common\.)?(md|escape_markdown|escape|gbp|uk_date|format_gbp|plain|len|int)\(")
"""Calls whose result is safe inside Markdown: an escaper, or a formatter of numbers and dates."""
REVIEWED = {
    # values the developers write, not the users: icons, counts, enum values, rule documentation
    "icon",
    "common.SEVERITY_ICONS[s]",
    "common.severity_note(severity, rule.severity.value)",
    "counts[s]",
    "NAMES[s][counts[s] != 1]",
    "finding.code",
    "finding.name",
    "s",
    "'s' if counts[s] != 1 else ''",
    "status",
    "view.period",
    "fund.amount_status.value.replace('_', ' ')",
    "rule.code",
    "rule.name",
    "rule.severity.value",
    "rule.summary",
    "rule.plain_summary",
    "common.SEVERITY_ICONS.get(finding.severity.value, '')",
    "finding.name.replace('-', ' ')",
    "section",
    "text",
}


def _unescaped(argument: ast.expr) -> list[str]:
    """The pieces of a Markdown argument that come from data and are not escaped."""
    if isinstance(argument, ast.Constant):
        return []
    if isinstance(argument, ast.JoinedStr):
        found = []
        for value in argument.values:
            if isinstance(value, ast.FormattedValue):
                found += _unescaped(value.value)
        return found
    if isinstance(argument, ast.BinOp):
        return _unescaped(argument.left) + _unescaped(argument.right)
    if isinstance(argument, ast.IfExp):
        return _unescaped(argument.body) + _unescaped(argument.orelse)
    source = _name(argument)
    if source in REVIEWED or SAFE_CALLS.match(source):
        return []
    if isinstance(argument, ast.Call) and _name(argument.func).endswith(".join"):
        return [piece for item in argument.args for piece in _unescaped(_generator_element(item))]
    return [source]


def _generator_element(node: ast.expr) -> ast.expr:
    return node.elt if isinstance(node, ast.GeneratorExp | ast.ListComp) else node


def _markdown_of_user_data() -> list[str]:
    found = []
    for path in UI_FILES:
        for call in _calls(path):
            if _name(call.func).endswith("markdown") and call.args:
                for piece in _unescaped(call.args[0]):
                    found.append(f"{path.relative_to(ROOT)}:{call.lineno} {piece}")
    return found


def test_the_markdown_check_finds_user_data() -> None:
    tree = ast.parse('st.markdown(f"**{line.description}** {common.gbp(x)} {md(line.notes)}")')
    call = next(node for node in ast.walk(tree) if isinstance(node, ast.Call) and _name(node.func) == "st.markdown")
    assert _unescaped(call.args[0]) == ["line.description"]


def test_ledger_text_passed_to_markdown_is_escaped() -> None:
    assert _markdown_of_user_data() == []


# -- upload limits -------------------------------------------------------------------------------

MAX_UPLOAD_MB = 64


def test_the_app_limits_the_size_of_an_upload() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert 0 < config["server"]["maxUploadSize"] <= MAX_UPLOAD_MB


# -- no secrets in output ------------------------------------------------------------------------


@pytest.fixture
def pg_url_with_password(pg_seeded: Database) -> str:
    """The test database's URL with a password (the test server trusts local connections: any password works)."""
    return pg_seeded.url.replace("postgres@", f"postgres:{PASSWORD}@")


def _outputs(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


@pytest.mark.postgres
def test_a_urls_password_never_appears_in_any_commands_output(pg_url_with_password: str, tmp_path: Path) -> None:
    url = pg_url_with_password
    runs = {
        "import (refused)": grants_cli(url, *import_args("budget", CORPUS / "budget_amount_is_text.csv")),
        "backup": grants_cli(url, "backup", "--out", str(tmp_path / "b.dump"), url_in_environment=False),
        "restore (refused)": grants_cli(url, "restore", str(tmp_path / "b.dump"), url_in_environment=False),
    }
    assert runs["import (refused)"].returncode == 2
    assert runs["backup"].returncode == 0, runs["backup"].stderr
    assert runs["restore (refused)"].returncode == 2
    assert "postgres:***@" in runs["backup"].stdout  # the URL is shown, redacted
    assert {name: PASSWORD in _outputs(run) for name, run in runs.items()} == dict.fromkeys(runs, False)


UNREACHABLE = f"postgresql+psycopg://clerk:{PASSWORD}@127.0.0.1:1/grants"  # nothing listens on port 1


@pytest.fixture(scope="module")
def unreachable() -> subprocess.CompletedProcess[str]:
    return grants_cli(UNREACHABLE, "funds", url_in_environment=False, timeout=60)


def test_a_password_never_appears_when_the_database_cannot_be_reached(
    unreachable: subprocess.CompletedProcess[str],
) -> None:
    malformed = grants_cli(f"postgresql+psycopg://clerk:{PASSWORD}@127.0.0.1:notaport/grants", "funds", timeout=60)
    for result in (unreachable, malformed):
        assert result.returncode != 0
        assert PASSWORD not in _outputs(result)


def test_an_unreachable_database_is_a_clear_message_with_status_2(
    unreachable: subprocess.CompletedProcess[str],
) -> None:
    result = unreachable
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "clerk:***@127.0.0.1:1/grants" in result.stderr


def test_a_new_users_password_is_never_echoed_nor_stored_in_clear(seeded: Database) -> None:
    url = seeded.url
    seeded.dispose()
    for password in ("short1", PASSWORD):  # refused as too short, then taken
        result = subprocess.run(
            [sys.executable, "-m", "grants", "--database", url, *ADD_ALICE],
            input=password + "\n",
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert password not in _outputs(result)
        assert result.returncode == (0 if password == PASSWORD else 2), result.stderr
    stored = repr(snapshot(seeded))
    assert "alice" in stored and PASSWORD not in stored  # only a salted hash is kept


# -- the audit log is append-only ----------------------------------------------------------------


def test_the_audit_log_object_only_appends_and_reads() -> None:
    public = {name for name in dir(AuditLog) if not name.startswith("_") and callable(getattr(AuditLog, name))}
    # ``check`` asks the locked-period guard before a write and raises to refuse it; it writes nothing.
    assert public == {"record", "events", "check"}


def test_no_repository_of_the_unit_of_work_writes_the_audit_table(database: Database) -> None:
    with UnitOfWork(database) as uow:
        repositories = [value for value in vars(uow).values() if isinstance(value, Repository)]
        assert repositories
        assert [r for r in repositories if getattr(r, "_entity", "") == "audit_events"] == []


def test_no_code_updates_or_deletes_audit_rows() -> None:
    pattern = re.compile(
        r"(update|delete)\(\s*(tables\.)?AuditEventRow|(UPDATE|DELETE\s+FROM)\s+\"?audit_events|"
        r"audit_events.*\.(update|delete)\(",
        re.I,
    )
    offenders = []
    for path in sorted((ROOT / "grants").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_generic_repository_refuses_the_audit_table(database: Database) -> None:
    with UnitOfWork(database, actor="someone") as uow:
        uow.partnerships.add(Partnership(name="X"))
        uow.commit()
    with UnitOfWork(database, actor="mallory") as uow, pytest.raises((TypeError, PermissionError, ValueError)):
        forged: Any = Repository(uow.session, AuditEvent, AuditEventRow, uow.audit)  # type: ignore[type-var, arg-type]
        event = uow.audit.events(limit=1)[0]
        forged.update(event.id, None, actor="nobody")
        forged.delete(event.id, None)
        uow.commit()
    with UnitOfWork(database) as uow:
        assert [e.actor for e in uow.audit.events()] == ["someone"]
