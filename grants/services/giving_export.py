"""The 360Giving export: the grants made to delivery partners (approved budget lines), and their funders, as
a package validated against the bundled 360Giving schema (JSON) or the standard's CSV headings.

Only what the Strategic Group decided is published: an unapproved line is left out (and named, when the caller
asks). Each grant's description names the money's whole route (funded by the Home Office through the OPCC and
the partnership); the funding organisation is the fund's funder, or the partnership where none is recorded.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from grants.domain.errors import NotFound, PermissionDenied
from grants.domain.money import from_pence
from grants.services.access import Principal, require_read, visible_partnerships
from grants.services.funding_chain import funder_chain
from grants.services.installation import is_demo_in
from grants.services.ledger import find_partnership
from grants.services.reporting import ReportError, now_london
from grants.storage.database import Database
from grants.storage.tables import ApplicationRow, BudgetLineRow, FundRow, PartnershipRow
from grants.storage.unit_of_work import UnitOfWork
from reports.giving360 import (
    DEFAULT_PREFIX,
    KNOWN_ORGANISATIONS,
    District,
    Grant,
    Organisation,
    dumps_indented,
    grant_id,
    grant_json,
    grants_csv,
    organisation_id,
    package_json,
)
from reports.giving360_schema import grant_problems, package_problems, refusal
from reports.text import DEMO_MARK

PREFIX_SETTING = "GRANTS_360G_PREFIX"


def configured_prefix(prefix: str | None = None) -> str:
    """The 360Giving prefix: the argument, else ``GRANTS_360G_PREFIX``, else ``360G-CSPTRACKER``."""
    chosen = (prefix or os.environ.get(PREFIX_SETTING) or DEFAULT_PREFIX).strip().rstrip("-")
    if not chosen.upper().startswith("360G-"):
        raise ReportError(f"a 360Giving prefix starts with '360G-' (got {chosen!r})")
    return chosen


def giving_grants(
    database: Database,
    *,
    partnership: str | None = None,
    prefix: str | None = None,
    generated_at: datetime | None = None,
    known_organisations: Mapping[str, str] | None = None,
    left_out: list[str] | None = None,
) -> tuple[list[Grant], list[Organisation]]:
    """The grants made to delivery partners (approved lines with a partner and an allocation), and their funders.

    Only what was decided is published: a line without an approval is left out (and named in
    ``left_out``, when given); a grant's award date is its approval's date.

    Funds in the order of ``fund_summaries`` (partnership, year, code), each fund's lines in entry order.
    Three queries in all (funds, lines, applications), whatever the number of funds: no per-fund reads.
    """
    chosen = configured_prefix(prefix)
    known = dict(KNOWN_ORGANISATIONS if known_organisations is None else known_organisations)
    moment = generated_at or now_london()
    grants: list[Grant] = []
    funders: dict[str, Organisation] = {}
    chains: dict[int | None, tuple[str, ...]] = {}
    publishers: dict[str, Organisation] = {}
    recipients: dict[str, Organisation] = {}
    with UnitOfWork(database, actor="reports") as uow:
        if partnership:
            find_partnership(uow, partnership)
        ordered = select(FundRow.id, PartnershipRow.name, PartnershipRow.la_code, PartnershipRow.la_name).join(
            PartnershipRow, FundRow.partnership_id == PartnershipRow.id
        )
        if partnership:
            ordered = ordered.where(PartnershipRow.name == partnership)
        rows = uow.session.execute(ordered.order_by(PartnershipRow.name, FundRow.year, FundRow.code)).all()
        fund_ids = [row[0] for row in rows]
        funds = {fund.id: fund for fund in uow.funds.find(id=fund_ids)} if fund_ids else {}
        funder_names = {funder.id: funder.name for funder in uow.funders.find()}
        by_fund: dict[int, list[Any]] = defaultdict(list)
        if fund_ids:
            for line in uow.session.execute(
                select(
                    BudgetLineRow.id,
                    BudgetLineRow.fund_id,
                    BudgetLineRow.description,
                    BudgetLineRow.delivery_partner,
                    BudgetLineRow.strategic_priority,
                    BudgetLineRow.theme,
                    BudgetLineRow.area,
                    BudgetLineRow.allocated,
                    BudgetLineRow.approved_by,
                    BudgetLineRow.approved_on,
                    BudgetLineRow.starts,
                    BudgetLineRow.ends,
                    BudgetLineRow.charity_number,
                    BudgetLineRow.company_number,
                )
                .where(BudgetLineRow.fund_id.in_(fund_ids))
                .order_by(BudgetLineRow.id)
            ):
                by_fund[line.fund_id].append(line)
        open_call = set(
            uow.session.execute(select(ApplicationRow.line_id).where(ApplicationRow.line_id.is_not(None))).scalars()
        )
    registered = _registered_numbers(line for lines in by_fund.values() for line in lines)
    for fund_id, partnership_name, la_code, la_name in rows:
        fund = funds[fund_id]
        publishers.setdefault(
            partnership_name, Organisation(organisation_id(partnership_name, chosen, known), partnership_name)
        )
        # The body whose money it is: the fund's funder (OPCC, Home Office); the partnership where none is recorded.
        funder_name = funder_names.get(fund.funder_id) or partnership_name
        funder = funders.setdefault(funder_name, Organisation(organisation_id(funder_name, chosen, known), funder_name))
        district = District(la_code, la_name or partnership_name) if la_code else None
        if fund.funder_id not in chains:  # once a funder (setdefault would walk the chain for every fund)
            chains[fund.funder_id] = funder_chain(uow, fund.funder_id)
        chain = chains[fund.funder_id]
        # "funded by the Home Office through Leicestershire OPCC and Charnwood CSP": the money's whole route
        route = (
            f"funded by {chain[0]} through {' and '.join([*chain[1:], partnership_name])}"
            if chain
            else (f"funded by {partnership_name}")
        )
        for line in by_fund.get(fund_id, ()):
            partner = line.delivery_partner.strip()
            allocated = from_pence(int(line.allocated))
            if not partner or allocated <= 0:
                continue
            if line.approved_on is None or not line.approved_by.strip():
                if left_out is not None:
                    left_out.append(f"{partnership_name} {fund.code} {fund.year}: {line.description} (not approved)")
                continue
            details = [f"Delivered by {partner}"]
            if line.strategic_priority:
                details.append(f"strategic priority {line.strategic_priority}")
            if line.theme:
                details.append(f"theme {line.theme}")
            recipient = recipients.get(partner)
            if recipient is None:
                numbers = registered.get(partner, {})
                recipient = recipients[partner] = Organisation(
                    organisation_id(partner, chosen, known, **numbers), partner, **numbers
                )
            grants.append(
                Grant(
                    identifier=grant_id(chosen, fund.code, fund.year, line.id),
                    title=line.description,
                    description=f"{line.description}. " + "; ".join(details) + f". {fund.name} {fund.year}, {route}.",
                    amount_awarded=allocated,
                    award_date=line.approved_on,
                    recipient=recipient,
                    funder=funder,
                    programme_code=f"{fund.code} {fund.year}",
                    programme_title=fund.name,
                    planned_start=line.starts or fund.starts,
                    planned_end=line.ends or fund.ends,
                    location=line.area,
                    district=district,
                    from_open_call=line.id in open_call,
                    last_modified=moment,
                )
            )
    return grants, list(publishers.values())


def _registered_numbers(lines: Iterable[Any]) -> dict[str, dict[str, str]]:
    """Each delivery partner's charity and company number, the first recorded on any of its lines: one
    identifier for a recipient throughout the file."""
    numbers: dict[str, dict[str, str]] = {}
    for line in lines:
        found = numbers.setdefault(line.delivery_partner.strip(), {"charity_number": "", "company_number": ""})
        for name in ("charity_number", "company_number"):
            if not found[name] and getattr(line, name):
                found[name] = str(getattr(line, name)).strip()
    return numbers


def export_360giving(
    uow: UnitOfWork,
    principal: Principal,
    fmt: str,
    *,
    partnership_id: int | None = None,
    prefix: str | None = None,
    generated_at: datetime | None = None,
    known_organisations: Mapping[str, str] | None = None,
    left_out: list[str] | None = None,
) -> bytes:
    """The 360Giving package as JSON, or the grants as CSV with the standard's headings (approved lines only;
    the others are named in ``left_out``, when given).

    Everyone may export their own partnership; only a principal who sees every partnership may export all.
    """
    partnership = None
    if partnership_id is not None:
        require_read(principal, partnership_id)
        partnership = uow.partnerships.get(partnership_id).name
    elif visible_partnerships(principal) is not None:
        raise PermissionDenied("choose one of your partnerships to export")
    moment = generated_at or now_london()
    grants, funders = giving_grants(
        uow.database,
        partnership=partnership,
        prefix=prefix,
        generated_at=moment,
        known_organisations=known_organisations,
        left_out=left_out,
    )
    demo = is_demo_in(uow)
    if fmt == "csv":
        problems = grant_problems(grant_json(grant) for grant in grants)
        if problems:
            raise ReportError(refusal(problems))
        return grants_csv(grants, notice=DEMO_MARK if demo else "").encode("utf-8-sig")
    if fmt != "json":
        raise ReportError(f"unknown export format {fmt!r} (json or csv)")
    if not grants:
        raise NotFound("no approved grants to delivery partners to export (a 360Giving package needs at least one)")
    chosen = configured_prefix(prefix)
    if len(funders) == 1:
        publisher, title = funders[0], f"Grants made through {funders[0].name}"
    else:
        tool = "CSP funding tracker"
        publisher = Organisation(organisation_id(tool, chosen, {}), tool)
        title = "Grants made by community safety partnerships"
    if demo:
        title = f"{DEMO_MARK}. {title}"
    package = package_json(grants, publisher=publisher, issued=moment, title=title, prefix=chosen)
    problems = package_problems(package)
    if problems:
        raise ReportError(refusal(problems))
    return (dumps_indented(package) + "\n").encode("utf-8")
