"""A finding: one thing a rule found, as data (never an exception or a bare string)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from grants.domain.enums import Severity

EXPORT_FIELDS = ("code", "name", "severity", "partnership", "fund", "year", "line", "message", "hint")
"""The keys of a finding in JSON and CSV output, in order."""


class Finding(BaseModel):
    """What a rule found, and where: partnership, fund, year and (when it is about one) the budget line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{3}\d{3}$")
    name: str
    severity: Severity
    partnership: str | None = None
    fund: str | None = Field(default=None, description="The fund's code, e.g. PLF")
    year: str | None = None
    line: str | None = Field(default=None, description="The budget line's description, or None for the whole fund")
    line_id: int | None = None
    fund_id: int | None = None
    message: str = Field(description="One line with the figures")
    hint: str = Field(default="", description="What to do about it")

    def export(self) -> dict[str, str | None]:
        """The finding as the plain values the command line prints (JSON and CSV)."""
        values = self.model_dump(mode="json", include=set(EXPORT_FIELDS))
        return {key: values[key] for key in EXPORT_FIELDS}

    @property
    def sort_key(self) -> tuple[str, str, str, int, str, str]:
        return (
            self.partnership or "",
            self.fund or "",
            self.year or "",
            -self.severity.rank,
            self.code,
            self.line or "",
        )
