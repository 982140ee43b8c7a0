"""execution_comparison: what was spent against what was budgeted, per department-year."""

from __future__ import annotations

from decimal import Decimal

import duckdb

from warehouse.db import connect
from warehouse.models import build_models

from .world import hand_record, load_hand_records

J = "深圳市罗湖区"


def final_accounts(label: str, department: str, year: int, **figures) -> dict:
    rec = hand_record(label, jurisdiction=J, department=department, fiscal_year=year, **figures)
    rec["document"]["kind"] = "final_accounts"
    return rec


def _build(wh) -> duckdb.DuckDBPyConnection:
    con = connect(wh)
    build_models(con)
    return con


def row(con, department: str) -> dict:
    cur = con.execute("select * from execution_comparison where department = ?", [department])
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    assert len(rows) == 1, rows
    return rows[0]


def test_spent_against_budgeted_with_rates_and_differences(wh_path, staging):
    a, b = "深圳市罗湖区科技创新局", "深圳市罗湖区教育局"
    ids = load_hand_records(
        wh_path,
        staging,
        {
            "a-budget": hand_record("a-budget", jurisdiction=J, department=a, fiscal_year=2022),
            "a-final": final_accounts(
                "a-final",
                a,
                2022,
                basic_expense="9000000.00",
                project_expense="15000000.00",
                three_public_total="20000.00",
                agency_running_cost=None,
                procurement_total="2500000.00",
                carryover_out="1800000.00",
                expense_total="25800000.00",
            ),
            "b-budget": hand_record("b-budget", jurisdiction=J, department=b, fiscal_year=2022),
            "b-final-2021": final_accounts("b-final-2021", b, 2021),  # another year: no pair
        },
    )
    con = _build(wh_path)
    try:
        r = row(con, a)
        assert (r["doc_id"], r["final_doc_id"]) == (ids["a-budget"], ids["a-final"])
        # this year's expenditure: basic + project on both sides (the 决算's 支出总计 holds the balance)
        assert r["expense_budgeted"] == Decimal("25790000.00") and r["expense_spent"] == Decimal(
            "24000000.00"
        )
        assert r["expense_rate"] == float(Decimal("24000000") / Decimal("25790000"))
        assert r["expense_difference"] == Decimal("-1790000.00")
        assert r["three_public_total_rate"] == 20000 / 26500
        assert (
            r["agency_running_cost_spent"] is None and r["agency_running_cost_rate"] is None
        )  # absent: null
        assert r["procurement_total_difference"] == Decimal("-500000.00")
        assert con.execute(
            "select count(*) from execution_comparison where department = ?", [b]
        ).fetchone() == (0,)
        stats = con.execute(
            "select metric, value from peer_statistics where comparison = 'execution' and doc_id = ? "
            "and peer_scope = 'jurisdiction' order by metric",
            [ids["a-budget"]],
        ).fetchall()
        assert dict(stats) == {
            "expense_rate": r["expense_rate"],
            "procurement_total_rate": r["procurement_total_rate"],
            "three_public_total_rate": r["three_public_total_rate"],
        }
    finally:
        con.close()


def test_a_withheld_figure_is_null_and_the_reason_is_given(wh_path, staging):
    a = "深圳市罗湖区科技创新局"
    ids = load_hand_records(
        wh_path,
        staging,
        {
            "a-budget": hand_record("a-budget", jurisdiction=J, department=a, fiscal_year=2022),
            "a-final": final_accounts("a-final", a, 2022, three_public_total="20000.00"),
        },
    )
    con = connect(wh_path)
    try:
        con.execute(
            "insert into quality_results values (?, 'printings_agree_across_tables', 'crosscheck', 'withheld', "
            "'totals.three_public_total@three_public#3', '三公 2.00 万元 ≠ 2.10 万元', now())",
            [ids["a-final"]],
        )
        build_models(con)
        r = row(con, a)
    finally:
        con.close()
    assert r["three_public_total_budgeted"] == Decimal("26500.00")
    assert r["three_public_total_spent"] is None and r["three_public_total_rate"] is None
    assert r["withheld"] == ["final accounts three_public_total: 三公 2.00 万元 ≠ 2.10 万元"]


def test_the_report_page_draws_budgeted_against_spent_and_links_each_side_to_its_file(
    wh_path, staging, tmp_path
):
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    from budgetlens.report.build import build_report

    a = "深圳市罗湖区科技创新局"
    budget = hand_record("a-budget", jurisdiction=J, department=a, fiscal_year=2022)
    budget["provenance"] = {"totals.basic_expense": {"page": 12, "bbox": [1, 2, 3, 4], "source": "table"}}
    final = final_accounts("a-final", a, 2022, basic_expense="9000000.00", project_expense="15000000.00")
    final["provenance"] = {"totals.basic_expense": {"page": 7, "bbox": [1, 2, 3, 4], "source": "table"}}
    ids = load_hand_records(wh_path, staging, {"a-budget": budget, "a-final": final})
    raw = tmp_path / "raw"
    for doc_id in ids.values():
        (raw / doc_id[:2]).mkdir(parents=True, exist_ok=True)
        (raw / doc_id[:2] / f"{doc_id}.pdf").write_bytes(b"%PDF-1.4 stand-in")
    con = _build(wh_path)
    try:
        result = build_report(con, tmp_path / "out", raw_dir=raw)
    finally:
        con.close()
    html = (result.index.parent / "execution.html").read_text(encoding="utf-8")
    doc = HTMLParser(html)
    svg = doc.css_first("svg.chart")
    assert svg is not None and svg.css_first("line.diagonal") is not None and "spent = budgeted" in svg.html
    [tr] = doc.css("table#t-execution tbody tr")
    links = {a.attributes["href"] for a in tr.css("a")}
    assert f"pdf/{ids['a-budget']}.pdf#page=12" in links  # budgeted: the budget's page
    assert f"pdf/{ids['a-final']}.pdf#page=7" in links  # spent: the final accounts' page
