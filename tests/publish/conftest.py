"""Fixtures for the publish tests: the sample-corpus warehouse with its models, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from .world import SampleWorld, build_sample_world


@pytest.fixture(scope="session")
def sample_world(tmp_path_factory) -> SampleWorld:
    """The whole sample corpus loaded from truth, with the comparison models built (read it, never write)."""
    from warehouse.db import connect
    from warehouse.models import build_models

    world = build_sample_world(tmp_path_factory.mktemp("sample-world"))
    con = connect(world.warehouse)
    try:
        build_models(con)
    finally:
        con.close()
    return world


@pytest.fixture
def sample_con(sample_world):
    """A read-only connection to the sample warehouse."""
    from warehouse.db import connect

    con = connect(sample_world.warehouse, read_only=True)
    try:
        yield con
    finally:
        con.close()


@pytest.fixture
def wh_path(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "warehouse.duckdb"


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    d = tmp_path / "staging"
    d.mkdir()
    return d


@pytest.fixture(scope="session")
def hostile_world(tmp_path_factory):
    """(warehouse, label -> doc_id) of documents whose names and reasons carry markup and script."""
    from .world import build_hostile_world

    return build_hostile_world(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def sample_report(sample_world, tmp_path_factory):
    """The report of the sample warehouse, built once: (out dir, ReportResult)."""
    from budgetlens.report import build_report
    from warehouse.db import connect

    out = tmp_path_factory.mktemp("sample-pub")
    con = connect(sample_world.warehouse, read_only=True)
    try:
        result = build_report(con, out, raw_dir=sample_world.raw_dir)
    finally:
        con.close()
    return out, result


@pytest.fixture(scope="session")
def hostile_report(hostile_world, tmp_path_factory):
    from budgetlens.report import build_report
    from warehouse.db import connect

    wh, ids = hostile_world
    out = tmp_path_factory.mktemp("hostile-pub")
    con = connect(wh, read_only=True)
    try:
        result = build_report(con, out, raw_dir=None)
    finally:
        con.close()
    return out, result, ids
