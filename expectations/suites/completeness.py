"""Completeness per document, and uniqueness across documents.

Uniqueness runs after the per-document suites, over the documents still publishable: at most
one published budget per (jurisdiction, department, fiscal_year, kind) among current documents.
"""

from __future__ import annotations

import pandas as pd

from expectations.context import SuiteContext
from expectations.spec import ExpectationSpec, FrameBuilder

SUITE = "completeness"
DOCS = "completeness_documents"
KEYS = "completeness_keys"
KEY_COLUMNS = ("jurisdiction", "department_key", "fiscal_year", "kind")


def _required(name: str, what: str) -> ExpectationSpec:
    return ExpectationSpec(
        f"has_{name}",
        SUITE,
        DOCS,
        f"a published document states its {what}: without it no comparison can place it",
        "error",
        "exact",
        "not_null",
    )


HAS_JURISDICTION = _required("jurisdiction", "jurisdiction")
HAS_DEPARTMENT = _required("department", "department")
HAS_FISCAL_YEAR = _required("fiscal_year", "fiscal year")
HAS_EXPENSE_TOTAL = ExpectationSpec(
    "has_expense_total",
    SUITE,
    DOCS,
    "a published budget states its expense total (支出总计): without it no comparison can place it "
    "(final accounts are published for their document facts only; comparisons use budgets)",
    "error",
    "exact",
    "not_null",
    row_condition='kind != "final_accounts"',
)
UNIQUE = ExpectationSpec(
    "one_published_budget_per_key",
    SUITE,
    KEYS,
    "at most one published budget per jurisdiction, department, fiscal year and kind among current documents",
    "error",
    "exact; identical duplicates keep the one with fewest warnings, then the newest; conflicting ones are all quarantined",
    "compound_unique",
    columns=KEY_COLUMNS,
)
SPECS: tuple[ExpectationSpec, ...] = (HAS_JURISDICTION, HAS_DEPARTMENT, HAS_FISCAL_YEAR, HAS_EXPENSE_TOTAL)
CROSS_DOCUMENT_SPECS: tuple[ExpectationSpec, ...] = (UNIQUE,)
MESSAGES = {
    "jurisdiction": "未能确定所属地区（jurisdiction）",
    "department": "未能确定部门名称（department）",
    "fiscal_year": "未能确定预算年度（fiscal_year）",
    "expense_total": "未找到支出总计（expense_total）",
}


def specs(ctx: SuiteContext) -> list[ExpectationSpec]:
    return list(SPECS)


def frames(ctx: SuiteContext) -> dict[str, pd.DataFrame]:
    fb = FrameBuilder()
    for doc in ctx.docs():
        d = doc.document
        values = {
            "jurisdiction": d.get("jurisdiction") or None,
            "department": d.get("department") or None,
            "fiscal_year": d.get("fiscal_year"),
            "expense_total": None if doc.expense_total is None else str(doc.expense_total),
        }
        fb.put(doc.doc_id, "document", kind=d.get("kind") or "")
        for spec in SPECS:
            key = spec.name.removeprefix("has_")
            fb.value(spec, doc.doc_id, "document", values[key], MESSAGES[key])
    return {DOCS: fb.frame(SPECS)}


def key_frame(ctx: SuiteContext, doc_ids: list[str]) -> pd.DataFrame:
    """One row per publishable document with its (jurisdiction, department, fiscal_year, kind)."""
    fb = FrameBuilder()
    for doc_id in doc_ids:
        d = ctx.data.documents[doc_id]
        fb.put(
            doc_id,
            "document",
            jurisdiction=d.get("jurisdiction"),
            department_key=d.get("department_canonical") or d.get("department"),
            fiscal_year=d.get("fiscal_year"),
            kind=d.get("kind"),
            **{UNIQUE.message_column: ""},
        )
    df = fb.frame([UNIQUE])
    for c in KEY_COLUMNS:
        if c not in df.columns:
            df[c] = pd.Series([None] * len(df), dtype=object)
    return df
