"""The parts of a return's view model the return workflow adds: the draft's words per line, the sign-off's
role, the version, adjustments to earlier periods and (for funds paid in arrears) the quarter's claim."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from grants.domain.money import plain


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class AdjustmentRow:
    """A change dated inside an earlier, submitted period, recorded after that return was submitted."""

    period: str
    dated_on: date
    summary: str
    reason: str
    recorded_by: str
    recorded_on: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "dated_on": self.dated_on.isoformat(),
            "summary": self.summary,
            "reason": self.reason,
            "recorded_by": self.recorded_by,
            "recorded_on": self.recorded_on.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AdjustmentRow:
        return cls(
            period=str(data["period"]),
            dated_on=date.fromisoformat(data["dated_on"]),
            summary=str(data.get("summary", "")),
            reason=str(data.get("reason", "")),
            recorded_by=str(data.get("recorded_by", "")),
            recorded_on=date.fromisoformat(data["recorded_on"]),
        )


@dataclass(frozen=True)
class ClaimView:
    """A claim on a fund paid in arrears: the quarter's grant spend, what was claimed and received, and match."""

    grant_spend_in_period: Decimal
    claimed_to_date: Decimal
    awarded: Decimal
    received: Decimal
    still_expected: Decimal  # awarded - received
    match_cash: Decimal
    match_in_kind: Decimal  # hours x rate
    match_required: Decimal  # the required share of the grant spend to date
    match_share: str  # "50%"
    funding_chain: str  # "Home Office → OPCC → Charnwood CSP"

    @property
    def match_to_date(self) -> Decimal:
        return self.match_cash + self.match_in_kind

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: plain(getattr(self, name)) for name in _CLAIM_MONEY}
        data["match_share"] = self.match_share
        data["funding_chain"] = self.funding_chain
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClaimView:
        money: dict[str, Any] = {name: _money(data[name]) for name in _CLAIM_MONEY}
        return cls(
            match_share=str(data.get("match_share", "")), funding_chain=str(data.get("funding_chain", "")), **money
        )


@dataclass(frozen=True)
class HistoryRow:
    """One step of a return's history: a version submitted, the funder's acceptance or query, a reply."""

    on: date
    who: str
    what: str  # "version 1 submitted", "version 1 queried"
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "who": self.who, "what": self.what, "comment": self.comment}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HistoryRow:
        return cls(
            on=date.fromisoformat(str(data["on"])),
            who=str(data.get("who", "")),
            what=str(data.get("what", "")),
            comment=str(data.get("comment", "")),
        )


_CLAIM_MONEY = (
    "grant_spend_in_period", "claimed_to_date", "awarded", "received", "still_expected", "match_cash",
    "match_in_kind", "match_required",
)  # fmt: skip


@dataclass(frozen=True)
class ReturnExtras:
    line_explanations: tuple[tuple[str, str], ...] = ()
    outcomes_summary: str = ""
    signed_off_role: str = ""
    version: int = 0  # the submitted version (0: a draft never submitted)
    amend_reason: str = ""
    adjustments: tuple[AdjustmentRow, ...] = field(default=())
    claim: ClaimView | None = None
    history: tuple[HistoryRow, ...] = field(default=())  # the exchange with the funder before this PDF was made

    def explanation_of(self, line: str) -> str:
        return next((text for name, text in self.line_explanations if name == line), "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "line_explanations": [[line, text] for line, text in self.line_explanations],
            "outcomes_summary": self.outcomes_summary,
            "signed_off_role": self.signed_off_role,
            "version": self.version,
            "amend_reason": self.amend_reason,
            "adjustments": [row.to_dict() for row in self.adjustments],
            "claim": None if self.claim is None else self.claim.to_dict(),
            **({"history": [row.to_dict() for row in self.history]} if self.history else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ReturnExtras:
        if not data:
            return cls()
        claim = data.get("claim")
        return cls(
            line_explanations=tuple((str(a), str(b)) for a, b in data.get("line_explanations", [])),
            outcomes_summary=str(data.get("outcomes_summary", "")),
            signed_off_role=str(data.get("signed_off_role", "")),
            version=int(data.get("version", 0)),
            amend_reason=str(data.get("amend_reason", "")),
            adjustments=tuple(AdjustmentRow.from_dict(row) for row in data.get("adjustments", [])),
            claim=None if not claim else ClaimView.from_dict(claim),
            history=tuple(HistoryRow.from_dict(row) for row in data.get("history", [])),
        )
