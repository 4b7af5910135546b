"""Sign-in that resists guessing: the password rule, the throttle (driven by a clock, never sleeping), sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from grants.domain.enums import Role
from grants.domain.errors import RuleViolation
from grants.services import signin, usecase, users
from grants.services.access import local_operator
from grants.services.passwords import PASSWORD_RULE, check_new_password, common_passwords
from grants.storage.database import Database
from grants.storage.tables import AuditEventRow, SignInFailureRow

GOOD = "correct horse battery staple"
START = datetime(2026, 11, 2, 9, 0, 0)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def tick(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", "at least 12"),
        ("1234567890", "at least 12"),
        ("aaaaaaaaaaaa", "same few characters"),
        ("abababababab", "same few characters"),
        ("123456789012", "only digits"),
        ("alice.walker", "the username"),
        ("Alice.Walker2024", "the username"),
        ("demo-admin-again", "demo password"),
        ("qwertyuiopas", "too common"),
        ("Password2024!", "too common"),
        ("!!Leicestershire99", "too common"),
        ("communitysafety", "too common"),
    ],
)
def test_a_weak_password_is_refused_with_its_reason(password: str, reason: str) -> None:
    with pytest.raises(RuleViolation, match=reason):
        check_new_password(password, "alice.walker")


def test_a_long_uncommon_password_is_accepted_and_the_rule_says_what_is_checked() -> None:
    check_new_password(GOOD, "alice.walker")
    assert "12 characters" in PASSWORD_RULE and "common" in PASSWORD_RULE and "username" in PASSWORD_RULE
    assert {"password", "qwertyuiop", "123456789012"} <= common_passwords()


def test_adding_a_user_applies_the_rule(database: Database) -> None:
    with pytest.raises(RuleViolation, match="the username"):
        usecase.perform(
            database,
            local_operator(),
            users.add_user,
            username="robert.smithson",
            role="admin",
            password="Robert.Smithson",
        )
    with pytest.raises(RuleViolation, match="demo password"):
        usecase.perform(
            database, local_operator(), users.add_user, username="bob", role="admin", password="demo-admin-password"
        )
    assert users.user_count(database) == 0


@pytest.fixture
def alice(database: Database) -> Database:
    usecase.perform(
        database,
        local_operator(),
        users.add_user,
        username="alice",
        role=Role.ADMIN,
        password=GOOD,
        all_partnerships=True,
    )
    return database


def _failures(database: Database, name: str) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).where(SignInFailureRow.username == name)) or 0)


def test_thirty_wrong_guesses_then_the_right_password_is_refused_until_the_wait_ends(alice: Database) -> None:
    clock = Clock()
    messages = []
    for guess in range(30):
        result = signin.sign_in(alice, "alice", f"wrong guess number {guess}", clock=clock)
        assert result.principal is None
        messages.append(result.message)
        clock.tick(seconds=2)
    assert messages[:4] == [signin.WRONG] * 4
    assert all("Too many failed sign-ins" in m for m in messages[4:])
    assert _failures(alice, "alice") == 30
    fifth = START + timedelta(seconds=8)
    refused = signin.sign_in(alice, "alice", GOOD, clock=clock)
    assert refused.principal is None and "Too many" in refused.message
    clock.now = fifth + timedelta(minutes=14, seconds=59)
    assert signin.sign_in(alice, "Alice", GOOD, clock=clock).principal is None
    clock.now = fifth + timedelta(minutes=15, seconds=1)
    allowed = signin.sign_in(alice, "alice", GOOD, clock=clock)
    assert allowed.principal is not None and allowed.principal.username == "alice" and allowed.token


def test_an_unknown_name_gets_exactly_the_same_answers(alice: Database) -> None:
    answers: dict[str, list[str]] = {}
    for name in ("alice", "nobody-here"):
        clock = Clock()
        answers[name] = []
        for _ in range(8):
            answers[name].append(signin.sign_in(alice, name, "not the password", clock=clock).message)
            clock.tick(seconds=5)
    assert answers["alice"] == answers["nobody-here"]


def test_each_lockout_within_a_day_doubles_the_wait(alice: Database) -> None:
    waits = []
    clock = Clock()
    for _ in range(3):
        for _ in range(5):
            signin.sign_in(alice, "alice", "still not it", clock=clock)
            clock.tick(seconds=1)
        locked_at = clock.now - timedelta(seconds=1)
        until = signin.wait_until([f for f in _times(alice)])
        assert until is not None
        waits.append(until - locked_at)
        clock.now = until + timedelta(seconds=1)
    assert waits == [timedelta(minutes=15), timedelta(minutes=30), timedelta(minutes=60)]


def _times(database: Database) -> list[datetime]:
    with database.session() as session:
        return list(session.scalars(select(SignInFailureRow.at)))


def test_failures_are_forgiven_by_a_successful_sign_in(alice: Database) -> None:
    clock = Clock()
    for _ in range(4):
        signin.sign_in(alice, "alice", "wrong again here", clock=clock)
    assert signin.sign_in(alice, "alice", GOOD, clock=clock).principal is not None
    clock.tick(seconds=1)
    assert signin.sign_in(alice, "alice", "one more wrong one", clock=clock).message == signin.WRONG


def test_a_session_survives_until_sign_out_or_thirty_idle_minutes(alice: Database) -> None:
    clock = Clock()
    token = signin.sign_in(alice, "alice", GOOD, clock=clock).token
    clock.tick(minutes=29)
    assert signin.resume(alice, token, clock=clock) is not None  # a click: the idle time starts again
    clock.tick(minutes=29)
    assert signin.resume(alice, token, clock=clock) is not None
    clock.tick(minutes=31)
    assert signin.resume(alice, token, clock=clock) is None
    assert signin.resume(alice, token, clock=clock) is None
    second = signin.sign_in(alice, "alice", GOOD, clock=clock).token
    signin.sign_out(alice, second, clock=clock)
    assert signin.resume(alice, second, clock=clock) is None
    assert signin.resume(alice, "forged-token", clock=clock) is None
    with alice.session() as session:
        actions = list(session.scalars(select(AuditEventRow.action).where(AuditEventRow.entity == "sessions")))
    assert actions == ["sign-in", "session expired", "sign-in", "sign-out"]


def test_the_idle_limit_is_configurable(alice: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(signin.IDLE_SETTING, "5")
    assert signin.idle_limit() == timedelta(minutes=5)
    clock = Clock()
    token = signin.sign_in(alice, "alice", GOOD, clock=clock).token
    clock.tick(minutes=6)
    assert signin.resume(alice, token, clock=clock) is None


def test_failed_and_blocked_sign_ins_are_audited(alice: Database) -> None:
    clock = Clock()
    for _ in range(6):
        signin.sign_in(alice, "alice", "a wrong password", clock=clock)
    with alice.session() as session:
        actions = list(session.scalars(select(AuditEventRow.action).where(AuditEventRow.entity == "sessions")))
    assert actions == ["sign-in failed"] * 5 + ["locked", "sign-in failed"]


def test_the_rule_is_shown_before_typing_in_the_command_line_help() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for action in ("add", "passwd"):
        shown = subprocess.run(
            [sys.executable, "-m", "grants", "users", action, "--help"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "Password rule: At least 12 characters" in " ".join(shown.split())
