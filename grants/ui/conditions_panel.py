"""The Conditions tab of the Funds page: each condition in force and where it comes from (the funder's
programme, an approved override, this fund, or the default); the manager proposes a change with a reason;
the Strategic Group approves or rejects what is pending. Nothing changes until it is approved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from grants.domain.conditions import CONDITION_LABELS, FundConditions, condition_text, same_value
from grants.domain.enums import ReturnCadence, Role
from grants.domain.models import Fund
from grants.services import condition_changes, programmes, usecase
from grants.services.access import Principal
from grants.ui import common, data
from grants.ui.context import database


def _items(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("\n", ",").split(",") if part.strip())


def _share(value: float | None) -> Decimal | None:
    return None if value is None else (Decimal(str(value)) / 100).quantize(Decimal("0.0001"))


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else float(value * 100)


def show(who: Principal, fund: Fund) -> None:
    """The conditions table, the pending changes and (for the manager) the form to propose one."""
    assert fund.id is not None
    rows = data.fund_conditions(who, fund.id)
    st.caption(
        "The conditions of the grant agreement, which the compliance checks read, and where each comes from. "
        "A change is proposed here and takes effect when the Strategic Group approves it."
    )
    st.dataframe(
        pd.DataFrame(
            [{"Condition": r.label, "Value": condition_text(r.name, r.value), "Comes from": r.source} for r in rows]
        ),
        hide_index=True,
        width="stretch",
    )
    _pending(who, fund)
    if who.can_write:
        _propose(who, fund)
    if fund.programme_id is not None and who.role is Role.FUNDER:
        _programme_form(who, fund.programme_id)


def _programme_form(who: Principal, programme_id: int) -> None:
    """The funder's officer sets the programme's main conditions; they apply at once to every fund in it."""
    view = data.programme(who, programme_id)
    p = view.programme
    with st.form(f"programme_form_{programme_id}"):
        st.markdown(f"**Programme conditions: {common.md(p.name)}** ({common.md(view.funder)})")
        st.caption("A change applies at once to every fund in the programme that does not override it.")
        c = p.conditions
        cols = common.columns(3)
        cap = cols[0].number_input(
            "Programme per-grant cap (£)",
            value=common.as_float(c.per_grant_cap),
            min_value=0.0,
            step=500.0,
            format="%.2f",
            key=f"prog_cap_{programme_id}",
        )
        match = cols[1].number_input(
            "Programme match required (% of grant)",
            value=_percent(c.match_share),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            key=f"prog_match_{programme_id}",
        )
        deadline = cols[2].date_input(
            "Programme: allocate everything by",
            value=c.allocation_deadline,
            format="DD/MM/YYYY",
            key=f"prog_deadline_{programme_id}",
        )
        cols = common.columns(2)
        cadences = [r.value for r in ReturnCadence]
        cadence = cols[0].selectbox(
            "Programme returns",
            options=cadences,
            index=cadences.index(c.return_cadence.value),
            format_func=lambda v: v.replace("_", " "),
            key=f"prog_cadence_{programme_id}",
        )
        due_days = cols[1].number_input(
            "Programme return due (days after period)",
            value=c.return_due_days,
            min_value=0,
            max_value=366,
            step=1,
            key=f"prog_due_{programme_id}",
        )
        cols = common.columns(2)
        areas = cols[0].text_input(
            "Programme eligible areas (comma-separated)",
            value=", ".join(c.eligible_areas),
            placeholder="any",
            key=f"prog_areas_{programme_id}",
        )
        themes = cols[1].text_input(
            "Programme eligible themes",
            value=", ".join(c.eligible_themes),
            placeholder="any",
            key=f"prog_themes_{programme_id}",
        )
        if st.form_submit_button("Save programme conditions", type="primary"):
            with common.saving("Programme conditions saved"):
                usecase.perform(
                    database(),
                    who,
                    programmes.set_programme,
                    funder=p.funder_id,
                    code=p.code,
                    year=p.year,
                    changes={
                        "per_grant_cap": common.to_money(cap) if cap else None,
                        "match_share": _share(match) if match else None,
                        "allocation_deadline": deadline,
                        "return_cadence": cadence,
                        "return_due_days": int(due_days) if due_days is not None else None,
                        "eligible_areas": _items(areas),
                        "eligible_themes": _items(themes),
                    },
                )


def _pending(who: Principal, fund: Fund) -> None:
    assert fund.id is not None
    waiting = data.pending_condition_changes(who, fund.id)
    if not waiting:
        return
    st.markdown("**Changes waiting for the Strategic Group** (the conditions above stay in force until then)")
    for item in waiting:
        change = item.change
        assert change.id is not None
        what = [f"{CONDITION_LABELS.get(n, n)}: {condition_text(n, v)}" for n, v in change.changes.items()]
        what += [f"{CONDITION_LABELS.get(n, n)}: from the programme again" for n in change.inherit]
        st.markdown(
            f"{common.md('; '.join(what))}  \n*{common.md(change.reason)}* (proposed by "
            f"{common.md(change.proposed_by)} on {common.uk_date(change.proposed_on)})"
        )
        if not who.can_approve:
            continue
        cols = common.columns([1, 3])
        if cols[0].button("Approve", key=f"cond_approve_{change.id}", type="primary"):
            with common.saving("Change of conditions approved"):
                usecase.perform(database(), who, condition_changes.approve_change, change.id, on=common.today())
        with cols[1].form(f"cond_reject_form_{change.id}", clear_on_submit=True):
            reason = st.text_input("Why reject it (the manager will read this)", key=f"cond_reject_{change.id}")
            if st.form_submit_button("Reject"):
                with common.saving("Change of conditions rejected"):
                    usecase.perform(
                        database(),
                        who,
                        condition_changes.reject_change,
                        change.id,
                        reason=reason,
                        on=common.today(),
                    )


def _propose(who: Principal, fund: Fund) -> None:
    fund_id = fund.id
    assert fund_id is not None
    c = fund.conditions
    in_programme = fund.programme_id is not None
    with st.form(f"conditions_form_{fund_id}"):
        st.markdown("**Propose a change**")
        if in_programme:
            st.caption(
                "This fund takes its conditions from its funder's programme: a value changed here becomes this "
                "fund's override of the programme's, with your reason."
            )
        cols = common.columns(3)
        cap = cols[0].number_input(
            "Per-grant cap (£)",
            value=common.as_float(c.per_grant_cap),
            min_value=0.0,
            step=500.0,
            format="%.2f",
            key=f"cond_cap_{fund_id}",
            help=FundConditions.model_fields["per_grant_cap"].description,
        )
        evidence = cols[1].number_input(
            "Evidence needed from (£)",
            value=common.as_float(c.evidence_threshold),
            min_value=0.0,
            step=500.0,
            format="%.2f",
            key=f"cond_evidence_{fund_id}",
            help=FundConditions.model_fields["evidence_threshold"].description,
        )
        virement = cols[2].number_input(
            "Virement threshold (% of a line)",
            value=_percent(c.virement_threshold),
            min_value=0.0,
            max_value=100.0,
            step=1.0,
            key=f"cond_virement_{fund_id}",
        )
        cols = common.columns(3)
        match = cols[0].number_input(
            "Match required (% of grant)",
            value=_percent(c.match_share),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            key=f"cond_match_{fund_id}",
        )
        capital = cols[1].number_input(
            "Capital at most (% of fund)",
            value=_percent(c.capital_share_max),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            key=f"cond_capital_{fund_id}",
        )
        revenue = cols[2].number_input(
            "Revenue at most (% of fund)",
            value=_percent(c.revenue_share_max),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            key=f"cond_revenue_{fund_id}",
        )
        cols = common.columns(2)
        areas = cols[0].text_input(
            "Eligible areas (beats, comma-separated)",
            value=", ".join(c.eligible_areas),
            key=f"cond_areas_{fund_id}",
            placeholder="any",
        )
        themes = cols[1].text_input(
            "Eligible themes",
            value=", ".join(c.eligible_themes),
            key=f"cond_themes_{fund_id}",
            placeholder="any",
        )
        cols = common.columns(2)
        cohorts = cols[0].text_input(
            "Eligible cohorts",
            value=", ".join(c.eligible_cohorts),
            key=f"cond_cohorts_{fund_id}",
            placeholder="any",
        )
        excluded = cols[1].text_input(
            "Excluded categories",
            value=", ".join(c.excluded_categories),
            key=f"cond_excluded_{fund_id}",
            placeholder="none",
        )
        cols = common.columns(4)
        deadline = cols[0].date_input(
            "Allocate everything by",
            value=c.allocation_deadline,
            format="DD/MM/YYYY",
            key=f"cond_deadline_{fund_id}",
        )
        cadences = [r.value for r in ReturnCadence]
        cadence = cols[1].selectbox(
            "Returns",
            options=cadences,
            index=cadences.index(c.return_cadence.value),
            format_func=lambda v: v.replace("_", " "),
            key=f"cond_cadence_{fund_id}",
        )
        due_days = cols[2].number_input(
            "Return due (days after period)",
            value=c.return_due_days,
            min_value=0,
            max_value=366,
            step=1,
            key=f"cond_due_{fund_id}",
            help="Blank: the end of the next month",
        )
        monitoring = cols[3].number_input(
            "Monitoring every (days)",
            value=c.monitoring_cadence_days,
            min_value=1,
            max_value=366,
            step=1,
            key=f"cond_monitoring_{fund_id}",
        )
        cols = common.columns(2)
        carry = cols[0].checkbox(
            "Spend may fall outside the grant period",
            value=c.carry_over_allowed,
            key=f"cond_carry_{fund_id}",
        )
        priority = cols[1].checkbox(
            "Every line needs a strategic priority",
            value=c.strategic_priority_required,
            key=f"cond_priority_{fund_id}",
        )
        inherit: list[str] = []
        if in_programme and fund.condition_overrides.fields:
            inherit = st.multiselect(
                "Take these from the programme again",
                options=sorted(fund.condition_overrides.fields),
                format_func=lambda name: CONDITION_LABELS.get(name, name),
                key=f"cond_inherit_{fund_id}",
            )
        reason = st.text_area("Why (the Strategic Group will read this)", key=f"cond_reason_{fund_id}")
        if st.form_submit_button("Propose change", type="primary"):
            wanted: dict[str, Any] = {
                "per_grant_cap": common.to_money(cap) if cap else None,
                "evidence_threshold": common.to_money(evidence) if evidence else None,
                "virement_threshold": _share(virement) if virement is not None else Decimal("0.10"),
                "match_share": _share(match) if match else None,
                "capital_share_max": _share(capital) if capital is not None else None,
                "revenue_share_max": _share(revenue) if revenue is not None else None,
                "eligible_areas": _items(areas),
                "eligible_themes": _items(themes),
                "eligible_cohorts": _items(cohorts),
                "excluded_categories": _items(excluded),
                "allocation_deadline": deadline,
                "return_cadence": cadence,
                "return_due_days": int(due_days) if due_days is not None else None,
                "monitoring_cadence_days": int(monitoring) if monitoring is not None else None,
                "carry_over_allowed": carry,
                "strategic_priority_required": priority,
            }
            with common.saving("Change proposed: it takes effect when the Strategic Group approves it"):
                current = c.model_dump(mode="json")
                changed = {n: v for n, v in wanted.items() if not same_value(n, v, current[n])}
                usecase.perform(
                    database(),
                    who,
                    condition_changes.propose_change,
                    fund_id,
                    changes=changed,
                    inherit=inherit,
                    override=in_programme and bool(changed),
                    reason=reason,
                    on=common.today(),
                )
