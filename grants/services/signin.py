"""Signing in with a local account: throttled guesses, sessions that survive a refresh and end when idle.

* **Failed sign-ins** are recorded (``sign_in_failures``, and an audit event) under the name typed,
  whether or not an account has it. Five failures within 15 minutes make that name wait 15 minutes;
  each further lockout within a day doubles the wait (30, 60 ... minutes, at most a day). Guesses
  made while the name waits are recorded but not even checked, so the right password is refused
  too until the wait ends. The messages are the same whether or not the account exists.
* **A session** is an unguessable random token (the browser keeps it in a cookie; only its SHA-256
  is stored, in ``sign_in_sessions``). It survives a browser refresh, ends at sign-out, and ends
  after :data:`IDLE_MINUTES` without a click (``GRANTS_SESSION_IDLE_MINUTES``).
* Sign-in, sign-out, a lockout and an idle expiry are audit events.

Every function takes the clock as an argument (UTC, naive, as the audit log stores it), so the tests
drive time instead of sleeping.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from grants.services.access import Principal
from grants.services.users import authenticate, normalise_username, principal_for
from grants.storage.database import Database
from grants.storage.tables import SignInFailureRow, SignInSessionRow
from grants.storage.unit_of_work import UnitOfWork, utc_now

FAILURES = 5
WINDOW = timedelta(minutes=15)
FIRST_WAIT = timedelta(minutes=15)
LONGEST_WAIT = timedelta(days=1)
MEMORY = timedelta(days=1)  # lockouts grow within a day of each other
IDLE_MINUTES = 30
IDLE_SETTING = "GRANTS_SESSION_IDLE_MINUTES"
TOUCH_EVERY = timedelta(seconds=30)  # how often a busy session's last-seen time is written
WRONG = "That username and password do not match an active account."
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class SignInResult:
    """A principal and its session token, or the message to show (the same for any username)."""

    principal: Principal | None
    token: str = ""
    message: str = ""


def idle_limit() -> timedelta:
    """How long a session lasts without a click: ``GRANTS_SESSION_IDLE_MINUTES``, else 30 minutes."""
    text = os.environ.get(IDLE_SETTING, "").strip()
    minutes = int(text) if text.isdigit() and int(text) > 0 else IDLE_MINUTES
    return timedelta(minutes=minutes)


def wait_until(failures: Sequence[datetime], since: datetime | None = None) -> datetime | None:
    """When a name may try again, given its failure times (None: it need not wait).

    Failures before ``since`` (the last successful sign-in) are forgiven. Failures made during a
    wait do not count towards the next lockout (they are refused unchecked).
    """
    until: datetime | None = None
    strikes = 0
    recent: list[datetime] = []
    for moment in sorted(failures):
        if since is not None and moment <= since:
            continue
        if until is not None and moment < until:
            continue
        if until is not None and moment - until > MEMORY:
            strikes = 0
        recent = [earlier for earlier in recent if moment - earlier < WINDOW] + [moment]
        if len(recent) >= FAILURES:
            strikes += 1
            until = moment + min(FIRST_WAIT * 2 ** (strikes - 1), LONGEST_WAIT)
            recent = []
    return until


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return (
        f"Too many failed sign-ins for this username: try again in {minutes} minute(s). "
        "Each further run of failures makes the wait longer."
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def sign_in(database: Database, username: str, password: str, *, clock: Clock = utc_now) -> SignInResult:
    """Check a username and password under the throttle; on success start a session."""
    name = normalise_username(username)[:200] or "(blank)"
    now = clock()
    with UnitOfWork(database, actor=name, clock=clock) as uow:
        failures = list(
            uow.session.execute(
                select(SignInFailureRow.at).where(
                    SignInFailureRow.username == name, SignInFailureRow.at > now - MEMORY * 2
                )
            ).scalars()
        )
        last_success = uow.session.execute(
            select(func.max(SignInSessionRow.started_at)).where(SignInSessionRow.username == name)
        ).scalar()
        until = wait_until(failures, last_success)
    if until is not None and until > now:
        _record_failure(database, name, clock, locked=True)
        return SignInResult(None, message=_locked_message(until, now))
    principal = authenticate(database, name, password)
    if principal is None:
        started_wait = _record_failure(database, name, clock, locked=False)
        if started_wait is not None:
            return SignInResult(None, message=_locked_message(started_wait, now))
        return SignInResult(None, message=WRONG)
    token = secrets.token_urlsafe(32)
    with UnitOfWork(database, actor=name, clock=clock) as uow:
        row = SignInSessionRow(token_hash=_hash(token), username=name, started_at=now, last_seen_at=now)
        uow.session.add(row)
        uow.session.flush()
        uow.audit.record("sign-in", "sessions", row.id, None, {"username": name})
        uow.commit()
    return SignInResult(principal, token=token)


def _record_failure(database: Database, name: str, clock: Clock, *, locked: bool) -> datetime | None:
    """Record one failure; the end of the wait it starts, if it starts one."""
    now = clock()
    with UnitOfWork(database, actor=name, clock=clock) as uow:
        uow.session.add(SignInFailureRow(username=name, at=now))
        uow.audit.record("sign-in failed", "sessions", None, None, {"username": name, "while_waiting": locked})
        uow.session.flush()
        started: datetime | None = None
        if not locked:
            failures = list(
                uow.session.execute(
                    select(SignInFailureRow.at).where(
                        SignInFailureRow.username == name, SignInFailureRow.at > now - MEMORY * 2
                    )
                ).scalars()
            )
            last_success = uow.session.execute(
                select(func.max(SignInSessionRow.started_at)).where(SignInSessionRow.username == name)
            ).scalar()
            until = wait_until(failures, last_success)
            if until is not None and until > now:
                started = until
                uow.audit.record("locked", "sessions", None, None, {"username": name, "until": until.isoformat()})
        uow.commit()
    return started


def resume(
    database: Database, token: str, *, clock: Clock = utc_now, idle: timedelta | None = None
) -> Principal | None:
    """The principal of a live session (and note the click), or None if it ended, idled out or never was."""
    if not token:
        return None
    now = clock()
    limit = idle if idle is not None else idle_limit()
    with UnitOfWork(database, actor="sessions", clock=clock) as uow:
        row = uow.session.execute(select(SignInSessionRow).where(SignInSessionRow.token_hash == _hash(token))).scalar()
        if row is None or row.ended_at is not None:
            return None
        if now - row.last_seen_at > limit:
            row.ended_at = row.last_seen_at + limit
            uow.audit.record("session expired", "sessions", row.id, None, {"username": row.username})
            uow.commit()
            return None
        username = row.username
        if now - row.last_seen_at >= TOUCH_EVERY:
            row.last_seen_at = now
            uow.commit()
    return principal_for(database, username)


def sign_out(database: Database, token: str, *, clock: Clock = utc_now) -> None:
    """End a session (its cookie no longer signs anyone in)."""
    if not token:
        return
    with UnitOfWork(database, actor="sessions", clock=clock) as uow:
        row = uow.session.execute(select(SignInSessionRow).where(SignInSessionRow.token_hash == _hash(token))).scalar()
        if row is None or row.ended_at is not None:
            return
        row.ended_at = clock()
        uow.audit.record("sign-out", "sessions", row.id, None, {"username": row.username})
        uow.commit()
