"""Helpers the suite modules share: comparing printed figures and wording the failure."""

from __future__ import annotations

from decimal import Decimal

from expectations.context import DocContext
from expectations.precision import Comparison, Printing, format_amount, truncated
from expectations.spec import ExpectationSpec, FrameBuilder

TOLERANCE_RULE = (
    "half a unit in the last printed place of each of the n parts and of the total (n × 0.5 万元 + 0.5 万元 "
    "in whole 万元, n × 0.005 万元 + 0.005 万元 with two decimals); exact for 元 with cents; a total of one "
    "part is two printings of one figure (the coarser half step)"
)
EQUALITY_RULE = (
    "two printings of one figure: the coarser printing's half step (equal at one precision: "
    "2,579 vs 2,580 万元 fails; 2,579 vs 2,579.31 passes); exact for 元 with cents; a whole number that "
    "drops the other printing's decimals is the same figure (328,661 万元 for 328,661.81 passes, for "
    "328,662.01 fails); a table's total row that is exactly the sum of its printed lines may differ by "
    "their rounding (sum rule over the lines)"
)
MATERIALITY_RULE = (
    "materiality: error, unless no figure feeds a comparison metric, the gap is under 0.1% of expense_total "
    "and it is a yuan-level slip (at most half a yuan per figure compared); then warning"
)


def tolerance_spec(
    suite: str, name: str, frame: str, reason: str, tolerance: str = TOLERANCE_RULE
) -> ExpectationSpec:
    """An expectation that printed figures agree within `tolerance`; a failure's weight is decided by
    materiality (the suites identities, peers and final_accounts)."""
    return ExpectationSpec(name, suite, frame, reason, "materiality", tolerance, "within_tolerance")


def gap_text(gap: Decimal, allowed: Decimal, unit: str | None) -> str:
    """The gap and tolerance in `unit` (and the gap in yuan when `unit` is not 元):
    （相差 5 万元 = 50,000.00 元，容差 1.5 万元）."""
    shown = format_amount(abs(gap), unit)
    if not shown.endswith((" 元", " 人")):
        shown += f" = {format_amount(abs(gap), '元', 2)}"
    return f"（相差 {shown}，容差 {format_amount(allowed, unit)}）"


def equality_message(a: Printing, b: Printing, relation: str = "≠", allowed: Decimal | None = None) -> str:
    """Two printings of one figure that differ: 表1 收支总表 支出总计 2,579 万元 ≠ 表7 … 2,580 万元（…）."""
    cmp = Comparison(a, (b,))
    tol = cmp.tolerance if allowed is None else allowed
    return f"{a.label} {a.shown()} {relation} {b.label} {b.shown()}{gap_text(cmp.difference, tol, a.unit)}"


def sum_message(total: Printing, parts: list[Printing], what: str, relation: str = "≠") -> str:
    """A total against its parts: <total> 572 万元 ≠ Σ项 567 万元（334 万元 + 233 万元）（相差 …）."""
    cmp = Comparison(total, tuple(parts))
    s = sum((p.value for p in parts), Decimal(0))
    shown = " + ".join(p.shown() for p in parts[:8]) + (" + …" if len(parts) > 8 else "")
    return (
        f"{total.label} {total.shown()} {relation} {what} {format_amount(s, total.unit, total.decimals)}"
        f"（{shown}）{gap_text(cmp.difference, cmp.tolerance, total.unit)}"
    )


def add_equality(
    fb: FrameBuilder,
    spec: ExpectationSpec,
    doc: DocContext,
    item: str,
    a: Printing | None,
    b: Printing | None,
    b_lines: list[Printing] | None = None,
    *,
    bound: str | None = None,
) -> None:
    """a = b (two printings of one figure), where both are stated.

    `b_lines`: the printed lines of b's own table that b totals. When b is exactly their sum, b may
    be a total of rounded lines rather than the rounded total (documents print both; FIELD_NOTES:
    "tables differing by 0.01 万元 (rounding)"), so a and b may differ by the lines' rounding: the
    sum rule over the lines and a. When b is not their sum, nothing explains a gap: equality.
    `bound` "a<=b" / "b<=a": the two cover different money (general budget only vs all funds), so
    only the part exceeding the whole contradicts.
    """
    if a is None or b is None:
        return
    cmp = Comparison(a, (b,))
    allowed = cmp.tolerance
    if b_lines and Comparison(b, tuple(b_lines)).difference == 0:
        allowed = max(allowed, Comparison(a, tuple(b_lines)).tolerance)
    gap, relation = cmp.difference, "≠"
    if abs(gap) > allowed and truncated(a, b):
        allowed = abs(gap)  # one printing dropped the other's decimals (328,661 万元 for 328,661.81)
    if bound == "a<=b":
        gap, relation = max(gap, Decimal(0)), ">"
    elif bound == "b<=a":
        gap, relation = min(gap, Decimal(0)), "<"
    ok = abs(gap) <= allowed
    msg = "" if ok else equality_message(a, b, relation, allowed)
    fb.tolerance(spec, doc.doc_id, item, gap, allowed, msg, doc.material(gap, [a, b]))


def add_sum_check(
    fb: FrameBuilder,
    spec: ExpectationSpec,
    doc: DocContext,
    item: str,
    total: Printing | None,
    parts: list[Printing | None],
    what: str,
    *,
    partial_ok: bool = False,
    at_most: bool = False,
) -> None:
    """total = Σ parts where all are stated. With `partial_ok`, parts that are not stated turn the
    check into a bound (amounts are never negative, so the stated parts cannot exceed the total);
    `at_most` always checks only that bound (the parts may be a subset, e.g. projects from prose)."""
    stated = [p for p in parts if p is not None]
    if total is None or not stated:
        return
    cmp = Comparison(total, tuple(stated))
    complete = len(stated) == len(parts) and not at_most
    if not complete and not (partial_ok or at_most):
        return
    gap = cmp.difference if complete else min(cmp.difference, Decimal(0))  # only Σ > total contradicts
    ok = abs(gap) <= cmp.tolerance
    msg = "" if ok else sum_message(total, stated, what, "≠" if complete else "<")
    fb.tolerance(
        spec,
        doc.doc_id,
        item,
        gap,
        cmp.tolerance,
        msg,
        doc.material(gap, [total, *stated]),
        fields=[total.field, *(p.field for p in stated)],
    )
