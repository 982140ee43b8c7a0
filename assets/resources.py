"""Resources, defined once: storage paths, the warehouse, the sources config and parser limits.

Paths and settings reach the assets only through these resources, configured from
`dg.EnvVar` in `pipeline/definitions.py` (see `.env` for the defaults `dg dev` loads) or
from the command line in `budgetlens run`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource
from pydantic import Field

DEFAULT_DATA_DIR = "data"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DEFAULT_SOURCES = "sources/sample.toml"
DEFAULT_OUT_DIR = "data/published"


class StorageResource(dg.ConfigurableResource):
    """Where raw files, staged records and run state live: a local folder, or an fsspec URL
    (``s3://bucket/budgetlens``, ``gcs://…``, ``file:///srv/budgetlens``); see docs/scaling.md.

    With a URL the staging area lives there directly and the raw store is a local cache
    (`cache_dir`) synced with ``<data_dir>/raw/`` (`budgetlens.rawsync`).
    """

    data_dir: str = Field(
        default=DEFAULT_DATA_DIR, description="root of raw/, staging/: a folder or an fsspec URL"
    )
    cache_dir: str = Field(
        default_factory=lambda: os.environ.get("BUDGETLENS_CACHE_DIR", ""),
        description="local cache of the raw PDFs when data_dir is a URL (default: $BUDGETLENS_CACHE_DIR, "
        "else $XDG_CACHE_HOME/budgetlens/<hash of data_dir>)",
    )

    @property
    def is_remote(self) -> bool:
        """True when data_dir is a URL (an fsspec filesystem), not a local folder."""
        from budgetlens.storage import is_url

        return is_url(self.data_dir)

    @property
    def root(self) -> Path:
        if self.is_remote:
            raise ValueError(f"data_dir {self.data_dir} is a URL: use storage() / staging()")
        return Path(self.data_dir)

    @property
    def raw_dir(self) -> Path:
        """The local raw store (with a URL data_dir: the local cache of it)."""
        if not self.is_remote:
            return self.root / "raw"
        if self.cache_dir:
            return Path(self.cache_dir) / "raw"
        import hashlib

        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return base / "budgetlens" / hashlib.sha256(self.data_dir.encode()).hexdigest()[:16] / "raw"

    @property
    def staging_dir(self) -> Path:
        return self.root / "staging"

    def storage(self):
        """The data storage (`budgetlens.storage.Storage`)."""
        from budgetlens.storage import open_storage

        return open_storage(self.data_dir)

    def staging(self):
        """The staging area (`assets.staging.Staging`) on the data storage."""
        from assets.staging import Staging
        from budgetlens.storage import substorage

        return Staging(substorage(self.storage(), "staging"))

    def raw_store(self):
        """The raw store: a `RawStore` under data_dir, or a `SyncedRawStore` cache for a URL."""
        from budgetlens.scrape import RawStore

        if not self.is_remote:
            return RawStore(self.raw_dir)
        from budgetlens.rawsync import SyncedRawStore

        return SyncedRawStore(self.raw_dir, self.storage())


class WarehouseResource(DuckDBResource):
    """The warehouse: a DuckDB file, or a DuckLake catalog given as
    ``ducklake:postgres:<conninfo> data_path=<dir>`` (see docs/scaling.md).

    Writers use `get_connection()` (short transactions; DuckDB allows one writing process);
    readers use `read_connection()`. Lock conflicts are retried with backoff up to a bound.
    """

    database: str = Field(default=DEFAULT_WAREHOUSE, description="DuckDB file path or DuckLake spec")

    @property
    def target(self) -> str:
        """What `warehouse.db.connect` accepts."""
        return self.database

    @property
    def is_file(self) -> bool:
        return not self.database.startswith("ducklake:")

    @contextmanager
    def get_connection(self) -> Iterator:
        from warehouse import db

        if self.is_file:
            Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        con = db.connect(self.target, read_only=False)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def read_connection(self) -> Iterator:
        from warehouse import db

        con = db.connect(self.target, read_only=True)
        try:
            yield con
        finally:
            con.close()


class SourcesResource(dg.ConfigurableResource):
    """The sources config (TOML): listing URLs, link patterns, politeness; see docs/sources.md."""

    path: str = Field(default=DEFAULT_SOURCES)


class ParserResource(dg.ConfigurableResource):
    """Parser limits for the worker pool: one worker per core, each with a time and memory limit."""

    workers: int = Field(default_factory=lambda: os.cpu_count() or 1)
    timeout_s: float = Field(default=120.0)
    memory_mb: int = Field(default=1536)


class PublishResource(dg.ConfigurableResource):
    """Where exports, the manifest, GX Data Docs and the HTML report are written."""

    out_dir: str = Field(default=DEFAULT_OUT_DIR)

    @property
    def root(self) -> Path:
        return Path(self.out_dir)
