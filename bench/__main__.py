"""`make bench`: run the benchmarks and print each one's numbers (`python -m bench [NAME ...]`).

Each benchmark is a module of this package with `add_arguments(parser)` and `run(args) -> dict`;
its result is merged into bench/results.json under its name (other benchmarks' sections are kept).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

# name -> module; add new benchmarks here.
BENCHMARKS: dict[str, str] = {
    "parse": "bench.parse_bench",
}
RESULTS = Path(__file__).parent / "results.json"


def merge_results(name: str, result: dict, path: Path = RESULTS) -> dict:
    """Write `result` as section `name` of the results file, keeping every other section."""
    data: dict = {}
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            data = {}
    data[name] = result
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})",
    )
    known, rest = parser.parse_known_args(argv)
    names = known.names or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})")
    for name in names:
        module = importlib.import_module(BENCHMARKS[name])
        sub = argparse.ArgumentParser(prog=f"python -m bench {name}")
        module.add_arguments(sub)
        args = sub.parse_args(rest)
        result = module.run(args)
        merge_results(name, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
