"""parse_many: worker processes with a time and a memory limit; results stream back as they finish."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from budgetlens.parse import parse_many
from budgetlens.parse.pool import WORKER_DIED
from corpus.parsefaults import ballooning_parse, crashing_parse, slow_parse

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def docs(make_pdf) -> list[Path]:
    return [make_pdf(f"doc{i}.pdf") for i in range(3)]


def test_every_file_comes_back_once_and_on_result_sees_each(docs: list[Path]) -> None:
    seen: list[Path] = []
    results = list(parse_many(docs, workers=2, on_result=lambda p, recs: seen.append(p)))
    assert sorted(p for p, _ in results) == sorted(docs)
    assert seen == [p for p, _ in results]
    assert all(recs[0]["error"] is None for _, recs in results)


def test_a_hanging_worker_is_killed_and_its_file_gets_timeout(docs: list[Path]) -> None:
    results = dict(parse_many(docs[:1], workers=1, timeout_s=1.0, settings=slow_parse(30)))
    err = results[docs[0]][0]["error"]
    assert err["code"] == "timeout" and "1 s" in err["message"]
    assert results[docs[0]][0]["source"]["file"] == docs[0].name


def test_a_ballooning_worker_gets_too_large(docs: list[Path]) -> None:
    results = dict(parse_many(docs[:1], workers=1, memory_mb=300, settings=ballooning_parse(2000)))
    assert results[docs[0]][0]["error"]["code"] == "too_large"


def test_a_crashing_worker_gives_internal_and_is_replaced(docs: list[Path]) -> None:
    results = dict(parse_many(docs[:2], workers=1, settings=crashing_parse()))
    assert {recs[0]["error"]["code"] for recs in results.values()} == {"internal"}


def _run_script(script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`script` run by a fresh Python in the checkout (its own process: how the pool starts its
    workers depends on the threads it sees), with `args` and `env` added to this environment."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


LARGE_PARENT_SCRIPT = """
import sys, threading
from pathlib import Path
from budgetlens.parse import parse_many
from corpus.parsefaults import slow_parse

held = bytearray(b"x") * (1200 * 1024 * 1024)  # a parent holding 1.2 GB, every page touched
assert threading.active_count() == 1  # so the pool forks: its workers start with these pages
# a parse that takes a second, so the pool looks at the worker's memory while it works
for path, recs in parse_many([Path(sys.argv[1])], workers=1, memory_mb=300, settings=slow_parse(1)):
    print(recs[0]["error"], flush=True)
"""


def test_a_worker_forked_from_a_large_process_is_not_charged_for_its_pages(docs: list[Path]) -> None:
    """The memory limit is what a worker adds while it parses: before, a worker forked from a
    process that held more than the limit (a long scoring run making PDFs) counted the pages it
    shares with it as its own, and every document came back too_large."""
    out = _run_script(LARGE_PARENT_SCRIPT, str(docs[0]))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["None"], out.stdout + out.stderr


CRASH_SCRIPT = """
import faulthandler, sys, threading
from pathlib import Path
from budgetlens.parse import parse_many
from corpus.parsefaults import crashing_parse

faulthandler.enable()  # as pytest's faulthandler plugin does; workers inherit it (or PYTHONFAULTHANDLER)
if sys.argv[1] == "forkserver":  # a second thread: the pool uses the fork server, not fork
    done = threading.Event()
    threading.Thread(target=done.wait, daemon=True).start()
paths = [Path(p) for p in sys.argv[2:]]
for path, recs in parse_many(paths, workers=1, settings=crashing_parse()):
    print(recs[0]["error"]["code"], recs[0]["error"]["message"], flush=True)
assert faulthandler.is_enabled()  # only the crashing worker turned it off
"""


@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_the_deliberate_crash_is_detected_but_prints_no_fatal_error(docs: list[Path], start: str) -> None:
    """The crashing_parse worker dies of SIGSEGV without faulthandler's "Fatal Python error" dump,
    so a green run shows none and a real crash, which keeps its dump, stands out."""
    out = _run_script(CRASH_SCRIPT, start, *map(str, docs[:2]), env={"PYTHONFAULTHANDLER": "1"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2, out.stdout + out.stderr
    assert all(line.startswith(f"internal {WORKER_DIED} crashed (exit code -11)") for line in lines), lines
    assert "Fatal Python error" not in out.stderr and "Segmentation fault" not in out.stderr, out.stderr


def test_after_a_killed_worker_the_other_files_still_parse(docs: list[Path]) -> None:
    # one worker, the first file hangs (a test hook on every file here); the pool must go on
    results = list(parse_many(docs, workers=1, timeout_s=0.5, settings=slow_parse(5)))
    assert len(results) == 3
    assert {recs[0]["error"]["code"] for _, recs in results} == {"timeout"}


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"timeout_s": 0}, "timeout_s"), ({"memory_mb": 0}, "memory_mb")]
)
def test_limits_must_be_positive(docs: list[Path], kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        list(parse_many(docs, **kwargs))


def test_the_before_parse_seam_must_be_callable() -> None:
    from budgetlens.parse import ParseSettings

    with pytest.raises(ValueError, match="before_parse must be callable"):
        ParseSettings(before_parse=30)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seconds"):
        slow_parse(-1)
