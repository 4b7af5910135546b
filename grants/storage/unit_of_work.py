"""The unit of work: one transaction that rolls back unless ``commit()`` is called."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import TracebackType
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from grants.domain import models, programmes, workflow
from grants.storage import tables
from grants.storage.database import Database
from grants.storage.dated import LineRepository, ProfileRepository
from grants.storage.received import ReceivedReturnRepository
from grants.storage.repository import AuditLog, Repository, ReturnVersionRepository, SpendRepository

LONDON = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class UnitOfWork:
    """``with UnitOfWork(db, actor="jane") as uow: ...; uow.commit()``.

    Leaving the block without ``commit()``, or by an exception, rolls everything back,
    audit events included.
    """

    def __init__(self, database: Database, actor: str = "system", clock: Callable[[], datetime] = utc_now) -> None:
        self.database = database
        self.actor = actor
        self.clock = clock
        self._session: Session | None = None
        self._committed = False
        self._effective_on: date | None = None

    @property
    def effective_on(self) -> date:
        """The day the changes being made take effect: set by :meth:`dated`, else the day they are recorded."""
        if self._effective_on is not None:
            return self._effective_on
        return self.clock().replace(tzinfo=UTC).astimezone(LONDON).date()

    @contextmanager
    def dated(self, day: date) -> Iterator[None]:
        """Changes made inside the block take effect on ``day`` (an approval's date, a table's as-at date)."""
        previous, self._effective_on = self._effective_on, day
        try:
            yield
        finally:
            self._effective_on = previous

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        session = self.database.session()
        self._session = session
        self._committed = False
        self.audit = AuditLog(session, self.actor, self.clock)
        self.partnerships = Repository(session, models.Partnership, tables.PartnershipRow, self.audit)
        self.funders = Repository(session, models.Funder, tables.FunderRow, self.audit)
        self.funds = Repository(session, models.Fund, tables.FundRow, self.audit)
        self.programmes = Repository(session, programmes.Programme, tables.ProgrammeRow, self.audit)
        self.condition_changes = Repository(session, programmes.ConditionChange, tables.ConditionChangeRow, self.audit)
        self.receipts = Repository(session, models.Receipt, tables.ReceiptRow, self.audit)
        self.lines = LineRepository(session, self.audit, lambda: self.effective_on, self.clock)
        self.profiles = ProfileRepository(session, self.audit, lambda: self.effective_on, self.clock)
        self.spends: Repository[models.Spend] = SpendRepository(session, self.audit)
        self.matches = Repository(session, models.MatchContribution, tables.MatchContributionRow, self.audit)
        self.virements = Repository(session, models.Virement, tables.VirementRow, self.audit)
        self.outcomes = Repository(session, models.OutcomeUpdate, tables.OutcomeUpdateRow, self.audit)
        self.targets = Repository(session, models.OutcomeTarget, tables.OutcomeTargetRow, self.audit)
        self.returns = Repository(session, models.Return, tables.ReturnRow, self.audit)
        self.rounds = Repository(session, models.GrantRound, tables.GrantRoundRow, self.audit)
        self.applications = Repository(session, models.Application, tables.ApplicationRow, self.audit)
        self.imported_tables = Repository(session, models.ImportedTable, tables.ImportedTableRow, self.audit)
        self.users = Repository(session, models.User, tables.UserRow, self.audit)
        self.return_versions = ReturnVersionRepository(session, self.audit)
        self.reviews = Repository(session, workflow.ReturnReview, tables.ReturnReviewRow, self.audit)
        self.received_returns = ReceivedReturnRepository(session, self.audit)
        self.acceptances = Repository(session, workflow.FindingAcceptance, tables.FindingAcceptanceRow, self.audit)
        self.closed_years = Repository(session, workflow.ClosedYear, tables.ClosedYearRow, self.audit)
        self.adjustments = Repository(session, workflow.LedgerAdjustment, tables.LedgerAdjustmentRow, self.audit)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()
            self._session = None

    def commit(self) -> None:
        self.audit.touched.bump(self.session)  # the data versions move in the same transaction as the writes
        self.session.commit()
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()
