"""Who a command acts as: ``--user NAME`` (an existing, active account, with its role and partnerships) or,
without it, the local operator; and the spend import that will not count the same file twice."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from grants import cli
from grants.services import usecase, users
from grants.services.access import local_operator
from grants.services.demo import PARTNERSHIP, demo_table_path, ensure_demo_accounts, load_demo
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from tests.reports.test_return_workflow import submit_h1
from tests.support.ops import import_budget

CHARNWOOD = PARTNERSHIP
MELTON = "Melton Community Safety Partnership"
PLF_2017 = ["--fund", "PLF", "--year", "2017/18"]
SPEND = (
    "Date,Amount,Budget Line,Reference\n01/06/2017,£12.50,Anstey Youth Café,Inv 1\n02/06/2017,£40.00,Mediation,Inv 2\n"
)


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (Charnwood), its accounts, a second partnership (Melton) with its own manager and fund,
    and a disabled account."""
    path = tmp_path_factory.mktemp("principals") / "template.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    load_demo(database)
    ensure_demo_accounts(database)
    operator = local_operator("setup")
    melton = usecase.perform(database, operator, users.add_partnership, MELTON)
    assert melton.id is not None
    usecase.perform(database, operator, users.add_user, username="mel", role="manager", partnership_ids=[melton.id])
    gone = usecase.perform(database, operator, users.add_user, username="gone", role="manager", all_partnerships=True)
    assert gone.id is not None
    usecase.perform(database, operator, users.update_user, gone.id, None, active=False)
    import_budget(
        database, demo_table_path(), partnership=MELTON, fund_code="PLF", year="2017/18", as_at=_day("2017-10-26")
    )
    database.dispose()
    return path


def _day(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


@pytest.fixture
def db(_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "grants.db"
    shutil.copyfile(_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def run(database: Database, *args: str) -> int:
    return cli.main(["--database", str(database.url), *args])


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, so a refusal can be shown to change nothing (audit log included)."""
    metadata = MetaData()
    metadata.reflect(database.engine)
    with database.engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
            for table in metadata.sorted_tables
        }


def newest_audit(database: Database, entity: str) -> Any:
    with UnitOfWork(database) as uow:
        return uow.audit.events(entity=entity, limit=1)[0]


def spend_file(tmp_path: Path, text: str = SPEND, name: str = "june.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- --user ------------------------------------------------------------------------------------------


def test_user_naming_no_account_exits_2_and_changes_nothing(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(db)
    status = run(
        db,
        "--user",
        "nobody-at-all",
        "import",
        "spend",
        str(spend_file(tmp_path)),
        "--partnership",
        CHARNWOOD,
        *PLF_2017,
    )
    assert status == 2
    assert "no account of that name" in capsys.readouterr().err
    assert snapshot(db) == before


def test_a_disabled_account_exits_2_and_changes_nothing(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(db)
    status = run(
        db, "--user", "gone", "spend", "record", "--partnership", CHARNWOOD, *PLF_2017, "--line", "Mediation",
        "--amount", "10", "--date", "2017-06-01",
    )  # fmt: skip
    assert status == 2
    assert "disabled" in capsys.readouterr().err
    assert snapshot(db) == before


def test_a_viewers_return_submit_exits_2_and_changes_nothing(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(db)
    status = run(
        db, "--user", "viewer", "return", "submit", "--partnership", CHARNWOOD, "--fund", "PLF", "--year", "2026/27",
        "--half", "H1", "--on", "2026-10-30",
    )  # fmt: skip
    assert status == 2
    assert "can only read" in capsys.readouterr().err
    assert snapshot(db) == before


def test_the_manager_can_submit_the_same_return_and_is_recorded(db: Database) -> None:
    submit_h1(db)  # once the Strategic Group has accepted its errors and signed it off
    assert newest_audit(db, "returns").actor == "manager"


def _commands_on_charnwood(tmp_path: Path) -> dict[str, list[str]]:
    where = ["--partnership", CHARNWOOD, *PLF_2017]
    return {
        "import spend": ["import", "spend", str(spend_file(tmp_path)), *where],
        "import profile": ["import", "profile", str(spend_file(tmp_path, "Line,Q1\nMediation,100\n", "p.csv")), *where],
        "import budget": [
            "import",
            "budget",
            str(demo_table_path()),
            *where,
            "--as-at",
            "2017-10-26",
        ],
        "spend record": ["spend", "record", *where, "--line", "Mediation", "--amount", "1", "--date", "2017-06-01"],
        "receipt add": ["receipt", "add", *where, "--amount", "5", "--received-on", "2017-06-01"],
        "match add": ["match", "add", *where, "--kind", "cash", "--contributor", "X", "--amount", "5"],
        "profile set": ["profile", "set", *where, "--line", "Mediation", "--quarter", "1", "--amount", "5"],
        "outcome add": ["outcome", "add", *where, "--line", "Mediation", "--period", "2017/18 Q1", "--narrative", "x"],
        "line add": ["line", "add", *where, "--description", "New", "--allocated", "5"],
        "line edit": ["line", "edit", *where, "--line", "Mediation", "--set", "notes=x"],
        "fund update": ["fund", "update", *where, "--set", "notes=x"],
        "conditions propose": ["conditions", "propose", *where, "--set", "carry_over_allowed=true", "--reason", "x"],
        "fund add": ["fund", "add", "--partnership", CHARNWOOD, "--fund", "CSF", "--year", "2017/18"],
        "round add": ["round", "add", *where, "--opens", "2017-06-01", "--closes", "2017-07-01"],
        "return submit": [
            "return",
            "submit",
            "--partnership",
            CHARNWOOD,
            "--fund",
            "PLF",
            "--year",
            "2026/27",
            "--half",
            "H1",
        ],
        "report budget": [
            "report",
            "budget",
            "--partnership",
            CHARNWOOD,
            "--year",
            "2017/18",
            "--out",
            str(tmp_path / "x.csv"),
        ],
        "lines": ["lines", *where],
        "check": ["check", "--partnership", CHARNWOOD],
    }


COMMANDS = [
    "import spend", "import profile", "import budget", "spend record", "receipt add", "match add", "profile set",
    "outcome add", "line add", "line edit", "fund update", "conditions propose", "fund add", "round add",
    "return submit", "report budget", "lines", "check",
]  # fmt: skip


def test_the_isolation_list_names_every_command_it_runs(tmp_path: Path) -> None:
    assert sorted(COMMANDS) == sorted(_commands_on_charnwood(tmp_path))


@pytest.mark.parametrize("command", COMMANDS)
def test_a_manager_of_another_partnership_cannot_touch_charnwood_through_any_command(
    db: Database, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _commands_on_charnwood(tmp_path)[command]
    before = snapshot(db)
    assert run(db, "--user", "mel", *argv) == 2
    assert "access" in capsys.readouterr().err
    assert snapshot(db) == before


def test_the_charnwood_manager_cannot_touch_melton_either(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(db)
    status = run(
        db, "--user", "manager", "spend", "record", "--partnership", MELTON, *PLF_2017, "--line", "Mediation",
        "--amount", "1", "--date", "2017-06-01",
    )  # fmt: skip
    assert status == 2
    assert "does not have access" in capsys.readouterr().err
    assert snapshot(db) == before


def test_without_user_the_command_acts_as_the_local_operator_and_says_so_in_the_audit_log(db: Database) -> None:
    status = run(
        db, "spend", "record", "--partnership", MELTON, *PLF_2017, "--line", "Mediation", "--amount", "1",
        "--date", "2017-06-01",
    )  # fmt: skip
    assert status == 0
    assert newest_audit(db, "spends").actor == "local operator"


def test_operator_commands_refuse_an_account_that_is_not_an_administrator(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "--user", "manager", "backup", "--out", str(tmp_path / "b.db")) == 2
    assert "not an administrator" in capsys.readouterr().err
    assert not (tmp_path / "b.db").exists()


# -- every write as a command ------------------------------------------------------------------------


def test_rounds_and_applications_run_from_the_command_line_with_the_apps_roles(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--partnership", MELTON, *PLF_2017]
    assert run(db, "round", "add", *where, "--opens", "2017-06-01", "--closes", "2017-07-01", "--cap", "500") == 0
    assert run(db, "round", "open", *where, "--round", "1") == 0
    assert run(
        db, "--user", "mel", "application", "add", *where, "--round", "1", "--applicant", "Brownies",
        "--requested", "400", "--received-on", "2017-06-10",
    ) == 0  # fmt: skip
    application = capsys.readouterr().out.split("application ")[-1].split()[0]
    assert run(db, "--user", "mel", "application", "score", application, "--score", "7") == 0
    assert run(db, "--user", "mel", "application", "decide", application, "--fund-it", "--on", "2017-06-20") == 2
    assert "only the Strategic Group" in capsys.readouterr().err
    assert run(db, "application", "decide", application, "--fund-it", "--on", "2017-06-20") == 0
    assert "funded" in capsys.readouterr().out
    assert run(db, "round", "close", *where, "--round", "1") == 0


def test_ledger_writes_run_from_the_command_line(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--partnership", MELTON, *PLF_2017]
    commands = [
        ["--user", "mel", "spend", "record", *where, "--line", "Mediation", "--amount", "12.50", "--date",
         "2017-06-01"],
        ["--user", "mel", "receipt", "add", *where, "--amount", "1000", "--expected"],
        ["--user", "mel", "match", "add", *where, "--kind", "in_kind", "--contributor", "Police", "--hours", "4",
         "--rate", "30"],
        ["--user", "mel", "profile", "set", *where, "--line", "Mediation", "--quarter", "2", "--amount", "2500"],
        ["--user", "mel", "outcome", "add", *where, "--line", "Mediation", "--period", "2017/18 Q1", "--narrative",
         "12 cases"],
        ["--user", "mel", "line", "add", *where, "--description", "Knife crime workshops", "--allocated", "2500"],
        ["--user", "mel", "line", "edit", *where, "--line", "Knife crime workshops", "--set", "allocated=2000"],
        ["--user", "mel", "fund", "update", *where, "--set", "notes=Checked"],
        ["--user", "mel", "conditions", "propose", *where, "--set", "virement_threshold=0.2", "--reason", "Agreed"],
        ["--user", "mel", "fund", "add", "--partnership", MELTON, "--fund", "CSF", "--year", "2017/18",
         "--amount", "10000"],
    ]  # fmt: skip
    for argv in commands:
        assert run(db, *argv) == 0, (argv, capsys.readouterr().err)
    out = capsys.readouterr().out
    assert (
        run(db, "--user", "mel", "conditions", "propose", *where, "--set", "virement_threshold=1000", "--reason", "x")
        == 2
    )
    assert "virement threshold" in capsys.readouterr().err
    assert "recorded payment £12.50" in out
    spend_id = out.split("(spend ")[1].split(")")[0]
    receipt_id = out.split("recorded receipt ")[1].split(":")[0]
    assert run(db, "--user", "mel", "receipt", "update", receipt_id, "--set", "reference=Grant letter") == 0
    assert run(db, "--user", "mel", "receipt", "delete", receipt_id) == 0
    assert run(db, "--user", "mel", "spend", "delete", spend_id) == 0
    assert newest_audit(db, "spends").action == "delete"


# -- part 4: the same spend file twice ------------------------------------------------------------------


def test_a_spend_file_imported_twice_is_refused_the_second_time_and_changes_nothing(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = spend_file(tmp_path)
    where = ["--partnership", MELTON, *PLF_2017]  # Charnwood's 2017/18 returns are submitted: its halves are locked
    assert run(db, "--user", "mel", "import", "spend", str(path), *where) == 0
    capsys.readouterr()
    before = snapshot(db)
    assert run(db, "import", "spend", str(path), *where) == 2
    err = capsys.readouterr().err
    assert "already imported" in err and "by mel" in err and "(2 row(s))" in err
    assert "--allow-repeat" in err
    assert snapshot(db) == before


def test_the_same_file_into_another_fund_is_not_a_repeat(db: Database, tmp_path: Path) -> None:
    path = spend_file(tmp_path)
    second = ["--partnership", MELTON, "--fund", "SS", "--year", "2017/18"]
    assert run(db, "import", "budget", str(demo_table_path()), *second, "--as-at", "2017-10-26") == 0
    assert run(db, "import", "spend", str(path), "--partnership", MELTON, *PLF_2017) == 0
    assert run(db, "import", "spend", str(path), *second) == 0


def test_a_deliberate_repeat_is_imported_with_its_reason_in_the_audit_log(db: Database, tmp_path: Path) -> None:
    path = spend_file(tmp_path)
    where = ["--partnership", MELTON, *PLF_2017]
    assert run(db, "import", "spend", str(path), *where) == 0
    reason = "the supplier invoiced the same two items twice, both paid"
    assert run(db, "import", "spend", str(path), *where, "--allow-repeat", reason) == 0
    event = newest_audit(db, "spends")
    assert event.after["allow_repeat"] == reason
    assert event.after["repeat_of_batch"] is not None
    with UnitOfWork(db) as uow:
        melton = uow.partnerships.first(name=MELTON)
        assert melton is not None
        fund = next(f for f in uow.funds.find(code="PLF", year="2017/18") if f.partnership_id == melton.id)
        lines = [line.id for line in uow.lines.find(fund_id=fund.id)]
        assert len([s for s in uow.spends.find(line_id=lines) if s.reference == "Inv 1"]) == 2


def test_a_dry_run_lists_rows_identical_to_spend_already_recorded(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--partnership", MELTON, *PLF_2017]
    assert run(db, "spend", "record", *where, "--line", "Mediation", "--amount", "40", "--date", "2017-06-02",
               "--reference", "Inv 2") == 0  # fmt: skip
    capsys.readouterr()
    before = snapshot(db)
    assert run(db, "import", "spend", str(spend_file(tmp_path)), *where, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "likely duplicates: 1 row(s)" in out
    assert "row 3: 02/06/2017 'Mediation' payment £40.00 'Inv 2' is already recorded" in out
    assert "Anstey" not in out.split("likely duplicates")[1]
    assert snapshot(db) == before
