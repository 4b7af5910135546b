"""360Giving a funder can publish: validated against the bundled schema before it is written, the money's
own funder as funding organisation, registered numbers as recipient identifiers, the district's GSS code."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import reports.giving360
from grants.domain.errors import RuleViolation
from grants.services.access import local_operator
from grants.services.allocations import update_line
from grants.services.demo import PARTNERSHIP
from grants.services.partnerships import set_local_authority
from grants.services.reporting import ReportError
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from reports.giving360_schema import package_problems
from tests.support.ops import export_360giving

ROOT = Path(__file__).resolve().parents[2]
MOMENT = datetime(2026, 11, 29, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def _line_id(database: Database, description: str) -> int:
    with UnitOfWork(database) as uow:
        (line,) = [line for line in uow.lines.find() if line.description == description]
    assert line.id is not None
    return line.id


def _grants(database: Database) -> dict[str, dict[str, Any]]:
    document = json.loads(export_360giving(database, "json", partnership=PARTNERSHIP, generated_at=MOMENT))
    assert package_problems(document) == []
    return {grant["title"]: grant for grant in document["grants"]}


def test_the_funding_organisation_is_the_body_whose_money_it_is(demo_database: Database) -> None:
    grants = _grants(demo_database)
    plf = grants["Youth diversion sessions"]
    assert plf["fundingOrganization"][0]["name"] == "Office of the Police and Crime Commissioner"
    lighting = grants["Street lighting improvements"]
    assert lighting["fundingOrganization"][0]["name"] == "Home Office", "the Safer Streets demo fund's funder"
    assert "funded by Home Office through " + PARTNERSHIP in lighting["description"]


def test_recorded_charity_and_company_numbers_become_the_recipient_identifiers(demo_database: Database) -> None:
    operator = local_operator("test")
    with UnitOfWork(demo_database, actor="test") as uow:
        update_line(uow, operator, _line_id(demo_database, "Youth diversion sessions"), None, charity_number="1123456")
        update_line(
            uow,
            operator,
            _line_id(demo_database, "Street Pastors, night-time economy"),
            None,
            company_number="05123456",
        )
        uow.commit()
    grants = _grants(demo_database)
    assert grants["Youth diversion sessions"]["recipientOrganization"] == [
        {"id": "GB-CHC-1123456", "name": "Go-Getta", "charityNumber": "1123456"}
    ]
    pastors = grants["Street Pastors, night-time economy"]["recipientOrganization"][0]
    assert (pastors["id"], pastors["companyNumber"]) == ("GB-COH-05123456", "05123456")
    with UnitOfWork(demo_database, actor="test") as uow:
        update_line(
            uow, operator, _line_id(demo_database, "Street lighting improvements"), None, charity_number="7654321"
        )
        uow.commit()
    council = {
        grant["recipientOrganization"][0]["id"]
        for grant in _grants(demo_database).values()
        if grant["recipientOrganization"][0]["name"] == "Charnwood Borough Council"
    }
    assert council == {"GB-CHC-7654321"}, "one identifier for a recipient throughout the file"
    with UnitOfWork(demo_database, actor="test") as uow, pytest.raises(ValueError, match="charity_number"):
        update_line(uow, operator, _line_id(demo_database, "Youth diversion sessions"), None, charity_number="x1")


def test_the_location_carries_the_districts_gss_code_beside_the_beat(demo_database: Database) -> None:
    grants = _grants(demo_database)
    assert grants["Youth diversion sessions"]["beneficiaryLocation"] == [
        {"name": "Charnwood", "geoCode": "E07000130", "geoCodeType": "NMD", "countryCode": "GB"},
        {"name": "NL62", "countryCode": "GB"},
    ]
    text = export_360giving(demo_database, "csv", partnership=PARTNERSHIP, generated_at=MOMENT).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["Title"] == "Youth diversion sessions")
    assert (row["Beneficiary Location:0:Geographic Code"], row["Beneficiary Location:1:Name"]) == ("E07000130", "NL62")
    with UnitOfWork(demo_database, actor="test") as uow:
        partnership = uow.partnerships.first(name=PARTNERSHIP)
        assert partnership is not None and partnership.id is not None
        with pytest.raises(RuleViolation, match="GSS"):
            set_local_authority(uow, local_operator("test"), partnership.id, code="Charnwood", name="Charnwood")


def test_an_invalid_grant_is_refused_naming_the_grant_and_the_field(
    demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = reports.giving360.grant_json

    def broken(grant: Any) -> dict[str, Any]:
        data = real(grant)
        if grant.title == "Youth diversion sessions":
            data["awardDate"] = "21/04/2026"
            del data["recipientOrganization"]
        return data

    monkeypatch.setattr(reports.giving360, "grant_json", broken)
    monkeypatch.setattr("grants.services.giving_export.grant_json", broken)
    for fmt in ("json", "csv"):
        with pytest.raises(ReportError) as refused:
            export_360giving(demo_database, fmt, partnership=PARTNERSHIP, generated_at=MOMENT)
        said = str(refused.value)
        assert "does not validate" in said and "nothing was written" in said
        assert "(Youth diversion sessions): field 'awardDate'" in said
        assert "field 'recipientOrganization'" in said


def test_the_command_writes_a_valid_file_and_sets_the_district(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    env = {**os.environ, "GRANTS_DATABASE_URL": f"sqlite:///{db}"}

    def grants(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "grants", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )

    table = tmp_path / "plf.csv"
    table.write_text("Description,Amount Allocated,Delivery Partner\nMediation,5000,Turning Point\n", encoding="utf-8")
    fund = ["--partnership", "Testshire CSP", "--fund", "PLF", "--year", "2024/25"]
    for command in (
        ["init"],
        ["import", "budget", str(table), *fund, "--as-at", "2024-05-01"],
        ["line", "edit", *fund, "--line", "Mediation", "--charity-number", "234887"],
        ["users", "add", "sam", "--role", "strategic_group", "--partnership", "Testshire CSP", "--no-password"],
        ["--user", "sam", "approval", "approve", *fund, "--line", "Mediation", "--on", "2024-05-10"],
        ["partnership", "set", "--partnership", "Testshire CSP", "--la-code", "E07000130", "--la-name", "Charnwood"],
        ["export", "360giving", "--partnership", "Testshire CSP", "--out", str(tmp_path / "g.json")],
    ):
        done = grants(*command)
        assert done.returncode == 0, (command, done.stderr)
    refused = grants("partnership", "set", "--partnership", "Testshire CSP", "--la-code", "E7", "--la-name", "X")
    assert refused.returncode == 2 and "GSS" in refused.stderr
    document = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert package_problems(document) == []
    (grant,) = document["grants"]
    assert grant["recipientOrganization"][0]["id"] == "GB-CHC-234887"
    assert grant["fundingOrganization"][0]["name"] == "Office of the Police and Crime Commissioner"
    assert grant["beneficiaryLocation"][0]["geoCode"] == "E07000130"


def test_a_duplicated_grant_and_a_bad_field_are_each_named_by_the_package_check(demo_database: Database) -> None:
    document = json.loads(export_360giving(demo_database, "json", partnership=PARTNERSHIP, generated_at=MOMENT))
    assert package_problems(document) == []
    first = document["grants"][0]
    broken = {**first, "id": first["id"] + "-b", "awardDate": "the 5th of May"}
    document["grants"] = [*document["grants"], first, broken]
    found = [(p.grant, p.field) for p in package_problems(document)]
    assert (f"grant {first['id']} ({first['title']})", "(the grant)") in found  # uniqueItems, in linear time
    assert (f"grant {broken['id']} ({broken['title']})", "awardDate") in found  # named by the reference validator
    assert len(found) == 2
