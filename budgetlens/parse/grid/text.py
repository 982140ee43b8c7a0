"""Text predicates of the table grid: what a printed piece of a table is.

A figure ("2,579", "(12.50)"), a nil mark ("-", "—", "/"), the first half of a figure wrapped
inside its cell ("2,000,000."); which lines print figures (the anchors rows are built around) and
which only continue the figures wrapped from the line above (`mark_wrapped_figures` flags those).
"""

from __future__ import annotations

import re

from budgetlens.amounts import NIL_DASHES, NIL_MARKS
from budgetlens.parse.layout import Line

_AMOUNT = re.compile(r"^[-+(（]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[)）]?$")


def is_amount_text(text: str) -> bool:
    """A printed figure (digits, thousands commas, decimals, sign or parentheses)."""
    return bool(_AMOUNT.match(text.replace(" ", "")))


def is_value_text(text: str) -> bool:
    """A figure or a printed nil mark (`NIL_MARKS`: - / — / –): what an amount cell holds.

    Not a blank nor "无" (both nil in `budgetlens.amounts.NIL_TOKENS`): a cell printing 无 is a label."""
    t = text.replace(" ", "")
    return t in NIL_MARKS or bool(_AMOUNT.match(t))


_FIGURE_LIKE = re.compile(
    r"^[-+(（]?\d[\d,]*(?:\.\d*)?[)）]?$|^(?:" + "|".join(re.escape(d) for d in sorted(NIL_DASHES)) + ")$"
)


def is_figure_like(text: str) -> bool:
    """A figure, or the first part of a figure wrapped inside its cell ("2,000,000." / "34,044,50")."""
    return bool(_FIGURE_LIKE.match(text.replace(" ", "")))


def is_anchor(line: Line) -> bool:
    """A line that prints at least one figure or code (not only the wrapped tails of the figures above)."""
    return not line.continuation and any(is_figure_like(s.text) for s in line.segments)


def _decimals(text: str) -> int:
    t = text.replace(",", "")
    return len(t.split(".", 1)[1]) if "." in t else 0


def _incomplete(text: str, decimals: int) -> bool:
    """A figure cut by a line wrap: ends in . or , / a short last thousands group / too few decimals."""
    t = text.replace(" ", "")
    if t.endswith((".", ",")):
        return True
    if re.search(r",\d{1,2}$", t):
        return True
    return "." in t and 0 < _decimals(t) < decimals


def table_decimals(lines: list[Line]) -> int:
    """The precision a table prints its figures with (wrapped pieces only ever show fewer decimals)."""
    return max((_decimals(s.text) for ln in lines for s in ln.segments if is_amount_text(s.text)), default=0)


def mark_wrapped_figures(lines: list[Line], decimals: int | None = None) -> None:
    """Flag lines that only continue figures wrapped from the line above (so they are no rows of their own)."""
    if decimals is None:
        decimals = table_decimals(lines)
    for n, below in enumerate(lines):
        tails = [s for s in below.segments if is_figure_like(s.text)]
        if not tails or n == 0:
            continue
        reach = 1.6 * max(below.bottom - below.top, 1.0)
        heads = [
            h
            for above in lines[max(0, n - 3) : n]
            if 0 < below.centre - above.centre <= reach
            for h in above.segments
        ]
        ok = True
        for t in tails:
            head = next(
                (
                    h
                    for h in heads
                    if is_figure_like(h.text)
                    and _incomplete(h.text, decimals)
                    and h.x0 - below.em <= t.x0 <= h.x1 + below.em
                    and is_amount_text(h.text.replace(" ", "") + t.text.replace(" ", ""))
                ),
                None,
            )
            if head is None or len(t.text) > 6:
                ok = False
                break
        if ok:
            below.continuation = True
