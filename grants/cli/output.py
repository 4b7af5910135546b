"""Files the commands write (``--out``): one helper, so none can overwrite what it should not.

* An existing file is refused unless ``--force``.
* A symbolic link is never written through: a link at ``--out`` is refused, even with ``--force``,
  and the file is made in the same folder under a fresh name (``O_EXCL``: never an existing file
  or link) and then moved into place, so nothing outside that one name is touched.
* The database file (and its ``-wal``, ``-shm`` and ``-journal`` companions) is never a target.
* The file appears whole or not at all: a failure leaves no partial file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from grants.domain.errors import GrantsError
from grants.storage.database import Database

COMPANIONS = ("", "-wal", "-shm", "-journal")


class OutputRefused(GrantsError):
    """``--out`` names a file the command must not write (exists, a link, the database, no folder)."""


def _database_files(database: Database | None) -> list[str]:
    if database is None or not database.is_sqlite:
        return []
    name = make_url(database.url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return []
    base = os.path.realpath(Path(name).expanduser())
    return [base + suffix for suffix in COMPANIONS]


def check_out(path: Path, database: Database | None, *, force: bool) -> Path:
    """The absolute target for ``--out``, or :class:`OutputRefused` saying why it cannot be written."""
    target = Path(path).expanduser().absolute()
    if not target.parent.is_dir():
        raise OutputRefused(f"{target.parent}: no such folder")
    if target.is_symlink():
        raise OutputRefused(f"{target} is a symbolic link; give the path of a real file (links are never followed)")
    real = os.path.realpath(target)
    protected = _database_files(database)
    same = target.exists() and any(os.path.exists(p) and os.path.samefile(p, target) for p in protected)
    if real in protected or same:
        raise OutputRefused(f"{target} is the database; choose another name for the output")
    if target.is_dir():
        raise OutputRefused(f"{target} is a folder; give the name of the file to write")
    if target.exists() and not force:
        raise OutputRefused(f"{target} already exists; choose another name or use --force to replace it")
    return target


def write_out(path: Path, data: bytes, database: Database | None, *, force: bool = False) -> Path:
    """Write ``data`` to ``--out`` safely (see the module's rules); returns the path written."""
    target = check_out(path, database, force=force)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        if force:
            os.replace(temporary, target)  # replaces the name itself: a link made meanwhile is not followed
        else:
            try:
                os.link(temporary, target)  # fails if anything (a file, a link) took the name meanwhile
            except FileExistsError as exc:
                raise OutputRefused(f"{target} already exists; choose another name or use --force") from exc
            except OSError:  # a file system without hard links: create the name exclusively instead
                _write_exclusive(target, data)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target


def _write_exclusive(target: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(target, flags, 0o666)
    except FileExistsError as exc:
        raise OutputRefused(f"{target} already exists; choose another name or use --force") from exc
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
