"""A pipeline world for fault tests: a copy of some simulated sites, a sources config on a fixed
port, a warehouse, a data folder, and `budgetlens run` as a real subprocess (killable).

`helpers.py` runs the same command with one pause injected through the code's own hooks
(the loader's `before_commit`, the parser's `before_parse`), so a test can kill it at a known
point instead of guessing with timers.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from tests.reliability.common import REPO, SAMPLE_SITES

BUDGETLENS = Path(sys.executable).with_name("budgetlens")
WAIT_LIMIT_S = 180.0  # a bound on waiting for a helper process, never a timing assertion
RUN_TIMEOUT_S = 300.0
LINKS = r"""links = { selector = "a[href]", href_pattern = '(?i)\.pdf$|download\.jsp\?id=\d+$' }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_document(site: Path, pdf: Path, name: str | None = None) -> Path:
    """Publish another PDF on a copied site: the file and a link on its first listing page."""
    name = name or pdf.name
    target = site / "files" / name
    shutil.copyfile(pdf, target)
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    link = f'<li><a href="files/{quote(name)}">{name.removesuffix(".pdf")}</a></li>'
    index.write_text(html.replace("</ul>", link + "\n</ul>", 1), encoding="utf-8")
    return target


@dataclass
class World:
    """Paths of one pipeline installation under `root` and ways to run it."""

    root: Path
    sites: list[str] = field(default_factory=lambda: ["jingan"])
    defaults: dict[str, object] = field(default_factory=dict)
    extra_sources: str = ""  # more [sources.*] tables (TOML), e.g. a fault server's source
    simulated: bool = True  # serve the copied sites from the run ([simulated]) on a fixed port

    def __post_init__(self) -> None:
        self.sites_dir = self.root / "sites"
        for sid in self.sites:
            if not (self.sites_dir / sid).exists():
                shutil.copytree(SAMPLE_SITES / sid, self.sites_dir / sid)
        self.port = free_port()
        self.warehouse = self.root / "wh" / "warehouse.duckdb"
        self.data = self.root / "data"
        self.out = self.root / "published"
        self.sources = self.root / "sources.toml"
        self.write_sources()

    def write_sources(self) -> None:
        defaults = {"min_delay": 0.0, "allow_private": True, **self.defaults}
        lines = ["[defaults]", *(f"{k} = {_toml(v)}" for k, v in defaults.items()), ""]
        if self.simulated and self.sites:
            lines += ["[simulated]", f"dir = {_toml(str(self.sites_dir))}", f"port = {self.port}", ""]
            for sid in self.sites:
                lines += [
                    f"[sources.{sid}]",
                    f'listing = "{{simulated}}/{sid}/index.html"',
                    LINKS,
                    'pagination = { pattern = "index_{n}.html", start = 1 }',
                    "",
                ]
        self.sources.write_text("\n".join(lines) + self.extra_sources, encoding="utf-8")

    def site(self, sid: str) -> Path:
        return self.sites_dir / sid

    # --- running ------------------------------------------------------------------------------

    def run_args(self, *extra: str) -> list[str]:
        return [
            "run",
            "--sources", str(self.sources),
            "--warehouse", str(self.warehouse),
            "--out", str(self.out),
            "--data-dir", str(self.data),
            "--workers", "2",
            "--no-progress",
            *extra,
        ]  # fmt: skip

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETLENS_")}
        env["PYTHONPATH"] = str(REPO)
        env["COLUMNS"] = "400"  # the run summary's tables unwrapped, so tests can read them
        return env

    def run(self, *extra: str, timeout: float = RUN_TIMEOUT_S) -> subprocess.CompletedProcess:
        """`budgetlens run` to the end."""
        return subprocess.run(
            [str(BUDGETLENS), *self.run_args(*extra)],
            cwd=self.root,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, *extra: str, helper: list[str] | None = None) -> subprocess.Popen:
        """`budgetlens run` in the background; with `helper`, through tests/reliability/helpers.py."""
        cmd = (
            [sys.executable, "-m", "tests.reliability.helpers", *helper, "--", *self.run_args(*extra)]
            if helper
            else [str(BUDGETLENS), *self.run_args(*extra)]
        )
        return subprocess.Popen(
            cmd, cwd=self.root, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    # --- looking --------------------------------------------------------------------------

    def query(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        from warehouse import db

        con = db.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every row of every per-document table, exactly (load times included)."""
        from warehouse import db
        from warehouse.schema import DOC_TABLES

        con = db.connect(str(self.warehouse), read_only=True)
        try:
            present = {
                r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
            }
            return {
                t: con.execute(f"select * from {t} order by all").fetchall()  # noqa: S608 - our own table names
                for t in DOC_TABLES
                if t in present
            }
        finally:
            con.close()

    def counts(self) -> dict[str, int]:
        return {t: len(rows) for t, rows in self.snapshot().items()}

    def duplicates(self) -> int:
        """Rows beyond one per doc_id in documents/totals/headcount (the loader's uniqueness)."""
        return sum(
            self.query(f"select count(*) - count(distinct doc_id) from {t}")[0][0]  # noqa: S608 - fixed names
            for t in ("documents", "totals", "headcount")
        )


def _toml(v: object) -> str:
    import json

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    return repr(v)


def wait_for(path: Path, proc: subprocess.Popen, what: str = "") -> None:
    """Until `path` exists (bounded); fail with the helper's output if it exits first."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not path.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(
                f"the run exited ({proc.returncode}) before {what or path.name}:\n{out}\n{err}"
            )
        if time.monotonic() > deadline:
            kill(proc)
            raise AssertionError(f"the run did not reach {what or path.name}")
        time.sleep(0.02)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc children lists)."""
    out: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except FileNotFoundError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as fh:
                    kids = [int(x) for x in fh.read().split()]
            except FileNotFoundError:
                continue
            out += kids
            todo += kids
    return out


def parse_workers(pid: int) -> list[int]:
    """The parser's worker processes below `pid`: leaves of the process tree (under fork they are
    children of the run, under the fork server its children), never multiprocessing's helpers."""
    procs = descendants(pid)
    out = []
    for p in procs:
        try:
            with open(f"/proc/{p}/cmdline", "rb") as fh:
                cmd = fh.read()
        except FileNotFoundError:
            continue
        if b"resource_tracker" in cmd or descendants(p):
            continue
        out.append(p)
    return out


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_gone(pids: list[int]) -> list[int]:
    """The pids still running after a bounded wait."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        left = [p for p in pids if alive(p)]
        if not left:
            return []
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def kill(proc: subprocess.Popen) -> int:
    """SIGKILL one process (only it: its children are on their own, as after a real crash)."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=WAIT_LIMIT_S)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    return proc.returncode
