"""360Giving export: the grants a partnership made to delivery partners, as the open standard's JSON
package and as CSV with the standard's spreadsheet headings.

The project keeps its own model of the fields it exports (it never reads a schema at run time).

Identifiers (the choice, written down):

- Grant ``id``: ``<prefix>-<FUND CODE>-<YYYY-YY>-<line id>``, e.g. ``360G-CSPTRACKER-PLF-2026-27-12``.
  The prefix is configurable; a publisher registers its own ``360G-`` prefix with 360Giving and sets
  it (``GRANTS_360G_PREFIX`` or ``--prefix``). The default ``360G-CSPTRACKER`` marks data from this tool
  whose publisher has not registered one.
- Organisation ids: a recipient's registered charity number (``GB-CHC-<number>``) or company number
  (``GB-COH-<number>``) where the line records one; else a known register identifier (e.g. a local
  authority's ``GB-LAE-...`` code, configurable); otherwise ``<prefix>-ORG-<slug of the name>`` (e.g.
  ``360G-CSPTRACKER-ORG-go-getta``), stable for the same name.
- The funding organisation is the body whose money it is (the fund's funder: the OPCC, the Home Office),
  not the partnership that passes it on; the partnership publishes the file.
- Beneficiary location: the local authority district with its ONS GSS code (e.g. E07000130 Charnwood),
  where the partnership records it, beside the police beat.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from grants.domain.money import plain
from reports.csvfile import csv_document
from reports.text import slug

_encode_string = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring

DEFAULT_PREFIX = "360G-CSPTRACKER"
SCHEMA_VERSION = "1.4"
KNOWN_ORGANISATIONS: Mapping[str, str] = {
    # Local authorities in England register (org-id.guide "GB-LAE"); extend by configuration.
    "Charnwood Borough Council": "GB-LAE-CHA",
}

CSV_HEADINGS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Beneficiary Location:0:Name",
    "Beneficiary Location:0:Geographic Code",
    "Beneficiary Location:0:Geographic Code Type",
    "Beneficiary Location:1:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "From An Open Call?",
    "Last Modified",
]


@dataclass(frozen=True)
class Organisation:
    identifier: str
    name: str
    charity_number: str = ""
    company_number: str = ""


@dataclass(frozen=True)
class District:
    """A local authority district with its ONS GSS code (e.g. E07000130, Charnwood)."""

    code: str
    name: str

    @property
    def code_type(self) -> str:
        """The ONS entity of the code: unitary authority, non-metropolitan or metropolitan district, London
        borough; "LAD" (local authority district) for others."""
        return _GSS_TYPES.get(self.code[:3], "LAD")


_GSS_TYPES = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "W06": "UA", "S12": "CA", "N09": "LGD"}


@dataclass(frozen=True)
class Grant:
    """One grant in 360Giving's terms: a budget line with a delivery partner and an allocation."""

    identifier: str
    title: str
    description: str
    amount_awarded: Decimal
    award_date: date
    recipient: Organisation
    funder: Organisation
    programme_code: str
    programme_title: str
    planned_start: date | None = None
    planned_end: date | None = None
    location: str = ""
    district: District | None = None
    from_open_call: bool = False
    last_modified: datetime | None = None
    currency: str = "GBP"


def organisation_id(
    name: str,
    prefix: str = DEFAULT_PREFIX,
    known: Mapping[str, str] | None = None,
    *,
    charity_number: str = "",
    company_number: str = "",
) -> str:
    """``GB-CHC-<charity number>`` or ``GB-COH-<company number>`` when recorded; else a register identifier if
    known; else ``<prefix>-ORG-<slug>``."""
    if charity_number.strip():
        return f"GB-CHC-{charity_number.strip()}"
    if company_number.strip():
        return f"GB-COH-{company_number.strip().upper()}"
    table = KNOWN_ORGANISATIONS if known is None else known
    for candidate, identifier in table.items():
        if candidate.casefold() == name.strip().casefold():
            return identifier
    return f"{prefix}-ORG-{slug(name)}"


def grant_id(prefix: str, fund_code: str, year: str, line_id: int) -> str:
    return f"{prefix}-{slug(fund_code).upper()}-{year.replace('/', '-')}-{line_id}"


def _timestamp(moment: datetime) -> str:
    text = moment.isoformat(timespec="seconds")
    return text if moment.tzinfo is not None else text + "Z"


def _number(amount: Decimal) -> int | float:
    """A JSON number for an exact amount: an int for whole pounds, else the float whose shortest repr is it."""
    return int(amount) if amount == amount.to_integral_value() else float(plain(amount))


def grant_json(grant: Grant) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": grant.identifier,
        "title": grant.title,
        "description": grant.description,
        "currency": grant.currency,
        "amountAwarded": _number(grant.amount_awarded),
        "awardDate": grant.award_date.isoformat(),
    }
    dates: dict[str, str] = {}
    if grant.planned_start is not None:
        dates["startDate"] = grant.planned_start.isoformat()
    if grant.planned_end is not None:
        dates["endDate"] = grant.planned_end.isoformat()
    if dates:
        data["plannedDates"] = [dates]
    data["recipientOrganization"] = [_organisation(grant.recipient)]
    locations: list[dict[str, str]] = []
    if grant.district is not None:
        locations.append(
            {
                "name": grant.district.name,
                "geoCode": grant.district.code,
                "geoCodeType": grant.district.code_type,
                "countryCode": "GB",
            }
        )
    if grant.location:
        locations.append({"name": grant.location, "countryCode": "GB"})
    if locations:
        data["beneficiaryLocation"] = locations
    data["fundingOrganization"] = [{"id": grant.funder.identifier, "name": grant.funder.name}]
    data["grantProgramme"] = [{"code": grant.programme_code, "title": grant.programme_title}]
    data["fromOpenCall"] = "Yes" if grant.from_open_call else "No"
    if grant.last_modified is not None:
        data["dateModified"] = _timestamp(grant.last_modified)
    return data


def _organisation(organisation: Organisation) -> dict[str, str]:
    data = {"id": organisation.identifier, "name": organisation.name}
    if organisation.charity_number:
        data["charityNumber"] = organisation.charity_number
    if organisation.company_number:
        data["companyNumber"] = organisation.company_number
    return data


def package_json(
    grants: Sequence[Grant],
    *,
    publisher: Organisation,
    issued: datetime,
    title: str,
    prefix: str = DEFAULT_PREFIX,
) -> dict[str, Any]:
    """The 360Giving package ``{"grants": [...], ...}`` with its metadata."""
    return {
        "version": SCHEMA_VERSION,
        "title": title,
        "description": "Grants made by the partnership to delivery partners, exported by the CSP funding tracker.",
        "identifier": f"{prefix}-{slug(publisher.name)}-{issued:%Y%m%d}",
        "issued": issued.date().isoformat(),
        "modified": _timestamp(issued),
        "publisher": {"identifier": publisher.identifier, "name": publisher.name},
        "grants": [grant_json(grant) for grant in grants],
    }


def dumps_indented(value: Any, indent: int = 2) -> str:
    """Exactly ``json.dumps(value, indent=indent, ensure_ascii=False)``, several times faster.

    The standard library writes indented JSON with its pure-Python encoder (its C encoder cannot
    indent), which takes seconds for a county's 24,000 grants. This walks the same dicts, lists and
    scalars, encoding strings with the C string encoder and numbers as ``json`` does.
    """
    out: list[str] = []
    _dump(value, 0, " " * indent, out)
    return "".join(out)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return json.dumps(value)  # repr, or NaN / Infinity as the json module writes them
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _dump(value: Any, level: int, step: str, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + step * (level + 1)
        out.append("{")
        first = True
        for key, item in value.items():
            if not isinstance(key, str):  # json.dumps coerces keys; keep its behaviour for anything unusual
                key = json.loads(json.dumps({key: None}))
                key = next(iter(key))
            out.append(inner if first else "," + inner)
            first = False
            out.append(_encode_string(key))
            out.append(": ")
            if isinstance(item, dict | list | tuple):
                _dump(item, level + 1, step, out)
            else:
                out.append(_scalar(item))
        out.append("\n" + step * level + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = "\n" + step * (level + 1)
        out.append("[")
        first = True
        for item in value:
            out.append(inner if first else "," + inner)
            first = False
            if isinstance(item, dict | list | tuple):
                _dump(item, level + 1, step, out)
            else:
                out.append(_scalar(item))
        out.append("\n" + step * level + "]")
    else:
        out.append(_scalar(value))


def grants_csv(grants: Sequence[Grant], *, notice: str = "") -> str:
    """The grants under the standard's spreadsheet headings; amounts as plain decimals; ``notice`` (the demo
    mark) in a last column."""
    rows = (
        [
            grant.identifier,
            grant.title,
            grant.description,
            grant.currency,
            plain(grant.amount_awarded),
            grant.award_date.isoformat(),
            grant.planned_start.isoformat() if grant.planned_start else "",
            grant.planned_end.isoformat() if grant.planned_end else "",
            grant.recipient.identifier,
            grant.recipient.name,
            grant.district.name if grant.district else "",
            grant.district.code if grant.district else "",
            grant.district.code_type if grant.district else "",
            grant.location,
            grant.funder.identifier,
            grant.funder.name,
            grant.programme_code,
            grant.programme_title,
            "Yes" if grant.from_open_call else "No",
            _timestamp(grant.last_modified) if grant.last_modified else "",
        ]
        for grant in grants
    )
    return csv_document(CSV_HEADINGS, rows, notice=notice)
