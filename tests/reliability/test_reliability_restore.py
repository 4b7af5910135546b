"""Restore is a checked copy: hostile backups are refused and change nothing; a good restore is audited
and can be undone. SQLite and PostgreSQL.

The hostile backups are the ones an attacker tried (issue 15): triggers that multiply new spend by ten
and delete the audit events about spends, a view, a foreign table, another application's database with
its own ``alembic_version``, and a table missing a column.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from reliability_support import grants_cli, line_ids, snapshot
from sqlalchemy import create_engine, text

from grants.services.backup import BackupError, backup, pg_environment
from grants.services.restore import known_revisions, sha256_of
from grants.services.restoring import restore, undo_restore
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.reliability.test_reliability_backup import data

TRIGGERS = [
    "CREATE TRIGGER ten_times AFTER INSERT ON spends BEGIN "
    "UPDATE spends SET amount = amount * 10 WHERE id = NEW.id; END",
    "CREATE TRIGGER forget AFTER INSERT ON audit_events WHEN NEW.entity = 'spends' BEGIN "
    "DELETE FROM audit_events WHERE id = NEW.id; END",
]


def _tampered(seeded: Database, folder: Path, *statements: str, name: str = "tampered.db") -> Path:
    made = backup(seeded, folder / name)
    with closing(sqlite3.connect(made.path)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    return made.path


def _restore_events(database: Database) -> list[Any]:
    with UnitOfWork(database) as uow:
        return [event for event in uow.audit.events(entity="database") if event.action.startswith("restore")]


HOSTILE_SQLITE: dict[str, tuple[list[str], str]] = {
    "two triggers": (TRIGGERS, r"trigger 'forget', trigger 'ten_times'"),
    "a view": (["CREATE VIEW totals AS SELECT sum(amount) AS s FROM spends"], r"view 'totals'"),
    "an extra table": (["CREATE TABLE exfiltrate (x TEXT)"], r"tables that are not the tracker's: exfiltrate"),
    "another application's version": (["UPDATE alembic_version SET version_num = 'f00dcafe'"], r"'f00dcafe'.*not know"),
    "two versions": (["INSERT INTO alembic_version VALUES ('0002')"], r"2 schema versions"),
    "a missing column": (["ALTER TABLE spends DROP COLUMN reference"], r"table spends does not have the columns"),
    "an orphan row": (
        ["PRAGMA foreign_keys=OFF", "UPDATE budget_lines SET fund_id = 999999"],
        r"rows do not fit the tracker's schema",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SQLITE))
def test_a_hostile_sqlite_backup_is_refused_and_the_live_database_is_unchanged(
    seeded: Database, tmp_path: Path, case: str
) -> None:
    statements, reason = HOSTILE_SQLITE[case]
    hostile = _tampered(seeded, tmp_path, *statements)
    before = snapshot(seeded)
    folder = sorted(p.name for p in Path(seeded.engine.url.database or "").parent.iterdir())
    with pytest.raises(BackupError, match=reason):
        restore(seeded, hostile, force=True)
    assert snapshot(seeded) == before
    assert sorted(p.name for p in Path(seeded.engine.url.database or "").parent.iterdir()) == folder


def test_the_triggered_backup_from_the_command_line_exits_2_and_the_next_command_works(
    seeded: Database, tmp_path: Path
) -> None:
    hostile = _tampered(seeded, tmp_path, *TRIGGERS)
    seeded.dispose()
    refused = grants_cli(seeded.url, "restore", str(hostile), "--force")
    assert refused.returncode == 2 and "trigger" in refused.stderr and "Traceback" not in refused.stderr
    assert grants_cli(seeded.url, "funds").returncode == 0


def test_a_good_restore_is_audited_and_undo_puts_the_replaced_database_back(seeded: Database, tmp_path: Path) -> None:
    made = backup(seeded, tmp_path / "monday.db")
    backed_up = data(seeded)
    with UnitOfWork(seeded, actor="tuesday") as uow:  # a change made after the backup
        uow.lines.update(line_ids(seeded)["Mediation"], None, allocated=1)
        uow.commit()
    tuesday = snapshot(seeded)

    result = restore(seeded, made.path, force=True, actor="jane")
    assert data(seeded) == backed_up
    [event] = _restore_events(seeded)
    assert (event.actor, event.action, event.entity) == ("jane", "restore", "database")
    assert event.after is not None
    assert event.after["sha256"] == sha256_of(made.path) == result.sha256
    assert event.after["backup"] == str(made.path) and event.after["backup_version"] in known_revisions()
    assert event.after["replaced"]["rows"] == sum(len(r) for n, r in tuesday.items() if n != "alembic_version")
    assert event.after["replaced_kept_at"] == result.replaced_copy

    undone = undo_restore(seeded, actor="jane")
    assert snapshot(seeded)["budget_lines"] == tuesday["budget_lines"]  # Tuesday's change is back
    assert [e.action for e in _restore_events(seeded)] == ["restore-undo"]
    assert Path(undone.replaced_copy or "").exists()  # and the restored one is kept in its turn
    with pytest.raises(BackupError, match="no restore to undo"):
        undo_restore(seeded)


def test_restore_and_undo_through_the_commands(seeded: Database, tmp_path: Path) -> None:
    made = backup(seeded, tmp_path / "copy.db")
    seeded.dispose()
    restored = grants_cli(seeded.url, "--user", "jane", "restore", str(made.path), "--force")
    assert restored.returncode == 0, restored.stderr
    assert sha256_of(made.path) in restored.stdout and "restore --undo" in restored.stdout
    undone = grants_cli(seeded.url, "restore", "--undo")
    assert undone.returncode == 0, undone.stderr
    assert grants_cli(seeded.url, "funds").returncode == 0


def test_a_live_database_of_another_application_can_still_be_restored_over(seeded: Database, tmp_path: Path) -> None:
    """The issue's dead end: once a foreign database was live, every command failed, restore included."""
    made = backup(seeded, tmp_path / "good.db")
    live = tmp_path / "live.db"
    with closing(sqlite3.connect(live)) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('f00dcafe')")
        connection.commit()
    url = f"sqlite:///{live}"
    assert grants_cli(url, "funds").returncode == 2
    restored = grants_cli(url, "restore", str(made.path), "--force")
    assert restored.returncode == 0, restored.stderr
    assert grants_cli(url, "funds").returncode == 0


def test_a_backup_of_an_older_schema_version_is_restored_and_upgraded(tmp_path: Path) -> None:
    older = Database(f"sqlite:///{tmp_path / 'older.db'}")
    older.migrate("0002")
    with older.engine.begin() as connection:
        connection.execute(text("INSERT INTO partnerships (id, name, area, version) VALUES (1, 'Old CSP', '', 1)"))
    older.dispose()
    target = Database(f"sqlite:///{tmp_path / 'target.db'}")
    target.migrate()
    try:
        result = restore(target, tmp_path / "older.db")
        assert result.version == "0002"
        with target.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM partnerships")).scalars().all() == ["Old CSP"]
            assert "spend_months" in [r[0] for r in connection.execute(text("SELECT name FROM sqlite_master"))]
    finally:
        target.dispose()


# -- PostgreSQL -----------------------------------------------------------------------------------


def _pg_tampered(pg_seeded: Database, folder: Path, statement: str) -> Path:
    """A pg_dump archive of a copy of the seeded database with ``statement`` run in it."""
    name = f"{pg_seeded.engine.url.database}_t"
    admin = create_engine(pg_seeded.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    pg_seeded.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_seeded.engine.url.database}"'))
    try:
        copy = Database(pg_seeded.url.rsplit("/", 1)[0] + f"/{name}")
        with copy.engine.begin() as connection:
            connection.execute(text(statement))
        copy.dispose()
        out = folder / "tampered.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={out}", name],
            env=pg_environment(pg_seeded.url),
            check=True,
            capture_output=True,
        )
        return out
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


HOSTILE_PG: dict[str, tuple[str, str]] = {
    "a trigger": (
        "CREATE FUNCTION ten_times() RETURNS trigger LANGUAGE plpgsql AS "
        "$$BEGIN NEW.amount := NEW.amount * 10; RETURN NEW; END$$; "
        "CREATE TRIGGER ten_times BEFORE INSERT ON spends FOR EACH ROW EXECUTE FUNCTION ten_times()",
        r"function|trigger",
    ),
    "a foreign schema": ("CREATE SCHEMA evil; CREATE TABLE evil.loot (x text)", r"schema"),
    "a view": ("CREATE VIEW totals AS SELECT sum(amount) AS s FROM spends", r"view"),
    "an extra table": ("CREATE TABLE exfiltrate (x text)", r"table.*exfiltrate"),
    "another version": ("UPDATE alembic_version SET version_num = 'f00dcafe'", r"'f00dcafe'.*not know"),
}


@pytest.mark.postgres
@pytest.mark.parametrize("case", sorted(HOSTILE_PG))
def test_a_hostile_postgresql_backup_is_refused_and_the_live_database_is_unchanged(
    pg_seeded: Database, tmp_path: Path, case: str
) -> None:
    statement, reason = HOSTILE_PG[case]
    hostile = _pg_tampered(pg_seeded, tmp_path, statement)
    before = snapshot(pg_seeded)
    with pytest.raises(BackupError, match=reason):
        restore(pg_seeded, hostile, force=True)
    assert snapshot(pg_seeded) == before
    with pg_seeded.engine.connect() as connection:  # no scratch schema or database left behind
        schemas = connection.execute(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'grants%'")).all()
        scratch = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'grants_scratch%'"))
        assert (schemas, scratch.all()) == ([], [])


@pytest.mark.postgres
def test_a_good_postgresql_restore_is_audited_and_can_be_undone(pg_seeded: Database, tmp_path: Path) -> None:
    made = backup(pg_seeded, tmp_path / "monday.dump")
    backed_up = data(pg_seeded)
    change: Callable[[], None] = lambda: _change_mediation(pg_seeded)  # noqa: E731
    change()
    tuesday = snapshot(pg_seeded)
    result = restore(pg_seeded, made.path, force=True, actor="jane")
    assert data(pg_seeded) == backed_up
    [event] = _restore_events(pg_seeded)
    assert event.actor == "jane" and event.after is not None and event.after["sha256"] == result.sha256
    undo_restore(pg_seeded, actor="jane")
    assert snapshot(pg_seeded)["budget_lines"] == tuesday["budget_lines"]
    assert [e.action for e in _restore_events(pg_seeded)] == ["restore-undo"]


def _change_mediation(database: Database) -> None:
    with UnitOfWork(database, actor="tuesday") as uow:
        uow.lines.update(line_ids(database)["Mediation"], None, allocated=1)
        uow.commit()
