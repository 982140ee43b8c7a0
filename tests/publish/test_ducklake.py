"""The publish stage on a DuckLake warehouse (catalog in PostgreSQL on 127.0.0.1): models, exports,
report and the compare query work the same as on a file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetlens.publish.compare import compare_query
from budgetlens.publish.exports import export_tables
from budgetlens.publish.manifest import build_manifest
from budgetlens.report import build_report
from warehouse.db import connect
from warehouse.models import MODELS, build_models, comparison, ensure_models

from .world import build_sample_world

pytestmark = pytest.mark.xdist_group("postgres")


def test_publish_on_ducklake(ducklake_target, tmp_path):
    world = build_sample_world(tmp_path / "w", target=ducklake_target, only="luohu-")
    con = connect(ducklake_target)
    try:
        counts = build_models(con)
    finally:
        con.close()
    assert counts["headcount_comparison"] == len(world.published_budgets) > 0
    ro = connect(ducklake_target, read_only=True)
    try:
        assert ensure_models(ro) is False  # stored in the lake, visible to readers
        seed = world.seed_doc_id()
        result = compare_query(ro, comparison("operating-costs"), sort="agency_running_cost_per_staff")
        row = dict(
            zip(
                result.columns,
                next(r for r in result.rows if r[result.columns.index("doc_id")] == seed),
                strict=True,
            )
        )
        assert row["agency_running_cost_per_staff"] == Decimal("37826.09")
        exports = export_tables(ro, tmp_path / "pub")
        assert {e.name for e in exports} >= set(MODELS)
        manifest = build_manifest(ro, tmp_path / "pub", exports)
        assert set(manifest["documents"]["used"]) == world.published_budgets
        report = build_report(ro, tmp_path / "pub", raw_dir=world.raw_dir)
        assert report.index.is_file() and report.pdfs_missing == []
    finally:
        ro.close()
