"""The benchmark harness itself (not speed): it runs every scenario and writes JSON with every key.

A quick county (two partnerships, 2,000 spend rows, one run each) keeps this under half a minute; the
real figures come from ``python -m benchmarks`` and are recorded in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.cli import parse_rows, summarise, table
from benchmarks.scenarios import SCENARIOS

PROJECT = Path(__file__).resolve().parents[2]
KEYS = {"name", "rows", "seconds", "peak_mb", "baseline", "baseline_seconds"}


def test_rows_take_a_comma_list() -> None:
    assert parse_rows("10000,100_000,1000000") == [10_000, 100_000, 1_000_000]
    for bad in ("", "ten", "0", "5,-1"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_rows(bad)


def test_a_summary_has_the_keys_and_judges_the_target_only_at_a_million_rows() -> None:
    raw = {"seconds": [3.0, 1.0, 2.5], "cpu_seconds": [1.0], "baselines": {"load_frames": [0.5, 1.5]}, "peak_mb": 400}
    at_scale = summarise("check", 1_000_000, raw, "sqlite")
    assert set(at_scale) >= KEYS
    assert (at_scale["seconds"], at_scale["baseline_seconds"], at_scale["met"]) == (2.5, 1.0, False)
    assert summarise("check", 10_000, raw, "sqlite")["met"] is None
    assert "check" in table([at_scale])


def test_every_scenario_runs_and_the_json_has_every_key(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "benchmarks", "--rows", "2000", "--repeat", "1", "--partnerships", "2"),
            *("--json", str(out), "--workdir", str(tmp_path / "work")),
        ],
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        timeout=900,  # a guard against a hang, not a speed check (speed is in BENCHMARKS.md)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["machine"]["nproc"] >= 1 and len(report["machine"]["load_average"]) == 3
    scenarios = report["scenarios"]
    assert [s["name"] for s in scenarios] == [scenario.name for scenario in SCENARIOS]
    for result in scenarios:
        assert set(result) >= KEYS, result
        assert result["error"] is None, result
        assert result["rows"] == 2000
        assert result["seconds"] > 0 and result["baseline_seconds"] > 0 and result["peak_mb"] > 0
    assert "import_spend" in done.stdout and "met" in done.stdout
