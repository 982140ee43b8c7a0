"""Codes, labels and lines: pure helpers of the table reading."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetlens.parse.classification import code_of, local_codes, split_in_name
from budgetlens.parse.extract import function_lines, join_code, row_key, units_named
from budgetlens.parse.grid import Cell, Grid
from budgetlens.parse.grid.text import is_amount_text, is_figure_like, is_value_text
from budgetlens.parse.tables import Table


@pytest.mark.parametrize(
    ("parts", "carry", "code"),
    [
        (["2060101"], [], "2060101"),
        (["[206]"], [], "206"),
        (["206", "01", "01"], [], "2060101"),
        (["206", "01", ""], [], "20601"),
        (["206", "", ""], [], "206"),
        (["301", "2"], [], "30102"),  # a 款 printed without its leading zero
        (["", "01", "02"], ["206", "01"], "2060102"),  # 类 printed once, carried down
        (["合计"], [], None),
        (["", "", ""], [], None),
        (["20805", "", ""], [], "20805"),  # the whole code printed under 类, 款 | 项 left blank
        (["2080501", "", ""], [], "2080501"),
        (["20805", "01", ""], [], None),  # a whole code and a 款 beside it: not a code
        (["2061"], [], None),
    ],
)
def test_join_code(parts: list[str], carry: list[str], code: str | None) -> None:
    assert join_code(parts, carry) == code


@pytest.mark.parametrize(
    ("label", "k"),
    [
        ("一、政府预算拨款", "政府预算拨款"),
        ("1. 一般公共预算拨款", "一般公共预算拨款"),
        ("（二）财政专户管理资金", "财政专户管理资金"),
        ("其中：面向中小企业", "面向中小企业"),
        ("收 入 总 计", "收入总计"),
        ("上年结余、结转", "上年结余、结转"),
    ],
)
def test_row_key(label: str, k: str) -> None:
    assert row_key(label) == k


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "科学技术支出（类）科学技术管理事务（款）行政运行（项）",
            ["科学技术支出", "科学技术管理事务", "行政运行"],
        ),
        ("社会保障和就业支出（类）", ["社会保障和就业支出"]),
        ("一般公共服务支出", None),
    ],
)
def test_split_in_name(text: str, parts: list[str] | None) -> None:
    assert split_in_name(text) == parts


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        (["科学技术支出"], "206"),
        (["科学技术支出", "科学技术管理事务", "行政运行"], "2060101"),
        (["社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"], "2080505"),
        (["社会保障和就业支出", "行政事业单位离退休", "未归口管理的行政单位离退休"], "2080504"),  # older name
        (["一般公共服务支出", "商贸事务", "其他商贸事务支出"], "2011399"),
        (["公共安全支出", "司法", "事业运行"], "2040650"),  # the rule every 款 follows
        (
            ["科学技术支出", "技术与研究开发", "其他技术与研究开发支出"],
            "2060499",
        ),  # names drift between years
        (["住房保障支出", "住房改革支出", "住房公积金"], "2210201"),
        (["不存在的支出"], None),
    ],
)
def test_code_of_names(parts: list[str], code: str | None) -> None:
    assert code_of(parts) == code


def test_the_documents_own_codes_come_first() -> None:
    local = local_codes(
        [("216", "商业服务业等支出"), ("21699", "其他商业服务业等支出"), ("2169901", "菜场补贴")]
    )
    assert code_of(["商业服务业等支出", "其他商业服务业等支出", "菜场补贴"], local) == "2169901"


@pytest.mark.parametrize(
    ("text", "amount", "value", "figure"),
    [
        ("2,579", True, True, True),
        ("371,514,655.00", True, True, True),
        ("0", True, True, True),
        ("-", False, True, True),
        ("—", False, True, True),
        ("2,000,000.", False, False, True),  # the first half of a figure wrapped in its cell
        ("34,044,50", False, False, True),
        ("合计", False, False, False),
        ("2022年", False, False, False),
    ],
)
def test_figure_predicates(text: str, amount: bool, value: bool, figure: bool) -> None:
    assert (is_amount_text(text), is_value_text(text), is_figure_like(text)) == (amount, value, figure)


def _unit_table(*names: str) -> Table:
    """A table listing units in a 单位名称 column, one row each, the department's first."""
    grid = Grid(columns=[(0.0, 100.0), (100.0, 200.0)])
    grid.paths = [["单位名称"], ["合计"]]
    grid.rows = [[Cell(n), Cell("1.00")] for n in names]
    return Table(kind="income", title="收入总表", number="表2", unit="万元", pages=[1], grid=grid)


def test_pieces_of_a_unit_name_wrapped_in_its_cell_are_no_units() -> None:
    # one table prints the name whole; another, unruled, wraps it into rows of its own
    whole = _unit_table("杭州市司法局", "杭州市东郊监狱", "杭州市富春强制隔离戒毒所")
    pieces = _unit_table("杭州市司法局", "杭州市富春", "强制隔离戒毒", "所", "杭州市法律援助中心")
    assert units_named([whole, pieces]) == [
        "杭州市东郊监狱",
        "杭州市富春强制隔离戒毒所",
        "杭州市法律援助中心",
    ]


def test_a_unit_whose_name_is_inside_another_units_name_stays_a_unit() -> None:
    tables = [_unit_table("深圳市某局", "深圳市某局", "深圳市某局（本级）", "深圳市某中心")]
    assert units_named(tables) == ["深圳市某局", "深圳市某局（本级）", "深圳市某中心"]


def test_a_row_of_marks_opens_no_unit_block() -> None:
    """A page number read into a table of unit blocks ('-26 | -', its dash a 'nothing' mark) is no
    unit's row: the department's lines after it stay the department's."""
    grid = Grid(columns=[(float(x), float(x + 100)) for x in range(0, 600, 100)])
    grid.paths = [["预算单位"], ["科目编码"], ["科目名称"], ["支出总计"], ["基本支出"], ["项目支出"]]
    printed = [
        ["深圳市某局", "", "", "183.00", "124.00", "59.00"],
        ["", "210", "卫生健康支出", "124.00", "124.00", "0.00"],
        ["", "21011", "行政事业单位医疗", "124.00", "124.00", "0.00"],
        ["", "", "-26", "-", "", ""],
        ["", "213", "农林水支出", "59.00", "0.00", "59.00"],
        ["", "21302", "林业和草原", "59.00", "0.00", "59.00"],
        ["深圳市某中心", "", "", "59.00", "0.00", "59.00"],
        ["", "213", "农林水支出", "59.00", "0.00", "59.00"],
    ]
    grid.rows = [[Cell(t) for t in row] for row in printed]
    table = Table(
        kind="general_budget_by_function",
        title="一般公共预算支出表",
        number="表7",
        unit="万元",
        pages=[1],
        grid=grid,
    )
    lines, totals, _ = function_lines(table)
    assert [ln.code for ln in lines] == ["210", "21011", "213", "21302"]
    assert str(totals["total"].value) == "1830000.00"  # 万元 in yuan


@pytest.mark.parametrize(
    ("printed", "row"),
    [
        # the 合计 row's label lost (a wide table cut through its label columns): the first line is
        # 201's, never the table's totals (its figures were the department's basic / project before
        # parser 0.3.33)
        (
            [
                ["201", "一般公共服务支出", "2,932,700", "0", "2,932,700"],
                ["20105", "统计信息事务", "257,700", "0", "257,700"],
            ],
            None,
        ),
        ([["[201]一般公共服务支出", "", "2,932,700", "0", "2,932,700"]], None),
        # a table of one row of totals, unlabelled; a unit's row
        ([["", "", "13,377.11", "6,522.75", "4,968.34"]], 0),
        (
            [
                ["深圳市某局", "", "183.00", "124.00", "59.00"],
                ["210", "卫生健康支出", "124.00", "124.00", "0.00"],
            ],
            0,
        ),
        (
            [
                ["201", "一般公共服务支出", "2,932,700", "0", "2,932,700"],
                ["合计", "", "2,932,700", "0", "2,932,700"],
            ],
            1,
        ),
    ],
)
def test_a_classified_line_is_never_the_tables_totals(printed: list[list[str]], row: int | None) -> None:
    from budgetlens.parse.extract import total_row

    grid = Grid(columns=[(float(x), float(x + 100)) for x in range(0, 500, 100)])
    grid.paths = [["科目编码"], ["科目名称"], ["合计"], ["基本支出"], ["项目支出"]]
    grid.rows = [[Cell(t) for t in r] for r in printed]
    table = Table(kind="expense", title="支出总表", number="表3", unit="元", pages=[1], grid=grid)
    assert total_row(table) == row


def test_a_code_column_takes_no_role_whatever_its_header_holds() -> None:
    """A totals row whose figure is not printed (or not read) is taken into the header, so 合计
    stands under 科目编码: the code column was then the total's column, and line 301's code read as
    its figure (301 万元). Only columns of figures take roles."""
    from budgetlens.parse.extract import ECONOMIC_ROLES, column_roles, economic_lines

    grid = Grid(columns=[(0.0, 100.0), (100.0, 200.0), (200.0, 300.0)])
    grid.paths = [["科目编码", "合计"], ["科目名称"], []]
    grid.rows = [[Cell(a), Cell(b), Cell(c)] for a, b, c in [("301", "工资福利支出", "11,960.62")]]
    table = Table(
        kind="basic_by_economic", title="基本支出表", number=None, unit="万元", pages=[1], grid=grid
    )
    assert column_roles(table, ECONOMIC_ROLES) == {}
    [(code, _, amount, _)] = economic_lines(table)[0]
    assert code == "301" and amount is not None and amount.value == Decimal("119606200.00")
