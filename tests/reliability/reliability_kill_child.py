"""A child process for the upgrade kill tests: ``python -m grants ARGS`` that SIGKILLs itself.

``KILL_AT_STATEMENT=N python reliability_kill_child.py ARGS...`` counts every SQL statement any engine
sends (Alembic's DDL, the version stamp, ``BEGIN``/``COMMIT`` included) and kills itself with SIGKILL
just before statement N; with N = 0 it runs to the end and prints ``STATEMENTS <count>``.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[2])]

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from grants.cli import main  # noqa: E402

KILL_AT = int(os.environ.get("KILL_AT_STATEMENT", "0"))
seen = 0


@event.listens_for(Engine, "before_cursor_execute")
def _count(*_: Any) -> None:
    global seen
    seen += 1
    if seen == KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    status = main(sys.argv[1:])
    print(f"STATEMENTS {seen}", flush=True)
    raise SystemExit(status)
