"""Plausibility: signs, years, headcount, per-staff costs, function codes and units."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

import pandas as pd

from budgetlens.amounts import UNIT_MULTIPLIERS
from budgetlens.fields import TOTALS_FIELDS
from expectations.context import DocContext, SuiteContext
from expectations.labels import page_note
from expectations.precision import format_amount, li_floor
from expectations.reference import Band
from expectations.spec import ExpectationSpec, FrameBuilder

SUITE = "plausibility"
DOCS = "plausibility_documents"
AMOUNTS = "plausibility_amounts"
HEADCOUNT = "plausibility_headcount"
CODES = "plausibility_function_codes"
UNITS = "plausibility_units"

NON_NEGATIVE = ExpectationSpec(
    "amounts_non_negative",
    SUITE,
    AMOUNTS,
    "budget amounts are never negative: a minus sign or parentheses mean a misread figure",
    "error",
    "exact (0 is allowed)",
    "between",
    min_value=0,
)
YEAR_RANGE = ExpectationSpec(
    "fiscal_year_in_range",
    SUITE,
    DOCS,
    "department budgets are published since 2010 and never for later than next year",
    "error",
    "exact",
    "between",
)
ACTUAL_WITHIN = ExpectationSpec(
    "actual_within_authorized_headcount",
    SUITE,
    HEADCOUNT,
    "staff on post rarely exceed the establishment (实有 ≤ 编制); more is worth a look, not a quarantine",
    "warning",
    "exact (counts)",
    "pair_ge",
)
CODE_FORM = ExpectationSpec(
    "function_code_well_formed",
    SUITE,
    CODES,
    "a function code is 3 (类), 5 (款) or 7 (项) digits matching its level; anything else is a misread line",
    "error",
    "exact",
    "match_regex",
    regex=r"^(?:1:\d{3}|2:\d{5}|3:\d{7})$",
)
CODE_KNOWN = ExpectationSpec(
    "function_code_in_national_list",
    SUITE,
    CODES,
    "a function code is in the national classification (budgetlens/data/function_codes.csv, partial: warning)",
    "warning",
    "exact",
    "in_set",
)
UNIT_KNOWN = ExpectationSpec(
    "unit_recognised",
    SUITE,
    UNITS,
    "every table and printed figure names a unit we convert (元, 千元, 万元, 百万元, 亿元)",
    "error",
    "exact",
    "in_set",
    value_set=tuple(UNIT_MULTIPLIERS),
)
STATIC_SPECS: tuple[ExpectationSpec, ...] = (
    NON_NEGATIVE,
    YEAR_RANGE,
    ACTUAL_WITHIN,
    CODE_FORM,
    CODE_KNOWN,
    UNIT_KNOWN,
)
HEADCOUNT_PAIRS: tuple[tuple[str, str], ...] = (
    ("admin_authorized", "admin_actual"),
    ("cs_managed_authorized", "cs_managed_actual"),
    ("institution_authorized", "institution_actual"),
    ("authorized_total", "actual_total"),
)
ACTUAL_FIELDS = ("admin_actual", "cs_managed_actual", "institution_actual")


def band_spec(band: Band) -> ExpectationSpec:
    """The warning-level expectation of one per-staff cost band."""
    return ExpectationSpec(
        f"per_staff_{band.metric}_in_band",
        SUITE,
        DOCS,
        f"{band.metric} per staff between {band.min_yuan:,f} and {band.max_yuan:,f} yuan ({band.why}); "
        "outside means a unit or headcount misread is likely",
        "warning",
        "whole yuan per staff, band edges included",
        "between",
        min_value=int(band.min_yuan),
        max_value=int(band.max_yuan),
    )


def specs(ctx: SuiteContext) -> list[ExpectationSpec]:
    year = ExpectationSpec(
        YEAR_RANGE.name,
        SUITE,
        DOCS,
        YEAR_RANGE.reason,
        "error",
        "exact",
        "between",
        min_value=ctx.settings.min_fiscal_year,
        max_value=ctx.settings.last_fiscal_year,
    )
    known = ExpectationSpec(
        CODE_KNOWN.name,
        SUITE,
        CODES,
        CODE_KNOWN.reason,
        "warning",
        "exact",
        "in_set",
        value_set=tuple(sorted(ctx.codes.codes)),
    )
    return [
        NON_NEGATIVE,
        year,
        ACTUAL_WITHIN,
        CODE_FORM,
        known,
        UNIT_KNOWN,
        *(band_spec(b) for b in ctx.bands),
    ]


def staff_count(headcount: dict) -> int | None:
    """actual_total where stated, else the sum of the stated *_actual fields (glossary)."""
    if headcount.get("actual_total") is not None:
        return int(headcount["actual_total"])
    parts = [headcount.get(f) for f in ACTUAL_FIELDS]
    if all(p is None for p in parts):
        return None
    return sum(int(p) for p in parts if p is not None)


def _amount_rows(doc: DocContext, fb: FrameBuilder) -> None:
    d, place = doc.data, doc.place

    def put(item: str, value: Decimal | None, label: str) -> None:
        if value is None:
            return
        v = Decimal(value)
        fb.value(NON_NEGATIVE, doc.doc_id, item, li_floor(v), f"{label} 为负数 {format_amount(v, '元')}")

    for name in TOTALS_FIELDS:
        p = doc.figure("totals", name)
        put(f"totals.{name}", doc.totals.get(name), p.label if p else name)
    fn = place("general_budget_by_function")
    for ln in d.function_lines.get(doc.doc_id, []):
        for col in ("total", "basic", "project"):
            put(
                f"function:{ln['code']}.{col}", ln.get(col), f"{fn} {ln['code']} {ln.get('name') or ''} {col}"
            )
    for ln in d.economic_lines.get(doc.doc_id, []):
        put(
            f"economic:{ln['line_no']}",
            ln.get("amount"),
            f"经济分类 {ln.get('code') or ''} {ln.get('name') or ''}",
        )
    for ln in d.projects.get(doc.doc_id, []):
        put(f"project:{ln['line_no']}", ln.get("amount"), f"项目 {ln.get('name') or ''}")
    for ln in d.procurement_lines.get(doc.doc_id, []):
        put(
            f"procurement:{ln['line_no']}",
            ln.get("amount"),
            f"{place('procurement')} {ln.get('category_code') or ''} {ln.get('category') or ''}",
        )


def _document_rows(ctx: SuiteContext, doc: DocContext, fb: FrameBuilder) -> None:
    fy = doc.document.get("fiscal_year")
    if fy is not None:
        fb.value(
            YEAR_RANGE,
            doc.doc_id,
            "document",
            int(fy),
            f"预算年度 {fy} 不在 {ctx.settings.min_fiscal_year}–{ctx.settings.last_fiscal_year} 之内",
        )
    staff = staff_count(doc.headcount)
    if not staff or staff <= 0:
        return
    for band in ctx.bands:
        value = doc.totals.get(band.metric)
        if value is None:
            continue
        per = (Decimal(value) / staff).to_integral_value(rounding=ROUND_FLOOR)
        spec = band_spec(band)
        fb.value(
            spec,
            doc.doc_id,
            "document",
            int(per),
            f"{band.metric} {format_amount(Decimal(value), '万元')} / {staff} 人 = 人均 {per:,f} 元，"
            f"不在 {band.min_yuan:,f}–{band.max_yuan:,f} 元之内（单位或人数可能读错）",
        )


def _headcount_rows(doc: DocContext, fb: FrameBuilder) -> None:
    h = doc.headcount
    for authorized, actual in HEADCOUNT_PAIRS:
        a, b = h.get(authorized), h.get(actual)
        if a is None or b is None:
            continue
        fb.put(
            doc.doc_id,
            actual,
            **{
                ACTUAL_WITHIN.col("a"): int(a),
                ACTUAL_WITHIN.col("b"): int(b),
                ACTUAL_WITHIN.message_column: f"实有人数 {actual}={b} 人多于编制 {authorized}={a} 人",
            },
        )


def _code_rows(ctx: SuiteContext, doc: DocContext, fb: FrameBuilder) -> None:
    table = doc.place("general_budget_by_function")
    for ln in doc.data.function_lines.get(doc.doc_id, []):
        code, level = ln["code"], ln["level"]
        item = f"{ln['line_no']}:{code}"
        fb.value(
            CODE_FORM,
            doc.doc_id,
            item,
            f"{level}:{code}",
            f"{table} 科目编码 {code!r}（{ln.get('name') or ''}）与其级次 {level} 不符或不是 3/5/7 位数字",
        )
        fb.put(
            doc.doc_id,
            item,
            **{
                CODE_KNOWN.col("value"): code,
                CODE_KNOWN.message_column: f"{table} 科目编码 {code} {ln.get('name') or ''} 不在全国功能分类科目表中"
                f"（budgetlens/data/function_codes.csv）",
            },
        )


def _unit_rows(doc: DocContext, fb: FrameBuilder) -> None:
    for t in doc.tables:
        if t.get("empty") or t.get("kind") == "performance":
            continue  # a performance form states targets, not amounts: it needs no unit
        unit = (t.get("unit") or "").strip() or "（未印单位）"
        fb.value(
            UNIT_KNOWN,
            doc.doc_id,
            f"table:{t['table_index']}",
            unit,
            f"{doc.place(t['kind'])} 的单位 {unit!r} 无法换算为元",
        )
    seen: dict[str, dict] = {}
    for o in doc.observations:  # each unit the document prints figures in, once (its first printing)
        if o["field"].startswith("headcount.") or o.get("unit") is None:
            continue
        seen.setdefault(o["unit"].strip(), o)
    for unit, o in seen.items():
        fb.value(
            UNIT_KNOWN,
            doc.doc_id,
            f"unit:{unit}",
            unit,
            f"{doc.place(o.get('place'))} {o.get('label') or ''} 的单位 {unit!r} 无法换算为元{page_note(o.get('page'))}",
        )


def frames(ctx: SuiteContext) -> dict[str, pd.DataFrame]:
    docs, amounts, heads, codes, units = (FrameBuilder() for _ in range(5))
    for doc in ctx.docs():
        _document_rows(ctx, doc, docs)
        _amount_rows(doc, amounts)
        _headcount_rows(doc, heads)
        _code_rows(ctx, doc, codes)
        _unit_rows(doc, units)
    all_specs = specs(ctx)

    def of(frame: str) -> list[ExpectationSpec]:
        return [s for s in all_specs if s.frame == frame]

    return {
        DOCS: docs.frame(of(DOCS)),
        AMOUNTS: amounts.frame(of(AMOUNTS)),
        HEADCOUNT: heads.frame(of(HEADCOUNT)),
        CODES: codes.frame(of(CODES)),
        UNITS: units.frame(of(UNITS)),
    }
