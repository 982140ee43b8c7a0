"""Contention: two `budgetlens run` at once, and readers (`budgetlens sql`, `budgetlens report`)
while a run writes. The second run waits for the warehouse lock up to --lock-timeout, then exits 75
saying the warehouse is busy; nothing is corrupted or lost. Readers retry the held file for a
bounded time and then read; how long they waited is reported, never asserted.

Unit-level: tests/warehouse/test_crash_and_contention.py (run lock, reader retry).
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.world import BUDGETLENS, World, kill, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

AREA = "contention"
SEE_ALSO = "tests/warehouse/test_crash_and_contention.py"


def ok(result) -> None:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


def paused_run(w: World, tmp: Path) -> tuple[subprocess.Popen, Path]:
    """A run stopped inside its load transaction (holding the run lock and the file)."""
    marker, release = tmp / "in-load", tmp / "release"
    proc = w.start(helper=["pause-load", str(marker), str(release)])
    wait_for(marker, proc, "the load transaction")
    return proc, release


def finish(proc: subprocess.Popen, release: Path) -> subprocess.CompletedProcess:
    release.touch()
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def last_runs(w: World, n: int) -> list[dict]:
    rows = w.query("select summary from runs order by started_at desc limit ?", [n])
    return [json.loads(r[0]) for r in rows]


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen]]:
    """The processes a test starts: any still running when it ends (a failed assertion, a timeout)
    is killed and waited for, so none outlives the test."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        kill(proc)


def _start(cmd: list[str], w: World, procs: list[subprocess.Popen]) -> tuple[subprocess.Popen, float]:
    proc = subprocess.Popen(
        cmd, cwd=w.root, env=w.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    procs.append(proc)
    return proc, time.monotonic()


def test_runs_and_readers_while_a_run_holds_the_warehouse(tmp_path: Path, faults, procs):
    """A run stopped inside its load transaction; meanwhile: a second run with a short bound (gives
    up: exit 75), a third with a long one (waits), `budgetlens sql` and `budgetlens report`
    (retry the held file). Then the first run is released and everyone finishes."""
    w = World(tmp_path)
    first, release = paused_run(w, tmp_path)
    procs.append(first)
    try:
        with faults.trial(
            "second budgetlens run while one holds the warehouse (bound passes)", AREA, see_also=SEE_ALSO
        ) as t:
            busy = w.run("--lock-timeout", "1")
            assert busy.returncode == 75, busy.stdout + busy.stderr
            assert busy.stderr.startswith("budgetlens run: warehouse busy: another budgetlens run holds")
            assert f"pid {first.pid}" in busy.stderr
            assert "Try again" in busy.stderr
            t.outcome("exit 75: warehouse busy")
        waiting, _ = _start([str(BUDGETLENS), *w.run_args("--lock-timeout", "240")], w, procs)
        sql, t_sql = _start(
            [str(BUDGETLENS), "sql", "select count(*) as n from documents", "--format", "json",
             "--warehouse", str(w.warehouse), "--busy-timeout", "240"],
            w,
            procs,
        )  # fmt: skip
        report, t_report = _start(
            [str(BUDGETLENS), "report", "--warehouse", str(w.warehouse), "--out", str(tmp_path / "report-out"),
             "--data-dir", str(w.data), "--busy-timeout", "240"],
            w,
            procs,
        )  # fmt: skip
        time.sleep(1.0)  # let them reach the lock and the held file (a schedule, not a measurement)
        assert waiting.poll() is None and sql.poll() is None and report.poll() is None, "all of them wait"
    finally:
        done = finish(first, release)
    ok(done)
    with faults.trial(
        "second budgetlens run while one holds the warehouse (waits, then runs)", AREA, see_also=SEE_ALSO
    ) as t:
        out, err = waiting.communicate(timeout=300)
        assert waiting.returncode == 0, out + err
        a, b = last_runs(w, 2)[::-1]
        assert a["downloaded"] == 2 and b["downloaded"] == 0 and b["parsed"] == 0
        assert len(w.query("select * from runs")) == 2  # the refused run wrote nothing
        t.rows_lost = 2 - len(w.query("select distinct file_sha256 from documents"))
        assert t.rows_lost == 0 and w.duplicates() == 0
        t.outcome("waited, then ran; nothing twice")
    for name, proc, started in (("budgetlens sql", sql, t_sql), ("budgetlens report", report, t_report)):
        with faults.trial(f"{name} while a run writes", AREA, see_also=SEE_ALSO) as t:
            out, err = proc.communicate(timeout=300)
            waited = time.monotonic() - started
            assert proc.returncode == 0, out + err
            if name == "budgetlens sql":
                assert json.loads(out) == [{"n": 2}]  # the committed load, never half of it
            else:
                assert (tmp_path / "report-out" / "report" / "index.html").is_file()
            t.outcome(f"read after retrying (returned after {waited:.0f} s)")
