"""Economic lines (basic expenditure by economic class) of tables that print more than one thing
per row: two economic classifications side by side, or the units of a consolidated budget in
blocks. Each document is drawn from page data (`corpus.pagedata`) and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlens.parse import parse_pdf
from corpus.pagedata import render_page_data
from tests.parse.pdfmaker import font_available

pytestmark = pytest.mark.skipif(
    not font_available(), reason="the CJK font WenQuanYi Zen Hei is not installed"
)

TITLE = "一般公共预算基本支出表\n单位：万元"


def _doc(table: list[list[str]]) -> dict:
    return {
        "page_texts": ["某市某局\n2026 年部门预算", TITLE],
        "page_tables": [[], [table]],
    }


def _lines(tmp_path: Path, table: list[list[str]]) -> tuple[list[tuple[str, str, str]], list[str]]:
    [rec] = parse_pdf(render_page_data(_doc(table), tmp_path / "econ.pdf"))
    lines = [(ln["code"], ln["name"], ln["amount"]) for ln in rec["economic_lines"]]
    return lines, [w["message"] for w in rec["warnings"] if w["code"] == "sum_mismatch"]


def test_split_codes_of_two_classifications_read_the_department_one(tmp_path: Path) -> None:
    # 部门 301 | 01 beside 政府 501 | 01: each row is the department class's line, once per
    # government class it is split by (301 under 501 机关 and again under 505 事业)
    table = [
        [
            "科目编码",
            "",
            "部门预算支出经济分类科目名称",
            "科目编码",
            "",
            "政府预算支出经济分类科目名称",
            "基本支出预算",
            "",
            "",
        ],
        ["类", "款", "", "类", "款", "", "小计", "人员支出", "日常公用支出"],
        ["", "", "合计", "", "", "", "130.00", "110.00", "20.00"],
        ["301", "", "工资福利支出", "501", "", "机关工资福利支出", "80.00", "80.00", ""],
        ["301", "01", "基本工资", "501", "01", "工资奖金津补贴", "50.00", "50.00", ""],
        ["301", "13", "住房公积金", "501", "03", "住房公积金", "30.00", "30.00", ""],
        ["301", "", "工资福利支出", "505", "", "对事业单位经常性补助", "30.00", "30.00", ""],
        ["301", "01", "基本工资", "505", "01", "工资福利支出", "30.00", "30.00", ""],
        ["302", "", "商品和服务支出", "502", "", "机关商品和服务支出", "20.00", "", "20.00"],
        ["302", "01", "办公费", "502", "01", "办公经费", "20.00", "", "20.00"],
    ]
    lines, mismatches = _lines(tmp_path, table)
    assert lines == [
        ("301", "工资福利支出", "800000.00"),
        ("30101", "基本工资", "500000.00"),
        ("30113", "住房公积金", "300000.00"),
        ("301", "工资福利支出", "300000.00"),
        ("30101", "基本工资", "300000.00"),
        ("302", "商品和服务支出", "200000.00"),
        ("30201", "办公费", "200000.00"),
    ]
    assert mismatches == []  # every printing of a 类 counts in the total (80 + 30 + 20 = 130)


def test_codes_printed_in_both_classifications_names_read_the_department_one(tmp_path: Path) -> None:
    table = [
        ["政府支出经济分类科目", "部门支出经济分类科目", "预算数", "", ""],
        ["", "", "合计", "人员经费", "公用经费"],
        ["50101-工资奖金津补贴", "30101-基本工资", "17.000000", "17.000000", ""],
        ["50101-工资奖金津补贴", "30102-津贴补贴", "33.000000", "33.000000", ""],
        ["50201-办公经费", "3021101-差旅费", "7.000000", "", "7.000000"],
        ["50501-工资福利支出", "30101-基本工资", "19.000000", "19.000000", ""],
        ["", "合计", "76.000000", "69.000000", "7.000000"],
    ]
    lines, _ = _lines(tmp_path, table)
    # the government code never labels a department line's figure; a 7-digit code is no line
    assert lines == [
        ("30101", "基本工资", "170000.00"),
        ("30102", "津贴补贴", "330000.00"),
        ("30101", "基本工资", "190000.00"),
    ]


def test_units_named_in_the_label_column_are_no_lines_of_the_department(tmp_path: Path) -> None:
    # the department's row, then each unit's block: the department block holds no lines, so the
    # units' lines are not the department's (their sum is a figure the document does not print)
    table = [
        ["支出项目类别", "总计", "一般公共预算拨款"],
        ["某市某局", "100.00", "100.00"],
        ["某市某局（本级）", "60.00", "60.00"],
        ["工资福利支出", "50.00", "50.00"],
        ["商品和服务支出", "10.00", "10.00"],
        ["某市某监测中心", "40.00", "40.00"],
        ["工资福利支出", "30.00", "30.00"],
        ["商品和服务支出", "10.00", "10.00"],
    ]
    lines, mismatches = _lines(tmp_path, table)
    assert lines == []
    assert mismatches == []


def test_a_single_classification_still_reads_every_line(tmp_path: Path) -> None:
    table = [
        ["科目编码", "", "科目名称", "合计", "人员经费", "公用经费"],
        ["类", "款", "", "", "", ""],
        ["", "", "合计", "60.00", "50.00", "10.00"],
        ["301", "", "工资福利支出", "50.00", "50.00", ""],
        ["301", "01", "基本工资", "50.00", "50.00", ""],
        ["302", "", "商品和服务支出", "10.00", "", "10.00"],
        ["302", "1", "办公费", "10.00", "", "10.00"],
    ]
    lines, mismatches = _lines(tmp_path, table)
    assert lines == [
        ("301", "工资福利支出", "500000.00"),
        ("30101", "基本工资", "500000.00"),
        ("302", "商品和服务支出", "100000.00"),
        ("30201", "办公费", "100000.00"),
    ]
    assert mismatches == []


def test_a_total_row_that_misses_its_lines_is_left_out_whole(tmp_path: Path) -> None:
    # the 合计 row read one column to the left (a totals row alone on a page, its label's cell over
    # two columns): 合计 80 against 类 lines of 100. Its 人员经费 and 公用经费 were read with it and
    # go with it; 302 alone is not the 公用经费 the table prints as a column (before parser 0.3.22:
    # 人员经费 20.00 and 公用经费 0.00 written)
    table = [
        ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["301", "工资福利支出", "70.00", "70.00", ""],
        ["30101", "基本工资", "70.00", "70.00", ""],
        ["302", "商品和服务支出", "20.00", "", "20.00"],
        ["30201", "办公费", "20.00", "", "20.00"],
        ["310", "资本性支出", "10.00", "", "10.00"],
        ["31002", "办公设备购置", "10.00", "", "10.00"],
        ["合计", "70.00", "30.00", "", ""],
    ]
    [rec] = parse_pdf(render_page_data(_doc(table), tmp_path / "econ.pdf"))
    totals = rec["totals"]
    assert totals["staff_and_household_cost"] is None
    assert totals["operating_expense"] is None
    assert totals["personnel_expense"] == "700000.00"  # the 301 line, which adds up with its 款
    messages = [w["message"] for w in rec["warnings"] if w["code"] == "unreadable_figures"]
    assert len(messages) == 1 and "its 合计 row is left out" in messages[0], messages
