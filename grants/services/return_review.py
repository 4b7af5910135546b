"""The funder's side of a submitted return: accept it, or query it; the partnership replies or amends.

========================  =============================================  ================================
``returns.review``        how it is reached                              who
========================  =============================================  ================================
"" (submitted)            a version is submitted or amended              the Community Safety Manager
accepted                  :func:`accept_return` (a comment optional)     the funder's officer
queried                   :func:`query_return` (a comment required)      the funder's officer
replied                   :func:`reply_to_query` (a reply required)      the Community Safety Manager
========================  =============================================  ================================

An amendment (``return amend``) answers a query with a new version and clears the review: the funder then
reviews the new version. Every step is a ``return_reviews`` row (and an audit event); with the submitted
versions it makes the return's history (:func:`history_rows`), shown in the app, the county view and on the
cover of each PDF made after it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from grants.domain.enums import ReturnStatus
from grants.domain.errors import RuleViolation
from grants.domain.models import Fund, Return
from grants.domain.workflow import ReturnReview
from grants.services.access import Principal, check_fund, require_review, require_write
from grants.services.return_history import history_rows
from grants.services.returns import the_period
from grants.storage.unit_of_work import UnitOfWork, utc_now
from reports.return_extras import HistoryRow

ACCEPTED = "accepted"
QUERIED = "queried"
REPLIED = "replied"


def _submitted(uow: UnitOfWork, fund: Fund, period: str) -> Return:
    name = the_period(fund, period).name
    stored = uow.returns.first(fund_id=fund.id, period=name)
    if stored is None or stored.status is not ReturnStatus.SUBMITTED:
        raise RuleViolation(f"the {fund.code} {fund.year} {name} return has not been submitted: nothing to review")
    return stored


def _record(uow: UnitOfWork, principal: Principal, stored: Return, action: str, comment: str, at: datetime) -> Return:
    assert stored.id is not None
    uow.reviews.add(
        ReturnReview(
            return_id=stored.id,
            version_number=stored.version_number,
            action=action,
            comment=comment.strip(),
            by=principal.username,
            name=principal.label,
            at=at,
        )
    )
    return uow.returns.update(stored.id, stored.version, review=action)


def _funders_word(
    uow: UnitOfWork, principal: Principal, fund_id: int, period: str, action: str, comment: str, at: datetime
) -> Return:
    """The funder's acceptance or query of the version in force (never of an accepted one)."""
    fund = uow.funds.get(fund_id)
    require_review(principal, check_fund(uow, principal, fund_id))
    if action == QUERIED and not comment.strip():
        raise RuleViolation("say what the partnership should answer (the query's comment is required)")
    stored = _submitted(uow, fund, period)
    if stored.review == ACCEPTED:
        also = "; an accepted return is not queried" if action == QUERIED else ""
        raise RuleViolation(
            f"version {stored.version_number} of the {fund.code} {stored.period} return was accepted{also}"
        )
    return _record(uow, principal, stored, action, comment, at)


def accept_return(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    comment: str = "",
    clock: Callable[[], datetime] = utc_now,
) -> Return:
    """The funder accepts the version in force of a submitted return."""
    return _funders_word(uow, principal, fund_id, period, ACCEPTED, comment, clock())


def query_return(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    comment: str,
    clock: Callable[[], datetime] = utc_now,
) -> Return:
    """The funder queries a submitted return, saying what is to be answered (the partnership sees it)."""
    return _funders_word(uow, principal, fund_id, period, QUERIED, comment, clock())


def reply_to_query(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    comment: str,
    clock: Callable[[], datetime] = utc_now,
) -> Return:
    """The partnership answers a query in words (an amendment answers it with a new version instead)."""
    fund = uow.funds.get(fund_id)
    require_write(principal, check_fund(uow, principal, fund_id))
    if not comment.strip():
        raise RuleViolation("write the reply to the funder's query")
    stored = _submitted(uow, fund, period)
    if stored.review != QUERIED:
        raise RuleViolation(f"the funder has not queried the {fund.code} {stored.period} return: nothing to answer")
    return _record(uow, principal, stored, REPLIED, comment, clock())


def return_history(uow: UnitOfWork, principal: Principal, fund_id: int, period: str) -> tuple[HistoryRow, ...]:
    """The history of one return, for the app and the command line."""
    check_fund(uow, principal, fund_id)
    fund = uow.funds.get(fund_id)
    return history_rows(uow, uow.returns.first(fund_id=fund.id, period=the_period(fund, period).name))
