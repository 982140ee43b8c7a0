"""Loading staged envelopes into a real DuckDB file: exact values, idempotence, replacement, superseding."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from budgetlens.fields import HEADCOUNT_FIELDS, TOTALS_FIELDS
from tests.warehouse.helpers import set_status
from warehouse.db import connect
from warehouse.loader import (
    LoadSettings,
    StatusUpdate,
    apply_department_types,
    load_staged,
    set_statuses,
)
from warehouse.schema import DOC_TABLES
from warehouse.staging import stage_envelope, stage_records

from .records import error_record, load_truth, luohu_record, sha, truth_files, truth_to_records

T0 = "2026-01-05T02:00:00+00:00"
T1 = "2026-02-05T02:00:00+00:00"


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in DOC_TABLES}  # noqa: S608


def query(path: Path, sql: str, params=()):
    con = connect(path, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def stage_luohu(staging: Path, **kw) -> list[Path]:
    rec = kw.pop("record", None) or luohu_record()
    return stage_records(
        staging,
        [rec],
        source_url=kw.pop("source_url", "http://127.0.0.1/luohu/files/a.pdf"),
        jurisdiction_hint="深圳市罗湖区",
        fetched_at=kw.pop("fetched_at", T0),
        **kw,
    )


def test_load_and_query_back_exactly(wh_path, staging):
    paths = stage_luohu(staging)
    report = load_staged(wh_path, paths)
    assert (report.documents, report.published, report.quarantined, report.failed) == (1, 1, [], [])
    doc_id = sha("luohu-kjcxj-2022")
    rec = luohu_record()
    con = connect(wh_path, read_only=True)
    doc = dict(
        zip(
            [c[0] for c in con.execute("select * from documents").description],
            con.execute("select * from documents").fetchone(),
            strict=True,
        )
    )
    assert doc["doc_id"] == doc_id == doc["file_sha256"]
    assert (doc["jurisdiction"], doc["department"], doc["department_type"], doc["fiscal_year"]) == (
        "深圳市罗湖区",
        "深圳市罗湖区科技创新局",
        "科技创新",
        2022,
    )
    assert (doc["kind"], doc["scope"], doc["template"], doc["status"], doc["status_reason"]) == (
        "budget",
        "department",
        "shenzhen13",
        "published",
        None,
    )
    assert (
        doc["first_page"],
        doc["last_page"],
        doc["page_count"],
        doc["table_count"],
        doc["warning_count"],
    ) == (1, 18, 18, 3, 1)
    assert doc["source_url"] == "http://127.0.0.1/luohu/files/a.pdf"
    assert doc["fetched_at"].isoformat() == T0
    assert doc["superseded_by"] is None

    totals = con.execute("select * exclude (doc_id) from totals where doc_id = ?", [doc_id]).fetchone()
    for field, value in zip(TOTALS_FIELDS, totals, strict=True):
        expected = rec["totals"][field]
        assert value == (None if expected is None else Decimal(expected)), field
        assert value is None or isinstance(value, Decimal)
    assert totals[TOTALS_FIELDS.index("income_total")] == Decimal("25790000.00")
    assert totals[TOTALS_FIELDS.index("carryover_in")] is None  # absent stays null, never 0
    assert totals[TOTALS_FIELDS.index("overseas_travel")] == Decimal("0.00")

    head = con.execute(f"select {', '.join(HEADCOUNT_FIELDS)} from headcount").fetchone()  # noqa: S608
    assert dict(zip(HEADCOUNT_FIELDS, head, strict=True)) == rec["headcount"]

    lines = con.execute(
        "select line_no, code, name, level, total, basic, project from function_lines order by line_no"
    ).fetchall()
    assert lines == [
        (
            i,
            fl["code"],
            fl["name"],
            fl["level"],
            Decimal(fl["total"]),
            Decimal(fl["basic"]),
            Decimal(fl["project"]),
        )
        for i, fl in enumerate(rec["function_lines"])
    ]
    assert con.execute(
        "select name, amount, prior_year_amount from projects order by line_no"
    ).fetchall() == [
        ("预算准备金", Decimal("480000.00"), None),
        ("科技创新专项资金", Decimal("12700000.00"), None),
    ]
    assert con.execute("select category_code, category, amount from procurement_lines").fetchall() == [
        ("C", "服务", Decimal("3000000.00"))
    ]
    assert con.execute("select code, name, amount from economic_lines").fetchall() == [
        ("301", "工资福利支出", Decimal("8100000.00"))
    ]
    assert con.execute("select task, indicator_level3, target from performance_targets").fetchall() == [
        (None, "国高企业认定数", "102 家")
    ]
    assert con.execute("select code, message, page from warnings").fetchall() == [
        ("sum_mismatch", "表7 功能分类 201 60 ≠ Σ款 61", 16)
    ]
    assert con.execute(
        "select field_path, section, page, x0, top, x1, bottom, source from provenance order by field_path"
    ).fetchall() == [
        ("function_lines[2].total", "function_lines", 16, 300.0, 200.0, 340.0, 212.0, "table"),
        ("headcount.admin_actual", "headcount", 3, 72.0, 300.0, 500.0, 312.0, "prose"),
        ("totals.expense_total", "totals", 14, 402.1, 610.3, 470.0, 622.8, "table"),
    ]
    assert con.execute(
        "select table_index, kind, unit, pages, empty, row_count, col_count from doc_tables order by 1"
    ).fetchall() == [
        (0, "summary", "万元", [12, 13, 14], False, 2, 4),
        (1, "three_public", "万元", [17], False, 1, 6),
        (2, "gov_fund", "万元", [17], True, 0, 0),
    ]
    assert (
        json.loads(con.execute("select header from doc_tables where table_index = 0").fetchone()[0])
        == rec["tables"][0]["header"]
    )
    con.close()


def test_table_cells_amounts_by_the_tables_unit_and_boxes(wh_path, staging):
    rec = luohu_record()
    rec["tables"].append(
        {
            "kind": "expense",
            "title": "支出总表",
            "unit": "元",
            "pages": [15],
            "header": [["科目编码", "科目名称", "合计"]],
            "rows": [["206", "科学技术支出", "22,240,000.00"]],
        }
    )
    load_staged(wh_path, stage_luohu(staging, record=rec))
    rows = query(
        wh_path,
        "select table_index, table_kind, row_index, col_index, text, amount, page, x0, top, x1, bottom from table_cells order by 1, 3, 4",
    )
    summary = [r for r in rows if r[0] == 0]
    assert summary[1] == (0, "summary", 0, 1, "2,579", Decimal("25790000.00"), 12, 160.0, 100.0, 200.0, 112.0)
    assert summary[0][5] is None  # a row label
    assert summary[7] == (0, "summary", 1, 3, "2,579", Decimal("25790000.00"), 14, 402.1, 610.3, 470.0, 622.8)
    three = [r[4:6] for r in rows if r[0] == 1]
    assert three == [
        ("2.65", Decimal("26500.00")),
        ("0", Decimal("0.00")),
        ("-", Decimal("0.00")),
        ("2.65", Decimal("26500.00")),
        ("—", Decimal("0.00")),
        ("2.65", Decimal("26500.00")),
    ]
    assert all(r[6] is None for r in rows if r[0] == 1)  # no boxes given: null, not invented
    expense = [r[4:6] for r in rows if r[0] == 3]
    assert expense == [
        ("206", None),
        ("科学技术支出", None),
        ("22,240,000.00", Decimal("22240000.00")),
    ]  # 元 table, code column


def test_reload_never_duplicates(wh_path, staging):
    paths = stage_luohu(staging)
    load_staged(wh_path, paths)
    con = connect(wh_path, read_only=True)
    before = counts(con)
    con.close()
    for _ in range(2):
        load_staged(wh_path, paths)
    con = connect(wh_path, read_only=True)
    assert counts(con) == before
    assert before["documents"] == 1 and before["table_cells"] == 14
    con.close()


def test_replace_by_doc_id(wh_path, staging):
    load_staged(wh_path, stage_luohu(staging))
    rec = luohu_record()
    rec["totals"]["expense_total"] = "25800000.00"
    rec["function_lines"] = rec["function_lines"][:1]
    rec["warnings"] = []
    set_status_con = connect(wh_path)
    set_status(set_status_con, sha("luohu-kjcxj-2022"), "quarantined", "表1 ≠ 表7")
    set_status_con.close()
    report = load_staged(wh_path, stage_luohu(staging, record=rec))
    assert report.published == 1
    assert query(wh_path, "select expense_total from totals") == [(Decimal("25800000.00"),)]
    assert query(wh_path, "select count(*) from function_lines") == [(1,)]
    assert query(wh_path, "select count(*) from warnings") == [(0,)]
    assert query(wh_path, "select status, status_reason, warning_count from documents") == [
        ("published", None, 0)
    ]


def test_compilation_records_and_a_reparse_that_gives_fewer(wh_path, staging):
    file_sha = sha("huibian")
    depts = ["深圳市大鹏新区教育局", "深圳市大鹏新区财政局", "深圳市大鹏新区民政局"]
    recs = [luohu_record(file_sha, department=d, jurisdiction="深圳市大鹏新区") for d in depts]
    paths = stage_records(staging / "a", recs, source_url="http://127.0.0.1/dapeng/hb.pdf", fetched_at=T0)
    load_staged(wh_path, paths)
    assert query(
        wh_path,
        "select doc_id, record_index, record_count, department_type from documents order by record_index",
    ) == [
        (f"{file_sha}-1", 1, 3, "教育"),
        (f"{file_sha}-2", 2, 3, "财政"),
        (f"{file_sha}-3", 3, 3, "民政"),
    ]
    # a better parser now finds two departments in the file: the third record goes, the others are replaced
    paths = stage_records(staging / "b", recs[:2], source_url="http://127.0.0.1/dapeng/hb.pdf", fetched_at=T0)
    load_staged(wh_path, paths)
    assert query(wh_path, "select doc_id from documents order by doc_id") == [
        (f"{file_sha}-1",),
        (f"{file_sha}-2",),
    ]
    assert query(wh_path, "select count(distinct doc_id), count(*) from totals") == [(2, 2)]


def test_a_files_records_stay_in_one_batch(wh_path, staging):
    file_sha = sha("huibian")
    recs = [
        luohu_record(file_sha, department=d)
        for d in ("深圳市罗湖区教育局", "深圳市罗湖区财政局", "深圳市罗湖区民政局")
    ]
    single = [luohu_record(sha(f"single{i}")) for i in range(2)]
    first = stage_records(staging / "a", recs, source_url="http://127.0.0.1/hb.pdf", fetched_at=T0)
    load_staged(wh_path, first)
    # re-parsed: two records now, staged between two other files; batches of 2 must not split the file
    again = stage_records(staging / "b", recs[:2], source_url="http://127.0.0.1/hb.pdf", fetched_at=T0)
    s0 = stage_records(staging / "b", [single[0]], source_url="http://127.0.0.1/s0.pdf", fetched_at=T0)
    s1 = stage_records(staging / "b", [single[1]], source_url="http://127.0.0.1/s1.pdf", fetched_at=T0)
    report = load_staged(wh_path, [*s0, again[0], again[1], *s1], settings=LoadSettings(batch_docs=2))
    assert report.batches == 2
    assert query(
        wh_path, "select doc_id from documents where file_sha256 = ? order by doc_id", [file_sha]
    ) == [
        (f"{file_sha}-1",),
        (f"{file_sha}-2",),
    ]


def test_reuploaded_corrected_file_supersedes_the_old_one(wh_path, staging):
    url = "http://127.0.0.1/luohu/files/a.pdf"
    old_sha, new_sha = sha("v1"), sha("v2")
    load_staged(
        wh_path, stage_luohu(staging / "1", record=luohu_record(old_sha), source_url=url, fetched_at=T0)
    )
    corrected = luohu_record(new_sha)
    corrected["totals"]["expense_total"] = "25790000.00"
    report = load_staged(wh_path, stage_luohu(staging / "2", record=corrected, source_url=url, fetched_at=T1))
    assert report.superseded == [old_sha]
    assert query(wh_path, "select doc_id, superseded_by from documents order by fetched_at") == [
        (old_sha, new_sha),
        (new_sha, None),
    ]
    assert query(wh_path, "select doc_id from current_documents") == [(new_sha,)]
    # counted once: the comparison view of the department-year holds one document
    assert query(
        wh_path,
        "select count(*) from current_documents where department = '深圳市罗湖区科技创新局' and fiscal_year = 2022",
    ) == [(1,)]
    # reloading the old version (e.g. a re-parse) does not make it current again
    load_staged(
        wh_path, stage_luohu(staging / "3", record=luohu_record(old_sha), source_url=url, fetched_at=T0)
    )
    assert query(wh_path, "select doc_id from current_documents") == [(new_sha,)]


def test_error_record_is_quarantined_with_its_reason(wh_path, staging):
    bad_sha = sha("broken")
    paths = stage_records(
        staging,
        [error_record(bad_sha)],
        source_url="http://127.0.0.1/x/broken.pdf",
        jurisdiction_hint="深圳市龙岗区",
        fetched_at=T0,
    )
    report = load_staged(wh_path, paths)
    assert report.quarantined == [(bad_sha, "truncated: file ends before %%EOF")]
    assert query(
        wh_path,
        "select status, status_reason, error_code, jurisdiction, file_name, department_type from documents",
    ) == [
        (
            "quarantined",
            "truncated: file ends before %%EOF",
            "truncated",
            "深圳市龙岗区",
            "broken.pdf",
            "other",
        )
    ]
    assert query(wh_path, "select count(*) from headcount") == [(1,)]
    assert query(wh_path, "select count(*) from totals where expense_total is null") == [(1,)]
    assert report.unmapped_departments == []  # no department name: nothing to map


def test_bad_envelopes_fail_clearly_and_the_rest_load(wh_path, staging):
    good = stage_luohu(staging)
    bad_record = luohu_record(sha("bad"))
    bad_record["totals"]["expense_total"] = 25790000.0  # a float: precision already lost upstream
    bad = stage_envelope(staging, doc_id=sha("bad"), file_sha256=sha("bad"), record=bad_record, fetched_at=T0)
    garbage = staging / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    wrong_id = stage_envelope(staging, doc_id="abc", file_sha256=sha("c"), record=luohu_record(sha("c")))
    report = load_staged(wh_path, [*good, bad, garbage, wrong_id])
    assert report.published == 1
    assert [r[0] for r in report.failed] == [sha("bad")]
    assert "totals.expense_total" in report.failed[0][1] and "decimal string" in report.failed[0][1]
    assert sorted(Path(r[0]).name for r in report.rejected) == ["abc.json", "garbage.json"]
    assert query(wh_path, "select status from documents order by status") == [("failed",), ("published",)]
    assert garbage.exists() and bad.exists()  # nothing is deleted from staging


def test_sub_cent_amount_is_quarantined_not_silently_rounded(wh_path, staging):
    rec = luohu_record()
    rec["totals"]["official_reception"] = "0.125"
    report = load_staged(wh_path, stage_luohu(staging, record=rec))
    assert report.published == 0 and report.quarantined[0][1].startswith("sub_cent_amount")
    assert query(wh_path, "select official_reception from totals") == [(Decimal("0.12"),)]
    assert query(wh_path, "select code, message from warnings where code = 'sub_cent_amount'") == [
        (
            "sub_cent_amount",
            "totals.official_reception = 0.125 yuan has digits below the cent; stored rounded to 0.12 in DECIMAL(18,2)",
        )
    ]


def test_many_documents_per_transaction_in_batches(wh_path, staging):
    paths = []
    for i in range(7):
        paths += stage_luohu(
            staging, record=luohu_record(sha(f"doc{i}")), source_url=f"http://127.0.0.1/d{i}.pdf"
        )
    report = load_staged(wh_path, paths, settings=LoadSettings(batch_docs=3))
    assert (report.documents, report.batches) == (7, 3)
    assert query(wh_path, "select count(*), count(distinct doc_id) from documents") == [(7, 7)]
    assert report.rows["table_cells"] == 7 * 14


def test_unmapped_departments_are_listed(wh_path, staging):
    rec = luohu_record(department="深圳市罗湖区人力资源局")
    report = load_staged(wh_path, stage_luohu(staging, record=rec))
    assert report.unmapped_departments == ["深圳市罗湖区人力资源局"]
    assert query(wh_path, "select department_type from documents") == [("other",)]


def test_set_statuses_batched_and_unknown_doc_ids(wh_path, staging):
    paths = []
    for i in range(3):
        paths += stage_luohu(
            staging, record=luohu_record(sha(f"s{i}")), source_url=f"http://127.0.0.1/s{i}.pdf"
        )
    load_staged(wh_path, paths)
    con = connect(wh_path)
    n = set_statuses(
        con,
        [
            StatusUpdate(
                sha("s0"),
                "quarantined",
                "表1 支出总计 2,579 ≠ 表7 合计 2,580",
                ("income_total_eq_expense_total",),
            ),
            (sha("s1"), "published", None),
        ],
    )
    assert n == 2
    with pytest.raises(KeyError, match="no such documents"):
        set_statuses(con, [(sha("s2"), "quarantined", "x"), (sha("nope"), "quarantined", "y")])
    with pytest.raises(ValueError, match="status must be one of"):
        set_status(con, sha("s2"), "deleted", None)
    rows = con.execute(
        "select doc_id, status, status_reason, quality_flags, checked_at is not null from documents order by doc_id"
    ).fetchall()
    con.close()
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id[sha("s0")] == (
        "quarantined",
        "表1 支出总计 2,579 ≠ 表7 合计 2,580",
        ["income_total_eq_expense_total"],
        True,
    )
    assert by_id[sha("s1")] == ("published", None, None, True)
    assert by_id[sha("s2")] == ("published", None, None, False)  # the failed batch changed nothing


def test_apply_department_types_after_editing_rules(wh_path, staging, tmp_path):
    from warehouse.departments import read_rules

    load_staged(wh_path, stage_luohu(staging, record=luohu_record(department="深圳市罗湖区人力资源局")))
    types = tmp_path / "types.csv"
    types.write_text("match,pattern,department_type\nexact,人力资源局,人力资源\n", encoding="utf-8")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\n", encoding="utf-8")
    con = connect(wh_path)
    assert apply_department_types(con, read_rules(types, aliases)) == []
    assert con.execute("select department_type from documents").fetchall() == [("人力资源",)]
    con.close()


CORPUS = [p for p in truth_files()]


def test_corpus_truth_loads_exactly(wh_path, staging):
    """Every truth record of the sample corpus, loaded as if parsed perfectly, reads back field for field."""
    assert CORPUS, "the sample corpus (sample/truth) is missing from the repository"
    expected: dict[str, dict] = {}
    paths = []
    for p in CORPUS:
        truth = load_truth(p)
        recs = truth_to_records(truth)
        paths += stage_records(
            staging,
            recs,
            source_url=f"http://127.0.0.1{truth.get('url_path', '/' + truth['id'])}",
            fetched_at=T0,
        )
        ids = (
            [sha(truth["id"])]
            if len(recs) == 1
            else [f"{sha(truth['id'])}-{k}" for k in range(1, len(recs) + 1)]
        )
        for doc_id, rec, raw in zip(ids, recs, truth.get("records") or [None], strict=False):
            expected[doc_id] = {"rec": rec, "truth": truth, "raw": raw}
    report = load_staged(wh_path, paths)
    assert report.rejected == [] and report.failed == []
    con = connect(wh_path, read_only=True)
    assert con.execute("select count(*) from documents").fetchone()[0] == len(expected)
    docs = {
        r[0]: r[1:]
        for r in con.execute(
            "select doc_id, status, department_type, fiscal_year, kind, error_code from documents"
        ).fetchall()
    }
    totals = {r[0]: r[1:] for r in con.execute("select * from totals").fetchall()}
    heads = {r[0]: r[1:] for r in con.execute("select * from headcount").fetchall()}
    lines: dict[str, list] = {}
    for r in con.execute(
        "select doc_id, code, level, total, basic, project from function_lines order by doc_id, line_no"
    ).fetchall():
        lines.setdefault(r[0], []).append(r[1:])
    con.close()
    for doc_id, e in expected.items():
        rec, truth, raw = e["rec"], e["truth"], e["raw"]
        status, dtype, year, kind, err = docs[doc_id]
        if truth["expect"].get("error_code"):
            assert (status, err) == ("quarantined", truth["expect"]["error_code"]), truth["id"]
            continue
        assert status == "published" and dtype == raw["department_type"], truth["id"]
        assert (year, kind) == (rec["document"]["fiscal_year"], rec["document"]["kind"])
        want = tuple(
            None if rec["totals"].get(f) is None else Decimal(rec["totals"][f]) for f in TOTALS_FIELDS
        )
        assert totals[doc_id] == want, truth["id"]
        assert heads[doc_id] == tuple(rec["headcount"].get(f) for f in HEADCOUNT_FIELDS), truth["id"]
        want_lines = [
            (
                fl["code"],
                fl["level"],
                *(None if fl.get(k) is None else Decimal(fl[k]) for k in ("total", "basic", "project")),
            )
            for fl in rec["function_lines"]
        ]
        assert lines.get(doc_id, []) == want_lines, truth["id"]


def test_staging_writes_one_envelope_file_per_record(staging):
    paths = stage_luohu(staging)
    assert sorted(staging.iterdir()) == sorted(paths)  # no temporary file left behind
    env = json.loads(paths[0].read_text(encoding="utf-8"))
    assert set(env) == {
        "doc_id",
        "file_sha256",
        "record_count",
        "source_url",
        "file_name",
        "jurisdiction_hint",
        "fetched_at",
        "parsed_at",
        "parser_version",
        "record",
    }
    assert env["record"] == copy.deepcopy(luohu_record())
