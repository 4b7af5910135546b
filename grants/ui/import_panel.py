"""What the import panels share: template downloads, the preview (headings read, rows to be added or
changed), the list of problems; and the panels for budget tables and action plans, and spend profiles."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from grants.domain.models import Fund
from grants.imports.parsed import ImportRejected
from grants.services import importing, papers_import, usecase
from grants.services.access import Principal
from grants.services.templates import template
from grants.ui import common
from grants.ui.context import database

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_SHOWN = 500
IMPORTED = "ledger_imported"
"""Session key: the uploads (kind, fund, SHA-256) imported by these panels in this session."""
KINDS = {"budget": "Budget table", "plan": "Action plan"}


def template_downloads(kind: str, key: str) -> None:
    """Buttons to download a blank template (Excel and CSV) for one kind of import."""
    cols = common.columns([1, 1, 3])
    cols[0].download_button(
        "Template (Excel)", template(kind, ".xlsx"), file_name=f"{kind}-template.xlsx", mime=XLSX, key=f"{key}_xlsx"
    )
    cols[1].download_button(
        "Template (CSV)", template(kind, ".csv"), file_name=f"{kind}-template.csv", mime="text/csv", key=f"{key}_csv"
    )


def problems_table(error: ImportRejected) -> pd.DataFrame:
    return pd.DataFrame(
        [{"File": p.file, "Row": p.row, "Column": p.column or "", "Problem": p.reason} for p in error.problems]
    )


def show_preview(report: importing.ImportReport) -> None:
    """Which heading was read as which field, and each row to be added or changed."""
    if report.headings:
        st.markdown("**Headings read**")
        st.dataframe(
            pd.DataFrame({"Heading in the file": list(report.headings), "Read as": list(report.headings.values())}),
            hide_index=True,
        )
    st.markdown(f"**What would change ({len(report.changes)})**")
    st.dataframe(pd.DataFrame({"Change": report.changes[:ROWS_SHOWN]}), hide_index=True, width="stretch")
    if len(report.changes) > ROWS_SHOWN:
        st.caption(f"… and {len(report.changes) - ROWS_SHOWN:,} more")


def _run(
    who: Principal, uploaded: Any, fund: Fund, kind: str, several: bool, as_at: date, *, dry_run: bool
) -> list[Any]:
    run = usecase.read if dry_run else usecase.perform
    db = database()
    with tempfile.TemporaryDirectory(prefix="grants-upload-") as folder:
        path = Path(folder) / Path(uploaded.name).name
        path.write_bytes(uploaded.getvalue())
        options: dict[str, Any] = {"year": fund.year, "as_at": as_at, "dry_run": dry_run}
        if kind == "plan":
            fund_code = None if several else fund.code
            return list(
                run(db, who, papers_import.import_plan, fund.partnership_id, path, fund_code=fund_code, **options)
            )
        if several:
            return list(run(db, who, papers_import.import_budget_funds, fund.partnership_id, path, **options))
        return [run(db, who, importing.import_budget, fund.partnership_id, path, fund_code=fund.code, **options)]


def ledger_import_panel(who: Principal, fund: Fund) -> None:
    """Import a budget table or an action plan into this fund (or each fund the file names), preview first."""
    kind = st.radio(
        "What the file holds", options=list(KINDS), format_func=KINDS.__getitem__, horizontal=True, key="ledger_kind"
    )
    kind = str(kind)
    template_downloads(kind, f"ledger_template_{kind}")
    cols = common.columns(2)
    several = cols[0].checkbox(
        "Several funds: each table's heading (or sheet) names its fund",
        key="ledger_several",
        help="Otherwise every row goes to this fund.",
    )
    as_at = cols[1].date_input("Figures as at", value=common.as_at(), format="DD/MM/YYYY", key="ledger_as_at")
    uploaded = st.file_uploader("Budget table or action plan", type=["csv", "xlsx"], key="ledger_upload")
    if uploaded is None:
        return
    key = f"{kind}:{fund.id}:{several}:{hashlib.sha256(uploaded.getvalue()).hexdigest()}"
    preview_then_import(
        "ledger", uploaded, key, lambda dry_run: _run(who, uploaded, fund, kind, several, as_at, dry_run=dry_run)
    )


def preview_then_import(prefix: str, uploaded: Any, key: str, run: Callable[[bool], list[Any]]) -> None:
    """Show the dry run's preview (or every problem); import once on the button (``{prefix}_import``)."""
    done = st.session_state.setdefault(IMPORTED, {})
    if key in done:
        st.success(f"Imported: {common.md(done[key])}", icon=":material/check_circle:")
        return
    try:
        previews = run(True)
    except ImportRejected as error:
        st.error(f"{common.md(uploaded.name)} cannot be imported: {error.total} problem(s). Nothing was saved.")
        st.dataframe(problems_table(error), hide_index=True, width="stretch")
        return
    except Exception as error:
        st.error(f"{common.md(uploaded.name)} could not be read: {common.md(error)}")
        return
    for preview in previews:
        st.success(f"Preview: {common.md(preview.summary())}", icon=":material/search:")
        show_preview(preview)
    if st.button(f"Import {common.md(uploaded.name)}", type="primary", key=f"{prefix}_import"):
        with common.saving():
            reports = run(False)
            summary = "; ".join(report.summary() for report in reports)
            done[key] = summary
            common.saved(common.md(summary))


def profile_import_panel(who: Principal, fund: Fund) -> None:
    """Import quarterly spend profiles for this fund's lines, preview first."""
    template_downloads("profile", "profile_template")
    uploaded = st.file_uploader("Spend profile", type=["csv", "xlsx"], key="profile_upload")
    if uploaded is None:
        return
    key = f"profile:{fund.id}:{hashlib.sha256(uploaded.getvalue()).hexdigest()}"

    def run(dry_run: bool) -> list[Any]:
        work = usecase.read if dry_run else usecase.perform
        with tempfile.TemporaryDirectory(prefix="grants-upload-") as folder:
            path = Path(folder) / Path(uploaded.name).name
            path.write_bytes(uploaded.getvalue())
            return [work(database(), who, importing.import_profile, fund.id or 0, path, dry_run=dry_run)]

    preview_then_import("profile", uploaded, key, run)
