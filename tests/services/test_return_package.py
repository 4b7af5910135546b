"""Return packages: a submitted return exported from the partnership's database and received in the funder's,
and every way a package is refused with nothing changed."""

from __future__ import annotations

import io
import json
import shutil
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from grants.domain.errors import NotFound, PermissionDenied, RuleViolation
from grants.domain.models import Funder, Partnership
from grants.services import lookup, return_workflow, returns, usecase, users
from grants.services.access import Principal, local_operator
from grants.services.demo import PARTNERSHIP
from grants.services.package_format import (
    MANIFEST,
    RETURN_JSON,
    RETURN_PDF,
    SCHEMA_PATH,
    PackageRefused,
    canonical_json,
    manifest_of,
    read_package,
    sha256,
    write_zip,
)
from grants.services.received_returns import county_rows, received_pdf, received_summaries, review_received
from grants.services.return_package import export_package, receive_package
from grants.storage import tables
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.support.sent_returns import submitted_demo

OPCC = "Office of the Police and Crime Commissioner"
LOCAL = local_operator()
COUNTED = (
    tables.ReceivedReturnRow, tables.PartnershipRow, tables.FunderRow, tables.AuditEventRow, tables.UserRow,
)  # fmt: skip


@pytest.fixture(scope="module")
def _sent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return submitted_demo(tmp_path_factory.mktemp("sent") / "charnwood.db", amended=True)


@pytest.fixture
def charnwood(tmp_path: Path, _sent: Path) -> Iterator[Database]:
    """The partnership's installation: the demo with its H1 return submitted (version 1) and amended (2)."""
    path = tmp_path / "charnwood.db"
    shutil.copyfile(_sent, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def opcc(database: Database) -> Database:
    """The funder's installation: a fresh, empty database."""
    return database


def _fund_id(database: Database) -> int:
    found: int = usecase.read(database, LOCAL, lookup.fund_id, PARTNERSHIP, "PLF", "2026/27")
    return found


def _export(database: Database, version: int | None = None) -> bytes:
    data: bytes = usecase.read(database, LOCAL, export_package, _fund_id(database), "H1", version)
    return data


def _counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {
            row.__tablename__: int(connection.scalar(select(func.count()).select_from(row)) or 0) for row in COUNTED
        }


def _refused(database: Database, data: bytes, who: Principal = LOCAL) -> str:
    """The refusal's message, after checking nothing in the database changed."""
    before = _counts(database)
    with pytest.raises((PackageRefused, PermissionDenied)) as refusal:
        usecase.perform(database, who, receive_package, data, source_name="charnwood.zip")
    assert _counts(database) == before
    return str(refusal.value)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _repackaged(document: dict[str, object], pdf: bytes) -> bytes:
    """A package made over an edited return.json with a manifest recomputed to match it."""
    body = canonical_json(document)
    return write_zip([(RETURN_JSON, body), (RETURN_PDF, pdf), (MANIFEST, canonical_json(manifest_of(body, pdf)))])


# -- export ---------------------------------------------------------------------------------------------------
def test_an_export_is_the_same_bytes_every_time_and_carries_the_pdf_as_sent(charnwood: Database) -> None:
    first, again = _export(charnwood, 1), _export(charnwood, 1)
    assert first == again
    members = _members(first)
    assert list(members) == [RETURN_JSON, RETURN_PDF, MANIFEST]
    sent = usecase.read(charnwood, LOCAL, returns.version_pdf, _fund_id(charnwood), "H1", 1)
    assert members[RETURN_PDF] == sent
    versions = usecase.read(charnwood, LOCAL, return_workflow.versions, _fund_id(charnwood), "H1")
    assert sha256(members[RETURN_PDF]) == versions[0].pdf_sha256
    manifest = json.loads(members[MANIFEST])
    assert manifest["files"] == [
        {"name": RETURN_JSON, "size": len(members[RETURN_JSON]), "sha256": sha256(members[RETURN_JSON])},
        {"name": RETURN_PDF, "size": len(sent), "sha256": versions[0].pdf_sha256},
    ]
    document = json.loads(members[RETURN_JSON])
    assert document["figures"] == versions[0].frozen  # exactly as stored
    assert document["figures"]["spent_to_date"] == "35050.00"  # money as a plain decimal string
    assert document["partnership"] == {"name": PARTNERSHIP, "area": "", "la_code": "E07000130"}
    assert document["fund"]["funder"] == {"name": OPCC, "chain": [OPCC]}
    assert document["sign_off"] == {"name": "Strategic Group member (demo)", "role": "Strategic Group member",
                                    "date": "2026-10-29"}  # fmt: skip
    assert (document["version"], document["submitted"]["on"]) == (1, "2026-10-30")
    latest = json.loads(_members(_export(charnwood))[RETURN_JSON])
    assert (latest["version"], latest["reason"]) == (2, "The OPCC asked for the outcomes.")
    assert [step["comment"] for step in latest["figures"]["extras"]["history"]] == ["", "Please add the outcomes."]


def test_a_return_never_submitted_is_not_exported(charnwood: Database) -> None:
    with pytest.raises(RuleViolation, match="has not been submitted"):
        usecase.read(charnwood, LOCAL, export_package, _fund_id(charnwood), "H2")
    with pytest.raises(NotFound, match="no version 3"):
        _export(charnwood, 3)


# -- receive --------------------------------------------------------------------------------------------------
def test_a_return_exported_from_one_database_is_received_by_another(charnwood: Database, opcc: Database) -> None:
    data = _export(charnwood, 1)
    done = usecase.perform(opcc, LOCAL, receive_package, data, source_name="charnwood.zip")
    assert (done.partnership_created, done.funders_created) == (True, (OPCC,))
    with UnitOfWork(opcc) as uow:
        made = uow.partnerships.first(name=PARTNERSHIP)
        assert made is not None and made.la_code == "E07000130"
        assert uow.audit.events("partnerships")[0].action == "create"
        assert uow.audit.events("received_returns")[0].after["pdf_sha256"] == done.received.pdf_sha256
    [row] = usecase.read(opcc, LOCAL, received_summaries, year="2026/27")
    assert (row.partnership, row.fund_code, row.period, row.version, row.funder) == (
        PARTNERSHIP, "PLF", "2026/27 H1", 1, OPCC,
    )  # fmt: skip
    assert (row.funding, row.received, row.allocated, row.spent) == (
        Decimal("80000.00"), Decimal("40000.00"), Decimal("75000.00"), Decimal("35050.00"),
    )  # fmt: skip
    assert (row.projects, row.red_lines, row.open_errors, row.review) == (8, 1, 0, "")
    [county] = county_rows([row])
    assert (county.partnership, county.stream, county.funder, county.source) == (
        PARTNERSHIP, "PLF", OPCC, "received package (H1 version 1)",
    )  # fmt: skip
    assert (county.funding, county.spent, county.open_errors) == (Decimal("80000.00"), Decimal("35050.00"), 0)
    assert [(r.period, r.state, r.version) for r in county.returns] == [("H1", "submitted", 1)]
    sent = usecase.read(charnwood, LOCAL, returns.version_pdf, _fund_id(charnwood), "H1", 1)
    assert usecase.read(opcc, LOCAL, received_pdf, row.id) == sent
    assert usecase.read(opcc, LOCAL, received_summaries, year="2025/26") == []


def test_the_county_view_shows_the_latest_version_received(charnwood: Database, opcc: Database) -> None:
    usecase.perform(opcc, LOCAL, receive_package, _export(charnwood, 1), source_name="v1.zip")
    usecase.perform(opcc, LOCAL, receive_package, _export(charnwood, 2), source_name="v2.zip")
    [row] = usecase.read(opcc, LOCAL, received_summaries, year="2026/27")
    assert row.version == 2


def test_the_same_version_received_twice_is_refused(charnwood: Database, opcc: Database) -> None:
    data = _export(charnwood, 1)
    usecase.perform(opcc, LOCAL, receive_package, data, source_name="charnwood.zip")
    assert "version 1 of the PLF 2026/27 H1 return" in _refused(opcc, data)
    assert "already received" in _refused(opcc, data)


def test_every_changed_byte_is_refused(charnwood: Database, opcc: Database) -> None:
    data = _export(charnwood, 1)
    for at in range(len(data)):
        for flip in (0xFF, 0x01):
            changed = bytearray(data)
            changed[at] ^= flip
            with pytest.raises(PackageRefused):
                read_package(bytes(changed))
    middle = bytearray(data)
    middle[len(data) // 2] ^= 0x20
    assert "charnwood.zip" in _refused(opcc, bytes(middle))
    assert usecase.read(opcc, LOCAL, received_summaries, year="2026/27") == []


def test_a_changed_header_byte_is_refused_as_an_altered_zip(charnwood: Database, opcc: Database) -> None:
    data = bytearray(_export(charnwood, 1))
    data[10] ^= 0x01  # the first member's modification time: no checksum covers it
    assert "ZIP structure differs" in _refused(opcc, bytes(data))


@pytest.mark.parametrize(
    ("members", "named", "reason"),
    [
        ([RETURN_JSON, MANIFEST], RETURN_PDF, "is missing"),
        ([RETURN_JSON, RETURN_PDF, MANIFEST, "notes.txt"], "notes.txt", "is not part of a return package"),
        ([RETURN_JSON, RETURN_PDF, MANIFEST, "extra/"], "extra/", "is a folder"),
    ],
)
def test_a_missing_or_extra_member_is_refused(
    charnwood: Database, opcc: Database, members: list[str], named: str, reason: str
) -> None:
    original = _members(_export(charnwood, 1))
    data = write_zip([(name, original.get(name, b"")) for name in members])
    message = _refused(opcc, data)
    assert f"{named}: {reason}" in message


def test_a_package_listing_many_files_is_refused_unread(opcc: Database) -> None:
    data = write_zip([(f"file{number}.txt", b"") for number in range(20)])
    assert "the package: holds 20 files; a return package holds only" in _refused(opcc, data)


def test_a_pdf_member_that_is_not_a_pdf_is_refused(charnwood: Database, opcc: Database) -> None:
    document = json.loads(_members(_export(charnwood, 1))[RETURN_JSON])
    document["pdf_sha256"] = sha256(b"not a PDF")
    assert "return.pdf: is not a PDF" in _refused(opcc, _repackaged(document, b"not a PDF"))


def test_a_schema_error_is_refused_naming_the_field(charnwood: Database, opcc: Database) -> None:
    members = _members(_export(charnwood, 1))
    document = json.loads(members[RETURN_JSON])
    document["figures"]["spent_to_date"] = "35,050.00"
    document["partnership"].pop("la_code")
    message = _refused(opcc, _repackaged(document, members[RETURN_PDF]))
    assert "return.json: does not match the return package schema" in message
    assert "$.figures.spent_to_date: '35,050.00' does not match" in message
    assert "'la_code' is a required property" in message


def test_money_as_a_json_number_is_refused(charnwood: Database, opcc: Database) -> None:
    members = _members(_export(charnwood, 1))
    body = members[RETURN_JSON].replace(b'"spent_to_date": "35050.00"', b'"spent_to_date": 35050.00')
    data = write_zip([(RETURN_JSON, body), (RETURN_PDF, members[RETURN_PDF]),
                      (MANIFEST, canonical_json(manifest_of(body, members[RETURN_PDF])))])  # fmt: skip
    assert "return.json: is not valid JSON (the number 35050.00 has a fraction" in _refused(opcc, data)


def test_a_pdf_that_is_not_the_one_return_json_records_is_refused(charnwood: Database, opcc: Database) -> None:
    members = _members(_export(charnwood, 1))
    document = json.loads(members[RETURN_JSON])
    other = members[RETURN_PDF] + b"\n% appended\n"
    assert "return.pdf: is not the PDF return.json records" in _refused(opcc, _repackaged(document, other))


def test_a_zip_bomb_is_refused_quickly_and_in_little_memory(tmp_path: Path, opcc: Database) -> None:
    bomb = tmp_path / "bomb.zip"
    zeros = bytes(16 * 1024 * 1024)
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in (RETURN_JSON, MANIFEST):
            archive.writestr(name, b"{}")
        with archive.open(RETURN_PDF, "w", force_zip64=True) as member:
            for _ in range(65):  # 65 x 16 MB: more than 1 GB of zeros
                member.write(zeros)
    data = bomb.read_bytes()
    assert len(data) < 5 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    message = _refused(opcc, data)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "return.pdf: would be 1,090,519,040 bytes uncompressed" in message
    assert elapsed < 2.0
    assert peak < 64 * 1024 * 1024


# -- who may receive and see ----------------------------------------------------------------------------------
def _account(database: Database, username: str, role: str, funder: str = "") -> Principal:
    usecase.perform(database, LOCAL, users.add_user, username=username, role=role, funder=funder)
    return lookup.acting_as(database, username)


def _funders(database: Database, *chain: tuple[str, str | None]) -> None:
    with UnitOfWork(database, actor="tests") as uow:
        for name, parent in chain:
            above = uow.funders.first(name=parent) if parent else None
            uow.funders.add(Funder(name=name, parent_id=above.id if above else None))
        uow.commit()


def test_a_funders_officer_receives_and_sees_their_returns_and_another_funders_does_not(
    charnwood: Database, opcc: Database
) -> None:
    _funders(opcc, ("Home Office", None), (OPCC, "Home Office"), ("Another OPCC", None))
    officer = _account(opcc, "commissioning", "funder", OPCC)
    above = _account(opcc, "home.office", "funder", "Home Office")
    other = _account(opcc, "elsewhere", "funder", "Another OPCC")
    assert "is not Another OPCC or a funder its money reaches" in _refused(opcc, _export(charnwood, 1), other)
    done = usecase.perform(opcc, officer, receive_package, _export(charnwood, 1), source_name="charnwood.zip")
    assert done.funders_created == ()
    received_id = done.received.id
    assert [r.id for r in usecase.read(opcc, officer, received_summaries, year="2026/27")] == [received_id]
    assert [r.id for r in usecase.read(opcc, above, received_summaries, year="2026/27")] == [received_id]
    assert usecase.read(opcc, other, received_summaries, year="2026/27") == []
    with pytest.raises(NotFound):
        usecase.read(opcc, other, received_pdf, received_id)
    with pytest.raises(NotFound):
        usecase.perform(opcc, other, review_received, received_id, "accepted")


def test_others_see_the_received_returns_of_the_partnerships_they_see(charnwood: Database, opcc: Database) -> None:
    done = usecase.perform(opcc, LOCAL, receive_package, _export(charnwood, 1), source_name="charnwood.zip")
    with UnitOfWork(opcc, actor="tests") as uow:
        elsewhere = uow.partnerships.add(Partnership(name="Melton Community Safety Partnership"))
        uow.commit()
    usecase.perform(opcc, LOCAL, users.add_user, username="reader", role="viewer",
                    partnership_ids=[done.received.partnership_id])  # fmt: skip
    usecase.perform(opcc, LOCAL, users.add_user, username="melton", role="viewer", partnership_ids=[elsewhere.id])
    assert len(usecase.read(opcc, lookup.acting_as(opcc, "reader"), received_summaries, year="2026/27")) == 1
    assert usecase.read(opcc, lookup.acting_as(opcc, "melton"), received_summaries, year="2026/27") == []
    with UnitOfWork(opcc) as uow:
        opcc_id = uow.funders.first(name=OPCC).id  # type: ignore[union-attr]
        other = uow.funders.add(Funder(name="Another OPCC"))
        uow.commit()
    assert len(usecase.read(opcc, LOCAL, received_summaries, year="2026/27", funder_id=opcc_id)) == 1
    assert usecase.read(opcc, LOCAL, received_summaries, year="2026/27", funder_id=other.id) == []


def test_the_published_schema_is_draft_2020_12_and_names_itself() -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/return-package.schema.json") and schema["title"] and schema["description"]
    money = schema["$defs"]["money"]
    assert (money["type"], money["pattern"]) == ("string", "^-?[0-9]+\\.[0-9]{2}$")


def test_a_manager_cannot_receive_a_package(charnwood: Database) -> None:
    manager = lookup.acting_as(charnwood, "manager")
    assert "only a funder's officer receives a return package" in _refused(charnwood, _export(charnwood, 1), manager)


def test_the_funder_accepts_or_queries_a_received_return(charnwood: Database, opcc: Database) -> None:
    done = usecase.perform(opcc, LOCAL, receive_package, _export(charnwood, 1), source_name="charnwood.zip")
    received_id = done.received.id
    assert received_id is not None
    with pytest.raises(RuleViolation, match="say what is queried"):
        usecase.perform(opcc, LOCAL, review_received, received_id, "queried", " ")
    queried = usecase.perform(opcc, LOCAL, review_received, received_id, "queried", "Why is the CCTV line red?")
    assert (queried.review, queried.review_comment, queried.reviewed_by) == (
        "queried", "Why is the CCTV line red?", "local operator",
    )  # fmt: skip
    with UnitOfWork(opcc) as uow:
        event = uow.audit.events("received_returns", received_id)[0]
        assert (event.action, event.after) == ("update", {
            "review": "queried", "review_comment": "Why is the CCTV line red?", "reviewed_by": "local operator",
            "reviewed_at": event.after["reviewed_at"],
        })  # fmt: skip
    [row] = usecase.read(opcc, LOCAL, received_summaries, year="2026/27")
    assert row.review == "queried"


@pytest.mark.postgres
def test_a_package_is_received_into_postgresql_too(charnwood: Database, pg_database: Database) -> None:
    data = _export(charnwood, 1)
    done = usecase.perform(pg_database, LOCAL, receive_package, data, source_name="charnwood.zip")
    assert done.received.id is not None
    [row] = usecase.read(pg_database, LOCAL, received_summaries, year="2026/27")
    assert (row.spent, row.projects) == (Decimal("35050.00"), 8)
    assert sha256(usecase.read(pg_database, LOCAL, received_pdf, done.received.id)) == done.received.pdf_sha256
    assert "already received" in _refused(pg_database, data)
