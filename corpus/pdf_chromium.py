"""Producer 2: the same `Document` as HTML, printed to PDF by the system Chromium (Playwright).

Playwright drives /usr/bin/chromium (never a downloaded browser). Chromium's PDF carries the
print time; it is pinned to a fixed date (same byte length) so the output is reproducible.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

from corpus.fonts import font_spec
from corpus.model import Cell, Document, Heading, PageBreak, Para, Rendered, Table

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
FIXED_DATE = b"D:20220101000000+00'00'"
_DATE_RE = re.compile(rb"D:\d{14}[^)]*")

CSS = """
@page { size: A4; margin: 50pt; }
@page land { size: A4 landscape; margin: 50pt; }
body { font-family: '%(family)s'; font-size: 10.5pt; line-height: 1.7; margin: 0; }
h1 { font-size: 15pt; font-weight: normal; margin: 8pt 0 6pt; }
h2 { font-size: 12.5pt; font-weight: normal; margin: 4pt 0 3pt; }
h3 { font-size: 11pt; font-weight: normal; margin: 0; }
h1.cover { font-size: 22pt; text-align: center; margin-top: 200pt; margin-bottom: 30pt; }
.center { text-align: center; }
p { margin: 0 0 3pt; text-indent: 2em; }
p.flat { text-indent: 0; }
.brk { break-before: page; }
.tpage { break-before: page; }
.land { page: land; }
.tnum { font-size: 9.5pt; }
.ttitle { font-size: 15pt; text-align: center; margin: 2pt 0 6pt; }
.meta { display: flex; justify-content: space-between; font-size: 9.5pt; margin-bottom: 4pt; }
table.t { border-collapse: collapse; width: 100%%; font-size: %(size)spt; line-height: 1.3; }
table.t td, table.t th { padding: 2pt 3pt; font-weight: normal; vertical-align: middle; }
table.grid td, table.grid th { border: 0.5pt solid #000; }
table.hrules thead tr:first-child th { border-top: 0.8pt solid #000; }
table.hrules thead tr:last-child th { border-bottom: 0.5pt solid #000; }
table.hrules tbody tr:last-child td { border-bottom: 0.8pt solid #000; }
.L { text-align: left; } .C { text-align: center; } .R { text-align: right; white-space: nowrap; }
tr.em td { background: #eee; }
.note { font-size: 9.5pt; text-indent: 0; }
.fb { position: relative; }
.fb span.ghost { position: absolute; left: 0.4pt; top: 0; }
"""


def chromium_path() -> Path | None:
    """The system Chromium, or None when it is not installed."""
    for name in ("chromium", "chromium-browser"):
        exe = shutil.which(name)
        if exe:
            return Path(exe)
    return None


def _e(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _fake_bold(text: str) -> str:
    """Every glyph twice in the text layer: the glyph, then a ghost copy a hair to the right."""
    return "".join(f'<span class="fb">{_e(ch)}<span class="ghost">{_e(ch)}</span></span>' for ch in text)


def _header_html(t: Table) -> str:
    out = []
    for row in t.header:
        cells = []
        for cell in row:
            if cell is None:
                continue
            assert isinstance(cell, Cell)
            span = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
                f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            )
            cells.append(f'<th class="C"{span}>{_e(cell.text)}</th>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out)


def _body_html(t: Table, rows: list[list[str]], offset: int) -> str:
    spans = {(r, c0): c1 for r, c0, c1 in t.spans}
    out = []
    for i, row in enumerate(rows):
        r = offset + i
        cells, skip = [], -1
        for c, text in enumerate(row):
            if c <= skip:
                continue
            c1 = spans.get((r, c))
            span = ""
            if c1 is not None:
                span = f' colspan="{c1 - c + 1}"'
                skip = c1
            level = t.indents.get((r, c), 0)
            pad = f' style="padding-left:{3 + 9 * level}pt"' if level else ""
            cells.append(f'<td class="{t.align[c]}"{span}{pad}>{_e(text)}</td>')
        cls = ' class="em"' if r in t.bold_rows else ""
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    return "".join(out)


def _chunks(t: Table) -> list[tuple[int, int]]:
    """[start, end) body-row ranges, one per page: the fixed ones, else all rows (the browser breaks them)."""
    return t.fixed_pages() if t.page_rows else [(0, len(t.rows))]


def _table_html(t: Table) -> str:
    total = sum(t.widths)
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in t.widths)
    land = t.orientation != "portrait"
    parts = []
    for i, (a, b) in enumerate(_chunks(t)):
        cls = "tpage land" if land else "tpage"
        if t.inline:
            cls = ""
        head = []
        if not t.inline and (i == 0 or t.repeat_title):
            if t.number:
                head.append(f'<div class="tnum">{_e(t.number)}</div>')
            title = " ".join(t.title) if t.title_spaced else t.title
            head.append(f'<div class="ttitle">{_fake_bold(title) if t.title_fake_bold else _e(title)}</div>')
            if t.dept_line or t.unit_line:
                head.append(
                    f'<div class="meta"><span>{_e(t.dept_line or "")}</span>'
                    f"<span>{_e(t.unit_line or '')}</span></div>"
                )
        header = _header_html(t) if (i == 0 or t.repeat_header) and t.header else ""
        # thead repeats on every printed page; a table without repeated headers keeps them in tbody
        thead = f"<thead>{header}</thead>" if t.repeat_header else ""
        body = ("" if t.repeat_header else header) + _body_html(t, t.rows[a:b], a)
        grid = {"grid": "grid", "hrules": "hrules", "none": "plain"}[t.rules]
        notes = "".join(f'<p class="note">{_e(n)}</p>' for n in t.notes) if b == len(t.rows) else ""
        parts.append(
            f'<div class="{cls}">{"".join(head)}<table class="t {grid}">{cols}{thead}<tbody>{body}'
            f"</tbody></table>{notes}</div>"
        )
    return "".join(parts)


def document_html(doc: Document, family: str) -> str:
    """The whole document as one HTML page."""
    body = []
    for s_index, section in enumerate(doc.sections):
        if s_index:
            body.append('<div class="brk"></div>')
        pending_break = False
        for block in section.blocks:
            if isinstance(block, PageBreak):
                pending_break = True
                continue
            brk = ' style="break-before: page"' if pending_break else ""
            if isinstance(block, Table):
                if block.inline:
                    body.append(f"<div{brk}>{_table_html(block)}</div>")
                else:
                    body.append(_table_html(block))
                    pending_break = True
                    continue
            elif isinstance(block, Heading):
                tag = "h1" if block.level <= 1 else ("h2" if block.level == 2 else "h3")
                cls = ' class="cover"' if block.level == 0 else (' class="center"' if block.center else "")
                text = _fake_bold(block.text) if block.fake_bold else _e(block.text)
                body.append(
                    f"<div{brk}><{tag}{cls}>{text}</{tag}></div>" if brk else f"<{tag}{cls}>{text}</{tag}>"
                )
            elif isinstance(block, Para):
                cls = "center flat" if block.center else ("" if block.indent else "flat")
                style = f' style="font-size:{block.size}pt"' if block.size else ""
                p = f'<p class="{cls}"{style}>{_e(block.text)}</p>'
                body.append(f"<div{brk}>{p}</div>" if brk else p)
            pending_break = False
    css = CSS % {"family": family, "size": 9}
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(doc.title)}</title>'
        f"<style>{css}</style></head><body>{''.join(body)}</body></html>"
    )


class ChromiumPrinter:
    """One headless Chromium, reused for many documents (one per worker process)."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        exe = chromium_path()
        if exe is None:
            raise RuntimeError("Chromium is not installed (apt-get install chromium)")
        os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=str(exe), args=CHROMIUM_ARGS)
        self._page = self._browser.new_page()

    def print_pdf(self, markup: str) -> bytes:
        self._page.set_content(markup, wait_until="load")
        self._page.evaluate("document.fonts.ready")
        return self._page.pdf(prefer_css_page_size=True, print_background=True)

    def close(self) -> None:
        self._browser.close()
        self._pw.stop()


_PRINTER: ChromiumPrinter | None = None


def printer() -> ChromiumPrinter:
    global _PRINTER
    if _PRINTER is None:
        _PRINTER = ChromiumPrinter()
    return _PRINTER


def close_printer() -> None:
    global _PRINTER
    if _PRINTER is not None:
        _PRINTER.close()
        _PRINTER = None


def pin_dates(pdf: bytes) -> bytes:
    """Replace the print timestamps by a fixed date of the same length (offsets stay valid)."""

    def fix(m: re.Match[bytes]) -> bytes:
        raw = m.group(0)
        return (FIXED_DATE + b"0" * len(raw))[: len(raw)] if len(raw) >= len(FIXED_DATE) else raw

    return _DATE_RE.sub(fix, pdf)


def page_count(data: bytes) -> int:
    """The number of pages of a PDF held in memory."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_chromium(doc: Document, out: Path, font: str) -> Rendered:
    """Print `doc` to `out` through Chromium in `font` (a corpus font name)."""
    spec = font_spec(font)
    data = pin_dates(printer().print_pdf(document_html(doc, spec.css_family)))
    out.write_bytes(data)
    pages = page_count(data)
    if len(doc.sections) != 1:
        raise ValueError("Chromium renders one department per document (compilations use reportlab)")
    return Rendered(pages=pages, section_pages=[(1, pages)])
