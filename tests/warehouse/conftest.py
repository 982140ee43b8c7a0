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
