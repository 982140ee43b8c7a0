"""One budget per department-year: split publications joined, newer files replacing older ones."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from budgetlens.fields import HEADCOUNT_FIELDS, TOTALS_FIELDS
from warehouse.budgets import join_rows, plan
from warehouse.db import connect
from warehouse.loader import load_staged
from warehouse.staging import stage_records

from .records import luohu_record, sha

T0 = "2026-01-05T02:00:00+00:00"
T1 = "2026-02-05T02:00:00+00:00"
KEY = {"jurisdiction": "深圳市罗湖区", "department_key": "科技创新局", "fiscal_year": 2022, "kind": "budget"}


def member(doc_id: str, tables: int, fetched: datetime | None = None, **key) -> dict:
    return {"doc_id": doc_id, **KEY, **key, "table_count": tables, "fetched_at": fetched}


def test_plan_joins_a_text_part_to_its_tables_part():
    p = plan([member("text", 0), member("tables", 13)])
    assert p.part_of == {"text": "tables", "tables": None}
    assert p.replaced_by == {"text": None, "tables": None}
    assert p.parts() == {"tables": ["text"]}


def test_plan_keeps_the_newer_of_two_files_only_with_evidence_and_says_why():
    jan, feb, mar = (datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3))
    # a run started between the two fetches: the later file was first seen in a later run
    p = plan([member("b-old", 13, jan), member("a-new", 13, mar)], run_starts=[jan, feb])
    assert p.replaced_by == {"b-old": "a-new", "a-new": None}
    [r] = p.replacements
    assert (r.old, r.new) == ("b-old", "a-new") and r.basis.startswith("first fetched in a later run")
    # fetched in the same run, no Last-Modified: no order, both stay for the quality gate to decide
    p = plan([member("x", 13, jan), member("y", 13, feb)], run_starts=[jan])
    assert set(p.replaced_by.values()) == {None} and p.replacements == []
    # the site's Last-Modified orders them whatever the fetch order
    p = plan(
        [
            member("x", 13, feb, last_modified="Mon, 02 Mar 2026 08:00:00 GMT"),
            member("y", 13, jan, last_modified="Thu, 05 Mar 2026 08:00:00 GMT"),
        ]
    )
    assert p.replaced_by == {"x": "y", "y": None} and p.replacements[0].basis.startswith(
        "Last-Modified 2026-03-05"
    )
    # equal Last-Modified (a server that stamps its start time): no evidence from it
    same = "Mon, 02 Mar 2026 08:00:00 GMT"
    p = plan([member("x", 13, feb, last_modified=same), member("y", 13, jan, last_modified=same)])
    assert p.replacements == []


def test_plan_leaves_other_keys_and_unknown_keys_alone():
    p = plan(
        [
            member("a", 13),
            member("b", 13, fiscal_year=2023),
            member("c", 0, department_key=None),
            member("d", 0, department_key=None),
        ]
    )
    assert set(p.part_of.values()) == {None} and set(p.replaced_by.values()) == {None}
    # two text parts and a tables part: the newer text joins, the older is replaced by it
    old, new = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    p = plan([member("t1", 0, old), member("t2", 0, new), member("tab", 9, old)], run_starts=[new])
    assert p.part_of["t2"] == "tab" and p.replaced_by["t1"] == "t2" and p.part_of["t1"] is None
    # two text parts without an order: which one is the budget's text is unknown, so none joins
    p = plan([member("t1", 0, old), member("t2", 0, new), member("tab", 9, old)])
    assert set(p.part_of.values()) == {None}


def test_join_fills_only_null_fields_and_keeps_the_parts_place():
    budget = {"totals": {"expense_total": Decimal(100), "agency_running_cost": None}, "headcount": {}}
    part = {
        "totals": {"expense_total": Decimal(101), "agency_running_cost": Decimal(7)},
        "headcount": {"internal_divisions": 5},
        "provenance": [{"field_path": "totals.agency_running_cost", "page": 3, "x0": 1.0, "source": "prose"}],
        "observations": [
            {"field": "totals.expense_total", "value": Decimal(101), "canonical": True, "page": 2},
            {"field": "totals.agency_running_cost", "value": Decimal(7), "canonical": True, "page": 3},
        ],
    }
    j = join_rows("B", budget, [("T", part)], 40)
    # the tables part's own expense_total is never overwritten (the prose printing is compared with it)
    assert j.fill == {"totals": {"agency_running_cost": Decimal(7)}, "headcount": {"internal_divisions": 5}}
    prov = {r["field_path"]: r for r in j.provenance}
    assert (
        prov["totals.agency_running_cost"]["page"] == 3
        and prov["totals.agency_running_cost"]["part_doc_id"] == "T"
    )
    assert [(o["obs_index"], o["canonical"], o["doc_id"], o["part_doc_id"]) for o in j.observations] == [
        (40, False, "B", "T"),
        (41, True, "B", "T"),
    ]


def _split(record: dict, file_sha: str) -> tuple[dict, dict]:
    """The record as a tables part (no prose figures: agency_running_cost and headcount left out) and
    a text part (no tables; the prose states agency_running_cost, internal_divisions and the total)."""
    tables = copy.deepcopy(record)
    tables["totals"]["agency_running_cost"] = None
    tables["headcount"] = dict.fromkeys(HEADCOUNT_FIELDS)
    text = copy.deepcopy(record)
    text["source"] = {**text["source"], "sha256": file_sha, "file": "情况说明.pdf"}
    text["totals"] = dict.fromkeys(TOTALS_FIELDS) | {
        "agency_running_cost": record["totals"]["agency_running_cost"],
        "expense_total": record["totals"]["expense_total"],
    }
    text["headcount"] = dict.fromkeys(HEADCOUNT_FIELDS) | {"internal_divisions": 5}
    for k in (
        "function_lines",
        "economic_lines",
        "projects",
        "procurement_lines",
        "performance_targets",
        "tables",
    ):
        text[k] = []
    text["observations"] = [
        {
            "field": "totals.expense_total",
            "where": "prose",
            "label": "支出预算2,579万元",
            "printed": "2,579",
            "unit": "万元",
            "value": record["totals"]["expense_total"],
            "canonical": True,
            "page": 4,
            "bbox": [10, 20, 30, 40],
        }
    ]
    text["provenance"] = {"totals.agency_running_cost": {"page": 5, "bbox": [1, 2, 3, 4], "source": "prose"}}
    text["passages"] = [{"text": "其中：基本支出952万元，占36.91%", "page": 4}]
    return tables, text


def _stage(staging: Path, tables: dict, text: dict) -> list[Path]:
    return stage_records(staging, [tables], fetched_at=T0, source_url="http://x/tables.pdf") + stage_records(
        staging, [text], fetched_at=T0, source_url="http://x/text.pdf"
    )


def test_a_split_publication_is_one_budget_with_each_figure_in_its_own_file(wh_path, staging):
    tables, text = _split(luohu_record(), sha("text-part"))
    paths = _stage(staging, tables, text)
    report = load_staged(wh_path, paths)
    t_id, x_id = sha("luohu-kjcxj-2022"), sha("text-part")
    assert report.joined == {t_id: [x_id]}
    con = connect(wh_path, read_only=True)
    try:
        assert con.execute("select doc_id from current_documents").fetchall() == [(t_id,)]
        assert con.execute("select part_of from documents where doc_id = ?", [x_id]).fetchone() == (t_id,)
        row = con.execute(
            "select agency_running_cost, expense_total from totals where doc_id = ?", [t_id]
        ).fetchone()
        assert row == (Decimal("870000.00"), Decimal("25790000.00"))
        assert con.execute(
            "select internal_divisions from headcount where doc_id = ?", [t_id]
        ).fetchone() == (5,)
        prov = con.execute(
            "select field_path, page, part_doc_id from provenance where doc_id = ? and part_doc_id is not null "
            "order by field_path",
            [t_id],
        ).fetchall()
        assert prov == [("headcount.internal_divisions", None, x_id), ("totals.agency_running_cost", 5, x_id)]
        obs = con.execute(
            "select place, canonical, page from observations where doc_id = ? and part_doc_id = ?",
            [t_id, x_id],
        ).fetchall()
        assert obs == [("prose", False, 4)]  # the text's printing of the total, compared with the tables'
        # the text's sentences stating shares are the budget's too (prose_shares_match_tables reads them)
        passages = con.execute(
            "select text, page, part_doc_id from passages where doc_id = ?", [t_id]
        ).fetchall()
        assert passages == [("其中：基本支出952万元，占36.91%", 4, x_id)]
    finally:
        con.close()

    # loading either part again gives the same budget (borrowed rows are replaced, never doubled)
    again = load_staged(wh_path, paths[1:])
    assert again.joined == {t_id: [x_id]}
    con = connect(wh_path, read_only=True)
    try:
        n = con.execute(
            "select count(*) from observations where doc_id = ? and part_doc_id is not null", [t_id]
        )
        assert n.fetchone() == (1,)
        assert con.execute("select count(*) from provenance where part_doc_id is not null").fetchone() == (2,)
        assert con.execute("select count(*) from passages where doc_id = ?", [t_id]).fetchone() == (1,)
    finally:
        con.close()


def test_the_quality_stage_checks_the_prose_of_one_part_against_the_tables_of_the_other(wh_path, staging):
    from expectations.stage import run_quality

    tables, text = _split(luohu_record(), sha("text-part"))
    text["observations"][0].update(printed="2,679", value="26790000.00", label="支出预算2,679万元")
    load_staged(wh_path, _stage(staging, tables, text))
    con = connect(wh_path)
    try:
        report = run_quality(con, None)
        assert report.documents == 1  # the text part is no budget of its own
        (doc_id, _, reason), *_ = report.quarantined  # the grand total contradicts the prose
        assert doc_id == sha("luohu-kjcxj-2022")
        assert "情况说明.pdf 第4页" in reason and "2,679" in reason
    finally:
        con.close()


def test_a_corrected_file_under_a_new_url_replaces_the_older_and_is_named(wh_path, staging):
    old = luohu_record(sha("old"))
    new = luohu_record(sha("new"))
    new["totals"]["agency_running_cost"] = "880000.00"  # the correction
    paths = stage_records(staging, [old], fetched_at=T0, source_url="http://x/a.pdf")
    load_staged(wh_path, paths)
    con = connect(wh_path)
    try:  # the pipeline run that fetched the corrected file started after the first fetch
        con.execute(
            "insert into runs values ('run-2', ?, null, 'running', null)", ["2026-01-20T00:00:00+00:00"]
        )
    finally:
        con.close()
    report = load_staged(wh_path, stage_records(staging, [new], fetched_at=T1, source_url="http://y/b.pdf"))
    [r] = report.replaced
    assert (r["old"], r["new"]) == (sha("old"), sha("new")) and "later run" in r["basis"]
    con = connect(wh_path, read_only=True)
    try:
        assert con.execute("select doc_id from current_documents").fetchall() == [(sha("new"),)]
        hist = con.execute("select doc_id, replaced_by from documents order by fetched_at").fetchall()
        assert hist == [(sha("old"), sha("new")), (sha("new"), None)]  # the older stays, as history
    finally:
        con.close()


def test_the_report_links_a_borrowed_figure_to_the_text_parts_page_and_the_summary_names_the_join(
    wh_path, staging
):
    from budgetlens.report.data import load_report_data
    from budgetlens.report.render import Links
    from expectations.stage import run_quality
    from warehouse.budgets import describe
    from warehouse.models import build_models

    tables, text = _split(luohu_record(), sha("text-part"))
    report = load_staged(wh_path, _stage(staging, tables, text))
    t_id, x_id = sha("luohu-kjcxj-2022"), sha("text-part")
    con = connect(wh_path)
    try:
        run_quality(con, None)
        build_models(con)
        data = load_report_data(con)
        lines = describe(con, report.joined, report.replaced)
    finally:
        con.close()
    assert lines == [
        f"one budget from two files: 情况说明.pdf (text) joined to {tables['source']['file']} (tables)"
    ]
    assert data.pages[(t_id, "totals.agency_running_cost")] == (5, x_id)
    assert data.pages[(t_id, "totals.expense_total")][1] == t_id
    links = Links({t_id, x_id}, data.pages, data.sources)
    assert links.pdf_href(x_id, "", 5) == f"pdf/{x_id}.pdf#page=5"  # the text part's file, its page
