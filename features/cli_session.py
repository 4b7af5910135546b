"""The command line run in-process by a step module, as one of the demo's accounts: ``python -m grants``."""

from __future__ import annotations

from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from grants import cli
from grants.storage.database import Database

DEMO_ACCOUNTS = {
    "the manager": "manager",
    "the Strategic Group": "strategic",
    "an administrator": "admin",
    "the funder": "funder",
}
"""Who the steps name, and the demo account each acts as."""


@dataclass
class CliSession:
    """A database, a folder for files, and the last command's status and output."""

    database: Database
    tmp: Path
    status: int = 0
    out: str = ""
    err: str = ""
    kept: dict[str, bytes] = field(default_factory=dict)

    def run(self, who: str | None, *args: str) -> int:
        """``python -m grants ARGS`` as ``who`` (one of :data:`DEMO_ACCOUNTS`, or the local operator)."""
        user = ["--user", DEMO_ACCOUNTS[who]] if who else []
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            self.status = cli.main(["--database", str(self.database.url), *user, *args])
        self.out, self.err = out.getvalue(), err.getvalue()
        return self.status

    def must(self, who: str | None, *args: str) -> None:
        assert self.run(who, *args) == 0, self.err
