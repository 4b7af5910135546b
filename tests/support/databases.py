"""A database of its own, copied from a migrated template: for property tests that run many examples."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grants.storage.database import Database


@contextmanager
def fresh_copy(template: Path) -> Iterator[Database]:
    """A copy of the SQLite ``template`` in a temporary folder, disposed of and removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.db"
        shutil.copyfile(template, path)
        database = Database(f"sqlite:///{path}")
        try:
            yield database
        finally:
            database.dispose()
