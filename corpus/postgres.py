"""A throw-away PostgreSQL server on 127.0.0.1 for DuckLake catalogs: the tests' `postgres` fixture
(tests/conftest.py) and the DuckLake benchmark (bench/pipeline_bench.py).

`postgres_server()` runs initdb + pg_ctl from the installed PostgreSQL binaries in a fresh
temporary folder, on a free port, trust authentication, listening on 127.0.0.1 only; as root it
runs them as the `postgres` user (PostgreSQL refuses to run as root). `PostgresUnavailable` says
why it cannot (binaries missing, no postgres user): tests skip with that reason. Installed binaries
that fail to start raise `PostgresFailed` with the server's log: a failure, since CI installs them.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_S = 60


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here (its binaries or the postgres user are missing)."""


class PostgresFailed(RuntimeError):
    """The installed PostgreSQL failed to start: a failure (with the server's log), never a skip."""


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str

    def conninfo(self, dbname: str) -> str:
        return f"dbname={dbname} host={self.host} port={self.port} user={self.user}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(f'create database "{name}"')  # test-made identifier, not a value


def _bindir() -> Path:
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if out and (Path(out) / "initdb").is_file():
            return Path(out)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").is_file():
            return candidate
    raise PostgresUnavailable("PostgreSQL server binaries (initdb, pg_ctl) are not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """Start a server for the duration of the block, then stop it and remove its files."""
    bindir = _bindir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable(
                "running as root and there is no `postgres` user to run the server"
            ) from exc
        as_user = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="budgetlens-pg-"))
    data = base / "data"
    log = base / "server.log"
    try:
        if as_user:
            os.chown(base, pw.pw_uid, pw.pw_gid)
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        init = subprocess.run(
            [
                *as_user,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=START_TIMEOUT_S,
            check=False,
        )
        if init.returncode != 0:
            raise PostgresFailed(f"initdb failed: {init.stderr.strip()[-2000:]}")
        port = _free_port()
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = subprocess.run(
            [
                *as_user,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "start",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=START_TIMEOUT_S + 10,
            check=False,
        )
        if start.returncode != 0:
            text = log.read_text(errors="replace")[-2000:] if log.exists() else start.stderr
            raise PostgresFailed(f"pg_ctl start failed; the server's log: {text.strip()}")
        try:
            yield Postgres(host="127.0.0.1", port=port, user="postgres")
        finally:
            subprocess.run(
                [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                text=True,
                timeout=START_TIMEOUT_S,
                check=False,
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)
