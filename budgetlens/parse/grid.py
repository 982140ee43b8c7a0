"""Table geometry: lines (and rules, when drawn) of one table to a grid of cells.

Pure functions. Works for ruled grids (Excel/WPS exports), tables with only horizontal rules,
and unruled tables:

- **columns** come from the vertical rules when the body is ruled, else from the *rivers* of
  the body: x ranges that no body line prints in;
- **rows** come from the horizontal rules when they are drawn between rows, else from the lines:
  every line that prints a figure or a code is a row, a line of text only is a wrapped piece of
  the nearest row (or a row of its own when it is numbered or too far from any row);
- merged cells (a cell spanning several columns or rows) keep their text in their first column
  or row, the others are empty strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from budgetlens.parse.layout import Line, Segment, make_segment
from budgetlens.parse.normalize import key, normalize_text
from budgetlens.parse.pdfdoc import Char, Rule

# A body line may print in a river this often (share of body lines) and it is still a river.
RIVER_TOLERANCE = 0.04
# Narrowest river, in ems.
RIVER_MIN_EM = 0.6
# A narrower river still separates columns when it falls between two header columns.
RIVER_NARROW_EM = 0.2
# Rules closer than this (points) are one rule.
RULE_SNAP = 2.0
# A horizontal rule must cover this share of the table width to separate rows.
ROW_RULE_SPAN = 0.4
# A text-only line joins the nearest row when their centres are closer than this many line heights.
FRAGMENT_REACH = 1.75

_AMOUNT = re.compile(r"^[-+(（]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[)）]?$")
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]\s*\D|其中[:：]?|第[一二三四五六七八九十]+)"
)
# Words of a table header ("项目", "金额" …), shared with the table finder (tables.py).
TABLE_HEADER_WORDS = (
    "项目",
    "科目",
    "金额",
    "预算数",
    "合计",
    "名称",
    "编码",
    "基本支出",
    "项目支出",
    "小计",
    "总计",
    "单位",
    "年度",
    "指标",
)
# A line holding one of these (or 收入/支出, short) is a header line, not a wrapped body label.
HEADER_WORDS = (*TABLE_HEADER_WORDS, "支出", "收入")
_ROW_LABEL = re.compile(
    r"^(?:20\d\d\s*年|合\s*计|总\s*计|增减.*|.{2,30}(?:局|委员会|办公室|办公厅|中心|办事处|检察院|法院))$"
)
_ROW_WORDS = ("合计", "总计", "小计", "收入", "支出", "结转", "结余", "上年", "本年", "年度")


def is_amount_text(text: str) -> bool:
    """A printed figure (digits, thousands commas, decimals, sign or parentheses)."""
    return bool(_AMOUNT.match(text.replace(" ", "")))


NIL_MARKS = frozenset({"-", "--", "—", "——", "–", "－", "/"})


def is_value_text(text: str) -> bool:
    """A figure or a printed nil mark (- / — / –): what an amount cell holds."""
    t = text.replace(" ", "")
    return t in NIL_MARKS or bool(_AMOUNT.match(t))


_FIGURE_LIKE = re.compile(r"^[-+(（]?\d[\d,]*(?:\.\d*)?[)）]?$|^(?:-|--|—|——|–|－)$")


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


@dataclass
class Cell:
    """One grid cell: its text (normalised; '' when empty) and box [page, x0, top, x1, bottom]."""

    text: str = ""
    box: list[float] | None = None
    span: tuple[int, int] | None = None  # first and last column a merged cell covers

    def add(self, text: str, box: tuple[int, float, float, float, float], *, before: bool = False) -> None:
        if not text:
            return
        if self.text:
            joined = (text, self.text) if before else (self.text, text)
            self.text = normalize_text(_join(*joined))
        else:
            self.text = text
        if self.box is None:
            self.box = list(box)
        else:
            self.box = [
                self.box[0],
                min(self.box[1], box[1]),
                min(self.box[2], box[2]),
                max(self.box[3], box[3]),
                max(self.box[4], box[4]),
            ]


def _join(a: str, b: str) -> str:
    """Join wrapped pieces of one cell: no space inside Chinese text or a wrapped figure, a space between ASCII words."""
    if is_figure_like(a) and b[:1].isdigit() and is_amount_text(a + b):
        return a + b
    if a and b and a[-1].isascii() and b[0].isascii() and a[-1].isalnum() and b[0].isalnum():
        return a + " " + b
    return a + b


@dataclass
class Grid:
    """A table as columns × rows of cells, with its header rows kept apart."""

    columns: list[tuple[float, float]]
    header: list[list[Cell]] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    paths: list[list[str]] = field(default_factory=list)  # per column: header texts, top to bottom


def cluster(values: list[float], snap: float = RULE_SNAP) -> list[float]:
    """Sorted values merged when closer than `snap` (each cluster's mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= snap:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def vertical_boundaries(rules: list[Rule], top: float, bottom: float, min_len: float) -> list[float]:
    """x of vertical rules that cross the band [top, bottom]."""
    xs = [
        (r.x0 + r.x1) / 2
        for r in rules
        if not r.horizontal and r.bottom - r.top >= min_len and r.top < bottom and r.bottom > top
    ]
    return cluster(xs)


def horizontal_boundaries(rules: list[Rule], x0: float, x1: float, top: float, bottom: float) -> list[float]:
    """y of horizontal rules that span enough of [x0, x1] to separate rows, within [top, bottom]."""
    width = max(x1 - x0, 1.0)
    pieces: dict[float, list[tuple[float, float]]] = {}
    ys = cluster(
        [(r.top + r.bottom) / 2 for r in rules if r.horizontal and top <= (r.top + r.bottom) / 2 <= bottom]
    )
    for r in rules:
        if not r.horizontal:
            continue
        y = (r.top + r.bottom) / 2
        for cy in ys:
            if abs(cy - y) <= RULE_SNAP:
                pieces.setdefault(cy, []).append((max(r.x0, x0), min(r.x1, x1)))
                break
    out = []
    for cy, segs in pieces.items():
        covered = 0.0
        end = -1e9
        for a, b in sorted(segs):
            if b <= a:
                continue
            a = max(a, end)
            if b > a:
                covered += b - a
                end = b
        if covered >= ROW_RULE_SPAN * width:
            out.append(cy)
    return sorted(out)


def river_intervals(
    lines: list[Line], em: float, x0: float | None = None, x1: float | None = None
) -> list[tuple[float, float]]:
    """x ranges of the whitespace that runs down through (almost) every given body line, within
    [x0, x1] (default: the lines' extent; wider to find columns left blank at the table's edges)."""
    if not lines:
        return []
    x0 = min(line.x0 for line in lines) if x0 is None else x0
    x1 = max(line.x1 for line in lines) if x1 is None else x1
    step = 0.5
    n = int((x1 - x0) / step) + 3
    diff = [0] * (n + 1)
    for line in lines:
        # a segment covers its inner gaps too (spaced-out words stay whole); segments never overlap
        for seg in line.segments:
            a = max(int((seg.x0 - x0) / step), 0)
            b = min(int((seg.x1 - x0) / step), n - 1)
            diff[a] += 1
            diff[b + 1] -= 1
    allowed = int(RIVER_TOLERANCE * len(lines))
    out: list[tuple[float, float]] = []
    run_start = None
    min_run = RIVER_NARROW_EM * em / step
    cover = 0
    for i in range(n):
        cover += diff[i]
        free = cover <= allowed
        if free and run_start is None:
            run_start = i
        elif not free and run_start is not None:
            if i - run_start >= min_run:
                out.append((x0 + run_start * step, x0 + i * step))
            run_start = None
    if run_start is not None and n - 1 - run_start >= min_run:
        out.append((x0 + run_start * step, x0 + (n - 1) * step))
    return out


def header_clusters(head: list[Line], em: float) -> list[tuple[float, float]]:
    """x ranges of the header's leaf columns.

    Pieces of one header cell wrapped over several lines are one cell; a cell with another cell
    below it is a parent (a group header over several columns) and is left out; a sparse top line
    is group headers too (项目 | 支出预算). Overlapping leaves are one column.
    """
    if len(head) >= 2 and 2 * len(head[0].segments) <= max(len(ln.segments) for ln in head):
        head = head[1:]
    cells: list[list] = []  # [x0, x1, first line, last line]
    for i, ln in enumerate(head):
        for seg in ln.segments:
            cx = (seg.x0 + seg.x1) / 2
            wrap = next(
                (
                    c
                    for c in cells
                    if c[3] == i - 1
                    and ln.centre - head[i - 1].centre <= 1.6 * (ln.bottom - ln.top)
                    and c[0] - 0.5 * em <= seg.x0
                    and seg.x1 <= c[1] + 0.5 * em
                    and (abs(cx - (c[0] + c[1]) / 2) <= em or abs(seg.x0 - c[0]) <= 0.5 * em)
                ),
                None,
            )
            if wrap is not None:
                wrap[0], wrap[1], wrap[3] = min(wrap[0], seg.x0), max(wrap[1], seg.x1), i
            else:
                cells.append([seg.x0, seg.x1, i, i])
    leaves = [
        c
        for c in cells
        if not any(o is not c and o[2] > c[3] and min(o[1], c[1]) - max(o[0], c[0]) > 0 for o in cells)
    ]
    clusters: list[list[float]] = []
    for x0, x1, *_ in sorted(leaves):
        if clusters and x0 < clusters[-1][1] + 0.3 * em:
            clusters[-1][1] = max(clusters[-1][1], x1)
        else:
            clusters.append([x0, x1])
    return [(a, b) for a, b in clusters]


def _between(r0: float, r1: float, clusters: list[tuple[float, float]]) -> bool:
    """No header column sits over the river [r0, r1] itself (it lies between two header columns)."""
    return not any(a < r1 and b > r0 for a, b in clusters)


def river_bounds(
    rivers: list[tuple[float, float]],
    clusters: list[tuple[float, float]],
    em: float,
    text_x0: float = -1e9,
    text_x1: float = 1e9,
) -> list[float]:
    """Column boundaries from the body's rivers and the header's columns.

    The body's text columns (between rivers) are matched in order to the header columns, each
    to the nearest; a header column matched to no text column stands over a column left blank in
    every body row, and gets boundaries on both sides inside its river. Every other inner river
    gets one boundary in its middle. A narrow river counts only between two header columns.
    """
    rivers = [
        (r0, r1)
        for r0, r1 in rivers
        if r1 - r0 >= RIVER_MIN_EM * em
        or (clusters and _between(r0, r1, clusters) and text_x0 < r0 and r1 < text_x1)
    ]
    inner = [(r0, r1) for r0, r1 in rivers if text_x0 < r0 and r1 < text_x1]
    edges = [text_x0, *[x for r in inner for x in r], text_x1]
    texts = [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]
    blank, matched = _unmatched(texts, sorted(clusters), 1.5 * em, 6 * em)
    out: list[float] = []
    for r0, r1 in rivers:
        inside = sorted(c for c in blank if c[0] >= r0 - 0.5 and c[1] <= r1 + 0.5)
        lead, trail = r1 <= text_x0 + 0.5, r0 >= text_x1 - 0.5
        if not inside:
            if not (lead or trail):
                mid = (r0 + r1) / 2
                k = next((i for i, t in enumerate(texts) if abs(t[1] - r0) < 0.5), None)
                if k is not None:
                    # keep each column's own header on its side of the boundary
                    left, right = matched.get(k), matched.get(k + 1)
                    lo = left[1] if left else -1e9
                    hi = right[0] if right else 1e9
                    if lo < hi:
                        mid = min(max(mid, lo), hi)
                out.append(mid)
            continue
        points = [r0, *[x for c in inside for x in c], r1]
        mids = [(points[i] + points[i + 1]) / 2 for i in range(0, len(points), 2)]
        if lead:
            mids = mids[1:]  # no boundary before the first blank column
        if trail:
            mids = mids[:-1]
        out.extend(mids)
    return out


def _unmatched(
    texts: list[tuple[float, float]], clusters: list[tuple[float, float]], skip: float, orphan: float
) -> tuple[list[tuple[float, float]], dict[int, tuple[float, float]]]:
    """(header columns over no text, text column index -> its header column) when text columns and
    header columns are matched in order at the least cost: the distance between matched pairs, `skip` per header column over no text, `orphan` per text
    column without a header (dear: a header is more likely displaced than missing)."""

    def dist(t: tuple[float, float], c: tuple[float, float]) -> float:
        return max(0.0, t[0] - c[1], c[0] - t[1])

    n, m = len(texts), len(clusters)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    move: list[list[int]] = [[0] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, how = inf, 0
            if i and j and cost[i - 1][j - 1] + dist(texts[i - 1], clusters[j - 1]) < best:
                best, how = cost[i - 1][j - 1] + dist(texts[i - 1], clusters[j - 1]), 1
            if j and cost[i][j - 1] + skip < best:
                best, how = cost[i][j - 1] + skip, 2  # header column over no text: a blank column
            if i and cost[i - 1][j] + orphan < best:
                best, how = cost[i - 1][j] + orphan, 3  # text column without a header of its own
            cost[i][j], move[i][j] = best, how
    out = []
    matched: dict[int, tuple[float, float]] = {}
    i, j = n, m
    while i or j:
        how = move[i][j]
        if how == 1:
            matched[i - 1] = clusters[j - 1]
            i, j = i - 1, j - 1
        elif how == 2:
            out.append(clusters[j - 1])
            j -= 1
        else:
            i -= 1
    return out, matched


def columns_from_boundaries(bounds: list[float], x0: float, x1: float) -> list[tuple[float, float]]:
    """Boundaries (sorted x) to column ranges over [x0, x1]."""
    inner = [b for b in bounds if x0 < b < x1]
    edges = [x0, *inner, x1]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


@dataclass
class _Row:
    lines: list[Line]
    header: bool = False


def build_grid(
    parts: list[tuple[list[Line], list[Rule]]],
    *,
    header_parts: list[list[Line]] | None = None,
) -> Grid:
    """A grid from the lines (and rules) of one table on one or more pages.

    `parts` holds, per page, the table's lines below its title and meta lines (header lines
    included) and the rules drawn in that area. The header of the table is the lines above its
    first body line on the first page; on continuation pages a repeated header is recognised
    by having no figures and lying above the first body line, and skipped.
    """
    all_lines = [ln for lines, _ in parts for ln in lines]
    if not all_lines:
        return Grid(columns=[])
    decimals = table_decimals(all_lines)
    for lines, _ in parts:
        mark_wrapped_figures(lines, decimals)
    ems = [ln.em for ln in all_lines]
    em = median(ems)
    body_lines: list[Line] = []
    head_lines: list[list[Line]] = []
    ex0 = min(ln.x0 for ln in all_lines)
    ex1 = max(ln.x1 for ln in all_lines)
    first_head: set[str] = set()
    for idx, (lines, rules) in enumerate(parts):
        split = header_split(lines, rules, ex0, ex1)
        if idx == 0:
            first_head = {s.text for ln in lines[:split] for s in ln.segments}
        elif split and not _repeats(lines[:split], first_head):
            split = 0  # a continuation page without a repeated header: all body
        head_lines.append(lines[:split])
        body_lines.extend(lines[split:])
    first_head_lines = next((h for h in head_lines if h), [])
    # Columns per page (a table may be laid out a little differently on each page); when the pages
    # disagree on the number of columns, one set of columns for all pages.
    layouts = []
    for (lines, rules), head in zip(parts, head_lines, strict=True):
        body = lines[len(head) :]
        layouts.append(_columns_of(body, rules, head or first_head_lines, em) if lines else None)
    counts = {len(lay[0]) for lay in layouts if lay is not None}
    if len(counts) > 1:
        joint_body = [
            ln for (lines, _), head in zip(parts, head_lines, strict=True) for ln in lines[len(head) :]
        ]
        joint = _columns_of(joint_body, [r for _, rules in parts for r in rules], first_head_lines, em)
        layouts = [joint if lay is not None else None for lay in layouts]
    first_layout = next(lay for lay in layouts if lay is not None)
    grid = Grid(columns=first_layout[0])
    # Rows, page part by page part.
    first = True
    for (lines, rules), head, lay in zip(parts, head_lines, layouts, strict=True):
        if not lines or lay is None:
            continue
        columns, ruled_columns, x0, x1 = lay
        body = lines[len(head) :]
        if first:
            if ruled_columns:
                grid.header.extend(_ruled_header(head, rules, columns))
            else:
                # unruled columns: one header row per line, so stacked header words stay apart
                for ln in head:
                    grid.header.append(_cells([ln], columns, [], header=True))
            first = False
        for r in _body_rows(body, rules, x0, x1):
            grid.rows.append(_cells(r.lines, columns, rules if ruled_columns else [], header=False))
    grid.paths = _paths(grid)
    _drop_empty_columns(grid)
    _merge_displaced_headers(grid)
    return grid


def _merge_displaced_headers(grid: Grid) -> None:
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


def _columns_of(
    body: list[Line], rules: list[Rule], head: list[Line], em: float
) -> tuple[list[tuple[float, float]], bool, float, float]:
    """(columns, ruled?, x0, x1) of a table's body on one page: vertical rules through the body,
    else the rivers of its figure lines (header columns left blank in the body kept)."""
    lines = body or head
    if not lines:
        return [], False, 0.0, 0.0
    anchors = [ln for ln in body if is_anchor(ln)]
    x0 = min(ln.x0 for ln in [*body, *head]) - 0.5
    x1 = max(ln.x1 for ln in [*body, *head]) + 0.5
    spine = anchors or body
    if spine and rules:
        vb = vertical_boundaries(rules, min(ln.top for ln in spine), max(ln.bottom for ln in spine), 0.6 * em)
        inner = [b for b in vb if x0 < b < x1]
        if len(inner) >= 1 and len(vb) >= 3:
            return (
                columns_from_boundaries(vb, min(x0, vb[0]), max(x1, vb[-1])),
                True,
                min(x0, vb[0]),
                max(x1, vb[-1]),
            )
    src = anchors or body
    if not src:
        return columns_from_boundaries([], x0, x1), False, x0, x1
    tx0, tx1 = min(ln.x0 for ln in src), max(ln.x1 for ln in src)
    rivers = river_intervals(src, em, x0, x1)
    if anchors:
        # label-only lines (labels printed apart from their figures, rows whose figures are all blank)
        labels = [ln for ln in body if not is_anchor(ln) and not ln.continuation]
        rivers, tx0, tx1 = split_rivers(rivers, labels, tx0, tx1)
    bounds = river_bounds(rivers, header_clusters(head, em), em, tx0, tx1)
    return columns_from_boundaries(bounds, x0, x1), False, x0, x1


def split_rivers(
    rivers: list[tuple[float, float]], lines: list[Line], tx0: float, tx1: float
) -> tuple[list[tuple[float, float]], float, float]:
    """Rivers of the figure lines cut by the text of label-only lines printed wholly inside them.

    On a page whose figure lines print no labels (labels set apart from their wrapped, centred
    figures; a totals row alone on a continuation page) a label column lies inside a river of the
    figure lines: it is a text column of its own, so a boundary never cuts through it. Text that
    reaches over a river's edge (a label running into a figure column) splits nothing.
    Returns the rivers and the text extent (tx0, tx1) widened to the labels.
    """
    out: list[tuple[float, float]] = []
    for r0, r1 in rivers:
        inside = sorted(
            (s.x0, s.x1) for ln in lines for s in ln.segments if s.x0 > r0 and s.x1 < r1 and s.text.strip()
        )
        if not inside:
            out.append((r0, r1))
            continue
        start = r0
        for a, b in inside:
            if a > start:
                out.append((start, a))
            start = max(start, b)
        if start < r1:
            out.append((start, r1))
        tx0 = min(tx0, inside[0][0])
        tx1 = max(tx1, max(b for _, b in inside))
    return out, tx0, tx1


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


def _repeats(head: list[Line], first_head: set[str]) -> bool:
    """Do these lines repeat the first page's header (a continuation page that prints it again)?"""
    texts = [s.text for ln in head for s in ln.segments]
    return bool(texts) and sum(1 for t in texts if t in first_head) >= 0.5 * len(texts)


def _ruled_header(
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
        spans = _spans(columns, _active_bounds(columns, rules, ln.top, ln.bottom))
        for seg in ln.segments:
            for piece, span in _place(seg, columns, spans, ln.em, whole=False):
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


def _bands(lines: list[Line], ys: list[float]) -> list[list[Line]]:
    """Lines grouped by the horizontal rules between them (lines above the first rule form a band)."""
    edges = [-1e9, *ys, 1e9]
    bands: list[list[Line]] = [[] for _ in range(len(edges) - 1)]
    for ln in lines:
        c = ln.centre
        for i in range(len(edges) - 1):
            if edges[i] <= c < edges[i + 1]:
                bands[i].append(ln)
                break
    return [b for b in bands if b]


def _body_rows(lines: list[Line], rules: list[Rule], x0: float, x1: float) -> list[_Row]:
    """Body lines to rows: ruled bands holding one row each, else lines with their wrapped pieces."""
    if not lines:
        return []
    top = lines[0].top - 2 * lines[0].em
    bottom = lines[-1].bottom + 2 * lines[-1].em
    hb = horizontal_boundaries(rules, x0, x1, top, bottom)
    rows: list[_Row] = []
    if len(hb) >= 3:
        for band in _bands(lines, hb):
            if sum(1 for ln in band if is_anchor(ln)) >= 2 and not _one_wrapped_row(band):
                rows.extend(_line_rows(band))
            else:
                rows.append(_Row(band))
        return rows
    return _line_rows(lines)


def _one_wrapped_row(band: list[Line]) -> bool:
    """Two figure lines in one ruled band are still one row when they overlap vertically (a centred figure)."""
    anchors = [ln for ln in band if is_anchor(ln)]
    return all(a.bottom > b.top and b.bottom > a.top for a, b in zip(anchors, anchors[1:], strict=False))


def _line_rows(lines: list[Line]) -> list[_Row]:
    """Rows of an unruled body: figure lines are rows, text lines are wrapped pieces or rows of their own.

    Lines printed within each other's height (a label centred between the two halves of wrapped
    figures) are one band first.
    """
    bands: list[list[Line]] = []
    for ln in sorted(lines, key=lambda x: x.top):
        if bands:
            last = bands[-1][-1]
            h = min(ln.bottom - ln.top, last.bottom - last.top)
            if ln.centre - last.centre <= 0.75 * h:
                bands[-1].append(ln)
                continue
        bands.append([ln])

    def centre(band: list[Line]) -> float:
        return sum(x.centre for x in band) / len(band)

    anchors = [i for i, b in enumerate(bands) if any(is_anchor(x) for x in b)]
    gaps = [centre(bands[b]) - centre(bands[a]) for a, b in zip(anchors, anchors[1:], strict=False)]
    pitch = median(gaps) if gaps else None
    rows: dict[int, list[Line]] = {i: list(bands[i]) for i in anchors}
    order: list[int] = list(anchors)
    for i, band in enumerate(bands):
        if i in rows:
            continue
        target = None
        best = None
        for a in anchors:
            d = abs(centre(bands[a]) - centre(band))
            if best is None or d < best[0]:
                best = (d, a)
        height = max(max(x.bottom for x in band) - min(x.top for x in band), 1.0)
        above = [a for a in anchors if a < i]
        if any(x.continuation for x in band) and above:
            # the wrapped tails of the figures above (with the tail of a wrapped label, "支出（项）"):
            # part of the row whose figures they complete, never a row of its own
            rows[above[-1]].extend(band)
            continue
        own = len(band) == 1 and _row_of_its_own(band[0])
        # as far from every figure row as the rows are from each other: a row of its own (figures blank)
        apart = pitch is not None and best is not None and best[0] >= 0.85 * pitch
        if best is not None and not own and not apart and best[0] <= FRAGMENT_REACH * height:
            target = best[1]
        if target is None:
            rows[i] = list(band)
            order.append(i)
        else:
            rows[target].extend(band)
    order.sort(key=lambda k: bands[k][0].top)
    return [_Row(sorted(rows[k], key=lambda x: x.top)) for k in order]


def _row_of_its_own(line: Line) -> bool:
    """A text-only line that is a row by itself: numbered, or a label such as 合计 / 上年结转."""
    first = line.segments[0].text if line.segments else ""
    if _NUMBERED.match(first):
        return True
    t = line.text.replace(" ", "")
    return (
        any(t.startswith(w) or t.endswith(w) for w in _ROW_WORDS) and len(line.segments) >= 1 and len(t) <= 12
    )


def _cells(
    lines: list[Line], columns: list[tuple[float, float]], rules: list[Rule], *, header: bool
) -> list[Cell]:
    """One row's lines to one cell per column (merged cells: text in the first column of the span)."""
    cells = [Cell() for _ in columns]
    if not columns:
        return cells
    top = min(ln.top for ln in lines)
    bottom = max(ln.bottom for ln in lines)
    active = _active_bounds(columns, rules, top, bottom)
    spans = _spans(columns, active)
    for ln in lines:
        for seg in ln.segments:
            whole = header and not rules
            for piece, span in _place(seg, columns, spans, ln.em, whole=whole):
                target = _column_at(columns, (piece.x0 + piece.x1) / 2) if whole else span[0]
                cell = cells[target]
                cell.add(piece.text, (ln.page, piece.x0, piece.top, piece.x1, piece.bottom))
                if cell.span is None or span[1] > cell.span[1]:
                    cell.span = span
    # a blank cell still has a place: its column across the row (provenance of a printed blank = 0)
    page = lines[0].page
    for cell, (a, b) in zip(cells, columns, strict=True):
        if cell.box is None:
            cell.box = [page, round(a, 2), round(top, 2), round(b, 2), round(bottom, 2)]
    return cells


def _place(
    seg: Segment, columns: list[tuple[float, float]], spans: list[tuple[int, int]], em: float, *, whole: bool
):
    """Split a segment at the cell borders it crosses; yield (piece, (first, last column)) pairs.

    `whole`: an unruled header cell: the segment stays whole, in the column under its centre,
    spanning every column it reaches well over.
    """
    if whole:
        centre = _column_at(columns, (seg.x0 + seg.x1) / 2)
        over = [
            j
            for j, (a, b) in enumerate(columns)
            if min(seg.x1, b) - max(seg.x0, a) >= 0.6 * (b - a) or j == centre
        ]
        yield seg, (centre, centre) if len(over) == 1 else (min(over), max(over))
        return
    pieces: dict[tuple[int, int], list[Char]] = {}
    for c in seg.chars:
        j = _column_at(columns, (c.x0 + c.x1) / 2)
        span = next((s for s in spans if s[0] <= j <= s[1]), (j, j))
        pieces.setdefault(span, []).append(c)
    if len(pieces) == 1:
        yield seg, next(iter(pieces))
        return
    if _tight(seg, em):
        # a label printed across a column border (e.g. 合计 centred over code and name columns): keep whole
        yield seg, max(pieces, key=lambda k: len(pieces[k]))
        return
    for span, chars in pieces.items():
        yield make_segment(chars), span


_VINDEX: dict[int, tuple[list[Rule], dict[int, list[tuple[float, float, float]]]]] = {}


def _vertical_index(rules: list[Rule]) -> dict[int, list[tuple[float, float, float]]]:
    """Vertical rules by whole-point x (x, top, bottom), built once per list of rules."""
    cached = _VINDEX.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1]
    index: dict[int, list[tuple[float, float, float]]] = {}
    for r in rules:
        if not r.horizontal:
            x = (r.x0 + r.x1) / 2
            index.setdefault(int(x), []).append((x, r.top, r.bottom))
    if len(_VINDEX) > 64:
        _VINDEX.clear()
    _VINDEX[id(rules)] = (rules, index)
    return index


def _active_bounds(
    columns: list[tuple[float, float]], rules: list[Rule], top: float, bottom: float
) -> list[bool]:
    """For each inner column boundary: is a vertical rule drawn there in this row? (no rules: all drawn)."""
    inner = [c[1] for c in columns[:-1]]
    if not rules:
        return [True] * len(inner)
    index = _vertical_index(rules)
    mid_lo = top + 0.25 * (bottom - top)
    mid_hi = bottom - 0.25 * (bottom - top)
    tol = RULE_SNAP + 0.5
    out = []
    for x in inner:
        found = False
        for k in range(int(x - tol), int(x + tol) + 1):
            for rx, rt, rb in index.get(k, ()):
                if abs(rx - x) <= tol and rt <= mid_hi and rb >= mid_lo:
                    found = True
                    break
            if found:
                break
        out.append(found)
    return out


def _spans(columns: list[tuple[float, float]], active: list[bool]) -> list[tuple[int, int]]:
    """Column index ranges [first, last] of the cells of a row, given which boundaries are drawn."""
    spans = []
    start = 0
    for j, on in enumerate(active):
        if on:
            spans.append((start, j))
            start = j + 1
    spans.append((start, len(columns) - 1))
    return spans


def _tight(seg: Segment, em: float) -> bool:
    """No gap inside the segment wider than half an em (one word, not two cells' contents)."""
    cs = seg.chars
    return all(b.x0 - a.x1 <= 0.5 * em for a, b in zip(cs, cs[1:], strict=False))


def _column_at(columns: list[tuple[float, float]], x: float) -> int:
    for j, (a, b) in enumerate(columns):
        if a <= x < b:
            return j
    return 0 if x < columns[0][0] else len(columns) - 1


def _drop_empty_columns(grid: Grid) -> None:
    """Remove columns with no text at all (outer borders, empty spare columns); keep spans right."""
    keep = [
        j
        for j in range(len(grid.columns))
        if any(r[j].text for r in grid.rows) or any(r[j].text for r in grid.header)
    ]
    if len(keep) == len(grid.columns):
        return
    new_index = {old: new for new, old in enumerate(keep)}

    def remap(cell: Cell) -> Cell:
        if cell.span is not None:
            inside = [new_index[k] for k in range(cell.span[0], cell.span[1] + 1) if k in new_index]
            cell.span = (min(inside), max(inside)) if inside else None
        return cell

    grid.columns = [grid.columns[j] for j in keep]
    grid.paths = [grid.paths[j] for j in keep]
    grid.header = [[remap(r[j]) for j in keep] for r in grid.header]
    grid.rows = [[remap(r[j]) for j in keep] for r in grid.rows]


def _paths(grid: Grid) -> list[list[str]]:
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


_COLUMN_NUMBER = re.compile(r"^\d{1,2}$")


def is_column_number_row(row: list[Cell]) -> bool:
    """A row of column numbers under the header (栏次 / ** | 1 | 2 | 3 …), not figures."""
    texts = [c.text.strip() for c in row if c.text.strip()]
    nums = [t for t in texts if _COLUMN_NUMBER.match(t)]
    rest = [t for t in texts if not _COLUMN_NUMBER.match(t)]
    if len(nums) < 3 or any(t.strip("*") and key(t) not in ("栏次", "行次", "项目") for t in rest):
        return False
    ints = [int(t) for t in nums]
    return ints == list(range(ints[0], ints[0] + len(ints)))
