"""Disk: the raw store on a full filesystem. A small tmpfs is mounted over the run's raw store
(root with CAP_SYS_ADMIN, as here and in CI; skipped with the reason otherwise): the documents
that do not fit fail cleanly (`storage_error`, logged, nothing partial left), the run itself
succeeds, the warehouse holds exactly the documents that were stored; with room again (the tmpfs
is remounted larger) the next run completes them.

Unit-level (RLIMIT_FSIZE, one fetch): tests/scrape/test_tls_and_disk.py.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from budgetlens.scrape import RawStore
from tests.reliability.common import SAMPLE_SITES
from tests.reliability.world import World, add_document

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

AREA = "disk"
BIG = [
    SAMPLE_SITES / "putuo/files/2023年上海市普陀区万里街道办事处部门预算.pdf",
    SAMPLE_SITES / "putuo/files/2023年上海市普陀区科学技术委员会部门预算.pdf",
]


def _mount(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)


@pytest.fixture
def tmpfs():
    """mount_tmpfs(path, size): a tmpfs of that size over `path`, unmounted at the end."""
    mounted: list[Path] = []

    def mount_tmpfs(path: Path, size: str) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        try:
            r = _mount(["-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)])
        except FileNotFoundError:
            pytest.skip("no mount command: a full filesystem cannot be made here")
        if r.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs (needs root with CAP_SYS_ADMIN): {r.stderr.strip()}")
        mounted.append(path)
        return path

    yield mount_tmpfs
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30)


@pytest.fixture
def small_raw_store(tmp_path: Path, tmpfs) -> Path:
    """tmp_path/data/raw on a 192 KB tmpfs: room for the two small documents, not the big ones."""
    return tmpfs(tmp_path / "data" / "raw", "192k")


def test_a_full_raw_store_fails_those_documents_cleanly(tmp_path: Path, small_raw_store: Path, faults):
    w = World(tmp_path)
    for pdf in BIG:
        add_document(w.site("jingan"), pdf)
    names = {p.name for p in (w.site("jingan") / "files").glob("*.pdf")}
    with faults.trial(
        "raw store on a full filesystem (tmpfs)", AREA, see_also="tests/scrape/test_tls_and_disk.py"
    ) as t:
        result = w.run()
        assert result.returncode == 0, result.stdout + result.stderr
        store = RawStore(small_raw_store)
        assert store.partials() == []
        outcomes = {
            unquote(url.rsplit("/", 1)[-1]): o
            for url, o in w.query("select url, outcome from fetch_log where kind = 'document'")
        }
        assert set(outcomes) == names
        failed = {n for n, o in outcomes.items() if o == "storage_error"}
        assert failed and failed < names, outcomes  # some fit, some did not
        errors = [e for (e,) in w.query("select error from fetch_log where outcome = 'storage_error'")]
        assert all("No space left on device" in e for e in errors), errors
        for sha in store.iter_sha256():  # whatever is stored is whole
            assert store.path_for(sha).read_bytes() in {
                (w.site("jingan") / "files" / n).read_bytes() for n in names
            }
        loaded = {n for (n,) in w.query("select file_name from documents")}
        t.rows_lost = len((names - failed) - loaded)
        assert loaded == names - failed and w.duplicates() == 0
        t.outcome(f"{len(failed)} storage_error, {len(loaded)} loaded")

    with faults.trial("raw store full, then room again (next run completes)", AREA) as t:
        r = _mount(["-o", "remount,size=8m", str(small_raw_store)])
        assert r.returncode == 0, r.stderr
        again = w.run()
        assert again.returncode == 0, again.stdout + again.stderr
        loaded = {n for (n,) in w.query("select file_name from documents")}
        t.rows_lost = len(names - loaded)
        assert loaded == names and w.duplicates() == 0
        t.outcome("completed")


def test_a_raw_store_without_room_even_for_its_state(tmp_path: Path, tmpfs, faults):
    """8 KB: no document fits and the fetch state file cannot be written either; the run still
    ends normally and logs every failure (the state file as a `state` entry)."""
    with faults.trial("raw store with no room at all (state file too)", AREA) as t:
        w = World(tmp_path)
        tmpfs(w.data / "raw", "8k")
        result = w.run()
        assert result.returncode == 0, result.stdout + result.stderr
        rows = w.query(
            "select kind, outcome, error from fetch_log where outcome = 'storage_error' order by kind"
        )
        kinds = [r[0] for r in rows]
        assert kinds == ["document", "document", "state"], rows
        assert all("No space left on device" in r[2] for r in rows)
        assert "fetch state not saved" in rows[-1][2]
        assert (
            w.query("select count(*) from documents") == [(0,)] and RawStore(w.data / "raw").partials() == []
        )
        t.outcome("every failure logged; run succeeded")
