"""Every rule, registered explicitly: one module per family, each listing its rules in ``RULES``.

A test proves the codes are unique, all 27 codes of docs/domain.md §4 are here, and every rule module of the
package is listed in ``MODULES``. Codes are never reused; a retired rule stays documented.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any

from rules import allocation, changes, data, evidence, profile, reporting, spending
from rules.base import Rule

MODULES: tuple[ModuleType, ...] = (allocation, spending, profile, changes, evidence, reporting, data)
"""The rule families, in catalogue order (ALC, SPD, PRF, CHG, EVD, RPT, DAT)."""


class Registry:
    """The rules by code, in catalogue order."""

    def __init__(self, rules: Iterable[Rule[Any]]) -> None:
        self._rules: dict[str, Rule[Any]] = {}
        for item in rules:
            if item.code in self._rules:
                raise ValueError(f"rule code {item.code} is registered twice")
            self._rules[item.code] = item
        names = [item.name for item in self._rules.values()]
        duplicates = {name for name in names if names.count(name) > 1}
        if duplicates:
            raise ValueError(f"rule names registered twice: {', '.join(sorted(duplicates))}")

    @classmethod
    def from_modules(cls, modules: Iterable[ModuleType]) -> Registry:
        return cls(item for module in modules for item in module.RULES)

    def __iter__(self) -> Iterator[Rule[Any]]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    def __getitem__(self, code: str) -> Rule[Any]:
        try:
            return self._rules[code.upper()]
        except KeyError:
            raise KeyError(f"no rule {code}; known codes: {', '.join(self._rules)}") from None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._rules)

    def only(self, codes: Iterable[str]) -> Registry:
        """A registry of just these rules (e.g. to run one rule in a test)."""
        return Registry(self[code] for code in codes)


REGISTRY = Registry.from_modules(MODULES)
