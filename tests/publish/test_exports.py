"""Parquet, CSV and manifest.json written from the sample warehouse, read back exactly."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from budgetlens.publish import PUBLISHED_SCHEMA
from budgetlens.publish.exports import CORE_TABLES, copy_to, export_tables
from budgetlens.publish.manifest import MANIFEST_NAME, build_manifest, write_manifest
from budgetlens.publish.preview import markdown_table, table_preview
from warehouse.models import MODELS

from .world import SampleWorld


@pytest.fixture(scope="module")
def published(sample_world: SampleWorld, tmp_path_factory) -> tuple[Path, dict, list]:
    from warehouse.db import connect

    out = tmp_path_factory.mktemp("pub")
    con = connect(sample_world.warehouse, read_only=True)
    try:
        exports = export_tables(con, out)
        manifest = build_manifest(con, out, exports, run_id="r1", settings={"min_peers": 3})
        write_manifest(out, manifest)
    finally:
        con.close()
    return out, manifest, exports


def test_every_comparison_and_core_table_is_written_in_both_formats(published, sample_con):
    out, _, exports = published
    names = {e.name for e in exports}
    assert names == set(MODELS) | set(CORE_TABLES)  # every table the schema defines
    for e in exports:
        assert e.files["parquet"] == out / f"{e.name}.parquet" and e.files["parquet"].is_file()
        assert e.files["csv"] == out / f"{e.name}.csv" and e.files["csv"].is_file()
    assert not list(out.glob(".*.part")) and not list(out.glob(".*"))  # nothing half-written left


@pytest.mark.parametrize("table", MODELS)
def test_parquet_reads_back_exactly(published, sample_con, table):
    out, _, _ = published
    q = "select * from {} order by all"
    want = sample_con.execute(q.format(table)).fetchall()
    got = duckdb.connect().execute(q.format("read_parquet(?)"), [str(out / f"{table}.parquet")]).fetchall()
    assert got == want


def test_csv_keeps_decimals_exact_and_nulls_empty(published, sample_world: SampleWorld):
    out, _, _ = published
    with (out / "operating_cost_comparison.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["doc_id"]: r for r in csv.DictReader(fh)}
    seed = rows[sample_world.seed_doc_id()]
    assert seed["department"] == "深圳市罗湖区科技创新局"
    assert seed["agency_running_cost"] == "870000.00"
    assert seed["agency_running_cost_per_staff"] == "37826.09"
    assert seed["three_public_total_yoy"] == ""  # null
    assert seed["warning_flags"] == "[]"
    assert float(seed["basic_share"]) == 9520000 / 25790000


def test_core_tables_hold_only_published_documents(published, sample_world: SampleWorld, sample_con):
    out, _, _ = published
    reader = duckdb.connect()
    published_ids = {
        r[0]
        for r in sample_con.execute(
            "select doc_id from current_documents where status = 'published'"
        ).fetchall()
    }
    for table in ("totals", "headcount", "function_lines", "warnings"):
        ids = {
            r[0]
            for r in reader.execute(
                "select doc_id from read_parquet(?)", [str(out / f"{table}.parquet")]
            ).fetchall()
        }
        assert ids <= published_ids, table
        assert not ids & set(sample_world.quarantined), table
    # documents: every current document, with its status and reason
    docs = reader.execute(
        "select doc_id, status, status_reason from read_parquet(?)", [str(out / "documents.parquet")]
    ).fetchall()
    assert {d for d, *_ in docs} == {
        r[0] for r in sample_con.execute("select doc_id from current_documents").fetchall()
    }
    by_id = {d: (s, r) for d, s, r in docs}
    for doc_id, reason in sample_world.quarantined.items():
        assert by_id[doc_id] == ("quarantined", reason)
    amounts = reader.execute(
        "select expense_total from read_parquet(?) where doc_id = ?",
        [str(out / "totals.parquet"), sample_world.seed_doc_id()],
    ).fetchone()
    assert amounts == (Decimal("25790000.00"),)


def test_manifest(published, sample_world: SampleWorld):
    out, manifest, exports = published
    on_disk = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(manifest, ensure_ascii=False))
    assert on_disk["schema"] == PUBLISHED_SCHEMA and on_disk["run_id"] == "r1"
    assert on_disk["generated_at"].endswith("+00:00")
    assert on_disk["tables"]["headcount_comparison"] == {
        "kind": "comparison",
        "rows": len(sample_world.published_budgets),
        "csv": "headcount_comparison.csv",
        "parquet": "headcount_comparison.parquet",
    }
    assert {k: v["rows"] for k, v in on_disk["tables"].items()} == {e.name: e.rows for e in exports}
    docs = on_disk["documents"]
    assert set(docs["used"]) == sample_world.published_budgets and docs["compared"] == len(docs["used"])
    assert docs["fiscal_years"] == [2022, 2023]
    assert "深圳市罗湖区" in docs["jurisdictions"] and "科技创新" in docs["department_types"]
    left_out = {q["doc_id"]: q for q in on_disk["quarantined"]}
    for doc_id, reason in sample_world.quarantined.items():
        assert left_out[doc_id]["reason"] == reason and left_out[doc_id]["status"] == "quarantined"
    # unreadable files are there too, with the parser's error
    truncated = sample_world.doc_ids["longgang-bad-truncated-2023"][0]
    assert left_out[truncated]["reason"].startswith("truncated")
    assert on_disk["report"] is None


def test_copy_to_refuses_unknown_formats_and_leaves_nothing(tmp_path):
    con = duckdb.connect()
    with pytest.raises(ValueError, match="unknown export format"):
        copy_to(con, "select 1", tmp_path / "x.xlsx", "xlsx")
    with pytest.raises(duckdb.Error):
        copy_to(con, "select * from no_such_table", tmp_path / "x.csv", "csv")
    assert list(tmp_path.iterdir()) == []


def test_export_of_an_unknown_table_is_refused(sample_con, tmp_path):
    with pytest.raises(KeyError, match="not exportable"):
        export_tables(sample_con, tmp_path, tables=["runs"])


@pytest.mark.parametrize(
    ("rows", "want"),
    [
        ([], "_no rows_"),
        ([(Decimal("1.50"), None, "a|b")], "| x | y | z |\n|---|---|---|\n| 1.50 | — | a\\|b |"),
    ],
)
def test_markdown_table(rows, want):
    assert markdown_table(["x", "y", "z"], rows) == want


def test_table_preview_says_how_many_rows_are_left_out(sample_con, sample_world):
    md = table_preview(
        sample_con, "headcount_comparison", ["department", "staff_count", "no_such_column"], limit=3
    )
    lines = md.splitlines()
    assert lines[0] == "| department | staff_count |"
    assert len([ln for ln in lines if ln.startswith("| 深圳") or ln.startswith("| 上海")]) == 3
    assert lines[-1] == f"… {len(sample_world.published_budgets) - 3} more rows"


def test_quality_results_are_exported_for_every_current_document(hostile_world, tmp_path):
    from warehouse.db import connect

    wh, ids = hostile_world
    con = connect(wh, read_only=True)
    try:
        (exported,) = export_tables(con, tmp_path, tables=["quality_results"])
    finally:
        con.close()
    rows = (
        duckdb.connect()
        .execute(
            "select doc_id, expectation, severity from read_parquet(?)", [str(exported.files["parquet"])]
        )
        .fetchall()
    )
    assert rows == [(ids["h2"], "per_staff_cost_band", "warning")] and exported.rows == 1
