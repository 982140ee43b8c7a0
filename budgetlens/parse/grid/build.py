"""One table's lines (and rules) on one or more pages to one grid: the text predicates, columns,
headers, rows and cells of this package, step by step."""

from __future__ import annotations

from dataclasses import replace
from statistics import median

from budgetlens.parse.grid.cells import (
    Cell,
    Grid,
    body_rows,
    horizontal_boundaries,
    is_column_number_row,
    row_cells,
)
from budgetlens.parse.grid.headers import (
    header_paths,
    header_split,
    merge_displaced_headers,
    repeated_header_lines,
    repeats_header,
    ruled_header,
    span_centred_group_headers,
)
from budgetlens.parse.grid.rivers import columns_of
from budgetlens.parse.grid.text import (
    cut_figure,
    is_amount_text,
    is_anchor,
    is_figure_like,
    mark_wrapped_figures,
    table_decimals,
)
from budgetlens.parse.layout import Line, make_segment, moved
from budgetlens.parse.normalize import is_cjk
from budgetlens.parse.pdfdoc import Rule


def build_grid(parts: list[tuple[list[Line], list[Rule]]]) -> Grid:
    """A grid from the lines (and rules) of one table on one or more pages.

    `parts` holds, per page, the table's lines below its title and meta lines (header lines
    included) and the rules drawn in that area. The header of the table is the lines above its
    first body line on the first page; on continuation pages a repeated header is recognised
    by having no figures and lying above the first body line, and skipped.
    """
    all_lines = [ln for lines, _ in parts for ln in lines]
    if not all_lines:
        return Grid(columns=[])
    parts = _header_over_a_page_break(parts)
    all_lines = [ln for lines, _ in parts for ln in lines]
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
        elif not any(is_anchor(ln) for ln in lines) and repeats_header(lines, first_head):
            # a page that prints only the header again (its rows on the next page): its 总计 /
            # 合计 are column names here, no row labels
            split = repeated_header_lines(lines, first_head)
        elif split and not repeats_header(lines[:split], first_head):
            split = 0  # a continuation page without a repeated header: all body
        elif split:
            split = repeated_header_lines(lines[:split], first_head)
        head_lines.append(lines[:split])
        body_lines.extend(lines[split:])
    first_head_lines = next((h for h in head_lines if h), [])
    # Columns per page (a table may be laid out a little differently on each page); when the pages
    # disagree on the number of columns, one set of columns for all pages.
    layouts = []
    for (lines, rules), head in zip(parts, head_lines, strict=True):
        body = lines[len(head) :]
        layouts.append(columns_of(body, rules, head or first_head_lines, em) if lines else None)
    counts = {len(lay[0]) for lay in layouts if lay is not None}
    if len(counts) > 1:
        joint_body = [
            ln for (lines, _), head in zip(parts, head_lines, strict=True) for ln in lines[len(head) :]
        ]
        joint = columns_of(joint_body, [r for _, rules in parts for r in rules], first_head_lines, em)
        layouts = [joint if lay is not None else None for lay in layouts]
    first_layout = next(lay for lay in layouts if lay is not None)
    # a page of a few rows only (a totals row alone on the next page, its label's cell merged over
    # two columns) draws too few rules to show the columns: the first page's, where its rows fit them
    layouts = [
        first_layout
        if lay is not None
        and len(lines) - len(head) <= _FEW_ROWS
        and _fits(first_layout[0], lines[len(head) :])
        else lay
        for (lines, _), head, lay in zip(parts, head_lines, layouts, strict=True)
    ]
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
                grid.header.extend(ruled_header(head, rules, columns))
            else:
                # unruled columns: one header row per line, so stacked header words stay apart
                for ln in _split_glued_headers(head, columns):
                    grid.header.append(row_cells([ln], columns, [], header=True))
                span_centred_group_headers(grid.header, columns)
            first = False
        rows = [
            row_cells(r.lines, columns, rules if ruled_columns else [], header=False)
            for r in body_rows(body, rules, x0, x1)
        ]
        blank = _ruled_blank_row(rows, body, rules, columns, x0, x1) if ruled_columns else None
        if blank is not None:
            rows.append(blank)
        if grid.rows and rows and _completes_cut_figures(grid.rows[-1], rows[0], decimals):
            for prev, tail in zip(grid.rows[-1], rows[0], strict=True):
                prev.text += tail.text
            rows = rows[1:]
        grid.rows.extend(rows)
    grid.paths = header_paths(grid)
    _drop_empty_columns(grid)
    merge_displaced_headers(grid)
    return grid


def _ruled_blank_row(
    rows: list[list[Cell]],
    body: list[Line],
    rules: list[Rule],
    columns: list[tuple[float, float]],
    x0: float,
    x1: float,
) -> list[Cell] | None:
    """A ruled table whose body prints only its column numbers (栏次 1 … 12) and below them one
    ruled row with nothing in it: that row is the figures row, every figure printed blank (nil, as
    the central template prints a year without 三公 spending). None for any other table."""
    if not rows or not body or not all(is_column_number_row(r) for r in rows):
        return None
    em = median(ln.em for ln in body)
    last = max(ln.bottom for ln in body)
    ys = horizontal_boundaries(rules, x0, x1, last - 0.5 * em, last + 4 * em)
    below = [y for y in ys if y >= last - 0.5 * em]
    if len(below) < 2 or not (0.8 * em <= below[1] - below[0] <= 3 * em):
        return None
    top, bottom = below[0], below[1]
    page = body[0].page
    return [Cell(box=[page, round(a, 2), round(top, 2), round(b, 2), round(bottom, 2)]) for a, b in columns]


# How the words of a leaf header end (an amount column's name: 人员支出, 公用经费, 对个人和家庭的补助, 合计,
# 预算数): where two such words are set so close that they read as one, they part there.
_HEADER_ENDINGS = ("支出", "经费", "补助", "合计", "小计", "总计", "费", "数", "收入", "拨款", "资金", "金额")


def _split_glued_headers(head: list[Line], columns: list[tuple[float, float]]) -> list[Line]:
    """Header lines where the words of two neighbouring header cells are set so close that they read
    as one segment, split between the two cells.

    A segment over two columns parts at its one gap of half an em or more, where that lies near the
    border of the columns (the wrapped pieces of two cells: '小企业政府采' and '型、微型企业'); a leaf
    (no header word below it) also parts where exactly one place divides it into two words that
    each end as a header word does (`_HEADER_ENDINGS`: '人员支出公用支出'). A group header over its
    sub-columns has neither and stays whole."""
    out = []
    for i, ln in enumerate(head):
        below = [s for lower in head[i + 1 :] for s in lower.segments]
        segments: list = []
        for seg in ln.segments:
            cut = _glue_point(seg, columns, ln.em, below)
            if cut is None:
                segments.append(seg)
            else:
                segments.extend((make_segment(seg.chars[:cut]), make_segment(seg.chars[cut:])))
        out.append(replace(ln, segments=segments) if len(segments) != len(ln.segments) else ln)
    return out


def _glue_point(seg, columns: list[tuple[float, float]], em: float, below: list) -> int | None:
    """Where `seg` parts into the words of two header cells (a character index), or None."""
    over = [j for j, (a, b) in enumerate(columns) if min(seg.x1, b) - max(seg.x0, a) >= 0.3 * (b - a)]
    if len(over) != 2:
        return None
    border = columns[over[0]][1]
    chars = seg.chars
    gaps = [
        k
        for k in range(1, len(chars))
        if chars[k].x0 - chars[k - 1].x1 >= 0.5 * em and chars[k].text.strip() and chars[k - 1].text.strip()
    ]
    if len(gaps) == 1 and chars[gaps[0] - 1].x1 - 2 * em <= border <= chars[gaps[0]].x0 + 2 * em:
        return gaps[0]
    if any(min(seg.x1, s.x1) - max(seg.x0, s.x0) > 0 for s in below):
        return None  # a header word below: this may be a group header over its sub-columns
    words = [
        k
        for k in range(2, len(chars) - 1)
        if all(is_cjk(c.text) for c in chars)
        and "".join(c.text for c in chars[:k]).endswith(_HEADER_ENDINGS)
        and "".join(c.text for c in chars[k:]).endswith(_HEADER_ENDINGS)
    ]
    return words[0] if len(words) == 1 else None


def _fits(columns: list[tuple[float, float]], lines: list[Line]) -> bool:
    """Do these lines hold a row of figures (two or more), and does every piece of text of those rows
    lie inside one of the columns?"""
    rows = [ln for ln in lines if sum(1 for s in ln.segments if is_figure_like(s.text)) >= 2]
    return bool(columns and rows) and all(
        any(a - _FIT_SLACK <= s.x0 and s.x1 <= b + _FIT_SLACK for a, b in columns)
        for ln in rows
        for s in ln.segments
    )


# how far (points) a cell's text may stand over its column's rule
_FIT_SLACK = 2.0
_FEW_ROWS = 3


def _header_over_a_page_break(
    parts: list[tuple[list[Line], list[Rule]]],
) -> list[tuple[list[Line], list[Rule]]]:
    """A header cut by a page break: the first page holds a few lines without a figure or code, and
    the next page opens with figures, or with the rest of the header (lines that do not repeat
    those of the first page) above its figures or above the next page's. The first page's lines and rules are
    laid right above the next page's, and the two read as one part (the figures and their boxes
    stay on the page that prints them)."""
    if len(parts) < 2 or not parts[0][0] or not parts[1][0]:
        return parts
    (head, head_rules), (lines, rules) = parts[0], parts[1]
    if len(head) > _CUT_HEADER_LINES or any(is_anchor(ln) for ln in head):
        return parts
    first = next((i for i, ln in enumerate(lines) if is_anchor(ln)), None)
    if first is None and len(parts) < 3:
        return parts
    if repeats_header(
        lines if first is None else lines[:first], {s.text for ln in head for s in ln.segments}
    ):
        return parts
    cut = max([ln.bottom for ln in head] + [r.bottom for r in head_rules if r.horizontal])
    start = min([lines[0].top] + [r.top for r in rules if r.horizontal and r.top <= lines[0].top])
    dy = start - cut
    laid = [moved(ln, dy) for ln in head]
    laid_rules = [Rule(r.x0, r.top + dy, r.x1, r.bottom + dy) for r in head_rules]
    joined = [(laid + lines, laid_rules + rules), *parts[2:]]
    # a header cut over three pages: the next page holds header lines only, and goes on
    return joined if first is not None else _header_over_a_page_break(joined)


# a header printed alone at the foot of a page is a few lines (four header rows, wrapped)
_CUT_HEADER_LINES = 12


def _completes_cut_figures(last: list[Cell], first: list[Cell], decimals: int) -> bool:
    """The first row of a continuation page holds only the tails of figures that the page break cut
    in the last row of the page before ('9,743,00' / '0.00'): one row, never a row of its own."""
    if len(last) != len(first) or not any(c.text for c in first):
        return False
    return all(
        not tail.text
        or (
            len(tail.text) <= 6
            and is_figure_like(tail.text)
            and cut_figure(head.text, decimals)
            and is_figure_like(head.text)
            and is_amount_text(head.text + tail.text)
        )
        for head, tail in zip(last, first, strict=True)
    )


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
