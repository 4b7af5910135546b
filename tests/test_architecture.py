"""Imports point inward: ui/cli -> services -> rules/reports/imports/storage -> domain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package -> module prefixes it must never import
FORBIDDEN = {
    "grants/domain": [
        "grants.storage",
        "grants.services",
        "grants.imports",
        "grants.ui",
        "grants.cli",
        "rules",
        "reports",
        "streamlit",
        "sqlalchemy",
        "alembic",
        "reportlab",
        "pandas",
        "openpyxl",
        "psycopg",
    ],
    "grants/imports": [
        "grants.storage",
        "grants.services",
        "grants.ui",
        "grants.cli",
        "rules",
        "reports",
        "streamlit",
        "sqlalchemy",
    ],
    "grants/storage": ["grants.services", "grants.imports", "grants.ui", "grants.cli", "rules", "reports", "streamlit"],
    "rules": [
        "grants.storage",
        "grants.services",
        "grants.ui",
        "grants.cli",
        "reports",
        "streamlit",
        "sqlalchemy",
        "reportlab",
    ],
    "reports": ["grants.storage", "grants.services", "grants.ui", "grants.cli", "streamlit", "sqlalchemy"],
    "grants/services": ["grants.ui", "grants.cli", "streamlit"],
    "grants/cli": ["grants.ui", "streamlit"],
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(package: str, forbidden: list[str]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_layer_imports_only_inward(package: str) -> None:
    assert _violations(package, FORBIDDEN[package]) == []


def test_only_the_app_frame_and_ui_package_import_streamlit() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        # benchmarks time the app through AppTest, as the tests do: both sit outside the product
        if relative.parts[0] in (".venv", "tests", "benchmarks") or relative.parts[:2] == ("grants", "ui"):
            continue
        if relative == Path("streamlit_app.py"):
            continue
        if any(n == "streamlit" or n.startswith("streamlit.") for n in _imports(path)):
            offenders.append(str(relative))
    assert offenders == []


def test_the_layer_check_would_catch_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit\nfrom grants.storage.tables import Base\n")
    assert _imports(bad) == {"streamlit", "grants.storage.tables"}
