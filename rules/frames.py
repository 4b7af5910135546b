"""``LedgerFrames``: the rules' only input, the ledger as pandas frames.

Money is ``int64`` pence (exact; the rules convert to pounds only to write a message). Dates are
``datetime64`` (``NaT`` when unset). Text is ``str`` with ``""`` for blank. The SQL loader
(``grants.services.ledger_frames``) and the tests' ``frames_from_models`` (``tests/support/frames.py``, no
database) pass their columns through :func:`conform`, so the rules always see the same columns and types.

Spends are the one large table (a million rows or more). They arrive *aggregated*: one row per line,
kind, capital/revenue, calendar month and position against the fund's period (``before``, ``during``,
``after``), with the sum, the count and the first and last date. Every spend rule needs no finer grain:
a month falls in one quarter, and the position column keeps spend outside the grant period exact even
for a fund that starts mid-month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from grants.domain.conditions import FundConditions
from grants.domain.enums import MatchKind

DATE = "datetime64[ns]"
TEXT = "str"
MONEY = "int64"
ID = "int64"
OPTIONAL_ID = "Int64"
OPTIONAL_MONEY = "Int64"

SCHEMA: dict[str, dict[str, str]] = {
    "funds": {
        "fund_id": ID,
        "partnership_id": ID,
        "partnership": TEXT,
        "code": TEXT,
        "name": TEXT,
        "year": TEXT,
        "starts": DATE,
        "ends": DATE,
        "amount_pence": MONEY,
        "amount_status": TEXT,
        "conditions": "object",
    },
    "receipts": {
        "receipt_id": ID,
        "fund_id": ID,
        "amount_pence": MONEY,
        "received_on": DATE,
        "status": TEXT,
        "approximate": "bool",
        "reference": TEXT,
    },
    "lines": {
        "line_id": ID,
        "fund_id": ID,
        "description": TEXT,
        "delivery_partner": TEXT,
        "strategic_priority": TEXT,
        "area": TEXT,
        "cohort": TEXT,
        "theme": TEXT,
        "capital_revenue": TEXT,
        "allocated_pence": MONEY,
        "reported_balance_pence": OPTIONAL_MONEY,
        "approved_by": TEXT,
        "approved_on": DATE,
        "starts": DATE,
        "ends": DATE,
        "continuation_decided": "bool",
        "source": TEXT,
        "notes": TEXT,
    },
    "profiles": {"line_id": ID, "year": TEXT, "quarter": "int64", "amount_pence": MONEY},
    "spends": {
        "line_id": ID,
        "kind": TEXT,
        "capital_revenue": TEXT,
        "month": DATE,
        "position": TEXT,
        "amount_pence": MONEY,
        "count": "int64",
        "first_on": DATE,
        "last_on": DATE,
    },
    "matches": {
        "match_id": ID,
        "fund_id": ID,
        "line_id": OPTIONAL_ID,
        "kind": TEXT,
        "contributed_on": DATE,
        "contributor": TEXT,
        "value_pence": MONEY,
    },
    "virements": {
        "virement_id": ID,
        "fund_id": ID,
        "from_line_id": ID,
        "to_line_id": ID,
        "amount_pence": MONEY,
        "moved_on": DATE,
        "reason": TEXT,
        "approved_by": TEXT,
        "approved_on": DATE,
        "status": TEXT,
        "decided_on": DATE,
    },
    "outcomes": {
        "outcome_id": ID,
        "line_id": ID,
        "period": TEXT,
        "reported_on": DATE,
        "evidence": TEXT,
        "awaiting_data": "bool",
    },
    "returns": {
        "return_id": ID,
        "fund_id": ID,
        "period": TEXT,
        "status": TEXT,
        "due_on": DATE,
        "submitted_on": DATE,
    },
    "rounds": {
        "round_id": ID,
        "fund_id": ID,
        "number": "int64",
        "opens": DATE,
        "closes": DATE,
        "cap_pence": OPTIONAL_MONEY,
        "status": TEXT,
    },
    "applications": {
        "application_id": ID,
        "round_id": ID,
        "applicant": TEXT,
        "requested_pence": MONEY,
        "received_on": DATE,
        "status": TEXT,
        "line_id": OPTIONAL_ID,
    },
    "imported_tables": {
        "table_id": ID,
        "fund_id": ID,
        "source": TEXT,
        "as_at": DATE,
        "printed_allocated_pence": OPTIONAL_MONEY,
        "printed_spent_pence": OPTIONAL_MONEY,
        "printed_balance_pence": OPTIONAL_MONEY,
        "printed_received_pence": OPTIONAL_MONEY,
        "rows": "int64",
        "rows_allocated_pence": OPTIONAL_MONEY,
        "rows_spent_pence": OPTIONAL_MONEY,
        "rows_balance_pence": OPTIONAL_MONEY,
    },
}


@dataclass(frozen=True, eq=False)
class LedgerFrames:
    """The ledger as frames, optionally cut at an "as at" date (records dated later left out)."""

    funds: pd.DataFrame
    receipts: pd.DataFrame
    lines: pd.DataFrame
    profiles: pd.DataFrame
    spends: pd.DataFrame
    matches: pd.DataFrame
    virements: pd.DataFrame
    outcomes: pd.DataFrame
    returns: pd.DataFrame
    rounds: pd.DataFrame
    applications: pd.DataFrame
    imported_tables: pd.DataFrame
    as_at: date | None = None

    @classmethod
    def build(cls, tables: Mapping[str, pd.DataFrame | None], *, as_at: date | None = None) -> LedgerFrames:
        """Frames from raw tables (missing ones empty), each conformed to :data:`SCHEMA`; with ``as_at``, each
        virement as it stood that day."""
        unknown = set(tables) - set(SCHEMA)
        if unknown:
            raise ValueError(f"unknown ledger frames: {', '.join(sorted(unknown))}")
        conformed = {name: conform(name, tables.get(name)) for name in SCHEMA}
        conformed["virements"] = virements_as_at(conformed["virements"], as_at)
        return cls(**conformed, as_at=as_at)

    @classmethod
    def empty(cls) -> LedgerFrames:
        return cls.build({})

    def frame(self, name: str) -> pd.DataFrame:
        frame = getattr(self, name)
        if not isinstance(frame, pd.DataFrame):
            raise KeyError(name)
        return frame

    @staticmethod
    def names() -> tuple[str, ...]:
        return tuple(f.name for f in fields(LedgerFrames) if f.name != "as_at")


def virements_as_at(virements: pd.DataFrame, as_at: date | None) -> pd.DataFrame:
    """Each virement as it stood at the end of ``as_at``: approved or rejected only if decided by then."""
    if as_at is None or virements.empty:
        return virements
    decided = virements["decided_on"].notna() & (virements["decided_on"] <= pd.Timestamp(as_at))
    legacy = (virements["status"] == "approved") & virements["decided_on"].isna()  # approved before decisions
    approved_by_then = legacy & virements["approved_on"].notna() & (virements["approved_on"] <= pd.Timestamp(as_at))
    status = virements["status"].where(decided | approved_by_then, "proposed")
    approved = status == "approved"
    return virements.assign(
        status=status.astype("str"),
        approved_by=virements["approved_by"].where(approved, ""),
        approved_on=virements["approved_on"].where(approved),
    )


def conform(name: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    """The frame with exactly the schema's columns, in order and of the schema's types."""
    schema = SCHEMA[name]
    if frame is None:
        frame = pd.DataFrame()
    missing_required = [column for column in schema if column not in frame.columns]
    if len(frame) and missing_required:
        raise ValueError(f"the {name} frame lacks columns: {', '.join(missing_required)}")
    result: dict[str, pd.Series] = {}
    index = pd.RangeIndex(len(frame))
    for column, dtype in schema.items():
        if column in frame.columns and _conformed(frame[column], dtype):
            result[column] = pd.Series(frame[column].array, index=index)  # already the schema's type
            continue
        if column in frame.columns:
            values = pd.Series(frame[column].to_numpy(dtype=object), index=index, dtype=object)
        else:
            values = pd.Series([], index=index, dtype=object)
        result[column] = values.map(conditions_of) if column == "conditions" else _cast(values, dtype)
    return pd.DataFrame(result, index=index)


_STR = pd.Series([], dtype=TEXT).dtype


def _conformed(series: pd.Series, dtype: str) -> bool:
    """True when a column already holds what :func:`_cast` would make of it (so it can be kept as it is)."""
    if dtype == TEXT:
        return bool(series.dtype == _STR and not series.hasnans)
    if dtype in (DATE, MONEY, ID, "int64", "bool", OPTIONAL_MONEY):
        return str(series.dtype) == dtype
    return False


def _cast(series: pd.Series, dtype: str) -> pd.Series:
    values: Any = series  # pandas-stubs cannot type astype() with a dtype held in a variable
    if dtype == DATE:
        return pd.to_datetime(values, errors="raise").astype(DATE)
    if dtype == TEXT:
        return values.where(values.notna(), "").astype(TEXT)
    if dtype == "bool":
        return values.where(values.notna(), False).astype("bool")
    if dtype in (MONEY, ID, "int64"):
        return values.astype("int64")
    if dtype == OPTIONAL_MONEY:
        return values.astype("Int64")
    return values


def match_value_pence(
    kind: pd.Series, amount_pence: pd.Series, hours_x100: pd.Series, rate_pence: pd.Series
) -> pd.Series:
    """Cash: the amount. In kind: hours × rate to the penny, half to even (as ``MatchContribution.value``)."""
    hours = hours_x100.fillna(0).astype("int64").to_numpy()
    rate = rate_pence.fillna(0).astype("int64").to_numpy()
    product = hours * rate  # hundredths of a penny
    quotient, remainder = np.divmod(product, 100)
    round_up = (remainder > 50) | ((remainder == 50) & (quotient % 2 == 1))
    in_kind = (quotient + round_up.astype("int64")).astype("int64")
    is_in_kind = (kind == MatchKind.IN_KIND.value).to_numpy()
    values = np.where(is_in_kind, in_kind, amount_pence.astype("int64").to_numpy())
    return pd.Series(values, index=kind.index, dtype="int64")


def conditions_of(value: object) -> FundConditions:
    """A fund's conditions from the frame (a ``FundConditions``, a dict from JSON, or nothing)."""
    if isinstance(value, FundConditions):
        return value
    if isinstance(value, dict):
        return FundConditions.model_validate(value)
    return FundConditions()
