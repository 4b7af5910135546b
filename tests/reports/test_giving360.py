"""360Giving export: a package that validates against the standard's schema, and the CSV headings."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from grants.services.demo import PARTNERSHIP as DEMO
from grants.services.giving_export import giving_grants
from grants.services.reporting import ReportError
from grants.storage.database import Database
from reports.giving360 import CSV_HEADINGS, DEFAULT_PREFIX, organisation_id
from tests.reports.conftest import FISH, PARTNERSHIP, BuiltLedger
from tests.support.ops import export_360giving

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "reports" / "schema" / "360giving"
GRANT_SCHEMA_URLS = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
)
MOMENT = datetime(2026, 4, 2, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def _validator() -> Any:
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package = json.loads((SCHEMA_DIR / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    grant = DRAFT202012.create_resource(json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text("utf-8")))
    registry: Registry = Registry().with_resources((url, grant) for url in GRANT_SCHEMA_URLS)
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


def _errors(document: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(document)]


def test_the_json_package_validates_against_the_standard(ledger: BuiltLedger) -> None:
    document = json.loads(export_360giving(ledger.database, "json", partnership=PARTNERSHIP, generated_at=MOMENT))
    assert _errors(document) == []
    grants = {g["title"]: g for g in document["grants"]}
    assert "Contingency" not in grants  # no delivery partner: not a grant
    youth = grants["Youth outreach"]
    assert youth["id"] == f"{DEFAULT_PREFIX}-TF-2025-26-{ledger.line_ids['youth']}"
    assert youth["amountAwarded"] == 20000 and youth["currency"] == "GBP"
    assert youth["awardDate"] == "2025-04-20"
    assert youth["recipientOrganization"] == [{"id": f"{DEFAULT_PREFIX}-ORG-go-getta", "name": "Go-Getta"}]
    assert youth["fundingOrganization"][0]["name"] == PARTNERSHIP
    assert youth["beneficiaryLocation"] == [{"name": "NL62", "countryCode": "GB"}]
    assert grants["+44 helpline"]["amountAwarded"] == 7500.5
    assert grants["Chip shop ASB patrols"]["recipientOrganization"][0]["name"] == FISH
    assert document["publisher"]["name"] == PARTNERSHIP


def test_the_demo_export_validates_and_names_people_zone_grants_as_open_calls(demo_database: Database) -> None:
    document = json.loads(export_360giving(demo_database, "json", generated_at=MOMENT))
    assert _errors(document) == []
    by_recipient = {g["recipientOrganization"][0]["name"]: g for g in document["grants"]}
    assert by_recipient["MTC Gardening Group"]["fromOpenCall"] == "Yes"
    assert by_recipient["Go-Getta"]["fromOpenCall"] == "No"
    assert by_recipient["Charnwood Borough Council"]["recipientOrganization"][0]["id"] == "GB-LAE-CHA"
    assert all(g["id"].startswith("360G-CSPTRACKER-") for g in document["grants"])
    assert len({g["id"] for g in document["grants"]}) == len(document["grants"])
    assert document["publisher"]["name"] == DEMO


def test_the_schema_check_catches_a_broken_grant(ledger: BuiltLedger) -> None:
    document = json.loads(export_360giving(ledger.database, "json", generated_at=MOMENT))
    document["grants"][0]["awardDate"] = "20/04/2025"
    del document["grants"][1]["recipientOrganization"]
    assert len(_errors(document)) >= 2


def test_the_csv_uses_the_standards_headings_and_guards_formulas(ledger: BuiltLedger) -> None:
    text = export_360giving(ledger.database, "csv", generated_at=MOMENT).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == CSV_HEADINGS
    assert CSV_HEADINGS[:6] == ["Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date"]
    by_title = {row["Title"]: row for row in rows}
    assert by_title["Youth outreach"]["Amount Awarded"] == "20000.00"
    assert by_title["Youth outreach"]["Recipient Org:Name"] == "Go-Getta"
    assert by_title["'=SUM(A1:A9)"]["Recipient Org:Name"] == '\'=HYPERLINK("x")'
    assert by_title["'+44 helpline"]["Amount Awarded"] == "7500.50"
    assert by_title["Chip shop ASB patrols"]["Recipient Org:Name"] == FISH


def test_the_prefix_is_configurable_and_checked(ledger: BuiltLedger, monkeypatch: pytest.MonkeyPatch) -> None:
    grants, _ = giving_grants(ledger.database, prefix="360G-testshire", generated_at=MOMENT)
    assert all(g.identifier.startswith("360G-testshire-TF-2025-26-") for g in grants)
    monkeypatch.setenv("GRANTS_360G_PREFIX", "360G-fromenv")
    grants, _ = giving_grants(ledger.database, generated_at=MOMENT)
    assert grants[0].recipient.identifier.startswith("360G-fromenv-ORG-")
    with pytest.raises(ReportError, match="360G-"):
        giving_grants(ledger.database, prefix="GB-XYZ", generated_at=MOMENT)


def test_organisation_ids_are_stable_slugs_unless_known() -> None:
    assert organisation_id(FISH) == "360G-CSPTRACKER-ORG-fish-and-chips-ltd"
    assert organisation_id("charnwood borough council") == "GB-LAE-CHA"
    assert organisation_id("Charnwood Borough Council", known={}) == "360G-CSPTRACKER-ORG-charnwood-borough-council"


def test_only_approved_lines_are_published_dated_by_their_approval(demo_database: Database) -> None:
    from sqlalchemy import select, update

    from grants.storage.tables import BudgetLineRow

    granted = (BudgetLineRow.delivery_partner != "") & (BudgetLineRow.allocated > 0)
    with demo_database.engine.begin() as connection:
        first = connection.execute(select(BudgetLineRow.id).where(granted).order_by(BudgetLineRow.id)).scalar()
        connection.execute(update(BudgetLineRow).where(BudgetLineRow.id == first).values(approved_on=None))
        lines = connection.execute(select(BudgetLineRow.id, BudgetLineRow.approved_on).where(granted)).all()
    approved = {line_id: on for line_id, on in lines if on is not None}
    unapproved = [line_id for line_id, on in lines if on is None]
    assert approved and unapproved
    left_out: list[str] = []
    grants, _ = giving_grants(demo_database, generated_at=MOMENT, left_out=left_out)
    published = {int(g.identifier.rsplit("-", 1)[1]): g.award_date for g in grants}
    assert published == approved
    assert len(left_out) == len(unapproved)
    assert all(entry.endswith("(not approved)") for entry in left_out)
