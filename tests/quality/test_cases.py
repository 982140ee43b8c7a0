"""Each expectation on constructed data: a small consistent budget with one thing changed per case.

All cases are validated together in one GX run (distinct departments, so uniqueness does not
mix them up); each case states every expectation it must fail and at which severity, so a side
effect on another expectation fails the test too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from expectations.settings import current_year
from tests.quality.builders import both, budget, evaluate, failed, in_yuan, line, obs, wan

E, W = "error", "warning"


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[dict[str, Any]], None]
    expected: dict[str, str] = field(default_factory=dict)  # expectation → severity
    status: str | None = None  # default: quarantined when any error, else published


def total(**values: Any) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        b["totals"].update({k: (None if v is None else Decimal(v)) for k, v in values.items()})

    return f


def fl(code: str, **values: Any) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        line(b, code).update({k: Decimal(v) for k, v in values.items()})

    return f


def add_obs(*os: dict) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        for k, o in enumerate(os):
            b["observations"].append({**o, "doc_id": b["document"]["doc_id"], "obs_index": 100 + k})

    return f


def replace_obs(field: str, printed: str, value: Decimal) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        for o in b["observations"]:
            if o["field"] == field:
                o.update(printed=printed, value=value)

    return f


def set_table(kind: str, **values: Any) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        for t in b["tables"]:
            if t["kind"] == kind:
                t.update(values)

    return f


def drop_table(kind: str) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        b["tables"] = [t for t in b["tables"] if t["kind"] != kind]

    return f


def cells(*texts: tuple[str, str]) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        b["text_cells"] = [
            {"doc_id": b["document"]["doc_id"], "table_index": 0, "table_kind": kind, "row_index": i,
             "col_index": 0, "text": text, "page": 3}
            for i, (kind, text) in enumerate(texts)
        ]  # fmt: skip

    return f


def doc(**values: Any) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        b["document"].update(values)

    return f


def performance(*rows: tuple[str, str]) -> Callable[[dict], None]:
    """Performance table rows (label, amount in 万元); the last is 金额合计."""

    def f(b: dict) -> None:
        out = []
        for r, (label, amount) in enumerate(rows):
            out += [
                {"doc_id": b["document"]["doc_id"], "table_index": 12, "row_index": r, "col_index": 1,
                 "text": label, "amount": None, "page": 9},
                {"doc_id": b["document"]["doc_id"], "table_index": 12, "row_index": r, "col_index": 3,
                 "text": amount, "amount": wan(amount), "page": 9},
            ]  # fmt: skip
        b["performance_cells"] = out

    return f


def rows(part: str, *items: dict) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        b[part] = [{"doc_id": b["document"]["doc_id"], "line_no": i, **it} for i, it in enumerate(items)]

    return f


def add_lines(*lines: tuple[str, str, int]) -> Callable[[dict], None]:
    """Function lines printed as 0 (a class with nothing this year)."""

    def f(b: dict) -> None:
        for code, name, level in lines:
            b["function_lines"].append(
                {"doc_id": b["document"]["doc_id"], "line_no": len(b["function_lines"]), "code": code, "name": name,
                 "level": level, "total": wan(0), "basic": wan(0), "project": wan(0)}
            )  # fmt: skip

    return f


def _other_money(b: dict) -> None:
    """10 万元 of income outside the general budget: all-funds totals 110, general-budget tables 100."""
    total(income_total=wan(110), expense_total=wan(110), project_expense=wan(50))(b)
    replace_obs("totals.expense_total", "110", wan(110))(b)
    replace_obs("totals.income_total", "110", wan(110))(b)
    add_obs(
        obs("function:206", "summary", "110", wan(110), canonical=False, label="二、科学技术支出"),
        obs(
            "totals.expense_total",
            "general_budget_by_function",
            "100",
            wan(100),
            canonical=False,
            label="合计",
        ),
    )(b)


OTHER_MONEY = _other_money


def nothing(b: dict) -> None:
    """The constructed budget as it is."""


TT = "table_total:"
CASES: tuple[Case, ...] = (
    Case("clean", nothing),
    # tolerance follows the printed precision
    Case("item_within_rounding", fl("2060101", total=wan(61), basic=wan(61))),  # Σ项 101 vs 100: 1 ≤ 1.5
    Case("item_two_units_off", fl("2060101", total=wan(62), basic=wan(62)), {"function_items_sum_to_section": E}),
    Case("line_columns", fl("2060101", total=wan(63)), {
        "function_line_total_is_basic_plus_project": E, "function_items_sum_to_section": E}),
    Case("section_to_class", fl("206", total=wan(103), project=wan(43)), {
        "function_sections_sum_to_class": E, "function_classes_sum_to_table_total": E}),
    Case("one_unit_apart_printings", add_obs(
        obs("totals.expense_total", "expense", "101", wan(101), canonical=False, label="支出总计")),
        {"printings_agree_across_tables": E}),
    Case("total_row_of_rounded_lines", both(
        add_lines(("201", "一般公共服务支出", 1), ("20132", "组织事务", 2), ("2013299", "其他组织事务支出", 3)),
        fl("206", total=wan(101), project=wan(41)), fl("20601", total=wan(101), project=wan(41)),
        fl("2060102", total=wan(41), project=wan(41)),
        replace_obs(TT + "general_budget_by_function.total", "101", wan(101)),
        replace_obs(TT + "general_budget_by_function.project", "41", wan(41)),
        add_obs(obs("totals.expense_total", "general_budget_by_function", "101", wan(101), canonical=False)))),
    Case("total_row_unexplained", add_obs(
        obs("totals.expense_total", "general_budget_by_function", "101", wan(101), canonical=False)),
        {"printings_agree_across_tables": E}),
    Case("other_money", OTHER_MONEY),  # 10 万元 of other funds: summary 206 110 ≥ general budget 100
    # a function line printed below its general-budget figure in the all-funds table: that line is
    # withheld (the budget publishes), not the whole budget quarantined
    Case("other_money_part_exceeds", both(OTHER_MONEY, replace_obs("function:206", "95", wan(95))),
         {"printings_agree_across_tables": "withheld"}, "published"),
    Case("other_money_basic_parts_bound", both(OTHER_MONEY, doc(template=None), total(basic_expense=wan(65),
                                                                                     project_expense=wan(45)))),
    Case("other_money_basic_parts_exceed", both(OTHER_MONEY, doc(template=None), total(
        basic_expense=wan(55), project_expense=wan(55))), {"personnel_operating_household_equal_basic": E}),
    Case("finer_printing_within", add_obs(
        obs("totals.expense_total", "prose", "100.31", wan("100.31"), canonical=False))),
    Case("prose_differs", add_obs(
        obs("totals.expense_total", "prose", "110", wan(110), canonical=False)), {"prose_agrees_with_tables": E}),
    Case("headcount_printings_differ", both(add_obs(
        obs("headcount.admin_actual", "prose", "9", Decimal(9), canonical=True, unit=None),
        obs("headcount.admin_actual", "prose", "8", Decimal(8), canonical=False, unit=None))),
        {"prose_agrees_with_tables": E}),
    # materiality
    Case("one_yuan_slip_in_yuan", lambda b: (in_yuan(b), fl("20601", total=wan(100) + 1, basic=wan(60) + 1)(b)),
         {"function_items_sum_to_section": W, "function_sections_sum_to_class": W}, "published"),
    Case("one_cent_in_yuan", lambda b: (in_yuan(b), fl("2060102", total=wan(40) + Decimal("0.01"),
                                                      project=wan(40) + Decimal("0.01"))(b)),
         {"function_items_sum_to_section": W}, "published"),
    Case("small_gap_on_a_compared_figure", total(official_reception=wan("0.53")), {"three_public_parts_sum": E}),
    # identities
    Case("income_expense", total(income_total=wan(101)), {"income_equals_expense": E}),
    Case("basic_project_rounding", total(project_expense=wan(42))),  # 4 figures in whole 万元: 2 万元
    Case("basic_project", total(project_expense=wan(43)), {"basic_project_reserve_equal_expense": E}),
    Case("reserve_counts", total(reserve_expense=wan(5), project_expense=wan(35))),
    Case("basic_parts", total(personnel_expense=wan(48)), {"personnel_operating_household_equal_basic": E}),
    Case("vehicle", total(vehicle_operation=wan("1.10")), {"vehicle_parts_sum": E}),
    Case("procurement", total(procurement_goods=wan(8)), {"procurement_parts_sum": E}),
    Case("procurement_part_missing_ok", total(procurement_works=None)),
    Case("procurement_part_missing_over", total(procurement_works=None, procurement_goods=wan(9)),
         {"procurement_parts_sum": E}),
    Case("appropriation", total(general_budget_appropriation=wan(90)), {"appropriation_parts_sum": E}),
    Case("sme", total(procurement_sme=wan(25), procurement_small_micro=wan(8)), {"procurement_sme_within_total": E}),
    Case("classes_table_total", replace_obs(TT + "general_budget_by_function.total", "101", wan(101)),
         {"function_classes_sum_to_table_total": E}),
    Case("economic_ok", both(rows("economic_lines", {"code": "301", "name": "工资福利支出", "amount": wan(45)},
                                  {"code": "30101", "name": "基本工资", "amount": wan(20)},
                                  {"code": "302", "name": "商品和服务支出", "amount": wan(10)},
                                  {"code": "303", "name": "对个人和家庭的补助", "amount": wan(5)}),
                             add_obs(obs(TT + "basic_expense.total", "basic_expense", "60", wan(60), canonical=True)))),
    Case("economic_off", both(rows("economic_lines", {"code": "301", "name": "工资福利支出", "amount": wan(48)},
                                   {"code": "302", "name": "商品和服务支出", "amount": wan(10)},
                                   {"code": "303", "name": "对个人和家庭的补助", "amount": wan(5)}),
                              add_obs(obs(TT + "basic_expense.total", "basic_expense", "60", wan(60), canonical=True))),
         {"economic_classes_sum_to_basic": E}),
    Case("projects_subset_ok", rows("projects", {"name": "甲", "amount": wan(30)}, {"name": "乙", "amount": wan(5)})),
    Case("projects_exceed", rows("projects", {"name": "甲", "amount": wan(30)}, {"name": "乙", "amount": wan(15)}),
         {"projects_sum_to_project_expense": E}),
    Case("categories_rounding", both(
        rows("procurement_lines", {"category_code": "A", "category": "货物", "amount": wan(5)},
             {"category_code": "C", "category": "服务", "amount": wan(16)},
             {"category_code": "C99", "category": "其他服务", "amount": wan(16)}),
        add_obs(obs(TT + "procurement.total", "procurement", "20", wan(20), canonical=True)))),
    Case("categories_off", both(
        rows("procurement_lines", {"category_code": "A", "category": "货物", "amount": wan(5)},
             {"category_code": "C", "category": "服务", "amount": wan(18)}),
        add_obs(obs(TT + "procurement.total", "procurement", "20", wan(20), canonical=True))),
        {"procurement_categories_sum_to_total": E}),
    # plausibility
    Case("negative_line", fl("2060102", total=wan(-40), project=wan(-40)), {
        "amounts_non_negative": E, "function_items_sum_to_section": E}),
    Case("year_too_old", doc(fiscal_year=2009), {"fiscal_year_in_range": E, "one_fiscal_year_throughout": E}),
    Case("year_too_new", doc(fiscal_year=current_year() + 2), {"fiscal_year_in_range": E,
                                                               "one_fiscal_year_throughout": E}),
    Case("actual_over_authorized", lambda b: b["headcount"].update(admin_actual=11),
         {"actual_within_authorized_headcount": W}, "published"),
    Case("per_staff_below_band", total(operating_expense=wan("0.5"), personnel_expense=wan("54.5")),
         {"per_staff_operating_expense_in_band": W}, "published"),
    Case("per_staff_headcount_misread", lambda b: b["headcount"].update(admin_actual=9000),
         {"per_staff_personnel_expense_in_band": W, "per_staff_operating_expense_in_band": W,
          "per_staff_agency_running_cost_in_band": W, "actual_within_authorized_headcount": W}, "published"),
    Case("per_staff_three_public_above_band", both(
        lambda b: b["headcount"].update(admin_actual=1, cs_managed_actual=0),
        total(three_public_total=wan("31.00"), official_reception=wan("30.00")),
        replace_obs("totals.three_public_total", "31.00", wan("31.00")),
        replace_obs("totals.official_reception", "30.00", wan("30.00"))),
        {"per_staff_three_public_total_in_band": W}, "published"),
    Case("code_malformed", lambda b: line(b, "20601").update(code="2060"), {
        "function_code_well_formed": E, "function_code_in_national_list": W}),
    Case("code_level_mismatch", lambda b: line(b, "20601").update(level=3), {"function_code_well_formed": E}),
    Case("code_unknown", lambda b: line(b, "2060102").update(code="2060188"),
         {"function_code_in_national_list": W}, "published"),
    Case("unit_unknown", set_table("expense", unit="万美元"), {"unit_recognised": E}),
    Case("unit_missing", set_table("summary", unit=None), {"unit_recognised": E}),
    # structure
    Case("table_missing_material", drop_table("three_public"), {"standard_tables_present": W}, "published"),
    Case("table_missing_other", drop_table("transfer_payment"), {"standard_tables_present": W}, "published"),
    Case("table_without_rows", set_table("performance", row_count=0), {"standard_tables_present": W}, "published"),
    Case("no_template_family", doc(template=None), {}),
    Case("leftover_cell", cells(("summary", "XX项目支出")), {"no_template_leftovers": E}),
    Case("leftover_brackets", cells(("expense", "【单位名称】")), {"no_template_leftovers": E}),
    Case("leftover_in_performance_text", cells(("performance", "满意度≥××%")), {"no_template_leftovers": W},
         "published"),
    Case("no_leftover", cells(("summary", "一般公共服务支出"), ("performance", "≥95%"))),
    Case("leftover_title", set_table("summary", title="【部门名称】收支总表"), {"no_template_leftovers": E}),
    Case("title_other_year", set_table("summary", title="2021年部门收支总表"), {"one_fiscal_year_throughout": E}),
    Case("header_prior_year_ok", set_table("three_public", header='[["2021年预算数", "2022年预算数"]]')),
    Case("header_two_years_back", set_table("expense", header='[["2020年决算数"]]'), {"one_fiscal_year_throughout": E}),
    Case("prose_prior_year_ok", add_obs(obs("totals.expense_total", "prose", "100", wan(100), canonical=False,
                                            label="比2021年增加"))),
    Case("prose_next_year", add_obs(obs("totals.expense_total", "prose", "100", wan(100), canonical=False,
                                        label="2023年预算支出")), {"one_fiscal_year_throughout": E}),
    Case("performance_ok", performance(("产业工作", "60"), ("日常工作", "40"), ("金额合计", "100"))),
    Case("performance_tasks_off", performance(("产业工作", "60"), ("日常工作", "45"), ("金额合计", "100")),
         {"performance_amounts_add_up": E}),
    Case("performance_other_budget", performance(("产业工作", "50"), ("日常工作", "40"), ("金额合计", "90")),
         {"performance_amounts_add_up": E}),
    # completeness
    Case("no_jurisdiction", doc(jurisdiction=None), {"has_jurisdiction": E}),
    Case("no_department", doc(department=""), {"has_department": E}),
    Case("no_fiscal_year", doc(fiscal_year=None), {"has_fiscal_year": E}),
    Case("no_expense_total", total(expense_total=None), {"has_expense_total": E}),
    Case("final_accounts_without_totals", both(doc(kind="final_accounts"), lambda b: b["totals"].update(
        {k: None for k in b["totals"] if k != "doc_id"}))),
)  # fmt: skip


@pytest.fixture(scope="module")
def evaluation():
    docs = []
    for c in CASES:
        b = budget(
            c.name,
            department=f"深圳市罗湖区测试局{c.name}",
            department_canonical=f"深圳市罗湖区测试局{c.name}",
        )
        c.change(b)
        docs.append(b)
    return evaluate(*docs)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(evaluation, case):
    got = failed(evaluation, case.name)
    assert got == {k: {v} for k, v in case.expected.items()}, [
        f.message for f in evaluation.findings if f.doc_id == case.name
    ]
    decision = evaluation.decisions[case.name]
    status = case.status or ("quarantined" if E in case.expected.values() else "published")
    assert decision.status == status
    if status == "published":
        assert set(decision.flags) == {k for k, v in case.expected.items() if v in (W, "withheld")}


def test_messages_say_where_and_by_how_much(evaluation):
    [m] = [f.message for f in evaluation.findings if f.doc_id == "one_unit_apart_printings"]
    assert m == (
        "表1 收支总表 支出总计（第1页） 100 万元 ≠ 表3 支出总表 支出总计（第1页） 101 万元"
        "（相差 1 万元 = 10,000.00 元，容差 0.5 万元）"
    )
    m = next(
        f.message
        for f in evaluation.findings
        if f.doc_id == "one_yuan_slip_in_yuan" and "Σ项 合计" in f.message
    )
    assert m == (
        "表7 一般公共预算支出表（按功能分类） 20601 科学技术管理事务 合计 1,000,001.00 元 ≠ Σ项 合计 1,000,000.00 元"
        "（600,000.00 元 + 400,000.00 元）（相差 1 元，容差 0 元）"
    )


def test_duplicates_keep_the_best_and_quarantine_conflicts():
    a = budget("a", fetched_at=None)
    b = budget("b")  # identical figures, same key
    c = budget("c", department="深圳市罗湖区另一局", department_canonical="深圳市罗湖区另一局")
    d = budget("d", department="深圳市罗湖区另一局", department_canonical="深圳市罗湖区另一局")
    d["totals"]["agency_running_cost"] = wan(11)  # a compared figure differs
    ev = evaluate(a, b, c, d)
    st = {k: v.status for k, v in ev.decisions.items()}
    assert st == {"a": "published", "b": "quarantined", "c": "quarantined", "d": "quarantined"}
    assert "与 a.pdf 重复" in ev.decisions["b"].reason
    assert "数字不同" in ev.decisions["c"].reason and "数字不同" in ev.decisions["d"].reason
