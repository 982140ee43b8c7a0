"""Headers of the table grid: where a table's header ends and its body begins, a repeated header
on a continuation page, the header cells of a ruled table, and the header texts over each column.
"""

from __future__ import annotations

import re

from budgetlens.parse.grid.cells import (
    Cell,
    Grid,
    active_bounds,
    cell_spans,
    horizontal_boundaries,
    place_segment,
)
from budgetlens.parse.grid.rivers import RULE_SNAP
from budgetlens.parse.grid.text import is_anchor
from budgetlens.parse.layout import TABLE_HEADER_WORDS, Line
from budgetlens.parse.pdfdoc import Rule

# A line holding one of these (or 收入/支出, short) is a header line, not a wrapped body label.
HEADER_WORDS = (*TABLE_HEADER_WORDS, "支出", "收入")
_ROW_LABEL = re.compile(
    r"^(?:20\d\d\s*年|合\s*计|总\s*计|增减.*|.{2,30}(?:局|委员会|办公室|办公厅|中心|办事处|检察院|法院))$"
)


def header_split(lines: list[Line], rules: list[Rule], x0: float, x1: float) -> int:
    """Index of the first body line: the first line with a figure or code, or the first line of its
    ruled band (a centred figure sits below the first lines of its row). No figure: all header."""
    first = next((i for i, ln in enumerate(lines) if is_anchor(ln)), None)
    if first is None:
        # no figure at all (every cell blank): the rows start at the first row label (a year, a
        # total, a unit's name); else they follow the last header line
        labelled = next(
            (i for i, ln in enumerate(lines) if any(_ROW_LABEL.match(s.text) for s in ln.segments)), None
        )
        if labelled is not None:
            return labelled
        last = max((i for i, ln in enumerate(lines) if header_like(ln)), default=None)
        return len(lines) if last is None else last + 1
    if not rules:
        # unruled: a wrapped first-row label starts just above its (vertically centred) figures
        while (
            first > 0
            and abs(lines[first - 1].centre - lines[first].centre)
            <= 0.75 * (lines[first].bottom - lines[first].top)
            and not header_like(lines[first - 1])
        ):
            first -= 1
        return first
    top = lines[0].top - 2 * lines[0].em
    bottom = lines[-1].bottom + 2 * lines[-1].em
    hb = horizontal_boundaries(rules, x0, x1, top, bottom)
    if len(hb) >= 2:
        c = lines[first].centre
        above = [y for y in hb if y <= c]
        if above:
            edge = max(above)
            start = next((i for i, ln in enumerate(lines) if ln.centre >= edge), first)
            # no rule under the header: header lines share the first row's band; keep them out
            i = first
            while (
                i > start
                and not header_like(lines[i - 1])
                and lines[first].centre - lines[i - 1].centre
                <= 1.6 * (lines[first].bottom - lines[first].top)
            ):
                i -= 1
            return i
    return first


def header_like(line: Line) -> bool:
    """A line of header cells: short pieces naming columns (项目 / 金额 / 预算单位 / 基本支出 …)."""
    texts = [s.text.replace(" ", "") for s in line.segments]
    hits = [
        t for t in texts if (len(t) <= 10 and any(w in t for w in HEADER_WORDS)) or t in ("类", "款", "项")
    ]
    if len(texts) >= 2 and all(len(t) <= 8 and not any(ch.isdigit() for ch in t) for t in texts):
        return True  # several short word cells side by side: header cells, not a wrapped body label
    return bool(texts) and (len(hits) >= 2 or (len(texts) == 1 and len(texts[0]) <= 6 and bool(hits)))


def repeats_header(head: list[Line], first_head: set[str]) -> bool:
    """Do these lines repeat the first page's header (a continuation page that prints it again)?"""
    texts = [s.text for ln in head for s in ln.segments]
    return bool(texts) and sum(1 for t in texts if t in first_head) >= 0.5 * len(texts)


def repeated_header_lines(head: list[Line], first_head: set[str]) -> int:
    """How many of a continuation page's leading lines belong to its repeated header: up to the last
    line that shares a word with the first page's header. The lines after it share none: body rows
    that print no figure (上年结余、结转 | | 结转下年 |, printed blank) or whose figures the header
    split did not expect, never header."""
    shared = [i for i, ln in enumerate(head) if any(s.text in first_head for s in ln.segments)]
    return shared[-1] + 1 if shared else len(head)


def ruled_header(
    lines: list[Line], rules: list[Rule], columns: list[tuple[float, float]]
) -> list[list[Cell]]:
    """Header cells of a ruled table: each piece of text belongs to the cell bounded by the rules around it.

    Partial rules count here (the rule under a merged parent header spans only its children), so
    a parent header and the child headers below it become separate cells.
    """
    if not lines:
        return []
    top = lines[0].top - 2 * lines[0].em
    bottom = lines[-1].bottom + 0.5 * lines[-1].em
    hrules = [r for r in rules if r.horizontal and top <= (r.top + r.bottom) / 2 <= bottom]
    found: dict[tuple[float, tuple[int, int]], Cell] = {}
    for ln in lines:
        spans = cell_spans(columns, active_bounds(columns, rules, ln.top, ln.bottom))
        for seg in ln.segments:
            for piece, span in place_segment(seg, columns, spans, ln.em, whole=False):
                cx = (piece.x0 + piece.x1) / 2
                cy = (piece.top + piece.bottom) / 2
                above = [
                    (r.top + r.bottom) / 2
                    for r in hrules
                    if r.x0 - RULE_SNAP <= cx <= r.x1 + RULE_SNAP and (r.top + r.bottom) / 2 <= cy
                ]
                ceiling = round(max(above), 0) if above else -1.0
                cell = found.setdefault((ceiling, span), Cell(span=span))
                cell.add(piece.text, (ln.page, piece.x0, piece.top, piece.x1, piece.bottom))
    rows: dict[float, list[Cell]] = {}
    for (ceiling, span), cell in sorted(found.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        row = rows.setdefault(ceiling, [Cell() for _ in columns])
        row[span[0]] = cell
    return [rows[k] for k in sorted(rows)]


def span_centred_group_headers(header: list[list[Cell]], columns: list[tuple[float, float]]) -> None:
    """Unruled header rows: a group header (基本支出, 科目编码) printed centred above the columns it
    groups spans them. Its columns are those beside it whose own label stands at the foot of the
    header below it (`_group_child`), as many on each side as keep the group's middle over the
    header's: in the middle column (an odd number), or at the border of the two middle ones (an
    even number)."""
    last = len(header) - 1
    printed = [c.box for row in header for c in row if c.text and c.box is not None]
    if not printed:
        return
    extent = (min(b[2] for b in printed), max(b[4] for b in printed))  # the header's top and foot
    for r in range(last):
        for j, cell in enumerate(header[r]):
            if not cell.text or cell.box is None or (cell.span and cell.span[0] != cell.span[1]):
                continue
            if not header[last][j].text and not _label_at_foot(header, r, j, cell, extent):
                continue  # no label under it at the foot: a header of its own column (wrapped)
            left = right = 0
            while _group_child(header, columns, r, j - left - 1, cell, extent):
                left += 1
            while _group_child(header, columns, r, j + right + 1, cell, extent):
                right += 1
            middle = (cell.box[1] + cell.box[3]) / 2
            fits = [
                (a, b)
                for a in range(left + 1)
                for b in range(right + 1)
                if a + b and _centred_over(columns[j - a : j + b + 1], middle)
            ]
            if fits:
                a, b = max(fits, key=sum)
                cell.span = (j - a, j + b)


def _group_child(
    header: list[list[Cell]],
    columns: list[tuple[float, float]],
    r: int,
    k: int,
    group: Cell,
    extent: tuple[float, float],
) -> bool:
    """Column k is a child of the group header in row r: it has a label in the last header row and
    nothing from row r down to it, or its own label (wrapped over lines one under another) stands
    below the group and ends at the foot of the header."""
    last = len(header) - 1
    if not 0 <= k < len(columns) or header[r][k].text:
        return False
    if header[last][k].text and not any(header[q][k].text for q in range(r, last)):
        return True
    return _label_at_foot(header, r, k, group, extent)


def _label_at_foot(
    header: list[list[Cell]], r: int, k: int, group: Cell, extent: tuple[float, float]
) -> bool:
    """Does column k print one label below the group header of row r (its pieces one under another,
    the first below the group's foot) that ends at the foot of the header (`extent`: its top and
    foot)? A label of the column's own that stands centred in the whole header's height (合计,
    项目支出 beside 基本支出) does not."""
    pieces = [header[q][k] for q in range(r + 1, len(header)) if header[q][k].text]
    if (
        not pieces
        or group.box is None
        or any(c.box is None or (c.span and c.span[0] != c.span[1]) for c in pieces)
    ):
        return False
    boxes = [c.box for c in pieces]
    height = max(b[4] - b[2] for b in boxes)
    top, foot = extent
    if boxes[0][2] < group.box[4] or boxes[-1][4] < foot - 1.2 * height:
        return False
    if (boxes[0][2] + boxes[-1][4]) / 2 < (top + foot) / 2 + 0.25 * height:
        return False  # centred in the whole header's height: a column of its own
    return all(b[2] - a[4] <= 1.2 * height for a, b in zip(boxes, boxes[1:], strict=False))


def _centred_over(cols: list[tuple[float, float]], middle: float) -> bool:
    n = len(cols)
    if n % 2:
        x0, x1 = cols[n // 2]
        return x0 <= middle <= x1
    border = cols[n // 2][0]
    width = min(cols[n // 2 - 1][1] - cols[n // 2 - 1][0], cols[n // 2][1] - cols[n // 2][0])
    return abs(middle - border) <= 0.5 * width


def header_paths(grid: Grid) -> list[list[str]]:
    """Per column, the header texts above it, top to bottom (a merged header cell counts for all its columns)."""
    paths: list[list[str]] = [[] for _ in grid.columns]
    for row in grid.header:
        for j, cell in enumerate(row):
            if not cell.text:
                continue
            first, last = cell.span or (j, j)
            for k in range(first, min(last, len(paths) - 1) + 1):
                paths[k].append(cell.text)
    return paths


def merge_displaced_headers(grid: Grid) -> None:
    """A header over a column that is blank in every row, next to a column of text without a header:
    one column whose header was printed off centre. Merge them (the text column keeps its cells)."""
    j = 0
    while j < len(grid.columns):
        blank = not any(r[j].text for r in grid.rows)
        if blank and grid.paths[j] and grid.rows:
            for k in (j - 1, j + 1):
                if 0 <= k < len(grid.columns) and not grid.paths[k] and any(r[k].text for r in grid.rows):
                    grid.paths[k] = grid.paths[j]
                    for row in grid.header:
                        if not row[k].text:
                            row[k] = row[j]
                    a = min(grid.columns[j][0], grid.columns[k][0])
                    b = max(grid.columns[j][1], grid.columns[k][1])
                    grid.columns[k] = (a, b)
                    for rows in (grid.header, grid.rows):
                        for row in rows:
                            del row[j]
                    del grid.columns[j]
                    del grid.paths[j]
                    break
            else:
                j += 1
            continue
        j += 1
