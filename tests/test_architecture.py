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
    "grants/figures.py": [
        "grants.storage",
        "grants.services",
        "grants.imports",
        "grants.ui",
        "grants.cli",
        "rules",
        "reports",
        "streamlit",
        "sqlalchemy",
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
    root = ROOT / package
    assert root.exists(), f"{package} is not in the repository"
    for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
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


# -- no import cycles ----------------------------------------------------------------------------------

PACKAGES = ("grants", "rules", "reports")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (anywhere in the file, a function-level import included).

    ``from package import module`` counts as importing ``package.module``; ``from module import name`` as
    importing ``module``. Migrations are left out: Alembic loads them, nothing imports them.
    """
    paths = [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts
    ]
    modules = {_module_name(path): path for path in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_among_the_projects_modules() -> None:
    assert _cycles(_module_graph()) == []


def test_the_cycle_check_would_catch_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
