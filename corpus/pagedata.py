"""Rebuild a PDF from a document's page data: its page texts and its tables as pdfplumber read them.

Some public projects keep real budgets only as page data (`{"page_texts": [...], "page_tables":
[[table, ...], ...]}`, a table being rows of cell strings, merged cells as empty strings). A
rebuilt PDF carries the document's real wording, labels and table structure, never its original
geometry: prose lines are drawn as the document broke them; each table as a ruled grid whose header
cells span the empty cells beside or below them; a table continued on the next page keeps its
columns. `docs/accuracy.md` ("Rebuilt from public page texts") measures the parser on such
documents against golden files typed from their text; `tests/parse/test_pagedata.py` runs it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from corpus.fonts import FONTS

# a printed figure: 1,234.56 / 1234.56 / 47,483,458 (a bare 2025 or 301 is not one)
_FIGURE = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+\.\d+$")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_AMOUNT = re.compile(r"^-?[\d,]*\d(\.\d+)?$")
_NOTE = re.compile(r"^(注[:：]|说明[:：]|\d{1,3}$)")


def header_rows(table: list[list[str]]) -> int:
    """How many rows head the table: those before the first that prints a figure or a code."""
    for i, row in enumerate(table):
        if any(_FIGURE.match(c.strip()) for c in row) or re.match(r"^\d{3,7}$", row[0].strip()):
            return i
    return len(table)


def header_blocks(table: list[list[str]], nh: int) -> tuple[dict, dict]:
    """(block start -> (rows, cols) it covers, cell -> its block start) of the header rows: an empty
    cell belongs to the cell above it (unless that one spans sideways), else to the one on its left."""
    ncol = len(table[0])
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    sideways: set[tuple[int, int]] = set()
    for r in range(nh):
        for c in range(ncol):
            if table[r][c].strip():
                owner[(r, c)] = (r, c)
                continue
            above = owner.get((r - 1, c)) if r > 0 else None
            left = owner.get((r, c - 1)) if c > 0 else None
            if above is not None and (r - 1, c) not in sideways:
                owner[(r, c)] = above
            elif left is not None:
                owner[(r, c)] = left
                sideways.add((r, c))
    blocks: dict[tuple[int, int], tuple[int, int]] = {}
    for (r, c), o in owner.items():
        rows, cols = blocks.get(o, (0, 0))
        blocks[o] = (max(rows, r - o[0] + 1), max(cols, c - o[1] + 1))
    return blocks, owner


class _Pdf:
    """One rebuilt document on a reportlab canvas."""

    def __init__(self, out: Path, font: str = "wqy-zenhei", ruled: bool = True):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas

        spec = FONTS[font]
        self.font = f"pagedata-{font}"
        if self.font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(self.font, str(spec.path), subfontIndex=spec.subfont))
        self.metrics = pdfmetrics
        self.cv = canvas.Canvas(str(out), invariant=1)
        self.last: dict[int, tuple[list[float], float]] = {}  # columns -> (widths, font size)
        self.ruled = ruled

    def width(self, text: str, size: float) -> float:
        return self.metrics.stringWidth(text, self.font, size)

    def text(self, x: float, y: float, line: str, size: float) -> None:
        self.cv.setFont(self.font, size)
        self.cv.drawString(x, y, line)

    def table(self, table: list[list[str]], x0: float, y0: float, avail: float, size: float) -> float:
        """Draw a ruled table from (x0, y0) down; returns the y below it."""
        nh = header_rows(table)
        blocks, owner = header_blocks(table, nh)
        ncol = len(table[0])
        widths = [0.0] * ncol
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                if r < nh and blocks.get((r, c), (1, 1))[1] > 1:
                    continue
                for line in cell.split("\n"):
                    widths[c] = max(widths[c], self.width(line, size) + 6)
        widths = [max(w, 18.0) for w in widths]
        for (r, c), (_, cols) in blocks.items():
            if cols > 1:  # a spanning header cell fits its span
                need = max(self.width(line, size) + 6 for line in table[r][c].split("\n"))
                have = sum(widths[c : c + cols])
                if need > have:
                    widths[c : c + cols] = [w + (need - have) / cols for w in widths[c : c + cols]]
        scale = min(1.0, avail / sum(widths))
        size, widths = size * scale, [w * scale for w in widths]
        if nh == 0 and ncol in self.last:  # a continuation page keeps the table's columns
            before, size = self.last[ncol]
            widths = [max(a, b) for a, b in zip(before, widths, strict=True)]
        self.last[ncol] = (widths, size)
        xs = [x0]
        for w in widths:
            xs.append(xs[-1] + w)
        lead = size * 1.25
        ys = [y0]
        for row in table:
            ys.append(ys[-1] - max(len(c.split("\n")) for c in row) * lead - 4)
        cv = self.cv
        cv.setLineWidth(0.5)
        for r in range(len(table) if self.ruled else 0):
            for c in range(ncol):
                o = owner.get((r, c)) if r < nh else None
                if not (o is not None and o[0] < r):
                    cv.line(xs[c], ys[r], xs[c + 1], ys[r])
                if not (o is not None and o[1] < c):
                    cv.line(xs[c], ys[r], xs[c], ys[r + 1])
                if c == ncol - 1:
                    cv.line(xs[c + 1], ys[r], xs[c + 1], ys[r + 1])
                if r == len(table) - 1:
                    cv.line(xs[c], ys[r + 1], xs[c + 1], ys[r + 1])
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                if not cell.strip():
                    continue
                rows, cols = blocks.get((r, c), (1, 1)) if r < nh else (1, 1)
                left, right, top, bottom = xs[c], xs[c + cols], ys[r], ys[r + rows]
                lines = cell.split("\n")
                y = (top + bottom) / 2 + len(lines) * lead / 2 - size
                for line in lines:
                    w = self.width(line, size)
                    figure = _AMOUNT.match(line.strip()) and not re.match(r"^\d{3,7}$", line.strip())
                    x = (left + right - w) / 2 if r < nh else right - 3 - w if figure else left + 3
                    self.text(x, y, line, size)
                    y -= lead
        return ys[-1]


def _around(text: str, tables: list[list[list[str]]]) -> tuple[list[str], list[str]]:
    """The page's lines above its tables (title, unit line) and below them (notes)."""
    lines = text.split("\n")
    first = next((c for c in tables[0][0] if c.strip()), "").split("\n")[0].strip()
    end = next((i + 1 for i, ln in enumerate(lines[:6]) if re.search(r"单位[:：]", ln)), None)
    if end is None:
        end = next((i for i, ln in enumerate(lines) if first and ln.strip().startswith(first)), 0)
    tail: list[str] = []
    i = len(lines) - 1
    while i >= end and _NOTE.match(lines[i].strip()):
        tail.insert(0, lines[i])
        i -= 1
    return lines[:end], tail


def render_page_data(data: dict[str, Any], out: Path, font: str = "wqy-zenhei", ruled: bool = True) -> Path:
    """Draw a document's page data (page_texts and, where read, page_tables) as a PDF at `out`;
    `ruled=False` draws the tables without their rules (as unruled publishers print them)."""
    from reportlab.lib.pagesizes import A4, landscape

    pdf = _Pdf(out, font, ruled)
    texts: list[str] = data["page_texts"]
    all_tables = data.get("page_tables") or [[] for _ in texts]
    for text, page_tables in zip(texts, all_tables, strict=False):
        tables = [
            [[(c or "") for c in row] + [""] * (max(len(r) for r in t) - len(row)) for row in t]
            for t in page_tables
            if t and any(any((c or "").strip() for c in row) for row in t)
        ]
        size = landscape(A4) if max((len(t[0]) for t in tables), default=0) >= 9 else A4
        pdf.cv.setPageSize(size)
        width, height = size
        y = height - 60
        if not tables:
            lines = text.split("\n")
            lead = min(18.0, (height - 120) / max(1, len(lines)))
            for line in lines:
                pdf.text(60, y, line, min(11.0, lead * 0.75))
                y -= lead
            pdf.cv.showPage()
            continue
        above, below = _around(text, tables)
        for line in above:
            if re.search(r"单位[:：]", line):
                pdf.text(width - 60 - pdf.width(line, 9), y, line, 9)
            else:
                pdf.text((width - pdf.width(line, 12)) / 2, y, line, 12)
            y -= 18
        for t in tables:
            y = pdf.table(t, 50, y - 4, width - 100, 8.0) - 14
        for line in below:
            pdf.text(50, y, line, 8)
            y -= 12
        pdf.cv.showPage()
    pdf.cv.save()
    return out


def function_lines(data: dict[str, Any], title: str, unit: int = 10000) -> list[dict[str, Any]]:
    """The function lines of the table under a title matching `title`, as the page data's own
    tables print them (a golden file's lines typed from the document; codes split 类 | 款 | 项
    joined, a blank figure of a printed row 0.00, figures in yuan by `unit`)."""
    texts, tables = data["page_texts"], data.get("page_tables") or []
    out: list[dict[str, Any]] = []
    inside = False
    for i, text in enumerate(texts):
        head = text.split("\n")[0]
        if re.search(title, head):
            inside = True
        elif inside and head.endswith("表"):
            break
        if not inside or i >= len(tables):
            continue
        for t in tables[i]:
            for row in t:
                cells = [(c or "").strip() for c in row]
                if not cells or not _CODE.match(cells[0]):
                    continue
                k = 1
                while len(cells[0]) < 7 and k < min(3, len(cells)) and re.fullmatch(r"\d{2}", cells[k]):
                    cells[0], cells[k] = cells[0] + cells[k], ""
                    k += 1
                k = 1
                while k < len(cells) and not cells[k]:
                    k += 1
                if k >= len(cells) or _AMOUNT.match(cells[k]):
                    continue
                figures = [
                    f"{Decimal(c.replace(',', '')) * unit:.2f}" if c else "0.00" for c in cells[k + 1 : k + 4]
                ]
                figures += [None] * (3 - len(figures))
                out.append(
                    {
                        "code": cells[0],
                        "name": cells[k].replace("\n", ""),
                        "level": {3: 1, 5: 2, 7: 3}[len(cells[0])],
                        "total": figures[0],
                        "basic": figures[1],
                        "project": figures[2],
                    }
                )
    return out
