"""The command line run as a separate process on a SQLite file, as a person or a scheduled job runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def grants(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m grants ARGS`` on the database file ``db`` (a guard of 180 s against a hang)."""
    env = {**os.environ, "GRANTS_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run(
        [sys.executable, "-m", "grants", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The command's output, after asserting it succeeded."""
    assert result.returncode == 0, result.stderr
    return result.stdout
