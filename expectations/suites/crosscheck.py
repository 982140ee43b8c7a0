"""Across tables and prose: every printing of a figure equals the canonical one.

Reads the warehouse's `observations` (every printing the parser read, docs/record.md), so the
check is independent of the parser's own cross-footing warnings. The canonical value is the one
the warehouse holds (totals, headcount, function_lines); each other printing is compared with it
within the printed precision of both.
"""

from __future__ import annotations

import pandas as pd

from expectations.context import FUNCTION_TABLE, DocContext, SuiteContext
from expectations.precision import Printing
from expectations.spec import ExpectationSpec, FrameBuilder
from expectations.suites.common import EQUALITY_RULE, add_equality

SUITE = "crosscheck"
FRAME = "crosscheck_printings"
PROSE = "prose"

TABLES_AGREE = ExpectationSpec(
    "printings_agree_across_tables",
    SUITE,
    FRAME,
    "a figure printed in several tables (summary, expense, appropriation, function …) is the same everywhere",
    "materiality",
    EQUALITY_RULE,
    "within_tolerance",
)
PROSE_AGREES = ExpectationSpec(
    "prose_agrees_with_tables",
    SUITE,
    FRAME,
    "a figure stated in the prose equals the figure in the tables",
    "materiality",
    EQUALITY_RULE,
    "within_tolerance",
)
SPECS: tuple[ExpectationSpec, ...] = (TABLES_AGREE, PROSE_AGREES)


def specs(ctx: SuiteContext) -> list[ExpectationSpec]:
    return list(SPECS)


def canonical_printing(doc: DocContext, field: str) -> Printing | None:
    """The canonical printing a printing of `field` is compared with (None: nothing to compare)."""
    section, _, name = field.partition(".")
    if section in ("totals", "headcount") and name:
        return doc.figure(section, name)
    if field.startswith("function:"):
        ln = doc.function_lines_by_code.get(field.removeprefix("function:"))
        return doc.function_printing(ln, "total") if ln is not None else None
    return None  # table_total:* are the tables' own totals (identities check them)


# A printing that is its table's total row, and the column of printed lines it totals: the
# function table's 合计 is the sum of its 类 lines.
TABLE_TOTAL_LINES: dict[tuple[str, str], str] = {
    ("totals.expense_total", FUNCTION_TABLE): "total",
    ("totals.basic_expense", FUNCTION_TABLE): "basic",
    ("totals.project_expense", FUNCTION_TABLE): "project",
}


def table_lines(doc: DocContext, field: str, place: str | None) -> list[Printing] | None:
    """The printed lines a table-total printing of `field` adds up (None when it is not one)."""
    col = TABLE_TOTAL_LINES.get((field, place or ""))
    if col is None:
        return None
    classes = [ln for ln in doc.data.function_lines.get(doc.doc_id, []) if ln["level"] == 1]
    lines = [doc.function_printing(ln, col) for ln in classes]
    return [p for p in lines if p is not None] or None


ALL_FUNDS = ("totals.expense_total", "totals.basic_expense", "totals.project_expense")
WIDER_TABLES = ("summary", "appropriation_summary")


def scope_bound(doc: DocContext, field: str, place: str | None) -> str | None:
    """When the two printings cover different money, the bound that still holds (else None).

    A function line's canonical printing is in the general-budget table; the summary table covers
    all funds and the appropriation summary all appropriations, so there it may be larger when the
    document has money outside the general budget (Jiangsu's 其他资金). Likewise the general-budget
    table's 合计 may be smaller than expense_total, basic or project expenditure of all funds.
    """
    if field.startswith("function:") and place in WIDER_TABLES and not doc.all_general_budget(place):
        return "a<=b"  # canonical (general budget) ≤ this printing (wider)
    if field in ALL_FUNDS and place == FUNCTION_TABLE and not doc.all_general_budget("summary"):
        return "b<=a"  # this printing (general budget) ≤ canonical (all funds)
    return None


def observation_checks(doc: DocContext, fb: FrameBuilder) -> None:
    for k, o in enumerate(doc.observations):
        if o.get("canonical") or o.get("value") is None:
            continue
        base = canonical_printing(doc, o["field"])
        if base is None:
            continue
        other = doc.printing_of_observation(o)
        spec = PROSE_AGREES if o.get("place") == PROSE else TABLES_AGREE
        idx = o.get("obs_index", k)
        lines = table_lines(doc, o["field"], o.get("place"))
        bound = scope_bound(doc, o["field"], o.get("place"))
        add_equality(fb, spec, doc, f"{o['field']}@{o.get('place')}#{idx}", base, other, lines, bound=bound)


def frames(ctx: SuiteContext) -> dict[str, pd.DataFrame]:
    fb = FrameBuilder()
    for doc in ctx.docs():
        observation_checks(doc, fb)
    return {FRAME: fb.frame(SPECS)}
