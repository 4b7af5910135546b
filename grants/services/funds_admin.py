"""Funds, their receipts and their conditions: the manager's records of money in.

A new fund takes its stream's name, funder and default conditions (``grants.domain.streams``);
its other details can be edited afterwards. The conditions are the parameters the compliance rules
read (per-grant cap, eligible areas and themes, match share, virement threshold, ...), stored
as a validated :class:`FundConditions`; a change of them is a proposal the Strategic Group approves
(:mod:`grants.services.condition_changes`), and a fund in a funder's programme inherits the programme's
(:mod:`grants.services.programmes`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from grants.domain.calendar import FinancialYear
from grants.domain.enums import AmountStatus, ReceiptStatus
from grants.domain.errors import Conflict, RuleViolation
from grants.domain.models import Fund, Receipt
from grants.domain.money import parse_money
from grants.services.access import Principal, check_fund, require_write
from grants.services.ledger import ensure_fund
from grants.storage.unit_of_work import UnitOfWork

FUND_FIELDS = frozenset({"name", "amount", "amount_status", "starts", "ends", "notes", "aliases"})
RECEIPT_FIELDS = frozenset({"amount", "received_on", "status", "approximate", "reference"})


def create_fund(
    uow: UnitOfWork,
    principal: Principal,
    *,
    partnership_id: int,
    code: str,
    year: str,
    amount: Decimal = Decimal("0.00"),
    amount_status: AmountStatus | str = AmountStatus.CONFIRMED,
    name: str = "",
    notes: str = "",
) -> Fund:
    """A fund of a stream for one partnership and year, with the stream's default conditions."""
    require_write(principal, partnership_id)
    code = code.strip().upper()
    if not code:
        raise RuleViolation("a fund needs a code, e.g. PLF")
    label = FinancialYear.parse(year).label
    partnership = uow.partnerships.get(partnership_id)
    if uow.funds.first(partnership_id=partnership_id, code=code, year=label) is not None:
        raise Conflict(f"{partnership.name} already has a fund {code} for {label}")
    fund, _ = ensure_fund(uow, partnership.name, code, label)
    assert fund.id is not None
    changes: dict[str, Any] = {"amount": parse_money(amount).amount}
    changes["amount_status"] = AmountStatus(amount_status)
    if name.strip():
        changes["name"] = name.strip()
    if notes.strip():
        changes["notes"] = notes.strip()
    fund = uow.funds.update(fund.id, None, **changes)
    return fund


def update_fund(
    uow: UnitOfWork, principal: Principal, fund_id: int, expected_version: int | None, **changes: Any
) -> Fund:
    unknown = set(changes) - FUND_FIELDS
    if unknown:
        raise RuleViolation(f"these cannot be changed here: {', '.join(sorted(unknown))}")
    check_fund(uow, principal, fund_id, write=True)
    fund = uow.funds.update(fund_id, expected_version, **changes)
    return fund


def add_receipt(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    *,
    amount: Decimal,
    received_on: date | None,
    status: ReceiptStatus | str = ReceiptStatus.RECEIVED,
    approximate: bool = False,
    reference: str = "",
) -> Receipt:
    """Money into a fund: received (with its date) or expected."""
    status = ReceiptStatus(status)
    if Decimal(amount) <= 0:
        raise RuleViolation("a receipt is a positive amount")
    if status is ReceiptStatus.RECEIVED and received_on is None:
        raise RuleViolation("say when the money was received (or record it as expected)")
    check_fund(uow, principal, fund_id, write=True)
    receipt = uow.receipts.add(
        Receipt(
            fund_id=fund_id,
            amount=parse_money(amount).amount,
            received_on=received_on,
            status=status,
            approximate=approximate,
            reference=reference.strip(),
        )
    )
    return receipt


def update_receipt(
    uow: UnitOfWork, principal: Principal, receipt_id: int, expected_version: int | None, **changes: Any
) -> Receipt:
    """Change a receipt, e.g. mark expected money as received on a date."""
    unknown = set(changes) - RECEIPT_FIELDS
    if unknown:
        raise RuleViolation(f"these cannot be changed here: {', '.join(sorted(unknown))}")
    receipt = uow.receipts.get(receipt_id)
    check_fund(uow, principal, receipt.fund_id, write=True)
    merged = {**receipt.model_dump(), **changes}
    if ReceiptStatus(merged["status"]) is ReceiptStatus.RECEIVED and merged["received_on"] is None:
        raise RuleViolation("say when the money was received (or record it as expected)")
    updated = uow.receipts.update(receipt_id, expected_version, **changes)
    return updated


def delete_receipt(uow: UnitOfWork, principal: Principal, receipt_id: int, expected_version: int | None) -> None:
    receipt = uow.receipts.get(receipt_id)
    check_fund(uow, principal, receipt.fund_id, write=True)
    uow.receipts.delete(receipt_id, expected_version)
