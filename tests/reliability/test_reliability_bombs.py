"""Bounded work for every input: the bomb files of issue 15 are refused, from the command line and by the
service the app's Spend page calls, with the limit named, in bounded memory, and change nothing.

The files are generated here (``reliability_bombs``), never committed. Each import runs in its own
process (``reliability_measured_child.py``), which reports its peak resident memory; that must stay
under 500 MB. How long each refusal takes is measured, not asserted: RELIABILITY.md has the figures
(every one well under 10 s); the child's timeout is only a guard against a hang.

Also here, in-process with the limits lowered: the row limit is enforced while the rows stream (for a
sheet whose declared size lies), problems are kept word for word up to a limit and then only counted.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import reliability_bombs as bombs
from reliability_support import HERE, ROOT, snapshot

from grants.imports import tabular
from grants.imports.parsed import MAX_PROBLEMS, ImportRejected
from grants.imports.spend import read_spend_ledger
from grants.storage.database import Database

CHILD = HERE / "reliability_measured_child.py"
MEMORY_LIMIT_MB = 500
HANG_GUARD_SECONDS = 300

BOMBS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip bomb xlsx (1.1 GB inflated)": (bombs.zip_bomb_xlsx, r"expands to 1,049 MB.*up to 256 MB expanded"),
    "one 60 MB line csv": (bombs.one_line_csv, r"row 2: the line is 60,000,000 characters long"),
    "1,048,576-row xlsx": (
        lambda folder: bombs.rows_xlsx(folder, rows=1_048_575, name="million.xlsx"),
        r"has 1,048,576 rows; the tracker imports up to 250,000 rows of data from one file",
    ),
    "1,048,576-row xlsx declaring no size": (
        lambda folder: bombs.rows_xlsx(folder, rows=1_048_575, name="undeclared.xlsx", dimension=False),
        r"has 1,048,576 rows; the tracker imports up to 250,000 rows of data from one file",
    ),
    "10,000 columns x 200 rows csv": (bombs.wide_csv, r"row 2: the row has a value in column 10,000"),
    "10,000 columns x 200 rows xlsx": (bombs.wide_xlsx, r"row 2: the row has a value in column 10,000"),
}


@pytest.fixture(scope="module")
def bomb_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bombs")


def _measured(mode: str, url: str, path: Path) -> tuple[int, float, str]:
    finished = subprocess.run(
        [sys.executable, str(CHILD), mode, url, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    first, _, rest = finished.stdout.partition("\n")
    words = first.split()
    return int(words[1]), float(words[3]), rest + finished.stderr


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["cli", "app"])
@pytest.mark.parametrize("case", sorted(BOMBS))
def test_a_bomb_file_is_refused_in_bounded_memory_and_changes_nothing(
    seeded: Database, bomb_folder: Path, case: str, mode: str
) -> None:
    make, reason = BOMBS[case]
    path = bomb_folder / case.replace(" ", "_").replace(",", "")
    if not path.exists():
        path.mkdir()
        make(path)
    [file] = [p for p in path.iterdir() if p.is_file()]
    before = snapshot(seeded)
    seeded.dispose()
    status, peak_mb, message = _measured(mode, seeded.url, file)
    assert status == 2, message
    assert peak_mb < MEMORY_LIMIT_MB, f"{case} through {mode}: peak {peak_mb:.0f} MB"
    if mode == "cli":  # the command line prints the first problems in full
        assert re.search(reason, message), message
    assert snapshot(seeded) == before


def test_the_row_limit_holds_while_rows_stream_when_a_sheet_declares_no_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabular, "MAX_SHEET_ROWS", 1000)
    for path in (
        bombs.rows_xlsx(tmp_path, rows=1500, name="undeclared.xlsx", dimension=False),
        bombs.rows_xlsx(tmp_path, rows=1500, name="declared.xlsx"),
    ):
        with pytest.raises(ImportRejected, match=r"more than 1,000 rows of data|has 1,501 rows"):
            read_spend_ledger(path)


def test_problems_are_kept_up_to_the_limit_and_then_counted(tmp_path: Path) -> None:
    path = tmp_path / "bad_dates.csv"
    rows = MAX_PROBLEMS * 5
    path.write_text("Date,Amount,Budget Line\n" + "not a date,1.00,Mediation\n" * rows)
    with pytest.raises(ImportRejected) as refused:
        read_spend_ledger(path)
    assert len(refused.value.problems) == MAX_PROBLEMS
    assert refused.value.total == rows
    assert f"nothing was imported: {rows:,} problem(s)" in str(refused.value)
    assert f"... and {rows - 50:,} more" in str(refused.value)
