"""The quality asset and its checks in Dagster: blocking checks stop what comes after.

`document_quality` and its checks are materialized with `dg.materialize` on a real warehouse, with
a probe asset downstream that stands for the publish stage.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from assets.quality import QUALITY_ASSETS, QUALITY_CHECKS, document_quality
from assets.resources import PublishResource, WarehouseResource
from tests.quality.conftest import stage
from tests.warehouse.helpers import set_status
from warehouse.loader import load_staged


@dg.asset(deps=[document_quality])
def publish_probe(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Stands for the publish assets: what it sees is what a comparison would use."""
    with warehouse.read_connection() as con:
        n = con.execute("select count(*) from current_documents where status = 'published'").fetchone()[0]
    return dg.MaterializeResult(metadata={"published": n})


def _run(wh: Path, out: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [*QUALITY_ASSETS, *QUALITY_CHECKS, publish_probe],
        resources={
            "warehouse": WarehouseResource(database=str(wh)),
            "publish": PublishResource(out_dir=str(out)),
        },
        raise_on_error=False,
    )


def _checks(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


@pytest.fixture
def warehouse(parsed, tmp_path) -> Path:
    wh = tmp_path / "wh.duckdb"
    load_staged(wh, stage(parsed, tmp_path / "staging"))
    return wh


def test_the_asset_decides_and_the_checks_pass(warehouse, tmp_path):
    result = _run(warehouse, tmp_path / "out")
    assert result.success
    checks = _checks(result)
    assert set(checks) == {s.name for c in QUALITY_CHECKS for s in c.check_specs}
    for name in (
        "no_published_document_fails_an_error",
        "one_published_budget_per_key",
        "every_published_document_checked",
    ):
        assert checks[name].passed, name
    meta = {
        k: getattr(v, "value", v)
        for k, v in result.asset_materializations_for_node("document_quality")[0].metadata.items()
    }
    assert meta["published"] == 1 and meta["quarantined"] == 1
    assert "71,861.32 万元" in meta["quarantined_documents"]
    assert meta["data_docs"] == str(tmp_path / "out" / "data_docs" / "index.html")
    probe = result.asset_materializations_for_node("publish_probe")[0].metadata["published"].value
    assert probe == 1  # the publish stage sees only what passed


def test_a_failing_blocking_check_stops_publishing(warehouse, tmp_path):
    assert _run(warehouse, tmp_path / "out").success
    import duckdb

    con = duckdb.connect(str(warehouse))
    try:
        doc_id = con.execute(
            "select doc_id from documents where status = 'quarantined' and checked_at is not null"
        ).fetchone()[0]
        set_status(con, doc_id, "published", "published by hand, against the quality verdict")
    finally:
        con.close()
    result = _run(warehouse, tmp_path / "out")  # nothing new: the asset skips; its checks read the warehouse
    assert not result.success
    check = _checks(result)["no_published_document_fails_an_error"]
    assert not check.passed
    assert doc_id in check.metadata["doc_ids"].value
    assert "printings_agree_across_tables" in check.metadata["failing"].value
    assert not result.asset_materializations_for_node("publish_probe")  # blocked


def test_warnings_are_a_non_blocking_warn_check(warehouse, tmp_path):
    result = _run(warehouse, tmp_path / "out")
    spec = next(
        s for c in QUALITY_CHECKS for s in c.check_specs if s.name == "published_documents_with_warnings"
    )
    assert not spec.blocking
    assert all(s.blocking for c in QUALITY_CHECKS for s in c.check_specs if s.name != spec.name)
    check = _checks(result)["published_documents_with_warnings"]
    assert check.severity == dg.AssetCheckSeverity.WARN
