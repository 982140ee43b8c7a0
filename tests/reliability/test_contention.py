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


def test_second_run_gives_up_after_the_bound_with_warehouse_busy(tmp_path: Path, faults):
    with faults.trial(
        "second budgetlens run while one holds the warehouse (bound passes)", AREA, see_also=SEE_ALSO
    ) as t:
        w = World(tmp_path)
        first, release = paused_run(w, tmp_path)
        try:
            second = w.run("--lock-timeout", "1")
            assert second.returncode == 75, second.stdout + second.stderr
            assert "warehouse busy" in second.stderr and f"pid {first.pid}" in second.stderr
            assert "Try again" in second.stderr
        finally:
            done = finish(first, release)
        ok(done)
        files = {r[0] for r in w.query("select distinct file_sha256 from documents")}
        t.rows_lost = 2 - len(files)
        assert t.rows_lost == 0 and w.duplicates() == 0
        assert len(w.query("select * from runs")) == 1  # the refused run wrote nothing
        ok(w.run())  # and runs normally afterwards, with nothing new to do
        assert last_runs(w, 1)[0]["parsed"] == 0 and w.duplicates() == 0
        t.outcome("exit 75: warehouse busy")


def test_second_run_waits_for_the_first_within_the_bound(tmp_path: Path, faults):
    with faults.trial(
        "second budgetlens run while one holds the warehouse (waits, then runs)", AREA, see_also=SEE_ALSO
    ) as t:
        w = World(tmp_path)
        first, release = paused_run(w, tmp_path)
        second = w.start("--lock-timeout", "240")
        time.sleep(1.0)  # let it reach the lock (a schedule, not a measurement)
        assert second.poll() is None, "the second run waits while the first holds the lock"
        ok(finish(first, release))
        out, err = second.communicate(timeout=300)
        assert second.returncode == 0, out + err
        a, b = last_runs(w, 2)[::-1]
        assert a["downloaded"] == 2 and b["downloaded"] == 0 and b["parsed"] == 0
        t.rows_lost = 2 - len(w.query("select distinct file_sha256 from documents"))
        assert t.rows_lost == 0 and w.duplicates() == 0
        t.outcome("waited, then ran")


def _reader(cmd: list[str], w: World) -> tuple[subprocess.Popen, float]:
    return (
        subprocess.Popen(
            cmd, cwd=w.root, env=w.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ),
        time.monotonic(),
    )


def test_readers_work_while_a_run_writes(tmp_path: Path, faults):
    w = World(tmp_path)
    ok(w.run())  # a warehouse with something in it
    before = len(w.query("select * from documents"))
    from tests.reliability.common import SAMPLE_SITES
    from tests.reliability.world import add_document

    add_document(
        w.site("jingan"), SAMPLE_SITES / "putuo" / "files" / "2023年上海市普陀区商务委员会部门预算.pdf"
    )
    writer, release = paused_run(w, tmp_path)
    try:
        sql, t_sql = _reader(
            [str(BUDGETLENS), "sql", "select count(*) as n from documents", "--format", "json",
             "--warehouse", str(w.warehouse), "--busy-timeout", "240"],
            w,
        )  # fmt: skip
        report, t_report = _reader(
            [str(BUDGETLENS), "report", "--warehouse", str(w.warehouse), "--out", str(tmp_path / "report-out"),
             "--data-dir", str(w.data), "--busy-timeout", "240"],
            w,
        )  # fmt: skip
        time.sleep(1.0)  # both are now retrying the held file
        assert sql.poll() is None and report.poll() is None, "readers wait while the load holds the file"
    finally:
        ok(finish(writer, release))
    for name, proc, started in (("budgetlens sql", sql, t_sql), ("budgetlens report", report, t_report)):
        with faults.trial(f"{name} while a run writes", AREA, see_also=SEE_ALSO) as t:
            out, err = proc.communicate(timeout=300)
            waited = time.monotonic() - started
            assert proc.returncode == 0, out + err
            if name == "budgetlens sql":
                assert json.loads(out) == [{"n": before + 1}]  # the committed load, never half of it
            else:
                assert (tmp_path / "report-out" / "report" / "index.html").is_file()
            t.outcome(f"read after retrying ({waited:.0f} s incl. the run)")
    kill(writer) if writer.poll() is None else None
