"""A return received from a partnership's installation as a package, kept at the funder's installation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from grants.domain.models import Entity

REVIEW_ACTIONS = ("accepted", "queried")


class ReceivedReturn(Entity):
    """One submitted version of a partnership's return, received as a package and stored as it came.

    ``frozen`` is the package's whole ``return.json`` (the partnership, the fund, the sign-off and the frozen
    figures); the PDF's bytes are kept beside the row, outside the model and the audit log
    (``uow.received_returns.pdf``), which records its SHA-256. ``review`` is the funder's word on it:
    empty until reviewed, then ``accepted`` or ``queried``.
    """

    partnership_id: int
    funder_id: int | None = None
    fund_code: str = Field(min_length=1, max_length=40)
    fund_name: str = ""
    stream: str = ""
    year: str
    period: str
    version_number: int = Field(ge=1)
    frozen: dict[str, Any]
    pdf_sha256: str
    package_sha256: str
    received_at: datetime
    received_by: str
    review: str = ""
    review_comment: str = ""
    reviewed_by: str = ""
    reviewed_at: datetime | None = None
