"""Which document: department, jurisdiction, year, budget or final accounts, department or unit."""

from __future__ import annotations

import pytest

from budgetlens.parse.document import (
    cover_department,
    department_of,
    fiscal_year_of,
    jurisdiction_of,
    kind_of,
    labelled_department,
    prose_department,
    scope_of,
    template_of,
)


@pytest.mark.parametrize(
    ("name", "jurisdiction"),
    [
        ("深圳市罗湖区科技创新局", "深圳市罗湖区"),
        ("深圳市大鹏新区民政局", "深圳市大鹏新区"),
        ("上海市普陀区人民政府万里街道办事处", "上海市普陀区"),
        ("江苏省人民检察院", "江苏省"),
        ("中共江苏省委办公厅", "江苏省"),
        ("江苏省政协办公厅", "江苏省"),
        ("上海市普陀区城市管理行政执法局", "上海市普陀区"),
        ("普陀区城市管理行政执法局", "普陀区"),  # never a 市 named '普陀区城市'
    ],
)
def test_jurisdiction_of(name: str, jurisdiction: str) -> None:
    assert jurisdiction_of(name) == jurisdiction


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("部门名称：深圳市罗湖区科技创新局", "深圳市罗湖区科技创新局"),
        ("编制部门：上海市普陀区商务委员会 单位：元", "上海市普陀区商务委员会"),
        ("预算主管部门：上海市普陀区商务委员会", "上海市普陀区商务委员会"),
        ("部门： 江苏省人民检察院", "江苏省人民检察院"),
        ("收支总表", None),
        # a glyph without a Unicode map (pdfdoc.UNMAPPED) inside the name: which one cannot be told
        ("部门名称：江苏省人民\ufffd察院", None),
    ],
)
def test_labelled_department(line: str, name: str | None) -> None:
    assert labelled_department(line) == name


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("2022 年深圳市罗湖区科技创新局 部门 预算", "深圳市罗湖区科技创新局"),
        ("江苏省委办公厅2018年度部门预算公开", "江苏省委办公厅"),
        ("上海市普陀区2025年区级部门预算", None),
        ("目 录", None),
        ("二、收入决算表", None),  # a table of contents' entry, not a title
        ("上海市普陀区人民政府石泉路街道办事处 2025 年度部门决算", "上海市普陀区人民政府石泉路街道办事处"),
        # the year printed in a font without a Unicode map (pdfdoc.UNMAPPED): a year, unread
        ("国家信访局\ufffd\ufffd\ufffd\ufffd年部门预算", "国家信访局"),
        ("国家信\ufffd局2026年部门预算", None),  # a glyph of the name unread
    ],
)
def test_cover_department(line: str, name: str | None) -> None:
    assert cover_department(line) == name


@pytest.mark.parametrize(
    ("cover", "kind", "scope"),
    [
        (["2022 年深圳市罗湖区科技创新局部门预算"], "budget", "department"),
        (["2022 年深圳市福田区教育局部门决算"], "final_accounts", "department"),
        (["2023 年深圳市罗湖区某中心单位预算"], "budget", "unit"),
    ],
)
def test_kind_and_scope(cover: list[str], kind: str, scope: str) -> None:
    assert kind_of(cover, []) == kind
    assert scope_of(cover) == scope


def test_a_final_accounts_document_is_told_by_its_table_titles_too() -> None:
    assert (
        kind_of(["深圳市福田区教育局"], ["2022年部门收支决算总表", "2022年部门支出决算表", "三公经费"])
        == "final_accounts"
    )


@pytest.mark.parametrize(
    ("cover", "titles", "prose", "year"),
    [
        (["2022 年深圳市罗湖区科技创新局 部门 预算"], [], "", 2022),
        (["上海市普陀区商务委员会"], ["2025年部门财务收支预算总表", "2025年部门收入预算总表"], "", 2025),
        (["江苏省人民检察院"], ["收支预算总表"], "……2019年度部门预算公开……", 2019),
    ],
)
def test_fiscal_year_of(cover: list[str], titles: list[str], prose: str, year: int) -> None:
    assert fiscal_year_of(cover, titles, prose) == year


@pytest.mark.parametrize(
    ("kinds", "template"),
    [
        (
            ["summary", "income", "expense", "transfer_payment", "performance", "project_expense"],
            "shenzhen13",
        ),
        (["summary", "income", "expense", "basic_by_economic", "three_public"], "shanghai9"),
        (["summary", "basic_expense", "basic_by_economic", "procurement", "agency_running"], "jiangsu12"),
        (["summary"], None),
    ],
)
def test_template_of(kinds: list[str], template: str | None) -> None:
    assert template_of([(k, None, "") for k in kinds]) == template


def test_a_cover_title_over_three_lines_outranks_the_contents_page() -> None:
    cover = [
        "上海市普陀区人民政府",
        "石泉路街道办事处 2025",
        "年度部门决算",
        "目 录",
        "一、收入支出决算总表",
        "二、收入决算表",
    ]
    assert department_of([], cover) == "上海市普陀区人民政府石泉路街道办事处"


def test_the_name_with_its_government_in_front_is_the_full_name() -> None:
    labelled = ["普陀区城市管理行政执法局"] * 9 + ["上海市普陀区城市管理行政执法局"]
    assert department_of(labelled, []) == "上海市普陀区城市管理行政执法局"
    # a longer name that is another body, not the same name with its government, does not win
    assert department_of(["某局"] * 3 + ["某中心某局"], []) == "某局"


def test_without_a_cover_the_documents_own_titles_name_it() -> None:
    titled = [
        "第二部分 某市某区某街道办事处 2025 年度部门决算表",
        "某市某区某街道办事处 2025 年度部门决算表",
        "第三部分 某市某区某街道办事处 2025 年度部门决算情况说明",
        "二、收入决算表",
    ]
    assert department_of([], [], titled) == "某市某区某街道办事处"
    assert department_of([], [], titled[1:2]) is None  # once is not enough


def test_without_a_cover_or_titles_the_body_the_text_speaks_of_names_it() -> None:
    prose = "\n".join(
        [
            "一、单位主要职责",
            "福州市仓山生态环境局的主要职责是：贯彻执行国家和",
            "从预算单位构成看，福州市仓山生态环境局包括4个内设机构",
            "2026年，福州市仓山生态环境局收入预算为1,234.56万元。",
            "（十）承办市生态环境局交办的其他事项。",  # the superior body, named once, in passing
        ]
    )
    assert department_of([], [], [], prose) == "福州市仓山生态环境局"
    # a clause opened by a verb names the body at its end
    verb = "纳入烟台市财政局2026年部门预算编制范围的单位\n烟台市财政局部门预算包括：局机关预算"
    assert prose_department(verb) == "烟台市财政局"
    assert prose_department("福州市仓山生态环境局的主要职责是：贯彻") is None  # once is not enough
    # two bodies as often: no name
    assert (
        prose_department(
            "甲市某局收入预算1万元。\n乙市某局收入预算2万元。\n甲市某局本年支出\n乙市某局本年支出"
        )
        is None
    )
    # a name with no government in front is no department's full name
    assert prose_department("某局收入预算1万元。\n某局本年支出1万元。") is None


def test_without_a_cover_the_scope_comes_from_the_lines_naming_a_year() -> None:
    assert scope_of([], ["第二部分2026年度单位预算表", "第三部分2026年度单位预算情况说明"]) == "unit"
    assert scope_of([], ["第二部分2026年度部门预算表"]) == "department"
    assert scope_of(["2026年度", "某局", "部门预算"], ["第二部分2026年度单位预算表"]) == "department"
    assert scope_of(["2026年度预算"], []) == "department"  # a budget that names no unit is a department's
    assert scope_of([], []) is None  # nothing read


def test_a_document_that_names_neither_budget_nor_final_accounts_has_no_kind() -> None:
    # glyphs without a Unicode map read as nothing: no default kind is written
    assert kind_of(["ㅢӂ䜞࠼"], [], "") is None
    assert kind_of([], [], "本单位2026年收入预算合计…") == "budget"
