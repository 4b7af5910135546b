"""The browser benchmark's report: medians, targets judged on the wall clock, the server's CPU beside it."""

from __future__ import annotations

from benchmarks.browser import report, table


def test_the_report_takes_medians_and_judges_each_target() -> None:
    measured = {
        "sign_in": [1.2, 1.4, 2.0],
        "sign_in_cpu": [0.3, 0.4, 0.5],
        "pages": {"Overview": [0.5, 0.6, 0.7], "Funds": [1.1, 1.2, 0.9]},
        "pages_cpu": {"Overview": [0.1, 0.2, 0.3], "Funds": [0.4, 0.4, 0.4]},
    }
    result = report("manager", measured)
    assert result["sign_in_seconds"] == 1.4 and result["sign_in_met"] is True
    assert result["sign_in_server_cpu_seconds"] == 0.4
    assert result["pages_seconds"] == {"Overview": 0.6, "Funds": 1.1}
    assert result["pages_met"] is False, "Funds' median 1.1 s is over 1 s"
    shown = table(result)
    assert "page: Funds" in shown and "NO" in shown and "sign-in" in shown
