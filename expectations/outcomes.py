"""Every check's outcome per document: passed, failed or skipped with the reason (pure).

A frame row is one thing checked. An expectation *checked* a document when at least one of the
document's rows gives it its inputs (GX's own rule: a tolerance or pair check ignores a row where
either side is missing, a single-column check ignores a null value except `not_null`, whose point
is the null; a `row_condition` limits the rows). It *failed* when a finding names it for the
document (whatever the severity: error, warning, withheld or accepted by a reviewer), *passed*
when it checked and found nothing, and was *skipped* otherwise, with the reason: the document
prints none of the figures it compares. So a reader can tell "checked and right" from "not
checked" (docs/quality.md, "Outcomes").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from expectations.spec import ExpectationSpec, Finding

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
OUTCOMES: tuple[str, ...] = (PASSED, FAILED, SKIPPED)
# Worst first: the severity an outcome row reports when several findings name the expectation.
SEVERITY_ORDER: tuple[str, ...] = ("error", "withheld", "warning", "accepted")

NO_ROWS = "nothing to check: the document prints none of the figures this check compares"
NO_INPUTS = "nothing to check: every figure this check compares is absent ({rows} rows)"


@dataclass(frozen=True)
class CheckOutcome:
    """One expectation's outcome for one document."""

    doc_id: str
    expectation: str
    suite: str
    outcome: str  # passed / failed / skipped
    checked: int  # rows (things) checked
    failed: int  # findings
    severity: str | None  # the worst severity of the findings (failed only)
    reason: str | None  # why it was skipped (skipped only)


def _inputs(spec: ExpectationSpec) -> tuple[str, ...]:
    """The columns a row needs for the check to look at it (empty: every row counts)."""
    if spec.check == "within_tolerance":
        return (spec.col("tol"), spec.col("diff"))
    if spec.check == "pair_ge":
        return (spec.col("a"), spec.col("b"))
    if spec.check in ("not_null", "compound_unique"):
        return ()
    return (spec.col("value"),)


def checked_rows(df: pd.DataFrame, spec: ExpectationSpec) -> tuple[Counter, Counter]:
    """(rows per doc_id, rows per doc_id that the check looks at)."""
    if not len(df):
        return Counter(), Counter()
    rows = df.query(spec.row_condition, engine="python") if spec.row_condition else df
    everything = Counter(rows["doc_id"])
    mask = pd.Series(True, index=rows.index)
    for col in _inputs(spec):
        mask &= rows[col].notna() if col in rows.columns else False
    return everything, Counter(rows.loc[mask, "doc_id"])


def _worst(severities: Iterable[str]) -> str | None:
    present = set(severities)
    return next((s for s in SEVERITY_ORDER if s in present), None)


def outcomes(
    doc_ids: Sequence[str],
    specs: Sequence[ExpectationSpec],
    frames: dict[str, pd.DataFrame],
    findings: Iterable[Finding],
    *,
    no_rows: str = NO_ROWS,
) -> list[CheckOutcome]:
    """The outcome of every spec for every document of `doc_ids` (specs whose frame is absent are
    left out: they did not run). `no_rows`: the reason of a skip where the document has no row."""
    named: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        named.setdefault((f.doc_id, f.expectation), []).append(f.severity)
    out = []
    for spec in specs:
        df = frames.get(spec.frame)
        if df is None:
            continue
        rows, looked = checked_rows(df, spec)
        for doc_id in doc_ids:
            severities = named.get((doc_id, spec.name), [])
            checked = looked.get(doc_id, 0)
            if severities:
                outcome, reason = FAILED, None
            elif checked:
                outcome, reason = PASSED, None
            else:
                n = rows.get(doc_id, 0)
                outcome, reason = SKIPPED, NO_INPUTS.format(rows=n) if n else spec.skipped_because or no_rows
            out.append(
                CheckOutcome(
                    doc_id,
                    spec.name,
                    spec.suite,
                    outcome,
                    checked,
                    len(severities),
                    _worst(severities),
                    reason,
                )
            )
    return out


def counts(rows: Iterable[CheckOutcome]) -> dict[str, int]:
    """Outcomes counted, every outcome present."""
    c = Counter(r.outcome for r in rows)
    return {o: c.get(o, 0) for o in OUTCOMES}
