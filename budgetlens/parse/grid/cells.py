"""Rows and cells of the table grid.

Rows come from the horizontal rules when they are drawn between rows, else from the lines: every
line that prints a figure or a code is a row, a line of text only is a wrapped piece of the nearest
row (or a row of its own when it is numbered or too far from any row). Each row's text is split
into one cell per column; a merged cell (spanning several columns) keeps its text in its first
column, the others are empty strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from budgetlens.parse.grid.rivers import RULE_SNAP, cluster
from budgetlens.parse.grid.text import is_amount_text, is_anchor, is_figure_like
from budgetlens.parse.layout import Line, Segment, make_segment
from budgetlens.parse.normalize import key, normalize_text
from budgetlens.parse.pdfdoc import Char, Rule

# A horizontal rule must cover this share of the table width to separate rows.
ROW_RULE_SPAN = 0.4
# A text-only line joins the nearest row when their centres are closer than this many line heights.
FRAGMENT_REACH = 1.75
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]\s*\D|其中[:：]?|第[一二三四五六七八九十]+)"
)
_ROW_WORDS = ("合计", "总计", "小计", "收入", "支出", "结转", "结余", "上年", "本年", "年度")


@dataclass
class Cell:
    """One grid cell: its text (normalised; '' when empty) and box [page, x0, top, x1, bottom]."""

    text: str = ""
    box: list[float] | None = None
    span: tuple[int, int] | None = None  # first and last column a merged cell covers

    def add(self, text: str, box: tuple[int, float, float, float, float]) -> None:
        if not text:
            return
        if self.text:
            self.text = normalize_text(_join(self.text, text))
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


@dataclass
class _Row:
    lines: list[Line]
    header: bool = False


def body_rows(lines: list[Line], rules: list[Rule], x0: float, x1: float) -> list[_Row]:
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
    bands = _join_wrapped_rows(bands)

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
        own = (
            len(band) == 1
            and _row_of_its_own(band[0])
            and not (best is not None and _wrapped_tail(band[0], rows[best[1]], best[0], pitch))
        )
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


def _join_wrapped_rows(bands: list[list[Line]]) -> list[list[Line]]:
    """One band from the heads of wrapped figures to their tails, with the label centred between
    them (`Line.continues`, set by `mark_wrapped_figures`)."""
    out: list[list[Line]] = []
    for band in bands:
        heads = [ln.continues for ln in band if ln.continues is not None]
        start = next((k for k, b in enumerate(out) if any(h in b for h in heads)), None) if heads else None
        if start is None:
            out.append(band)
            continue
        joined = [ln for b in out[start:] for ln in b] + band
        del out[start:]
        out.append(joined)
    return out


def _wrapped_tail(line: Line, row: list[Line], distance: float, pitch: float | None) -> bool:
    """Is a text-only line that ends as a row label does (…缴费支出) the second half of a name
    wrapped in its cell, rather than a row of its own? When it starts where a label of the row
    beside it starts (the same cell), not numbered nor opening with a row word, and nearer that
    row than 0.6 of the rows' pitch (a vertically centred name straddles its row's figures).
    A name's head printed on a line of its own above the row's figures may be indented (leading
    spaces in the cell: '  机关事业单位基本养' over '老保险缴费支出'): its tail starts at the cell's
    edge, up to three characters to the left of the head."""
    text = line.text.replace(" ", "")
    opens = any(text.startswith(w) and text != w for w in _ROW_WORDS)  # 支出 alone is a name's tail
    if pitch is None or distance > 0.6 * pitch or _NUMBERED.match(text) or opens:
        return False
    em = max(line.bottom - line.top, 1.0)
    for ln in row:
        head = not any(is_figure_like(seg.text) for seg in ln.segments) and ln.bottom <= line.top
        for seg in ln.segments:
            if is_figure_like(seg.text):
                continue
            if abs(seg.x0 - line.x0) <= 0.5 * em or (head and line.x0 < seg.x0 <= line.x0 + 3.5 * em):
                return True
    return False


def _row_of_its_own(line: Line) -> bool:
    """A text-only line that is a row by itself: numbered, or a label such as 合计 / 上年结转."""
    first = line.segments[0].text if line.segments else ""
    if _NUMBERED.match(first):
        return True
    t = line.text.replace(" ", "")
    return (
        any(t.startswith(w) or t.endswith(w) for w in _ROW_WORDS) and len(line.segments) >= 1 and len(t) <= 12
    )


def row_cells(
    lines: list[Line], columns: list[tuple[float, float]], rules: list[Rule], *, header: bool
) -> list[Cell]:
    """One row's lines to one cell per column (merged cells: text in the first column of the span)."""
    cells = [Cell() for _ in columns]
    if not columns:
        return cells
    top = min(ln.top for ln in lines)
    bottom = max(ln.bottom for ln in lines)
    active = active_bounds(columns, rules, top, bottom)
    spans = cell_spans(columns, active)
    for ln in lines:
        for seg in ln.segments:
            whole = header and not rules
            for piece, span in place_segment(seg, columns, spans, ln.em, whole=whole):
                target = column_at(columns, (piece.x0 + piece.x1) / 2) if whole else span[0]
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


def place_segment(
    seg: Segment, columns: list[tuple[float, float]], spans: list[tuple[int, int]], em: float, *, whole: bool
):
    """Split a segment at the cell borders it crosses; yield (piece, (first, last column)) pairs.

    `whole`: an unruled header cell: the segment stays whole, in the column under its centre,
    spanning every column it reaches well over.
    """
    if whole:
        centre = column_at(columns, (seg.x0 + seg.x1) / 2)
        over = [
            j
            for j, (a, b) in enumerate(columns)
            if min(seg.x1, b) - max(seg.x0, a) >= 0.6 * (b - a) or j == centre
        ]
        yield seg, (centre, centre) if len(over) == 1 else (min(over), max(over))
        return
    pieces: dict[tuple[int, int], list[Char]] = {}
    for word in _words(seg.chars, em):
        # a figure printed a little over its cell's border stays whole, in the column under its
        # middle ('16,410.71' whose last digit reaches past the rule); anything else goes glyph by
        # glyph (two figures run together across a border part there, each mostly on its side)
        text = "".join(c.text for c in word)
        middle = (word[0].x0 + word[-1].x1) / 2
        whole_figure = (
            len(word) > 1 and is_amount_text(text) and _mostly_in(word, columns[column_at(columns, middle)])
        )
        for c in word:
            j = column_at(columns, middle if whole_figure else (c.x0 + c.x1) / 2)
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


def active_bounds(
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


def cell_spans(columns: list[tuple[float, float]], active: list[bool]) -> list[tuple[int, int]]:
    """Column index ranges [first, last] of the cells of a row, given which boundaries are drawn."""
    spans = []
    start = 0
    for j, on in enumerate(active):
        if on:
            spans.append((start, j))
            start = j + 1
    spans.append((start, len(columns) - 1))
    return spans


def _mostly_in(word: list[Char], column: tuple[float, float]) -> bool:
    """Does at most a fifth of the run's width reach out of the column (an overhang, not two
    figures run together)?"""
    width = word[-1].x1 - word[0].x0
    inside = min(word[-1].x1, column[1]) - max(word[0].x0, column[0])
    return width > 0 and inside >= 0.8 * width


def _words(chars: list[Char], em: float) -> list[list[Char]]:
    """The glyphs in runs set without a gap (more than a quarter em apart starts a new run)."""
    words: list[list[Char]] = []
    for c in chars:
        if words and c.x0 - words[-1][-1].x1 <= 0.25 * em:
            words[-1].append(c)
        else:
            words.append([c])
    return words


def _tight(seg: Segment, em: float) -> bool:
    """No gap inside the segment wider than half an em (one word, not two cells' contents)."""
    cs = seg.chars
    return all(b.x0 - a.x1 <= 0.5 * em for a, b in zip(cs, cs[1:], strict=False))


def column_at(columns: list[tuple[float, float]], x: float) -> int:
    for j, (a, b) in enumerate(columns):
        if a <= x < b:
            return j
    return 0 if x < columns[0][0] else len(columns) - 1


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
