"""``--out`` is written safely: no overwrite without --force, never through a link, never the database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grants.cli.output import OutputRefused, write_out
from grants.storage.database import Database

ROOT = Path(__file__).resolve().parents[2]
CSP = "Charnwood Community Safety Partnership"


def _db(folder: Path) -> Database:
    return Database(f"sqlite:///{folder / 'grants.db'}")


def test_a_new_file_is_written_whole_with_nothing_left_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "pack.csv"
    assert write_out(target, b"a,b\n", _db(tmp_path)) == target
    assert target.read_bytes() == b"a,b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.csv"]


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "pack.csv"
    target.write_bytes(b"keep")
    with pytest.raises(OutputRefused, match="already exists"):
        write_out(target, b"new", None)
    assert target.read_bytes() == b"keep"
    write_out(target, b"new", None, force=True)
    assert target.read_bytes() == b"new"


@pytest.mark.parametrize("force", [False, True])
def test_a_link_is_never_written_through(tmp_path: Path, force: bool) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    link = tmp_path / "out.pdf"
    link.symlink_to(victim)
    with pytest.raises(OutputRefused, match="symbolic link"):
        write_out(link, b"%PDF", None, force=force)
    dangling = tmp_path / "dangling.pdf"
    dangling.symlink_to(tmp_path / "nowhere" / "x")
    with pytest.raises(OutputRefused, match="symbolic link"):
        write_out(dangling, b"%PDF", None, force=force)
    assert victim.read_bytes() == b"precious"
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_the_database_is_never_a_target_even_forced(tmp_path: Path, suffix: str) -> None:
    database = _db(tmp_path)
    database.migrate()
    database.dispose()  # (write_out only reads the URL; no connection is open below)
    before = (tmp_path / "grants.db").read_bytes()
    with pytest.raises(OutputRefused, match="is the database"):
        write_out(tmp_path / f"grants.db{suffix}", b"%PDF", database, force=True)
    hard = tmp_path / "alias.db"
    os.link(tmp_path / "grants.db", hard)
    with pytest.raises(OutputRefused, match="is the database"):
        write_out(hard, b"%PDF", database, force=True)
    assert (tmp_path / "grants.db").read_bytes() == before


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputRefused, match="no such folder"):
        write_out(tmp_path / "absent" / "x.csv", b"", None)


def _grants(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRANTS_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run(
        [sys.executable, "-m", "grants", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_commands_refuse_a_link_to_the_live_database_and_an_existing_file(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    assert _grants(db, "init", "--demo").returncode == 0
    before = db.read_bytes()
    link = tmp_path / "pack.pdf"
    link.symlink_to(db)
    alias = tmp_path / "alias.json"  # the same file under another name (a hard link)
    os.link(db, alias)
    budget = ["report", "budget", "--partnership", CSP, "--year", "2017/18"]
    for args in (
        [*budget, "--out", str(link), "--force"],
        ["export", "360giving", "--out", str(alias), "--force"],
        ["backup", "--out", str(link), "--force"],
    ):
        result = _grants(db, *args)
        assert result.returncode == 2, (args, result.stdout)
        assert "symbolic link" in result.stderr or "is the database" in result.stderr
    assert db.read_bytes() == before
    existing = tmp_path / "pack.csv"
    existing.write_text("mine", encoding="utf-8")
    refused = _grants(db, *budget, "--out", str(existing))
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert existing.read_text(encoding="utf-8") == "mine"
    assert _grants(db, *budget, "--out", str(existing), "--force").returncode == 0
    assert existing.read_text(encoding="utf-8-sig").startswith("Partnership,")
