"""A partnership's own record: the local authority it serves, with the ONS GSS code 360Giving expects."""

from __future__ import annotations

import re

from grants.domain.errors import RuleViolation
from grants.domain.models import Partnership
from grants.services.access import Principal, require_read, require_write
from grants.storage.unit_of_work import UnitOfWork

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")


def set_local_authority(
    uow: UnitOfWork, principal: Principal, partnership_id: int, *, code: str, name: str
) -> Partnership:
    """Record the partnership's local authority district (e.g. E07000130, Charnwood); audited.

    An administrator, or whoever may change the partnership's ledger, may set it.
    """
    if principal.is_admin:
        require_read(principal, partnership_id)
    else:
        require_write(principal, partnership_id)
    code = code.strip().upper()
    if not GSS_CODE.match(code):
        raise RuleViolation(
            f"{code!r} is not an ONS GSS code: a letter E, W, S or N and eight digits (e.g. E07000130 for Charnwood)"
        )
    if not name.strip():
        raise RuleViolation("give the local authority's name as well as its code (e.g. Charnwood)")
    current = uow.partnerships.get(partnership_id)
    return uow.partnerships.update(partnership_id, current.version, la_code=code, la_name=name.strip())
