"""Subprocess helpers for crash and contention tests (run as `python -m tests.warehouse.hold …`).

- `load WH MARKER RELEASE ENVELOPE...`: load the envelopes; inside the transaction, just before
  COMMIT, create MARKER and wait until RELEASE exists (the test kills or releases us there).
- `lock WH MARKER`: take the run lock, create MARKER, and hold it until killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def _wait_for(path: Path, limit_s: float = 120.0) -> None:
    deadline = time.monotonic() + limit_s
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {path}")
        time.sleep(0.02)


def main(argv: list[str]) -> int:
    cmd, wh, marker = argv[0], Path(argv[1]), Path(argv[2])
    if cmd == "load":
        from warehouse.loader import load_staged

        release = Path(argv[3])

        def block(con) -> None:
            marker.touch()
            _wait_for(release)

        load_staged(wh, [Path(p) for p in argv[4:]], before_commit=block)
        return 0
    if cmd == "lock":
        from warehouse.lock import run_lock

        with run_lock(wh, timeout_s=5):
            marker.touch()
            _wait_for(Path(str(marker) + ".never"), limit_s=120.0)
        return 0
    raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
