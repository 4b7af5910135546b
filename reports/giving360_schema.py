"""Validation of a 360Giving export against the standard's schema bundled in ``reports/schema/360giving``.

The package schema names the grant schema by URL (``$ref``); the bundled grant schema answers for that URL,
so nothing is fetched. Each problem names the grant (its identifier and title) and the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent / "schema" / "360giving"
PACKAGE_SCHEMA = "360-giving-package-schema.json"
GRANT_SCHEMA = "360-giving-schema.json"
SHOWN = 20
"""Problems listed in a refusal; the rest are counted."""


@dataclass(frozen=True)
class SchemaProblem:
    """One way the export breaks the standard: which grant, which field, and why."""

    grant: str  # "<identifier> (<title>)", or "the package" for the package's own fields
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.grant}: field {self.field!r}: {self.reason}"


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return loaded


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and not item.startswith("#"):
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


@lru_cache(maxsize=1)
def _validators() -> tuple[Any, Any]:
    """(package validator, grant validator), the grant schema registered under every URL the package uses."""
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package = _load(PACKAGE_SCHEMA)
    grant = _load(GRANT_SCHEMA)
    resource = DRAFT202012.create_resource(grant)
    urls = {*_refs(package), str(grant.get("$id", ""))} - {""}
    registry: Registry[Any] = Registry().with_resources((url, resource) for url in urls)
    checker = FormatChecker()
    return (
        Draft202012Validator(package, registry=registry, format_checker=checker),
        Draft202012Validator(grant, registry=registry, format_checker=checker),
    )


def _field(error: Any) -> str:
    """The failing field's path inside its grant (``awardDate``, ``recipientOrganization.0.id``)."""
    path = [str(part) for part in error.absolute_path]
    if path[:1] == ["grants"]:
        path = path[2:]
    if error.validator == "required" and isinstance(error.instance, Mapping):
        missing = [name for name in error.validator_value if name not in error.instance]
        path = [*path, missing[0]] if missing else path
    if error.validator == "oneOf" and error.context:
        deepest = max(error.context, key=lambda sub: len(list(sub.absolute_path)))
        if deepest.validator == "required" and isinstance(deepest.instance, Mapping):
            missing = [name for name in deepest.validator_value if name not in deepest.instance]
            if missing:
                path = [*path, missing[0]]
    return ".".join(path) or "(the grant)"


def _reason(error: Any) -> str:
    if error.validator == "oneOf" and error.context:
        reasons = sorted({sub.message for sub in error.context})
        return "; or ".join(reasons)
    return str(error.message)


def _name(grant: Any) -> str:
    if not isinstance(grant, Mapping):
        return "a grant"
    return f"grant {grant.get('id', '(no id)')} ({grant.get('title', '')})"


def package_problems(document: Mapping[str, Any]) -> list[SchemaProblem]:
    """Every way the package breaks the schema (empty when it validates).

    The same checks as validating the whole package at once, in time linear in the grants: the package's own
    fields against the package schema (with its grants array cut to the first grant), each grant against the
    grant schema, and the array's ``uniqueItems`` by each grant's canonical JSON (the schema validator compares
    every pair, which takes minutes for a county's 24,000 grants).
    """
    package, _ = _validators()
    found = document.get("grants")
    grants: list[Any] = found if isinstance(found, list) else []
    envelope = {**document, "grants": grants[:1]} if grants else document
    problems: list[SchemaProblem] = []
    for error in package.iter_errors(envelope):
        path = list(error.absolute_path)
        if len(path) >= 2 and path[0] == "grants":
            continue  # the grants are checked one by one below
        problems.append(SchemaProblem("the package", ".".join(str(p) for p in path) or "(top)", _reason(error)))
    problems += grant_problems(grants)
    seen: set[str] = set()
    for grant in grants:
        key = json.dumps(grant, sort_keys=True, default=str)
        if key in seen:
            problems.append(SchemaProblem(_name(grant), "(the grant)", "appears twice in the package"))
        seen.add(key)
    return problems


@lru_cache(maxsize=1)
def _compiled_grant_check() -> Callable[[Any], Any]:
    """The grant schema compiled to Python (fastjsonschema): a first pass, some 25 times faster per grant."""
    import fastjsonschema

    check: Callable[[Any], Any] = fastjsonschema.compile(_load(GRANT_SCHEMA))
    return check


def _passes_compiled(grant: Any) -> bool:
    from fastjsonschema import JsonSchemaException

    try:
        _compiled_grant_check()(grant)
    except JsonSchemaException:
        return False
    return True


def grant_problems(grants: Iterable[Mapping[str, Any]]) -> list[SchemaProblem]:
    """Every way each grant (as 360Giving JSON) breaks the grant schema.

    A grant the compiled check passes is valid; one it refuses is checked again by jsonschema, the reference
    validator, which names each problem (and has the last word when the two differ on a format).
    """
    _, grant_validator = _validators()
    problems: list[SchemaProblem] = []
    for grant in grants:
        if _passes_compiled(grant):
            continue
        for error in grant_validator.iter_errors(grant):
            problems.append(SchemaProblem(_name(grant), _field(error), _reason(error)))
    return problems


def refusal(problems: Sequence[SchemaProblem]) -> str:
    """The message refusing an invalid export: each problem (the first ``SHOWN``), then how many more."""
    lines = [str(problem) for problem in problems[:SHOWN]]
    more = len(problems) - SHOWN
    if more > 0:
        lines.append(f"and {more} more")
    return (
        "the 360Giving export does not validate against the 360Giving schema, so nothing was written:\n  "
        + "\n  ".join(lines)
    )
