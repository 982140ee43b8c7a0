"""Shared fixtures: where the repository, the sample corpus and ../shared are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample"
# ../shared beside the checkout, or wherever BUDGETLENS_SHARED points
SHARED = Path(os.environ.get("BUDGETLENS_SHARED") or REPO.parent / "shared")
REAL_PDFS = SHARED / "real-pdfs"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent beside the checkout ({SHARED}): nothing to read it from")
    return SHARED


@pytest.fixture(scope="session")
def real_pdfs_dir() -> Path:
    if not REAL_PDFS.is_dir():
        pytest.skip(f"real budget PDFs are absent ({REAL_PDFS}): they are never committed, CI provides them")
    return REAL_PDFS


# --- a PostgreSQL server for DuckLake catalogs (corpus/postgres.py) -----------------------------


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server on 127.0.0.1 for the whole session (skips with the reason when impossible)."""
    from corpus.postgres import PostgresUnavailable, postgres_server

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


# --- one Playwright per thread -----------------------------------------------------------------


@pytest.fixture(autouse=True, scope="module")
def _close_corpus_chromium():
    """The corpus renderer keeps one Playwright-driven Chromium per process for speed; Playwright's
    sync API cannot run two at once in a thread, so it is closed after every module that used it
    (the report's browser tests start their own)."""
    yield
    import sys

    module = sys.modules.get("corpus.pdf_chromium")
    if module is not None:
        module.close_printer()
