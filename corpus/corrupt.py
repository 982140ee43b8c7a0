"""Corrupted-quality copies: a clean document with one printed figure changed at one place.

Each copy is a new truth (new id and file) whose `quality` says what the data-quality suites must
conclude and why, and whose `records[].warnings` lists the warning codes a parser should raise.
A change at a non-canonical place is an `render.overrides` entry (the truth's fields stay); a change
at a canonical place changes the truth field itself (the truth holds what is printed).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from budgetlens.amounts import format_yuan, unit_multiplier
from corpus.numbers import prose_amount

CORRUPTIONS = ("cross_table", "prose_table", "kuan_sum", "procurement_parts", "one_yuan")


def _unit_step(record: dict[str, Any], kind: str) -> Decimal:
    for t in record["tables"]:
        if t["kind"] == kind:
            return unit_multiplier(t["unit"]) * Decimal(10) ** -int(t.get("decimals", 0))
    return Decimal(10_000)


def corrupt(truth: dict[str, Any], how: str, suffix: str) -> dict[str, Any]:
    """A corrupted copy of a clean single-record truth (`how` in CORRUPTIONS)."""
    t = copy.deepcopy(truth)
    t["id"] = f"{truth['id']}-{how.replace('_', '-')}"
    t["file"] = truth["file"].removesuffix(".pdf") + f"{suffix}.pdf"
    from urllib.parse import quote

    t["url_path"] = "/" + quote(t["file"].removeprefix("sites/"))
    t["origin"] = "synthetic"
    rec = t["records"][0]
    tot = rec["totals"]
    render = t["render"]
    render["variations"] = sorted(set(render["variations"]) | {f"corrupt:{how}"})
    overrides = render.setdefault("overrides", [])
    dept = rec["document"]["department"]
    if how == "cross_table":
        step = _unit_step(rec, "general_budget_by_function")
        wrong = Decimal(tot["expense_total"]) + 100 * step
        overrides.append(
            {
                "place": "general_budget_by_function",
                "row": "total",
                "col": "total",
                "value": format_yuan(wrong),
            }
        )
        reason = (
            f"{dept}：表7 一般公共预算支出表合计 {prose_amount(wrong)} 万元与表1 收支总表支出总计 "
            f"{prose_amount(tot['expense_total'])} 万元不一致"
        )
        # 表7's own 合计 no longer adds up to its 类 lines either: a second, genuine disagreement
        rec["warnings"] = ["cross_table_mismatch", "sum_mismatch"]
        status = "quarantined"
    elif how == "prose_table":
        wrong = Decimal(tot["income_total"]) + Decimal(8_000_000)
        overrides.append(
            {"place": "prose", "row": "part2", "col": "income_total", "value": format_yuan(wrong)}
        )
        reason = (
            f"{dept}：第二部分文字部门预算收入 {prose_amount(wrong)} 万元与收支总表收入总计 "
            f"{prose_amount(tot['income_total'])} 万元不一致"
        )
        rec["warnings"] = ["prose_table_mismatch"]
        status = "quarantined"
    elif how in ("kuan_sum", "one_yuan"):
        kuan = next(
            ln
            for ln in rec["function_lines"]
            if ln["level"] == 2
            and sum(1 for x in rec["function_lines"] if x["level"] == 3 and x["code"].startswith(ln["code"]))
            > 1
        )
        delta = Decimal(1) if how == "one_yuan" else 5 * _unit_step(rec, "general_budget_by_function")
        kuan["total"] = format_yuan(Decimal(kuan["total"]) + delta)
        kuan["basic"] = (
            format_yuan(Decimal(kuan["basic"]) + delta) if Decimal(kuan["basic"]) else kuan["basic"]
        )
        if kuan["basic"] == format_yuan(Decimal(0)):
            kuan["project"] = format_yuan(Decimal(kuan["project"]) + delta)
        reason = f"{dept}：功能分类 {kuan['code']} {kuan['name']} 与其各项之和相差 {format_yuan(delta)} 元"
        rec["warnings"] = ["sum_mismatch"]
        status = "published" if how == "one_yuan" else "quarantined"
    elif how == "procurement_parts":
        wrong = Decimal(tot["procurement_goods"]) + Decimal(200_000)
        tot["procurement_goods"] = format_yuan(wrong)
        reason = (
            f"{dept}：政府采购货物 {prose_amount(wrong)} 万元、工程 {prose_amount(tot['procurement_works'])} 万元、"
            f"服务 {prose_amount(tot['procurement_services'])} 万元之和与政府采购合计 "
            f"{prose_amount(tot['procurement_total'])} 万元不符"
        )
        # the prose's 货物 now also differs from the procurement table's 货物 row
        rec["warnings"] = ["prose_table_mismatch", "sum_mismatch"]
        status = "quarantined"
    else:
        raise ValueError(f"unknown corruption {how!r}")
    t["quality"] = {
        "status": status,
        "reasons": [reason] if status == "quarantined" else [],
        "notes": [reason] if status == "published" else [],
    }
    return t
