"""Sending a submitted return to the funder's installation as a package, and receiving it there.

``export_package`` writes one submitted version as a package (:mod:`grants.services.package_format`): its
return.json (the partnership, the fund and its funding chain, the period, the version, who submitted and signed
it off, and the frozen figures exactly as stored), the PDF exactly as sent, and a manifest of their SHA-256.
``receive_package`` checks a package and stores the return frozen against its partnership (created if new) in
``received_returns``; a package that fails any check, or a version already received, is refused and nothing
changes. The funder's county view reads the latest version of each received return with
:func:`received_summaries` (in :mod:`grants.services.received_returns`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grants.domain.errors import NotFound, PermissionDenied, RuleViolation
from grants.domain.models import Fund, Funder, Partnership
from grants.domain.received import ReceivedReturn
from grants.domain.streams import STREAMS
from grants.domain.workflow import ReturnVersion
from grants.services import return_workflow
from grants.services.access import Principal, check_fund, funder_and_below
from grants.services.funding_chain import funder_chain
from grants.services.package_format import Package, PackageRefused, build_package, read_package, schema_problems
from grants.services.returns import the_period, version_pdf
from grants.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Received:
    """What ``receive_package`` stored, and whether it made the partnership or any funder."""

    received: ReceivedReturn
    partnership: str
    funder: str
    partnership_created: bool
    funders_created: tuple[str, ...]


# -- export ---------------------------------------------------------------------------------------------------
def _submitted(uow: UnitOfWork, principal: Principal, fund: Fund, period: str, number: int | None) -> ReturnVersion:
    assert fund.id is not None
    made = return_workflow.versions(uow, principal, fund.id, period)
    name = the_period(fund, period).name
    if not made:
        raise RuleViolation(
            f"the {fund.code} {name} return has not been submitted; only a submitted return is sent as a package "
            "(return submit)"
        )
    if number is None:
        return made[-1]
    for version in made:
        if version.number == number:
            return version
    raise NotFound(
        f"the {fund.code} {name} return has no version {number} (versions: {', '.join(str(v.number) for v in made)})"
    )


def return_document(uow: UnitOfWork, fund: Fund, version: ReturnVersion) -> dict[str, Any]:
    """The package's return.json for one submitted version."""
    partnership = uow.partnerships.get(fund.partnership_id)
    frozen = version.frozen
    chain = list(funder_chain(uow, fund.funder_id))
    stream = STREAMS.get(fund.code.upper())
    return {
        "format": "csp-return-package",
        "format_version": 1,
        "partnership": {"name": partnership.name, "area": partnership.area, "la_code": partnership.la_code},
        "fund": {
            "code": fund.code,
            "name": fund.name,
            "year": fund.year,
            "stream": stream.name if stream is not None else "",
            "starts": fund.starts.isoformat(),
            "ends": fund.ends.isoformat(),
            "funder": {"name": chain[-1] if chain else "", "chain": chain},
        },
        "period": frozen["period"],
        "version": version.number,
        "submitted": {"on": version.submitted_on.isoformat(), "by": version.submitted_by},
        "sign_off": {
            "name": frozen.get("approved_by", ""),
            "role": (frozen.get("extras") or {}).get("signed_off_role", ""),
            "date": frozen.get("signed_on"),
        },
        "reason": version.reason,
        "pdf_sha256": version.pdf_sha256,
        "figures": frozen,
    }


def export_package(
    uow: UnitOfWork, principal: Principal, fund_id: int, period: str, version: int | None = None
) -> bytes:
    """A submitted version of the return (the latest when ``version`` is None) as a package's bytes: the same
    version always makes the same bytes. Anyone who may read the partnership may export it."""
    check_fund(uow, principal, fund_id)
    fund = uow.funds.get(fund_id)
    found = _submitted(uow, principal, fund, period, version)
    pdf = version_pdf(uow, principal, fund_id, period, found.number)
    document = return_document(uow, fund, found)
    problems = schema_problems(document)
    if problems:  # a return frozen in a layout this format does not describe: say so rather than send it
        raise RuleViolation(
            f"version {found.number} of the {fund.code} {found.frozen.get('period')} return cannot be written as a "
            f"package: {'; '.join(problems[:3])}"
        )
    return build_package(document, pdf)


# -- receive --------------------------------------------------------------------------------------------------
def _funder(uow: UnitOfWork, chain: list[str], created: list[str]) -> int | None:
    """The id of the chain's last funder, making any of the chain not known here (under the one above it)."""
    parent: int | None = None
    for name in chain:
        found = uow.funders.first(name=name)
        if found is None:
            found = uow.funders.add(Funder(name=name, parent_id=parent))
            created.append(name)
        parent = found.id
    return parent


def _partnership(uow: UnitOfWork, given: dict[str, Any]) -> tuple[Partnership, bool]:
    found = uow.partnerships.first(name=given["name"])
    if found is not None:
        return found, False
    return uow.partnerships.add(Partnership(name=given["name"], area=given["area"], la_code=given["la_code"])), True


def _refuse_duplicate(uow: UnitOfWork, document: dict[str, Any], package: Package, source: str) -> None:
    fund, name = document["fund"], document["partnership"]["name"]
    what = f"version {document['version']} of the {fund['code']} {document['period']} return of {name}"
    same = uow.received_returns.first(package_sha256=package.sha256)
    partnership = uow.partnerships.first(name=name)
    if same is None and partnership is not None:
        same = uow.received_returns.first(
            partnership_id=partnership.id, fund_code=fund["code"], year=fund["year"], period=document["period"],
            version_number=document["version"],
        )  # fmt: skip
    if same is not None:
        raise PackageRefused(
            source, f"{what} was already received on {same.received_at:%d/%m/%Y %H:%M} by {same.received_by}"
        )


def receive_package(uow: UnitOfWork, principal: Principal, data: bytes, *, source_name: str) -> Received:
    """Check a package and store its return frozen against its partnership (made if new, with any funder of its
    chain not known here). The local operator or a funder's officer receives; an officer only a return whose
    funder is theirs or one their money reaches."""
    if not principal.can_review:
        raise PermissionDenied(
            f"only a funder's officer receives a return package; {principal.username} is a "
            f"{principal.role_label.lower()}"
        )
    try:
        package = read_package(data)
    except PackageRefused as exc:
        raise PackageRefused(f"{source_name}: {exc.member}", exc.reason) from exc
    document = package.document
    _refuse_duplicate(uow, document, package, source_name)
    funders_created: list[str] = []
    funder_id = _funder(uow, document["fund"]["funder"]["chain"], funders_created)
    officer_of = None if principal.local else principal.funder_id
    if officer_of is not None and (funder_id is None or funder_id not in funder_and_below(uow, officer_of)):
        raise PermissionDenied(
            f"{source_name}: this return's funder ({document['fund']['funder']['name'] or 'none'}) is not "
            f"{uow.funders.get(officer_of).name} or a funder its money reaches; nothing was stored"
        )
    partnership, created = _partnership(uow, document["partnership"])
    assert partnership.id is not None
    fund = document["fund"]
    stored = uow.received_returns.add(
        ReceivedReturn(
            partnership_id=partnership.id,
            funder_id=funder_id,
            fund_code=fund["code"],
            fund_name=fund["name"],
            stream=fund["stream"],
            year=fund["year"],
            period=document["period"],
            version_number=document["version"],
            frozen=document,
            pdf_sha256=document["pdf_sha256"],
            package_sha256=package.sha256,
            received_at=uow.clock(),
            received_by=principal.username,
        )
    )
    assert stored.id is not None
    uow.received_returns.store_pdf(stored.id, package.pdf)
    return Received(
        received=stored,
        partnership=partnership.name,
        funder=fund["funder"]["name"],
        partnership_created=created,
        funders_created=tuple(funders_created),
    )
