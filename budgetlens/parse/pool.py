"""Parse many files in worker processes, each with a time limit and a memory limit.

A hostile file cannot hang or exhaust the machine: each document is parsed in a worker process
whose address space is capped (RLIMIT_AS) and whose resident memory the parent watches (what it
adds while parsing a document, so a worker forked from a large process is not charged for the
pages it shares with it); a worker
that runs past the time limit or over the memory limit is killed and replaced, and its file gets
a record with error `timeout` / `too_large`; a worker that dies otherwise gives `internal`
(`died_in_worker(records)` tells those apart: the cause may be outside the file, so the pipeline
parses such a file once more on its next run). Workers die with the process that started them
(PR_SET_PDEATHSIG), so a killed run leaves no worker parsing on its own without limits.
Results stream back in the order they finish.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from budgetlens.files import file_sha256
from budgetlens.parse.settings import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, ParseSettings

# How often the parent looks at its workers' memory while they work (seconds).
WATCH_INTERVAL_S = 0.2
# A worker is replaced after this many documents (PDFium keeps some caches per process).
TASKS_PER_WORKER = 200
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
# Every message of a record made because the worker process died starts with this.
WORKER_DIED = "the worker process"
_PR_SET_PDEATHSIG = 1


def died_in_worker(records: list[dict]) -> bool:
    """True for the `internal` record of a file whose worker process died (crashed or was killed
    from outside) rather than a file the parser read and judged."""
    err = records[0].get("error") if len(records) == 1 else None
    return bool(err) and err["code"] == "internal" and err["message"].startswith(WORKER_DIED)


def parse_many(
    paths: Iterable[Path],
    *,
    workers: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
    on_result: Callable[[Path, list[dict]], None] | None = None,
    settings: ParseSettings | None = None,
    on_start: Callable[[Path], None] | None = None,
) -> Iterator[tuple[Path, list[dict]]]:
    """Parse every path in a worker process; yield (path, records) as each document finishes.

    `workers` defaults to one per core; `timeout_s` and `memory_mb` are per document.
    `on_result(path, records)` is called for each result before it is yielded (progress bars);
    `on_start(path)` just before a file is handed to a worker (the pipeline counts attempts).
    """
    if timeout_s <= 0:
        raise ValueError(f"timeout_s must be positive, got {timeout_s}")
    if memory_mb <= 0:
        raise ValueError(f"memory_mb must be positive, got {memory_mb}")
    todo = [Path(p) for p in paths]
    if not todo:
        return
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    pool = _Pool(n_workers, timeout_s, memory_mb, settings or ParseSettings(), on_start)
    try:
        for path, records in pool.run(todo):
            if on_result is not None:
                on_result(path, records)
            yield path, records
    finally:
        pool.shutdown()


def _context() -> mp.context.BaseContext:
    """fork when this process runs one thread (fast start); otherwise a clean fork server."""
    methods = mp.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return mp.get_context("fork")
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["budgetlens.parse.core"])
        return ctx
    return mp.get_context("spawn")


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    task: tuple[int, Path] | None = None
    started: float = 0.0
    done: int = 0
    pid: int = field(default=0)
    # the worker's resident memory when it took its task: a forked worker counts its parent's pages
    # as its own, so a large parent (a long run, a test session) would leave no room for the limit
    held_mb: float = 0.0


class _Pool:
    def __init__(
        self,
        n: int,
        timeout_s: float,
        memory_mb: int,
        settings: ParseSettings,
        on_start: Callable[[Path], None] | None = None,
    ):
        self.on_start = on_start
        self.n = n
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.settings = settings
        self.ctx = _context()
        self.workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        # the worker's parent: this process, except under the fork server (then unknown here)
        parent_pid = os.getpid() if self.ctx.get_start_method() in ("fork", "spawn") else 0
        p = self.ctx.Process(
            target=_worker_main, args=(child, self.memory_mb, self.settings, parent_pid), daemon=True
        )
        p.start()
        child.close()
        w = _Worker(p, parent, pid=p.pid or 0)
        self.workers.append(w)
        return w

    def _retire(self, w: _Worker, *, kill: bool) -> None:
        if kill and w.process.is_alive():
            try:
                os.kill(w.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        w.process.join(timeout=5)
        if w.process.is_alive():
            w.process.kill()
            w.process.join(timeout=5)
        w.conn.close()
        if w in self.workers:
            self.workers.remove(w)

    def shutdown(self) -> None:
        for w in list(self.workers):
            self._retire(w, kill=w.task is not None)

    def run(self, todo: list[Path]) -> Iterator[tuple[Path, list[dict]]]:
        queue = list(enumerate(todo))[::-1]
        for _ in range(self.n):
            self._spawn()
        while queue or any(w.task for w in self.workers):
            for w in list(self.workers):
                if w.task is None and queue:
                    if w.done >= TASKS_PER_WORKER:
                        self._retire(w, kill=False)
                        w = self._spawn()
                    w.task = queue.pop()
                    if self.on_start is not None:
                        self.on_start(w.task[1])
                    w.started = time.monotonic()
                    w.held_mb = _rss_mb(w.pid)
                    try:
                        w.conn.send((w.task[0], str(w.task[1])))
                    except (BrokenPipeError, OSError):
                        yield (
                            w.task[1],
                            self._failed(w, "internal", f"{WORKER_DIED} was gone before it could start"),
                        )
                        continue
            busy = [w for w in self.workers if w.task is not None]
            if not busy:
                continue
            now = time.monotonic()
            next_deadline = min(w.started + self.timeout_s for w in busy)
            timeout = max(0.0, min(WATCH_INTERVAL_S, next_deadline - now))
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=timeout)
            for w in busy:
                if w.task is None:
                    continue
                if w.conn in ready:
                    try:
                        index, records = w.conn.recv()
                    except (EOFError, OSError):
                        yield w.task[1], self._died(w)
                        continue
                    path = w.task[1]
                    w.task = None
                    w.done += 1
                    yield path, records
                elif w.process.sentinel in ready:
                    yield w.task[1], self._died(w)
                elif time.monotonic() - w.started > self.timeout_s:
                    yield (
                        w.task[1],
                        self._failed(
                            w, "timeout", f"parsing took longer than the {self.timeout_s:g} s limit: stopped"
                        ),
                    )
                elif _rss_mb(w.pid) - w.held_mb > self.memory_mb:
                    yield (
                        w.task[1],
                        self._failed(
                            w,
                            "too_large",
                            f"parsing needed more than the {self.memory_mb} MB memory limit: stopped",
                        ),
                    )

    def _died(self, w: _Worker) -> list[dict]:
        w.process.join(timeout=5)
        code = w.process.exitcode
        if code is not None and code < 0 and -code == signal.SIGABRT:
            # an allocation refused by the address-space limit aborts native code
            return self._failed(
                w, "too_large", f"the worker ran out of its {self.memory_mb} MB memory limit (signal {-code})"
            )
        if code is not None and code < 0 and -code == signal.SIGKILL:
            # not the pool (it kills only for time and memory, and says so): the system's
            # out-of-memory killer or an operator
            return self._failed(w, "internal", f"{WORKER_DIED} was killed (signal 9) from outside the parser")
        return self._failed(w, "internal", f"{WORKER_DIED} crashed (exit code {code})")

    def _failed(self, w: _Worker, code: str, message: str) -> list[dict]:
        from budgetlens.parse.core import error_record

        assert w.task is not None
        path = w.task[1]
        w.task = None
        self._retire(w, kill=True)
        self._spawn()
        return [error_record(path.name, _sha256(path), None, code, message)]


def _sha256(path: Path) -> str | None:
    """The file's sha256 for an error record; None when the file cannot be read (no hash of nothing)."""
    try:
        return file_sha256(path)
    except OSError:
        return None


def _rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE_SIZE / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return 0.0


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(memory_mb: int) -> None:
    """Cap this process's address space at what it maps now plus `memory_mb`."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Linux
        return
    limit = _vm_size_bytes() + memory_mb * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _die_with(parent_pid: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux); exit now if it already has.
    Under the fork server the parent is the fork server, which exits with the main process."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if parent_pid and os.getppid() != parent_pid:
        os._exit(1)


def _worker_main(conn: Connection, memory_mb: int, settings: ParseSettings, parent_pid: int = 0) -> None:
    """A worker: parse the paths it is sent, one at a time, until it is sent None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    _die_with(parent_pid)
    from budgetlens.parse.core import error_record, parse_pdf

    _limit_memory(memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path_str = task
        path = Path(path_str)
        try:
            records = parse_pdf(path, settings=settings)
        except MemoryError:
            records = [
                error_record(
                    path.name,
                    _sha256(path),
                    None,
                    "too_large",
                    f"parsing needed more than the {memory_mb} MB memory limit",
                )
            ]
        except Exception as exc:  # noqa: BLE001 - the parent must always get a record
            records = [
                error_record(
                    path.name, _sha256(path), None, "internal", f"parser failure: {type(exc).__name__}: {exc}"
                )
            ]
        try:
            conn.send((index, records))
        except (BrokenPipeError, OSError):
            return
