"""The whole pipeline with its data on an object store: `StorageResource.data_dir` an fsspec URL
(`memory://` and `file://`, fsspec's real filesystems), the raw store a local cache synced to it.

Real parts as in tests/pipeline/test_end_to_end.py: the simulated sites over HTTP on 127.0.0.1,
the parser in worker processes, a DuckDB file. A second run downloads and parses nothing; a run
from another "machine" (an empty local cache, the same object store) downloads and parses nothing
either: the fetch state and the PDFs come from the object store.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import dagster as dg
import pytest

from assets.partitions import JURISDICTIONS, range_tags
from assets.resources import StorageResource
from budgetlens.storage import open_storage
from pipeline.definitions import ASSET_CHECKS, ASSETS
from pipeline.runner import RunOptions, build_resources
from tests.pipeline.sites import sites_config
from warehouse import db

KEYS = ["jingan", "putuo"]  # the two smallest sample sites (Shanghai layout)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("object-store")]


def _materialize(opts: RunOptions, cache: Path) -> dict[str, dict]:
    resources = build_resources(opts)
    resources["storage"] = StorageResource(data_dir=opts.data_dir, cache_dir=str(cache))
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(JURISDICTIONS, KEYS)
        result = dg.materialize(
            [*ASSETS, *ASSET_CHECKS], resources=resources, instance=instance, tags=range_tags(KEYS)
        )
        assert result.success
        out: dict[str, dict] = {}
        for event in result.get_asset_materialization_events():
            mat = event.step_materialization_data.materialization
            out[mat.asset_key.to_user_string()] = {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
        return out


@pytest.fixture(scope="module", params=["memory", "file"])
def lake(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"objstore-{request.param}")
    data = (
        f"memory://budgetlens-e2e-{uuid.uuid4().hex}/data"
        if request.param == "memory"
        else f"file://{tmp / 'bucket' / 'data'}"
    )
    opts = RunOptions(
        sources=str(sites_config(tmp, KEYS)),
        warehouse=str(tmp / "wh.duckdb"),
        out_dir=str(tmp / "pub"),
        data_dir=data,
        workers=2,
    )
    first = _materialize(opts, tmp / "cache-a")
    return tmp, opts, first


def _count(opts: RunOptions, sql: str) -> int:
    con = db.connect(opts.warehouse, read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_the_first_run_stages_everything_on_the_object_store(lake):
    _, opts, first = lake
    found = first["raw_documents"]["found"]
    assert found >= 5 and first["raw_documents"]["downloaded"] == found
    assert first["parsed_documents"]["parsed_files"] == found
    assert first["warehouse_tables"]["loaded_documents"] >= found
    store = open_storage(opts.data_dir)
    assert store.list("staging/records") == []  # all loaded
    assert len(store.list("staging/loaded", ".json")) >= found
    assert len(store.list("staging/parsed", ".json")) == found
    assert [k.rsplit("/", 1)[-1] for k in store.list("staging/inventory")] == [f"{k}.json" for k in KEYS]
    pdfs = [k for p in {k.split("/")[1] for k in _remote_pdfs(store)} for k in store.list(f"raw/{p}", ".pdf")]
    assert len(pdfs) == found
    assert len(store.list("raw/.state", ".json")) == len(KEYS)
    assert _count(opts, "select count(distinct file_sha256) from documents") == found


def _remote_pdfs(store) -> list[str]:
    fs, root = store.fs, store._root  # the object store's own listing, not the seam's
    return [p[len(root) + 1 :] for p in fs.find(f"{root}/raw") if p.endswith(".pdf")]


def test_a_second_run_downloads_and_parses_nothing(lake):
    tmp, opts, _ = lake
    before = _count(opts, "select count(*) from documents")
    second = _materialize(opts, tmp / "cache-a")
    assert second["raw_documents"]["downloaded"] == 0
    assert second["parsed_documents"]["parsed_files"] == 0
    assert second["warehouse_tables"]["loaded_documents"] == 0
    assert _count(opts, "select count(*) from documents") == before


def test_another_machine_with_an_empty_cache_downloads_and_parses_nothing(lake):
    tmp, opts, _ = lake
    other = _materialize(opts, tmp / "cache-b")
    assert other["raw_documents"]["downloaded"] == 0
    assert other["raw_documents"]["unchanged"] == other["raw_documents"]["found"]
    assert other["parsed_documents"]["parsed_files"] == 0
