"""Corrupted copies of the seed document, one per expectation: one figure changed in one place.

Each variant edits a copy of the seed's truth record (docs/corpus.md: a figure changed at its
canonical place in the truth, or an override for one other place) and is rendered with the corpus
renderer, parsed with the parser and loaded into a temporary warehouse (see conftest.py). Every
variant gets its own department name so that the uniqueness expectation does not see them as
copies of one another; the untouched seed keeps its real name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SEED_DEPARTMENT = "深圳市罗湖区科技创新局"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"

Truth = dict[str, Any]


@dataclass(frozen=True)
class Variant:
    """A copy of the seed that must trip `expectation` with `severity` and end with `status`."""

    name: str
    expectation: str | None
    severity: str | None
    status: str
    what: str
    edit: Callable[[Truth], None]


def _rec(t: Truth) -> dict:
    return t["records"][0]


def total(name: str, value: str) -> Callable[[Truth], None]:
    def edit(t: Truth) -> None:
        _rec(t)["totals"][name] = value

    return edit


def headcount(**values: int) -> Callable[[Truth], None]:
    def edit(t: Truth) -> None:
        _rec(t)["headcount"].update(values)

    return edit


def override(**o: str) -> Callable[[Truth], None]:
    def edit(t: Truth) -> None:
        t["render"].setdefault("overrides", []).append(dict(o))

    return edit


def function_line(code: str, **delta: int) -> Callable[[Truth], None]:
    """Add `delta` yuan to columns of one function line (the truth holds what is printed)."""

    def edit(t: Truth) -> None:
        for ln in _rec(t)["function_lines"]:
            if ln["code"] == code:
                for col, d in delta.items():
                    ln[col] = f"{Decimal(ln[col]) + d:.2f}"

    return edit


def line(part: str, index: int, key: str, value: str) -> Callable[[Truth], None]:
    def edit(t: Truth) -> None:
        _rec(t)[part][index][key] = value

    return edit


def rename_code(old: str, new: str) -> Callable[[Truth], None]:
    def edit(t: Truth) -> None:
        for ln in _rec(t)["function_lines"]:
            if ln["code"] == old:
                ln["code"] = new

    return edit


def performance_task(index: int, delta: int) -> Callable[[Truth], None]:
    def edit(t: Truth) -> None:
        task = _rec(t)["extra"]["performance"]["tasks"][index]
        for col in ("total", "fiscal"):
            task[col] = f"{Decimal(task[col]) + delta:.2f}"

    return edit


def fiscal_year(year: int) -> Callable[[Truth], None]:
    def edit(t: Truth) -> None:
        _rec(t)["document"]["fiscal_year"] = year

    return edit


def untouched(t: Truth) -> None:
    """The seed as published."""


E, W = "error", "warning"
Q, P = "quarantined", "published"

# fmt: off  (one variant per line or two reads as a table)
VARIANTS: tuple[Variant, ...] = (
    Variant("seed", None, None, P, "nothing: the seed as published", untouched),
    # identities
    Variant(
        "income",
        "income_equals_expense",
        E,
        Q,
        "收支总表 收入总计 2,580 万元",
        total("income_total", "25800000.00"),
    ),
    Variant(
        "project",
        "basic_project_reserve_equal_expense",
        E,
        Q,
        "支出总表 项目支出 1,637 万元",
        total("project_expense", "16370000.00"),
    ),
    Variant(  # the prose and the 基本支出总表 print 人员支出 differently: that figure is withheld, and the
        # identity it breaks with it (docs/quality.md, "Withheld figures"); the rest is published
        "personnel",
        "personnel_operating_household_equal_basic",
        "withheld",
        P,
        "基本支出总表 人员支出 820 万元",
        total("personnel_expense", "8200000.00"),
    ),
    Variant(
        "reception",
        "parser_readings_hold",  # the 三公 table fails its own identity: its figures are left out
        W,
        P,
        "三公表 公务接待费 1.00 万元",
        total("official_reception", "10000.00"),
    ),
    Variant(
        "vehicle",
        "vehicle_parts_sum",
        E,
        Q,
        "三公表 公务用车运行维护费 3.65 万元",
        total("vehicle_operation", "36500.00"),
    ),
    Variant(
        "goods",
        "procurement_parts_sum",
        E,
        Q,
        "第四部分 货物采购 20 万元",
        override(place="prose", row="part4", col="procurement_goods", value="200000.00"),
    ),
    Variant(
        "appropriation",
        "appropriation_parts_sum",
        E,
        Q,
        "收支总表 一般公共预算拨款 2,589 万元",
        total("general_budget_appropriation", "25890000.00"),
    ),
    Variant(
        "sme",
        "parser_readings_hold",  # SME 310 > procurement 300: the parser leaves the reserved columns out
        W,
        P,
        "支出总表 面向中小企业 310 万元",
        total("procurement_sme", "3100000.00"),
    ),
    Variant(
        "classes",
        "function_classes_sum_to_table_total",
        E,
        Q,
        "表7 合计行 基本支出 962 万元",
        override(place="general_budget_by_function", row="total", col="basic", value="9620000.00"),
    ),
    Variant(
        "economic",
        "economic_classes_sum_to_basic",
        E,
        Q,
        "基本支出总表 301 工资福利支出 820 万元",
        line("economic_lines", 0, "amount", "8200000.00"),
    ),
    Variant(
        "projects",
        "parser_readings_hold",  # the project lines do not add up: left out by the parser
        W,
        P,
        "项目支出总表 综合事务 98 万元",
        line("projects", 1, "amount", "980000.00"),
    ),
    Variant(
        "categories",
        "procurement_categories_sum_to_total",
        E,
        Q,
        "政府采购表 C 服务 310 万元",
        line("procurement_lines", 0, "amount", "3100000.00"),
    ),
    Variant(
        "kuan",
        "function_items_sum_to_section",
        E,
        Q,
        "表7 20601 科学技术管理事务 798 万元",
        function_line("20601", total=50_000, basic=50_000),
    ),
    Variant(
        "lei",
        "function_sections_sum_to_class",
        E,
        Q,
        "表7 206 科学技术支出 2,229 万元",
        function_line("206", total=50_000, project=50_000),
    ),
    Variant(
        "columns",
        "function_line_total_is_basic_plus_project",
        E,
        Q,
        "表7 2060101 行政运行 合计 667 万元",
        function_line("2060101", total=100_000),
    ),
    # across tables and prose
    Variant(
        "cross_table",
        "printings_agree_across_tables",
        E,
        Q,
        "表7 合计 2,580 万元",
        override(place="general_budget_by_function", row="total", col="total", value="25800000.00"),
    ),
    Variant(
        "prose",
        "prose_agrees_with_tables",
        E,
        Q,
        "第二部分 部门预算收入 3,379 万元",
        override(place="prose", row="part2", col="income_total", value="33790000.00"),
    ),
    # plausibility
    Variant(
        "negative",
        "parser_readings_hold",  # a -4 project breaks the project sum: the lines are left out
        W,
        P,
        "项目支出总表 离退休干部管理 -4 万元",
        line("projects", 4, "amount", "-40000.00"),
    ),
    Variant("year", "fiscal_year_in_range", E, Q, "预算年度 2009", fiscal_year(2009)),
    Variant(
        "headcount",
        "actual_within_authorized_headcount",
        W,
        P,
        "行政实有在编人数 13 人（编制 12）",
        headcount(admin_actual=13),
    ),
    Variant(
        "per_staff",
        "per_staff_personnel_expense_in_band",
        W,
        P,
        "实有在编人数 1 人",
        headcount(admin_actual=1, cs_managed_actual=0),
    ),
    Variant(
        "code",
        "function_code_in_national_list",
        W,
        P,
        "表7 科目编码 2060188（不在全国科目表）",
        rename_code("2060102", "2060188"),
    ),
    Variant(
        "unit",
        "unit_recognised",
        E,
        Q,
        "表8 单位：万美元",
        override(place="three_public", row="unit", col="unit", text="单位：万美元"),
    ),
    # structure
    Variant(
        "missing_table",
        "standard_tables_present",  # a missing table is no evidence against the printed figures
        W,
        P,
        "表8 的标题印成“附注说明”（三公表找不到）",
        override(place="three_public", row="title", col="title", text="附注说明"),
    ),
    Variant(
        "leftover",
        "no_template_leftovers",
        E,
        Q,
        "收支总表 20604 的名称印成“【项目名称】”",
        override(place="summary", row="20604", col="name", text="【项目名称】"),
    ),
    Variant(
        "title_year",
        "one_fiscal_year_throughout",
        E,
        Q,
        "收支总表标题印成“2021年部门收支总表”",
        override(place="summary", row="title", col="title", text="2021年部门收支总表"),
    ),
    Variant(
        "performance",
        "performance_amounts_add_up",
        E,
        Q,
        "绩效目标表 产业工作 1,280 万元（合计 2,589）",
        performance_task(0, 100_000),
    ),
)
# fmt: on
BY_NAME = {v.name: v for v in VARIANTS}


def department_for(index: int, variant: Variant) -> str:
    """The seed's name for the untouched seed; a distinct name for every other variant."""
    if variant.name == "seed":
        return SEED_DEPARTMENT
    return f"{SEED_DEPARTMENT}{_STEMS[index % 10]}{_BRANCHES[index % 12]}"
