"""Producer 1: draw a `Document` with reportlab (deterministic: invariant mode)."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, TableStyle
from reportlab.platypus import Table as RLTable

from corpus.fonts import FONTS, font_spec
from corpus.model import Cell, Document, Heading, PageBreak, Para, Rendered, Table

rl_config.invariant = 1  # fixed document IDs (and salts, where pdfencrypt sees it first)
MARGIN = 50.0
FAKE_BOLD_OFFSET = 0.4
_REGISTERED: set[str] = set()


def strip_unicode_maps(data: bytes, face: str) -> bytes:
    """Blank the /ToUnicode entries of the fonts of one face (same length: xref offsets hold).

    Text drawn in those fonts then extracts as (cid:NNN) and stray Latin letters, as in real files
    whose fonts lack a Unicode map.
    """
    pattern = re.compile(rb"<<[^<>]*?/BaseFont /[A-Z]{6}\+" + re.escape(face.encode()) + rb"[^<>]*?>>")

    def blank(m: re.Match[bytes]) -> bytes:
        return re.sub(rb"/ToUnicode \d+ 0 R", lambda t: b" " * len(t.group(0)), m.group(0))

    return pattern.sub(blank, data)


def register_font(key: str) -> str:
    """Register a corpus font with reportlab once; returns the reportlab font name."""
    spec = font_spec(key)
    name = spec.pdf_name
    if name not in _REGISTERED:
        pdfmetrics.registerFont(TTFont(name, str(spec.path), subfontIndex=spec.subfont))
        _REGISTERED.add(name)
    return name


class FakeBold(Flowable):
    """One centred or left line whose every glyph is drawn twice, a hair apart."""

    def __init__(self, text: str, font: str, size: float, center: bool = True):
        super().__init__()
        self.text, self.font, self.size, self.center = text, font, size, center

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab API)
        self._w = availWidth
        return availWidth, self.size * 1.8

    def draw(self):
        c = self.canv
        c.setFont(self.font, self.size)
        width = pdfmetrics.stringWidth(self.text, self.font, self.size)
        x = (self._w - width) / 2 if self.center else 0.0
        y = self.size * 0.5
        for ch in self.text:
            c.drawString(x, y, ch)
            c.drawString(x + FAKE_BOLD_OFFSET, y, ch)
            x += pdfmetrics.stringWidth(ch, self.font, self.size)


class _Styles:
    def __init__(self, font: str):
        self.font = font
        self.body = ParagraphStyle(
            "body", fontName=font, fontSize=10.5, leading=18, wordWrap="CJK", firstLineIndent=21, spaceAfter=3
        )
        self.body_flat = ParagraphStyle("flat", parent=self.body, firstLineIndent=0)
        self.center = ParagraphStyle("center", parent=self.body_flat, alignment=TA_CENTER)
        self.h = {
            0: ParagraphStyle(
                "h0",
                fontName=font,
                fontSize=22,
                leading=34,
                alignment=TA_CENTER,
                wordWrap="CJK",
                spaceAfter=30,
            ),
            1: ParagraphStyle(
                "h1", fontName=font, fontSize=15, leading=24, wordWrap="CJK", spaceBefore=8, spaceAfter=6
            ),
            2: ParagraphStyle(
                "h2", fontName=font, fontSize=12.5, leading=20, wordWrap="CJK", spaceBefore=4, spaceAfter=3
            ),
            3: ParagraphStyle("h3", fontName=font, fontSize=11, leading=18, wordWrap="CJK"),
        }
        self.title = ParagraphStyle(
            "title", fontName=font, fontSize=15, leading=22, alignment=TA_CENTER, wordWrap="CJK", spaceAfter=6
        )
        self.small = ParagraphStyle("small", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
        self.small_right = ParagraphStyle("smallr", parent=self.small, alignment=TA_RIGHT)

    def cell(self, size: float, align: str) -> ParagraphStyle:
        alignment = {"L": TA_LEFT, "C": TA_CENTER, "R": TA_RIGHT}[align]
        return ParagraphStyle(
            f"cell{size}{align}",
            fontName=self.font,
            fontSize=size,
            leading=size * 1.3,
            alignment=alignment,
            wordWrap="CJK",
        )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _heading(block: Heading, st: _Styles) -> Flowable:
    style = st.h[block.level]
    if block.fake_bold:
        return FakeBold(block.text, st.font, style.fontSize, center=block.center or block.level == 0)
    if block.center and style.alignment != TA_CENTER:
        style = ParagraphStyle(style.name + "c", parent=style, alignment=TA_CENTER)
    return _p(block.text, style)


def _page_size(orientation: str) -> tuple[float, float]:
    return landscape(A4) if orientation in ("landscape", "rotated") else A4


class _Writer:
    """Pages on one canvas: prose flows, each table starts a page of its own orientation."""

    def __init__(self, path: Path, doc: Document, font: str, encrypt: object = None):
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1, encrypt=encrypt)
        self.canvas.setTitle(doc.title)
        self.canvas.setAuthor(doc.author)
        self.canvas.setSubject(doc.subject)
        self.canvas.setCreator("budgetlens corpus")  # in every sample PDF: changing it changes their bytes
        self.st = _Styles(font)
        self.page = 0  # pages finished
        self.frame: Frame | None = None
        self.orientation = "portrait"
        self.need_page = True  # the next prose starts a fresh page

    # -- pages -------------------------------------------------------------------------------
    def new_page(self, orientation: str = "portrait") -> Frame:
        if self.frame is not None:
            self.canvas.showPage()
            self.page += 1
        c = self.canvas
        w, h = _page_size(orientation)
        if orientation == "rotated":  # stored as a portrait page shown rotated (/Rotate 90)
            c.setPageSize(landscape(A4))  # reportlab swaps the MediaBox of a rotated page: portrait it is
            c.setPageRotation(90)
            c.transform(0, 1, -1, 0, A4[0], 0)
        else:
            c.setPageSize((w, h))
            c.setPageRotation(0)
        self.orientation = orientation
        self.frame = Frame(
            MARGIN,
            MARGIN,
            w - 2 * MARGIN,
            h - 2 * MARGIN,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            showBoundary=0,
        )
        return self.frame

    @property
    def current_page(self) -> int:
        return self.page + 1

    def flow(self, flowables: list[Flowable]) -> None:
        """Place flowables on the current page and as many following pages as they need."""
        items = list(flowables)
        if items and self.need_page:
            self.new_page("portrait")
            self.need_page = False
        while items:
            head = items[0]
            assert self.frame is not None
            if self.frame.add(head, self.canvas, trySplit=0):
                items.pop(0)
                continue
            parts = self.frame.split(head, self.canvas)
            if len(parts) > 1:
                self.frame.add(parts[0], self.canvas, trySplit=0)
                items[0:1] = parts[1:]
            self.new_page(self.orientation if self.orientation != "rotated" else "portrait")

    def finish(self) -> int:
        self.canvas.showPage()
        self.canvas.save()
        return self.page + 1

    # -- tables ------------------------------------------------------------------------------
    def table_flowables(
        self, t: Table, body: list[list[str]], with_header: bool, body_offset: int
    ) -> RLTable:
        st = self.st
        size = t.font_size
        frame_w = _page_size(t.orientation)[0] - 2 * MARGIN
        total = sum(t.widths)
        widths = [frame_w * w / total for w in t.widths]
        data: list[list[object]] = []
        style_cmds: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), st.font),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        nh = len(t.header) if with_header else 0
        hstyle = st.cell(size, "C")
        if with_header:
            for r, row in enumerate(t.header):
                out: list[object] = []
                for c, cell in enumerate(row):
                    if cell is None:
                        out.append("")
                        continue
                    out.append(_p(cell.text, hstyle))
                    if cell.colspan > 1 or cell.rowspan > 1:
                        style_cmds.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
                data.append(out)
        cell_styles = {a: st.cell(size, a) for a in "LCR"}
        for i, row in enumerate(body):
            out = []
            for c, text in enumerate(row):
                pad = t.indents.get((body_offset + i, c), 0) * size
                if c in t.wrap_cols or len(text) * size > widths[c] - 6 - pad:
                    out.append(_p(text, cell_styles[t.align[c]]))
                else:
                    out.append(text)
            data.append(out)
            if (body_offset + i) in t.bold_rows:
                style_cmds.append(("BACKGROUND", (0, nh + i), (-1, nh + i), colors.Color(0.93, 0.93, 0.93)))
        for (r, c), level in t.indents.items():
            if body_offset <= r < body_offset + len(body) and level:
                at = (c, nh + r - body_offset)
                style_cmds.append(("LEFTPADDING", at, at, 3 + level * size))
        for r, c0, c1 in t.spans:
            if body_offset <= r < body_offset + len(body):
                style_cmds.append(("SPAN", (c0, nh + r - body_offset), (c1, nh + r - body_offset)))
        for c, a in enumerate(t.align):
            style_cmds.append(("ALIGN", (c, nh), (c, -1), {"L": "LEFT", "C": "CENTER", "R": "RIGHT"}[a]))
        if t.rules == "grid":
            style_cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        elif t.rules == "hrules":
            style_cmds.append(("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black))
            if nh:
                style_cmds.append(("LINEBELOW", (0, nh - 1), (-1, nh - 1), 0.5, colors.black))
            style_cmds.append(("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black))
        return RLTable(data, colWidths=widths, style=TableStyle(style_cmds), hAlign="CENTER")

    def title_flowables(self, t: Table) -> list[Flowable]:
        st = self.st
        out: list[Flowable] = []
        if t.number:
            out.append(_p(t.number, st.small))
        title = " ".join(t.title) if t.title_spaced else t.title
        if t.title_fake_bold:
            out.append(FakeBold(title, st.font, st.title.fontSize))
        else:
            out.append(_p(title, st.title))
        if t.dept_line or t.unit_line:
            frame_w = _page_size(t.orientation)[0] - 2 * MARGIN
            line = RLTable(
                [[_p(t.dept_line or "", st.small), _p(t.unit_line or "", st.small_right)]],
                colWidths=[frame_w * 0.6, frame_w * 0.4],
                style=TableStyle(
                    [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
                ),
            )
            out.append(line)
        out.append(Spacer(1, 4))
        return out

    def paginate(self, t: Table) -> list[tuple[int, int]]:
        """[start, end) body-row ranges, one per page."""
        n = len(t.rows)
        if t.page_rows:
            return t.fixed_pages()
        frame_h = _page_size(t.orientation)[1] - 2 * MARGIN
        frame_w = _page_size(t.orientation)[0] - 2 * MARGIN
        title_h = sum(f.wrap(frame_w, frame_h)[1] for f in self.title_flowables(t))
        notes_h = 16.0 * len(t.notes)
        full = self.table_flowables(t, t.rows, True, 0)
        full.wrap(frame_w, frame_h)
        heights = list(full._rowHeights)
        header_h = sum(heights[: len(t.header)])
        body_h = heights[len(t.header) :]
        chunks, start, first = [], 0, True
        while start < n or not chunks:
            avail = (
                frame_h
                - (title_h if first or t.repeat_title else 0)
                - (header_h if first or t.repeat_header else 0)
                - 4
            )
            used, end = 0.0, start
            while end < n and used + body_h[end] <= avail - (notes_h if end == n - 1 else 0):
                used += body_h[end]
                end += 1
            if end == start and start < n:
                end = start + 1  # a row taller than a page: let it overflow rather than loop
            chunks.append((start, end))
            start, first = end, False
        return chunks

    def table(self, t: Table) -> list[int]:
        """Draw a table on fresh pages; returns the pages it occupies."""
        pages = []
        for i, (a, b) in enumerate(self.paginate(t)):
            self.new_page(t.orientation)
            pages.append(self.current_page)
            fl: list[Flowable] = []
            if i == 0 or t.repeat_title:
                fl += self.title_flowables(t)
            if b > a or i == 0:
                fl.append(self.table_flowables(t, t.rows[a:b], i == 0 or t.repeat_header, a))
            if b == len(t.rows):
                fl += [_p(note, self.st.small) for note in t.notes]
            self.need_page = False
            self.flow(fl)
        self.need_page = True
        return pages


def render_reportlab(
    doc: Document, out: Path, font: str, user_password: str | None = None, owner_password: str | None = None
) -> Rendered:
    """Draw `doc` into `out` with reportlab in `font` (a corpus font name), optionally encrypted."""
    name = register_font(font)
    encrypt = None
    if user_password is not None or owner_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(user_password or "", owner_password or "owner", strength=128)
    w = _Writer(out, doc, name, encrypt)
    st = w.st
    # text "without a Unicode map" is drawn in the other corpus font, whose maps are blanked afterwards
    other = next(k for k in FONTS if k != font)
    nomap = ParagraphStyle("nomap", parent=st.body, fontName=register_font(other))
    used_nomap = any(isinstance(b, Para) and b.nomap for s in doc.sections for b in s.blocks)
    section_pages: list[tuple[int, int]] = []
    if doc.preface:
        w.flow(
            [Spacer(1, 200)]
            + [
                _heading(b, st) if isinstance(b, Heading) else _p(b.text, st.center)
                for b in doc.preface
                if isinstance(b, Heading | Para)
            ]
        )
    for section in doc.sections:
        w.need_page = True
        first = w.current_page + (1 if w.frame is not None else 0)
        pending: list[Flowable] = []
        for block in section.blocks:
            if isinstance(block, Table) and not block.inline:
                w.flow(pending)
                pending = []
                w.table(block)
            elif isinstance(block, Table):
                pending.append(w.table_flowables(block, block.rows, True, 0))
                pending += [_p(note, st.small) for note in block.notes]
            elif isinstance(block, PageBreak):
                w.flow(pending)
                pending = []
                w.need_page = True
            elif isinstance(block, Heading):
                if block.level == 0:
                    pending.append(Spacer(1, 200))
                pending.append(_heading(block, st))
            elif isinstance(block, Para) and block.nomap:
                pending.append(_p(block.text, nomap))
            elif isinstance(block, Para):
                style = st.center if block.center else (st.body if block.indent else st.body_flat)
                if block.size:
                    style = ParagraphStyle(
                        "sized", parent=style, fontSize=block.size, leading=block.size * 1.6
                    )
                pending.append(_p(block.text, style))
        w.flow(pending)
        section_pages.append((first, w.current_page))
    pages = w.finish()
    if used_nomap:
        out.write_bytes(strip_unicode_maps(out.read_bytes(), font_spec(other).face_name))
    return Rendered(pages=pages, section_pages=section_pages)


__all__ = ["Cell", "render_reportlab", "register_font"]
