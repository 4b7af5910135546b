"""A demo database whose PLF 2026/27 H1 return has been submitted (and, on request, amended to version 2):
made through the command line in this process, as the demo's manager and Strategic Group accounts."""

from __future__ import annotations

from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

from grants import cli
from grants.services.demo import PARTNERSHIP

PLF = ["--partnership", PARTNERSHIP, "--fund", "PLF", "--year", "2026/27"]
H1 = [*PLF, "--half", "H1"]
H1_ERRORS = (("ALC004", "Prevention campaign materials"), ("SPD001", "Mobile CCTV camera fund"))


def _run(path: Path, *args: str) -> None:
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = cli.main(["--database", f"sqlite:///{path}", *args])
    assert status == 0, err.getvalue()


def submitted_demo(path: Path, *, amended: bool = False) -> Path:
    """``path``: the demo, its PLF 2026/27 H1 return signed off and submitted on 30/10/2026 (when ``amended``,
    queried by the OPCC's officer and amended on 12/11/2026 as version 2, whose figures carry that history)."""
    _run(path, "init", "--demo")
    for code, line in H1_ERRORS:
        _run(
            path, "--user", "strategic", "findings", "accept", *PLF, "--code", code, "--line", line,
            "--reason", "Agreed at the October meeting", "--as-at", "2026-09-30",
        )  # fmt: skip
    _run(path, "--user", "manager", "return", "draft", *H1, "--explain", "Mobile CCTV camera fund=Cost more.")
    _run(path, "--user", "strategic", "return", "sign-off", *H1, "--on", "2026-10-29")
    _run(path, "--user", "manager", "return", "submit", *H1, "--on", "2026-10-30")
    if amended:
        _run(path, "--user", "funder", "return", "query", *H1, "--comment", "Please add the outcomes.")
        _run(
            path, "--user", "manager", "return", "amend", *H1, "--reason", "The OPCC asked for the outcomes.",
            "--on", "2026-11-12",
        )  # fmt: skip
    return path
