"""Accounting identities per document: totals, their breakdowns and the function classification tree.

Each identity compares canonical printed figures; the tolerance is the printed precision of every
figure involved and a gap beyond it is rated by materiality (expectations.precision.is_material).
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pandas as pd

from budgetlens import identities as ids
from expectations.context import FUNCTION_TABLE, DocContext, SuiteContext
from expectations.precision import Printing
from expectations.spec import ExpectationSpec, FrameBuilder
from expectations.suites.common import (
    EQUALITY_RULE,
    MATERIALITY_RULE,
    TOLERANCE_RULE,
    add_sum_check,
    tolerance_spec,
)

SUITE = "identities"
DOCS = "identities_documents"
LINES = "identities_function_lines"


_spec = partial(tolerance_spec, SUITE)


INCOME_EXPENSE = _spec(
    "income_equals_expense",
    DOCS,
    "收入总计 and 支出总计 of the summary table balance in every budget",
    EQUALITY_RULE,
)
BASIC_PROJECT = _spec(
    ids.EXPENSE.name,
    DOCS,
    "basic + project (+ reserve where printed) expenditure make up expense_total less carryover_out (and "
    "less 结余分配 in final accounts)",
)
BASIC_PARTS = _spec(
    "personnel_operating_household_equal_basic",
    DOCS,
    "basic expenditure is personnel + operating + household subsidies (Shenzhen definitions) where all are stated",
    TOLERANCE_RULE
    + "; one-sided (the parts never exceed basic) outside shenzhen13, where a printed 人员经费 stands for "
    "personnel + household subsidies",
)
THREE_PUBLIC = _spec(
    ids.THREE_PUBLIC.name,
    DOCS,
    "三公经费 is overseas travel + official reception + vehicles (in final accounts: the 决算数, and the "
    "预算数 beside them)",
)
VEHICLE = _spec(
    ids.VEHICLE.name, DOCS, "vehicle costs are purchase + operation (final accounts: 决算数 and 预算数)"
)
PROCUREMENT = _spec(
    ids.PROCUREMENT.name,
    DOCS,
    "the procurement budget is goods + works + services (stated parts never exceed it when one is missing)",
)
APPROPRIATION = _spec(
    ids.APPROPRIATION.name,
    DOCS,
    "财政拨款 is general budget + government fund + state capital appropriations",
)
SME = _spec(
    "procurement_sme_within_total",
    DOCS,
    "procurement reserved for SMEs cannot exceed the procurement budget, nor small/micro firms the SME share",
    "one-sided: the part may exceed the whole by no more than the coarser half step; " + EQUALITY_RULE,
)
CLASSES_TOTAL = _spec(
    "function_classes_sum_to_table_total",
    DOCS,
    "the 类 lines of the function table add up to the table's printed 合计 (total, basic and project columns)",
)
ECONOMIC = _spec(
    "economic_classes_sum_to_basic",
    DOCS,
    "the economic classes (301, 302, 303 …) of basic expenditure add up to their table's total",
)
PROJECTS = _spec(
    "projects_sum_to_project_expense",
    DOCS,
    "the project list adds up to the project table's total (never more than project expenditure)",
)
PROCUREMENT_LINES = _spec(
    "procurement_categories_sum_to_total",
    DOCS,
    "the procurement table's categories (A goods, B works, C services) add up to its total",
)
ITEMS_TO_SECTION = _spec(
    "function_items_sum_to_section", LINES, "every 款 of the function table is the sum of its 项"
)
SECTIONS_TO_CLASS = _spec(
    "function_sections_sum_to_class", LINES, "every 类 of the function table is the sum of its 款"
)
LINE_COLUMNS = _spec(
    "function_line_total_is_basic_plus_project",
    LINES,
    "every function line's total is its basic plus its project expenditure",
)

SPECS: tuple[ExpectationSpec, ...] = (
    INCOME_EXPENSE,
    BASIC_PROJECT,
    BASIC_PARTS,
    THREE_PUBLIC,
    VEHICLE,
    PROCUREMENT,
    APPROPRIATION,
    SME,
    CLASSES_TOTAL,
    ECONOMIC,
    PROJECTS,
    PROCUREMENT_LINES,
    ITEMS_TO_SECTION,
    SECTIONS_TO_CLASS,
    LINE_COLUMNS,
)
SEVERITY_NOTE = MATERIALITY_RULE
COLUMNS = ("total", "basic", "project")
COLUMN_NAMES = {"total": "合计", "basic": "基本支出", "project": "项目支出"}


def specs(ctx: SuiteContext) -> list[ExpectationSpec]:
    return list(SPECS)


def _table_total(doc: DocContext, kind: str, column: str = "total") -> Printing | None:
    obs = doc.canonical.get(f"table_total:{kind}.{column}")
    return doc.printing_of_observation(obs) if obs is not None else None


def _line_printing(doc: DocContext, kind: str, label: str, value: Decimal | None) -> Printing | None:
    if value is None:
        return None
    p = doc.table_precision.get(kind) or doc.coarsest
    return Printing(Decimal(value), p.unit, p.decimals, f"{doc.place(kind)} {label}".strip())


def _lines_against_total(
    fb: FrameBuilder,
    spec: ExpectationSpec,
    doc: DocContext,
    item: str,
    table_total: Printing | None,
    field: str,
    parts: list[Printing | None],
    label: str,
) -> None:
    """A table's lines against the total row that table prints; where it prints none, against the
    record's totals field, which the lines may not exceed (a table may list only some of them)."""
    if table_total is not None:
        add_sum_check(fb, spec, doc, item, table_total, parts, label)
    else:
        add_sum_check(fb, spec, doc, item, doc.figure("totals", field), parts, label, at_most=True)


def document_checks(doc: DocContext, fb: FrameBuilder) -> None:
    """The per-document identities of the totals (one frame row per document)."""
    f = doc.figure
    item = "document"
    inc, exp = f("totals", "income_total"), f("totals", "expense_total")
    add_sum_check(fb, INCOME_EXPENSE, doc, item, exp, [inc], "收入总计")
    _identity(doc, fb, BASIC_PROJECT, ids.EXPENSE, item)
    # Shenzhen's 基本支出总表 splits all of basic expenditure; elsewhere the economic table may cover
    # the general budget only (Jiangsu 公开08表), so with other money the parts only bound the total.
    # Elsewhere basic expenditure also holds classes beyond the three (310 资本性支出 …): a bound.
    # Where the document prints its own 人员经费 (301 + 303 as it groups them), the bound is that and
    # 公用支出: a 日常公用支出 column may hold part of what the economic lines class as 303 (Hangzhou),
    # and adding 303 again would count it twice.
    shenzhen = doc.template == "shenzhen13"
    staff = f("totals", "staff_and_household_cost")
    if shenzhen or staff is None:
        names, what = (
            ("personnel_expense", "operating_expense", "household_subsidy"),
            "人员支出 + 公用支出 + 对个人和家庭的补助",
        )
    else:
        names, what = ("staff_and_household_cost", "operating_expense"), "人员经费 + 公用支出"
    add_sum_check(
        fb,
        BASIC_PARTS,
        doc,
        item,
        f("totals", "basic_expense"),
        [f("totals", n) for n in names],
        what,
        at_most=not shenzhen,
    )
    # the 三公 figures, and in final accounts the 预算数 printed beside them (fields …_adjusted_budget)
    for identity, spec in ((ids.THREE_PUBLIC, THREE_PUBLIC), (ids.VEHICLE, VEHICLE)):
        _identity(doc, fb, spec, identity, item)
        _identity(doc, fb, spec, identity.on(ids.ADJUSTED_BUDGET), "adjusted_budget")
    _identity(doc, fb, PROCUREMENT, ids.PROCUREMENT, item)
    _identity(doc, fb, APPROPRIATION, ids.APPROPRIATION, item)
    add_sum_check(
        fb,
        SME,
        doc,
        "sme",
        f("totals", "procurement_total"),
        [f("totals", "procurement_sme")],
        "面向中小企业",
        at_most=True,
    )
    add_sum_check(
        fb,
        SME,
        doc,
        "small_micro",
        f("totals", "procurement_sme"),
        [f("totals", "procurement_small_micro")],
        "面向小型、微型企业",
        at_most=True,
    )
    _classes_to_table_total(doc, fb)
    _line_sums(doc, fb)


def _identity(doc: DocContext, fb: FrameBuilder, spec: ExpectationSpec, identity: ids.SumIdentity, item: str):
    """One identity of budgetlens.identities on the document's figures (its optional parts where
    stated; all of its required parts stated, or a bound where it is `partial`)."""
    assert spec.name == identity.name, (spec.name, identity.name)
    f = doc.figure
    parts = [f("totals", n) for n in identity.parts]
    if not identity.partial and any(p is None for p in parts):
        return
    parts += [p for p in (f("totals", n) for n in identity.optional) if p is not None]
    add_sum_check(
        fb, spec, doc, item, f("totals", identity.total), parts, identity.words, partial_ok=identity.partial
    )


def _classes_to_table_total(doc: DocContext, fb: FrameBuilder) -> None:
    classes = [ln for ln in doc.data.function_lines.get(doc.doc_id, []) if ln["level"] == 1]
    if not classes:
        return
    for col in COLUMNS:
        total = _table_total(doc, FUNCTION_TABLE, col)
        parts = [doc.function_printing(ln, col) for ln in classes]
        if total is None or any(p is None for p in parts):
            continue
        add_sum_check(fb, CLASSES_TOTAL, doc, f"classes.{col}", total, parts, f"Σ类 {COLUMN_NAMES[col]}")


def _line_sums(doc: DocContext, fb: FrameBuilder) -> None:
    d = doc.data
    econ = [ln for ln in d.economic_lines.get(doc.doc_id, []) if (ln.get("code") or "").isdigit()]
    classes = [ln for ln in econ if len(ln["code"]) == 3]
    if classes:
        parts = [
            _line_printing(doc, "basic_expense", f"{ln['code']} {ln.get('name') or ''}", ln["amount"])
            for ln in classes
        ]
        _lines_against_total(
            fb,
            ECONOMIC,
            doc,
            "economic",
            _table_total(doc, "basic_expense") or _table_total(doc, "basic_by_economic"),
            "basic_expense",
            parts,
            "Σ经济分类类级",
        )
    projects = d.projects.get(doc.doc_id, [])
    if projects:
        parts = [_line_printing(doc, "project_expense", p.get("name") or "", p["amount"]) for p in projects]
        _lines_against_total(
            fb,
            PROJECTS,
            doc,
            "projects",
            _table_total(doc, "project_expense"),
            "project_expense",
            parts,
            "Σ项目",
        )
    cats = [
        ln
        for ln in d.procurement_lines.get(doc.doc_id, [])
        if len((ln.get("category_code") or "").strip()) == 1 and ln["category_code"].strip().isalpha()
    ]
    if cats:
        parts = [
            _line_printing(
                doc, "procurement", f"{ln['category_code']} {ln.get('category') or ''}", ln["amount"]
            )
            for ln in cats
        ]
        _lines_against_total(
            fb,
            PROCUREMENT_LINES,
            doc,
            "procurement",
            _table_total(doc, "procurement"),
            "procurement_total",
            parts,
            "Σ品目",
        )


def function_line_checks(doc: DocContext, fb: FrameBuilder) -> None:
    """项 → 款 → 类 for each column, and total = basic + project per line."""
    lines = doc.data.function_lines.get(doc.doc_id, [])
    for ln in lines:
        code = ln["code"]
        total, basic, project = (doc.function_printing(ln, c) for c in COLUMNS)
        if total is not None and basic is not None and project is not None:
            add_sum_check(fb, LINE_COLUMNS, doc, f"{code}", total, [basic, project], "基本支出 + 项目支出")
        if ln["level"] not in (1, 2):
            continue
        kids = [k for k in lines if k["level"] == ln["level"] + 1 and k["code"].startswith(code)]
        if not kids:
            continue
        spec, what = (ITEMS_TO_SECTION, "Σ项") if ln["level"] == 2 else (SECTIONS_TO_CLASS, "Σ款")
        for col in COLUMNS:
            parent = doc.function_printing(ln, col)
            parts = [doc.function_printing(k, col) for k in kids]
            if parent is None or any(p is None for p in parts):
                continue
            add_sum_check(fb, spec, doc, f"{code}.{col}", parent, parts, f"{what} {COLUMN_NAMES[col]}")


def frames(ctx: SuiteContext) -> dict[str, pd.DataFrame]:
    docs, lines = FrameBuilder(), FrameBuilder()
    for doc in ctx.docs():
        document_checks(doc, docs)
        function_line_checks(doc, lines)
    return {
        DOCS: docs.frame([s for s in SPECS if s.frame == DOCS]),
        LINES: lines.frame([s for s in SPECS if s.frame == LINES]),
    }
