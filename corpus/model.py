"""The print model: what a page shows, independent of the PDF producer.

A layout (template) turns a truth record into a `Document`: a list of blocks. Each renderer
(reportlab, Chromium) draws the same blocks, so the two producers differ only in how they put
glyphs on the page, not in what is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Orientation = Literal["portrait", "landscape", "rotated"]
Rules = Literal["grid", "hrules", "none"]
Align = Literal["L", "C", "R"]


@dataclass
class Cell:
    """A header cell; `colspan`/`rowspan` > 1 merge it over its neighbours."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Heading:
    text: str
    level: int = 1  # 0 = cover title, 1 = part, 2 = section, 3 = subsection
    center: bool = False
    fake_bold: bool = False  # every glyph drawn twice, a hair apart ("深深圳圳")


@dataclass
class Para:
    text: str
    indent: bool = True
    center: bool = False
    size: float | None = None
    nomap: bool = False  # drawn in a font without a Unicode map (extracts as (cid:NNN))


@dataclass
class PageBreak:
    pass


@dataclass
class Table:
    """One table: printed on its own page(s) unless `inline`.

    `header` is a grid of rows; a merged cell is a `Cell` with spans and the positions it covers
    hold None. `rows` are body rows of plain strings. Pagination: rows are packed onto pages;
    `page_rows` fixes how many body rows each page takes (the last entry repeats).
    """

    title: str
    header: list[list[Cell | None]]
    rows: list[list[str]]
    widths: list[float]
    align: list[Align]
    kind: str | None = None
    number: str | None = None  # "表 1", "表一", "附表1", "公开01表"; None = not numbered
    title_spaced: bool = False
    title_fake_bold: bool = False
    dept_line: str | None = None  # "部门名称：深圳市罗湖区科技创新局"
    unit_line: str | None = None  # "单位：万元"
    notes: list[str] = field(default_factory=list)
    page_rows: list[int] | None = None
    repeat_header: bool = True
    repeat_title: bool = True
    rules: Rules = "grid"
    orientation: Orientation = "portrait"
    font_size: float = 9.0
    bold_rows: frozenset[int] = frozenset()  # body rows printed emphasised (totals)
    inline: bool = False  # part of the prose flow (e.g. 第七部分 project table)
    wrap_cols: frozenset[int] = frozenset()  # body columns whose text wraps (long names, prose)
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # body (row, first col, last col) merges
    # body (row, col) -> indent level: the cell's text starts that many full-width characters (one
    # font size each) further right, set by the cell's padding, not by characters (names nested by indent)
    indents: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def fixed_pages(self) -> list[tuple[int, int]]:
        """[start, end) body-row ranges, one per page, as a set `page_rows` fixes them."""
        n = len(self.rows)
        chunks: list[tuple[int, int]] = []
        start, i = 0, 0
        while start < n or not chunks:
            size = self.page_rows[min(i, len(self.page_rows) - 1)]
            chunks.append((start, min(n, start + size)))
            start += size
            i += 1
        return chunks


Block = Heading | Para | PageBreak | Table


@dataclass
class Section:
    """The blocks of one department within a document (a 汇编 has several)."""

    blocks: list[Block]


@dataclass
class Document:
    title: str
    sections: list[Section]
    author: str = ""
    subject: str = ""
    preface: list[Block] = field(default_factory=list)  # pages before the first section (a book cover)


@dataclass
class Rendered:
    """What a renderer reports back: page count and each section's [first, last] page."""

    pages: int
    section_pages: list[tuple[int, int]]
