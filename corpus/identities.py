"""Accounting identities of a truth record, checked to the printed rounding.

Each check returns the list of violations (empty when the record is consistent). A figure printed
in 万元 with 0 decimals may be off by half a unit, so a sum of n printed parts may differ from its
printed total by n × ½ unit: `tolerance` gives that bound for the record's coarsest printing.

Budgets and final accounts (部门决算) share the balance (收入总计 = 支出总计, basic + project =
支出总计 − 年末结转和结余), the appropriation, 三公, vehicle and procurement sums and the function
lines' own sums. They differ where the tables cover different money: a budget's function table and
its 301 / 302 / 303 classes cover its whole basic expenditure and its classes add up to the
general-budget appropriation; a final accounts' 一般公共预算财政拨款支出决算表 and 基本支出决算表 cover
only what the general budget paid (this year's appropriation and earlier years' carry-over), so
there the economic classes add up to the function classes' basic expenditure, 人员经费 is 301 + 303,
and each economic class to its items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from budgetlens import identities as ids
from budgetlens.amounts import rounding_tolerance

PROSE_PRINTING = ("万元", 2)  # prose prints 万元 with two decimals


def tolerance(record: dict[str, Any], n_terms: int, kinds: Iterable[str] | None = None) -> Decimal:
    """Largest honest |total − Σ parts| for n printed terms, at the coarsest printing of the named
    tables ("prose" for the text; None = all): the one rounding rule, `budgetlens.amounts.rounding_tolerance`."""
    wanted = None if kinds is None else set(kinds)
    printings = [
        (t["unit"], int(t.get("decimals", 0)))
        for t in record.get("tables", [])
        if wanted is None or t["kind"] in wanted
    ]
    if wanted is None or "prose" in wanted or not printings:
        printings.append(PROSE_PRINTING)
    return max(rounding_tolerance(n_terms, unit, decimals) for unit, decimals in printings)


def _d(v: str | None) -> Decimal:
    return Decimal(v) if v is not None else Decimal(0)


TOTALS_PLACES = ("summary", "expense", "basic_expense", "basic_by_economic", "three_public", "prose")
FUNCTION_PLACES = ("general_budget_by_function",)


def _sum_check(
    record: dict[str, Any],
    label: str,
    total: str | None,
    parts: Iterable[str | None],
    kinds: Iterable[str] = TOTALS_PLACES,
) -> list[str]:
    parts = list(parts)
    if total is None or all(p is None for p in parts):
        return []
    diff = _d(total) - sum((_d(p) for p in parts), Decimal(0))
    if abs(diff) > tolerance(record, len(parts) + 1, kinds):
        return [f"{label}: {total} ≠ Σ {diff:+f}"]
    return []


def _final(record: dict[str, Any]) -> bool:
    return record.get("document", {}).get("kind") == "final_accounts"


def _function_basic(record: dict[str, Any]) -> str | None:
    """The basic expenditure the function table's classes print (None without lines)."""
    tops = [ln for ln in record.get("function_lines", []) if ln["level"] == 1]
    if not tops:
        return None
    return str(sum((_d(ln["basic"]) for ln in tops), Decimal(0)))


def check_totals(record: dict[str, Any]) -> list[str]:
    t = record["totals"]
    final = _final(record)
    out: list[str] = []
    if (
        t["income_total"] is not None
        and t["expense_total"] is not None
        and t["income_total"] != t["expense_total"]
    ):
        out.append(f"income_total {t['income_total']} ≠ expense_total {t['expense_total']}")
    e = ids.EXPENSE
    stated = [t[p] for p in e.optional if t[p] is not None]
    out += _sum_check(record, e.formula, t[e.total], [*(t[p] for p in e.parts), *stated])
    a = ids.APPROPRIATION
    out += _sum_check(record, a.formula, t[a.total], [t[p] for p in a.parts])
    out += _sum_check(
        record,
        "personnel + operating + household = general-budget basic (function classes)"
        if final
        else "personnel + operating + household = basic",
        _function_basic(record) if final else t["basic_expense"],
        [t["personnel_expense"], t["operating_expense"], t["household_subsidy"]],
    )
    if final:
        out += _sum_check(
            record,
            "人员经费 = personnel + household",
            t["staff_and_household_cost"],
            [t["personnel_expense"], t["household_subsidy"]],
        )
        if t["fiscal_appropriation"] is not None and t["income_total"] is not None:
            if _d(t["fiscal_appropriation"]) > _d(t["income_total"]) - _d(t["carryover_in"]):
                out.append("fiscal_appropriation > 本年收入 (income_total − carryover_in)")
    for identity in (ids.THREE_PUBLIC, ids.VEHICLE, ids.PROCUREMENT):
        out += _sum_check(record, identity.formula, t[identity.total], [t[p] for p in identity.parts])
    if t["procurement_sme"] is not None and _d(t["procurement_sme"]) > _d(t["procurement_total"]):
        out.append("procurement_sme > procurement_total")
    if t["procurement_small_micro"] is not None and _d(t["procurement_small_micro"]) > _d(
        t["procurement_sme"]
    ):
        out.append("procurement_small_micro > procurement_sme")
    return out


def check_function_lines(record: dict[str, Any]) -> list[str]:
    """项 → 款 → 类 sums, total = basic + project per line, classes = general-budget spending."""
    lines = record.get("function_lines", [])
    out: list[str] = []
    for ln in lines:
        out += _sum_check(
            record,
            f"function {ln['code']} total = basic + project",
            ln["total"],
            [ln["basic"], ln["project"]],
            FUNCTION_PLACES,
        )
        kids = [k for k in lines if k["level"] == ln["level"] + 1 and k["code"].startswith(ln["code"])]
        if kids:
            for col in ("total", "basic", "project"):
                out += _sum_check(
                    record,
                    f"function {ln['code']} {col} = Σ children",
                    ln[col],
                    [k[col] for k in kids],
                    FUNCTION_PLACES,
                )
    t = record["totals"]
    tops = [ln for ln in lines if ln["level"] == 1]
    if tops and t["general_budget_appropriation"] is not None and not _final(record):
        out += _sum_check(
            record,
            "Σ classes = general budget appropriation",
            t["general_budget_appropriation"],
            [ln["total"] for ln in tops],
        )
        out += _sum_check(
            record, "Σ classes basic = basic expense", t["basic_expense"], [ln["basic"] for ln in tops]
        )
    return out


def check_lines(record: dict[str, Any]) -> list[str]:
    t = record["totals"]
    out: list[str] = []
    lines = record.get("economic_lines", [])
    econ = [ln for ln in lines if ln["code"] and len(ln["code"]) == 3]
    if econ:
        out += _sum_check(
            record,
            "Σ economic classes = general-budget basic (function classes)"
            if _final(record)
            else "Σ economic classes = basic",
            _function_basic(record) if _final(record) else t["basic_expense"],
            [ln["amount"] for ln in econ],
        )
    for cls in econ:
        items = [ln for ln in lines if ln["code"] and len(ln["code"]) == 5 and ln["code"][:3] == cls["code"]]
        if items:
            out += _sum_check(
                record, f"economic {cls['code']} = Σ items", cls["amount"], [ln["amount"] for ln in items]
            )
    if record.get("projects"):
        out += _sum_check(
            record,
            "Σ projects = project expense",
            t["project_expense"],
            [p["amount"] for p in record["projects"]],
        )
    cats = [
        ln
        for ln in record.get("procurement_lines", [])
        if ln["category_code"] and len(ln["category_code"]) == 1
    ]
    if cats:
        out += _sum_check(
            record,
            "Σ procurement categories = procurement",
            t["procurement_total"],
            [ln["amount"] for ln in cats],
        )
    return out


def check_headcount(record: dict[str, Any]) -> list[str]:
    h = record["headcount"]
    out = []
    if (
        None not in (h["retirees_total"], h["veteran_retirees"], h["retirees"])
        and h["retirees_total"] != h["veteran_retirees"] + h["retirees"]
    ):
        out.append("retirees_total ≠ veteran + retirees")
    for a, b in (
        ("admin_actual", "admin_authorized"),
        ("cs_managed_actual", "cs_managed_authorized"),
        ("institution_actual", "institution_authorized"),
        ("actual_total", "authorized_total"),
    ):
        if h[a] is not None and h[b] is not None and h[a] > h[b]:
            out.append(f"{a} {h[a]} > {b} {h[b]}")
    return out


def check_units(record: dict[str, Any]) -> list[str]:
    """Rows of subordinate units (extra.units) add up to the department's row."""
    units = record.get("extra", {}).get("units", [])
    out: list[str] = []
    if units:
        for f in ("expense_total", "basic_expense", "project_expense", "procurement_total"):
            out += _sum_check(record, f"Σ unit rows {f}", record["totals"][f], [u[f] for u in units])
    return out


CHECKS: tuple[Callable[[dict[str, Any]], list[str]], ...] = (
    check_totals,
    check_function_lines,
    check_lines,
    check_headcount,
    check_units,
)
# final accounts: no subordinate-unit rows (their truth names the units only)
FINAL_CHECKS: tuple[Callable[[dict[str, Any]], list[str]], ...] = (
    check_totals,
    check_function_lines,
    check_lines,
    check_headcount,
)


def violations(record: dict[str, Any]) -> list[str]:
    """Every identity the record breaks (beyond the printed rounding); a record that fixes no
    figures (no `totals`) breaks none."""
    kind = record.get("document", {}).get("kind")
    if "totals" not in record or kind not in ("budget", "final_accounts"):
        return []
    checks = FINAL_CHECKS if kind == "final_accounts" else CHECKS
    return [v for check in checks for v in check(record)]
