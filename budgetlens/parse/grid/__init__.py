"""Table geometry: lines (and rules, when drawn) of one table to a grid of cells.

Works for ruled grids (Excel/WPS exports), tables with only horizontal rules, and unruled tables:

- **columns** come from the vertical rules when the body is ruled, else from the *rivers* of
  the body: x ranges that no body line prints in;
- **rows** come from the horizontal rules when they are drawn between rows, else from the lines:
  every line that prints a figure or a code is a row, a line of text only is a wrapped piece of
  the nearest row (or a row of its own when it is numbered or too far from any row);
- merged cells (a cell spanning several columns or rows) keep their text in their first column
  or row, the others are empty strings.

One module per concern; each imports only the ones listed above it (an import-linter contract):

- `text`: what a printed piece is (a figure, a nil mark, half of a wrapped figure);
- `rivers`: columns, from vertical rules or the rivers of the body;
- `cells`: rows (from horizontal rules or lines) and one cell per column, `Cell` and `Grid`;
- `headers`: where the header ends, ruled header cells, the header texts over each column;
- `build`: `build_grid`, the steps put together.

The names below are the ones the rest of the parser and the tests have imported from
`budgetlens.parse.grid`; new code may import from the concern's module.
"""

from __future__ import annotations

from budgetlens.parse.grid.build import build_grid
from budgetlens.parse.grid.cells import Cell, Grid, is_column_number_row
from budgetlens.parse.grid.headers import TABLE_HEADER_WORDS, header_like
from budgetlens.parse.grid.rivers import river_bounds, river_intervals, split_rivers
from budgetlens.parse.grid.text import is_amount_text, is_anchor, is_figure_like, is_value_text

__all__ = [
    "TABLE_HEADER_WORDS",
    "Cell",
    "Grid",
    "build_grid",
    "header_like",
    "is_amount_text",
    "is_anchor",
    "is_column_number_row",
    "is_figure_like",
    "is_value_text",
    "river_bounds",
    "river_intervals",
    "split_rivers",
]
