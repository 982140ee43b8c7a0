"""One table's lines (and rules) on one or more pages to one grid: the text predicates, columns,
headers, rows and cells of this package, step by step."""

from __future__ import annotations

from statistics import median

from budgetlens.parse.grid.cells import Cell, Grid, body_rows, row_cells
from budgetlens.parse.grid.headers import (
    header_paths,
    header_split,
    merge_displaced_headers,
    repeats_header,
    ruled_header,
)
from budgetlens.parse.grid.rivers import columns_of
from budgetlens.parse.grid.text import (
    cut_figure,
    is_amount_text,
    is_figure_like,
    mark_wrapped_figures,
    table_decimals,
)
from budgetlens.parse.layout import Line
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
        elif split and not repeats_header(lines[:split], first_head):
            split = 0  # a continuation page without a repeated header: all body
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
                for ln in head:
                    grid.header.append(row_cells([ln], columns, [], header=True))
            first = False
        rows = [
            row_cells(r.lines, columns, rules if ruled_columns else [], header=False)
            for r in body_rows(body, rules, x0, x1)
        ]
        if grid.rows and rows and _completes_cut_figures(grid.rows[-1], rows[0], decimals):
            for prev, tail in zip(grid.rows[-1], rows[0], strict=True):
                prev.text += tail.text
            rows = rows[1:]
        grid.rows.extend(rows)
    grid.paths = header_paths(grid)
    _drop_empty_columns(grid)
    merge_displaced_headers(grid)
    return grid


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
