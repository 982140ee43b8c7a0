"""`make bench`: run the benchmarks and print each one's numbers (`python -m bench [NAME ...]`).

Each benchmark is a module of this package with `add_arguments(parser)` and `run(args) -> dict`;
its result is merged into bench/results.json under its name (other benchmarks' sections are kept).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

# name -> module; add new benchmarks here. Run in this order: the pipeline benchmark renders the
# generated corpus the parse benchmark reads, and keeps the warehouse the query benchmark copies.
BENCHMARKS: dict[str, str] = {
    "startup": "bench.startup_bench",
    "pipeline": "bench.pipeline_bench",
    "parse": "bench.parse_bench",
    "parse_real": "bench.parse_real_bench",
    "query": "bench.query_bench",
}


def default_args(name: str) -> list[str]:
    """Arguments a benchmark gets when none are given: the parse benchmark reads 200 documents of
    the generated corpus when it is there (else its own default, the sample corpus)."""
    if name == "parse":
        from bench.corpus import PARSE_DOCS, parse_selection

        chosen = parse_selection(PARSE_DOCS)
        return ["--docs", str(chosen)] if chosen else []
    return []


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
    started = time.perf_counter()
    for name in names:
        module = importlib.import_module(BENCHMARKS[name])
        sub = argparse.ArgumentParser(prog=f"python -m bench {name}")
        module.add_arguments(sub)
        args = sub.parse_args(rest or default_args(name))
        t0 = time.perf_counter()
        result = module.run(args)
        result["bench_s"] = round(time.perf_counter() - t0, 1)
        merge_results(name, result)
    data = merge_results(
        "suite",
        {
            "benchmarks": names,
            "bench_s": round(time.perf_counter() - started, 1),
            "complete": names == list(BENCHMARKS) and not rest,
        },
    )
    from bench.summary import markdown, print_table, rows

    table = rows(data)
    merge_results("summary", table)
    print_table(table)
    out = RESULTS.parent / "out"
    out.mkdir(exist_ok=True)
    (out / "summary.md").write_text(markdown(table), encoding="utf-8")  # for docs/performance.md
    return 0


if __name__ == "__main__":
    sys.exit(main())
