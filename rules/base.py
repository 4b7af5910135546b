"""What a rule is: a stable code, a kebab-case name, a default severity, typed parameters and a check.

A check is a function ``(context, params) -> DataFrame``: one row per finding with the columns of
:data:`FINDING_COLUMNS` (``fund_id``, ``line_id`` or NA for the whole fund, ``message``, ``hint`` and
``severity`` or NA for the rule's default). The runner turns the rows into :class:`Finding`s, adding the
partnership, fund code, year and line description. Checks are vectorised (groupby, merge, masks).

Each rule's docstring follows one template, checked by a test and printed in ``docs/rules.md``::

    <what it checks, one paragraph>

    Why: <the reason, citing docs/domain.md>
    Fails when: ...
    Passes when: ...
    Parameters: ...
    Severity: <only where docs/domain.md is silent or the severity varies>
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from grants.domain.enums import Severity
from rules.context import RuleContext

FINDING_COLUMNS = ["fund_id", "line_id", "message", "hint", "severity"]
REQUIRED_SECTIONS = ("Why", "Fails when", "Passes when", "Parameters")
OPTIONAL_SECTIONS = ("Severity",)
_CODE = re.compile(r"^(ALC|SPD|PRF|CHG|EVD|RPT|DAT)\d{3}$")
_NAME = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
_SECTION = re.compile(r"^(" + "|".join(REQUIRED_SECTIONS + OPTIONAL_SECTIONS) + r"):\s*", re.M)


class RuleParams(BaseModel):
    """Base of every rule's parameters: frozen, unknown names refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def money_param(default: str, description: str, *, condition: str | None = None) -> Any:
    """A parameter in pounds (≥ £0, whole pence, at most £1bn)."""
    extra: Any = {"condition": condition} if condition else None
    return Field(
        default=Decimal(default),
        ge=0,
        le=Decimal("1000000000"),
        decimal_places=2,
        description=description,
        json_schema_extra=extra,
    )


P = TypeVar("P", bound=RuleParams)
Check = Callable[[RuleContext, P], pd.DataFrame]


@dataclass(frozen=True)
class Rule(Generic[P]):
    """One compliance rule of the catalogue."""

    code: str
    name: str
    severity: Severity
    params: type[P]
    check: Callable[[RuleContext, P], pd.DataFrame]
    uses_findings: bool = False
    """Runs after the others and reads their findings (RPT002)."""

    def __post_init__(self) -> None:
        if not _CODE.match(self.code):
            raise ValueError(f"{self.code!r} is not a rule code like ALC001")
        if not _NAME.match(self.name):
            raise ValueError(f"{self.name!r} is not a kebab-case rule name")

    @property
    def family(self) -> str:
        return self.code[:3]

    @property
    def module(self) -> str:
        return self.check.__module__

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""

    @property
    def summary(self) -> str:
        """What the rule checks: the docstring's first paragraph, on one line."""
        first = self.doc.split("\n\n", 1)[0]
        return " ".join(first.split())

    @property
    def sections(self) -> dict[str, str]:
        """The docstring's sections ("Why", "Fails when", ...) as text on one line each."""
        parts = _SECTION.split(self.doc)
        return {parts[i]: " ".join(parts[i + 1].split()) for i in range(1, len(parts) - 1, 2)}

    @property
    def plain_summary(self) -> str:
        """:attr:`summary` as a user reads it: without the citations of the repository's own notes."""
        return without_citations(self.summary)

    @property
    def plain_sections(self) -> dict[str, str]:
        """:attr:`sections` as a user reads them: without the citations of the repository's own notes."""
        return {name: without_citations(text) for name, text in self.sections.items()}

    def parameters(self, overrides: BaseModel | Mapping[str, Any] | None = None) -> P:
        """Validated parameters: the defaults, with any overrides (pydantic refuses out-of-range values)."""
        if overrides is None:
            return self.params()
        if isinstance(overrides, self.params):
            return overrides
        if isinstance(overrides, BaseModel):
            overrides = overrides.model_dump()
        return self.params.model_validate(dict(overrides))

    def run(self, context: RuleContext, params: P | None = None) -> pd.DataFrame:
        found = self.check(context, params if params is not None else self.params())
        missing = [column for column in FINDING_COLUMNS if column not in found.columns]
        if missing:
            raise TypeError(f"{self.code} returned findings without {', '.join(missing)}")
        return found[FINDING_COLUMNS]


_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")
_CITATION = re.compile(r"docs/domain\.md|DOMAIN\.md|§")


def without_citations(text: str) -> str:
    """``text`` without references to the repository's domain notes ("(docs/domain.md §4, ALC001)"): a
    parenthesis that cites them keeps only what it says before the citation ("(10% by default, inferred)")."""

    def plain(match: re.Match[str]) -> str:
        inside = match.group(1)
        if not _CITATION.search(inside):
            return match.group(0)
        before = _CITATION.split(inside, maxsplit=1)[0].rstrip(" :;,")
        return f" ({before})" if before else ""

    return _PARENTHESIS.sub(plain, text)


def rule(
    code: str, name: str, severity: Severity, params: type[P], *, uses_findings: bool = False
) -> Callable[[Callable[[RuleContext, P], pd.DataFrame]], Rule[P]]:
    """Declare a check function as a rule (it still has to be listed in its module's ``RULES``)."""

    def declare(check: Callable[[RuleContext, P], pd.DataFrame]) -> Rule[P]:
        return Rule(code, name, severity, params, check, uses_findings)

    return declare


def found(
    rows: pd.DataFrame,
    message: pd.Series | str,
    hint: pd.Series | str,
    severity: pd.Series | str | None = None,
    *,
    per_line: bool = True,
) -> pd.DataFrame:
    """The finding rows for ``rows`` (which carry ``fund_id`` and, per line, ``line_id``)."""
    out = pd.DataFrame(index=rows.index)
    out["fund_id"] = rows["fund_id"].astype("Int64")
    if per_line and "line_id" in rows.columns:
        out["line_id"] = rows["line_id"].astype("Int64")
    else:
        out["line_id"] = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    out["message"] = message
    out["hint"] = hint
    out["severity"] = severity if severity is not None else pd.Series(pd.NA, index=rows.index, dtype="object")
    return out.reset_index(drop=True)


def nothing() -> pd.DataFrame:
    """No findings (one shared empty frame: callers only read it)."""
    return _NOTHING


_NOTHING = pd.DataFrame(
    {
        "fund_id": pd.Series([], dtype="Int64"),
        "line_id": pd.Series([], dtype="Int64"),
        "message": pd.Series([], dtype="str"),
        "hint": pd.Series([], dtype="str"),
        "severity": pd.Series([], dtype="object"),
    }
)
