"""A child process that imports one spend file and reports its own peak memory and time.

``python reliability_measured_child.py cli|app URL FILE`` imports FILE into the seeded fund through the
command line's ``main`` (``cli``) or the service the app's Spend page calls for its preview (``app``),
then prints ``STATUS <exit status> PEAK_MB <peak resident MB> SECONDS <wall seconds>`` and the message.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]

from reliability_support import CSP, FUND, YEAR, fund_id  # noqa: E402

from grants.domain.enums import Role  # noqa: E402
from grants.imports.parsed import ImportRejected  # noqa: E402
from grants.services.access import Principal  # noqa: E402
from grants.storage.database import Database  # noqa: E402


def main(mode: str, url: str, file: str) -> int:
    started = time.monotonic()
    message = ""
    if mode == "cli":
        from grants.cli import main as cli

        status = cli(["--database", url, "import", "spend", file, "--partnership", CSP, "--fund", FUND, "--year", YEAR])
    else:
        from grants.services import importing, usecase

        database = Database(url)
        fund = fund_id(database)
        with database.engine.connect() as connection:
            from sqlalchemy import text

            query = text("SELECT partnership_id FROM funds WHERE id = :f")
            partnership = connection.execute(query, {"f": fund}).scalar()
        manager = Principal.of("manager", Role.MANAGER, [int(partnership or 0)])
        try:
            usecase.read(database, manager, importing.import_spend, fund, Path(file), dry_run=True)
            status = 0
        except ImportRejected as exc:
            status, message = 2, str(exc)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"STATUS {status} PEAK_MB {peak_mb:.0f} SECONDS {seconds:.1f}", flush=True)
    print(message[:2000], flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
