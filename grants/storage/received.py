"""The repository of returns received as packages: each keeps its PDF beside the row, outside the audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from grants.domain.errors import NotFound
from grants.domain.received import ReceivedReturn
from grants.storage.repository import AuditLog, Repository
from grants.storage.tables import ReceivedReturnRow


class ReceivedReturnRepository(Repository[ReceivedReturn]):
    """Received returns; the PDF exactly as it came is stored beside its row (the audit log has its SHA-256)."""

    def __init__(self, session: Session, audit: AuditLog) -> None:
        super().__init__(session, ReceivedReturn, ReceivedReturnRow, audit)

    def store_pdf(self, received_id: int, data: bytes) -> None:
        row = self._session.get(ReceivedReturnRow, received_id)
        if row is None:
            raise NotFound(f"no received return with id {received_id}")
        row.pdf = data
        self._session.flush()

    def pdf(self, received_id: int) -> bytes | None:
        row = self._session.get(ReceivedReturnRow, received_id)
        return None if row is None or row.pdf is None else bytes(row.pdf)
