"""Crash safety (SIGKILL mid-load), the run lock, and readers retrying a held file: real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from warehouse.db import ConnectSettings, WarehouseUnavailable, connect, retry_busy
from warehouse.loader import load_staged
from warehouse.lock import EXIT_WAREHOUSE_BUSY, WarehouseBusy, run_lock
from warehouse.schema import DOC_TABLES
from warehouse.staging import stage_records

from .records import REPO, luohu_record, sha

T0 = "2026-01-05T02:00:00+00:00"
WAIT_LIMIT_S = 60.0  # a bound on waiting for a helper process, never a timing assertion


def spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.warehouse.hold", *args], cwd=REPO, env=env, stderr=subprocess.PIPE
    )


def wait_for(path: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"helper exited early: {proc.stderr.read().decode()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"helper did not reach {path.name}")
        time.sleep(0.02)


def stop(proc: subprocess.Popen) -> None:
    """SIGKILL a helper still running and wait for it (in a finally: no helper outlives its test)."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=WAIT_LIMIT_S)
    if proc.stderr is not None:
        proc.stderr.close()


def snapshot(path: Path) -> dict[str, list]:
    """Every row of every per-document table (documents without its load time)."""
    con = connect(path, read_only=True)
    try:
        out = {}
        for t in DOC_TABLES:
            sql = f"select * exclude (loaded_at) from {t} order by all"  # noqa: S608 - our own table names
            if t != "documents":
                sql = f"select * from {t} order by all"  # noqa: S608 - our own table names
            out[t] = con.execute(sql).fetchall()
        return out
    finally:
        con.close()


def big_record(label: str, expense: str, n_rows: int) -> dict:
    """A record with a long table, so the killed transaction has written real data blocks."""
    rec = luohu_record(sha(label))
    rec["totals"]["expense_total"] = expense
    rec["tables"].append(
        {
            "kind": "project_expense",
            "title": "项目支出总表",
            "unit": "元",
            "pages": [15, 16],
            "header": [["项目名称", "合计", "基本", "项目", "其他", "备注"]],
            "rows": [[f"项目{i}", f"{i},000.00", "0", f"{i},000.00", "-", ""] for i in range(n_rows)],
        }
    )
    return rec


def stage_set(staging: Path, expense: str, labels: list[str], n_rows: int) -> list[Path]:
    paths = []
    for label in labels:
        paths += stage_records(
            staging,
            [big_record(label, expense, n_rows)],
            source_url=f"http://127.0.0.1/{label}.pdf",
            fetched_at=T0,
        )
    return paths


@pytest.mark.reliability
def test_sigkill_mid_load_keeps_previous_state_and_next_load_completes(tmp_path, wh_path):
    first = stage_set(tmp_path / "v1", "25790000.00", [f"d{i}" for i in range(3)], 50)
    load_staged(wh_path, first)
    before = snapshot(wh_path)

    labels = [f"d{i}" for i in range(30)]  # three replaced, 27 new; ~180,000 cells in one transaction
    second = stage_set(tmp_path / "v2", "25800000.00", labels, 1000)
    marker, release = tmp_path / "in-transaction", tmp_path / "release"
    proc = spawn("load", str(wh_path), str(marker), str(release), *map(str, second))
    try:
        wait_for(marker, proc)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=WAIT_LIMIT_S) == -signal.SIGKILL
    finally:
        stop(proc)

    assert snapshot(wh_path) == before  # exactly the previous state, nothing of the killed load

    report = load_staged(wh_path, second)
    assert report.documents == 30 and report.failed == [] and report.rejected == []
    con = connect(wh_path, read_only=True)
    assert con.execute("select count(*), count(distinct doc_id) from documents").fetchone() == (30, 30)
    assert con.execute("select distinct expense_total from totals").fetchall() == [(Decimal("25800000.00"),)]
    assert con.execute("select count(*) from table_cells").fetchone()[0] == 30 * (14 + 6000)
    con.close()


@pytest.mark.reliability
def test_second_run_waits_then_warehouse_busy(tmp_path, wh_path):
    marker = tmp_path / "locked"
    proc = spawn("lock", str(wh_path), str(marker))
    try:
        wait_for(marker, proc)
        with pytest.raises(WarehouseBusy, match=r"warehouse busy: .*\(pid \d+") as info:
            with run_lock(wh_path, timeout_s=0.3):
                pytest.fail("got the lock while another run holds it")
        assert info.value.exit_code == EXIT_WAREHOUSE_BUSY
        assert str(proc.pid) in str(info.value)
    finally:
        stop(proc)
    # the kernel released the dead holder's lock: the next run gets it at once
    with run_lock(wh_path, timeout_s=WAIT_LIMIT_S) as lock_file:
        assert lock_file == wh_path.with_name("warehouse.duckdb.lock")


def test_run_lock_is_reentrant_across_sequential_runs(wh_path):
    for _ in range(3):
        with run_lock(wh_path, timeout_s=1):
            pass


@pytest.mark.reliability
def test_reader_retries_while_a_load_holds_the_file_then_reads(tmp_path, wh_path, staging):
    load_staged(wh_path, stage_set(tmp_path / "v1", "25790000.00", ["a"], 5))
    second = stage_set(tmp_path / "v2", "25800000.00", ["a", "b"], 5)
    marker, release = tmp_path / "in-transaction", tmp_path / "release"
    proc = spawn("load", str(wh_path), str(marker), str(release), *map(str, second))
    try:
        wait_for(marker, proc)
        with pytest.raises(WarehouseUnavailable, match="is busy: another process has it open for writing"):
            connect(wh_path, read_only=True, settings=ConnectSettings(busy_timeout_s=0.2))

        sleeps = []

        def let_the_writer_finish(seconds: float) -> None:
            sleeps.append(seconds)
            if len(sleeps) == 1:
                release.touch()
                assert proc.wait(timeout=WAIT_LIMIT_S) == 0

        import duckdb

        con = retry_busy(
            lambda: duckdb.connect(str(wh_path), read_only=True),
            what=str(wh_path),
            settings=ConnectSettings(busy_timeout_s=WAIT_LIMIT_S),
            sleep=let_the_writer_finish,
        )
        assert len(sleeps) == 1  # failed once while held, then read
        assert con.execute("select count(*) from documents").fetchone()[0] == 2
        con.close()
    finally:
        stop(proc)
