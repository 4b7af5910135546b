"""One scenario in its own process: ``python -m benchmarks.worker NAME URL ROWS REPEAT WORKDIR [PG_URL]``.

Prints one JSON line: the scenario's times, its baselines' times, and the process's peak resident
memory: ``VmHWM`` from ``/proc/self/status`` (the whole process, baselines included). Not
``getrusage(RUSAGE_SELF).ru_maxrss``: on Linux that survives ``exec`` and so also counts the memory of
the parent this process was forked from (the harness, which has just generated the county).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from benchmarks.scenarios import BY_NAME, Run


def peak_rss_kb() -> int:
    """This process's peak resident set size in kB (``VmHWM``; ``ru_maxrss`` where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str]) -> int:
    name, url, rows, repeat, workdir = argv[:5]
    postgres_url = argv[5] if len(argv) > 5 and argv[5] else None
    scenario = BY_NAME[name]
    timings = scenario.run(Run(url, int(rows), int(repeat), Path(workdir), postgres_url))
    peak_kb = peak_rss_kb()
    print(
        json.dumps(
            {
                "seconds": timings.seconds,
                "cpu_seconds": timings.cpu_seconds,
                "baselines": timings.baselines,
                "notes": timings.notes,
                "peak_mb": round(peak_kb / 1024, 1),
            },
            default=str,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
