"""The run lock: one `budgetlens run` at a time per warehouse.

`run_lock(warehouse, timeout_s)` holds an exclusive `fcntl.flock` on a lock file beside the
warehouse (``<file>.lock``; for DuckLake ``.<data dir>.budgetlens-run.lock`` beside its data folder) for the whole run.
A second run polls for it with backoff and, after `timeout_s`, raises `WarehouseBusy` naming the
process that holds it. The kernel drops the lock when its holder dies (even by SIGKILL), so a
crashed run never leaves a stale lock. Readers do not take this lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from warehouse.db import Target, WarehouseError, lock_path_for

DEFAULT_LOCK_TIMEOUT_S = 60.0
_POLL_INITIAL_S = 0.05
_POLL_MAX_S = 1.0
EXIT_WAREHOUSE_BUSY = 75  # EX_TEMPFAIL: try again later


class WarehouseBusy(WarehouseError):
    """Another run holds the warehouse lock and did not release it within the bound."""

    exit_code = EXIT_WAREHOUSE_BUSY


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another process"
    return f"pid {info.get('pid', '?')} on {info.get('host', '?')} since {info.get('since', '?')}"


@contextmanager
def run_lock(
    warehouse: str | os.PathLike[str] | Target, timeout_s: float = DEFAULT_LOCK_TIMEOUT_S
) -> Iterator[Path]:
    """Hold the warehouse's run lock for the duration of the block; yields the lock file path."""
    if timeout_s < 0:
        raise ValueError("timeout_s must be >= 0")
    path = lock_path_for(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        delay = _POLL_INITIAL_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WarehouseBusy(
                        f"warehouse busy: another budgetlens run holds {path} ({_holder(path)}); "
                        f"waited {timeout_s:g} s. Try again when it has finished."
                    ) from None
                time.sleep(min(delay, remaining))
                delay = min(delay * 2, _POLL_MAX_S)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": datetime.now(UTC).isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
