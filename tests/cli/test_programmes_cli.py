"""``programme`` and ``conditions`` run as processes on the demo: the funder's cap reaches the fund and the
next check; the manager's change waits for the Strategic Group; bad input exits 2 with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli_process import grants, ok

CSP = "Charnwood Community Safety Partnership"
OPCC = "Office of the Police and Crime Commissioner"
PLF = ["--partnership", CSP, "--fund", "PLF", "--year", "2026/27"]
PROGRAMME = ["--funder", OPCC, "--code", "PLF", "--year", "2026/27"]


def _over_cap(db: Path) -> set[str]:
    checked = grants(db, "check", "--partnership", CSP, "--format", "json")
    assert checked.returncode in (0, 1), checked.stderr  # 1: there are errors to see to
    found = json.loads(checked.stdout)
    return {f["line"] for f in found if f["code"] == "ALC005" and "cap" in f["message"]}


def _cap(db: Path) -> str:
    shown = ok(grants(db, "conditions", "show", *PLF))
    return next(line for line in shown.splitlines() if line.startswith("per_grant_cap:"))


def test_a_funders_programme_and_a_managers_proposal_through_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    ok(grants(db, "init", "--demo"))
    ok(grants(db, "users", "add", "olive", "--role", "funder", "--funder", OPCC, "--no-password"))
    assert "programme Partnership Locality Fund 2026/27" in ok(grants(db, "conditions", "show", *PLF))
    assert _over_cap(db) == set()

    refused = grants(db, "--user", "manager", "programme", "set", *PROGRAMME, "--per-grant-cap", "5000")
    assert refused.returncode == 2 and "only the funder sets a programme's conditions" in refused.stderr
    refused = grants(db, "--user", "olive", "fund", "update", *PLF, "--set", "notes=Checked")
    assert refused.returncode == 2 and "can only read the ledger" in refused.stderr
    bad = grants(db, "--user", "olive", "programme", "set", *PROGRAMME, "--set", "per_grant_limit=5000")
    assert bad.returncode == 2 and "no condition called per_grant_limit" in bad.stderr
    assert grants(db, "programme", "set", *PROGRAMME, "--match-share", "2").returncode == 2

    said = ok(grants(db, "--user", "olive", "programme", "set", *PROGRAMME, "--per-grant-cap", "15000"))
    assert "1 fund(s) changed" in said
    assert _cap(db) == f"per_grant_cap: £15,000.00 — programme Partnership Locality Fund 2026/27 ({OPCC})"
    assert _over_cap(db) == {"Domestic abuse outreach and advocacy"}, "the £18,000 line is over the new cap"

    without = grants(db, "--user", "manager", "conditions", "propose", *PLF, "--set", "per_grant_cap=20000",
                     "--reason", "Agreed with the OPCC")  # fmt: skip
    assert without.returncode == 2 and "propose an override" in without.stderr
    proposed = ok(grants(db, "--user", "manager", "conditions", "propose", *PLF, "--set", "per_grant_cap=20000",
                         "--override", "--reason", "Agreed with the OPCC", "--on", "2026-11-02"))  # fmt: skip
    change = proposed.split("proposed change ")[1].split(":")[0]
    assert _over_cap(db) == {"Domestic abuse outreach and advocacy"}, "nothing changes before the decision"
    assert f"{change}: {CSP} PLF 2026/27: per_grant_cap=£20,000.00" in ok(grants(db, "conditions", "pending"))
    own = grants(db, "--user", "manager", "conditions", "approve", "--id", change)
    assert own.returncode == 2 and "only the Strategic Group" in own.stderr

    ok(grants(db, "--user", "strategic", "conditions", "approve", "--id", change, "--on", "2026-11-05"))
    assert _cap(db) == (
        "per_grant_cap: £20,000.00 — override: Agreed with the OPCC — proposed by manager, approved by "
        "strategic on 05/11/2026"
    )
    assert _over_cap(db) == set()
    assert "no proposed changes" in ok(grants(db, "conditions", "pending"))
    again = grants(db, "--user", "strategic", "conditions", "reject", "--id", change, "--reason", "No")
    assert again.returncode == 2 and "already approved by strategic" in again.stderr

    ok(grants(db, "--user", "olive", "programme", "set", *PROGRAMME, "--per-grant-cap", "4000"))
    assert _cap(db).startswith("per_grant_cap: £20,000.00 — override"), "the override stands"
    assert "overrides per_grant_cap" in ok(grants(db, "programme", "show", *PROGRAMME))
