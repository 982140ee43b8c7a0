"""Which cells of a parsed table are amounts, and their value in yuan (pure functions).

A body cell is an amount when its table prints a unit we recognise, its column is not a code,
percentage or (in the performance table) non-money column by its header words, and its text
reads as a printed amount (`budgetlens.amounts.is_amount`; "-", "—", "0" are zero yuan). A blank
cell is not an amount (null): the cell has no text. The value is converted with *that table's*
unit, exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from budgetlens.amounts import AmountError, parse_printed, unit_multiplier

_CODE_WORDS = re.compile(r"编码|代码|编号|序号")
_CODE_CELLS = frozenset({"类", "款", "项"})
_PERCENT_WORDS = re.compile(r"[%％]|比例|比重|幅度|增长率|增减率|百分比")
_MONEY_WORDS = re.compile(r"金额|资金|预算数|预算|万元|元")
_LEADING_ZERO = re.compile(r"^0\d")
_SPACE = re.compile(r"\s+")


def _clean(text: str | None) -> str:
    return _SPACE.sub("", text or "")


def column_headers(header: Sequence[Sequence[str | None]], n_cols: int) -> list[list[str]]:
    """Per column, its header cells top to bottom.

    A merged cell's text fills the empty cells to its right; below the top row only within the
    span of the parent cell above (an empty cell under "科目名称" is a vertical merge, not part of
    the "项" to its left).
    """
    cols: list[list[str]] = [[] for _ in range(n_cols)]
    parent: list[int] = [0] * n_cols  # origin column of each column's cell in the row above
    for r, row in enumerate(header):
        origin: list[int] = []
        for c in range(n_cols):
            cell = _clean(row[c]) if c < len(row) else ""
            same_span = r == 0 or (c > 0 and parent[c] == parent[c - 1])
            if cell or c == 0 or not same_span:
                origin.append(c)
                cols[c].append(cell)
            else:
                origin.append(origin[c - 1])
                cols[c].append(cols[c - 1][-1])
        parent = origin
    return cols


def amount_columns(kind: str, header: Sequence[Sequence[str | None]], n_cols: int) -> list[bool]:
    """For each column: may it hold amounts? (codes and percentages never; performance only money columns)."""
    result = []
    for cells in column_headers(header, n_cols):
        joined = "".join(cells)
        if any(c in _CODE_CELLS for c in cells) or _CODE_WORDS.search(joined):
            result.append(False)
        elif _PERCENT_WORDS.search(joined):
            result.append(False)
        elif kind == "performance":
            result.append(bool(_MONEY_WORDS.search(joined)))
        else:
            result.append(True)
    return result


def known_unit(unit: str | None) -> bool:
    """True when the table's printed unit converts to yuan."""
    if not unit:
        return False
    try:
        unit_multiplier(unit)
    except AmountError:
        return False
    return True


def cell_amount(text: str | None, unit: str | Decimal) -> Decimal | None:
    """One cell's yuan value, or None when the text is blank or not a printed amount.

    `unit` is the printed unit (万元) or its multiplier to yuan.
    """
    if text is None:
        return None
    t = _clean(text)
    if not t or (_LEADING_ZERO.match(t) and "." not in t):
        return None  # blank, or "01": a code part, never a printed amount
    try:
        value = parse_printed(t)
    except AmountError:
        return None
    multiplier = unit if isinstance(unit, Decimal) else unit_multiplier(unit)
    return None if value is None else value * multiplier


def cell_amounts(table: dict) -> list[list[Decimal | None]]:
    """Same shape as `table["rows"]`: each body cell's amount in yuan, or None."""
    rows: list[list[str | None]] = table.get("rows") or []
    unit = table.get("unit")
    if not known_unit(unit):
        return [[None] * len(r) for r in rows]
    n_cols = max((len(r) for r in rows), default=0)
    allowed = amount_columns(table.get("kind", ""), table.get("header") or [], n_cols)
    multiplier = unit_multiplier(unit)
    return [[cell_amount(text, multiplier) if allowed[c] else None for c, text in enumerate(r)] for r in rows]
