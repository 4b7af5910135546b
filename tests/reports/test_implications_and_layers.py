"""Budget / Resource Implications text, and the reports package's imports."""

from __future__ import annotations

import ast
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from reports.implications import implications_text
from reports.model import BehindLine, PriorityFigures
from tests.reports.conftest import FISH, PARTNERSHIP, YEAR, BuiltLedger
from tests.support.ops import budget_implications

ROOT = Path(__file__).resolve().parents[2]


def test_each_priority_gets_a_paragraph_from_the_figures(ledger: BuiltLedger) -> None:
    texts = dict(budget_implications(ledger.database, partnership=PARTNERSHIP, year=YEAR, as_at=date(2025, 9, 30)))
    assert list(texts) == ["SP1 Violence", "SP2 Youth", "No strategic priority"]
    assert texts["SP1 Violence"] == (
        "£15,000.00 is allocated to this priority in 2025/26 across 2 budget lines (TF). "
        "£6,350.00 (42.3%) has been spent to date, leaving £8,650.00. "
        f"1 line is behind the spend profile: Chip shop ASB patrols ({FISH}), £4,000.00 behind (red)."
    )
    assert texts["SP2 Youth"].endswith("No line is behind its spend profile.")
    assert texts["No strategic priority"].startswith("£15,000.00 is allocated to lines with no strategic priority")


def test_an_overspent_priority_says_so_and_long_lists_are_cut_short() -> None:
    behind = tuple(BehindLine(f"Line {n}", "", Decimal("10.00"), "Amber") for n in range(7))
    text = implications_text(
        PriorityFigures("SP3", ("PLF",), 7, Decimal("100.00"), Decimal("120.00"), Decimal("-20.00"), behind, "2026/27")
    )
    assert "£20.00 more than allocated" in text
    assert "Line 4, £10.00 behind (amber); and 2 other lines." in text
    assert implications_text(PriorityFigures("SP3", (), 0, Decimal(0), Decimal(0), Decimal(0))) == (
        "No money is allocated to this priority."
    )


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_reports_package_imports_only_the_domain_its_own_modules_and_its_libraries() -> None:
    allowed = ("grants.domain", "reports", "reportlab", "openpyxl", "jsonschema", "fastjsonschema", "referencing")
    offenders = []
    for path in sorted((ROOT / "reports").rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top == "__future__":
                continue
            if not any(name == ok or name.startswith(ok + ".") for ok in allowed):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []
