"""Frames from domain objects without a database: ``frames_from_models`` (for :class:`LedgerBuilder` and the
BDD steps) and ``aggregate_spends``, the in-memory model of how the SQL loader groups spend rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from grants.domain import models
from grants.domain.money import to_pence
from rules.frames import LedgerFrames, conform


def _rows(items: Iterable[Any], convert: Any) -> pd.DataFrame:
    return pd.DataFrame([convert(item) for item in items])


def _pence(amount: Any) -> int | None:
    return None if amount is None else to_pence(amount)


def frames_from_models(
    *,
    partnerships: Sequence[models.Partnership],
    funds: Sequence[models.Fund] = (),
    receipts: Sequence[models.Receipt] = (),
    lines: Sequence[models.BudgetLine] = (),
    profiles: Sequence[models.ProfileEntry] = (),
    spends: Sequence[models.Spend] = (),
    matches: Sequence[models.MatchContribution] = (),
    virements: Sequence[models.Virement] = (),
    outcomes: Sequence[models.OutcomeUpdate] = (),
    returns: Sequence[models.Return] = (),
    rounds: Sequence[models.GrantRound] = (),
    applications: Sequence[models.Application] = (),
    imported_tables: Sequence[models.ImportedTable] = (),
    as_at: date | None = None,
) -> LedgerFrames:
    """Frames from domain objects (ids set), without a database: for tests and the BDD steps.

    With ``as_at``, records dated after it are left out, as the SQL loader does.
    """

    def kept(day: date | None) -> bool:
        return as_at is None or day is None or day <= as_at

    names = {p.id: p.name for p in partnerships}
    tables: dict[str, pd.DataFrame] = {
        "funds": _rows(
            funds,
            lambda f: {
                "fund_id": f.id,
                "partnership_id": f.partnership_id,
                "partnership": names[f.partnership_id],
                "code": f.code,
                "name": f.name,
                "year": f.year,
                "starts": f.starts,
                "ends": f.ends,
                "amount_pence": to_pence(f.amount),
                "amount_status": f.amount_status.value,
                "conditions": f.conditions,
            },
        ),
        "receipts": _rows(
            (r for r in receipts if kept(r.received_on)),
            lambda r: {
                "receipt_id": r.id,
                "fund_id": r.fund_id,
                "amount_pence": to_pence(r.amount),
                "received_on": r.received_on,
                "status": r.status.value,
                "approximate": r.approximate,
                "reference": r.reference,
            },
        ),
        "lines": _rows(
            lines,
            lambda line: {
                "line_id": line.id,
                "fund_id": line.fund_id,
                "description": line.description,
                "delivery_partner": line.delivery_partner,
                "strategic_priority": line.strategic_priority,
                "area": line.area,
                "cohort": line.cohort,
                "theme": line.theme,
                "capital_revenue": line.capital_revenue.value,
                "allocated_pence": to_pence(line.allocated),
                "reported_balance_pence": _pence(line.reported_balance),
                "approved_by": line.approved_by,
                "approved_on": line.approved_on,
                "starts": line.starts,
                "ends": line.ends,
                "continuation_decided": line.continuation_decided,
                "source": line.source,
                "notes": line.notes,
            },
        ),
        "profiles": _rows(
            profiles,
            lambda p: {"line_id": p.line_id, "year": p.year, "quarter": p.quarter, "amount_pence": to_pence(p.amount)},
        ),
        "matches": _rows(
            (m for m in matches if kept(m.contributed_on)),
            lambda m: {
                "match_id": m.id,
                "fund_id": m.fund_id,
                "line_id": m.line_id,
                "kind": m.kind.value,
                "contributed_on": m.contributed_on,
                "contributor": m.contributor,
                "value_pence": to_pence(m.value),
            },
        ),
        "virements": _rows(
            (v for v in virements if kept(v.moved_on)),
            lambda v: {
                "virement_id": v.id,
                "fund_id": v.fund_id,
                "from_line_id": v.from_line_id,
                "to_line_id": v.to_line_id,
                "amount_pence": to_pence(v.amount),
                "moved_on": v.moved_on,
                "reason": v.reason,
                "approved_by": v.approved_by,
                "approved_on": v.approved_on,
                "status": v.status.value,
                "decided_on": v.decided_on,
            },
        ),
        "outcomes": _rows(
            (o for o in outcomes if kept(o.reported_on)),
            lambda o: {
                "outcome_id": o.id,
                "line_id": o.line_id,
                "period": o.period,
                "reported_on": o.reported_on,
                "evidence": o.evidence,
                "awaiting_data": o.awaiting_data,
            },
        ),
        "returns": _rows(
            returns,
            lambda r: {
                "return_id": r.id,
                "fund_id": r.fund_id,
                "period": r.period,
                "status": r.status.value,
                "due_on": r.due_on,
                "submitted_on": r.submitted_on,
            },
        ),
        "rounds": _rows(
            rounds,
            lambda r: {
                "round_id": r.id,
                "fund_id": r.fund_id,
                "number": r.number,
                "opens": r.opens,
                "closes": r.closes,
                "cap_pence": _pence(r.cap),
                "status": r.status.value,
            },
        ),
        "applications": _rows(
            applications,
            lambda a: {
                "application_id": a.id,
                "round_id": a.round_id,
                "applicant": a.applicant,
                "requested_pence": to_pence(a.requested),
                "received_on": a.received_on,
                "status": a.status.value,
                "line_id": a.line_id,
            },
        ),
        "imported_tables": _rows(
            imported_tables,
            lambda t: {
                "table_id": t.id,
                "fund_id": t.fund_id,
                "source": t.source,
                "as_at": t.as_at,
                "printed_allocated_pence": _pence(t.printed_allocated),
                "printed_spent_pence": _pence(t.printed_spent),
                "printed_balance_pence": _pence(t.printed_balance),
                "printed_received_pence": _pence(t.printed_received),
                "rows": t.rows,
                "rows_allocated_pence": _pence(t.rows_allocated),
                "rows_spent_pence": _pence(t.rows_spent),
                "rows_balance_pence": _pence(t.rows_balance),
            },
        ),
    }
    conformed_funds = conform("funds", tables["funds"])
    conformed_lines = conform("lines", tables["lines"])
    raw_spends = _rows(
        (s for s in spends if kept(s.spent_on)),
        lambda s: {
            "line_id": s.line_id,
            "spent_on": s.spent_on,
            "amount_pence": to_pence(s.amount),
            "kind": s.kind.value,
            "capital_revenue": s.capital_revenue.value if s.capital_revenue else None,
        },
    )
    tables["spends"] = aggregate_spends(raw_spends, conformed_lines, conformed_funds)
    return LedgerFrames.build(tables, as_at=as_at)


def aggregate_spends(raw: pd.DataFrame, lines: pd.DataFrame, funds: pd.DataFrame) -> pd.DataFrame:
    """Spend rows (``line_id, spent_on, amount_pence, kind, capital_revenue``) grouped as the SQL loader groups them.

    ``capital_revenue`` falls back to the line's; ``position`` compares each date with its fund's period.
    """
    if raw.empty:
        return conform("spends", None)
    spent_on = pd.to_datetime(raw["spent_on"]).astype("datetime64[ns]")
    periods = lines[["line_id", "fund_id", "capital_revenue"]].merge(
        funds[["fund_id", "starts", "ends"]], on="fund_id", how="left"
    )
    frame = pd.DataFrame(
        {
            "line_id": raw["line_id"].astype("int64").to_numpy(),
            "kind": raw["kind"].astype("str").to_numpy(),
            "spend_cr": raw["capital_revenue"].to_numpy(dtype=object),
            "amount_pence": raw["amount_pence"].astype("int64").to_numpy(),
            "spent_on": spent_on.to_numpy(),
        }
    ).merge(periods, on="line_id", how="left")
    frame["capital_revenue"] = frame["spend_cr"].where(frame["spend_cr"].notna(), frame["capital_revenue"])
    frame["capital_revenue"] = frame["capital_revenue"].fillna("revenue").astype("str")
    frame["month"] = frame["spent_on"].dt.to_period("M").dt.to_timestamp()
    frame["position"] = np.where(
        frame["spent_on"] < frame["starts"], "before", np.where(frame["spent_on"] > frame["ends"], "after", "during")
    )
    grouped = frame.groupby(["line_id", "kind", "capital_revenue", "month", "position"], as_index=False).agg(
        amount_pence=("amount_pence", "sum"),
        count=("amount_pence", "size"),
        first_on=("spent_on", "min"),
        last_on=("spent_on", "max"),
    )
    return conform("spends", grouped)
