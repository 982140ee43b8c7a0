"""Start-up benchmark: `budgetlens parse` on the seed document, the whole process, wall time.

The command is run `--repeat` times (after one warm-up run that fills the OS file cache); the
median wall time is reported, with the import time of the parser alone (`python -c "import
budgetlens.parse"`) and of the CLI's `--help` for comparison. A check that the parse call does
not import Dagster or Great Expectations is in the parser's tests (tests/parse/test_imports.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import REPO

SEED = REPO / "sample" / "sites" / "luohu" / "files" / "2022年深圳市罗湖区科技创新局部门预算.pdf"
DEFAULT_REPEAT = 5
TARGET_S = 1.5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="timed runs (median reported)")


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("budgetlens")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "pipeline.cli"]


def _median_wall(cmd: list[str], repeat: int) -> tuple[float, list[float]]:
    subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def run(args: argparse.Namespace) -> dict:
    if not SEED.is_file():
        print(f"start-up benchmark: the seed document is missing ({SEED})")
        return {"skipped": f"missing {SEED.relative_to(REPO)}"}
    with tempfile.TemporaryDirectory(prefix="budgetlens-startup-") as tmp:
        parse_s, runs = _median_wall([*_cli(), "parse", str(SEED), "--out", tmp], args.repeat)
    import_s, _ = _median_wall([sys.executable, "-c", "import budgetlens.parse"], args.repeat)
    help_s, _ = _median_wall([*_cli(), "--help"], args.repeat)
    result = {
        "parse_seed_s": round(parse_s, 3),
        "parse_seed_runs_s": [round(t, 3) for t in runs],
        "import_parser_s": round(import_s, 3),
        "cli_help_s": round(help_s, 3),
        "target_s": TARGET_S,
        "load_average": os.getloadavg()[0],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    print(
        f"start-up benchmark: budgetlens parse (seed document) {parse_s:.2f} s median of {args.repeat} "
        f"(target ≤ {TARGET_S} s); import budgetlens.parse {import_s:.2f} s; budgetlens --help {help_s:.2f} s"
    )
    return result
