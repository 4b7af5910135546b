"""Compliance: the findings of every rule, filtered, each explained from its rule's documentation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from grants.services.checking import REGISTRY, Registry
from grants.ui import common, data, findings_panel

if TYPE_CHECKING:
    from datetime import date

    from grants.services.access import Principal
    from rules.findings import Finding

SEVERITIES = ("error", "warning", "info")
WRAPPED_ROW = 78  # over 64px: Streamlit wraps text in rows taller than 4rem


def explain(registry: Registry, code: str, severity: str) -> None:
    """The rule's documentation: what it checks, why, when it fails and passes, and its parameters."""
    if code not in registry:
        st.caption("No documentation for this rule.")
        return
    rule = registry[code]
    st.markdown(f"**{rule.code} {rule.name}** · {common.severity_note(severity, rule.severity.value)}")
    st.markdown(rule.plain_summary)
    for section, text in rule.plain_sections.items():
        st.markdown(f"**{section}:** {text}")


_RANK = {"error": 0, "warning": 1, "info": 2}


def by_line(findings: list[Finding]) -> list[list[Finding]]:
    """Findings grouped by fund and line (a whole-fund finding under its fund), worst group first."""
    groups: dict[tuple[object, object], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.fund_id, finding.line_id), []).append(finding)
    ordered = [sorted(items, key=lambda f: (_RANK[f.severity.value], f.code)) for items in groups.values()]
    return sorted(
        ordered,
        key=lambda g: (
            _RANK[g[0].severity.value],
            g[0].fund or "",
            g[0].year or "",
            g[0].line is None,
            g[0].line or "",
        ),
    )


def show_by_line(findings: list[Finding], who: Principal, as_at: date) -> None:
    """One row per line with its findings counted and named; the chosen line's findings in full below."""
    groups = by_line(findings)
    table = pd.DataFrame(
        [
            {
                "Severity": group[0].severity.value.capitalize(),
                "Fund": f"{group[0].fund} {group[0].year}" if group[0].fund else "",
                "Line": group[0].line or "(whole fund)",
                "Errors": sum(1 for f in group if f.severity.value == "error"),
                "Warnings": sum(1 for f in group if f.severity.value == "warning"),
                "Findings": "; ".join(dict.fromkeys(f.name.replace("-", " ") for f in group)),
            }
            for group in groups
        ]
    )
    table, severity_column = common.pills(table, "Severity")
    selection = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="compliance_lines",
        row_height=WRAPPED_ROW,  # a line's many findings wrap rather than being cut short
        column_config={**severity_column, "Findings": st.column_config.TextColumn(width="large")},
    )
    rows = selection.selection.rows if hasattr(selection, "selection") else []
    group = groups[rows[0]] if rows else groups[0]
    if not rows:
        st.caption("Select a line to see all its findings; the first is shown.")
    first = group[0]
    st.subheader(f"{common.SEVERITY_ICONS.get(first.severity.value, '')} {common.md(first.line or first.fund)}")
    left, right = st.columns([3, 2], gap="large")
    with left:
        for finding in group:
            st.markdown(
                f"{common.SEVERITY_ICONS.get(finding.severity.value, '')} **{finding.code} "
                f"{finding.name.replace('-', ' ')}:** {common.md(finding.message)}"
            )
            if finding.hint:
                st.markdown(f"**What to do:** {common.md(finding.hint)}")
            with st.expander(f"Why {finding.code} asks this"):
                explain(REGISTRY, finding.code, finding.severity.value)
    with right:
        line_figures(first, who)
    if who.can_approve and not who.local and first.fund_id is not None:
        # The line's findings are accepted one at a time, here as in the "Every finding" view.
        chosen = st.selectbox(
            "Finding to accept",
            options=range(len(group)),
            format_func=lambda i: f"{group[i].code} {group[i].name.replace('-', ' ')}",
            key=f"accept_pick_{first.fund_id}_{first.line_id}",
        )
        findings_panel.accept_form(who, group[int(chosen or 0)], as_at)


def line_figures(picked: Finding, who: Principal) -> None:
    """The line's allocated and spent, and a link to it (or its fund) in Allocations."""
    if picked.fund_id is None:
        return
    params = {"fund": str(picked.fund_id)}
    if picked.line_id is not None:
        params["line"] = str(picked.line_id)
        line = next((b for b in data.lines(who, int(picked.fund_id)) if b.line.id == picked.line_id), None)
        if line is not None:
            st.metric("Allocated", common.gbp(line.allocated))
            st.metric("Spent", common.gbp(line.spent), help=f"Balance {common.gbp(line.balance)}")
    st.page_link(
        "grants/ui/allocations_page.py",
        label="Open the line in Allocations" if picked.line_id is not None else "Open the fund in Allocations",
        icon=":material/open_in_new:",
        query_params=params,
    )


who = common.principal()
as_at = common.as_at()
st.title("Compliance")
reviewed = data.reviewed_findings(who, as_at)
found = tuple(sorted(reviewed.open, key=data.worst_first))
st.caption(f"Every rule run over your partnerships' funds as at {common.uk_date(as_at)}.")
findings_panel.settled(who, reviewed)
if not found:
    st.success("No findings: every rule passes.", icon=":material/check_circle:")
    st.stop()

funds = sorted({f"{f.fund} {f.year}" for f in found if f.fund})
codes = sorted({f.code for f in found})
current_fund = next((s for s in data.fund_summaries(who) if s.fund.id == common.fund_id()), None)
cols = common.columns([2, 2, 3, 3])
chosen_funds = cols[0].multiselect(
    "Fund",
    options=funds,
    default=[f"{current_fund.fund.code} {current_fund.fund.year}"]
    if current_fund and f"{current_fund.fund.code} {current_fund.fund.year}" in funds
    else [],
    key="compliance_funds",
    placeholder="All funds",
)
chosen_severities = cols[1].multiselect(
    "Severity", options=list(SEVERITIES), key="compliance_severity", placeholder="All severities"
)
chosen_codes = cols[2].multiselect(
    "Rule",
    options=codes,
    key="compliance_codes",
    placeholder="All rules",
    format_func=lambda c: f"{c} {next(f.name for f in found if f.code == c)}",
)
line_text = cols[3].text_input("Line contains", key="compliance_line", placeholder="e.g. youth")

shown = [
    f
    for f in found
    if (not chosen_funds or f"{f.fund} {f.year}" in chosen_funds)
    and (not chosen_severities or f.severity.value in chosen_severities)
    and (not chosen_codes or f.code in chosen_codes)
    and (not line_text or line_text.lower() in (f.line or "").lower())
]
counts = {s: sum(1 for f in shown if f.severity.value == s) for s in SEVERITIES}
NAMES = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("note", "notes")}
st.markdown(
    f"**{len(shown)} of {len(found)} finding(s) shown:** "
    + " · ".join(f"{common.SEVERITY_ICONS[s]} {counts[s]} {NAMES[s][counts[s] != 1]}" for s in SEVERITIES)
)
if not shown:
    st.info("No findings match these filters.")
    st.stop()

view = st.radio(
    "Show",
    options=["By line", "Every finding"],
    horizontal=True,
    key="compliance_view",
    help="By line: each line (or whole fund) once, with all its findings together.",
)
if view == "By line":
    show_by_line(shown, who, as_at)
    st.stop()

table = pd.DataFrame(
    [
        {
            "Severity": f.severity.value.capitalize(),
            "Code": f.code,
            "Line": f.line or "(whole fund)",
            "Message": f.message,
            "Rule": f.name,
            "Fund": f"{f.fund} {f.year}" if f.fund else "",
            "What to do": f.hint,
        }
        for f in shown
    ]
)
if len({f.partnership for f in shown}) > 1:
    table.insert(5, "Partnership", [common.short_partnership(f.partnership or "") for f in shown])
table, severity_column = common.pills(table, "Severity")
selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="compliance_table",
    column_config={
        **severity_column,
        # The message beside the line, narrow enough to wrap onto the taller rows and stay on screen.
        "Line": st.column_config.TextColumn(width=200),
        "Message": st.column_config.TextColumn(width=380),
        "What to do": st.column_config.TextColumn(width=380),
        "Rule": st.column_config.TextColumn(width=common.fit_width(table["Rule"], most=240)),
    },
    row_height=WRAPPED_ROW,  # taller rows wrap long messages rather than cutting them short
)
rows = selection.selection.rows if hasattr(selection, "selection") else []
picked = shown[rows[0]] if rows else shown[0]
if not rows:
    st.caption("Select a finding to see its rule explained; the first is shown.")

st.subheader(
    f"{common.SEVERITY_ICONS.get(picked.severity.value, '')} {picked.code} · {common.md(picked.line or picked.fund)}"
)
left, right = st.columns([3, 2], gap="large")
with left:
    st.markdown(common.md(picked.message))
    if picked.hint:
        st.markdown(f"**What to do:** {common.md(picked.hint)}")
    explain(REGISTRY, picked.code, picked.severity.value)
with right:
    line_figures(picked, who)
findings_panel.accept_form(who, picked, as_at)
