"""The whole pipeline, materialized with dg.materialize into a temporary warehouse and queried.

Real parts: the simulated sites served over HTTP on 127.0.0.1, the real parser in worker
processes, a real DuckDB file. Two sites of the sample corpus keep it quick.
"""

from __future__ import annotations

import json
import shutil
import uuid
from decimal import Decimal

import dagster as dg
import pypdfium2 as pdfium
import pytest

from assets.partitions import JURISDICTIONS, range_tags
from pipeline.definitions import ASSET_CHECKS, ASSETS
from pipeline.runner import RunOptions, build_resources
from tests.conftest import SAMPLE
from tests.pipeline.sites import sites_config
from warehouse import db

SEED_FILE = "2022年深圳市罗湖区科技创新局部门预算.pdf"
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


def _materialize(opts: RunOptions, keys: list[str]) -> dict[str, dict]:
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(JURISDICTIONS, keys)
        result = dg.materialize(
            [*ASSETS, *ASSET_CHECKS],
            resources=build_resources(opts),
            instance=instance,
            tags=range_tags(keys),
        )
        assert result.success
        out: dict[str, dict] = {}
        for event in result.get_asset_materialization_events():
            mat = event.step_materialization_data.materialization
            out[mat.asset_key.to_user_string()] = {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
        return out


@pytest.fixture(scope="module", params=["file", "ducklake"])
def world(request, tmp_path_factory):
    """The same pipeline tests on a single DuckDB file and on a DuckLake catalog (PostgreSQL + Parquet)."""
    tmp = tmp_path_factory.mktemp(f"e2e-{request.param}")
    if request.param == "file":
        warehouse = str(tmp / "wh.duckdb")
    else:
        pytest.importorskip(
            "psycopg", reason="the DuckLake catalog database is created with psycopg ([lake] extra)"
        )
        postgres = request.getfixturevalue("postgres")
        name = f"e2e_{uuid.uuid4().hex[:12]}"
        postgres.create_database(name)
        warehouse = f"ducklake:postgres:{postgres.conninfo(name)} data_path={tmp / 'lake'}"
    keys = ["luohu", "putuo"]
    cfg = sites_config(tmp, keys)
    opts = RunOptions(
        sources=str(cfg), warehouse=warehouse, out_dir=str(tmp / "pub"), data_dir=str(tmp / "data"), workers=2
    )
    first = _materialize(opts, keys)
    return tmp, opts, keys, first


def _q(opts: RunOptions, sql: str, params=()):
    con = db.connect(opts.warehouse, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_first_run_fetches_parses_and_loads_every_document(world):
    tmp, opts, keys, first = world
    n_files = sum(len(list((tmp / "sites" / k / "files").glob("*.pdf"))) for k in keys)
    manifest = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))["documents"]
    # HTML-as-PDF and empty files are refused, never stored: the manifest names them (not_pdf)
    refused = sum(1 for d in manifest if d["file"].split("/")[1] in keys and d.get("error_code") == "not_pdf")
    raw = first["raw_documents"]
    assert raw["found"] == n_files - refused
    assert raw["downloaded"] == raw["found"]
    assert first["parsed_documents"]["parsed_files"] == raw["found"]
    (n_docs,) = _q(opts, "select count(distinct file_sha256) from documents")[0]
    assert n_docs == raw["found"]


def test_seed_figures_reach_the_warehouse_exactly(world):
    _, opts, _, _ = world
    rows = _q(
        opts,
        "select t.expense_total, t.income_total, t.basic_expense, t.project_expense, t.procurement_total, "
        "t.three_public_total, t.agency_running_cost, d.department_type, d.status "
        "from documents d join totals t using (doc_id) where d.file_name = ?",
        [SEED_FILE],
    )
    assert rows == [
        (
            Decimal("25790000.00"),
            Decimal("25790000.00"),
            Decimal("9520000.00"),
            Decimal("16270000.00"),
            Decimal("3000000.00"),
            Decimal("26500.00"),
            Decimal("870000.00"),
            "科技创新",
            "published",
        )
    ]
    lines = _q(
        opts,
        "select code, total from function_lines f join documents d using (doc_id) "
        "where d.file_name = ? and f.level = 1 order by code",
        [SEED_FILE],
    )
    assert lines == [
        ("201", Decimal("600000.00")),
        ("206", Decimal("22240000.00")),
        ("208", Decimal("1350000.00")),
        ("210", Decimal("200000.00")),
        ("221", Decimal("1400000.00")),
    ]


def test_second_run_with_nothing_new_downloads_and_parses_nothing(world):
    _, opts, keys, _ = world
    before = {t: _q(opts, f"select count(*) from {t}")[0][0] for t in ("documents", "totals", "table_cells")}  # noqa: S608
    second = _materialize(opts, keys)
    assert second["raw_documents"]["downloaded"] == 0
    assert second["raw_documents"]["unchanged"] == second["raw_documents"]["found"]
    assert second["parsed_documents"]["parsed_files"] == 0
    assert second["warehouse_tables"]["loaded_documents"] == 0
    after = {t: _q(opts, f"select count(*) from {t}")[0][0] for t in before}  # noqa: S608
    assert after == before


def test_a_new_warehouse_over_the_same_data_folder_receives_every_staged_record(world, tmp_path):
    """`budgetlens run --warehouse NEW` with the default data folder: the records are parsed and
    staged already, and the new warehouse still gets every one of them."""
    import dataclasses

    _, opts, keys, _ = world
    fresh = dataclasses.replace(
        opts, warehouse=str(tmp_path / "second.duckdb"), out_dir=str(tmp_path / "pub")
    )
    run = _materialize(fresh, keys)
    assert run["parsed_documents"]["parsed_files"] == 0
    want = _q(opts, "select doc_id, status from current_documents order by doc_id")
    assert want and _q(fresh, "select doc_id, status from current_documents order by doc_id") == want


def test_reuploaded_corrected_file_replaces_the_old_version_once(world):
    tmp, opts, keys, _ = world
    files = tmp / "sites" / "luohu" / "files"
    target = files / SEED_FILE
    old_sha = _q(opts, "select file_sha256 from documents where file_name = ?", [SEED_FILE])[0][0]
    # A "corrected" file under the same URL: the same document saved again (new bytes, same figures).
    pdf = pdfium.PdfDocument(target.read_bytes())
    corrected = tmp / "corrected.pdf"
    pdf.save(str(corrected))
    pdf.close()
    shutil.copyfile(corrected, target)
    third = _materialize(opts, keys)
    assert third["raw_documents"]["downloaded"] == 1
    assert third["parsed_documents"]["parsed_files"] == 1
    url_rows = _q(
        opts,
        "select doc_id, file_sha256, superseded_by from documents where source_url = "
        "(select source_url from documents where file_sha256 = ? limit 1) order by loaded_at",
        [old_sha],
    )
    current = [r for r in url_rows if r[2] is None]
    assert len(current) == 1 and current[0][1] != old_sha
    assert any(r[1] == old_sha and r[2] is not None for r in url_rows)  # the old one stays, superseded
