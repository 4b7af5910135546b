"""Backups: ``backup`` then ``restore`` gives back every table row for row, on SQLite and PostgreSQL.

Also: a restore refuses a database that holds data unless forced (and keeps what it replaced); a
failed restore leaves the database and its folder as they were; a backup is a consistent snapshot even
with a write in flight; the password of a PostgreSQL URL never reaches a command line or a message.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reliability_support import CORPUS, CSP, FUND, YEAR, grants_cli, line_ids, snapshot, snapshot_difference
from sqlalchemy import create_engine, text

from grants.cli import backup as backup_cli
from grants.domain.enums import Role
from grants.domain.errors import GrantsError
from grants.services import backup as backup_service
from grants.services.access import Principal
from grants.services.backup import BackupError, backup, pg_environment
from grants.services.restoring import restore
from grants.services.usecase import perform
from grants.services.virements import propose_virement
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.ops import import_spend

PASSWORD = "Sup3r-Secret-Pa55"  # the test server trusts every local connection, so any password works


def _add_some_history(database: Database) -> None:
    """More than the seed: a spend import (with a batch), a virement, and their audit events."""
    import_spend(
        database, CORPUS / "spend_formula_references.csv", partnership=CSP, fund_code=FUND, year=YEAR, actor="m"
    )
    ids = line_ids(database)
    with UnitOfWork(database) as uow:
        partnership = uow.partnerships.find()[0].id or 0
    perform(
        database,
        Principal.of("manager", Role.MANAGER, [partnership]),
        propose_virement,
        from_line_id=ids["Mediation"],
        to_line_id=ids["Go Getta"],
        amount=Decimal("250.00"),
        proposed_on=date(2023, 7, 1),
        reason="round trip",
    )


def data(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """A snapshot without the audit events restores add (those are checked on their own) and the data versions
    (a restore moves every one of them on, by design)."""
    found = snapshot(database)
    found.pop("data_versions", None)
    found["audit_events"] = [row for row in found["audit_events"] if row[3] not in ("restore", "restore-undo")]
    return found


def _but_versions(found: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """A snapshot as :func:`data` sees it (a restore moves every data version on)."""
    return {name: rows for name, rows in found.items() if name != "data_versions"}


def _empty_sqlite(folder: Path, name: str = "restored.db") -> Database:
    database = Database(f"sqlite:///{folder / name}")
    database.migrate()
    return database


# -- SQLite ------------------------------------------------------------------------------------


def test_a_sqlite_backup_restores_every_table_row_for_row(seeded: Database, tmp_path: Path) -> None:
    _add_some_history(seeded)
    original = snapshot(seeded)
    made = backup(seeded, tmp_path / "nightly.db")
    assert made.rows["spends"] == 4 and made.rows["virements"] == 1
    target = _empty_sqlite(tmp_path)
    try:
        restored = restore(target, made.path)
        assert snapshot_difference(_but_versions(original), data(target)) == []
        assert data(target) == _but_versions(original)
        assert {**restored.rows, "audit_events": restored.rows["audit_events"] - 1} == made.rows
        assert restored.replaced_copy is not None  # even an empty database replaced is kept
    finally:
        target.dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary files left


def test_a_backup_file_is_one_self_contained_checked_sqlite_file(seeded: Database, tmp_path: Path) -> None:
    made = backup(seeded, tmp_path / "copy.db")
    with closing(sqlite3.connect(made.path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_backup_taken_during_a_write_holds_only_what_was_committed(seeded: Database, tmp_path: Path) -> None:
    committed = snapshot(seeded)
    with UnitOfWork(seeded, actor="mid-write") as uow:
        uow.lines.update(line_ids(seeded)["Mediation"], None, allocated=Decimal("1.00"))
        uow.session.flush()  # written to the database, not committed
        made = backup(seeded, tmp_path / "during.db")
    copy = Database(f"sqlite:///{made.path}")
    try:
        assert snapshot(copy) == committed
    finally:
        copy.dispose()


def test_restore_refuses_a_database_that_holds_data_unless_forced_and_keeps_what_it_replaced(
    seeded: Database, tmp_path: Path
) -> None:
    made = backup(seeded, tmp_path / "before.db")
    backed_up = data(seeded)
    _add_some_history(seeded)
    newer = snapshot(seeded)
    with pytest.raises(BackupError, match=r"holds data \(\d+ rows\); restore will not overwrite it.*--force"):
        restore(seeded, made.path)
    assert snapshot(seeded) == newer
    result = restore(seeded, made.path, force=True)
    assert data(seeded) == backed_up
    assert result.replaced_copy is not None and Path(result.replaced_copy).exists()
    kept = Database(f"sqlite:///{result.replaced_copy}")
    try:
        assert snapshot(kept) == newer  # nothing entered is lost: the replaced database is kept whole
    finally:
        kept.dispose()


def test_a_failed_restore_leaves_the_database_and_its_folder_as_they_were(
    seeded: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = backup(seeded, tmp_path / "good.db")
    _add_some_history(seeded)
    before = snapshot(seeded)
    folder = Path(seeded.engine.url.database or "").parent
    listing = sorted(p.name for p in folder.iterdir())

    def power_cut(*_: Any) -> None:
        raise OSError("simulated failure at the moment of the rename")

    monkeypatch.setattr(backup_service.os, "replace", power_cut)
    with pytest.raises(OSError, match="simulated failure"):
        restore(seeded, made.path, force=True)
    monkeypatch.undo()
    assert snapshot(seeded) == before
    left = sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert [name for name in left if name not in listing and ".before-restore-" not in name] == []


def test_a_damaged_or_foreign_file_is_refused_and_changes_nothing(seeded: Database, tmp_path: Path) -> None:
    made = backup(seeded, tmp_path / "good.db")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(made.path.read_bytes()[: made.size // 2])
    not_ours = tmp_path / "other.db"
    with closing(sqlite3.connect(not_ours)) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a backup")
    pg_dump_like = tmp_path / "pg.dump"
    pg_dump_like.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    target = _empty_sqlite(tmp_path, "target.db")
    try:
        before = snapshot(target)
        for path, reason in [
            (damaged, "integrity check|not a readable SQLite|could not be copied"),
            (not_ours, "not a tracker database"),
            (text_file, "not a backup made by"),
            (pg_dump_like, "is a PostgreSQL backup"),
            (tmp_path / "missing.db", "no such backup file"),
        ]:
            with pytest.raises(BackupError, match=reason):
                restore(target, path, force=True)
            assert snapshot(target) == before, path.name
    finally:
        target.dispose()


def test_backup_refuses_to_overwrite_a_file_or_to_copy_an_in_memory_database(seeded: Database, tmp_path: Path) -> None:
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"an older backup")
    with pytest.raises(BackupError, match="already exists"):
        backup(seeded, existing)
    assert existing.read_bytes() == b"an older backup"
    assert backup(seeded, existing, force=True).size > 0
    with pytest.raises(BackupError, match="in-memory"):
        backup(Database("sqlite://"), tmp_path / "memory.db")
    assert issubclass(BackupError, GrantsError)  # the command line turns it into a message and exit status 2


# -- the command-line module -------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grants")
    parser.set_defaults(principal=Principal.of("cli", Role.ADMIN, all_partnerships=True))  # as main() sets it
    backup_cli.register(parser.add_subparsers(dest="command", required=True))
    return parser


def test_the_backup_and_restore_commands_round_trip(
    seeded: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = _parser()
    out = tmp_path / "cli.db"
    args = parser.parse_args(["backup", "--out", str(out)])
    assert args.handler(args, seeded) == 0
    assert f"to {out}" in capsys.readouterr().out
    target = _empty_sqlite(tmp_path)
    try:
        args = parser.parse_args(["restore", str(out)])
        assert args.handler(args, target) == 0
        assert "restored" in capsys.readouterr().out
        assert data(target) == data(seeded)
        with pytest.raises(BackupError, match="--force"):
            args.handler(args, target)
        forced = parser.parse_args(["restore", str(out), "--force"])
        assert forced.handler(forced, target) == 0
        assert "is kept at" in capsys.readouterr().out
    finally:
        target.dispose()


def test_the_real_commands_back_up_restore_and_refuse_with_status_2(seeded: Database, tmp_path: Path) -> None:
    url = seeded.url
    seeded.dispose()
    out = tmp_path / "real.db"
    made = grants_cli(url, "backup", "--out", str(out))
    assert made.returncode == 0, made.stderr
    target_url = f"sqlite:///{tmp_path / 'target.db'}"
    restored = grants_cli(target_url, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    refused = grants_cli(target_url, "restore", str(out))
    assert refused.returncode == 2
    assert "error:" in refused.stderr and "--force" in refused.stderr and "Traceback" not in refused.stderr


# -- PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def pg_second(_postgres_server: str) -> Iterator[str]:
    """The URL (with a password) of a second, empty PostgreSQL database, dropped afterwards."""
    name = f"grants_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:5432/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_a_postgresql_backup_restores_every_table_row_for_row(
    pg_seeded: Database, pg_second: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_some_history(pg_seeded)
    original = snapshot(pg_seeded)
    source = Database(pg_seeded.url.replace("postgres@", f"postgres:{PASSWORD}@"))
    target = Database(pg_second)
    try:
        made = backup(source, tmp_path / "nightly.dump")
        assert made.path.read_bytes()[:5] == b"PGDMP"
        restored = restore(target, made.path)
        assert snapshot_difference(_but_versions(original), data(target)) == []
        assert data(target) == _but_versions(original)
        assert restored.total_rows == 1 + sum(len(rows) for name, rows in original.items() if name != "alembic_version")
        # The sequences came back too: a new row does not collide with a restored one.
        with UnitOfWork(target, actor="after") as uow:
            line = uow.lines.find()[0]
            uow.lines.update(line.id or 0, line.version, allocated=Decimal("1.00"))
            uow.commit()
        with pytest.raises(BackupError, match="holds data"):
            restore(target, made.path)
        restore(target, made.path, force=True)
        assert data(target) == _but_versions(original)
    finally:
        source.dispose()
        target.dispose()
    assert PASSWORD not in capsys.readouterr().out


@pytest.mark.postgres
def test_the_password_goes_to_pg_dump_through_the_environment_never_the_command_line(
    pg_seeded: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_seeded.url.replace("postgres@", f"postgres:{PASSWORD}@")
    calls: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def spy(arguments: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        calls.append((list(arguments), dict(options["env"])))
        return real_run(arguments, **options)

    monkeypatch.setattr(backup_service.subprocess, "run", spy)
    source = Database(url)
    try:
        made = backup(source, tmp_path / "spy.dump")
        restore(source, made.path, force=True)
    finally:
        source.dispose()
    assert {Path(arguments[0]).name for arguments, _ in calls} >= {"pg_dump", "pg_restore"}
    for arguments, env in calls:
        assert all(PASSWORD not in argument for argument in arguments), arguments
        assert env["PGPASSWORD"] == PASSWORD


def test_a_failing_pg_tool_never_echoes_the_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Even if a tool printed the password (none should), the message shown has it hidden."""

    def leaky(arguments: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(arguments, 1, "", f"could not connect with password {PASSWORD}")

    monkeypatch.setattr(backup_service.subprocess, "run", leaky)
    monkeypatch.setattr(backup_service.shutil, "which", lambda name: f"/usr/bin/{name}")
    database = Database(f"postgresql+psycopg://u:{PASSWORD}@127.0.0.1:1/nowhere")
    with pytest.raises(BackupError) as refused:
        backup(database, tmp_path / "x.dump")
    assert PASSWORD not in str(refused.value) and "***" in str(refused.value)
    assert "pg_dump of postgresql+psycopg://u:***@127.0.0.1:1/nowhere failed" in str(refused.value)


def test_the_environment_for_pg_tools_comes_from_the_url() -> None:
    env = pg_environment(f"postgresql+psycopg://clerk:{PASSWORD}@db.example:6543/grants?sslmode=require", base={})
    assert env == {
        "PGHOST": "db.example",
        "PGPORT": "6543",
        "PGUSER": "clerk",
        "PGPASSWORD": PASSWORD,
        "PGDATABASE": "grants",
        "PGSSLMODE": "require",
    }
    with pytest.raises(BackupError, match="'nonsense' is not one pg_dump understands"):
        pg_environment("postgresql://u@h/d?nonsense=1", base={})
