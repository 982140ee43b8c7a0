"""Connections to the warehouse: one DuckDB file, or a DuckLake catalog.

A target is written as a string (``--warehouse`` / ``BUDGETLENS_WAREHOUSE``):

- a file path: ``data/warehouse.duckdb``;
- a DuckLake spec: ``ducklake:<catalog> data_path=<dir>``, e.g.
  ``ducklake:postgres:dbname=lake host=127.0.0.1 port=5432 user=postgres data_path=/srv/lake``
  (the catalog part is what DuckDB's ``ATTACH 'ducklake:…'`` takes; ``data_path=`` is taken out
  of it and becomes the ``DATA_PATH`` option). ``ducklake:<catalog>|<data_path>`` is accepted too;
  `ducklake_spec(catalog, data_path)` writes the first form.

DuckDB lets one process write a file and a writer blocks readers; `connect` retries a lock
conflict with backoff up to a bound and then raises `WarehouseUnavailable` with a clear message.
Extensions are never downloaded: DuckLake and PostgreSQL are loaded by path from the
``duckdb-ext-ducklake`` / ``duckdb-ext-postgres`` wheels.
"""

from __future__ import annotations

import importlib.util
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb

ENV_WAREHOUSE = "BUDGETLENS_WAREHOUSE"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DUCKLAKE_PREFIX = "ducklake:"
DUCKLAKE_ALIAS = "wh"

DEFAULT_BUSY_TIMEOUT_S = 30.0
DEFAULT_BACKOFF_INITIAL_S = 0.05
DEFAULT_BACKOFF_MAX_S = 1.0

# Never fetch extensions over the network, whatever a query asks.
_BASE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

T = TypeVar("T")


class WarehouseError(RuntimeError):
    """The warehouse cannot be used as asked (missing file, bad target, bad extension)."""


class WarehouseUnavailable(WarehouseError):
    """Another process holds the warehouse file and did not let go within the bound."""


@dataclass(frozen=True)
class FileTarget:
    """A single DuckDB database file."""

    path: Path

    def __str__(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class DuckLakeTarget:
    """A DuckLake catalog (``ducklake:postgres:…``) with its Parquet data folder."""

    catalog: str  # what follows "ducklake:" in the ATTACH string
    data_path: Path

    def __str__(self) -> str:
        return f"{DUCKLAKE_PREFIX}{self.catalog} data_path={self.data_path}"


Target = FileTarget | DuckLakeTarget


@dataclass(frozen=True)
class ConnectSettings:
    """How long to keep retrying a lock conflict before giving up."""

    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S
    backoff_initial_s: float = DEFAULT_BACKOFF_INITIAL_S
    backoff_max_s: float = DEFAULT_BACKOFF_MAX_S

    def __post_init__(self) -> None:
        if self.busy_timeout_s < 0 or self.backoff_initial_s <= 0 or self.backoff_max_s <= 0:
            raise ValueError("busy_timeout_s must be >= 0 and backoff times > 0")


def parse_target(value: str | os.PathLike[str] | Target) -> Target:
    """A `Target` from a path, a DuckLake spec string or a target."""
    if isinstance(value, FileTarget | DuckLakeTarget):
        return value
    text = os.fspath(value).strip()
    if not text:
        raise WarehouseError("empty warehouse target")
    if not text.startswith(DUCKLAKE_PREFIX):
        return FileTarget(Path(text))
    body = text[len(DUCKLAKE_PREFIX) :]
    if "|" in body:  # the alternative form ducklake:<catalog>|<data_path>
        catalog, _, data_path = body.rpartition("|")
        if not catalog.strip() or not data_path.strip():
            raise WarehouseError(f"a DuckLake target needs a catalog and a data path: {text!r}")
        return DuckLakeTarget(catalog=catalog.strip(), data_path=Path(data_path.strip()))
    parts = body.split()
    data = [p for p in parts if p.startswith("data_path=")]
    rest = [p for p in parts if not p.startswith("data_path=")]
    if len(data) != 1 or not data[0].removeprefix("data_path="):
        raise WarehouseError(f"a DuckLake target needs exactly one data_path=DIR: {text!r}")
    if not rest:
        raise WarehouseError(f"a DuckLake target needs a catalog (e.g. postgres:dbname=…): {text!r}")
    return DuckLakeTarget(catalog=" ".join(rest), data_path=Path(data[0].removeprefix("data_path=")))


def ducklake_spec(catalog: str, data_path: str | os.PathLike[str]) -> str:
    """The target string of a DuckLake warehouse: ``ducklake:<catalog> data_path=<dir>``."""
    return str(DuckLakeTarget(catalog=catalog.removeprefix(DUCKLAKE_PREFIX), data_path=Path(data_path)))


def default_target(explicit: str | None = None) -> Target:
    """`--warehouse` if given, else $BUDGETLENS_WAREHOUSE, else data/warehouse.duckdb."""
    return parse_target(explicit or os.environ.get(ENV_WAREHOUSE) or DEFAULT_WAREHOUSE)


def lock_path_for(target: str | os.PathLike[str] | Target) -> Path:
    """The run-lock file of a target: ``<file>.lock``, or ``.<data_path name>.budgetlens-run.lock`` beside
    the DuckLake data folder (never inside it: DuckLake's clean-up owns the files there)."""
    t = parse_target(target)
    if isinstance(t, FileTarget):
        return t.path.with_name(t.path.name + ".lock")
    return t.data_path.parent / f".{t.data_path.name}.budgetlens-run.lock"


def extension_dir(con: duckdb.DuckDBPyConnection | None = None) -> Path:
    """Where the duckdb-ext-* wheels put the extension files for this DuckDB version and platform."""
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        raise WarehouseError(
            "DuckLake needs the duckdb-ext-ducklake and duckdb-ext-postgres wheels: pip install -e '.[lake]'"
        )
    own = con is None
    c = con or duckdb.connect(config=_BASE_CONFIG)
    try:
        platform = c.execute("pragma platform").fetchone()[0]
    finally:
        if own:
            c.close()
    return Path(list(spec.submodule_search_locations)[0]) / "extensions" / f"v{duckdb.__version__}" / platform


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD an extension from the wheel's files (never INSTALL, never a download)."""
    path = extension_dir(con) / f"{name}.duckdb_extension"
    if not path.is_file():
        raise WarehouseError(
            f"extension file missing: {path} (is duckdb-ext-* built for DuckDB {duckdb.__version__}?)"
        )
    con.execute(f"load '{_sql_string(str(path))}'")


def _sql_string(text: str) -> str:
    """A path inside a single-quoted SQL literal (LOAD and ATTACH take no parameters)."""
    if "\x00" in text:
        raise WarehouseError("NUL in a path")
    return text.replace("'", "''")


def is_lock_conflict(exc: BaseException) -> bool:
    """True for DuckDB's "Could not set lock on file" (another process holds the file)."""
    return isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)


def retry_busy(
    open_fn: Callable[[], T],
    *,
    what: str,
    settings: ConnectSettings,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call `open_fn`, retrying lock conflicts with jittered exponential backoff up to the bound."""
    deadline = time.monotonic() + settings.busy_timeout_s
    delay = settings.backoff_initial_s
    attempts = 0
    while True:
        attempts += 1
        try:
            return open_fn()
        except duckdb.Error as exc:
            if not is_lock_conflict(exc):
                raise
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WarehouseUnavailable(
                    f"warehouse {what} is busy: another process has it open for writing "
                    f"(gave up after {settings.busy_timeout_s:g} s, {attempts} attempts). "
                    f"A `budgetlens run` holds it only while loading; try again in a moment. ({exc})"
                ) from exc
            sleep(min(delay * (0.5 + random.random()), remaining))
            delay = min(delay * 2, settings.backoff_max_s)


def connect(
    target: str | os.PathLike[str] | Target,
    read_only: bool = False,
    *,
    settings: ConnectSettings | None = None,
    sandbox: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Writers get the schema created; readers need an existing warehouse.

    `sandbox=True` (with read_only) also turns off DuckDB's access to other files and locks the
    configuration, so a query can read the warehouse and nothing else (`budgetlens sql`).
    """
    from warehouse.schema import create_schema

    t = parse_target(target)
    s = settings or ConnectSettings()
    if isinstance(t, FileTarget):
        con = _connect_file(t, read_only, s)
    else:
        con = _connect_ducklake(t, read_only, s)
    try:
        if not read_only:
            create_schema(con)
        if sandbox:
            if isinstance(t, DuckLakeTarget):
                con.execute("set allowed_directories = [?]", [str(t.data_path.resolve()) + "/"])
            con.execute("set enable_external_access = false")
            con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def _connect_file(t: FileTarget, read_only: bool, s: ConnectSettings) -> duckdb.DuckDBPyConnection:
    if read_only and not t.path.exists():
        raise WarehouseError(f"no warehouse at {t.path}: run `budgetlens run` first (or pass --warehouse)")
    if not read_only:
        t.path.parent.mkdir(parents=True, exist_ok=True)
    config = dict(_BASE_CONFIG)
    return retry_busy(
        lambda: duckdb.connect(str(t.path), read_only=read_only, config=config), what=str(t.path), settings=s
    )


def _connect_ducklake(t: DuckLakeTarget, read_only: bool, s: ConnectSettings) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config=dict(_BASE_CONFIG))
    try:
        if t.catalog.startswith("postgres:"):
            load_extension(con, "postgres_scanner")
        load_extension(con, "ducklake")
        if not read_only:
            t.data_path.mkdir(parents=True, exist_ok=True)
        options = f"data_path '{_sql_string(str(t.data_path))}'" + (", read_only" if read_only else "")
        attach = f"attach '{_sql_string(DUCKLAKE_PREFIX + t.catalog)}' as {DUCKLAKE_ALIAS} ({options})"
        retry_busy(lambda: con.execute(attach), what=str(t), settings=s)
        con.execute(f"use {DUCKLAKE_ALIAS}")
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"cannot attach DuckLake warehouse {t}: {exc}") from exc
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, **tables: object) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: BEGIN, the Arrow `tables` registered under their names, COMMIT; ROLLBACK when
    the block raises (nothing of it is visible), the names unregistered in every case."""
    con.execute("begin transaction")
    try:
        for name, table in tables.items():
            con.register(name, table)
        yield con
        con.execute("commit")
    except BaseException:
        try:
            con.execute("rollback")
        except duckdb.Error:
            pass
        raise
    finally:
        for name in tables:
            try:
                con.unregister(name)
            except duckdb.Error:
                pass


def dict_rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of an executed statement as dicts (column name -> Python value; DECIMAL stays Decimal)."""
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None
) -> list[dict[str, Any]]:
    """Rows of a query as dicts (see `dict_rows`)."""
    return dict_rows(con.execute(sql, params) if params is not None else con.execute(sql))
