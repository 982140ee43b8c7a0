"""The publish assets materialized with Dagster on a copy of the sample warehouse."""

from __future__ import annotations

import json
import shutil

import dagster as dg
import pytest

from assets.publish import PUBLISH_ASSETS
from assets.quality import ASSET_NAME as UPSTREAM
from assets.resources import PublishResource, StorageResource, WarehouseResource
from warehouse.models import MODELS

from .world import SampleWorld


@pytest.fixture(scope="module")
def materialized(sample_world: SampleWorld, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("assets")
    wh = tmp / "wh.duckdb"
    shutil.copyfile(sample_world.warehouse, wh)
    (tmp / "data").mkdir()
    (tmp / "data" / "raw").symlink_to(sample_world.raw_dir, target_is_directory=True)
    resources = {
        "warehouse": WarehouseResource(database=str(wh)),
        "publish": PublishResource(out_dir=str(tmp / "pub")),
        "storage": StorageResource(data_dir=str(tmp / "data")),
    }
    with dg.instance_for_test() as instance:
        result = dg.materialize(PUBLISH_ASSETS, resources=resources, instance=instance)
        assert result.success
        meta = {}
        for event in result.get_asset_materialization_events():
            mat = event.step_materialization_data.materialization
            meta[mat.asset_key.to_user_string()] = {
                k: getattr(v, "value", v) for k, v in mat.metadata.items()
            }
    return tmp, meta


def test_one_asset_per_comparison_table_plus_exports_and_report(materialized):
    _, meta = materialized
    assert set(meta) == {*MODELS, "published_exports", "html_report"}


def test_graph_groups_and_upstream(tmp_path):
    defs = dg.Definitions(
        assets=PUBLISH_ASSETS,
        resources={
            "warehouse": WarehouseResource(database=str(tmp_path / "wh.duckdb")),
            "publish": PublishResource(out_dir=str(tmp_path / "pub")),
            "storage": StorageResource(data_dir=str(tmp_path / "data")),
        },
    )
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if key.to_user_string() == UPSTREAM:
            continue
        assert node.group_name == "publish" and node.description, key
    parents = {k.to_user_string() for k in graph.get(dg.AssetKey("headcount_comparison")).parent_keys}
    assert parents == {UPSTREAM}
    report_parents = {k.to_user_string() for k in graph.get(dg.AssetKey("html_report")).parent_keys}
    assert report_parents == {*MODELS, "published_exports"}


def test_comparison_metadata_has_row_counts_and_a_preview(materialized, sample_world: SampleWorld):
    _, meta = materialized
    n = len(sample_world.published_budgets)
    for name in ("comparison_documents", "headcount_comparison", "operating_cost_comparison",
                 "procurement_share_comparison"):  # fmt: skip
        assert meta[name]["rows"] == n
        assert (
            meta[name]["preview"].startswith("| department | fiscal_year |") or name == "comparison_documents"
        )
        assert f"… {n - 10} more rows" in meta[name]["preview"]
    # the sample has no department-year twice (duplicates are covered by test_models.py)
    assert meta["comparison_documents"]["duplicates_left_out_of_peer_stats"] == 0
    assert meta["peer_statistics"]["rows"] > n and meta["peer_statistics"]["min_peers"] == 3


def test_exports_manifest_and_report_are_written(materialized, sample_world: SampleWorld):
    tmp, meta = materialized
    out = tmp / "pub"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["report"] == "report/index.html"  # set once the report exists
    assert manifest["settings"] == {"min_peers": 3, "outlier_mads": 3.0}
    assert set(manifest["documents"]["used"]) == sample_world.published_budgets
    assert meta["published_exports"]["row_counts"]["headcount_comparison"] == len(
        sample_world.published_budgets
    )
    assert meta["html_report"]["pdfs_missing"] == 0 and meta["html_report"]["pdfs_linked"] > 100
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert 'href="../manifest.json"' in index  # the exports exist, so the report links them
    page = (out / "report" / "headcount.html").read_text(encoding="utf-8")
    assert 'href="../headcount_comparison.csv"' in page and (out / "headcount_comparison.csv").is_file()
