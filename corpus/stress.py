"""Real documents made harder: the same PDF without its table rules, or with its pages turned.

Some publishers print their tables without rules (borderless Word tables, PDF printers that drop
thin lines). `without_rules` removes every vector path from every page of a PDF and keeps the
text where it was, so a ruled real document can be read as its unruled twin would be.

Others print only the horizontal rules; `without_vertical_rules` removes the rules that run down
the page as it reads (thin vector paths; boxes drawn as one path keep their sides).

Titles and totals are often set in fake bold, each glyph drawn again a little to the side;
`overprinted` draws whole pages so.

Some producers write a page's text in no reading order; `shuffled` writes each page's text runs
in a random order (over its drawing, as before), so nothing may lean on the order of the text.

Pages downloaded from some portals carry a diagonal watermark (a site's address, the time of
download) drawn across the tables: `watermarked` draws one, three times down each page.

A cover title is sometimes drawn as an image; `cover_as_image` draws a document's first page as a
picture of itself, with no text. A district may bind its departments into one book (汇编), each
with its cover or without: `bound` binds documents back to back, their first pages left out on
request.

A document paginated again cuts its tables at other rows: `repaginated` cuts each page in two
by its boxes alone, the rest of the drawing left outside them. A document printed on a larger
sheet than it was laid out for leaves its page numbers near the middle: `on_a_larger_sheet`. A
wide table printed over two pages, its right-hand columns on the next page: `printed_across`.

Word processors print 第 3 页 共 60 页 at the foot of each page: `footed` draws such a footer. A
document printed from a browser carries the date, its title, its address and i/n in its margins:
`browser_printed`.

A figure corrected after the export is often whited out and typed again over the white box (the
old figure stays in the file, unseen): `whited_out` does so to every `every`-th figure of each page,
typing the same figure again in Helvetica.

Spreadsheets print figures in a Latin font beside Chinese words; where that font is embedded as
glyph numbers without a Unicode map, a reader gets (cid:NNN) where the figures are:
`without_unicode_maps` takes the map out of each composite font printing figures and no Han (qpdf).

A spreadsheet shrinks a figure too wide for its cell (缩小字体填充), on the cell's baseline or
hanging from its top: `shrunk_to_fit` does so to every third figure.

Landscape tables are often stored as portrait pages: the content drawn sideways and the page
shown turned (/Rotate), or the whole page shown turned. `turned` makes each of those from an
upright document.
"""

from __future__ import annotations

import ctypes
import io
import math
import random
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def without_rules(data: bytes) -> bytes:
    """The PDF with every path object (rules, boxes, fills) removed from every page."""

    def strip(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        objs = _objects(page)
        for obj in objs:
            if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH:
                pdfium_c.FPDFPage_RemoveObject(page.raw, obj)
                pdfium_c.FPDFPageObj_Destroy(obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)

    return _each_page(data, strip)


def without_vertical_rules(data: bytes) -> bytes:
    """The PDF without the thin paths that run down its pages as their text reads (a page whose
    text runs along the page's y axis, stored sideways, has its table's rules turned too)."""

    def strip(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        textpage = page.get_textpage()
        try:
            n = pdfium_c.FPDFText_CountChars(textpage.raw)
            quarters = Counter(
                round(math.degrees(pdfium_c.FPDFText_GetCharAngle(textpage.raw, k)) / 90) % 4
                for k in range(0, n, 7)
            )
        finally:
            textpage.close()
        sideways = bool(quarters) and quarters.most_common(1)[0][0] % 2 == 1
        box = [ctypes.c_float() for _ in range(4)]
        objs = _objects(page)
        for obj in objs:
            if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
                continue
            pdfium_c.FPDFPageObj_GetBounds(obj, *box)
            across, down = box[2].value - box[0].value, box[3].value - box[1].value
            if sideways:
                across, down = down, across
            if across <= _THIN < down:
                pdfium_c.FPDFPage_RemoveObject(page.raw, obj)
                pdfium_c.FPDFPageObj_Destroy(obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)

    return _each_page(data, strip)


# a path at most this wide (points) is a rule, not a box
_THIN = 2.5


def turned(data: bytes, angle: int, *, drawn: bool = False, shown: int | None = None) -> bytes:
    """The PDF with every page turned `angle` degrees clockwise (90, 180 or 270).

    By default only the page's display rotation (/Rotate) changes: a viewer shows the page turned.
    With `drawn`, the content itself is drawn turned on a page of the turned size (/Rotate as it
    was). `shown` then sets the display rotation afterwards: `drawn=True, shown=360 - angle` is a
    page stored sideways that a viewer shows upright.
    """
    if angle not in (90, 180, 270):
        raise ValueError(f"angle must be 90, 180 or 270, not {angle}")

    def turn(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        if drawn:
            _draw_turned(page, angle)
        else:
            page.set_rotation((page.get_rotation() + angle) % 360)
        if shown is not None:
            page.set_rotation(shown % 360)

    return _each_page(data, turn)


def overprinted(data: bytes, dx: float, dy: float) -> bytes:
    """The PDF with every page drawn twice, the second time `dx`, `dy` points to the side (fake bold)."""
    source = pdfium.PdfDocument(data)
    try:
        for i in range(len(source)):  # the copies are drawn in the page's own space, as the page is
            page = source[i]
            page.set_rotation(0)
            page.close()

        def again(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
            copy = source.page_as_xobject(index, pdf).as_pageobject()
            copy.transform(pdfium.PdfMatrix().translate(dx, dy))
            page.insert_obj(copy)
            page.gen_content()

        return _each_page(data, again)
    finally:
        source.close()


def shuffled(data: bytes, seed: int = 1) -> bytes:
    """The PDF with each page's text runs written in a random (seeded) order over its drawing
    (rules, fills, images and forms, in their own order as before): the page looks the same.

    Shuffling the drawing with the text would draw cell fills over the text they lie under, and
    a page that shows less is no test of reading order (the parser leaves covered text out)."""
    order = random.Random(seed)

    def shuffle(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        objs = _objects(page)
        for obj in objs:
            pdfium_c.FPDFPage_RemoveObject(page.raw, obj)
        text = [o for o in objs if pdfium_c.FPDFPageObj_GetType(o) == pdfium_c.FPDF_PAGEOBJ_TEXT]
        order.shuffle(text)
        objs = [o for o in objs if pdfium_c.FPDFPageObj_GetType(o) != pdfium_c.FPDF_PAGEOBJ_TEXT] + text
        for obj in objs:
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)

    return _each_page(data, shuffle)


def watermarked(
    data: bytes, text: str = "www.gov.cn 2026-03-15 10:22", *, size: float = 30.0, angle: float = 30.0
) -> bytes:
    """The PDF with `text` drawn three times down every page, turned `angle` degrees, in light grey
    over the page's content (Helvetica: Latin letters and figures only)."""

    def stamp(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        font = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
        left, bottom, right, top = page.get_mediabox()
        turn = math.radians(angle)
        encoded = (text + "\0").encode("utf-16-le")  # PDFium's FPDF_WIDESTRING: UTF-16LE, ended by 0
        for k in range(3):
            obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, font, size)
            pdfium_c.FPDFText_SetText(
                obj, ctypes.cast(ctypes.c_char_p(encoded), ctypes.POINTER(pdfium_c.FPDF_WCHAR))
            )
            pdfium_c.FPDFPageObj_SetFillColor(obj, 200, 200, 200, 255)
            pdfium_c.FPDFPageObj_Transform(
                obj,
                math.cos(turn),
                math.sin(turn),
                -math.sin(turn),
                math.cos(turn),
                left + (right - left) * 0.15,
                bottom + (top - bottom) * (0.2 + 0.3 * k),
            )
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)

    return _each_page(data, stamp)


def cover_as_image(data: bytes, scale: float = 2.0) -> bytes:
    """The PDF with its first page drawn as a picture of itself (`scale` pixels per point), no text."""

    def picture(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        if index:
            return
        left, bottom, right, top = page.get_mediabox()
        bitmap = page.render(scale=scale, rotation=0)
        objs = _objects(page)
        for obj in objs:
            pdfium_c.FPDFPage_RemoveObject(page.raw, obj)
            pdfium_c.FPDFPageObj_Destroy(obj)
        image = pdfium.PdfImage.new(pdf)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(right - left, top - bottom).translate(left, bottom))
        page.insert_obj(image)
        page.gen_content()
        bitmap.close()

    return _each_page(data, picture)


def bound(documents: list[bytes], *, leave_out: int = 0) -> bytes:
    """The documents bound back to back into one PDF (a 汇编), each without its first `leave_out`
    pages (1: its cover; 2: its cover and contents)."""
    book = pdfium.PdfDocument.new()
    try:
        for data in documents:
            source = pdfium.PdfDocument(data)
            try:
                book.import_pages(source, pages=list(range(leave_out, len(source))))
            finally:
                source.close()
        return _saved(book)
    finally:
        book.close()


def repaginated(data: bytes, at: float = 0.55, *, moved_up: bool = False) -> bytes:
    """The PDF with each upright page cut in two at a gap between its text lines, about `at` of the
    way down: the part above stays on a page cropped to it, the part below goes to a page of its own
    without the page number printed last (a document paginated again: tables cut at other rows, a
    header or a totals row alone on a page, a title at a page's foot). `moved_up`: the part below
    goes to the top of a page of full height instead, its page number with it (under its last row,
    or alone on the page). Only the page boxes change: the drawing outside a page's box is still in
    the file, as such tools leave it."""

    def parts(page: pdfium.PdfPage) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
        left, bottom, right, top = page.get_mediabox()
        bands = _text_bands(page) if page.get_rotation() == 0 else None
        cut = _line_gap(top - bottom, bands, at) if bands is not None else None
        if bands is None or cut is None:
            return None
        below = top - cut - (top - bottom) if moved_up else top - _foot(page, bands)
        return (left, top - cut, right, top), (left, below, right, top - cut)

    return _cut_in_two(data, parts)


def printed_across(data: bytes, at: float = 0.6) -> bytes:
    """The PDF with each upright landscape page cut in two at a gap between its text columns about
    `at` of the way across: the left part on a page cropped to it, the right part on the next page (a
    wide table printed over two pages, as a spreadsheet prints the columns that do not fit: the same
    rows at the same heights, the row labels on the left page only). Only the page boxes change."""

    def parts(page: pdfium.PdfPage) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
        left, bottom, right, top = page.get_mediabox()
        wide = page.get_rotation() == 0 and right - left > top - bottom
        cut = _column_gap(page, left, right, at) if wide else None
        return None if cut is None else ((left, bottom, cut, top), (cut, bottom, right, top))

    return _cut_in_two(data, parts)


def printed_down_then_over(data: bytes, at: float = 0.6) -> bytes:
    """`printed_across` in a spreadsheet's default page order, "down, then over": of each run of
    landscape pages cut in two that print one table (a run ends before a page that prints a unit
    statement, 单位：, as a table's first page does), every left part first, then every right part
    (L1 L2 L3 R1 R2 R3, where `printed_across` sets L1 R1 L2 R2 L3 R3). Only the page boxes change."""
    source = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    try:
        runs: list[list[tuple[int, tuple[float, ...], tuple[float, ...]]]] = []
        for i in range(len(source)):
            page = source[i]
            try:
                left, bottom, right, top = page.get_mediabox()
                wide = page.get_rotation() == 0 and right - left > top - bottom
                cut = _column_gap(page, left, right, at) if wide else None
                text = page.get_textpage()
                try:
                    opens = bool(re.search(r"单位[：:]", text.get_text_bounded()))
                finally:
                    text.close()
            finally:
                page.close()
            if cut is None:
                runs.append([])
                out_page = (i, None, None)
                runs[-1].append(out_page)  # type: ignore[arg-type]
                runs.append([])
                continue
            if opens or not runs or not runs[-1]:
                runs.append([])
            runs[-1].append((i, (left, bottom, cut, top), (cut, bottom, right, top)))
        for run in runs:
            if not run:
                continue
            if run[0][1] is None:
                out.import_pages(source, pages=[run[0][0]])
                continue
            for side in (1, 2):
                for i, *boxes in run:
                    out.import_pages(source, pages=[i])
                    part = out[len(out) - 1]
                    part.set_mediabox(*boxes[side - 1])
                    part.set_cropbox(*boxes[side - 1])
                    part.close()
        return _saved(out)
    finally:
        out.close()
        source.close()


def _cut_in_two(
    data: bytes, parts: Callable[[pdfium.PdfPage], tuple[tuple[float, ...], tuple[float, ...]] | None]
) -> bytes:
    """The PDF with each page that `parts(page)` gives two boxes for shown as two pages, one box each
    (the whole drawing kept in both); the other pages as they are."""
    source = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    try:
        for i in range(len(source)):
            page = source[i]
            try:
                boxes = parts(page)
            finally:
                page.close()
            out.import_pages(source, pages=[i])
            if boxes is None:
                continue
            out.import_pages(source, pages=[i])
            for part, box in zip((out[len(out) - 2], out[len(out) - 1]), boxes, strict=True):
                part.set_mediabox(*box)
                part.set_cropbox(*box)
                part.close()
        return _saved(out)
    finally:
        out.close()
        source.close()


def _column_gap(page: pdfium.PdfPage, left: float, right: float, at: float) -> float | None:
    """An x near `at` of the page's width that crosses no glyph (2 pt clear)."""
    text = page.get_textpage()
    try:
        spans = []
        for k in range(text.count_chars()):
            x0, y0, x1, y1 = text.get_charbox(k)
            if x1 > x0 and y1 > y0:
                spans.append((x0, x1))
    finally:
        text.close()
    width = right - left
    for step in range(int(0.3 * width) // 2):
        for x in (left + width * at + 2 * step, left + width * at - 2 * step):
            if left < x < right and all(not (a - 2 < x < b + 2) for a, b in spans):
                return x
    return None


def on_a_larger_sheet(data: bytes, by: float = 0.41) -> bytes:
    """The PDF with each page's box grown by `by` of its size to the right and downwards: the print
    in the top-left corner of a larger sheet (A4 pages printed on A3), the page numbers near its
    middle."""

    def grow(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        left, bottom, right, top = page.get_mediabox()
        box = (left, bottom - by * (top - bottom), right + by * (right - left), top)
        page.set_mediabox(*box)
        page.set_cropbox(*box)

    return _each_page(data, grow)


FOOTERS = {
    "of": "第 {i} 页 共 {n} 页",
    "of, comma": "第{i}页，共{n}页",
    "dashes": "— {i} —",
    "slash": "{i} / {n}",
}


def footed(data: bytes, footer: str = "of", font: str | None = None) -> bytes:
    """The PDF with a word processor's footer drawn at the foot of each upright page, centred
    (`FOOTERS[footer]`: 第 3 页 共 60 页 …), in the corpus's CJK font (`font`: its path)."""

    def margins(i: int, n: int, width: float, height: float) -> list[tuple[float, float, str, str]]:
        return [(width / 2, 22, FOOTERS[footer].format(i=i + 1, n=n), "centre")]

    return _drawn_in_margins(data, margins, 9, font)


def browser_printed(data: bytes, title: str, font: str | None = None) -> bytes:
    """The PDF as a browser prints it: the date and time and the document's `title` in its header, its
    address and the page as i/n in its footer, on each upright page (`font`: the CJK font's path)."""
    address = "https://www.gov.cn/attachment/0/1093/1093842/11853961.pdf"

    def margins(i: int, n: int, width: float, height: float) -> list[tuple[float, float, str, str]]:
        return [
            (20, height - 14, "2026/3/15 10:22", "left"),
            (width / 2, height - 14, title, "centre"),
            (20, 10, address, "left"),
            (width - 20, 10, f"{i + 1}/{n}", "right"),
        ]

    return _drawn_in_margins(data, margins, 7, font)


def _drawn_in_margins(
    data: bytes,
    margins: Callable[[int, int, float, float], list[tuple[float, float, str, str]]],
    size: float,
    font: str | None,
) -> bytes:
    """The PDF with `margins(index, pages, width, height)` -> (x, y, text, left|centre|right) drawn on
    each upright page, in the corpus's CJK font (reportlab) at `size` points. A page shown turned
    prints its margins along other edges: it is left as it is."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from corpus.fonts import DEFAULT_FONT, FONTS

    spec = FONTS[DEFAULT_FONT]
    pdfmetrics.registerFont(TTFont("BudgetlensMargin", font or str(spec.path), subfontIndex=spec.subfont))
    source = pdfium.PdfDocument(data)
    try:
        boxes = [(source[i].get_mediabox(), source[i].get_rotation()) for i in range(len(source))]
    finally:
        source.close()
    drawn = io.BytesIO()
    sheet = canvas.Canvas(drawn)
    for i, ((left, bottom, right, top), _) in enumerate(boxes):
        sheet.setPageSize((right - left, top - bottom))
        sheet.setFont("BudgetlensMargin", size)
        for x, y, text, align in margins(i, len(boxes), right - left, top - bottom):
            draw = {
                "left": sheet.drawString,
                "centre": sheet.drawCentredString,
                "right": sheet.drawRightString,
            }
            draw[align](x, y, text)
        sheet.showPage()
    sheet.save()
    overlay = pdfium.PdfDocument(drawn.getvalue())

    def stamp(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        (left, bottom, _, _), rotation = boxes[index]
        if rotation:
            return
        drawing = overlay.page_as_xobject(index, pdf).as_pageobject()
        drawing.transform(pdfium.PdfMatrix().translate(left, bottom))
        page.insert_obj(drawing)
        page.gen_content()

    try:
        return _each_page(data, stamp)
    finally:
        overlay.close()


_AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})*\.\d{2}$")
_HELVETICA_WIDTHS = {",": 0.278, ".": 0.278, "-": 0.333}  # of the size; digits 0.556


def whited_out(data: bytes, every: int = 4) -> bytes:
    """The PDF with every `every`-th figure (#,##0.00) of each page covered by an opaque white box
    and typed again over it in Helvetica, right-aligned where it stood."""

    def correct(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        text = page.get_textpage()
        try:
            figures = [run for run in _figure_runs(text) if _AMOUNT.match(run[0])][every - 1 :: every]
        finally:
            text.close()
        if not figures:
            return
        font = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
        for figure, (left, bottom, right, top), _ in figures:
            box = pdfium_c.FPDFPageObj_CreateNewRect(
                left - 0.5, bottom - 0.5, right - left + 1, top - bottom + 1
            )
            pdfium_c.FPDFPageObj_SetFillColor(box, 255, 255, 255, 255)
            pdfium_c.FPDFPath_SetDrawMode(box, pdfium_c.FPDF_FILLMODE_WINDING, 0)
            pdfium_c.FPDFPage_InsertObject(page.raw, box)
            size = 0.95 * (top - bottom)
            typed = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, font, size)
            encoded = (figure + "\0").encode("utf-16-le")
            pdfium_c.FPDFText_SetText(
                typed, ctypes.cast(ctypes.c_char_p(encoded), ctypes.POINTER(pdfium_c.FPDF_WCHAR))
            )
            width = size * sum(_HELVETICA_WIDTHS.get(ch, 0.556) for ch in figure)
            pdfium_c.FPDFPageObj_Transform(typed, 1, 0, 0, 1, right - width, bottom)
            pdfium_c.FPDFPage_InsertObject(page.raw, typed)
        pdfium_c.FPDFPage_GenerateContent(page.raw)

    return _each_page(data, correct)


def figures_as_pictures(data: bytes, every: int = 4, scale: float = 3.0) -> bytes:
    """The PDF with every `every`-th figure (#,##0.00) of each upright page drawn as a picture of
    itself: its glyphs taken out and an image of them (`scale` pixels per point) put where they
    stood. The page looks the same; a reader of its text finds the cell blank, as where a producer
    draws a figure's glyphs as outlines or a corrected figure is pasted in as an image. A figure
    whose glyphs share a text object with other text, or lie inside a form, stays text."""

    def picture(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        chosen = _every_figure(page, every)
        if not chosen:
            return
        left0, _, _, top0 = page.get_cropbox()
        shown = page.render(scale=scale, rotation=0)
        try:
            image = shown.to_pil()
        finally:
            shown.close()
        for (left, bottom, right, top), objs in chosen:
            crop = image.crop(
                (
                    round((left - left0) * scale),
                    round((top0 - top) * scale),
                    round((right - left0) * scale),
                    round((top0 - bottom) * scale),
                )
            )
            for obj in objs:
                pdfium_c.FPDFPage_RemoveObject(page.raw, obj)
                pdfium_c.FPDFPageObj_Destroy(obj)
            drawn = pdfium.PdfImage.new(pdf)
            bitmap = pdfium.PdfBitmap.from_pil(crop)
            drawn.set_bitmap(bitmap)
            bitmap.close()
            drawn.set_matrix(pdfium.PdfMatrix().scale(right - left, top - bottom).translate(left, bottom))
            page.insert_obj(drawn)
        page.gen_content()

    return _each_page(data, picture)


def without_unicode_maps(data: bytes, *, figures_only: bool = True) -> bytes:
    """The PDF with the Unicode map (/ToUnicode) taken from each composite font that prints
    figures and no Han character: a spreadsheet's Latin font (Times New Roman, Arial) embedded as
    glyph numbers only, beside Chinese fonts that keep theirs. The page looks the same; a reader
    of its text gets glyph numbers where the figures are, (cid:NNN) in pdfminer's words. Not
    `figures_only`, every composite font's map is taken (a producer that writes none). Made with
    qpdf: the file written object by object (--qdf), the maps taken out, written again."""
    qpdf, fix = shutil.which("qpdf"), shutil.which("fix-qdf")
    if qpdf is None or fix is None:
        raise ToolMissing("qpdf (qpdf) is not installed")
    with tempfile.TemporaryDirectory(prefix="budgetlens-stress-") as tmp:
        src, qdf, out = Path(tmp) / "in.pdf", Path(tmp) / "in.qdf", Path(tmp) / "out.pdf"
        src.write_bytes(data)
        subprocess.run(
            [qpdf, "--qdf", "--object-streams=disable", str(src), str(qdf)],
            check=False,  # exit 3: written, with warnings
            timeout=600,
            capture_output=True,
        )
        text = qdf.read_bytes()
        streams = {m.group(1): m.group(2) for m in _QDF_STREAM.finditer(text)}

        def unmapped(m: re.Match) -> bytes:
            body = m.group(2)
            to_unicode = _TO_UNICODE.search(body)
            if b"/Subtype /Type0" not in body or to_unicode is None:
                return m.group(0)
            mapped = _cmap_targets(streams.get(to_unicode.group(1), b""))
            if figures_only and (
                not any("0" <= ch <= "9" for ch in mapped) or any("\u4e00" <= ch <= "\u9fff" for ch in mapped)
            ):
                return m.group(0)
            return m.group(1) + body.replace(to_unicode.group(0), b"") + m.group(3)

        qdf.write_bytes(_QDF_OBJECT.sub(unmapped, text))
        fixed = subprocess.run([fix, str(qdf)], check=True, timeout=600, capture_output=True).stdout
        qdf.write_bytes(fixed)
        subprocess.run([qpdf, str(qdf), str(out)], check=False, timeout=600, capture_output=True)
        return out.read_bytes()


# qpdf --qdf writes each object as "N 0 obj\n<<\n  /Key value\n>>" and each stream uncompressed
_QDF_OBJECT = re.compile(rb"(\n\d+ 0 obj\n<<)(.*?)(\n>>\n(?:endobj|stream))", re.S)
_QDF_STREAM = re.compile(rb"\n(\d+) 0 obj\n<<(?:(?!\nendobj).)*?\n>>\nstream\n(.*?)endstream", re.S)
_TO_UNICODE = re.compile(rb"\n\s*/ToUnicode (\d+) 0 R")


def _cmap_targets(cmap: bytes) -> set[str]:
    """The characters a ToUnicode CMap maps glyphs to (its bfchar and bfrange entries)."""
    found: set[str] = set()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for target in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
            found.update(_utf16(target))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, target in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block
        ):
            targets = re.findall(rb"<([0-9A-Fa-f]+)>", target)
            if target.startswith(b"["):
                for t in targets:
                    found.update(_utf16(t))
                continue
            first = int(targets[0], 16)
            for k in range(min(int(hi, 16) - int(lo, 16) + 1, 0x10000)):
                found.update(_utf16(b"%04X" % (first + k)))
    return found


def _utf16(hex_digits: bytes) -> str:
    try:
        return bytes.fromhex(hex_digits.decode()).decode("utf-16-be", "replace")
    except ValueError:
        return ""


def shrunk_to_fit(data: bytes, every: int = 3, by: float = 0.7, *, hanging: bool = False) -> bytes:
    """The PDF with every `every`-th figure (#,##0.00) of each upright page printed `by` times its
    size, still standing on its cell's baseline (or, `hanging`, under its top) and at its right
    edge: a spreadsheet's "shrink to fit" (缩小字体填充) for a figure too wide for its column. A
    figure whose glyphs share a text object with other text, or lie inside a form, keeps its size."""

    def shrink(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        chosen = _every_figure(page, every)
        for (_, bottom, right, top), objs in chosen:
            y = top if hanging else bottom
            for obj in objs:  # scaled about the run's right bottom (or top) corner
                pdfium_c.FPDFPageObj_Transform(obj, by, 0, 0, by, right * (1 - by), y * (1 - by))
        if chosen:
            page.gen_content()

    return _each_page(data, shrink)


def _every_figure(page: pdfium.PdfPage, every: int) -> list[tuple[tuple[float, float, float, float], list]]:
    """Every `every`-th figure (#,##0.00) of an upright page whose text objects print figures alone
    and stand on the page itself (not in a form): (its box in PDF points, left, bottom, right, top;
    its text objects). A turned page gives none."""
    if page.get_rotation():
        return []
    top_level = {ctypes.cast(o, ctypes.c_void_p).value: o for o in _objects(page)}
    text = page.get_textpage()
    try:
        chosen = []
        for _, box, chars in [r for r in _figure_runs(text) if _AMOUNT.match(r[0])][every - 1 :: every]:
            objs = {
                ctypes.cast(pdfium_c.FPDFText_GetTextObject(text.raw, k), ctypes.c_void_p).value
                for k in chars
            }
            if all(a in top_level and _figures_alone(top_level[a], text) for a in objs):
                chosen.append((box, [top_level[a] for a in objs]))
        return chosen
    finally:
        text.close()


def regenerated(data: bytes) -> bytes:
    """The PDF with each page's content written again by PDFium, nothing changed: what every stress
    that edits a page's objects does to the rest of it. PDFium re-encodes the text of some
    producers' subset fonts on the way (reportlab's: 服务 comes back as r8), so a stress made of
    such a file damages more than it means to."""

    def write_again(pdf: pdfium.PdfDocument, index: int, page: pdfium.PdfPage) -> None:
        for obj in _objects(page):  # moved by nothing: each object is written again, not copied
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 0, 0)
        page.gen_content()

    return _each_page(data, write_again)


def _figures_alone(obj, text: pdfium.PdfTextPage) -> bool:
    """Does a text object print figure characters only (digits, commas, points, minus signs)?"""
    n = pdfium_c.FPDFTextObj_GetText(obj, text.raw, None, 0)
    buffer = ctypes.create_string_buffer(n)
    pdfium_c.FPDFTextObj_GetText(obj, text.raw, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), n)
    printed = buffer.raw.decode("utf-16-le").rstrip("\0").strip()
    return bool(printed) and all(ch.isdigit() or ch in ",.-" for ch in printed)


def _figure_runs(text: pdfium.PdfTextPage) -> list[tuple[str, tuple[float, float, float, float], list[int]]]:
    """Each run of digits, commas, points and minus signs on one line: (its text, its box, the
    indices of its characters on the text page)."""
    runs: list[tuple[str, tuple[float, float, float, float], list[int]]] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    indices: list[int] = []

    def close() -> None:
        if chars:
            runs.append(
                (
                    "".join(chars),
                    (
                        min(b[0] for b in boxes),
                        min(b[1] for b in boxes),
                        max(b[2] for b in boxes),
                        max(b[3] for b in boxes),
                    ),
                    list(indices),
                )
            )
        chars.clear()
        boxes.clear()
        indices.clear()

    for k in range(text.count_chars()):
        ch = text.get_text_range(k, 1)
        if ch and (ch.isdigit() or ch in ",.-"):
            box = text.get_charbox(k, loose=True)
            if boxes and abs(box[1] - boxes[-1][1]) > 2:
                close()
            chars.append(ch)
            boxes.append(box)
            indices.append(k)
        else:
            close()
    close()
    return runs


def _text_bands(page: pdfium.PdfPage) -> list[tuple[float, float]]:
    """(top, bottom) of each glyph the page shows (inside its media box), from the page's top."""
    box_left, box_bottom, box_right, top = page.get_mediabox()
    text = page.get_textpage()
    try:
        bands = []
        for k in range(text.count_chars()):
            left, bottom, right, upper = text.get_charbox(k)
            x, y = (left + right) / 2, (bottom + upper) / 2
            if right > left and upper > bottom and box_left <= x <= box_right and box_bottom <= y <= top:
                bands.append((top - upper, top - bottom))
        return bands
    finally:
        text.close()


def _line_gap(height: float, bands: list[tuple[float, float]], at: float) -> float | None:
    """A height from the page's top near `at` of the page that crosses no glyph (`bands`, 2 pt clear)."""
    for step in range(int(0.3 * height) // 2):
        for y in (height * at + 2 * step, height * at - 2 * step):
            if 0 < y < height and all(not (t - 2 < y < b + 2) for t, b in bands):
                return y
    return None


_PAGE_NUMBER = re.compile(r"^[-—–]?\s*(?:第\s*)?\d{1,4}\s*(?:页)?\s*[-—–]?$")


def _foot(page: pdfium.PdfPage, bands: list[tuple[float, float]]) -> float:
    """Where the page's printed part ends, from its top: above a page number printed last (its
    glyphs' `bands` from `_text_bands`)."""
    left, bottom, right, top = page.get_mediabox()
    if not bands:
        return top - bottom
    last_top = max(t for t, _ in bands)
    text = page.get_textpage()
    try:
        last = text.get_text_bounded(left, bottom, right, top - last_top + 1).strip()
    finally:
        text.close()
    return last_top - 1 if _PAGE_NUMBER.match(last.replace(" ", "")) else top - bottom


def _each_page(data: bytes, change: Callable[[pdfium.PdfDocument, int, pdfium.PdfPage], None]) -> bytes:
    """The PDF with `change(pdf, index, page)` applied to every page in turn."""
    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                change(pdf, i, page)
            finally:
                page.close()
        return _saved(pdf)
    finally:
        pdf.close()


def _saved(pdf: pdfium.PdfDocument) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _objects(page: pdfium.PdfPage) -> list:
    """The page's objects (raw handles), listed before any is removed."""
    return [pdfium_c.FPDFPage_GetObject(page.raw, k) for k in range(pdfium_c.FPDFPage_CountObjects(page.raw))]


def _draw_turned(page: pdfium.PdfPage, angle: int) -> None:
    """Draw the page's content turned `angle` degrees clockwise, on a page of the turned size."""
    left, bottom, right, top = page.get_mediabox()
    w, h = right - left, top - bottom
    # move the media box's origin to (0, 0), turn about it, and shift the result back on the page
    shift = {90: (0.0, w), 180: (w, h), 270: (h, 0.0)}[angle]
    matrix = pdfium.PdfMatrix().translate(-left, -bottom).rotate(angle).translate(*shift)
    clip = pdfium_c.FS_RECTF(-1e5, 1e5, 1e5, -1e5)
    pdfium_c.FPDFPage_TransFormWithClip(page.raw, ctypes.byref(matrix.to_raw()), ctypes.byref(clip))
    size = (h, w) if angle in (90, 270) else (w, h)
    page.set_mediabox(0, 0, *size)
    page.set_cropbox(0, 0, *size)
    pdfium_c.FPDFPage_GenerateContent(page.raw)


# Every way of making a real document harder that docs/accuracy.md measures on all 20 real PDFs,
# by the name `budgetlens corpus score --stress NAME` takes (one home: the tests' MADE_HARDER picks
# from these). A turn is (degrees clockwise, content drawn turned, display rotation set after).
TURNS: dict[str, tuple[int, bool, int | None]] = {
    "shown upside down": (180, False, None),
    "drawn upside down": (180, True, None),
    "shown sideways": (90, False, None),
    "drawn sideways": (270, True, None),
    "stored sideways, shown upright": (90, True, 270),
}


class ToolMissing(RuntimeError):
    """A stress made by a system tool that is not installed (its command and Debian package)."""


def rewritten_by(command: str, package: str, args: list[str]) -> Callable[[bytes], bytes]:
    """The PDF written again by a system tool: `args` name its input and output as {src} and {out}
    (`pdftocairo -pdf`, ghostscript's pdfwrite: how many portals' files were made)."""

    def rewrite(data: bytes) -> bytes:
        found = shutil.which(command)
        if found is None:
            raise ToolMissing(f"{command} ({package}) is not installed")
        with tempfile.TemporaryDirectory(prefix="budgetlens-stress-") as tmp:
            src, out = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
            src.write_bytes(data)
            subprocess.run(
                [found, *(a.format(src=src, out=out) for a in args)],
                check=True,
                timeout=600,
                capture_output=True,
            )
            return out.read_bytes()

    return rewrite


def _turn(name: str) -> Callable[[bytes], bytes]:
    angle, drawn, shown = TURNS[name]
    return lambda data: turned(data, angle, drawn=drawn, shown=shown)


STRESSES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "written-again": (
        regenerated,
        "each page's content written again by PDFium, nothing changed (a control)",
    ),
    "fake-bold": (lambda d: overprinted(d, 0.8, 0.4), "every glyph drawn again 0.8 pt right, 0.4 pt down"),
    "no-reading-order": (lambda d: shuffled(d, seed=7), "each page's text runs written in a random order"),
    "no-rules": (without_rules, "every vector path taken away"),
    "no-rules-no-reading-order": (lambda d: shuffled(without_rules(d), seed=3), "both of the above"),
    "horizontal-rules-only": (without_vertical_rules, "the rules running down the page taken away"),
    "watermark": (watermarked, "a portal's address and download time drawn at a slant, three times a page"),
    "watermark-across": (lambda d: watermarked(d, angle=0), "the same watermark laid across the page"),
    "cover-as-image": (cover_as_image, "the first page drawn as a picture of itself, no text"),
    **{
        f"paginated-again-{round(at * 100)}": (
            lambda d, at=at: repaginated(d, at),
            f"each page cut in two at a line gap {round(at * 100)} % down, by its boxes",
        )
        for at in (0.15, 0.30, 0.40, 0.55, 0.76)
    },
    "paginated-again-twice": (
        lambda d: repaginated(repaginated(d, 0.35), 0.6),
        "cut at 35 %, then each part at 60 %",
    ),
    **{
        f"moved-up-{round(at * 100)}": (
            lambda d, at=at: repaginated(d, at, moved_up=True),
            f"cut at {round(at * 100)} %, the part below moved to the top of a full page, its page number with it",
        )
        for at in (0.55, 0.90)
    },
    "larger-sheet": (on_a_larger_sheet, "printed on a sheet 41 % larger right and down"),
    "word-processor-footer": (lambda d: footed(d, "of"), "第 i 页 共 n 页 at each page's foot"),
    "browser-printed": (
        lambda d: browser_printed(d, "2026年部门预算.pdf"),
        "a browser's date, title, address and i/n in the margins",
    ),
    "whited-out": (whited_out, "every fourth figure whited out and typed again over the box"),
    "whited-out-fake-bold": (lambda d: overprinted(whited_out(d), 0.8, 0.4), "whited out, then in fake bold"),
    "figures-as-pictures": (figures_as_pictures, "every fourth figure drawn as a picture of itself, no text"),
    "shrunk-to-fit": (
        shrunk_to_fit,
        "every third figure printed at 70 % of its size on its cell's baseline and right edge",
    ),
    "shrunk-to-fit-hanging": (
        lambda d: shrunk_to_fit(d, hanging=True),
        "every third figure printed at 70 % of its size under its cell's top, at its right edge",
    ),
    "figures-without-a-map": (
        without_unicode_maps,
        "the Unicode map taken from each composite font printing figures and no Han",
    ),
    "no-unicode-maps": (
        lambda d: without_unicode_maps(d, figures_only=False),
        "the Unicode map taken from every composite font",
    ),
    **{
        f"printed-across-{round(at * 100)}": (
            lambda d, at=at: printed_across(d, at),
            f"each landscape page printed over two, cut at a column gap {round(at * 100)} % across",
        )
        for at in (0.40, 0.60, 0.75)
    },
    "rewritten-by-cairo": (
        rewritten_by("pdftocairo", "poppler-utils", ["-pdf", "{src}", "{out}"]),
        "written again by pdftocairo -pdf (glyphs it cannot embed drawn as outlines)",
    ),
    "distilled-by-ghostscript": (
        rewritten_by(
            "gs",
            "ghostscript",
            ["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-o", "{out}", "{src}"],
        ),
        "written again by ghostscript's pdfwrite (some fonts' Unicode maps broken)",
    ),
    **{
        f"down-then-over-{round(at * 100)}": (
            lambda d, at=at: printed_down_then_over(d, at),
            f"printed across at {round(at * 100)} %, each table's left parts first, then its right parts",
        )
        for at in (0.40, 0.60, 0.75)
    },
    **{
        "turned-" + name.replace(",", "").replace(" ", "-"): (_turn(name), f"every page {name}")
        for name in TURNS
    },
}
