"""The chain the money flows down: Home Office → OPCC → partnership, as recorded (``funders.parent_id``)."""

from __future__ import annotations

from grants.domain.models import Fund
from grants.domain.streams import stream_for
from grants.storage.unit_of_work import UnitOfWork

MAX_DEPTH = 20  # a loop in the recorded parents stops here rather than running for ever


def funder_chain(uow: UnitOfWork, funder_id: int | None) -> tuple[str, ...]:
    """The funder and those above it, from the top: ("Home Office", "Leicestershire OPCC")."""
    names: list[str] = []
    seen: set[int] = set()
    current = funder_id
    while current is not None and current not in seen and len(names) < MAX_DEPTH:
        seen.add(current)
        funder = uow.funders.get(current)
        names.append(funder.name)
        current = funder.parent_id
    return tuple(reversed(names))


def fund_chain(uow: UnitOfWork, fund: Fund) -> tuple[str, ...]:
    """Every step from the first funder to the partnership that holds ``fund``.

    A fund with no recorded funder names its stream's usual funder (the Partnership Locality Fund: the
    OPCC), or nothing above the partnership when the stream is unknown: the chain is never invented.
    """
    funders = funder_chain(uow, fund.funder_id)
    if not funders and stream_for(fund.code).funder:
        funders = (stream_for(fund.code).funder,)
    return (*funders, uow.partnerships.get(fund.partnership_id).name)


def chain_text(steps: tuple[str, ...]) -> str:
    """ "Home Office > Leicestershire OPCC > Charnwood CSP" (a plain ">" prints in every PDF font)."""
    return " > ".join(steps)
