"""`budgetlens run` with one pause injected through the code's own test hooks, for kill tests:

python -m tests.reliability.helpers pause-load MARKER RELEASE -- run ARGS...
    inside the load transaction, just before COMMIT (the loader's `before_commit` hook):
    create MARKER, wait until RELEASE exists (the test kills or releases the run there)
python -m tests.reliability.helpers slow-parse SECONDS -- run ARGS...
    every parse sleeps SECONDS first (corpus.parsefaults.slow_parse), so a test can kill
    the run, or one of its workers, while a document is being parsed
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path


def _wait_for(path: Path, limit_s: float = 300.0) -> None:
    deadline = time.monotonic() + limit_s
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {path}")
        time.sleep(0.02)


def main(argv: list[str]) -> int:
    sep = argv.index("--")
    mode, args, run_args = argv[0], argv[1:sep], argv[sep + 1 :]
    if mode == "pause-load":
        import warehouse.loader

        marker, release = Path(args[0]), Path(args[1])

        def block(con) -> None:  # noqa: ANN001 - a DuckDB connection
            marker.touch()
            _wait_for(release)

        warehouse.loader.load_staged = functools.partial(warehouse.loader.load_staged, before_commit=block)
    elif mode == "slow-parse":
        import budgetlens.parse
        from corpus.parsefaults import slow_parse

        settings = slow_parse(float(args[0]))
        budgetlens.parse.parse_many = functools.partial(budgetlens.parse.parse_many, settings=settings)
    else:
        raise SystemExit(f"unknown mode {mode}")
    from pipeline.cli import main as cli

    return cli(run_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
