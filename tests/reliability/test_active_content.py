"""JavaScript and launch actions in a PDF are never executed: no process is spawned, no file is
written, no connection is made, whether the file is parsed in the worker pool or in one process
watched by audit hooks (and by strace, when it is installed).

The file's actions all aim at traps: a script that would leave a marker file if it ran, and a
port on 127.0.0.1 that the test listens on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from budgetlens.parse import parse_many
from tests.reliability.common import PARSE_MEMORY_MB, PARSE_TIMEOUT_S, REPO
from tests.reliability.crafted.hostile import active_content

pytestmark = pytest.mark.reliability

AREA = "hostile PDF"
# One parse in this process, with audit hooks on everything that spawns, connects or writes.
CHILD = r"""
import json, os, sys
events = []
opened = []
WATCH = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
         "os.forkpty", "pty.spawn", "socket.connect", "socket.getaddrinfo", "webbrowser.open",
         "shutil.copyfile", "os.remove", "os.rename", "os.mkdir")
def hook(event, args):
    if event.startswith(WATCH):
        events.append([event, repr(args)[:200]])
    elif event == "open":
        path, mode, flags = args
        opened.append(str(path))
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if writing:
            events.append([event, repr(args)[:200]])
from pathlib import Path
from budgetlens.parse import parse_pdf
sys.addaudithook(hook)
records = parse_pdf(Path(sys.argv[1]))
children = []
for task in os.listdir("/proc/self/task"):
    with open(f"/proc/self/task/{task}/children") as fh:
        children += fh.read().split()
pdf_opened = sys.argv[1] in opened  # the hook saw the parse read its file: it was watching
sys.stdout.write(json.dumps({"events": events, "children": children, "error": records[0]["error"],
                             "pdf_opened": pdf_opened}))
"""


class Trap:
    """A script that leaves a marker if anything runs it, and a port that records connections."""

    def __init__(self, tmp: Path) -> None:
        self.marker = tmp / "launched.marker"
        self.script = tmp / "launch.sh"
        self.script.write_text(f"#!/bin/sh\ntouch {self.marker}\n", encoding="utf-8")
        self.script.chmod(0o755)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()

    def sprung(self) -> list[str]:
        return [
            w
            for w, hit in (("launch script ran", self.marker.exists()), ("connection made", self.connections))
            if hit
        ]


@pytest.fixture
def trap(tmp_path: Path):
    t = Trap(tmp_path)
    yield t
    t.close()


@pytest.fixture
def active_pdf(tmp_path: Path, trap: Trap) -> Path:
    p = tmp_path / "active.pdf"
    p.write_bytes(active_content(str(trap.script), trap.url))
    return p


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def test_actions_are_not_run_by_the_worker_pool(tmp_path: Path, trap: Trap, active_pdf: Path, faults):
    with faults.trial("JavaScript / launch actions (worker pool)", AREA) as t:
        before = files_under(tmp_path)
        results = list(
            parse_many([active_pdf], workers=1, timeout_s=PARSE_TIMEOUT_S, memory_mb=PARSE_MEMORY_MB)
        )
        assert len(results) == 1 and results[0][1][0]["error"] is None  # read as an ordinary document
        assert trap.sprung() == []
        assert files_under(tmp_path) == before  # nothing written beside the file
        t.outcome("not executed")


def test_actions_are_not_run_in_a_watched_process(tmp_path: Path, trap: Trap, active_pdf: Path, faults):
    with faults.trial("JavaScript / launch actions (audited process)", AREA) as t:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)}
        before = files_under(tmp_path)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(active_pdf)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        seen = json.loads(out.stdout)
        assert seen["error"] is None and seen["pdf_opened"]
        assert seen["events"] == []  # no process, connection, lookup or file write from the parse
        assert seen["children"] == []
        assert trap.sprung() == []
        assert files_under(tmp_path) == before
        t.outcome("not executed")


@pytest.mark.skipif(
    shutil.which("strace") is None,
    reason="strace is not installed: the system-call trace is skipped (the audit-hook and trap checks above still run)",
)
def test_actions_make_no_system_call_that_spawns_connects_or_writes(
    tmp_path: Path, trap: Trap, active_pdf: Path, faults
):
    """The same parse under strace: native code (PDFium) is watched too, not just Python."""
    with faults.trial("JavaScript / launch actions (strace)", AREA) as t:
        trace = tmp_path / "trace.txt"
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)}
        subprocess.run(
            [
                "strace",
                "-f",
                "-qq",
                "-o",
                str(trace),
                "-e",
                "trace=execve,execveat,fork,vfork,clone,clone3,connect,openat,creat",
                sys.executable,
                "-c",
                CHILD,
                str(active_pdf),
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        lines = trace.read_text(encoding="utf-8", errors="replace").splitlines()
        assert any("openat(" in ln and active_pdf.name in ln for ln in lines), "the trace saw the parse"
        execs = [ln for ln in lines if re.search(r"\bexecve(at)?\(", ln) and "= 0" in ln]
        assert len(execs) == 1, execs  # only the interpreter itself
        spawns = [
            ln
            for ln in lines
            if re.search(r"\b(fork|vfork)\(", ln)
            or (re.search(r"\bclone3?\(", ln) and "CLONE_THREAD" not in ln)
        ]
        assert spawns == []
        inet = [ln for ln in lines if "connect(" in ln and "AF_INET" in ln]
        assert inet == []
        writes = [
            ln
            for ln in lines
            if re.search(r"\b(openat|creat)\(", ln)
            and re.search(r"O_WRONLY|O_RDWR|O_CREAT", ln)
            and "/dev/" not in ln
            and "= -1" not in ln
        ]
        assert writes == []
        assert trap.sprung() == []
        t.outcome("not executed")
