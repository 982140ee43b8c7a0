"""Text predicates of the table grid: what a printed piece of a table is.

A figure ("2,579", "(12.50)"), a nil mark ("-", "—", "/"), the first half of a figure wrapped
inside its cell ("2,000,000."); which lines print figures (the anchors rows are built around) and
which only continue the figures wrapped from the line above (`mark_wrapped_figures` flags those).
"""

from __future__ import annotations

import re

from budgetlens.amounts import NIL_DASHES, NIL_MARKS
from budgetlens.parse.layout import Line, Segment
from budgetlens.parse.pdfdoc import UNREAD

_AMOUNT = re.compile(r"^[-+(（]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[)）]?$")


def is_amount_text(text: str) -> bool:
    """A printed figure (digits, thousands commas, decimals, sign or parentheses)."""
    return bool(_AMOUNT.match(text.replace(" ", "")))


def is_value_text(text: str) -> bool:
    """A figure or a printed nil mark (`NIL_MARKS`: - / — / –): what an amount cell holds, or a
    figure printed but unread (`is_unread`: never read as a value).

    Not a blank nor "无" (both nil in `budgetlens.amounts.NIL_TOKENS`): a cell printing 无 is a label."""
    t = text.replace(" ", "")
    return t in NIL_MARKS or bool(_AMOUNT.match(t)) or is_unread(t)


def is_unread(text: str) -> bool:
    """Does a cell print only what cannot be read: figures drawn as images (`pdfdoc.PICTURE`),
    glyphs without a Unicode map (`pdfdoc.UNMAPPED`)?"""
    t = text.replace(" ", "")
    return bool(t) and all(ch in UNREAD for ch in t)


_FIGURE_LIKE = re.compile(
    r"^[-+(（]?\d[\d,]*(?:\.\d*)?[)）]?$|^(?:" + "|".join(re.escape(d) for d in sorted(NIL_DASHES)) + ")$"
)


def is_figure_like(text: str) -> bool:
    """A figure, or the first part of a figure wrapped inside its cell ("2,000,000." / "34,044,50"),
    or a figure printed but unread (`is_unread`: a row's anchor all the same)."""
    return bool(_FIGURE_LIKE.match(text.replace(" ", ""))) or is_unread(text)


def is_anchor(line: Line) -> bool:
    """A line that prints at least one figure or code (not only the wrapped tails of the figures above)."""
    return not line.continuation and any(is_figure_like(s.text) for s in line.segments)


CENTS = 2  # the finest precision budgets print (元 with fen)


def _decimals(text: str) -> int:
    t = text.replace(",", "")
    return len(t.split(".", 1)[1]) if "." in t else 0


def cut_figure(text: str, decimals: int) -> bool:
    """A figure cut by a line wrap (or a page break): ends in . or , / a short last thousands group / too few decimals."""
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
    """Flag lines that only continue figures wrapped from the line above (so they are no rows of their own).

    The head is on a line just above, or on the line above a line that prints nothing over the
    figure's column (the row's label, vertically centred between the two halves): then that head
    line is `Line.continues`, and head, label and tails are one row."""
    if decimals is None:
        decimals = table_decimals(lines)
    for n, below in enumerate(lines):
        tails = [s for s in below.segments if is_figure_like(s.text)]
        if not tails or n == 0:
            continue
        above = lines[max(0, n - 3) : n]
        heads = [_head_of(t, below, above, decimals) for t in tails]
        if any(h is None for h in heads) and _certainly_cut(above) and decimals < CENTS:
            # a table whose every figure wraps never shows its precision whole ('28,000.0' over '0'
            # beside '269,000.' over '00'): where some heads are certainly cut, cents are printed
            heads = [_head_of(t, below, above, CENTS) for t in tails]
        if any(h is None for h in heads) or any(len(t.text) > 6 for t in tails):
            continue
        below.continuation = True
        far = [line for line, is_far in heads if is_far]  # type: ignore[misc]
        if far:
            below.continues = min(far, key=lambda ln: ln.top)


def _certainly_cut(lines: list[Line]) -> bool:
    """Some figure on these lines ends in '.' or ',': cut by a wrap whatever the table's precision."""
    return any(
        is_figure_like(s.text) and s.text.replace(" ", "").endswith((".", ","))
        for ln in lines
        for s in ln.segments
    )


def _head_of(tail: Segment, below: Line, above: list[Line], decimals: int) -> tuple[Line, bool] | None:
    """(the line holding the head that `tail` completes, whether a line stands between them): a
    head on the line just above within 1.6 line heights, or within 2.6 when the lines between
    (a label centred between the two halves, set tight) print nothing over the figure's column."""
    height = max(below.bottom - below.top, 1.0)
    for far, reach in ((False, 1.6), (True, 2.6)):
        for k, line in enumerate(above):
            between = above[k + 1 :]
            if not 0.0 < below.centre - line.centre <= reach * height or far != bool(between):
                continue
            for h in line.segments:
                if not (
                    is_figure_like(h.text)
                    and cut_figure(h.text, decimals)
                    and h.x0 - below.em <= tail.x0 <= h.x1 + below.em
                    and is_amount_text(h.text.replace(" ", "") + tail.text.replace(" ", ""))
                ):
                    continue
                if far and any(s.x1 > h.x0 and s.x0 < h.x1 for b in between for s in b.segments):
                    continue  # something printed in the column between head and tail: not one figure
                return line, far
    return None
