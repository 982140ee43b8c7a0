"""The accounting identities are pure functions: consistent records pass, broken ones are named."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from budgetlens.fields import HEADCOUNT_FIELDS, TOTALS_FIELDS
from corpus.identities import tolerance, violations
from corpus.seed import seed_record


def _record(unit: str = "万元", decimals: int = 0, **totals: str) -> dict:
    t = {f: None for f in TOTALS_FIELDS}
    t.update(totals)
    return {
        "document": {"kind": "budget"},
        "headcount": {f: None for f in HEADCOUNT_FIELDS},
        "totals": t,
        "function_lines": [],
        "economic_lines": [],
        "projects": [],
        "procurement_lines": [],
        "tables": [
            {"kind": k, "unit": unit, "decimals": decimals, "empty": False}
            for k in ("summary", "expense", "general_budget_by_function")
        ],
    }


def test_seed_record_is_consistent() -> None:
    assert violations(seed_record()) == []


@pytest.mark.parametrize(
    ("unit", "decimals", "n", "expected"),
    [
        ("万元", 0, 2, "10000"),
        ("万元", 2, 4, "200"),
        ("元", 2, 3, "150"),
    ],  # prose (万元, 2 decimals) bounds 元 tables
)
def test_tolerance_follows_printed_rounding(unit: str, decimals: int, n: int, expected: str) -> None:
    assert tolerance(_record(unit, decimals), n) == int(expected)


def test_function_tolerance_uses_the_function_table_only() -> None:
    rec = _record("元", 2)
    assert tolerance(rec, 2, ["general_budget_by_function"]) == Decimal("0.01")


@pytest.mark.parametrize(
    ("totals", "broken"),
    [
        (
            {
                "income_total": "100.00",
                "expense_total": "100.00",
                "basic_expense": "40.00",
                "project_expense": "60.00",
            },
            None,
        ),
        (
            {
                "income_total": "1000000.00",
                "expense_total": "1000000.00",
                "basic_expense": "400000.00",
                "project_expense": "500000.00",
            },
            "basic_expense + project_expense",
        ),
        ({"income_total": "1.00", "expense_total": "2.00"}, "income_total"),
        (
            {
                "three_public_total": "90000.00",
                "overseas_travel": "0.00",
                "official_reception": "10000.00",
                "vehicle_total": "20000.00",
            },
            "three_public_total =",
        ),
        ({"vehicle_total": "30000.00", "vehicle_purchase": "0.00", "vehicle_operation": "30000.00"}, None),
        (
            {
                "procurement_total": "3000000.00",
                "procurement_goods": "0.00",
                "procurement_works": "0.00",
                "procurement_services": "2000000.00",
            },
            "procurement",
        ),
        ({"procurement_total": "100.00", "procurement_sme": "200.00"}, "procurement_sme"),
    ],
)
def test_totals_identities(totals: dict, broken: str | None) -> None:
    found = violations(_record(**totals))
    if broken is None:
        assert found == []
    else:
        assert any(broken in v for v in found), found


def test_rounding_within_tolerance_is_not_a_violation() -> None:
    # printed 万元, 0 decimals: 953 ≠ 810 + 87 + 55 by one unit, within 4 × ½ 万元
    rec = _record(
        basic_expense="9530000.00",
        personnel_expense="8100000.00",
        operating_expense="870000.00",
        household_subsidy="550000.00",
    )
    assert violations(rec) == []
    rec["totals"]["basic_expense"] = "9600000.00"
    assert violations(rec) != []


def test_a_kuan_one_yuan_off_is_found_in_a_yuan_document() -> None:
    rec = _record("元", 2, general_budget_appropriation="300.00")
    rec["function_lines"] = [
        {"code": "201", "name": "a", "level": 1, "total": "300.00", "basic": "300.00", "project": "0.00"},
        {"code": "20101", "name": "b", "level": 2, "total": "301.00", "basic": "301.00", "project": "0.00"},
        {"code": "2010101", "name": "c", "level": 3, "total": "100.00", "basic": "100.00", "project": "0.00"},
        {"code": "2010102", "name": "d", "level": 3, "total": "200.00", "basic": "200.00", "project": "0.00"},
    ]
    found = violations(rec)
    assert any("20101 total = Σ children" in v for v in found) and any("201 total" in v for v in found)
    fixed = copy.deepcopy(rec)
    fixed["function_lines"][1].update(total="300.00", basic="300.00")
    assert violations(fixed) == []


def test_headcount_identities() -> None:
    rec = _record()
    rec["headcount"].update(
        veteran_retirees=1, retirees=7, retirees_total=9, admin_actual=13, admin_authorized=12
    )
    found = violations(rec)
    assert any("retirees_total" in v for v in found) and any("admin_actual" in v for v in found)


def test_a_record_without_figures_is_not_checked() -> None:
    assert violations({"document": {"kind": "final_accounts"}}) == []


def _final(**totals: str) -> dict:
    rec = _record("万元", 2, **totals)
    rec["document"]["kind"] = "final_accounts"
    rec["function_lines"] = [
        {
            "code": "205",
            "name": "a",
            "level": 1,
            "total": "9000000.00",
            "basic": "3000000.00",
            "project": "6000000.00",
        },
    ]
    return rec


def test_final_accounts_compare_economic_classes_with_general_budget_basic() -> None:
    """In final accounts the 基本支出决算表 covers the general budget only: 301 + 302 + 303 add up to
    the function classes' basic expenditure, not to the 支出决算表's (which holds other money too)."""
    ok = _final(
        basic_expense="5000000.00",  # 200 of it paid from a fund or other income
        personnel_expense="2000000.00",
        operating_expense="1000000.00",
        household_subsidy="0.00",
        staff_and_household_cost="2000000.00",
    )
    assert violations(ok) == []
    as_budget = copy.deepcopy(ok)
    as_budget["document"]["kind"] = "budget"
    assert any("personnel + operating + household = basic" in v for v in violations(as_budget))
    broken = copy.deepcopy(ok)
    broken["totals"]["staff_and_household_cost"] = "3000000.00"
    assert any("人员经费" in v for v in violations(broken))


def test_final_accounts_balance_with_their_carry_overs() -> None:
    """本年收入 + 年初结转和结余 = 本年支出 + 年末结转和结余 (both 总计), 本年支出 = basic + project."""
    ok = _final(
        income_total="15000000.00",
        expense_total="15000000.00",
        carryover_in="1000000.00",
        carryover_out="6000000.00",
        basic_expense="3000000.00",
        project_expense="6000000.00",
        fiscal_appropriation="14000000.00",
    )
    assert violations(ok) == []
    broken = copy.deepcopy(ok)
    broken["totals"]["carryover_out"] = "0.00"
    assert any("carryover_out" in v for v in violations(broken))
    broken = copy.deepcopy(ok)
    broken["totals"]["fiscal_appropriation"] = "14500000.00"
    assert any("fiscal_appropriation > 本年收入" in v for v in violations(broken))


def test_economic_items_add_up_to_their_class() -> None:
    rec = _final()
    rec["economic_lines"] = [
        {"code": "301", "name": "工资福利支出", "amount": "3000000.00"},
        {"code": "30101", "name": "基本工资", "amount": "1000000.00"},
        {"code": "30102", "name": "津贴补贴", "amount": "2000000.00"},
    ]
    assert violations(rec) == []
    rec["economic_lines"][2]["amount"] = "2500000.00"
    assert any("economic 301 = Σ items" in v for v in violations(rec))
