"""Crashes: `budgetlens run` killed (SIGKILL) during its load, its download and its parse, and a
parser worker killed on its own. After each: the warehouse opens and holds exactly the previous
state, nothing partial is left under a final name, and the next run completes the work; a
document whose parse keeps dying is retried once, then quarantined as `internal`.

Unit-level versions of the same crashes: tests/warehouse/test_crash_and_contention.py (the loader
killed mid-transaction) and tests/scrape/test_kill.py (a fetch killed mid-download).
"""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest

from budgetlens.scrape import RawStore
from corpus.faultserver import Fault, FaultServer
from tests.reliability.common import SAMPLE_SITES
from tests.reliability.world import (
    LINKS,
    World,
    add_document,
    descendants,
    kill,
    parse_workers,
    wait_for,
    wait_gone,
)

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

AREA = "crash"
EXTRA = [
    SAMPLE_SITES / "putuo" / "files" / "2023年上海市普陀区商务委员会部门预算.pdf",
    SAMPLE_SITES / "putuo" / "files" / "2023年上海市普陀区科学技术委员会部门预算.pdf",
]


def ok(result) -> None:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


def files_in_warehouse(w: World) -> set[str]:
    return {r[0] for r in w.query("select distinct file_sha256 from documents")}


def last_run(w: World) -> dict:
    (summary,) = w.query("select summary from runs order by started_at desc limit 1")[0]
    return json.loads(summary)


def _source(sid: str, base_url: str) -> str:
    return "\n".join(
        [
            f"[sources.{sid}]",
            f'listing = "{base_url}/{sid}/index.html"',
            LINKS,
            'pagination = { pattern = "index_{n}.html", start = 1 }',
            "",
        ]
    )


def test_run_killed_during_a_download_and_then_during_its_load(tmp_path: Path, faults):
    """One installation through two crashes: a run killed mid-download, the next one killed inside
    its load transaction; after each the warehouse holds exactly the state before; then a clean
    run completes everything without parsing again."""
    w = World(tmp_path, simulated=False)
    store = RawStore(w.data / "raw")
    with FaultServer(w.sites_dir) as server:
        w.extra_sources = _source("jingan", server.base_url)
        w.write_sources()
        ok(w.run())
        before = w.snapshot()
        new = [add_document(w.site("jingan"), pdf) for pdf in EXTRA]
        target = f"/jingan/files/{new[0].name}"

        with faults.trial(
            "budgetlens run SIGKILLed in the middle of a download", AREA, see_also="tests/scrape/test_kill.py"
        ) as t:
            server.set_faults(target, Fault.trickle(0.01))  # ~15 minutes for the whole file
            proc = w.start()
            try:
                for _ in range(9000):  # until the trickled download is under way (bounded)
                    if server.hits(target) and store.partials():
                        break
                    if proc.poll() is not None:
                        raise AssertionError(proc.communicate())
                    threading.Event().wait(0.02)
                assert store.partials()
                assert kill(proc) == -9
            finally:
                kill(proc)  # no-op once killed above; otherwise no run outlives the test
            wanted = new[0].read_bytes()
            assert all(store.path_for(s).read_bytes() != wanted for s in store.iter_sha256())
            assert all(store.path_for(s).read_bytes().startswith(b"%PDF-") for s in store.iter_sha256())
            assert w.snapshot() == before  # opens, and holds exactly the previous state
            server.clear_faults()
            t.outcome("nothing under a final name; warehouse as before")

        with faults.trial(
            "budgetlens run SIGKILLed inside its load transaction",
            AREA,
            see_also="tests/warehouse/test_crash_and_contention.py",
        ) as t:
            marker, release = tmp_path / "in-load", tmp_path / "release"
            proc = w.start(helper=["pause-load", str(marker), str(release)])
            try:
                wait_for(marker, proc, "the load transaction")
                assert kill(proc) == -9
            finally:
                kill(proc)
            assert w.snapshot() == before
            assert store.partials() == []  # this run swept the partial file the killed download left
            t.outcome("warehouse as before")

        with faults.trial("the run after the two crashes", AREA) as t:
            ok(w.run())  # the kernel released the run lock; this run loads what the killed one staged
            assert last_run(w)["parsed"] == 0 and last_run(w)["downloaded"] == 0
            stored = set(store.iter_sha256())
            assert len(stored) == 4 and any(store.path_for(s).read_bytes() == wanted for s in stored)
            t.rows_lost = len(stored - files_in_warehouse(w))
            assert t.rows_lost == 0 and w.duplicates() == 0
            t.outcome("completed: nothing lost, nothing twice")


def test_a_live_download_is_never_swept(tmp_path: Path):
    """The sweep that removes a killed run's partial files leaves a live writer's alone."""
    store = RawStore(tmp_path / "raw")
    go, started = threading.Event(), threading.Event()
    result: list = []

    def chunks():
        yield b"%PDF-1.7\n"
        started.set()
        go.wait(30)
        yield b"rest\n%%EOF\n"

    writer = threading.Thread(target=lambda: result.append(store.put_stream(chunks())))
    writer.start()
    assert started.wait(30)
    assert len(store.partials()) == 1
    assert store.sweep_partials(older_than=0) == 0  # locked by the live writer
    go.set()
    writer.join(30)
    assert result and store.path_for(result[0].sha256).read_bytes() == b"%PDF-1.7\nrest\n%%EOF\n"
    assert store.partials() == []


def _in_flight(w: World, proc, n: int, attempt: int = 1) -> list[Path]:
    """Wait until `n` files are being parsed for the `attempt`-th time (their attempt markers)."""
    attempts = w.data / "staging" / "attempts"

    def started() -> list[Path]:
        found = []
        for p in sorted(attempts.glob("*.json")) if attempts.is_dir() else []:
            try:
                if json.loads(p.read_text(encoding="utf-8"))["attempts"] >= attempt:
                    found.append(p)
            except (OSError, ValueError):
                continue
        return found

    for _ in range(9000):
        found = started()
        if len(found) >= n:
            return found
        if proc.poll() is not None:
            raise AssertionError(proc.communicate())
        threading.Event().wait(0.02)
    raise AssertionError("no parse started")


def _kill_while_parsing(w: World, attempt: int = 1) -> None:
    proc = w.start(helper=["slow-parse", "120"])
    try:
        _in_flight(w, proc, 2, attempt)
        assert len(parse_workers(proc.pid)) == 2, "both files are being parsed in worker processes"
        workers = descendants(proc.pid)
        assert kill(proc) == -9
    finally:
        kill(proc)
    assert wait_gone(workers) == []  # the workers died with the run: nothing parses unwatched


def test_a_parse_killed_on_two_runs_is_retried_then_quarantined(tmp_path: Path, faults):
    w = World(tmp_path)
    with faults.trial("budgetlens run SIGKILLed while parsing (retried by the next run)", AREA) as t:
        _kill_while_parsing(w)
        _kill_while_parsing(w, attempt=2)  # the next run parses both files again: and dies too
        t.outcome("retried")
    with faults.trial("parse killed on two runs in a row (then quarantined)", AREA) as t:
        ok(w.run())
        rows = w.query("select file_sha256, status, error_code, status_reason from documents order by doc_id")
        assert len(rows) == 2
        for sha, status, code, reason in rows:
            assert (status, code) == ("quarantined", "internal")
            assert "started 2 times and never finished" in reason
            cache = json.loads((w.data / "staging" / "parsed" / f"{sha}.json").read_text(encoding="utf-8"))
            assert cache["error"] == "internal"  # given up: not parsed again by this parser version
        assert list((w.data / "staging" / "attempts").glob("*.json")) == []
        t.rows_lost = 2 - len(files_in_warehouse(w))
        assert t.rows_lost == 0
        t.outcome("quarantined: internal")


def test_a_killed_worker_is_retried_on_the_next_run(tmp_path: Path, faults):
    with faults.trial("a parser worker SIGKILLed (run goes on; retried next run)", AREA) as t:
        w = World(tmp_path)
        proc = w.start(helper=["slow-parse", "6"])
        try:
            _in_flight(w, proc, 2)
            victim = parse_workers(proc.pid)[0]
            os.kill(victim, signal.SIGKILL)
            out, err = proc.communicate(timeout=300)
        finally:
            kill(proc)
        assert proc.returncode == 0, out + err
        rows = w.query(
            "select error_code, status, status_reason from documents order by error_code nulls first"
        )
        assert [r[0] for r in rows] == [None, "internal"]
        assert rows[1][1] == "quarantined"
        assert "killed (signal 9)" in rows[1][2] and "parsed again on the next run" in rows[1][2]

        ok(w.run())
        assert last_run(w)["parsed"] == 1
        assert w.query("select error_code from documents") == [(None,), (None,)]
        t.rows_lost = 2 - len(files_in_warehouse(w))
        assert t.rows_lost == 0 and w.duplicates() == 0
        t.outcome("retried, parsed")
