"""The dated ledger from the command line: tables as at their dates, virements as proposals, decisions."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.support.cli_process import grants, ok

CSP = "Testshire CSP"
FUND = ["--partnership", CSP, "--fund", "PLF", "--year", "2024/25"]


def lines_as_at(db: Path, day: str) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(ok(grants(db, "lines", *FUND, "--as-at", day, "--format", "csv"))))
    return {row["description"]: row["allocated"] for row in rows}


def test_a_table_and_its_changed_version_are_each_true_at_their_own_date(tmp_path: Path) -> None:
    db = tmp_path / "dated.db"
    first = tmp_path / "june.csv"
    first.write_text("Description,Amount Allocated\nMediation,5000\nStreet Pastors,3000\n", encoding="utf-8")
    second = tmp_path / "october.csv"
    second.write_text(
        "Description,Amount Allocated\nMediation,4500\nStreet Pastors,3000\nKnife crime workshops,2500\n",
        encoding="utf-8",
    )
    ok(grants(db, "init"))
    ok(grants(db, "import", "budget", str(first), *FUND, "--as-at", "2024-06-30"))
    ok(grants(db, "import", "budget", str(second), *FUND, "--as-at", "2024-10-15"))
    assert lines_as_at(db, "2024-05-31") == {}
    assert lines_as_at(db, "2024-09-30") == {"Mediation": "5000.00", "Street Pastors": "3000.00"}
    assert lines_as_at(db, "2024-11-01") == {
        "Mediation": "4500.00",
        "Street Pastors": "3000.00",
        "Knife crime workshops": "2500.00",
    }
    older = tmp_path / "older.csv"
    older.write_text("Description,Amount Allocated\nMediation,1\n", encoding="utf-8")
    refused = grants(db, "import", "budget", str(older), *FUND, "--as-at", "2024-07-01")
    assert refused.returncode == 2 and "15/10/2024" in refused.stderr, "an older table may not rewrite a newer one"
    assert lines_as_at(db, "2024-11-01")["Mediation"] == "4500.00"


def test_a_virement_moves_money_only_when_the_strategic_group_approves_it(tmp_path: Path) -> None:
    db = tmp_path / "virement.db"
    table = tmp_path / "table.csv"
    table.write_text("Description,Amount Allocated\nMediation,5000\nStreet Pastors,3000\n", encoding="utf-8")
    ok(grants(db, "init"))
    ok(grants(db, "import", "budget", str(table), *FUND, "--as-at", "2024-06-30"))
    ok(grants(db, "users", "add", "mandy", "--role", "manager", "--partnership", CSP, "--no-password"))
    ok(grants(db, "users", "add", "sam", "--role", "strategic_group", "--partnership", CSP, "--no-password"))
    proposed = ok(
        grants(
            db,
            "--user",
            "mandy",
            "virement",
            "propose",
            *FUND,
            "--from",
            "Mediation",
            "--to",
            "Street Pastors",
            "--amount",
            "1000",
            "--reason",
            "underspend",
        )
    )
    assert "nothing moves" in proposed
    today = lines_as_at(db, "2099-01-01")
    assert today == {"Mediation": "5000.00", "Street Pastors": "3000.00"}, "a proposal moves nothing"
    virement_id = proposed.split()[1]
    own = grants(db, "--user", "mandy", "virement", "approve", *FUND, "--id", virement_id)
    assert own.returncode == 2, "a manager cannot approve"
    ok(grants(db, "import", "budget", str(table), "--partnership", CSP, "--fund", "SS", "--year", "2024/25"))
    elsewhere = ["--partnership", CSP, "--fund", "SS", "--year", "2024/25"]
    wrong_fund = grants(db, "--user", "sam", "virement", "approve", *elsewhere, "--id", virement_id)
    assert wrong_fund.returncode == 2 and "not one of this fund's virements" in wrong_fund.stderr
    assert lines_as_at(db, "2099-01-01") == {"Mediation": "5000.00", "Street Pastors": "3000.00"}
    ok(grants(db, "--user", "sam", "virement", "approve", *FUND, "--id", virement_id))
    assert lines_as_at(db, "2099-01-01") == {"Mediation": "4000.00", "Street Pastors": "4000.00"}
    again = grants(db, "--user", "sam", "virement", "reject", *FUND, "--id", virement_id, "--reason", "late")
    assert again.returncode == 2 and "already approved" in again.stderr


def test_the_strategic_group_rejects_a_line_with_a_reason_and_a_manager_cannot(tmp_path: Path) -> None:
    db = tmp_path / "reject.db"
    table = tmp_path / "table.csv"
    table.write_text("Description,Amount Allocated\nMediation,5000\n", encoding="utf-8")
    ok(grants(db, "init"))
    ok(grants(db, "import", "budget", str(table), *FUND, "--as-at", "2024-06-30"))
    ok(grants(db, "users", "add", "mandy", "--role", "manager", "--partnership", CSP, "--no-password"))
    ok(grants(db, "users", "add", "sam", "--role", "strategic_group", "--partnership", CSP, "--no-password"))
    refused = grants(db, "--user", "mandy", "approval", "reject", *FUND, "--line", "Mediation", "--reason", "x")
    assert refused.returncode == 2
    rejected = ok(
        grants(db, "--user", "sam", "approval", "reject", *FUND, "--line", "Mediation", "--reason", "no evidence")
    )
    assert "no evidence" in rejected
    ok(grants(db, "--user", "sam", "approval", "approve", *FUND, "--line", "Mediation"))
    rows = list(csv.DictReader(io.StringIO(ok(grants(db, "lines", *FUND, "--format", "csv")))))
    assert rows[0]["approved_on"] != ""
