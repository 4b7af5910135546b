"""``python -m benchmarks``: generate the county data, run every scenario in its own process, print a table.

    python -m benchmarks [--rows N[,N...]] [--json FILE] [--database-url URL] [--repeat K]
                         [--scenario NAME ...] [--workdir DIR]

The figure for each scenario is the median of ``--repeat`` runs (wall-clock seconds), shown beside the
median of its baseline timed in the same process; peak memory is the scenario process's
``ru_maxrss``. The load average is recorded with each scenario, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import data
from benchmarks.scenarios import BY_NAME, PROJECT, SCENARIOS, median

TARGET_ROWS = 1_000_000
"""The targets are set for a county of a million spend rows; other sizes show growth, not pass/fail."""
PEAK_MB_TARGET = 2048


def parse_rows(text: str) -> list[int]:
    try:
        rows = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of row counts") from None
    if not rows or any(n < 1 for n in rows):
        raise argparse.ArgumentTypeError("give at least one row count, each 1 or more")
    return rows


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parse.add_argument("--rows", type=parse_rows, default=[TARGET_ROWS], metavar="N[,N...]", help="spend rows")
    parse.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parse.add_argument(
        "--database-url",
        metavar="URL",
        help="a PostgreSQL database to generate the county in (default: a SQLite file in a temporary folder)",
    )
    parse.add_argument("--repeat", type=int, default=3, metavar="K", help="runs per scenario (median reported)")
    parse.add_argument(
        "--scenario", action="append", choices=list(BY_NAME), metavar="NAME", help="only these (repeatable)"
    )
    parse.add_argument("--workdir", type=Path, metavar="DIR", help="keep the generated data here for the next run")
    parse.add_argument("--timeout", type=int, default=3600, metavar="S", help="seconds a scenario may take")
    parse.add_argument(
        "--partnerships",
        type=int,
        default=10,
        choices=range(2, 11),
        metavar="N",
        help="partnerships in the county (2-10, default 10): fewer for a quick check of the harness",
    )
    return parse


def machine() -> dict[str, Any]:
    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def run_scenario(name: str, url: str, rows: int, repeat: int, workdir: Path, postgres: str | None, timeout: int) -> Any:
    """One scenario in a fresh process; its parsed JSON line, or the error it ended with."""
    command = [sys.executable, "-m", "benchmarks.worker", name, url, str(rows), str(repeat), str(workdir)]
    command.append(postgres or "")
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return {"error": " | ".join(tail) or f"exit status {done.returncode}"}
    lines = [line for line in done.stdout.strip().splitlines() if line.startswith("{")]
    if not lines:
        return {"error": "the scenario printed no result"}
    result = json.loads(lines[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 1)
    return result


def summarise(name: str, rows: int, raw: dict[str, Any], database: str, partnerships: int = 10) -> dict[str, Any]:
    scenario = BY_NAME[name]
    seconds = median(raw.get("seconds", []))
    baselines = {key: median(values) for key, values in raw.get("baselines", {}).items()}
    baseline_seconds = baselines.get(scenario.baseline)
    target = scenario.target_seconds if rows == TARGET_ROWS and partnerships == 10 else None
    peak = raw.get("peak_mb")
    return {
        "name": name,
        "rows": rows,
        "database": database,
        "seconds": _round(seconds),
        "cpu_seconds": _round(median(raw.get("cpu_seconds", []))),
        "runs": [_round(s) for s in raw.get("seconds", [])],
        "peak_mb": peak,
        "memory_measure": "VmHWM (peak RSS) of the scenario's own process, baselines included",
        "baseline": scenario.baseline,
        "baseline_seconds": _round(baseline_seconds),
        "ratio_to_baseline": _round(seconds / baseline_seconds) if seconds and baseline_seconds else None,
        "baselines": {key: _round(value) for key, value in baselines.items()},
        "target_seconds": target,
        "met": None if target is None or seconds is None else bool(seconds <= target and (peak or 0) <= PEAK_MB_TARGET),
        "notes": raw.get("notes", {}),
        "load_average": raw.get("load_average"),
        "error": raw.get("error"),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def table(results: list[dict[str, Any]]) -> str:
    heading = ("scenario", "rows", "seconds", "cpu s", "baseline", "baseline s", "ratio", "peak MB", "target", "met")
    body = []
    for r in results:
        if r.get("error"):
            body.append((r["name"], f"{r['rows']:,}", "error", "", "", "", "", "", "", r["error"][:60]))
            continue
        body.append(
            (
                r["name"],
                f"{r['rows']:,}",
                _fmt(r["seconds"]),
                _fmt(r["cpu_seconds"]),
                r["baseline"],
                _fmt(r["baseline_seconds"]),
                "" if r["ratio_to_baseline"] is None else f"{r['ratio_to_baseline']:.2f}x",
                "" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}",
                "" if r["target_seconds"] is None else f"≤ {r['target_seconds']:g} s",
                "" if r["met"] is None else ("yes" if r["met"] else "NO"),
            )
        )
    widths = [max(len(str(row[i])) for row in (heading, *body)) for i in range(len(heading))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) for row in [heading]]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) for row in body]
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.repeat < 1:
        parser().error("--repeat must be 1 or more")
    postgres = args.database_url if data.is_postgres(args.database_url) else None
    if args.database_url and postgres is None:
        parser().error("--database-url must be a PostgreSQL URL (SQLite counties go in a temporary folder)")
    database = "postgresql" if postgres else "sqlite"
    names = args.scenario or [scenario.name for scenario in SCENARIOS]
    own_workdir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="grants-bench-")) if own_workdir else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    report: dict[str, Any] = {
        "machine": machine(),
        "database": database,
        "partnerships": args.partnerships,
        "repeat": args.repeat,
        "started": _now(),
        "scenarios": results,
    }
    try:
        for rows in args.rows:
            print(f"preparing a county of {rows:,} spend rows ({database}) ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            url = data.county(postgres, rows, workdir, args.partnerships)
            report.setdefault("generation_seconds", {})[str(rows)] = round(time.perf_counter() - started, 1)
            if "import_spend" in names:
                scratch = data.Scratch(postgres, workdir)
                scratch.prepare()
                data.spend_csv(scratch.template_url(), rows, workdir)
            for name in names:
                print(f"  {name} at {rows:,} rows ...", file=sys.stderr, flush=True)
                raw = run_scenario(name, url, rows, args.repeat, workdir, postgres, args.timeout)
                raw["load_average"] = [round(x, 2) for x in os.getloadavg()]
                results.append(summarise(name, rows, raw, database, args.partnerships))
                print(table(results[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    finally:
        report["finished"] = _now()
        report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(results))
    load = report["machine"]
    print(
        f"\n{database}; {load['nproc']} CPUs, {load['memory_gb']} GB; load average {load['load_average']} at the "
        f"start, {load['load_average_at_end']} at the end; seconds are medians of {args.repeat} run(s)"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 1 if any(r.get("error") for r in results) else 0


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
