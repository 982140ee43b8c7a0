"""The cross-checks run on every parsed document (see crossfoot for the arithmetic).

- income total = expense total (summary);
- expense table: total = basic + project (+ reserve) (+ carried to next year);
- function table: each line's total = basic + project; 项 sum to their 款, 款 to their 类, 类 to
  the table total; the table total against the general-budget appropriation;
- economic table: 款 sum to their 类, 类 to the total; basic-expense columns to their total;
- 三公: total = overseas + reception + vehicles; vehicles = purchase + operation;
- procurement: total = goods + works + services; category lines against the total;
- every figure printed in more than one place (tables, prose) against its canonical value.
"""

from __future__ import annotations

from budgetlens import identities as ids
from budgetlens.fields import FIELD_LABELS
from budgetlens.parse import extract as ex
from budgetlens.parse.crossfoot import Warning_, compare, sum_check
from budgetlens.parse.tables import Table


def label(field: str) -> str:
    """A field as the documents name it (budgetlens.fields.FIELD_LABELS)."""
    return FIELD_LABELS.get(field, field)


def run_checks(
    *,
    totals,
    function: Table | None,
    f_lines: list[ex.Line],
    f_totals: dict[str, ex.Figure],
    econ_lines: list,
    econ_totals: dict[str, ex.Figure],
    basic_table: Table | None,
    basic_cols: dict[str, ex.Figure],
    p_lines: list,
    expense_figs: dict[str, ex.Figure],
    summary: Table | None,
) -> list[Warning_]:
    out: list[Warning_ | None] = []
    c = totals.chosen

    def get(f: str) -> ex.Figure | None:
        return c.get(f)

    # income = expense
    if get("income_total") and get("expense_total"):
        out.append(
            compare(c["income_total"], "收入总计", c["expense_total"], "支出总计", "income_expense_mismatch")
        )
    # expense table total = basic + project (+ reserve) (+ carried over)
    total = expense_figs.get("total")
    if total is not None:
        parts = [
            (label(f), expense_figs[f])
            for f in ("basic_expense", "project_expense", "reserve_expense", "carryover_out")
            if f in expense_figs
        ]
        if len(parts) >= 2:
            out.append(sum_check(total, "合计", parts))
    elif get("expense_total") and get("basic_expense") and get("project_expense"):
        parts = [
            (label(f), c[f])
            for f in ("basic_expense", "project_expense", "reserve_expense", "carryover_out")
            if get(f)
        ]
        out.append(sum_check(c["expense_total"], "支出总计", parts))
    # function table
    if function is not None and f_lines:
        out.extend(_function_checks(function, f_lines, f_totals))
        gba = get("general_budget_appropriation")
        ftot = f_totals.get("total")
        carry = get("carryover_in")
        if gba is not None and ftot is not None and (carry is None or carry.value == 0):
            out.append(compare(gba, "一般公共预算拨款", ftot, "合计", "cross_table_mismatch"))
        exp_total = get("expense_total")
        income_total = get("income_total")
        if (
            exp_total is not None
            and ftot is not None
            and gba is not None
            and income_total is not None
            and gba.value == income_total.value
            and exp_total.table != ftot.table
        ):
            out.append(compare(exp_total, "支出总计", ftot, "合计", "cross_table_mismatch"))
    # economic lines
    if econ_lines:
        out.extend(_economic_checks(econ_lines, econ_totals))
    if basic_table is not None and basic_cols:
        parts = [
            (label(f), basic_cols[f])
            for f in ("personnel_expense", "operating_expense", "household_subsidy")
            if f in basic_cols
        ]
        roles = ex.column_roles(basic_table, ex.BASIC_ROLES)
        row = ex.total_row(basic_table)
        if "total" in roles and row is not None and len(parts) >= 2:
            t = ex.figure(basic_table.grid.rows[row][roles["total"]], basic_table.unit, basic_table)
            if t is not None:
                out.append(sum_check(t, "合计", parts))
    # 三公 (figures read from one place: a table's and the prose's are cross-checked below)
    for identity in ids.THREE_PUBLIC_IDENTITIES:
        total = get(identity.total)
        parts = [(label(f), c[f]) for f in identity.parts if get(f)]
        if total and len(parts) == len(identity.parts) and all(p[1].source == total.source for p in parts):
            out.append(sum_check(total, label(identity.total), parts))
    # procurement
    if get("procurement_total"):
        parts = [(label(f), c[f]) for f in ids.PROCUREMENT.parts if get(f)]
        if len(parts) == len(ids.PROCUREMENT.parts):
            out.append(sum_check(c["procurement_total"], label("procurement_total"), parts))
        top = [(nm, f) for code, nm, f, _ in p_lines if f is not None and len(code) == 1]
        if top and c["procurement_total"].source == "table":
            out.append(sum_check(c["procurement_total"], "合计", top))
    # the same figure printed elsewhere
    for field, others in totals.others.items():
        chosen = c[field]
        for _, other in others:
            code = (
                "prose_table_mismatch" if "prose" in (chosen.source, other.source) else "cross_table_mismatch"
            )
            out.append(compare(chosen, label(field), other, label(field), code))
    return [w for w in out if w is not None]


def _function_checks(
    function: Table, lines: list[ex.Line], totals: dict[str, ex.Figure]
) -> list[Warning_ | None]:
    out: list[Warning_ | None] = []
    for ln in lines:
        t, b, p = ln.values.get("total"), ln.values.get("basic"), ln.values.get("project")
        if t is not None and b is not None and p is not None:
            out.append(sum_check(t, f"{ln.code} 合计", [("基本支出", b), ("项目支出", p)]))
    for role in ("total", "basic", "project"):
        by_code = {ln.code: ln.values.get(role) for ln in lines if ln.values.get(role) is not None}
        for parent_len, child_len in ((5, 7), (3, 5)):
            for code, fig in by_code.items():
                if len(code) != parent_len:
                    continue
                kids = [(k, f) for k, f in by_code.items() if len(k) == child_len and k.startswith(code)]
                if kids:
                    out.append(sum_check(fig, f"功能分类 {code}", kids))
        table_total = totals.get(role)
        classes = [(k, f) for k, f in by_code.items() if len(k) == 3]
        if table_total is not None and classes:
            out.append(sum_check(table_total, "合计", classes))
    return out


def _economic_checks(lines: list, totals: dict[str, ex.Figure]) -> list[Warning_ | None]:
    """Each 类 line against the 款 lines printed below it, and the 类 lines against the table's
    total. A 类 printed more than once (split by another classification beside it) is checked
    block by block, and each of its printings counts in the total."""
    out: list[Warning_ | None] = []
    blocks: list[tuple[str, ex.Figure | None, list]] = []
    for code, _, f, _ in lines:
        if len(code) == 3:
            blocks.append((code, f, []))
        elif len(code) == 5 and blocks and code.startswith(blocks[-1][0]) and f is not None:
            blocks[-1][2].append((code, f))
    for code, f, kids in blocks:
        if f is not None and kids:
            out.append(sum_check(f, f"经济分类 {code}", kids))
    classes = [(code, f) for code, f, _ in blocks if f is not None]
    total = totals.get("total")
    if total is not None and classes:
        out.append(sum_check(total, "合计", classes))
    return out
