"""Grid reconstruction from lines and rules: ruled grids, horizontal rules only, unruled tables."""

from __future__ import annotations

import pytest

from budgetlens.parse.grid.build import build_grid
from budgetlens.parse.grid.rivers import river_bounds, river_intervals
from budgetlens.parse.layout import make_line
from budgetlens.parse.pdfdoc import Char, Rule


def cells(*row: tuple[float, str], top: float, size: float = 9.0) -> list[Char]:
    """Glyphs of one printed line: (x, text) pieces; figures right-aligned at x when x < 0."""
    out = []
    for x, text in row:
        widths = [size if ord(ch) > 0x2E80 else 0.55 * size for ch in text]
        if x < 0:  # right-aligned at -x
            x = -x - sum(widths)
        for ch, w in zip(text, widths, strict=True):
            out.append(Char(ch, x, top, x + w, top + size * 1.15))
            x += w
    return out


def lines(rows: list[list[tuple[float, str]]], top: float = 100, pitch: float = 16) -> list:
    return [make_line(cells(*r, top=top + i * pitch), 1) for i, r in enumerate(rows)]


TABLE = [
    [(60, "科目编码"), (140, "科目名称"), (300, "支出总计"), (380, "基本支出"), (460, "项目支出")],
    [(60, "201"), (140, "一般公共服务支出"), (-350, "60"), (-430, "0"), (-510, "60")],
    [(60, "20132"), (140, "组织事务"), (-350, "60"), (-430, "0"), (-510, "60")],
    [(60, "206"), (140, "科学技术支出"), (-350, "2,224"), (-430, "657"), (-510, "1,567")],
]


def texts(grid) -> list[list[str]]:
    return [[c.text for c in r] for r in grid.rows]


def test_unruled_table_columns_from_rivers() -> None:
    grid = build_grid([(lines(TABLE), [])])
    assert [h[-1] for h in grid.paths] == ["科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]
    assert texts(grid) == [
        ["201", "一般公共服务支出", "60", "0", "60"],
        ["20132", "组织事务", "60", "0", "60"],
        ["206", "科学技术支出", "2,224", "657", "1,567"],
    ]


def test_ruled_grid_uses_the_rules() -> None:
    ls = lines(TABLE)
    xs = [55, 135, 290, 355, 435, 515]
    top, bottom = 98, 100 + 4 * 16 - 2
    rules = [Rule(x, top, x + 0.5, bottom) for x in xs]
    rules += [Rule(55, y, 515, y + 0.5) for y in (98, 114, 130, 146, 162)]
    grid = build_grid([(ls, rules)])
    assert texts(grid)[2] == ["206", "科学技术支出", "2,224", "657", "1,567"]
    assert grid.rows[0][2].box[0] == 1  # page


def test_a_figure_printed_a_little_over_its_rule_stays_whole() -> None:
    """A figure whose last digit reaches past its cell's rule (the font wider than the one the
    table was laid out for) is its cell's whole figure: before, '16,410.71' was read as 16,410.7 and
    the stray '1' went to the next cell."""
    rows = [
        [(45, "项目"), (300, "预算"), (425, "项目"), (700, "预算")],
        [
            (45, "一、一般公共预算"),
            (-425.3, "16,410.71"),
            (430.5, "一、一般公共服务支出"),
            (-790, "8,812.33"),
        ],
        [(45, "二、政府性基金预算"), (-415, "0.00"), (430.5, "二、外交支出"), (-790, "0.00")],
    ]
    ls = []
    for i, r in enumerate(rows):
        chars = cells(*r, top=100 + i * 16)
        # the label after the figure follows a printed space, a little over half an em away (one
        # segment with it, as the office suite writes it)
        chars = [
            Char(c.text, c.x0, c.top, c.x1, c.bottom, True) if c.text == "一" and 426 < c.x0 < 432 else c
            for c in chars
        ]
        ls.append(make_line(chars, 1))
    xs = [42, 231, 420, 609, 798]
    rules = [Rule(x, 98, x + 0.5, 146) for x in xs]
    rules += [Rule(42, y, 798, y + 0.5) for y in (98, 114, 130, 146)]
    grid = build_grid([(ls, rules)])
    assert texts(grid) == [
        ["一、一般公共预算", "16,410.71", "一、一般公共服务支出", "8,812.33"],
        ["二、政府性基金预算", "0.00", "二、外交支出", "0.00"],
    ]


def test_two_figures_run_together_across_a_rule_part_there() -> None:
    rows = [
        [(60, "项目"), (150, "甲"), (250, "乙")],
        [(60, "合计"), (178, "1234"), (200, "5678")],
    ]
    ls = lines(rows)
    rules = [Rule(x, 98, x + 0.5, 130) for x in (55, 140, 200, 280)]
    rules += [Rule(55, y, 280, y + 0.5) for y in (98, 114, 130)]
    grid = build_grid([(ls, rules)])
    assert texts(grid) == [["合计", "1234", "5678"]]


def test_a_column_left_blank_in_every_row_keeps_its_header() -> None:
    rows = [
        [(60, "项目"), (200, "合计"), (280, "基本支出"), (360, "项目支出")],
        [(60, "甲"), (-240, "10"), (-400, "10")],
        [(60, "乙"), (-240, "20"), (-400, "20")],
    ]
    grid = build_grid([(lines(rows), [])])
    assert [h[-1] for h in grid.paths] == ["项目", "合计", "基本支出", "项目支出"]
    assert texts(grid) == [["甲", "10", "", "10"], ["乙", "20", "", "20"]]


def test_a_wrapped_label_joins_its_row() -> None:
    rows = [
        [(60, "科目名称"), (300, "金额")],
        [(60, "机关事业单位基本养老保险")],
        [(-340, "1,064.46")],
        [(60, "缴费")],
        [(60, "奖金"), (-340, "180.14")],
    ]
    ls = [make_line(cells(*r, top=t), 1) for r, t in zip(rows, [100, 120, 126, 132, 152], strict=True)]
    grid = build_grid([(ls, [])])
    assert texts(grid) == [["机关事业单位基本养老保险缴费", "1,064.46"], ["奖金", "180.14"]]


def test_an_indented_name_wrapped_around_its_row_keeps_its_tail() -> None:
    """国家信访局's function table without its rules: a 项 name indented two characters wraps over
    its row's figures, its tail starting at the cell's edge ('  机关事业单位基本养' over the
    figures over '老保险缴费支出'). Before, the tail was a row of its own and the name was cut."""
    rows = [
        [(40, "科目编码"), (95, "科目名称"), (300, "合计")],
        [(40, "2080503"), (113, "离退休人员管理机构"), (-330, "210.58")],
        [(113, "机关事业单位基本养")],
        [(40, "2080505"), (-330, "649.91")],
        [(95, "老保险缴费支出")],
        [(113, "机关事业单位职业年")],
        [(40, "2080506"), (-330, "358.82")],
        [(95, "金缴费支出")],
    ]
    tops = [40, 60, 94, 102, 110, 126, 134, 142]
    ls = [make_line(cells(*r, top=t), 1) for r, t in zip(rows, tops, strict=True)]
    grid = build_grid([(ls, [])])
    assert texts(grid) == [
        ["2080503", "离退休人员管理机构", "210.58"],
        ["2080505", "机关事业单位基本养老保险缴费支出", "649.91"],
        ["2080506", "机关事业单位职业年金缴费支出", "358.82"],
    ]


def test_a_figure_wrapped_inside_its_cell_is_mended() -> None:
    rows = [
        [(60, "科目名称"), (300, "金额")],
        [(-340, "2,000,000.")],
        [(60, "行政运行")],
        [(-340, "00")],
        [(60, "一般行政管理事务"), (-340, "5.00")],
    ]
    ls = [make_line(cells(*r, top=t), 1) for r, t in zip(rows, [100, 120, 125, 130, 152], strict=True)]
    grid = build_grid([(ls, [])])
    assert texts(grid) == [["行政运行", "2,000,000.00"], ["一般行政管理事务", "5.00"]]


def test_a_figure_wrapped_around_its_centred_label_is_one_row() -> None:
    """The office suite's export of a 元 table: a figure wider than its cell wraps ('106,348,000.' over
    '00') and the row's label, vertically centred, stands between the halves (a line height apart);
    the other side of a two-sided summary prints its figure on the label's line."""
    rows = [
        [(60, "项目"), (200, "预算数"), (260, "项目"), (420, "预算数")],
        [(-250, "106,348,000.")],
        [(60, "一、政府预算拨款"), (260, "一、社会保障和就业支出"), (-460, "2,485,200.00")],
        [(-250, "00")],
        [(60, "二、财政专户管理资金"), (-250, "-"), (260, "行政单位离退休"), (-460, "414,000.00")],
    ]
    ls = [make_line(cells(*r, top=t), 1) for r, t in zip(rows, [100, 124, 135, 146, 170], strict=True)]
    grid = build_grid([(ls, [])])
    assert texts(grid) == [
        ["一、政府预算拨款", "106,348,000.00", "一、社会保障和就业支出", "2,485,200.00"],
        ["二、财政专户管理资金", "-", "行政单位离退休", "414,000.00"],
    ]


def test_a_figure_wrapped_around_its_label_in_tight_lines_is_one_row() -> None:
    """Hangzhou's table without its rules: the halves ('12,868.1' over '9') stand within a line
    and a half of each other, with the row's label line between them. The tail is the figure's, not
    a figure of its own (before, '9' was read as the row's project figure: 9 万元 for 12,868.19)."""
    rows = [
        [(40, "功能分类科目名称"), (300, "合计"), (440, "项目支出")],
        [(-480, "12,868.1")],
        [(40, "一般公共服务支出"), (-330, "12,868.19")],
        [(-480, "9")],
        [(40, "社会工作事务"), (-330, "0.19"), (-480, "0.19")],
    ]
    ls = [make_line(cells(*r, top=t), 1) for r, t in zip(rows, [100, 130, 138, 146, 162], strict=True)]
    grid = build_grid([(ls, [])])
    assert texts(grid) == [
        ["一般公共服务支出", "12,868.19", "12,868.19"],
        ["社会工作事务", "0.19", "0.19"],
    ]


def test_a_table_whose_every_figure_wraps_still_shows_cents() -> None:
    """No figure of the table is printed whole, so its precision reads as one decimal ('28,000.0'); a
    head cut at '.' on the same line shows the wrap, and '28,000.0' over '0' is 28,000.00."""
    rows = [
        [(60, "年度"), (200, "总计"), (300, "公务接待费")],
        [(-250, "269,000."), (-350, "28,000.0")],
        [(60, "2022年")],
        [(-250, "00"), (-350, "0")],
    ]
    ls = [make_line(cells(*r, top=t), 1) for r, t in zip(rows, [100, 120, 124, 129], strict=True)]
    grid = build_grid([(ls, [])])
    assert texts(grid) == [["2022年", "269,000.00", "28,000.00"]]


def test_a_figure_between_two_halves_keeps_them_apart() -> None:
    """A head two lines above a tail is its figure's only where nothing is printed in the column
    between them: here a figure stands there, so '2,000,000.' and '00' are not one figure."""
    rows = [
        [(60, "科目名称"), (300, "金额")],
        [(60, "行政运行"), (-340, "2,000,000.")],
        [(60, "机关服务"), (-340, "7.00")],
        [(-340, "00")],
    ]
    ls = [make_line(cells(*r, top=t), 1) for r, t in zip(rows, [100, 124, 135, 146], strict=True)]
    grid = build_grid([(ls, [])])
    assert "2,000,000.00" not in [c.text for r in grid.rows for c in r]


def test_a_figure_cut_by_the_page_break_is_mended() -> None:
    """The last row of a page ends in '9,743,00' and the next page starts with the tails '0.00'."""
    first = lines(
        [*TABLE, [(60, "21004"), (140, "公共卫生"), (-350, "9,743,00"), (-430, "-"), (-510, "9,743,00")]]
    )
    second = lines([TABLE[0], [(-350, "0.00"), (-510, "0.00")], TABLE[3]], top=60)
    for ln in second:
        ln.page = 2
    grid = build_grid([(first, []), (second, [])])
    assert texts(grid)[3] == ["21004", "公共卫生", "9,743,000.00", "-", "9,743,000.00"]
    assert len(grid.rows) == 5


def test_two_headers_set_as_one_word_part_over_their_columns() -> None:
    """Without vertical rules 人员支出 and 公用支出 touch ('人员支出公用支出' over two columns the body's
    river divides): the header's own word endings part them, and the 810 | 87 columns stay apart."""
    rows = [
        [(60, "科目名称"), (197, "合计"), (263, "人员支出公用支出"), (362, "补助")],
        [(60, "工资福利支出"), (-215, "810"), (-290, "810"), (-330, "0"), (-375, "0")],
        [(60, "商品和服务支出"), (-215, "87"), (-290, "0"), (-330, "87"), (-375, "0")],
    ]
    grid = build_grid([(lines(rows), [])])
    assert [p[-1] for p in grid.paths] == ["科目名称", "合计", "人员支出", "公用支出", "补助"]
    assert texts(grid) == [["工资福利支出", "810", "810", "0", "0"], ["商品和服务支出", "87", "0", "87", "0"]]


def test_wrapped_header_pieces_of_two_cells_part_at_the_gap_on_their_border() -> None:
    """The office suite wraps two narrow header cells so that their second lines touch ('小企业政府采'
    and '型、微型企业' read as one segment): they part at the gap over the columns' border."""
    rows = [
        [(60, "预算单位"), (150, "其中：面向中"), (216, "其中：面向小")],
        [(150, "小企业政府采"), (211.2, "型、微型企业")],
        [(150, "购项目"), (216, "政府采购项目")],
        [(60, "某局"), (-204, "300"), (-266, "200")],
    ]
    grid = build_grid([(lines(rows), [])])
    assert ["".join(p) for p in grid.paths][1:] == [
        "其中：面向中小企业政府采购项目",
        "其中：面向小型、微型企业政府采购项目",
    ]


def test_a_group_header_over_its_columns_stays_whole() -> None:
    rows = [
        [(60, "项目"), (185, "公务用车购置及运行费")],
        [(60, ""), (170, "购置费"), (250, "运行费")],
        [(60, "某局"), (-215, "10"), (-290, "20")],
    ]
    grid = build_grid([(lines([r for r in rows if any(t for _, t in r)]), [])])
    assert [p[-1] for p in grid.paths] == ["项目", "购置费", "运行费"]
    assert all("公务用车购置及运行费" in p for p in grid.paths[1:])


def test_a_group_header_spans_the_children_whose_labels_wrap_to_the_foot() -> None:
    """Hangzhou's function table without its rules: 基本支出 stands over 小计 | 人员经费 | 日常公用支出,
    the last wrapped ('日常公用' over '支出'), so only that one prints in the header's last line; 合计
    and 项目支出 stand centred in the whole header's height and are columns of their own."""
    rows = [
        [(398, "基本支出")],
        [(114, "功能分类科目名称"), (285, "合计"), (458, "日常公用"), (512, "项目支出")],
        [(349, "小计"), (398, "人员经费")],
        [(468, "支出")],
        [
            (44, "合计"),
            (-324, "91,842.80"),
            (-382, "70,724.29"),
            (-443, "58,486.35"),
            (-501, "12,237.94"),
            (-552, "21,118.51"),
        ],
    ]
    ls = [
        make_line(cells(*r, top=t), 1) for r, t in zip(rows, [86.8, 102.6, 110.6, 118.5, 158.5], strict=True)
    ]
    grid = build_grid([(ls, [])])
    joined = ["/".join(p) for p in grid.paths]
    assert joined[-5:] == ["合计", "基本支出/小计", "基本支出/人员经费", "基本支出/日常公用/支出", "项目支出"]


def test_a_continuation_page_with_other_column_widths() -> None:
    first = lines(TABLE)
    shifted = [[(x + 12 if x > 0 else x - 12, t) for x, t in r] for r in TABLE[1:]]
    second = lines(shifted, top=60)
    for ln in second:
        ln.page = 2
    grid = build_grid([(first, []), (second, [])])
    assert len(grid.rows) == 6
    assert texts(grid)[5] == ["206", "科学技术支出", "2,224", "657", "1,567"]


@pytest.mark.parametrize(
    ("rivers", "clusters", "bounds"),
    [
        ([(100.0, 140.0)], [], [120.0]),
        # a header column over a river between two headed columns: a column of its own
        ([(100.0, 200.0)], [(50.0, 95.0), (130.0, 170.0), (205.0, 250.0)], [115.0, 185.0]),
        # a displaced header of the text column on the left: not a blank column
        ([(100.0, 200.0)], [(130.0, 170.0), (205.0, 250.0)], [170.0]),
    ],
)
def test_river_bounds(rivers, clusters, bounds) -> None:
    assert river_bounds(rivers, clusters, 9.0) == bounds


def test_river_intervals_need_whitespace_through_every_line() -> None:
    ls = lines([[(60, "甲乙丙"), (200, "丁")], [(60, "甲"), (200, "丁戊")]])
    found = river_intervals(ls, 9.0)
    assert len(found) == 1 and found[0][0] >= 60 + 27 and found[0][1] <= 200
