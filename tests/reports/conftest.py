"""Fixtures for the report tests: a small ledger built here, the demo ledger, PDF and workbook readers."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from grants.domain.conditions import FundConditions
from grants.domain.enums import ReceiptStatus, ReturnCadence
from grants.domain.models import BudgetLine, Fund, OutcomeUpdate, Partnership, ProfileEntry, Receipt, Spend
from grants.services.demo import load_demo
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from reports.model import FindingRow
from tests.conftest import unavailable

PARTNERSHIP = "Testshire Community Safety Partnership"
YEAR = "2025/26"
FISH = "Fish & Chips <Ltd>"
FORMULA_DESCRIPTIONS = ("=SUM(A1:A9)", "+44 helpline", "-5% contingency", "@risk outreach")


def money(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.01"))


def no_findings(*_args: object) -> tuple[FindingRow, ...]:
    return ()


def some_findings(*_args: object) -> tuple[FindingRow, ...]:
    return (
        FindingRow("ALC004", "no-strategic-priority", "error", "TF", YEAR, FISH, "No priority for <this> & that.", ""),
        FindingRow("PRF001", "behind-profile", "warning", "TF", YEAR, "Youth outreach", "Behind profile.", "Ask."),
    )


@dataclass(frozen=True)
class BuiltLedger:
    database: Database
    fund_id: int
    line_ids: dict[str, int]


def _line(
    uow: UnitOfWork,
    fund_id: int,
    description: str,
    partner: str,
    priority: str,
    allocated: str,
    *,
    approved: bool = True,
    area: str = "",
) -> int:
    line = uow.lines.add(
        BudgetLine(
            fund_id=fund_id,
            description=description,
            delivery_partner=partner,
            strategic_priority=priority,
            area=area,
            allocated=money(allocated),
            approved_by="Strategic Group" if approved else "",
            approved_on=date(2025, 4, 20) if approved else None,
        )
    )
    assert line.id is not None
    return line.id


def build_test_ledger(database: Database, *, code: str = "TF", quarterly: bool = False) -> BuiltLedger:
    """A fund of £50,000 with five lines, profiles, spends (one refund, one income) and an expected receipt.

    Allocated £50,000.00; spent by 30/09/2025 £15,350.00; spent by 31/03/2026 £20,350.00.
    """
    conditions = FundConditions(return_cadence=ReturnCadence.QUARTERLY if quarterly else ReturnCadence.SIX_MONTHLY)
    with UnitOfWork(database, actor="test") as uow, uow.dated(date(2025, 4, 1)):  # recorded as the year began
        owner = uow.partnerships.add(Partnership(name=PARTNERSHIP))
        assert owner.id is not None
        fund = uow.funds.add(
            Fund(
                code=code,
                name="Test Fund",
                partnership_id=owner.id,
                year=YEAR,
                starts=date(2025, 4, 1),
                ends=date(2026, 3, 31),
                amount=money("50000"),
                conditions=conditions,
            )
        )
        assert fund.id is not None
        uow.receipts.add(Receipt(fund_id=fund.id, amount=money("30000"), received_on=date(2025, 5, 1)))
        uow.receipts.add(Receipt(fund_id=fund.id, amount=money("20000"), status=ReceiptStatus.EXPECTED))
        ids = {
            "youth": _line(uow, fund.id, "Youth outreach", "Go-Getta", "SP2 Youth", "20000.00", area="NL62"),
            "fish": _line(uow, fund.id, "Chip shop ASB patrols", FISH, "SP1 Violence", "10000.00"),
            "formula": _line(uow, fund.id, FORMULA_DESCRIPTIONS[0], '=HYPERLINK("x")', "SP1 Violence", "5000.00"),
            "plus": _line(uow, fund.id, FORMULA_DESCRIPTIONS[1], "Helpline CIC", "", "7500.50"),
            "unapproved": _line(uow, fund.id, "Contingency", "", "", "7499.50", approved=False),
        }
        for key, quarters in {
            "youth": ("5000", "5000", "5000", "5000"),
            "fish": ("2500", "2500", "2500", "2500"),
            "formula": ("0", "5000", "0", "0"),
        }.items():
            for number, amount in enumerate(quarters, start=1):
                if Decimal(amount):
                    uow.profiles.add(ProfileEntry(line_id=ids[key], year=YEAR, quarter=number, amount=money(amount)))
        for key, day, amount, kind in (
            ("youth", date(2025, 5, 10), "5000", "payment"),
            ("youth", date(2025, 8, 10), "4000", "payment"),
            ("fish", date(2025, 9, 1), "1000", "payment"),
            ("formula", date(2025, 7, 1), "5500", "payment"),
            ("formula", date(2025, 9, 30), "150", "refund"),
            ("plus", date(2025, 6, 1), "99.99", "income"),
            ("youth", date(2025, 11, 1), "5000", "payment"),
        ):
            uow.spends.add(Spend(line_id=ids[key], spent_on=day, amount=money(amount), kind=kind))
        uow.outcomes.add(
            OutcomeUpdate(
                line_id=ids["youth"],
                period=f"{YEAR} Q1",
                reported_on=date(2025, 7, 15),
                outputs=Decimal("42"),
                unit="young people",
                narrative="Sessions ran.",
                evidence="Registers",
            )
        )
        uow.outcomes.add(
            OutcomeUpdate(
                line_id=ids["fish"],
                period=f"{YEAR} Q3",
                reported_on=date(2026, 1, 15),
                awaiting_data=True,
                narrative="Awaiting data.",
            )
        )
        uow.commit()
    return BuiltLedger(database, fund.id, ids)


@pytest.fixture
def ledger(database: Database) -> BuiltLedger:
    return build_test_ledger(database)


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory, _migrated_sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(_migrated_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    load_demo(database)
    database.dispose()
    return path


@pytest.fixture
def demo_database(tmp_path: Path, _demo_template: Path) -> Iterator[Database]:
    """A copy of a database with the demo loaded (loaded once per session)."""
    path = tmp_path / "demo.db"
    shutil.copyfile(_demo_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


def pdf_text(data: bytes) -> str:
    """Every page's text, pages joined by form feeds."""
    return "\f".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_metadata(data: bytes) -> dict[str, str]:
    info = PdfReader(io.BytesIO(data)).metadata
    return {str(key): str(value) for key, value in (info or {}).items()}


@pytest.fixture
def qpdf_check(tmp_path: Path) -> Callable[[bytes], None]:
    """Run ``qpdf --check`` on PDF bytes (``unavailable`` when qpdf is not installed)."""
    qpdf = shutil.which("qpdf")

    def check(data: bytes) -> None:
        if qpdf is None:
            unavailable("qpdf is not installed (apt-get install qpdf)")
        path = tmp_path / f"check-{len(data)}.pdf"
        path.write_bytes(data)
        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    return check


def squash(text: str) -> str:
    """Whitespace collapsed, so wrapped cells compare as one line."""
    return " ".join(text.split())


def contains_all(text: str, needles: Sequence[str]) -> list[str]:
    flat = squash(text)
    return [needle for needle in needles if needle not in flat]
