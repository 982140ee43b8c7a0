"""Several machines parse while one loads: the `fetch_parse` job run twice, for different
jurisdictions and with different local caches (two "machines"), staging into one object store
(fsspec's real `memory://`), then one `load_publish` run loads everything staged."""

from __future__ import annotations

import uuid
from pathlib import Path

import dagster as dg
import pytest

from assets.partitions import JURISDICTIONS, range_tags
from assets.resources import StorageResource
from budgetlens.storage import open_storage
from pipeline.definitions import build_defs
from pipeline.runner import RunOptions, build_resources
from tests.pipeline.sites import sites_config
from warehouse import db

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("object-store")]


def _run(job: str, opts: RunOptions, cache: Path, keys: list[str], instance) -> dg.ExecuteInProcessResult:
    resources = build_resources(opts)
    resources["storage"] = StorageResource(data_dir=opts.data_dir, cache_dir=str(cache))
    defs = build_defs(resources, executor=dg.in_process_executor)
    result = defs.resolve_job_def(job).execute_in_process(instance=instance, tags=range_tags(keys))
    assert result.success
    return result


def _meta(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    for event in result.get_asset_materialization_events():
        mat = event.step_materialization_data.materialization
        if mat.asset_key.to_user_string() == asset:
            return {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
    raise AssertionError(f"{asset} not materialized")


def test_two_machines_parse_and_one_loads(tmp_path: Path):
    sites = ["jingan", "putuo"]
    opts = RunOptions(
        sources=str(sites_config(tmp_path, sites)),
        warehouse=str(tmp_path / "wh.duckdb"),
        out_dir=str(tmp_path / "pub"),
        data_dir=f"memory://budgetlens-split-{uuid.uuid4().hex}/data",
        workers=1,
    )
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(JURISDICTIONS, sites)
        parsed = {}
        for machine, site in (("a", "jingan"), ("b", "putuo")):
            result = _run("fetch_parse", opts, tmp_path / f"cache-{machine}", [site], instance)
            parsed[site] = _meta(result, "parsed_documents")["parsed_files"]
            assert not {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()} & {
                "warehouse_tables"
            }
        # each machine's cache holds only its own jurisdiction's PDFs; the object store holds both
        assert all(n >= 1 for n in parsed.values())
        for machine, site in (("a", "jingan"), ("b", "putuo")):
            assert len(list((tmp_path / f"cache-{machine}" / "raw").glob("*/*.pdf"))) == parsed[site]
        staged = open_storage(opts.data_dir).list("staging/records", ".json")
        assert len(staged) >= sum(parsed.values())
        loaded = _run("load_publish", opts, tmp_path / "cache-loader", sites, instance)
        assert _meta(loaded, "warehouse_tables")["loaded_documents"] == len(staged)
    con = db.connect(opts.warehouse, read_only=True)
    try:
        hints = dict(con.execute("select jurisdiction_hint, count(*) from documents group by all").fetchall())
    finally:
        con.close()
    assert set(hints) == set(sites)
    assert open_storage(opts.data_dir).list("staging/records") == []
