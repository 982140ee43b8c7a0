"""Columns of the table grid: x boundaries from the vertical rules when the body is ruled, else
from the *rivers* of the body (x ranges that no body line prints in), matched to the header's
columns so that a column left blank in every body row keeps its place.
"""

from __future__ import annotations

from budgetlens.parse.grid.text import is_anchor
from budgetlens.parse.layout import Line
from budgetlens.parse.pdfdoc import Rule

# A body line may print in a river this often (share of body lines) and it is still a river.
RIVER_TOLERANCE = 0.04
# Narrowest river, in ems.
RIVER_MIN_EM = 0.6
# A narrower river still separates columns when it falls between two header columns.
RIVER_NARROW_EM = 0.2
# Rules closer than this (points) are one rule.
RULE_SNAP = 2.0


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


def columns_from_boundaries(bounds: list[float], x0: float, x1: float) -> list[tuple[float, float]]:
    """Boundaries (sorted x) to column ranges over [x0, x1]."""
    inner = [b for b in bounds if x0 < b < x1]
    edges = [x0, *inner, x1]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


def columns_of(
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
                    # a header reaching over the river into the other column is two headers set so
                    # close that they read as one ('人员支出公用支出'): the body's river divides them
                    lo = left[1] if left and left[1] <= texts[k + 1][0] else -1e9
                    hi = right[0] if right and right[0] >= texts[k][1] else 1e9
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


def _between(r0: float, r1: float, clusters: list[tuple[float, float]]) -> bool:
    """No header column sits over the river [r0, r1] itself (it lies between two header columns)."""
    return not any(a < r1 and b > r0 for a, b in clusters)


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
