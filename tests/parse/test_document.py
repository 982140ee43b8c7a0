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
