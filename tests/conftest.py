"""Shared fixtures: where the repository, the sample corpus and ../shared are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample"
SHARED = REPO.parent / "shared"
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
