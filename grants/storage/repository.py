"""One generic repository per entity: domain models in, domain models out.

Every write goes through here and writes an audit event (who, when, entity,
before -> after) in the same transaction. Updates name the version they read;
a stale version raises ``Conflict`` instead of overwriting someone's work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from grants.domain.errors import Conflict, NotFound
from grants.domain.models import AuditEvent, Entity, Spend
from grants.storage import spend_months
from grants.storage.bulk import bulk_insert
from grants.storage.data_versions import Touched
from grants.storage.tables import AuditEventRow, SpendRow, Versioned

M = TypeVar("M", bound=Entity)


def scale_of(column: Any) -> int | None:
    """The decimal scale of an exact-decimal column (2 for pence), or None."""
    scale = column.info.get("scale") if hasattr(column, "info") else None
    return int(scale) if scale is not None else None


def _to_stored(value: Any, scale: int | None) -> Any:
    if value is None:
        return None
    if scale is not None:
        return int((Decimal(value) * (10**scale)).to_integral_value())
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, tuple):
        return list(value)
    return value


def _from_stored(value: Any, scale: int | None) -> Any:
    if value is None or scale is None:
        return value
    return (Decimal(int(value)) / (10**scale)).quantize(Decimal(1).scaleb(-scale))


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """A dict fit for the audit log's JSON (decimals and dates as text, nested models as dicts)."""
    return dict(to_jsonable_python(values))


class AuditLog:
    """Appends audit events through the unit of work's session."""

    def __init__(self, session: Session, actor: str, clock: Callable[[], datetime]) -> None:
        self._session = session
        self.actor = actor
        self._clock = clock
        self.touched = Touched()
        """The funds this transaction wrote to; their data versions move at commit."""

    def record(
        self,
        action: str,
        entity: str,
        entity_id: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self.touched.note(entity, entity_id, before, after)
        self._session.add(
            AuditEventRow(
                at=self._clock(),
                actor=self.actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=jsonable(before) if before is not None else None,
                after=jsonable(after) if after is not None else None,
            )
        )

    def events(self, entity: str | None = None, entity_id: int | None = None, limit: int = 500) -> list[AuditEvent]:
        """The newest events first (including those written earlier in this transaction)."""
        self._session.flush()
        query = select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(limit)
        if entity is not None:
            query = query.where(AuditEventRow.entity == entity)
        if entity_id is not None:
            query = query.where(AuditEventRow.entity_id == entity_id)
        return [
            AuditEvent(
                id=row.id,
                at=row.at,
                actor=row.actor,
                action=row.action,
                entity=row.entity,
                entity_id=row.entity_id,
                before=row.before,
                after=row.after,
            )
            for row in self._session.scalars(query)
        ]


class Repository(Generic[M]):
    """Stores one kind of entity in one table."""

    def __init__(self, session: Session, model: type[M], row: type[Versioned], audit: AuditLog) -> None:
        if not issubclass(row, Versioned) or row.__tablename__ == AuditEventRow.__tablename__:
            raise TypeError("the audit log is append-only: no repository may update or delete its rows")
        self._session = session
        self._model = model
        self._row = row
        self._audit = audit
        self._entity = row.__tablename__
        self._columns = {c.key: c for c in row.__table__.columns}
        self._fields = [name for name in model.model_fields if name in self._columns]

    # -- conversion -------------------------------------------------------------------
    def _values(self, item: M) -> dict[str, Any]:
        return {
            name: _to_stored(getattr(item, name), scale_of(self._columns[name]))
            for name in self._fields
            if name not in ("id", "version")
        }

    def to_model(self, row: Versioned) -> M:
        data = {name: _from_stored(getattr(row, name), scale_of(self._columns[name])) for name in self._fields}
        return self._model.model_validate(data)

    # -- reads ------------------------------------------------------------------------
    def get(self, item_id: int) -> M:
        row = self._session.get(self._row, item_id)
        if row is None:
            raise NotFound(f"no {self._entity.rstrip('s').replace('_', ' ')} with id {item_id}")
        return self.to_model(row)

    def find(self, order_by: str = "id", **filters: Any) -> list[M]:
        query = select(self._row)
        for name, value in filters.items():
            column = getattr(self._row, name)
            if isinstance(value, list | tuple | set):
                query = query.where(column.in_([_to_stored(v, scale_of(self._columns[name])) for v in value]))
            else:
                query = query.where(column == _to_stored(value, scale_of(self._columns[name])))
        query = query.order_by(getattr(self._row, order_by))
        return [self.to_model(row) for row in self._session.scalars(query)]

    def first(self, **filters: Any) -> M | None:
        found = self.find(**filters)
        return found[0] if found else None

    # -- writes -----------------------------------------------------------------------
    def add(self, item: M) -> M:
        row = self._row(**self._values(item))
        self._session.add(row)
        self._session.flush()
        stored = self.to_model(row)
        self._audit.record("create", self._entity, row.id, None, stored.model_dump(exclude={"version"}))
        self._changed(None, stored)
        return stored

    def add_many(self, items: Sequence[M], *, action: str = "import", note: dict[str, Any] | None = None) -> int:
        """Bulk insert (one executemany for all rows) with a single audit event for the batch."""
        return self.insert_stored([self._values(item) for item in items], action=action, note=note)

    def insert_stored(
        self, rows: list[dict[str, Any]], *, action: str = "import", note: dict[str, Any] | None = None
    ) -> int:
        """Bulk insert rows already in stored form (money in pence), with a single audit event.

        The fast path for large imports: the caller has validated every value already.
        """
        if not rows:
            return 0
        table = cast(Table, self._row.__table__)
        if not bulk_insert(self._session, table, rows, {"version": 1}):
            self._session.execute(insert(table), [{**row, "version": 1} for row in rows])
        self._inserted(rows)
        self._audit.touched.note_rows(rows)
        self._audit.record(action, self._entity, None, None, {"rows": len(rows), **(note or {})})
        return len(rows)

    def update(self, item_id: int, expected_version: int | None, **changes: Any) -> M:
        """Change fields of one record, refusing if someone else changed it first."""
        row = self._session.get(self._row, item_id, populate_existing=True)
        if row is None:
            raise NotFound(f"no {self._entity.rstrip('s').replace('_', ' ')} with id {item_id}")
        before = self.to_model(row)
        if expected_version is not None and row.version != expected_version:
            raise Conflict(
                f"{self._entity.rstrip('s').replace('_', ' ')} {item_id} was changed by someone else "
                f"(you read version {expected_version}, it is now {row.version}); reload and try again"
            )
        after = self._model.model_validate({**before.model_dump(), **changes})
        stored = self._values(after)
        for name in changes:
            setattr(row, name, stored[name])
        try:
            self._session.flush()
        except StaleDataError as exc:
            raise Conflict(f"{self._entity} {item_id} was changed by someone else; reload and try again") from exc
        new = self.to_model(row)
        self._changed(before, new)
        changed = [name for name in changes if getattr(before, name) != getattr(new, name)]
        if changed:
            self._audit.record(
                "update",
                self._entity,
                item_id,
                {name: getattr(before, name) for name in changed},
                {name: getattr(new, name) for name in changed},
            )
        return new

    def delete(self, item_id: int, expected_version: int | None) -> None:
        row = self._session.get(self._row, item_id, populate_existing=True)
        if row is None:
            raise NotFound(f"no {self._entity.rstrip('s').replace('_', ' ')} with id {item_id}")
        if expected_version is not None and row.version != expected_version:
            raise Conflict(f"{self._entity} {item_id} was changed by someone else; reload and try again")
        before = self.to_model(row)
        self._session.delete(row)
        try:
            self._session.flush()
        except StaleDataError as exc:
            raise Conflict(f"{self._entity} {item_id} was changed by someone else; reload and try again") from exc
        self._changed(before, None)
        self._audit.record("delete", self._entity, item_id, before.model_dump(exclude={"version"}), None)

    # -- derived data kept with the rows (subclasses) -------------------------------------
    def _inserted(self, rows: Sequence[dict[str, Any]]) -> None:
        """Called in the same transaction after rows (stored form) were inserted."""

    def _changed(self, before: M | None, after: M | None) -> None:
        """Called in the same transaction after a row was added (``before`` None), updated or deleted (``after``
        None)."""

    def count(self) -> int:
        from sqlalchemy import func

        return int(self._session.scalar(select(func.count()).select_from(self._row)) or 0)

    def ids(self, items: Iterable[M]) -> list[int]:
        return [item.id for item in items if item.id is not None]


class SpendRepository(Repository[Spend]):
    """Spends, keeping the ``spend_months`` aggregate equal to a fresh GROUP BY of them on every write."""

    def __init__(self, session: Session, audit: AuditLog) -> None:
        super().__init__(session, Spend, SpendRow, audit)

    def _inserted(self, rows: Sequence[dict[str, Any]]) -> None:
        spend_months.add(self._session, rows)

    def _changed(self, before: Spend | None, after: Spend | None) -> None:
        if before is None and after is not None:  # a new spend: add it to its group
            spend_months.add(self._session, [self._values(after)])
            return
        touched = [(spend.line_id, spend.spent_on) for spend in (before, after) if spend is not None]
        spend_months.refresh(self._session, touched)
