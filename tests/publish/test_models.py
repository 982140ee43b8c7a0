"""The comparison models on real DuckDB warehouses: the sample corpus (from truth) and hand-made sets."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from warehouse.db import connect
from warehouse.loader import StatusUpdate, set_statuses
from warehouse.models import (
    COMPARISONS,
    HELPER_VIEWS,
    IDENTITY_COLUMNS,
    MODELS,
    ModelSettings,
    build_models,
    ensure_models,
    missing_models,
    model_sql,
)

from .world import SEED_ID, SampleWorld, hand_record, load_hand_records

TABLES = [c.table for c in COMPARISONS]
# the comparisons with one row per compared budget (execution_comparison: one per budget that has its
# final accounts too; tested in test_execution.py)
PER_BUDGET = [t for t in TABLES if t != "execution_comparison"]


def rows(con, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def one(con, table: str, doc_id: str) -> dict:
    found = rows(con, f"select * from {table} where doc_id = ?", [doc_id])  # noqa: S608 (table from a constant)
    assert len(found) == 1, (table, doc_id, len(found))
    return found[0]


# --- the sample corpus ---------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["comparison_documents", *PER_BUDGET])
def test_one_row_per_published_budget(sample_world: SampleWorld, sample_con, table):
    ids = [r[0] for r in sample_con.execute(f"select doc_id from {table}").fetchall()]  # noqa: S608
    assert len(ids) == len(set(ids))
    assert set(ids) == sample_world.published_budgets
    # quarantined (truth verdicts), unreadable files and the 决算 are all left out
    assert not set(ids) & set(sample_world.quarantined)
    final = sample_world.doc_ids["futian-jyj-2022-final"][0]
    assert final not in ids


def test_seed_department_metrics_equal_what_its_figures_give(sample_world: SampleWorld, sample_con):
    seed = sample_world.seed_doc_id()
    h = one(sample_con, "headcount_comparison", seed)
    assert (h["jurisdiction"], h["department"], h["department_type"], h["fiscal_year"]) == (
        "深圳市罗湖区",
        "深圳市罗湖区科技创新局",
        "科技创新",
        2022,
    )
    # staff_count: actual_total is not stated, so the sum of the *_actual fields (11 + 12 + 0)
    assert (h["actual_total"], h["staff_count"], h["authorized_count"]) == (None, 23, 26)
    assert h["vacancy_rate"] == pytest.approx(1 - 23 / 26, rel=1e-15)
    assert h["retiree_ratio"] == pytest.approx(7 / 23, rel=1e-15)
    assert h["expense_per_staff"] == (Decimal("25790000") / 23).quantize(Decimal("0.01"))

    o = one(sample_con, "operating_cost_comparison", seed)
    assert o["agency_running_cost"] == Decimal("870000.00")
    assert o["agency_running_cost_per_staff"] == (Decimal(870000) / 23).quantize(Decimal("0.01"))
    assert o["agency_running_cost_per_staff"] == Decimal("37826.09")
    assert o["three_public_total_per_staff"] == (Decimal(26500) / 23).quantize(Decimal("0.01"))
    assert o["personnel_expense_per_staff"] == (Decimal(8100000) / 23).quantize(Decimal("0.01"))
    assert o["basic_share"] == 9520000 / 25790000 and o["project_share"] == 16270000 / 25790000
    assert o["prior_doc_id"] is None and o["three_public_total_yoy"] is None  # no 2021 budget loaded

    p = one(sample_con, "procurement_share_comparison", seed)
    assert p["procurement_share"] == 300 / 2579 == 3000000 / 25790000
    assert (p["services_share"], p["goods_share"], p["works_share"]) == (1.0, 0.0, 0.0)
    assert p["warning_flags"] == [] and p["duplicate_of"] is None


def test_amounts_stay_decimal_and_ratios_double(sample_con):
    types = dict(
        sample_con.execute(
            "select column_name, data_type from information_schema.columns where table_name = 'operating_cost_comparison'"
        ).fetchall()
    )
    assert types["agency_running_cost"] == types["agency_running_cost_per_staff"] == "DECIMAL(18,2)"
    assert types["basic_share"] == types["three_public_total_yoy"] == "DOUBLE"
    assert types["staff_count"] == "INTEGER"


def test_year_on_year_against_the_same_department(sample_world: SampleWorld, sample_con):
    seed, succ = sample_world.seed_doc_id(), sample_world.doc_ids["luohu-kjcxj-2023"][0]
    o = one(sample_con, "operating_cost_comparison", succ)
    assert o["prior_doc_id"] == seed
    t22 = sample_world.truths[SEED_ID]["records"][0]["totals"]
    t23 = sample_world.truths["luohu-kjcxj-2023"]["records"][0]["totals"]
    for field in ("agency_running_cost", "three_public_total", "operating_expense", "personnel_expense"):
        before, after = Decimal(t22[field]), Decimal(t23[field])
        want = None if before == 0 else float(after - before) / float(before)
        assert o[f"{field}_yoy"] == (pytest.approx(want, rel=1e-12) if want is not None else None), field


def test_a_metric_whose_inputs_are_null_stays_null(sample_con):
    # Shanghai documents state no headcount: no staff count, so nothing per staff, but their amounts stay
    sh = rows(sample_con, "select * from operating_cost_comparison where jurisdiction like '上海市%'")
    assert sh
    for r in sh:
        assert r["staff_count"] is None and r["expense_total"] is not None
        assert all(r[k] is None for k in r if k.endswith("_per_staff")), r["department"]
    # everywhere: a null staff count never gives a per-staff value
    bad = sample_con.execute(
        "select count(*) from operating_cost_comparison where staff_count is null and "
        "coalesce(agency_running_cost_per_staff, operating_expense_per_staff, three_public_total_per_staff) "
        "is not null"
    ).fetchone()[0]
    assert bad == 0


# --- hand-made warehouses -------------------------------------------------------------------------


def _build(wh: Path) -> duckdb.DuckDBPyConnection:
    con = connect(wh)
    build_models(con)
    return con


def test_nothing_is_divided_by_zero(wh_path, staging):
    zero_staff = dict(
        admin_actual=0, cs_managed_actual=0, institution_actual=0, admin_authorized=0,
        cs_managed_authorized=0, institution_authorized=0, retirees_total=3,
    )  # fmt: skip
    ids = load_hand_records(
        wh_path,
        staging,
        {
            "zero-staff": hand_record(
                "zero-staff",
                jurisdiction="深圳市甲区",
                department="深圳市甲区财政局",
                fiscal_year=2022,
                **zero_staff,
            ),
            "zero-totals": hand_record(
                "zero-totals",
                jurisdiction="深圳市甲区",
                department="深圳市甲区教育局",
                fiscal_year=2022,
                expense_total="0.00",
                procurement_total="0.00",
                agency_running_cost="0.00",
                three_public_total="0.00",
            ),
            "after-zero": hand_record(
                "after-zero",
                jurisdiction="深圳市甲区",
                department="深圳市甲区教育局",
                fiscal_year=2023,
                agency_running_cost="100.00",
                three_public_total="0.00",
            ),
        },
    )
    con = _build(wh_path)
    try:
        h = one(con, "headcount_comparison", ids["zero-staff"])
        assert h["staff_count"] == 0 and h["authorized_count"] == 0
        assert h["vacancy_rate"] is None and h["retiree_ratio"] is None and h["expense_per_staff"] is None
        o = one(con, "operating_cost_comparison", ids["zero-staff"])
        assert all(o[k] is None for k in o if k.endswith("_per_staff"))
        p = one(con, "procurement_share_comparison", ids["zero-totals"])
        assert p["procurement_share"] is None and p["goods_share"] is None and p["sme_share"] is None
        o = one(con, "operating_cost_comparison", ids["zero-totals"])
        assert o["basic_share"] is None and o["project_share"] is None
        later = one(con, "operating_cost_comparison", ids["after-zero"])
        assert later["prior_doc_id"] == ids["zero-totals"]
        assert later["agency_running_cost_yoy"] is None  # from 0: no ratio exists
        assert later["three_public_total_yoy"] is None
        # no double anywhere is infinite or NaN
        for table in TABLES:
            for r in rows(con, f"select * from {table}"):  # noqa: S608
                for k, v in r.items():
                    assert not (isinstance(v, float) and not math.isfinite(v)), (table, k)
    finally:
        con.close()


def test_superseded_and_quarantined_documents_are_not_compared(wh_path, staging):
    from warehouse.staging import stage_records

    old = hand_record("v1", jurisdiction="深圳市乙区", department="深圳市乙区司法局", fiscal_year=2022)
    new = hand_record(
        "v2", jurisdiction="深圳市乙区", department="深圳市乙区司法局", fiscal_year=2022, expense_total="1.00"
    )
    bad = hand_record("bad", jurisdiction="深圳市乙区", department="深圳市乙区财政局", fiscal_year=2022)
    from tests.warehouse.records import sha

    paths = []
    for label, rec, when in (
        ("v1", old, "2026-01-01T00:00:00+00:00"),
        ("v2", new, "2026-02-01T00:00:00+00:00"),
    ):
        paths += stage_records(
            staging, [rec], file_sha256=sha(label), source_url="http://127.0.0.1/same.pdf",
            file_name="same.pdf", jurisdiction_hint=None, fetched_at=when,
        )  # fmt: skip
    from warehouse.loader import load_staged

    load_staged(wh_path, paths)
    ids = load_hand_records(wh_path, staging, {"bad": bad})
    con = connect(wh_path)
    try:
        set_statuses(con, [StatusUpdate(ids["bad"], "quarantined", "表1 支出总计 2,579 ≠ 表7 合计 2,580")])
        build_models(con)
        got = {r[0] for r in con.execute("select doc_id from operating_cost_comparison").fetchall()}
        assert got == {sha("v2")}
    finally:
        con.close()


def test_warning_flags_carry_quality_flags_and_parser_warnings(wh_path, staging):
    rec = hand_record("flagged", jurisdiction="深圳市丙区", department="深圳市丙区教育局", fiscal_year=2022)
    rec["warnings"] = [{"code": "prose_table_mismatch", "message": "x", "page": 3}]
    ids = load_hand_records(wh_path, staging, {"flagged": rec})
    con = connect(wh_path)
    try:
        set_statuses(con, [StatusUpdate(ids["flagged"], "published", None, ["per_staff_cost_band"])])
        build_models(con)
        for table in PER_BUDGET:  # (no final accounts here: no execution row)
            assert one(con, table, ids["flagged"])["warning_flags"] == [
                "per_staff_cost_band",
                "prose_table_mismatch",
            ]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("amount", "staff", "want"),
    [
        ("870000.00", 23, "37826.09"),
        ("0.05", 2, "0.02"),  # 0.025 → half to even
        ("0.03", 2, "0.02"),  # 0.015 → half to even
        ("0.01", 2, "0.00"),  # 0.005 → half to even
        ("-0.05", 2, "-0.02"),
        ("-870000.00", 23, "-37826.09"),
        ("9999999999999999.99", 1, "9999999999999999.99"),
        ("0.00", 5, "0.00"),
        ("100.00", 0, None),
        ("100.00", -1, None),
        (None, 3, None),
        ("100.00", None, None),
    ],
)
def test_per_staff_is_exact_to_the_cent(amount, staff, want):
    con = duckdb.connect()
    con.execute(model_sql("macros"))
    got = con.execute("select bl_per_staff(?::decimal(18, 2), ?::integer)", [amount, staff]).fetchone()[0]
    assert got == (None if want is None else Decimal(want))
    if amount is not None and staff is not None and staff > 0:
        assert got == (Decimal(amount) / staff).quantize(Decimal("0.01"))  # Python's half-even


@pytest.mark.parametrize(
    ("current", "prior", "want"),
    [(110, 100, 0.1), (90, 100, -0.1), (5, 0, None), (0, 0, None), (None, 100, None), (100, None, None),
     (-5, -10, 0.5)],
)  # fmt: skip
def test_change_ratio(current, prior, want):
    con = duckdb.connect()
    con.execute(model_sql("macros"))
    got = con.execute("select bl_change(?::decimal(18,2), ?::decimal(18,2))", [current, prior]).fetchone()[0]
    assert got == (None if want is None else pytest.approx(want))


def test_models_build_as_temp_tables_on_a_read_only_warehouse(sample_world, tmp_path):
    """`budgetlens compare` on a warehouse whose models were never stored computes the same rows."""
    import shutil

    from warehouse.schema import TABLES as WH_TABLES

    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_world.warehouse, copy)
    con = connect(copy)
    for m in MODELS:
        con.execute(f"drop table {m}")  # noqa: S608 (constant names)
    con.close()
    ro = connect(copy, read_only=True, sandbox=True)
    ref = connect(sample_world.warehouse, read_only=True)
    try:
        assert missing_models(ro) == list(MODELS)
        assert ensure_models(ro) is True
        assert ensure_models(ro) is False
        for m in MODELS:
            q = f"select * from {m} order by all"  # noqa: S608
            assert ro.execute(q).fetchall() == ref.execute(q).fetchall(), m
        assert set(WH_TABLES) <= {
            r[0] for r in ro.execute("select table_name from duckdb_tables()").fetchall()
        }
    finally:
        ro.close()
        ref.close()


def test_rebuilding_gives_the_same_rows(sample_world, tmp_path):
    import shutil

    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_world.warehouse, copy)
    con = connect(copy)
    try:
        before = {m: con.execute(f"select * from {m} order by all").fetchall() for m in MODELS}  # noqa: S608
        counts = build_models(con)
        assert counts == {m: len(before[m]) for m in MODELS}
        assert {m: con.execute(f"select * from {m} order by all").fetchall() for m in MODELS} == before  # noqa: S608
    finally:
        con.close()


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"min_peers": 1}, "min_peers"), ({"outlier_mads": 0}, "outlier")]
)
def test_model_settings_are_validated(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ModelSettings(**kwargs)


def test_every_model_file_is_one_create_or_replace_table():
    for m in MODELS:
        assert model_sql(m).count("create or replace table ") == 1, m
        assert "create or replace temp table" in model_sql(m, temp=True)


def test_helper_views_are_temporary_and_never_models():
    for v in HELPER_VIEWS:
        assert v not in MODELS
        assert model_sql(v).count("create or replace temp view ") == 1, v
        assert model_sql(v, temp=True) == model_sql(v)


def test_every_comparison_starts_with_the_identity_columns(sample_world):
    con = connect(sample_world.warehouse, read_only=True)
    try:
        con.execute(model_sql("comparison_identity"))  # a temporary view: works on a read-only warehouse
        columns = {
            name: tuple(d[0] for d in con.execute(f"select * from {name} limit 0").description)  # noqa: S608
            for name in ("comparison_identity", *TABLES)
        }
        assert columns.pop("comparison_identity") == IDENTITY_COLUMNS
        for name, cols in columns.items():
            assert cols[: len(IDENTITY_COLUMNS)] == IDENTITY_COLUMNS, name
        identity, documents = con.execute(
            "select (select count(*) from comparison_identity), (select count(*) from comparison_documents)"
        ).fetchone()
        assert identity == documents > 0
    finally:
        con.close()


def test_documents_without_a_department_or_year_are_no_duplicates(wh_path, staging):
    recs = {
        f"anon{i}": hand_record(f"anon{i}", jurisdiction="深圳市戊区", department=None, fiscal_year=2022)
        for i in range(2)
    }
    recs.update(
        {f"noyear{i}": hand_record(f"noyear{i}", jurisdiction="深圳市戊区", department="深圳市戊区教育局", fiscal_year=None)
         for i in range(2)}
    )  # fmt: skip
    ids = load_hand_records(wh_path, staging, recs)
    con = _build(wh_path)
    try:
        for doc_id in ids.values():
            row = one(con, "comparison_documents", doc_id)
            assert row["duplicate_of"] is None and "duplicate_department_year" not in row["warning_flags"]
            assert one(con, "operating_cost_comparison", doc_id)["prior_doc_id"] is None
    finally:
        con.close()


def test_duplicate_department_year_is_flagged_and_left_out_of_peer_statistics(wh_path, staging):
    """Two published budgets of one department and year (e.g. a re-published copy under another URL):
    both stay, both flagged; the one with fewer warnings is the one peers and year-on-year use."""
    clean = hand_record(
        "dup-clean", jurisdiction="深圳市甲区", department="深圳市甲区财政局", fiscal_year=2022
    )
    slipped = hand_record(
        "dup-slip", jurisdiction="深圳市甲区", department="深圳市甲区财政局", fiscal_year=2022
    )
    slipped["warnings"] = [{"code": "sum_mismatch", "message": "款 20106 1 元 off", "page": 9}]
    ids = load_hand_records(wh_path, staging, {"dup-clean": clean, "dup-slip": slipped})
    con = _build(wh_path)
    try:
        a = one(con, "comparison_documents", ids["dup-clean"])
        b = one(con, "comparison_documents", ids["dup-slip"])
        assert "duplicate_department_year" in a["warning_flags"]
        assert "duplicate_department_year" in b["warning_flags"]
        assert "sum_mismatch" in b["warning_flags"]
        assert (a["duplicate_of"], b["duplicate_of"]) == (None, ids["dup-clean"])
        in_peers = {r[0] for r in con.execute("select distinct doc_id from peer_statistics").fetchall()}
        assert ids["dup-clean"] in in_peers and ids["dup-slip"] not in in_peers
    finally:
        con.close()


def test_a_withheld_figure_is_null_in_the_comparisons_and_the_rest_is_compared(wh_path, staging):
    rec = hand_record("held", jurisdiction="深圳市丙区", department="深圳市丙区教育局", fiscal_year=2022)
    ids = load_hand_records(wh_path, staging, {"held": rec})
    con = connect(wh_path)
    try:
        before = one(con, "totals", ids["held"])
        assert before["three_public_total"] is not None and before["expense_total"] is not None
        set_statuses(con, [StatusUpdate(ids["held"], "published", None, ["prose_agrees_with_tables"])])
        con.execute(
            "insert into quality_results values (?, 'prose_agrees_with_tables', 'crosscheck', 'withheld', "
            "'totals.three_public_total@prose#2', '三公 ≠ 正文', now())",
            [ids["held"]],
        )
        build_models(con)
        row = one(con, "operating_cost_comparison", ids["held"])
        assert row["three_public_total"] is None and row["expense_total"] == before["expense_total"]
    finally:
        con.close()
