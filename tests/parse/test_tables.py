"""Tables are found by title words (never by number or position); units as printed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetlens.fields import TABLE_KINDS
from budgetlens.parse.extract import figure
from budgetlens.parse.grid import Cell, Grid
from budgetlens.parse.layout import make_line
from budgetlens.parse.pdfdoc import Char
from budgetlens.parse.tables import (
    AGENCY_RUNNING,
    PageInfo,
    Table,
    classify_title,
    is_page_furniture,
    is_page_number,
    states_a_unit,
    table_number,
    title_core,
    unit_by_prose,
    unit_of,
)

TITLES = [
    ("收支总表", "summary"),
    ("表 1 收支总表", "summary"),
    ("2025年部门财务收支预算总表", "summary"),
    ("收支预算总表", "summary"),
    ("收入总表", "income"),
    ("2025年部门收入预算总表", "income"),
    ("支出总表", "expense"),
    ("附表3 支出预算总表", "expense"),
    ("基本支出总表", "basic_expense"),
    ("财政拨款基本支出预算表（经济科目）", "basic_expense"),
    ("项目支出总表", "project_expense"),
    ("政府预算拨款收支总表", "appropriation_summary"),
    ("2025年部门财政拨款收支预算总表", "appropriation_summary"),
    ("一般公共预算支出表（按功能分类）", "general_budget_by_function"),
    ("表一 一般公共预算支出表（按功能分类）", "general_budget_by_function"),
    ("2025年部门一般公共预算支出功能分类预算表", "general_budget_by_function"),
    ("一般公共预算支出预算表（功能科目）", "general_budget_by_function"),
    ("一般公共预算基本支出预算表（经济科目）", "basic_by_economic"),
    ("2025年部门一般公共预算基本支出部门预算经济分类预算表", "basic_by_economic"),
    ("一般公共预算“三公”经费支出表", "three_public"),
    ("表三 “三公”经费支出表", "three_public"),
    ("“三公”经费、会议费、培训费支出预算表", "three_public"),
    ("2025年部门“三公”经费和机关运行经费预算表", "three_public"),
    ("政府性基金预算支出表", "gov_fund"),
    ("2025年部门政府性基金预算支出功能分类预算表", "gov_fund"),
    ("国有资本经营预算支出表", "state_capital"),
    ("上级专项转移支付支出表", "transfer_payment"),
    ("政府采购项目支出表", "procurement"),
    ("2019年政府采购预算表", "procurement"),
    ("部门整体支出绩效目标表", "performance"),
    ("公开11表 一般公共预算机关运行经费支出预算表", AGENCY_RUNNING),
    ("收 支 总 表", "summary"),
    ("收支总表（续）", "summary"),
    ("收支总表（单位：万元）", "summary"),
    # a title cut at the page's edge, its qualifier on the next page (a wide table printed across)
    ("公开07表 一般公共预算支出预算表（", "general_budget_by_function"),
]


@pytest.mark.parametrize(("title", "kind"), TITLES)
def test_classify_title(title: str, kind: str) -> None:
    assert classify_title(title) == kind


def test_every_table_kind_has_a_title() -> None:
    assert {k for _, k in TITLES} >= set(TABLE_KINDS)


@pytest.mark.parametrize(
    "text",
    [
        "一、收支预算总表",  # a table of contents names a table: classify, but it is confirmed only by table matter
        "第二部分 2019年度部门预算表",
        "《财政拨款支出预算表（功能科目）》增加了“事业运行”项级科目分流315万元。",
        "1. 2025年部门财务收支预算总表 ……………………",
        "部门预算",
        "主要用于机关行政运行和机关人员经费支出",
    ],
)
def test_sentences_and_toc_entries_are_no_titles(text: str) -> None:
    kind = classify_title(text)
    assert kind is None or text.startswith("一、")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("表 1", "表1"),
        ("表1 收支总表", "表1"),
        ("表一", "表一"),
        ("表十三 部门整体支出绩效目标表", "表十三"),
        ("附表1", "附表1"),
        ("公开01表", "公开01表"),
        ("公开 09 表", "公开09表"),
        ("2025年部门财务收支预算总表", None),
    ],
)
def test_table_number(text: str, number: str | None) -> None:
    assert table_number(text) == number


@pytest.mark.parametrize(
    ("title", "core"),
    [
        ("表 1 收支总表", "收支总表"),
        ("表一 一般公共预算支出表", "一般公共预算支出表"),
        ("收支总表（续）", "收支总表"),
    ],
)
def test_title_core(title: str, core: str) -> None:
    assert title_core(title) == core


@pytest.mark.parametrize(
    ("texts", "unit"),
    [
        (["收支总表", "部门名称：深圳市罗湖区科技创新局", "单位：万元"], "万元"),
        (["编制部门：上海市普陀区商务委员会 单位：元"], "元"),
        (["金额单位：万元"], "万元"),
        (["单位:万元"], "万元"),
        (["单位：万", "元"], "万元"),  # wrapped mid-word
        (["单位：亿元"], "亿元"),
        (["项目", "预算数（万元）"], "万元"),
        (["收支总表"], None),
    ],
)
def test_unit_of(texts: list[str], unit: str | None) -> None:
    assert unit_of(texts) == unit


def _table_printing(*figures: str) -> Table:
    grid = Grid(columns=[(0.0, 100.0), (100.0, 200.0)])
    grid.paths = [["项目"], ["预算数"]]
    grid.rows = [[Cell(f"项{i}"), Cell(f)] for i, f in enumerate(figures)]
    return Table(kind="summary", title="收支总表", number="表1", unit=None, pages=[1], grid=grid)


def test_a_table_without_a_unit_takes_the_unit_the_prose_gives_its_figures() -> None:
    table = _table_printing("55,884.67", "753.13", "0.00")
    prose = "部门预算收入55,884.67万元，其中上年结转753.13万元。"
    assert unit_by_prose(table, prose) == ("万元", "55,884.67万元")


@pytest.mark.parametrize(
    ("figures", "prose"),
    [
        (("55,884.67", "753.13"), "部门预算收入99,999.99万元。"),  # other figures
        (("25", "0.19"), "收入25万元，支出0.19万元。"),  # figures too short to tell apart
        (("55,884.67", "753.13"), "预算55,884.67万元；明细中列753.13元。"),  # two units for them
        (("55,884.67",), ""),
    ],
)
def test_a_table_without_a_unit_and_no_evidence_has_none(figures: tuple[str, ...], prose: str) -> None:
    assert unit_by_prose(_table_printing(*figures), prose) is None


def test_no_figure_is_read_from_a_table_whose_unit_is_not_known() -> None:
    table = _table_printing("55,884.67")
    assert figure(table.grid.rows[0][1], None, table) is None
    assert figure(table.grid.rows[0][1], "万元", table).value == Decimal("558846700.00")


@pytest.mark.parametrize(
    ("texts", "stated"),
    [
        (["单位：万美元"], True),  # printed, though not a unit we read: never replaced by the prose's
        (["部门名称：某局单位：千"], True),
        (["金额单位：人民币万元"], True),
        (["预算单位：深圳市人民政府口岸办公室"], False),
        (["编制单位：北京市财政局", "单位名称：广州市人民政府办公厅"], False),
        (["项目", "预算数"], False),
    ],
)
def test_a_unit_statement_is_told_from_a_label(texts: list[str], stated: bool) -> None:
    assert states_a_unit(texts) is stated


def _page(*printed: tuple[float, str], height: float = 842.0) -> PageInfo:
    """A page of lines: (top, text) each, 10-point glyphs from the left margin."""
    lines = []
    for top, text in printed:
        chars = [Char(ch, 60.0 + 10 * i, top, 70.0 + 10 * i, top + 10) for i, ch in enumerate(text)]
        lines.append(make_line(chars, 1))
    return PageInfo(1, 595.0, height, lines)


ROWS = ((100.0, "208 社会保障和就业支出 705.00"), (122.0, "20805 行政事业单位养老支出 705.00"))


@pytest.mark.parametrize(
    ("last", "number"),
    [
        ((780.0, "- 26 -"), True),  # at the page's foot
        ((300.0, "- 26 -"), True),  # under the last row of a page the table leaves half empty
        ((300.0, "第26页"), True),
        ((300.0, "26"), True),  # a bare number, well apart
        ((144.0, "26"), False),  # a bare number right under the rows: a figure as likely
        ((144.0, "- 26 -"), True),
        ((780.0, "第 26 页 共 60 页"), True),  # a word processor's footer
        ((780.0, "第26页，共60页"), True),
        ((780.0, "共60页 第26页"), True),
        ((780.0, "Page 26 of 60"), True),
        ((780.0, "第26页共60项"), False),
        # in a font without a Unicode map (pdfdoc.UNMAPPED): told only at the page's edge
        ((780.0, "- \ufffd\ufffd -".replace("-", "\ufffd")), True),
        ((300.0, "\ufffd\ufffd"), False),  # under the rows: an unread figure as likely
        ((780.0, "\ufffd" * 12), False),  # too long for a page number
    ],
)
def test_a_page_number_is_told_wherever_the_page_prints_it(last: tuple[float, str], number: bool) -> None:
    page = _page(*ROWS, last)
    assert is_page_number(page.lines[-1], page) is number


def test_a_page_number_alone_on_a_page_and_a_number_line_inside_the_page() -> None:
    alone = _page((40.0, "-78-"))
    assert is_page_number(alone.lines[0], alone)
    inside = _page(ROWS[0], (300.0, "- 26 -"), (330.0, "21302 林业和草原 478.81"))
    assert not is_page_number(inside.lines[1], inside)  # a line follows it: not printed last


@pytest.mark.parametrize(
    ("top", "text", "furniture"),
    [
        (8.0, "2026/3/15 10:22 2026年某局部门预算.pdf", True),  # a browser's print header
        (828.0, "https://www.gov.cn/attachment/0/1093/11853961.pdf 1/33", True),  # its footer
        (828.0, "下载时间：2026-03-15 10:22", True),
        (8.0, "某局2026年部门预算", False),  # a running title: no furniture
        (400.0, "详见 www.gov.cn 公开的 2026年预算.pdf", False),  # in the body: a sentence
        (828.0, "2026年3月15日", False),  # a date without a time
    ],
)
def test_a_print_header_or_footer_is_page_furniture(top: float, text: str, furniture: bool) -> None:
    page = _page((top, text))
    assert is_page_furniture(page.lines[0], page.height) is furniture
