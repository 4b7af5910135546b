"""A child process for the crash tests: runs one use case and stops, on purpose, just before it commits.

``python reliability_crash_child.py URL ACTION [ARGS...]``

It listens for the engine's ``commit`` event (fired before the database is told to commit), prints
``ABOUT TO COMMIT`` and sleeps, so the parent can SIGKILL it at the worst moment: every row written,
the commit not yet made. ACTION is ``import-spend FILE`` or ``submit-return``.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]

from reliability_support import CSP, FUND, YEAR  # noqa: E402
from sqlalchemy import event  # noqa: E402

from grants.storage.database import Database  # noqa: E402
from tests.support.ops import import_spend  # noqa: E402

PAUSE_SECONDS = 120


def _pause_before_commit(*_: Any) -> None:
    print("ABOUT TO COMMIT", flush=True)
    time.sleep(PAUSE_SECONDS)


def main(url: str, action: str, *args: str) -> int:
    database = Database(url)
    database.migrate()
    event.listen(database.engine, "commit", _pause_before_commit)
    if action == "import-spend":
        import_spend(database, Path(args[0]), partnership=CSP, fund_code=FUND, year=YEAR, actor="crash")
    elif action == "submit-return":
        from tests.support.ops import submit_return

        submit_return(
            database,
            partnership=CSP,
            fund_code=FUND,
            year=YEAR,
            half="H1",
            actor="crash",
            on=date(2023, 10, 20),
            findings=lambda *_: None,
        )
    else:
        raise SystemExit(f"unknown action {action!r}")
    print("COMMITTED", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
