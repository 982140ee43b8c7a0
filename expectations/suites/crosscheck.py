"""Across tables and prose: every printing of a figure equals the canonical one.

Reads the warehouse's `observations` (every printing the parser read, docs/record.md), so the
check is independent of the parser's own cross-footing warnings. The canonical value is the one
the warehouse holds (totals, headcount, function_lines); each other printing is compared with it
within the printed precision of both.
"""

from __future__ import annotations

import pandas as pd

from expectations.context import DocContext, SuiteContext
from expectations.precision import Printing
from expectations.spec import ExpectationSpec, FrameBuilder
from expectations.suites.common import TOLERANCE_RULE, add_equality

SUITE = "crosscheck"
FRAME = "crosscheck_printings"
PROSE = "prose"

TABLES_AGREE = ExpectationSpec(
    "printings_agree_across_tables",
    SUITE,
    FRAME,
    "a figure printed in several tables (summary, expense, appropriation, function …) is the same everywhere",
    "materiality",
    TOLERANCE_RULE + " (two printings: half a step of each)",
    "within_tolerance",
)
PROSE_AGREES = ExpectationSpec(
    "prose_agrees_with_tables",
    SUITE,
    FRAME,
    "a figure stated in the prose equals the figure in the tables",
    "materiality",
    TOLERANCE_RULE + " (two printings: half a step of each)",
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
        code = field.removeprefix("function:")
        for ln in doc.data.function_lines.get(doc.doc_id, []):
            if ln["code"] == code:
                return doc.function_printing(ln, "total")
    return None  # table_total:* are the tables' own totals (identities check them)


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
        add_equality(fb, spec, doc, f"{o['field']}@{o.get('place')}#{idx}", base, other)


def frames(ctx: SuiteContext) -> dict[str, pd.DataFrame]:
    fb = FrameBuilder()
    for doc in ctx.docs():
        observation_checks(doc, fb)
    return {FRAME: fb.frame(SPECS)}
