"""Cell amounts: converted by the table's own unit; codes, percentages and blanks are not amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from warehouse.cells import amount_columns, cell_amount, cell_amounts, column_headers, known_unit


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("2,579", "万元", Decimal("25790000")),
        ("2.65", "万元", Decimal("26500.00")),
        ("371,514,655.00", "元", Decimal("371514655.00")),
        ("1.5", "亿元", Decimal("150000000.0")),
        ("0", "万元", Decimal(0)),
        ("0.00", "元", Decimal(0)),
        ("-", "万元", Decimal(0)),
        ("—", "万元", Decimal(0)),
        ("（12）", "万元", Decimal("-120000")),
        ("２，５７９", "万元", Decimal("25790000")),
        ("", "万元", None),
        ("   ", "万元", None),
        (None, "万元", None),
        ("一、政府预算拨款", "万元", None),
        ("5%", "万元", None),
        ("01", "万元", None),  # a 款/项 code part
    ],
)
def test_cell_amount(text, unit, expected):
    assert cell_amount(text, unit) == expected


@pytest.mark.parametrize(
    ("unit", "known"),
    [("万元", True), ("单位：元", True), ("亿元", True), ("美元", False), (None, False), ("", False)],
)
def test_known_unit(unit, known):
    assert known_unit(unit) is known


def test_merged_header_text_fills_its_span():
    header = [["科目编码", "", "", "科目名称", "合计"], ["类", "款", "项", "", ""]]
    assert column_headers(header, 5)[1] == ["科目编码", "款"]
    assert amount_columns("general_budget_by_function", header, 5) == [False, False, False, True, True]


@pytest.mark.parametrize(
    ("kind", "header", "expected"),
    [
        ("expense", [["功能分类科目代码", "科目名称", "合计"]], [False, True, True]),
        ("three_public", [["项目", "2022年", "比上年增减（%）"]], [True, True, False]),
        ("three_public", [["比上年增减", ""], ["金额", "%"]], [True, False]),
        ("performance", [["一级指标", "二级指标", "三级指标", "指标值"]], [False, False, False, False]),
        ("performance", [["项目", "资金金额（万元）"]], [False, True]),
        ("summary", [], [True, True]),
    ],
)
def test_amount_columns(kind, header, expected):
    assert amount_columns(kind, header, len(expected)) == expected


def test_cell_amounts_use_the_tables_unit():
    wan = {"kind": "summary", "unit": "万元", "header": [], "rows": [["收入总计", "2,579"]]}
    yuan = {"kind": "summary", "unit": "元", "header": [], "rows": [["收入总计", "25,790,000.00"]]}
    unknown = {"kind": "summary", "unit": "美元", "header": [], "rows": [["收入总计", "2,579"]]}
    assert cell_amounts(wan) == [[None, Decimal("25790000")]]
    assert cell_amounts(yuan) == [[None, Decimal("25790000.00")]]
    assert cell_amounts(unknown) == [[None, None]]


def test_function_table_code_columns_are_never_amounts():
    table = {
        "kind": "general_budget_by_function",
        "unit": "万元",
        "header": [["科目编码", "", "", "科目名称", "合计"], ["类", "款", "项", "", ""]],
        "rows": [["206", "", "", "科学技术支出", "2,224"], ["206", "01", "01", "行政运行", "897"]],
    }
    assert cell_amounts(table) == [
        [None, None, None, None, Decimal("22240000")],
        [None, None, None, None, Decimal("8970000")],
    ]
