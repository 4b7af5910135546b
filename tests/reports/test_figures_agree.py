"""One set of figures everywhere: random ledgers, and the budget pack, the OPCC return, the Overview's
figures and the rules PRF001/PRF004 agree with each other and with sums worked out here from the raw
records, to the penny, at a random as-at date (often mid-quarter and mid-half)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.domain.calendar import FinancialYear
from grants.domain.enums import ReceiptStatus, SpendKind
from grants.domain.models import BudgetLine, Fund, Partnership, ProfileEntry, Receipt, Spend
from grants.domain.money import from_pence
from grants.services import queries, reporting, returns
from grants.services.access import local_operator
from grants.services.checking import ledger_findings
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from reports.text import gbp
from tests.support.databases import fresh_copy

CSP, CODE = "Charnwood", "PLF"
YEAR = FinancialYear.parse("2023/24")
ZERO = Decimal("0.00")
WHO = local_operator("property test")


@dataclass(frozen=True)
class LineSpec:
    allocated: int  # pence
    profile: tuple[int, ...] | None  # pence per quarter, or no profile
    approved: bool


@dataclass(frozen=True)
class SpendSpec:
    line: int
    day: int  # days after the year's start
    kind: SpendKind
    pence: int


@dataclass(frozen=True)
class ReceiptSpec:
    pence: int
    day: int | None  # None: still expected


pence = st.integers(min_value=0, max_value=2_000_000)
line_specs = st.builds(
    LineSpec,
    allocated=pence,
    profile=st.one_of(st.none(), st.tuples(*[st.integers(min_value=0, max_value=600_000)] * 4)),
    approved=st.booleans(),
)
ledgers = st.fixed_dictionaries(
    {
        "amount": st.integers(min_value=0, max_value=6_000_000),
        "lines": st.lists(line_specs, min_size=1, max_size=4),
        "spends": st.lists(
            st.builds(
                SpendSpec,
                line=st.integers(min_value=0, max_value=3),
                day=st.integers(min_value=0, max_value=364),
                kind=st.sampled_from([SpendKind.PAYMENT, SpendKind.PAYMENT, SpendKind.REFUND, SpendKind.INCOME]),
                pence=st.integers(min_value=1, max_value=400_000),
            ),
            max_size=25,
        ),
        "receipts": st.lists(
            st.builds(
                ReceiptSpec,
                pence=st.integers(min_value=1, max_value=4_000_000),
                day=st.one_of(st.none(), st.integers(min_value=0, max_value=364)),
            ),
            max_size=3,
        ),
        "as_at": st.integers(min_value=0, max_value=364),
    }
)


def _store(database: Database, ledger: dict) -> tuple[int, int]:  # type: ignore[type-arg]
    start = YEAR.start
    with UnitOfWork(database, actor="property test") as uow:
        partnership = uow.partnerships.add(Partnership(name=CSP))
        assert partnership.id is not None
        with uow.dated(start):
            fund = uow.funds.add(
                Fund(
                    code=CODE,
                    name="Partnership Locality Fund",
                    partnership_id=partnership.id,
                    year=YEAR.label,
                    starts=YEAR.start,
                    ends=YEAR.end,
                    amount=from_pence(ledger["amount"]),
                )
            )
            assert fund.id is not None
            for number, spec in enumerate(ledger["lines"], start=1):
                line = uow.lines.add(
                    BudgetLine(
                        fund_id=fund.id,
                        description=f"Line {number}",
                        allocated=from_pence(spec.allocated),
                        approved_by="Strategic Group" if spec.approved else "",
                        approved_on=start if spec.approved else None,
                    )
                )
                assert line.id is not None
                for quarter, amount in enumerate(spec.profile or (), start=1):
                    uow.profiles.add(
                        ProfileEntry(line_id=line.id, year=YEAR.label, quarter=quarter, amount=from_pence(amount))
                    )
        ids = [line.id for line in uow.lines.find(fund_id=fund.id)]
        for spend in ledger["spends"]:
            line_id = ids[spend.line % len(ids)]
            assert line_id is not None
            uow.spends.add(
                Spend(
                    line_id=line_id,
                    spent_on=start + timedelta(days=spend.day),
                    amount=from_pence(spend.pence),
                    kind=spend.kind,
                )
            )
        for receipt in ledger["receipts"]:
            received = receipt.day is not None
            uow.receipts.add(
                Receipt(
                    fund_id=fund.id,
                    amount=from_pence(receipt.pence),
                    received_on=start + timedelta(days=receipt.day) if receipt.day is not None else None,
                    status=ReceiptStatus.RECEIVED if received else ReceiptStatus.EXPECTED,
                )
            )
        uow.commit()
        return partnership.id, fund.id


def _profile_to_date(quarters: tuple[int, ...], as_at: date) -> Decimal:
    """Worked out here from the definition: quarters ended in full, the current one pro-rated by days."""
    total = ZERO
    for number, amount in enumerate(quarters, start=1):
        period = YEAR.quarter(number)
        if period.end <= as_at:
            total += from_pence(amount)
        elif period.start <= as_at:
            share = Decimal((as_at - period.start).days + 1) / Decimal(period.days)
            total += (from_pence(amount) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(ledgers)
def test_pack_return_overview_and_rules_agree_to_the_penny(_migrated_sqlite_template: Path, ledger: dict) -> None:  # type: ignore[type-arg]
    as_at = YEAR.start + timedelta(days=ledger["as_at"])
    half = "H1" if as_at <= YEAR.quarter(2).end else "H2"
    with fresh_copy(_migrated_sqlite_template) as database:
        partnership_id, fund_id = _store(database, ledger)
        with UnitOfWork(database) as uow:
            pack = reporting.budget_pack(uow, WHO, partnership_id, year=YEAR.label, as_at=as_at, findings=lambda *_: ())
            view = returns.return_view(
                uow,
                WHO,
                fund_id,
                half,
                generated_at=datetime.combine(as_at, datetime.min.time()),
                findings=lambda *_: (),
            )
            (overview,) = queries.fund_summaries(uow, WHO, year=YEAR.label, as_at=as_at)
        findings = ledger_findings(database, partnership=CSP, fund_code=CODE, year=YEAR.label, as_at=as_at)

    # Worked out here, from the records themselves.
    ids = list(range(len(ledger["lines"])))
    spent = {i: ZERO for i in ids}
    for spend in ledger["spends"]:
        if YEAR.start + timedelta(days=spend.day) <= as_at:
            sign = {SpendKind.PAYMENT: 1, SpendKind.REFUND: -1, SpendKind.INCOME: 0}[spend.kind]
            spent[spend.line % len(ids)] += sign * from_pence(spend.pence)
    allocated = {i: from_pence(spec.allocated) for i, spec in enumerate(ledger["lines"])}
    to_date = {i: _profile_to_date(spec.profile or (), as_at) for i, spec in enumerate(ledger["lines"])}
    total_allocated = sum(allocated.values(), ZERO)
    total_spent = sum(spent.values(), ZERO)

    (table,) = pack.funds
    assert view.as_at == as_at
    assert [row.allocated for row in table.rows] == [allocated[i] for i in ids]
    assert [row.spent for row in table.rows] == [spent[i] for i in ids]
    assert [line.actual_to_date for line in view.lines] == [spent[i] for i in ids]
    assert [line.profile_to_date for line in view.lines] == [to_date[i] for i in ids]
    assert table.total_allocated == view.allocated == overview.allocated == total_allocated
    assert table.total_spent == view.spent_to_date == overview.spent == total_spent
    assert table.total_balance == overview.balance == total_allocated - total_spent
    assert table.received == view.funding_received == overview.received
    assert table.unallocated == overview.unallocated
    assert view.total_profile_to_date == sum(to_date.values(), ZERO)

    # PRF001 reports exactly the lines the return rates Amber or Red for falling behind.
    prf001 = {f.line: f.severity.value for f in findings if f.code == "PRF001"}
    for i, line in zip(ids, view.lines, strict=True):
        if spent[i] > allocated[i]:
            continue  # Red for the overspend, whatever PRF001 says about the profile
        expected = {"Red": "error", "Amber": "warning"}.get(line.rag)
        assert prf001.get(line.description) == expected, (line, prf001)

    # PRF004 names the return's projected underspend, and is raised exactly when there is one.
    prf004 = [f for f in findings if f.code == "PRF004"]
    if view.projected_underspend > 0:
        (finding,) = prf004
        assert f"{gbp(view.projected_underspend)} forecast underspend" in finding.message
        assert gbp(view.forecast_outturn) in finding.message
    else:
        assert prf004 == []
