"""Fixtures for warehouse tests: a warehouse file and a staging folder in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def wh_path(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "warehouse.duckdb"


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    d = tmp_path / "staging"
    d.mkdir()
    return d


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server on 127.0.0.1 for the whole session (skips with the reason when impossible)."""
    from .pg import PostgresUnavailable, postgres_server

    try:
        cm = postgres_server()
        server = cm.__enter__()
    except PostgresUnavailable as exc:
        pytest.skip(f"DuckLake catalog tests need a PostgreSQL server: {exc}")
    try:
        yield server
    finally:
        cm.__exit__(None, None, None)


@pytest.fixture
def ducklake_target(postgres, tmp_path: Path, request) -> str:
    """A fresh DuckLake warehouse spec: its own catalog database, data files under tmp_path."""
    pytest.importorskip(
        "psycopg", reason="the DuckLake fixture creates its catalog database with psycopg ([lake] extra)"
    )
    import re
    import uuid

    name = "lake_" + re.sub(r"[^a-z0-9]", "_", request.node.name.lower())[:30] + "_" + uuid.uuid4().hex[:8]
    postgres.create_database(name)
    return f"ducklake:postgres:{postgres.conninfo(name)} data_path={tmp_path / 'lake'}"
