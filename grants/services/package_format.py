"""The return package's format: a ZIP of ``return.json``, ``return.pdf`` and ``manifest.json``.

Written canonically (fixed member order, names, timestamps and attributes, stored uncompressed), so the same
submitted version always makes the same bytes, and read back with bounded checks, in this order:

1. the package's size (at most 50 MB), exactly the three member names (no folder, no other file, none twice),
   each member's declared size within its limit and stored uncompressed; each member is then read in chunks
   and refused as soon as it passes its limit, so a ZIP bomb costs neither time nor memory;
2. the manifest: its format version, and every file's size and SHA-256;
3. the ZIP itself is byte for byte the package those files make (a changed header byte is caught here);
4. ``return.json`` against the published JSON Schema (``reports/schema/return-package``), then that the PDF is
   the one it records and that its parts agree with its frozen figures.

Any failure raises :class:`PackageRefused` naming the file and the reason.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import reports
from grants.domain.errors import RuleViolation

FORMAT = "csp-return-package"
FORMAT_VERSION = 1
RETURN_JSON, RETURN_PDF, MANIFEST = "return.json", "return.pdf", "manifest.json"
MEMBERS = (RETURN_JSON, RETURN_PDF, MANIFEST)
MB = 1024 * 1024
MAX_PACKAGE = 50 * MB
MAX_MEMBER = {RETURN_JSON: 8 * MB, RETURN_PDF: 40 * MB, MANIFEST: 64 * 1024}
CHUNK = 64 * 1024
MAX_LISTED = 16
"""Members a package may list before it is refused unread (enough to name an unexpected one)."""
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
SCHEMA_PATH = Path(reports.__file__).resolve().parent / "schema" / "return-package" / "return-package.schema.json"
SHOWN = 5
"""Schema errors named in a refusal; the rest are counted."""

_DAMAGED = (
    zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError,
    struct.error, zlib.error, KeyError, IndexError, OverflowError,
)  # fmt: skip
"""What the zipfile module raises on a damaged archive (a bad CRC, a truncated header, an encrypted member...)."""


class PackageRefused(RuleViolation):
    """A return package that is not received: which file, and why. Nothing was stored."""

    def __init__(self, member: str, reason: str) -> None:
        self.member = member
        self.reason = reason
        super().__init__(f"{member}: {reason}; the package was refused and nothing was stored")


@dataclass(frozen=True)
class Package:
    """A package that passed every check: its return.json as parsed, the PDF's bytes and the package's SHA-256."""

    document: dict[str, Any]
    pdf: bytes
    sha256: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> bytes:
    """JSON as a package holds it: keys sorted, indented, UTF-8, one newline at the end."""
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_zip(members: list[tuple[str, bytes]]) -> bytes:
    """The members in this order, stored uncompressed with fixed timestamps and attributes: the same bytes every
    time for the same members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED, allowZip64=False) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def manifest_of(body: bytes, pdf: bytes) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "files": [{"name": name, "size": len(data), "sha256": sha256(data)} for name, data in _files(body, pdf)],
    }


def _files(body: bytes, pdf: bytes) -> list[tuple[str, bytes]]:
    return [(RETURN_JSON, body), (RETURN_PDF, pdf)]


def build_package(document: dict[str, Any], pdf: bytes) -> bytes:
    """The package of a return.json document and its PDF (the manifest is made here)."""
    body = canonical_json(document)
    return write_zip([*_files(body, pdf), (MANIFEST, canonical_json(manifest_of(body, pdf)))])


# -- reading -------------------------------------------------------------------------------------------------
def read_package(data: bytes) -> Package:
    """The package's contents after every check (see the module), or :class:`PackageRefused`."""
    if len(data) > MAX_PACKAGE:
        raise PackageRefused("the package", f"is {len(data):,} bytes; a return package is at most {MAX_PACKAGE:,}")
    _check_end_record(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED as exc:
        raise PackageRefused("the package", f"is not a readable ZIP file ({exc})") from exc
    with archive:
        infos = archive.infolist()
        _check_members(infos)
        contents = {info.filename: _read(archive, info) for info in infos}
    _check_manifest(contents)
    _check_structure(data, write_zip([(name, contents[name]) for name in MEMBERS]))
    document = _parsed(RETURN_JSON, contents[RETURN_JSON])
    _check_schema(document)
    _check_agreement(document, contents[RETURN_PDF])
    return Package(document=document, pdf=contents[RETURN_PDF], sha256=sha256(data))


def _check_end_record(data: bytes) -> None:
    """The ZIP's end record is where a package has it (no comment after it) and counts a handful of files, so a
    package claiming a million members is refused before any is listed."""
    end = data[-22:]
    if len(end) < 22 or end[:4] != b"PK\x05\x06":
        raise PackageRefused("the package", "is not a return package: it does not end as a ZIP file does")
    entries = struct.unpack("<H", end[10:12])[0]
    if entries > MAX_LISTED:
        raise PackageRefused("the package", f"holds {entries:,} files; a return package holds only " + _expected())


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    names = [info.filename for info in infos]
    for info in infos:
        if info.is_dir() or info.filename.endswith("/"):
            raise PackageRefused(_shown(info.filename), "is a folder; a return package holds only " + _expected())
        if info.filename not in MEMBERS:
            raise PackageRefused(
                _shown(info.filename), "is not part of a return package, which holds only " + _expected()
            )
        if names.count(info.filename) > 1:
            raise PackageRefused(info.filename, "appears more than once in the package")
    for name in MEMBERS:
        if name not in names:
            raise PackageRefused(name, "is missing from the package, which must hold " + _expected())
    for info in infos:
        cap = MAX_MEMBER[info.filename]
        if info.file_size > cap:
            raise PackageRefused(info.filename, f"would be {info.file_size:,} bytes uncompressed; at most {cap:,}")
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED:
            raise PackageRefused(info.filename, "is compressed; a return package stores its files uncompressed")
        if info.flag_bits & 0x1:
            raise PackageRefused(info.filename, "is encrypted; a return package is not")


def _shown(name: str) -> str:
    """A member's name fit for a message (quoted when it holds unprintable characters or is long)."""
    return name if name.isprintable() and len(name) <= 100 else repr(name[:100])


def _expected() -> str:
    return ", ".join(MEMBERS)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, read in chunks and refused once past its limit (whatever its header claims)."""
    cap = MAX_MEMBER[info.filename]
    parts: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                total += len(chunk)
                if total > cap:
                    raise PackageRefused(info.filename, f"is more than {cap:,} bytes uncompressed")
                parts.append(chunk)
    except _DAMAGED as exc:
        raise PackageRefused(
            info.filename, f"is damaged: {exc or type(exc).__name__} (the package was altered after it was exported)"
        ) from exc
    return b"".join(parts)


def _no_fractions(text: str) -> Any:
    raise ValueError(f'the number {text} has a fraction or exponent (money is a string such as "1234.50")')


def _parsed(name: str, data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"), parse_float=_no_fractions, parse_constant=_no_fractions)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PackageRefused(name, f"is not valid JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise PackageRefused(name, "is not a JSON object")
    return value


def _check_manifest(contents: dict[str, bytes]) -> None:
    manifest = _parsed(MANIFEST, contents[MANIFEST])
    if manifest.get("format") != FORMAT:
        raise PackageRefused(MANIFEST, f"does not describe a return package (format {manifest.get('format')!r})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise PackageRefused(
            MANIFEST,
            f"is of package format version {manifest.get('format_version')!r}; this installation reads version "
            f"{FORMAT_VERSION}",
        )
    files = manifest.get("files")
    entries = files if isinstance(files, list) else []
    listed = {entry.get("name"): entry for entry in entries if isinstance(entry, dict)}
    if len(entries) != 2 or set(listed) != {RETURN_JSON, RETURN_PDF}:
        raise PackageRefused(MANIFEST, f"must list exactly {RETURN_JSON} and {RETURN_PDF}, each once")
    for name in (RETURN_JSON, RETURN_PDF):
        entry, data = listed[name], contents[name]
        if entry.get("size") != len(data):
            raise PackageRefused(name, f"is {len(data):,} bytes; the manifest says {entry.get('size')!r}")
        if entry.get("sha256") != sha256(data):
            raise PackageRefused(
                name, f"its SHA-256 is {sha256(data)}, not the {entry.get('sha256')!r} the manifest records"
            )


def _check_structure(data: bytes, rebuilt: bytes) -> None:
    """The ZIP is byte for byte the one its files make: a changed header, timestamp or attribute is refused."""
    if rebuilt == data:
        return
    at = next((i for i, (a, b) in enumerate(zip(rebuilt, data, strict=False)) if a != b), min(len(rebuilt), len(data)))
    raise PackageRefused(
        "the package",
        f"its ZIP structure differs from the package its files make, at byte {at:,}: it was altered or re-zipped "
        "after it was exported (send the file 'return export' wrote, unchanged)",
    )


@lru_cache(maxsize=1)
def validator() -> Any:
    """The validator of return.json: the published schema, JSON Schema draft 2020-12."""
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problems(document: Any) -> list[str]:
    """Each way ``document`` breaks the schema, as "JSON path: reason", in document order."""
    errors = sorted(validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{error.json_path}: {error.message}" for error in errors]


def _check_schema(document: dict[str, Any]) -> None:
    problems = schema_problems(document)
    if problems:
        shown = "; ".join(problems[:SHOWN])
        more = f" (and {len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
        raise PackageRefused(RETURN_JSON, f"does not match the return package schema: {shown}{more}")


def _check_agreement(document: dict[str, Any], pdf: bytes) -> None:
    """The PDF is the one return.json records, and the package's parts agree with its frozen figures."""
    if not pdf.startswith(b"%PDF-"):
        raise PackageRefused(RETURN_PDF, "is not a PDF")
    if document["pdf_sha256"] != sha256(pdf):
        raise PackageRefused(RETURN_PDF, "is not the PDF return.json records (their SHA-256 differ)")
    figures, fund = document["figures"], document["fund"]
    pairs = (
        ("partnership.name", document["partnership"]["name"], figures["partnership"]),
        ("fund.code", fund["code"], figures["fund_code"]),
        ("fund.year", fund["year"], figures["year"]),
        ("period", document["period"], figures["period"]),
        ("version", document["version"], figures["extras"]["version"]),
    )
    for field, given, frozen in pairs:
        if given != frozen:
            raise PackageRefused(RETURN_JSON, f"$.{field} is {given!r} but its frozen figures say {frozen!r}")
    chain, funder = fund["funder"]["chain"], fund["funder"]["name"]
    if (chain[-1] if chain else "") != funder:
        raise PackageRefused(RETURN_JSON, f"$.fund.funder.chain must end with the funder's name {funder!r}")
