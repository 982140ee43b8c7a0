"""Figures stated in the text part, in the phrasings real budgets use."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from budgetlens.parse.prose import Prose, read_all_amounts, read_counts


def prose(text: str) -> Prose:
    t = re.sub(r"\s+", "", text)
    return Prose(t, [(1, float(i), 0.0, float(i + 1), 10.0) for i in range(len(t))])


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "行政编制总数 12 人，实有在编人数 11 人；参公编制数 14 人，实有在编人数 12 人；事业编制总数 0 人，实有在编人数 0 人；离休 0 人，退休 7 人。",
            {
                "admin_authorized": 12,
                "admin_actual": 11,
                "cs_managed_authorized": 14,
                "cs_managed_actual": 12,
                "institution_authorized": 0,
                "institution_actual": 0,
                "veteran_retirees": 0,
                "retirees": 7,
            },
        ),
        (
            "本部门编制 339 名，其中行政编制 199 名，行政附属编制 104 名，事业编制 36 名；实有人员 320 名；离退休人员 150 名。",
            {
                "authorized_total": 339,
                "admin_authorized": 199,
                "admin_auxiliary_authorized": 104,
                "institution_authorized": 36,
                "actual_total": 320,
                "retirees_total": 150,
            },
        ),
        ("在职人员 23 人，离退休人员 5 人。", {"actual_total": 23, "retirees_total": 5}),
        ("下设办公室、科协办，共 5 个部门。", {"internal_divisions": 5}),
        ("上海市普陀区商务委员会机关设9个内设机构，包括：办公室。", {"internal_divisions": 9}),
        ("本部门内设机构包括办公室、司法警察总队等21个内设机构。", {"internal_divisions": 21}),
        ("委本级内设处室27个，分别是办公室、规划处。", {"internal_divisions": 27}),
        ("部门预算是包括商务委本部以及下属1家预算单位的综合收支计划。", {"subordinate_units": 1}),
        ("某局部门预算包括某局本部的综合收支计划。", {"subordinate_units": 0}),
        ("单价100万元（含）以上设备（不含车辆）2套。", {"large_equipment": 2}),
        ("部门预算安排购置单价100万元（含）以上设备（不含车辆）0套。", {}),
        ("具体包括本级及下属 2 家预算单位（X局本级、X中心），部门预算为汇总预算。", {"subordinate_units": 1}),
        ("具体包括本级共 1 家基层单位，无下属单位，部门预算为本级预算。", {"subordinate_units": 0}),
        ("本部门下属单位包括江苏检察官学院、清风苑杂志社2个事业单位。", {"subordinate_units": 2}),
    ],
)
def test_headcount_phrasings(sentence: str, expected: dict) -> None:
    got = {k: v.value for k, v in read_counts(prose(sentence)).items()}
    assert got == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "某局组织对 2024 年度一般公共预算项目支出全面开展绩效自评，其中，一级项目 7 个、二级项目 16 个，共涉及资金 5105.75 万元。",
            {"self_evaluated_level1_projects": 7, "self_evaluated_level2_projects": 16},
        ),
        ("本部门组织对 12 个项目开展了绩效自评。", {"self_evaluated_projects": 12}),
        (
            "编报绩效目标的2025年度项目28个，涉及预算金额1354.13万元；绩效自评的2025年度项目28个，涉及预算金额1354.13万元。",
            {"self_evaluated_projects": 28},
        ),
        (
            "组织对“甲”（一级项目）、“乙”（二级项目）等 3 个项目开展了部门评价，涉及支出 1639.34 万元。",
            {"department_evaluated_projects": 3},
        ),
        ("对 2 个项目开展重点绩效评价。", {"department_evaluated_projects": 2}),
        # the projects whose results the accounts report are not the projects evaluated
        ("部门决算中反映了“甲”、“乙”等 4 个项目绩效自评结果。", {}),
    ],
)
def test_performance_evaluation_phrasings(sentence: str, expected: dict) -> None:
    got = {k: v.value for k, v in read_counts(prose(sentence)).items()}
    assert got == expected


@pytest.mark.parametrize(
    ("sentence", "units"),
    [
        # counts of the units below
        ("某局包括 4 个内设机构及 2 个下属单位，其中：", 2),
        ("某局共 30 个内设机构、七个直属事业单位。", 7),
        # a count of the budget's units that includes the department, beside a list naming it
        ("单位范围包括：某局本级、某中心、某站共 3 家基层单位，均已编制整体支出绩效目标。", 2),
        ("单位范围包括：某市某局共 1 家基层单位，均已编制整体支出绩效目标。", 0),
        ("某局下设 1 个预算单位，为某局本级。", 0),
        ("预算单位共计1家，仅包括某厅机关本级，不含某宾馆（自收自支）。", 0),
        # lists of the units, counted
        ("下属单位具体包括：某中心、某评审中心、某监测和调查中心（某编辑部）。", 3),
        ("某局部门决算包括：局本级决算、某办公室决算、某服务中心决算和某信息中心决算。", 3),
        # a statement of the budget's units outranks a list of subordinate units at large
        (
            "本部门下属单位包括：某宾馆、某饭店。纳入本部门部门预算编制范围的预算单位共计1家，仅包括某厅本级。",
            0,
        ),
        # lists that cannot be counted for sure: nothing
        ("下属单位具体包括：某中心、某站等。", None),
        ("下属单位包括：某中心和某站。", None),
        ("本部门预算为汇总预算，包括：委本级预算，以及纳入编制范围的下属单位预算。", None),
        # a unit accounted within the department's own books is the department's
        ("部门预算包括：某局本级预算（行政单位）、某监狱（行政单位）预算和某中心（合并在本级核算）预算。", 1),
        ("部门预算包括：某局本级预算（行政单位）、某监狱（行政单位）、某中心预算。", None),
        ("单位范围包括：某中心、某站共 3 家基层单位。", None),  # the department itself is not named
        ("单位范围包括：某局本级、某站共 3 家基层单位。", None),  # the list is not the count's
        # a numbered table of the budget's units (序号 | 单位名称 | 备注), its cells' text in any order
        (
            "纳入某市某局2025年度部门决算编制范围的单位包括：序号单位名称备注1某市某局（本级）2某执法大队3某监测站",
            2,
        ),
        (
            "编制范围的单位包括：序号单位名称某市某局1（本级）2某执法队备注3某服务中心4某受理中心"
            "1（本级）2某执法队3某服务中心4某受理中心某市某局2025年度部门决算表",
            3,
        ),
        ("编制范围的单位包括：序号单位名称备注1某执法大队2某监测站", None),  # no row of the department
    ],
)
def test_subordinate_unit_phrasings(sentence: str, units: int | None) -> None:
    got = read_counts(prose(sentence), "某市某局").get("subordinate_units")
    assert (got.value if got else None) == units


W = Decimal(10000)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "2022 年深圳市罗湖区科技创新局部门预算收入 2,579 万元，比 2021 年减少 148 万元。",
            {"income_total": 2579 * W},
        ),
        ("2022 年部门预算支出 2,579 万元，比 2021 年减少 148 万元，下降 5%。", {"expense_total": 2579 * W}),
        (
            "江苏省委办公厅2018年度收入、支出预算总计24458.43万元，与上年相比增加3608.98万元。",
            {"income_total": Decimal("24458.43") * W, "expense_total": Decimal("24458.43") * W},
        ),
        (
            "2025年，上海市普陀区商务委员会收入预算37,151.47万元，其中：财政拨款收入37,151.47万元。",
            {"income_total": Decimal("37151.47") * W, "fiscal_appropriation": Decimal("37151.47") * W},
        ),
        (
            "深圳市罗湖区科技创新局预算 2,579 万元，包括人员支出 810 万元、公用支出 87 万元、对个人和家庭的补助支出 55 万元、项目支出 1,627 万元。",
            {
                "expense_total": 2579 * W,
                "personnel_expense": 810 * W,
                "operating_expense": 87 * W,
                "household_subsidy": 55 * W,
                "project_expense": 1627 * W,
            },
        ),
        (
            "此外，基本支出预算数为 15,844.04万元。单位预留机动经费预算数为3990.4万元。",
            {"basic_expense": Decimal("15844.04") * W, "reserve_expense": Decimal("3990.4") * W},
        ),
        (
            "（一）人员经费 13,452.12 万元。（二）公用经费 2391.92 万元。",
            {
                "staff_and_household_cost": Decimal("13452.12") * W,
                "operating_expense": Decimal("2391.92") * W,
            },
        ),
        (
            "2022 年深圳市罗湖区科技创新局机关运行经费财政拨款预算 87 万元，比 2021 年预算增加 38 万元。",
            {"agency_running_cost": 87 * W},
        ),
        (
            "2024年上海市普陀区人民政府万里街道办事处（部门）下属1家机关和1家参公事业单位财政拨款的机关运行经费预算为443.18万元。",
            {"agency_running_cost": Decimal("443.18") * W},
        ),
        (
            "2022 年“三公”经费预算 2.65 万元，比 2021 年预算增加 0 万元。",
            {"three_public_total": Decimal("2.65") * W},
        ),
        (
            "“三公”经费预算支出中，因公出国（境）费支出80万元，公务用车购置及运行费支出237万元；公务接待费支出101.26万元。",
            {
                "overseas_travel": 80 * W,
                "vehicle_total": 237 * W,
                "official_reception": Decimal("101.26") * W,
            },
        ),
        (
            "1. 因公出国（境）费用。2022 年预算数 0 万元，为进一步规范因公出国（境）经费管理。",
            {"overseas_travel": Decimal(0)},
        ),
        (
            "公务用车购置费 2022 年预算数 0 万元；公务用车运行维护费 2022 年预算数 2.65 万元。",
            {"vehicle_purchase": Decimal(0), "vehicle_operation": Decimal("2.65") * W},
        ),
        (
            "政府采购项目纳入 2022 年部门预算共计 300 万元，其中货物采购 0 万元、工程采购 0 万元、服务采购 300 万元。",
            {
                "procurement_total": 300 * W,
                "procurement_goods": Decimal(0),
                "procurement_works": Decimal(0),
                "procurement_services": 300 * W,
            },
        ),
        (
            "2019年度政府采购支出预算总额2744.84万元，其中：拟采购货物支出303.4万元、拟购买服务支出2441.44万元。",
            {
                "procurement_total": Decimal("2744.84") * W,
                "procurement_goods": Decimal("303.4") * W,
                "procurement_services": Decimal("2441.44") * W,
            },
        ),
        (
            "2024年本部门面向中小企业预留政府采购项目预算金额664.98万元，其中，预留给小型和微型企业的政府采购项目预算为465.49万元。",
            {"procurement_sme": Decimal("664.98") * W, "procurement_small_micro": Decimal("465.49") * W},
        ),
        ("4. 政府采购管理预算 125.94 万元，主要包括：政府采购管理相关工作经费。", {}),
        (
            # final accounts: the amount contracted, then what was reserved for SMEs; what suppliers
            # of that size won (由…供应商中标或成交的，采购金额) is another figure
            "某局 2025 年度政府采购金额（以合同签订为准）为 1062.09 万元，其中：货物采购金额 80.98 万元、"
            "工程采购金额 269.03 万元、服务采购金额 712.08 万元。2025 年度本部门面向中小企业预留政府采购项目预算金额"
            " 690.47 万元，面向小微企业预留政府采购项目预算金额 293.72 万元。在面向中小企业预留的政府采购项目中，"
            "由中小企业供应商中标或成交的，采购金额 690.00 万元；在面向小微企业预留政府采购项目中，由小微企业供应商中标"
            "或成交的，采购金额 290.00 万元；在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额 0 万元。",
            {
                "procurement_total": Decimal("1062.09") * W,
                "procurement_goods": Decimal("80.98") * W,
                "procurement_works": Decimal("269.03") * W,
                "procurement_services": Decimal("712.08") * W,
                "procurement_sme": Decimal("690.47") * W,
                "procurement_small_micro": Decimal("293.72") * W,
            },
        ),
        (
            "2018年本部门国有资本经营预算收入为0万元，与上年数一致。",
            {"state_capital_appropriation": Decimal(0)},
        ),
    ],
)
def test_amount_phrasings(sentence: str, expected: dict) -> None:
    got = {k: v[0].value for k, v in read_all_amounts(prose(sentence)).items()}  # the first statement
    assert got == expected


def test_every_printing_is_kept_first_one_first() -> None:
    text = "部门预算支出 2,579 万元。……深圳市罗湖区科技创新局预算 2,579 万元，包括人员支出 810 万元。"
    found = read_all_amounts(prose(text))["expense_total"]
    assert [f.printed for f in found] == ["2,579万元", "2,579万元"]
    assert found[0].start < found[1].start


def test_a_figure_knows_where_it_was_printed() -> None:
    p = prose("离休 0 人，退休 7 人。")
    f = read_counts(p)["retirees"]
    assert f.page == 1 and f.bbox[0] < f.bbox[2]
    assert f.sentence == "退休7人"


def test_the_numbered_project_list_of_the_prose() -> None:
    from budgetlens.parse.prose import read_projects

    text = (
        "（四）项目支出 1,627 万元，具体包括：1. 预算准备金预算 48 万元，主要包括：应付突发事件。"
        "2. 综合事务预算 88 万元，主要包括：党政事务。3. 离退休干部管理预算 4 万元，主要包括：健康管理。"
        "第四部分 政府采购预算情况 4. 政府采购管理预算 125.94 万元。"
    )
    got = [(p.field, p.value) for p in read_projects(prose(text))]
    assert got == [("预算准备金", 48 * W), ("综合事务", 88 * W), ("离退休干部管理", 4 * W)]


def test_personnel_described_with_household_items_is_staff_and_household_cost() -> None:
    """人员支出 whose description lists items of class 303 (离休费、退休费、抚恤金 …) is 301 + 303, wherever
    the same figure is stated; described as wages alone, it stays wages (301)."""
    both = (
        "按支出用途分类，包括人员支出 58,486.35 万元，占 59.0%；日常公用支出 12,237.94 万元。"
        "其中：人员支出 58,486.35 万元，主要包括：基本工资、津贴补贴、奖金、绩效工资、住房公积金、"
        "其他工资福利支出、离休费、退休费、抚恤金、生活补助等。"
    )
    found = read_all_amounts(prose(both))
    assert "personnel_expense" not in found
    assert [f.value for f in found["staff_and_household_cost"]] == [Decimal("584863500.00")] * 2
    wages = "包括人员支出 810 万元、公用支出 87 万元。（一）人员支出 810 万元，主要包括：基本工资、津贴补贴、住房公积金等人员支出。"
    found = read_all_amounts(prose(wages))
    assert (
        found["personnel_expense"][0].value == Decimal("8100000") and "staff_and_household_cost" not in found
    )


def test_personnel_spending_that_may_hold_household_items_is_not_wages() -> None:
    """人员支出 beside 日常公用支出, with no 对个人和家庭的补助 stated and no description, is the
    document's own split of its spending (Hangzhou: 人员支出 + 日常公用支出 = 基本支出, with 303 in
    both): read as wages (301) it was 33,650,500 yuan too large where the table's figure could not
    be read. Stated beside 对个人和家庭的补助, or described as wages, it stays wages."""
    split = "按支出用途分类，包括人员支出 58,486.35 万元，占 59.0%；日常公用支出 12,237.94 万元，占 12.3%。"
    assert "personnel_expense" not in read_all_amounts(prose(split))
    beside = "包括人员支出 810 万元、公用支出 87 万元、对个人和家庭的补助支出 55 万元、项目支出 1,627 万元。"
    assert read_all_amounts(prose(beside))["personnel_expense"][0].value == Decimal("8100000")


@pytest.mark.parametrize("unread", ["\ufffc", "\ufffd" * 6], ids=["a picture", "glyphs without a map"])
def test_a_sentence_printing_a_figure_as_a_picture_is_not_read(unread: str) -> None:
    """政府采购预算 [a picture] 万元，其中：货物 7.80 万元: the total is a picture (or glyphs without a
    Unicode map, `pdfdoc.UNMAPPED`), and the next figure of the sentence is no procurement total.
    The whole sentence is left out; the next one is read."""
    from budgetlens.parse.layout import page_lines
    from budgetlens.parse.pdfdoc import PICTURE, Char
    from budgetlens.parse.prose import build_prose

    text = f"本部门政府采购预算{unread}万元，其中：政府采购货物预算7.80万元。机关运行经费预算为171.01万元。"
    chars = [
        Char(ch, 10.0 * i, 100.0, 10.0 * i + (30.0 if ch == PICTURE else 10.0), 112.0)
        for i, ch in enumerate(text)
    ]
    for k, c in enumerate(chars[1:], 1):  # each glyph right after the one before
        chars[k] = Char(c.text, chars[k - 1].x1, c.top, chars[k - 1].x1 + (c.x1 - c.x0), c.bottom)
    lines, _ = page_lines(chars, 1)
    found = read_all_amounts(build_prose(lines))
    assert "procurement_total" not in found and "procurement_goods" not in found
    assert found["agency_running_cost"][0].value == Decimal("1710100.00")


def test_a_sentence_printing_something_unread_still_names_its_year() -> None:
    """A sentence printing glyphs without a Unicode map is not read for figures, but the year and
    the kind it names in readable words are the document's: 无锡市\ufffd\ufffd局2026年部门预算."""
    from budgetlens.parse.document import fiscal_year_of, kind_of
    from budgetlens.parse.layout import page_lines
    from budgetlens.parse.pdfdoc import Char
    from budgetlens.parse.prose import build_prose

    text = "无锡市\ufffd\ufffd局2026年部门预算收入合计1,000万元。"
    chars = [Char(ch, 10.0 * i, 100.0, 10.0 * i + 10.0, 112.0) for i, ch in enumerate(text)]
    lines, _ = page_lines(chars, 1)
    prose = build_prose(lines)
    assert "2026" not in prose.text and "income_total" not in read_all_amounts(prose)
    assert fiscal_year_of([], [], prose.printed) == 2026
    assert kind_of([], [], prose.printed) == "budget"
