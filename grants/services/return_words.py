"""A draft return's words, saved as they are written: an explanation per line (a red or amber line, or a
variance beyond tolerance), the explanation of variances overall, outcomes and risks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DraftWords:
    explanations: dict[str, str] = field(default_factory=dict)  # line description -> explanation
    general: str = ""  # the explanation of variances overall
    outcomes: str = ""
    risks: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "explanations": dict(self.explanations),
            "general": self.general,
            "outcomes": self.outcomes,
            "risks": self.risks,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DraftWords:
        data = data or {}
        return cls(
            explanations={str(k): str(v) for k, v in (data.get("explanations") or {}).items()},
            general=str(data.get("general", "")),
            outcomes=str(data.get("outcomes", "")),
            risks=str(data.get("risks", "")),
        )

    def explanation_of(self, line: str) -> str:
        wanted = line.strip().lower()
        return next((text for name, text in self.explanations.items() if name.strip().lower() == wanted), "")

    def merged(
        self,
        *,
        explanations: dict[str, str] | None = None,
        general: str | None = None,
        outcomes: str | None = None,
        risks: str | None = None,
    ) -> DraftWords:
        """These words with the given ones written over them (an empty explanation removes the line's)."""
        lines = dict(self.explanations)
        for line, text in (explanations or {}).items():
            existing = next((name for name in lines if name.strip().lower() == line.strip().lower()), line)
            lines.pop(existing, None)
            if text.strip():
                lines[line.strip()] = text.strip()
        return DraftWords(
            explanations=lines,
            general=self.general if general is None else general.strip(),
            outcomes=self.outcomes if outcomes is None else outcomes.strip(),
            risks=self.risks if risks is None else risks.strip(),
        )
