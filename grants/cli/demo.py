"""``demo``: load a demo data set (the Charnwood demo, or the county-wide set for load work)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from grants.services.county import generate_county
from grants.services.demo import install_demo
from grants.storage.database import Database, redact


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser("demo", help="load demo data: the Charnwood demo, or --scale county")
    demo.add_argument("--scale", choices=("charnwood", "county"), default="charnwood")
    demo.add_argument("--rows", type=int, default=1_000_000, help="spend rows for --scale county (default 1,000,000)")
    demo.add_argument("--seed", type=int, default=2017, help="random seed for --scale county (same seed, same data)")
    demo.set_defaults(handler=_demo, operator_only=True)


def _demo(args: argparse.Namespace, database: Database) -> int:
    if args.rows < 0:
        print("error: --rows must be zero or more")
        return 2
    started = time.perf_counter()
    if args.scale == "county":
        size = generate_county(database, spend_rows=args.rows, seed=args.seed)
        figures = ", ".join(f"{value:,} {name}" for name, value in size.__dict__.items())
        print(f"county data set in {redact(database.url)}: {figures} ({time.perf_counter() - started:.1f} s)")
    else:
        install_demo(database)
        print(f"Charnwood demo loaded into {redact(database.url)} ({time.perf_counter() - started:.1f} s)")
    return 0
