"""User-facing text never cites the repository's own notes ("docs/domain.md §4", "DOMAIN.md §7").

The code's docstrings and docs/rules.md may cite them; what a user reads (rule explanations on the
Compliance page, finding messages and hints, page and report text, the demo's notes and PDFs) may not.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from grants.services.demo import PARTNERSHIP
from grants.services.reporting import render_budget_pack
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from rules.base import without_citations
from rules.registry import REGISTRY
from tests.reports.conftest import pdf_text
from tests.support.ops import budget_pack, run_checks

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = re.compile(r"DOMAIN\.md|domain\.md|§\s*\d|\bbrief\b", re.IGNORECASE)
USER_FACING = ["grants/ui", "grants/cli", "reports", "streamlit_app.py"]


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module that is not a docstring, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def _modules() -> list[Path]:
    found: list[Path] = []
    for name in USER_FACING:
        path = ROOT / name
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return found


def test_the_scan_recognises_a_citation() -> None:
    assert INTERNAL.search("see DOMAIN.md §7") and INTERNAL.search("(docs/domain.md §4, ALC001)")
    assert without_citations("no money (docs/domain.md §4, ALC001).") == "no money."
    assert without_citations("a threshold (10% by default, inferred: docs/domain.md §1 and §4)") == (
        "a threshold (10% by default, inferred)"
    )
    assert without_citations("kept (as printed)") == "kept (as printed)"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_page_report_and_command_text_cites_no_internal_document(path: Path) -> None:
    cited = [f"line {line}: {text!r}" for line, text in _strings(path) if INTERNAL.search(text)]
    assert cited == []


@pytest.mark.parametrize("code", REGISTRY.codes)
def test_a_rule_explained_to_users_cites_no_internal_document(code: str) -> None:
    item = REGISTRY[code]
    shown = [item.plain_summary, *item.plain_sections.values()]
    assert [text for text in shown if INTERNAL.search(text)] == []
    assert "Why" in item.plain_sections and item.plain_sections["Why"].strip()


def test_the_demos_findings_notes_and_pack_cite_no_internal_document(demo_database: Database) -> None:
    findings = run_checks(demo_database, as_at=date(2026, 11, 29)) + run_checks(demo_database, as_at=date(2017, 10, 26))
    assert findings
    assert [(f.code, f.message, f.hint) for f in findings if INTERNAL.search(f.message + f.hint)] == []
    with UnitOfWork(demo_database) as uow:
        notes = [fund.notes for fund in uow.funds.find()] + [line.notes for line in uow.lines.find()]
    assert [note for note in notes if INTERNAL.search(note)] == []
    for year in ("2017/18", "2026/27"):
        pack = budget_pack(demo_database, partnership=PARTNERSHIP, year=year, as_at=date(2026, 11, 29))
        for fmt in ("pdf", "csv"):
            data = render_budget_pack(pack, fmt, invariant=True)
            text = pdf_text(data) if fmt == "pdf" else data.decode("utf-8-sig")
            assert not INTERNAL.search(text), INTERNAL.search(text)
