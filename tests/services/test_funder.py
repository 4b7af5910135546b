"""The funder's side in the services: a funder's account sees what its money reaches down the chain, changes no
ledger, and accepts or queries submitted returns; the county view adds up to the partnerships' own figures."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from grants.domain.enums import ReturnStatus, Role
from grants.domain.errors import PermissionDenied, RuleViolation
from grants.domain.models import BudgetLine, Funder, Return, Spend
from grants.services import county_view, return_review, spending, usecase, users
from grants.services.access import Principal, funded_partnerships, funder_and_below, local_operator
from grants.services.ledger import ensure_fund
from grants.services.queries import fund_summaries
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

A, B, C = "Charnwood CSP", "Melton CSP", "Rutland CSP"
AS_AT = date(2026, 11, 20)


def _setup(database: Database) -> dict[str, int]:
    """Home Office > OPCC; Charnwood and Melton hold OPCC funds, Rutland a DLUHC one; one PLF H1 submitted."""
    with UnitOfWork(database, actor="setup") as uow:
        home = uow.funders.add(Funder(name="Home Office"))
        opcc = uow.funders.add(Funder(name="Leicestershire OPCC", parent_id=home.id))
        dluhc = uow.funders.add(Funder(name="DLUHC"))
        ids: dict[str, int] = {"home": int(home.id or 0), "opcc": int(opcc.id or 0), "dluhc": int(dluhc.id or 0)}
        for partnership, code, funder, amount in ((A, "PLF", opcc, "80000"), (B, "PLF", opcc, "60000"),
                                                  (A, "SS", opcc, "40000"), (C, "DAA", dluhc, "9000")):  # fmt: skip
            fund, _ = ensure_fund(uow, partnership, code, "2026/27")
            assert fund.id is not None
            uow.funds.update(fund.id, fund.version, funder_id=funder.id, amount=Decimal(amount))
            line = uow.lines.add(BudgetLine(fund_id=fund.id, description="Youth work", allocated=Decimal("5000.00")))
            assert line.id is not None
            uow.spends.add(Spend(line_id=line.id, amount=Decimal("1234.56"), spent_on=date(2026, 6, 1)))
            ids[f"{partnership}/{code}"] = fund.id
        uow.returns.add(
            Return(fund_id=ids[f"{A}/PLF"], period="2026/27 H1", status=ReturnStatus.SUBMITTED, version_number=1,
                   submitted_on=date(2026, 10, 30), submitted_by="mandy")
        )  # fmt: skip
        uow.commit()
    return ids


def _funder(database: Database, funder: str, name: str = "olive") -> Principal:
    usecase.perform(database, local_operator(), users.add_user, username=name, role="funder", funder=funder)
    found = users.principal_for(database, name)
    assert found is not None
    return found


def test_a_funders_account_sees_the_partnerships_its_money_reaches_down_the_chain(database: Database) -> None:
    ids = _setup(database)
    olive = _funder(database, "Leicestershire OPCC")
    home = _funder(database, "Home Office", "hattie")
    with UnitOfWork(database) as uow:
        names = {p.id: p.name for p in uow.partnerships.find()}
        assert funder_and_below(uow, ids["home"]) == {ids["home"], ids["opcc"]}
        assert {names[i] for i in funded_partnerships(uow, ids["opcc"])} == {A, B}
    assert olive.role is Role.FUNDER and {names[i] for i in olive.partnership_ids} == {A, B}
    assert {names[i] for i in home.partnership_ids} == {A, B}  # the Home Office's money reaches them via the OPCC
    seen = usecase.read(database, olive, fund_summaries, year="2026/27")
    assert {s.partnership for s in seen} == {A, B}


def test_a_funders_account_needs_a_known_funder_and_no_partnerships(database: Database) -> None:
    _setup(database)
    with pytest.raises(Exception, match="needs --funder"):
        usecase.perform(database, local_operator(), users.add_user, username="x", role="funder")
    with pytest.raises(RuleViolation, match="do not grant partnerships"):
        usecase.perform(
            database, local_operator(), users.add_user, username="y", role="funder", funder="DLUHC",
            all_partnerships=True,
        )  # fmt: skip
    with pytest.raises(RuleViolation, match="only a funder's account"):
        usecase.perform(database, local_operator(), users.add_user, username="z", role="manager", funder="DLUHC")


def test_a_funder_changes_no_ledger(database: Database) -> None:
    ids = _setup(database)
    olive = _funder(database, "Leicestershire OPCC")
    with UnitOfWork(database) as uow:
        (line,) = uow.lines.find(fund_id=ids[f"{A}/PLF"])
        before = uow.spends.count()
    with pytest.raises(PermissionDenied, match="can only read the ledger"):
        usecase.perform(
            database, olive, spending.record_spend, int(line.id or 0), amount=Decimal("10.00"), spent_on=AS_AT
        )
    with UnitOfWork(database) as uow:
        assert uow.spends.count() == before


def test_the_funder_accepts_or_queries_and_the_manager_replies(database: Database) -> None:
    ids = _setup(database)
    olive = _funder(database, "Leicestershire OPCC")
    manager = Principal.of("mandy", Role.MANAGER, [_partnership(database, A)])
    plf = ids[f"{A}/PLF"]
    with pytest.raises(PermissionDenied, match="only the funder"):
        usecase.perform(database, manager, return_review.accept_return, plf, "H1")
    with pytest.raises(RuleViolation, match="nothing to answer"):
        usecase.perform(database, manager, return_review.reply_to_query, plf, "H1", comment="early")
    with pytest.raises(RuleViolation, match="has not been submitted"):
        usecase.perform(database, olive, return_review.accept_return, plf, "H2")
    clock = iter([datetime(2026, 11, 2, 10), datetime(2026, 11, 3, 9)])
    usecase.perform(
        database, olive, return_review.query_return, plf, "H1", comment="Why so low?", clock=lambda: next(clock)
    )
    usecase.perform(
        database, manager, return_review.reply_to_query, plf, "H1", comment="Slow start", clock=lambda: next(clock)
    )
    history = usecase.read(database, manager, return_review.return_history, plf, "H1")
    assert [(h.what, h.who, h.comment) for h in history] == [
        ("version 1 queried", "olive", "Why so low?"),
        ("version 1 replied", "mandy", "Slow start"),
    ]
    usecase.perform(database, olive, return_review.accept_return, plf, "H1")
    with pytest.raises(RuleViolation, match="an accepted return is not queried"):
        usecase.perform(database, olive, return_review.query_return, plf, "H1", comment="More")
    with UnitOfWork(database) as uow:
        stored = uow.returns.first(fund_id=plf, period="2026/27 H1")
        assert stored is not None and stored.review == "accepted"
        assert [e.action for e in uow.audit.events("return_reviews")].count("create") == 3


def test_a_funder_reviews_only_the_returns_of_partnerships_it_funds(database: Database) -> None:
    ids = _setup(database)
    other = _funder(database, "DLUHC", "dora")
    with pytest.raises(PermissionDenied):
        usecase.perform(database, other, return_review.accept_return, ids[f"{A}/PLF"], "H1")


def test_the_county_view_adds_up_to_the_partnerships_own_figures(database: Database) -> None:
    _setup(database)
    olive = _funder(database, "Leicestershire OPCC")
    view = usecase.read(database, olive, county_view.county_view, year="2026/27", as_at=AS_AT)
    assert [(r.partnership, r.stream) for r in view.rows] == [(A, "PLF"), (A, "SS"), (B, "PLF")]
    assert view.funder == "Leicestershire OPCC"
    assert view.rows[0].funder == "Home Office > Leicestershire OPCC"
    assert view.rows[0].returns[0].state == "submitted" and view.rows[2].returns[0].state == "overdue"
    listed = usecase.read(database, local_operator(), fund_summaries, year="2026/27", as_at=AS_AT)
    own = {(s.partnership, s.fund.code): s for s in listed}
    for name in ("received", "allocated", "spent"):
        assert getattr(view.totals, name) == sum(getattr(own[r.partnership, r.stream], name) for r in view.rows)
    assert view.totals.funding == Decimal("180000.00") and view.totals.spent == Decimal("3703.68")
    everyone = usecase.read(database, local_operator(), county_view.county_view, year="2026/27", as_at=AS_AT)
    assert len(everyone.rows) == 4 and everyone.totals.partnerships == 3
    dluhc = usecase.read(
        database, local_operator(), county_view.county_view, year="2026/27", as_at=AS_AT, funder="DLUHC"
    )
    assert [(r.partnership, r.stream) for r in dluhc.rows] == [(C, "DAA")]


def _partnership(database: Database, name: str) -> int:
    with UnitOfWork(database) as uow:
        found = uow.partnerships.first(name=name)
        assert found is not None and found.id is not None
        return found.id


def test_a_funding_chain_is_recorded_by_an_administrator_and_never_loops(database: Database) -> None:
    from grants.services import funders

    _setup(database)
    with pytest.raises(PermissionDenied):
        usecase.perform(database, Principal.of("m", Role.MANAGER), funders.add_funder, "Council")
    usecase.perform(
        database, local_operator(), funders.add_funder, "Violence Reduction Network", parent="Leicestershire OPCC"
    )
    with pytest.raises(RuleViolation, match="would loop"):
        usecase.perform(database, local_operator(), funders.set_parent, "Home Office", "Violence Reduction Network")
    chains = dict((f.name, c) for f, c in usecase.read(database, local_operator(), funders.list_funders))
    assert chains["Violence Reduction Network"] == ("Home Office", "Leicestershire OPCC", "Violence Reduction Network")
