"""Measure a whole process tree from outside: wall time, CPU time, CPU utilisation over time, peak RSS.

`run_measured(cmd)` starts `cmd` and samples /proc every `interval` seconds: for every process
descended from it, its user+system CPU time (/proc/PID/stat) and resident memory
(/proc/PID/status VmRSS). Per-interval CPU use is the growth of the tree's CPU time (a process
that exits keeps the CPU time it had at its last sample: at most one interval of it is missed,
and the final total comes from the kernel's own accounting of waited-for children). Peak RSS is
the largest sum over the tree at one sample, so a peak shorter than an interval can be missed.
Linux only (reads /proc).
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_INTERVAL_S = 0.1
_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Sample:
    """One look at the tree: epoch time, cumulative CPU seconds, summed RSS (MB), process count,
    and the whole machine's cumulative busy CPU seconds (every process, ours and others')."""

    t: float
    cpu_s: float
    rss_mb: float
    processes: int
    machine_busy_s: float = 0.0


@dataclass
class Measured:
    """What `run_measured` saw."""

    returncode: int
    started_at: float  # epoch seconds
    wall_s: float
    cpu_s: float  # whole tree, from the kernel (children's rusage)
    peak_rss_mb: float  # largest summed RSS of the tree at one sample
    peak_rss_single_mb: float  # largest single process at one sample
    samples: list[Sample] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""

    def cpu_between(self, start: float, end: float) -> float:
        """CPU seconds the tree used between two epoch times (from the samples)."""
        return _cum_at(self.samples, end) - _cum_at(self.samples, start)

    def machine_utilisation(
        self, start: float | None = None, end: float | None = None, cores: int | None = None
    ) -> float:
        """Share of all cores busy with anything (ours or other processes) between two epoch times."""
        s, e, capacity = self._window(start, end, cores)
        if capacity <= 0:
            return 0.0
        busy = _cum_at(self.samples, e, "machine_busy_s") - _cum_at(self.samples, s, "machine_busy_s")
        return busy / capacity

    def utilisation(
        self, start: float | None = None, end: float | None = None, cores: int | None = None
    ) -> float:
        """Share of all cores busy between two epoch times (default: the whole run), 0..1."""
        s, e, capacity = self._window(start, end, cores)
        if capacity <= 0:
            return 0.0
        cpu = self.cpu_s if start is None and end is None else self.cpu_between(s, e)
        return cpu / capacity

    def _window(
        self, start: float | None, end: float | None, cores: int | None
    ) -> tuple[float, float, float]:
        """(start, end, core-seconds between them): the whole run by default, all cores by default."""
        s = self.started_at if start is None else start
        e = self.started_at + self.wall_s if end is None else end
        return s, e, max(e - s, 0.0) * (cores or os.cpu_count() or 1)


def _cum_at(samples: Sequence[Sample], t: float, field_name: str = "cpu_s") -> float:
    """A cumulative figure of the samples (tree CPU by default) at epoch `t`, interpolated."""
    if not samples:
        return 0.0

    def v(x: Sample) -> float:
        return getattr(x, field_name)

    if t <= samples[0].t:
        return v(samples[0])
    for a, b in zip(samples, samples[1:], strict=False):
        if a.t <= t <= b.t:
            if b.t == a.t:
                return v(b)
            return v(a) + (v(b) - v(a)) * (t - a.t) / (b.t - a.t)
    return v(samples[-1])


def machine_busy_s() -> float:
    """CPU seconds all cores spent on anything but idle and I/O wait since boot (/proc/stat)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return 0.0
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return (sum(ticks[:8]) - idle) / _TICKS


def _stat(pid: int) -> tuple[int, str, float] | None:
    """(ppid, starttime, cpu seconds) of a process, None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes().decode("utf-8", "replace")
    except OSError:
        return None
    rest = raw[raw.rfind(")") + 2 :].split()
    # fields after the name: state(0) ppid(1) ... utime(11) stime(12) ... starttime(19)
    return int(rest[1]), rest[19], (int(rest[11]) + int(rest[12])) / _TICKS


def _rss_mb(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0.0
    return int(fields[1]) * _PAGE_KB / 1024


def tree(root: int) -> dict[int, tuple[str, float]]:
    """pid → (starttime, cpu seconds) of `root` and every process descended from it."""
    info: dict[int, tuple[int, str, float]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st is not None:
                info[int(name)] = st
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in info.items():
        children.setdefault(ppid, []).append(pid)
    out: dict[int, tuple[str, float]] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in info and pid not in out:
            out[pid] = (info[pid][1], info[pid][2])
            todo.extend(children.get(pid, ()))
    return out


def run_measured(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    interval: float = DEFAULT_INTERVAL_S,
    capture: bool = True,
) -> Measured:
    """Run `cmd` to completion while sampling its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    t0 = time.perf_counter()
    out = subprocess.PIPE if capture else None
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=out)
    seen: dict[tuple[int, str], float] = {}
    samples: list[Sample] = []
    peak = single = 0.0

    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def drain(stream, key: str) -> None:
        for block in iter(lambda: stream.read(65536), b""):
            chunks[key].append(block)

    threads = []
    if capture:
        threads = [
            threading.Thread(target=drain, args=(proc.stdout, "out"), daemon=True),
            threading.Thread(target=drain, args=(proc.stderr, "err"), daemon=True),
        ]
        for th in threads:
            th.start()
    while proc.poll() is None:
        procs = tree(proc.pid)
        sizes = [_rss_mb(pid) for pid in procs]
        rss = sum(sizes)
        single = max([single, *sizes])
        for pid, (start, cpu) in procs.items():
            seen[(pid, start)] = cpu
        peak = max(peak, rss)
        samples.append(Sample(time.time(), sum(seen.values()), rss, len(procs), machine_busy_s()))
        time.sleep(interval)
    wall = time.perf_counter() - t0
    for th in threads:
        th.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    samples.append(
        Sample(started + wall, max(cpu, samples[-1].cpu_s if samples else 0.0), 0.0, 0, machine_busy_s())
    )
    return Measured(
        returncode=proc.returncode,
        started_at=started,
        wall_s=wall,
        cpu_s=cpu,
        peak_rss_mb=peak,
        peak_rss_single_mb=single,
        samples=samples,
        stdout=b"".join(chunks["out"]).decode("utf-8", "replace"),
        stderr=b"".join(chunks["err"]).decode("utf-8", "replace"),
    )
