"""record.observations load into the observations table exactly (amounts and headcounts)."""

from __future__ import annotations

from decimal import Decimal

import duckdb

from warehouse.loader import load_staged
from warehouse.staging import stage_records


def _record(observations):
    return {
        "schema": "budgetlens.budget/1",
        "source": {"file": "x.pdf", "sha256": "b" * 64, "pages": [1, 2], "page_count": 2},
        "document": {
            "jurisdiction": "深圳市罗湖区",
            "department": "深圳市罗湖区科技创新局",
            "fiscal_year": 2022,
            "kind": "budget",
            "scope": "department",
        },
        "headcount": {},
        "totals": {},
        "function_lines": [],
        "economic_lines": [],
        "projects": [],
        "procurement_lines": [],
        "performance_targets": [],
        "tables": [],
        "provenance": {},
        "observations": observations,
        "warnings": [],
        "error": None,
    }


def test_observations_round_trip(tmp_path):
    obs = [
        {
            "field": "totals.expense_total",
            "where": "summary",
            "label": "支出总计",
            "printed": "2,579",
            "unit": "万元",
            "value": "25790000.00",
            "canonical": True,
            "page": 10,
            "bbox": [1.0, 2.0, 3.0, 4.5],
        },
        {
            "field": "totals.expense_total",
            "where": "prose",
            "label": "部门预算支出2,580万元",
            "printed": "2,580",
            "unit": "万元",
            "value": "25800000.00",
            "canonical": False,
            "page": 4,
            "bbox": [5, 6, 7, 8],
        },
        {
            "field": "headcount.admin_actual",
            "where": "prose",
            "label": "实有在编人数 11 人",
            "printed": "11",
            "unit": None,
            "value": 11,
            "canonical": True,
            "page": 3,
            "bbox": [1, 1, 2, 2],
        },
    ]
    paths = stage_records(
        tmp_path / "st", [_record(obs)], file_sha256="b" * 64, source_url="u", file_name="x.pdf"
    )
    report = load_staged(str(tmp_path / "wh.duckdb"), paths)
    assert report.rows["observations"] == 3
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    rows = con.execute(
        "select field, place, printed, unit, value, canonical, page, x0, bottom from observations order by obs_index"
    ).fetchall()
    assert rows == [
        ("totals.expense_total", "summary", "2,579", "万元", Decimal("25790000.00"), True, 10, 1.0, 4.5),
        ("totals.expense_total", "prose", "2,580", "万元", Decimal("25800000.00"), False, 4, 5.0, 8.0),
        ("headcount.admin_actual", "prose", "11", None, Decimal("11"), True, 3, 1.0, 2.0),
    ]
