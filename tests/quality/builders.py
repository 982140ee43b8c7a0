"""Constructed warehouse data for the direct tests: one small consistent budget, changed per case.

`budget()` is a tiny document in whole 万元 that passes every expectation; each test changes one
thing (a figure, a printing, a code) and checks what the suites say. Values are exact yuan
`Decimal`s, as the warehouse returns them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from budgetlens.fields import HEADCOUNT_FIELDS, TEMPLATE_TABLES, TOTALS_FIELDS
from expectations.data import WarehouseData

W = Decimal(10_000)  # one 万元 in yuan


def wan(x: str | int) -> Decimal:
    return Decimal(str(x)) * W


def obs(
    field: str,
    place: str,
    printed: str,
    value: Decimal,
    *,
    canonical: bool,
    unit: str | None = "万元",
    label: str = "",
    page: int = 1,
    k: int = 0,
) -> dict:
    return {
        "field": field,
        "place": place,
        "label": label or field,
        "printed": printed,
        "unit": unit,
        "value": value,
        "canonical": canonical,
        "page": page,
        "obs_index": k,
    }


def budget(doc_id: str = "d1", **document: Any) -> dict[str, Any]:
    """One consistent budget (2022, shenzhen13, whole 万元; 三公 with two decimals)."""
    totals = dict.fromkeys(TOTALS_FIELDS)
    totals.update(
        income_total=wan(100),
        expense_total=wan(100),
        fiscal_appropriation=wan(100),
        general_budget_appropriation=wan(100),
        gov_fund_appropriation=wan(0),
        state_capital_appropriation=wan(0),
        basic_expense=wan(60),
        project_expense=wan(40),
        carryover_out=wan(0),
        personnel_expense=wan(45),
        operating_expense=wan(10),
        household_subsidy=wan(5),
        agency_running_cost=wan(10),
        three_public_total=wan("1.50"),
        overseas_travel=wan(0),
        official_reception=wan("0.50"),
        vehicle_total=wan("1.00"),
        vehicle_purchase=wan(0),
        vehicle_operation=wan("1.00"),
        procurement_total=wan(20),
        procurement_goods=wan(5),
        procurement_works=wan(0),
        procurement_services=wan(15),
        procurement_sme=wan(10),
        procurement_small_micro=wan(8),
    )
    head = dict.fromkeys(HEADCOUNT_FIELDS)
    head.update(admin_authorized=10, admin_actual=9, cs_managed_authorized=2, cs_managed_actual=1)
    doc = {
        "doc_id": doc_id,
        "file_name": f"{doc_id}.pdf",
        "jurisdiction": "深圳市罗湖区",
        "department": "深圳市罗湖区测试局",
        "department_canonical": "深圳市罗湖区测试局",
        "fiscal_year": 2022,
        "kind": "budget",
        "template": "shenzhen13",
        "fetched_at": None,
        "parsed_at": None,
    }
    doc.update(document)
    kinds = TEMPLATE_TABLES["shenzhen13"]
    tables = [
        {
            "doc_id": doc_id,
            "table_index": i,
            "kind": k,
            "title": None,
            "unit": "万元",
            "empty": k in ("gov_fund", "state_capital", "transfer_payment"),
            "header": '[["项目", "2022年预算数"]]',
            "row_count": 3,
            "decimals": 2 if k == "three_public" else 0,
        }
        for i, k in enumerate(kinds)
    ]
    lines = [
        {
            "code": "206",
            "name": "科学技术支出",
            "level": 1,
            "total": wan(100),
            "basic": wan(60),
            "project": wan(40),
        },
        {
            "code": "20601",
            "name": "科学技术管理事务",
            "level": 2,
            "total": wan(100),
            "basic": wan(60),
            "project": wan(40),
        },
        {
            "code": "2060101",
            "name": "行政运行",
            "level": 3,
            "total": wan(60),
            "basic": wan(60),
            "project": wan(0),
        },
        {
            "code": "2060102",
            "name": "一般行政管理事务",
            "level": 3,
            "total": wan(40),
            "basic": wan(0),
            "project": wan(40),
        },
    ]
    for i, ln in enumerate(lines):
        ln.update(doc_id=doc_id, line_no=i)
    observations = [
        obs("totals.expense_total", "summary", "100", wan(100), canonical=True, label="支出总计", k=0),
        obs("totals.income_total", "summary", "100", wan(100), canonical=True, label="收入总计", k=1),
        obs(
            "totals.expense_total",
            "prose",
            "100",
            wan(100),
            canonical=False,
            label="部门预算支出100万元",
            k=2,
        ),
        obs(
            "table_total:general_budget_by_function.total",
            "general_budget_by_function",
            "100",
            wan(100),
            canonical=True,
            k=3,
        ),
        obs(
            "table_total:general_budget_by_function.basic",
            "general_budget_by_function",
            "60",
            wan(60),
            canonical=True,
            k=4,
        ),
        obs(
            "table_total:general_budget_by_function.project",
            "general_budget_by_function",
            "40",
            wan(40),
            canonical=True,
            k=5,
        ),
        obs("totals.three_public_total", "three_public", "1.50", wan("1.50"), canonical=True, k=6),
    ]
    for o in observations:
        o["doc_id"] = doc_id
    return {
        "document": doc,
        "totals": {"doc_id": doc_id, **totals},
        "headcount": {"doc_id": doc_id, **head},
        "function_lines": lines,
        "tables": tables,
        "observations": observations,
        "economic_lines": [],
        "projects": [],
        "procurement_lines": [],
        "text_cells": [],
        "performance_cells": [],
    }


def data(*docs: dict[str, Any]) -> WarehouseData:
    """WarehouseData of the given documents (as `budget()` builds them)."""
    d = WarehouseData(observations={})
    for b in docs:
        b = copy.deepcopy(b)
        doc_id = b["document"]["doc_id"]
        d.documents[doc_id] = b["document"]
        d.totals[doc_id] = b["totals"]
        d.headcount[doc_id] = b["headcount"]
        for part in (
            "function_lines",
            "economic_lines",
            "projects",
            "procurement_lines",
            "text_cells",
            "performance_cells",
        ):
            if b[part]:
                getattr(d, part)[doc_id] = b[part]
        d.tables[doc_id] = b["tables"]
        d.observations[doc_id] = b["observations"]
    return d


def line(b: dict[str, Any], code: str) -> dict:
    return next(ln for ln in b["function_lines"] if ln["code"] == code)


def evaluate(*docs: dict[str, Any], settings=None):
    """Validate constructed documents with the real suites and GX (no warehouse, no Data Docs)."""
    from expectations.context import SuiteContext
    from expectations.runner import GxRunner
    from expectations.stage import evaluate as run

    return run(SuiteContext.build(data(*docs), settings), GxRunner(None))


def failed(ev, doc_id: str = "d1") -> dict[str, set[str]]:
    """expectation → severities of the findings of one document."""
    out: dict[str, set[str]] = {}
    for f in ev.findings:
        if f.doc_id == doc_id:
            out.setdefault(f.expectation, set()).add(f.severity)
    return out


def in_yuan(b: dict[str, Any]) -> dict[str, Any]:
    """The same budget printed in 元 with cents (the 三公 table stays in 万元 with two decimals)."""
    for t in b["tables"]:
        if t["kind"] != "three_public":
            t["unit"], t["decimals"] = "元", 2
    for o in b["observations"]:
        if o["place"] != "three_public":
            o["unit"], o["printed"] = "元", f"{o['value']:,.2f}"
    return b


# ---------------------------------------------------------------- printed tables (the cell checks)


# the index of each table kind in the constructed budget (shenzhen13 order, as `budget` lists them)
TABLE_INDEX = {k: i for i, k in enumerate(TEMPLATE_TABLES["shenzhen13"])}


def _amount(text: str, unit: str) -> Decimal | None:
    t = text.replace(",", "")
    try:
        v = Decimal(t)
    except ArithmeticError:
        return None
    return v * (Decimal(10_000) if unit == "万元" else Decimal(1))


def printed(kind: str, header: list[list[str]], rows: list[list[str]], unit: str = "万元") -> Callable:
    """The document prints table `kind` with this header and these body rows (texts as printed)."""

    def f(b: dict) -> None:
        doc_id = b["document"]["doc_id"]
        ti = TABLE_INDEX[kind]
        for t in b["tables"]:
            if t["table_index"] == ti:
                t.update(header=json.dumps(header, ensure_ascii=False), unit=unit, empty=False)
                t["decimals"] = max(
                    (len(x.split(".")[1]) for r in rows for x in r if _num(x) and "." in x), default=0
                )
        codes = {c for h in header for c, text in enumerate(h) if "编码" in text}  # digits, no amounts
        cells = [c for c in b.setdefault("amount_cells", []) if c["table_index"] != ti]
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    amount = _amount(text, unit) if _num(text) and c not in codes else None
                    cells.append({
                        "doc_id": doc_id, "table_index": ti, "table_kind": kind, "row_index": r,
                        "col_index": c, "text": text, "amount": amount, "page": 3 + ti,
                    })  # fmt: skip
        b["amount_cells"] = cells

    return f


def _num(text: str) -> bool:
    return bool(text) and text.replace(",", "").replace(".", "", 1).lstrip("-").isdigit()


def warehouse(*docs: dict):
    """WarehouseData of constructed budgets, with the rows the peers suite reads."""
    d = data(*docs)
    d.amount_cells = {
        b["document"]["doc_id"]: copy.deepcopy(b["amount_cells"]) for b in docs if b.get("amount_cells")
    }
    d.prose_passages = {b["document"]["doc_id"]: b["prose_passages"] for b in docs if b.get("prose_passages")}
    return d


def run(*docs: dict):
    from expectations.context import SuiteContext
    from expectations.runner import GxRunner
    from expectations.stage import evaluate

    return evaluate(SuiteContext.build(warehouse(*docs)), GxRunner(None))


def both(*fs: Callable[[dict], None]) -> Callable[[dict], None]:
    """One change made of several."""

    def f(b: dict) -> None:
        for g in fs:
            g(b)

    return f


def cell(r: int, c: int, text: str) -> Callable[[list[list[str]]], None]:
    """An edit of a printed table: cell (r, c) prints `text`."""

    def f(rows: list[list[str]]) -> None:
        rows[r][c] = text

    return f
