"""Open a PDF with PDFium and read what the parser needs from each page: characters and rules.

This is the fast pass: PDFium reads a page's characters with their boxes in about 2 ms, where
pdfplumber needs about 25 ms to load the same page. Coordinates are PDF points with the origin at
the top-left of the page *as displayed* (pdfplumber's convention), so /Rotate pages and
landscape pages come out upright. Pages are closed as soon as they have been read.
"""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from budgetlens.parse.errors import ParseError
from budgetlens.parse.fontmap import CompositeFonts

# Characters that carry no ink: PDFium's generated spaces and line ends, spaces, controls.
_SKIP_CODEPOINTS = frozenset({0x0, 0x2, 0x9, 0xA, 0xD, 0x20, 0xA0, 0x3000, 0xFEFF, 0xFFFE, 0xFFFF})
# A path thinner than this (points) in one direction is a rule, not a box.
_RULE_THICKNESS = 2.5
# Paths with more segments than this are walked segment by segment (grids drawn as one path).
_SIMPLE_PATH_SEGMENTS = 5
_SNIFF_BYTES = 1024
# Where a glyph's character may fall in a Chinese budget; anything else is a glyph code PDFium
# passed through from a font without (or with a broken) Unicode map.
_PLAUSIBLE = (
    (0x20, 0x7E),  # ASCII
    (0x2010, 0x203B),  # dashes, quotes, ellipsis, ‰ ※
    (0x2100, 0x218F),  # ℃ № Ⅰ-Ⅻ
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # ≥ ≤ ≠ ×
    (0x2460, 0x24FF),  # ①
    (0x2500, 0x25FF),  # box drawing, ■ ○
    (0x2E80, 0x2FDF),  # radicals (normalised later)
    (0x3000, 0x33FF),  # CJK punctuation, kana, ㎡
    (0x3400, 0x9FFF),  # ideographs
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms
)
_PLAUSIBLE_LATIN1 = frozenset("°·×÷±§")
# A font that prints at least this many such characters, and this share of its glyphs, has a
# broken Unicode map: its other glyphs may be mapped wrong as well ('。' read as '2', '基' as 'Ā'),
# so none of them is read
_BROKEN_FONT_GLYPHS = 3
_BROKEN_FONT_SHARE = 0.02
_EOF_TAIL_BYTES = 4096


@dataclass(slots=True)
class Char:
    """One printed glyph: its text and loose box in display coordinates (points, top-left origin)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    space_before: bool = False  # the PDF prints a space character right before this one

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(slots=True)
class Rule:
    """A horizontal or vertical drawn line (a table rule) in display coordinates."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass
class RawPage:
    """What the fast pass read from one page."""

    number: int  # 1-based page number in the file
    width: float
    height: float
    chars: list[Char]
    # glyphs without a Unicode mapping, e.g. (cid:NNN); those that draw ink are among `chars`, as `UNMAPPED`
    unmapped_chars: int = 0
    rotation: int = 0  # display rotation applied (0/90/180/270)
    rules: list[Rule] | None = field(default=None)  # read lazily, only for pages holding tables
    watermark_chars: int = 0  # glyphs of a watermark or stamp (at a slant, or large and faint): not read
    hidden_chars: int = 0  # glyphs a white box drawn after them covers (a figure whited out): not read
    # small pictures standing where a line's text would (`PICTURE`): a figure pasted in as an image
    pictures: list[Char] = field(default_factory=list)
    # glyphs without a Unicode map read through their font's own character map (`fontmap`)
    by_font_map: int = 0


def sniff(data: bytes) -> None:
    """Refuse bytes that cannot be a readable PDF before PDFium sees them (not_pdf / truncated)."""
    if not data:
        raise ParseError("not_pdf", "the file is empty (0 bytes)")
    head = data[:_SNIFF_BYTES]
    if b"%PDF-" not in head:
        lowered = head.lstrip().lower()
        if (
            lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body"))
            or b"<html" in lowered
        ):
            raise ParseError("not_pdf", "the file is an HTML page, not a PDF")
        raise ParseError("not_pdf", "the file does not start with a PDF header (%PDF-)")
    tail = data[-_EOF_TAIL_BYTES:].rstrip(b"\x00\r\n\t \x0c")
    if b"%%EOF" not in tail:
        raise ParseError("truncated", f"the file ends after {len(data)} bytes without the %%EOF end marker")


@lru_cache(maxsize=8192)  # called for every character of every page: a few thousand distinct ones
def is_garbled(ch: str) -> bool:
    """A character no Chinese budget prints: a glyph code PDFium passed through as Unicode
    (Latin-1 letters, Greek, NKo, Tamil …) from a font without a Unicode map, or with a broken one."""
    cp = ord(ch)
    if ch in _PLAUSIBLE_LATIN1:
        return False
    return not any(a <= cp <= b for a, b in _PLAUSIBLE) and cp < 0x20000


class PdfSource:
    """An open PDF document (PDFium). Use as a context manager; read pages one at a time."""

    def __init__(self, data: bytes):
        sniff(data)
        self._data = data
        self._fonts: CompositeFonts | None = None  # read when a glyph needs them
        try:
            self._doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            code = pdfium_c.FPDF_GetLastError()
            if code == pdfium_c.FPDF_ERR_PASSWORD:
                raise ParseError("encrypted", "the file is encrypted and needs a password to open") from exc
            if code == pdfium_c.FPDF_ERR_SECURITY:
                raise ParseError("encrypted", "the file uses an unsupported security handler") from exc
            raise ParseError("truncated", f"the file is damaged and cannot be opened ({exc})") from exc
        self.page_count = len(self._doc)
        if self.page_count == 0:
            self.close()
            raise ParseError("truncated", "the file holds no pages")

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        doc = getattr(self, "_doc", None)
        if doc is not None:
            doc.close()
            self._doc = None

    def _page(self, index: int) -> pdfium.PdfPage:
        """Page `index` (0-based); a page PDFium cannot load (a page tree that loops or lies about
        its /Count, a missing page object) makes the file damaged, not a parser failure."""
        try:
            return self._doc[index]
        except pdfium.PdfiumError as exc:
            raise ParseError(
                "truncated",
                f"page {index + 1} of {self.page_count} cannot be loaded: the file is damaged ({exc})",
            ) from exc

    def read_page(
        self, index: int, *, with_rules: bool = False, skip_fonts: frozenset[str] = frozenset()
    ) -> RawPage:
        """Characters (and optionally rules) of page `index` (0-based); the glyphs of `skip_fonts`
        (from `broken_fonts`) are counted as unmapped and kept as `UNMAPPED`, never read."""
        page = self._page(index)
        try:
            geometry = _Geometry.of(page)
            textpage = page.get_textpage()
            try:
                chars, indices, unmapped, text_angle, watermark = _read_chars(
                    textpage.raw, geometry, skip_fonts
                )
                by_font_map = 0
                if unmapped and any(c.text == UNMAPPED for c in chars):
                    chars, indices, by_font_map = self._through_font_maps(
                        textpage.raw, chars, indices, skip_fonts
                    )
                drawn = _drawing(page.raw, geometry)
                chars, hidden = _not_whited_out(drawn, textpage.raw, chars, indices)
            finally:
                textpage.close()
            pictures = _pictures(drawn.images, geometry, chars)
            rules = _read_rules(page.raw, geometry) if with_rules else None
        finally:
            page.close()
        raw = RawPage(
            index + 1,
            geometry.width,
            geometry.height,
            chars,
            unmapped,
            geometry.rotation,
            rules,
            watermark_chars=watermark,
            hidden_chars=hidden,
            pictures=pictures,
            by_font_map=by_font_map,
        )
        if text_angle:
            _turn_page(raw, text_angle)
        if raw.rules is not None:
            raw.rules = without_glyph_strokes(raw.rules, raw.chars)
        return raw

    def _through_font_maps(
        self, tp: object, chars: list[Char], indices: list[int], skip_fonts: frozenset[str]
    ) -> tuple[list[Char], list[int], int]:
        """`chars` (at text-page `indices`) with each glyph PDFium found no Unicode map for (it
        gives the glyph's code) read through its font's own program where
        `fontmap.CompositeFonts` knows the font: the character its `cmap` gives, or left out
        where it draws nothing (a space); and the count so read. The glyphs of a font with a broken
        map (`skip_fonts`: some of its glyphs read as wrong characters) stay unread, all of them,
        and so do those of a font any of whose glyphs on the page would so read as a character no
        budget prints (`is_garbled`)."""
        if self._fonts is None:
            self._fonts = CompositeFonts(self._data)
        if not self._fonts:
            return chars, indices, 0
        # font handle -> its BaseFont name, or None where its map is broken (`skip_fonts`)
        fonts: dict[int, str | None] = {}
        read: dict[int, tuple[str, str]] = {}  # position in chars -> (font, character; "" for none)
        for at, (c, k) in enumerate(zip(chars, indices, strict=True)):
            if c.text != UNMAPPED or not pdfium_c.FPDFText_HasUnicodeMapError(tp, k):
                continue
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(tp, k))
            handle = ctypes.cast(font, ctypes.c_void_p).value or 0
            if handle not in fonts:
                broken = bool(skip_fonts) and _font_info_name(tp, k) in skip_fonts
                fonts[handle] = None if broken or not handle else _base_font_name(font)
            name = fonts[handle]
            glyphs = self._fonts.glyphs(name) if name is not None else None
            if glyphs is None:
                continue
            glyph = pdfium_c.FPDFText_GetUnicode(tp, k)
            ch = "" if glyph in glyphs.blank else glyphs.characters.get(glyph)
            if ch is not None:
                read[at] = (name, ch.strip())
        spoiled = {name for name, ch in read.values() if ch and is_garbled(ch)}
        kept = {at: ch for at, (name, ch) in read.items() if name not in spoiled}
        out: list[Char] = []
        out_indices: list[int] = []
        space = False
        for at, (c, k) in enumerate(zip(chars, indices, strict=True)):
            ch = kept.get(at, c.text)
            if not ch:
                space = True  # a space: the next glyph is printed after one
                continue
            out.append(
                replace(c, text=ch, space_before=c.space_before or space) if at in kept or space else c
            )
            out_indices.append(k)
            space = False
        return out, out_indices, len(kept)

    def broken_fonts(self, indices: list[int]) -> dict[str, tuple[int, int]]:
        """The fonts of pages `indices` (0-based) whose Unicode map is broken: name → (glyphs read as
        characters no budget prints, all its glyphs on those pages)."""
        odd: Counter[str] = Counter()
        every: Counter[str] = Counter()
        for index in indices:
            page = self._page(index)
            try:
                textpage = page.get_textpage()
                try:
                    for _, font, ch in _glyph_fonts(textpage.raw):
                        every[font] += 1
                        if ch and is_garbled(ch):
                            odd[font] += 1
                finally:
                    textpage.close()
            finally:
                page.close()
        return {
            font: (n, every[font])
            for font, n in odd.items()
            if n >= _BROKEN_FONT_GLYPHS and n >= _BROKEN_FONT_SHARE * every[font]
        }

    def has_images(self, index: int) -> bool:
        """Does page `index` (0-based) draw any image (a scanned page)?"""
        page = self._page(index)
        try:
            n = pdfium_c.FPDFPage_CountObjects(page.raw)
            return any(
                pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i))
                == pdfium_c.FPDF_PAGEOBJ_IMAGE
                for i in range(n)
            )
        finally:
            page.close()

    def read_rules(self, raw: RawPage, chars: list[Char] | None = None) -> list[Rule]:
        """Rules of an already read page (loaded on demand; cached on the page), without the
        strokes of its glyphs (`chars`, else the page's own characters)."""
        if raw.rules is None:
            page = self._page(raw.number - 1)
            try:
                geometry = _Geometry.of(page)
                rules = _read_rules(page.raw, geometry)
            finally:
                page.close()
            turn = getattr(raw, "_turn", 0)
            if turn:
                rules = [_turn_rule(r, turn, geometry.width, geometry.height) for r in rules]
            raw.rules = without_glyph_strokes(rules, raw.chars if chars is None else chars)
        return raw.rules


@dataclass(slots=True)
class _Geometry:
    """Maps PDF user space of one page to display coordinates (top-left origin, /Rotate applied)."""

    x0: float
    y0: float
    x1: float
    y1: float
    rotation: int
    width: float
    height: float

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> _Geometry:
        left, bottom, right, top = page.get_cropbox()
        rotation = page.get_rotation() % 360
        w, h = right - left, top - bottom
        if rotation in (90, 270):
            w, h = h, w
        return cls(left, bottom, right, top, rotation, w, h)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A user-space box as (x0, top, x1, bottom) in display coordinates."""
        r = self.rotation
        if r == 0:
            return left - self.x0, self.y1 - top, right - self.x0, self.y1 - bottom
        if r == 90:
            return bottom - self.y0, left - self.x0, top - self.y0, right - self.x0
        if r == 180:
            return self.x1 - right, bottom - self.y0, self.x1 - left, top - self.y0
        return self.y1 - top, self.x1 - right, self.y1 - bottom, self.x1 - left

    def shows(self, x: float, y: float) -> bool:
        """Does the page's (crop) box show the display point (x, y)? What lies outside it is not
        printed: a producer that re-paginates by boxes leaves the rest of the drawing there."""
        return -_BOX_SLACK <= x <= self.width + _BOX_SLACK and -_BOX_SLACK <= y <= self.height + _BOX_SLACK

    def clipped(
        self, x0: float, top: float, x1: float, bottom: float
    ) -> tuple[float, float, float, float] | None:
        """A display box cut to the page's box; None where nothing of it is shown."""
        x0, top = max(x0, 0.0), max(top, 0.0)
        x1, bottom = min(x1, self.width), min(bottom, self.height)
        return (x0, top, x1, bottom) if x0 <= x1 and top <= bottom else None


# a glyph turned further than this from the page's axes is set at a slant (a watermark, a stamp)
_SLANT_DEGREES = 5.0


def _base_font_name(font: object) -> str:
    """A font's BaseFont name, as its dictionary prints it ('' where PDFium cannot tell)."""
    n = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    if n <= 0:
        return ""
    buf = ctypes.create_string_buffer(n)
    pdfium_c.FPDFFont_GetBaseFontName(font, buf, n)
    return buf.value.decode("utf-8", "replace")


def _glyph_fonts(tp: object) -> list[tuple[int, str, str]]:
    """(index, font name, character) of each inked glyph of a text page (a code point no character
    has, or a glyph without a Unicode map, comes as '': no character, so no wrong one)."""
    out = []
    for k in range(pdfium_c.FPDFText_CountChars(tp)):
        cp = pdfium_c.FPDFText_GetUnicode(tp, k)
        if cp in _SKIP_CODEPOINTS:
            continue
        unmapped = cp > 0x10FFFF or pdfium_c.FPDFText_HasUnicodeMapError(tp, k)
        out.append((k, _font_info_name(tp, k), "" if unmapped else chr(cp)))
    return out


def _font_info_name(tp: object, k: int) -> str:
    """The name PDFium gives the font of glyph `k` of a text page (`broken_fonts` names fonts so)."""
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(tp, k, buf, len(buf), ctypes.byref(flags))
    return buf.value.decode("utf-8", "replace")


def _read_chars(
    tp: object, geo: _Geometry, skip_fonts: frozenset[str] = frozenset()
) -> tuple[list[Char], list[int], int, int, int]:
    """All inked characters of a text page and their indices on it; the count of unmapped glyphs (those of `skip_fonts`
    too); the dominant text angle; the count of a watermark's glyphs (left out: set at a slant, or
    faint over the page).

    Glyph angles are asked of every fourth glyph; where one of those is set at a slant, the page is
    read again asking every glyph (a watermark's glyphs come together, one text run)."""
    read = _scan_chars(tp, geo, every_angle=False)
    if read[5]:
        read = _scan_chars(tp, geo, every_angle=True)
    chars, indices, unmapped, text_angle, watermark, _ = read
    if skip_fonts and chars:
        skipped = {k for k, font, _ in _glyph_fonts(tp) if font in skip_fonts}
        unread = [k in skipped and c.text != UNMAPPED for c, k in zip(chars, indices, strict=True)]
        unmapped += sum(unread)
        chars = [
            Char(UNMAPPED, c.x0, c.top, c.x1, c.bottom, c.space_before) if gone else c
            for c, gone in zip(chars, unread, strict=True)
        ]
    if chars:
        faint = _faint_over_text(tp, chars, indices)
        if faint:
            watermark += len(faint)
            chars = [c for k, c in enumerate(chars) if k not in faint]
            indices = [i for k, i in enumerate(indices) if k not in faint]
    return chars, indices, unmapped, text_angle, watermark


# A white-out: an opaque rectangle filled white (each of R, G, B at least _WHITE_OUT), at least
# _COVER_MIN points each way (no rule), drawn after glyphs it covers. A correction typed over a
# figure whited out leaves the old figure in the file; a reader sees only the new one
_WHITE_OUT = 240
_COVER_MIN = 3.0
_COVER_INSET = 0.5


def _not_whited_out(
    drawn: _Drawing, tp: object, chars: list[Char], indices: list[int]
) -> tuple[list[Char], int]:
    """The glyphs (`chars`, at text-page `indices`) that no white-out drawn after them covers, and
    the count of those it covers. A glyph's text object gives its place in the drawing order
    (`_drawing`)."""
    covers, text_order = drawn.covers, drawn.text_order
    if not covers or not chars:
        return chars, 0
    kept: list[Char] = []
    for c, i in zip(chars, indices, strict=True):
        obj = pdfium_c.FPDFText_GetTextObject(tp, i)
        z = text_order.get(ctypes.cast(obj, ctypes.c_void_p).value or 0)
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        if z is None or not any(
            cz > z and x0 <= cx <= x1 and top <= cy <= bottom for cz, x0, top, x1, bottom in covers
        ):
            kept.append(c)
    return kept, len(chars) - len(kept)


@dataclass
class _Drawing:
    """What one walk through a page's drawing finds: its white-outs drawn after some text, as
    (drawing order, display box inset a little), the drawing order of its text objects by handle
    (both empty where it has no white-out), and the display boxes of its images."""

    covers: list[tuple[int, float, float, float, float]]
    text_order: dict[int, int]
    images: list[tuple[float, float, float, float]]


def _drawing(page: object, geo: _Geometry) -> _Drawing:
    """Walk the page's drawing once (`_Drawing`). The drawing order runs through form XObjects (a
    whole page drawn as one, as imposition tools do, with a white-out inside it), `_FORM_DEPTH`
    levels down; glyphs deeper are kept."""
    covers: list[tuple[int, float, float, float, float]] = []
    text_order: dict[int, int] = {}
    images: list[tuple[float, float, float, float]] = []
    order = 0

    def walk(objects: list[object], matrix: tuple[float, ...], depth: int) -> None:
        nonlocal order
        for obj in objects:
            order += 1
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                text_order[ctypes.cast(obj, ctypes.c_void_p).value or 0] = order
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth > 0:
                inner = [
                    pdfium_c.FPDFFormObj_GetObject(obj, k)
                    for k in range(pdfium_c.FPDFFormObj_CountObjects(obj))
                ]
                walk(inner, _times(_matrix_of(obj), matrix), depth - 1)
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and text_order:
                box = _white_rectangle(obj, matrix)
                if box is not None:
                    x0, top, x1, bottom = geo.box(*box)
                    covers.append(
                        (
                            order,
                            x0 + _COVER_INSET,
                            top + _COVER_INSET,
                            x1 - _COVER_INSET,
                            bottom - _COVER_INSET,
                        )
                    )
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                shown = _image_box(obj, matrix, geo)
                if shown is not None:
                    images.append(shown)

    top_level = [pdfium_c.FPDFPage_GetObject(page, z) for z in range(pdfium_c.FPDFPage_CountObjects(page))]
    walk(top_level, _IDENTITY, _FORM_DEPTH)
    return _Drawing(covers, text_order, images) if covers else _Drawing([], {}, images)


def _image_box(
    obj: object, matrix: tuple[float, ...], geo: _Geometry
) -> tuple[float, float, float, float] | None:
    """The display box (x0, top, x1, bottom) of an image drawn under the forms' `matrix`, cut to the
    page's box; None where none of it is shown."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(
        obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    ):
        return None
    a, b, c, d, e, f = matrix
    corners = [(x, y) for x in (left.value, right.value) for y in (bottom.value, top.value)]
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    return geo.clipped(*geo.box(min(xs), min(ys), max(xs), max(ys)))


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _matrix_of(obj: object) -> tuple[float, ...]:
    """A page object's matrix (a, b, c, d, e, f): from its own space to its parent's."""
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _times(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying `inner`, then `outer` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    p, q, r, s, t, u = outer
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


# form XObjects nested deeper than this are not looked into (their glyphs are kept)
_FORM_DEPTH = 8


# A small picture where a line's text would stand: a figure pasted in as an image (a correction),
# or drawn as one by its producer. It prints what the text layer does not hold, so the cell or the
# sentence it stands in is never read as blank: it is given this character (`PICTURE`), which no
# reading takes for a figure. A picture counts so when it is at most _PICTURE_HEIGHT times the
# page's median glyph height, at least _PICTURE_ASPECT times as wide as it is tall (a run of
# digits, not an emblem, a seal or a QR code), at most _PICTURE_WIDTH of the page's width, and no
# glyph is printed over it (a picture behind text is a background)
PICTURE = "\ufffc"
# A glyph printed in a font without a Unicode map (pdfminer's (cid:NNN)), or whose font's map is
# broken: inked where a character stands, but which character cannot be told. Like a picture, it
# is kept as this character (`UNMAPPED`), so a figure printed in such a font leaves its cell
# printed but unread (null), never blank (nothing)
UNMAPPED = "\ufffd"
# the characters that stand for something printed but not read
UNREAD = PICTURE + UNMAPPED


def holds_unread(text: str) -> bool:
    """Does a text print something unread (`UNREAD`: a picture, a glyph without a Unicode map)?"""
    return PICTURE in text or UNMAPPED in text


_PICTURE_HEIGHT = 1.6
_PICTURE_ASPECT = 1.5
_PICTURE_WIDTH = 0.3


def _pictures(
    images: list[tuple[float, float, float, float]], geo: _Geometry, chars: list[Char]
) -> list[Char]:
    """The page's small pictures (its images' display boxes) standing where text would (see
    `PICTURE`), as characters."""
    if not chars or not images:
        return []
    heights = sorted(c.height for c in chars)
    glyph = heights[len(heights) // 2]
    found = [Char(PICTURE, *box) for box in images]
    return [
        p
        for p in found
        if 0 < p.height <= _PICTURE_HEIGHT * glyph
        and _PICTURE_ASPECT * p.height <= p.width <= _PICTURE_WIDTH * geo.width
        and not any(
            p.x0 <= (c.x0 + c.x1) / 2 <= p.x1 and p.top <= (c.top + c.bottom) / 2 <= p.bottom for c in chars
        )
    ]


def _white_rectangle(
    obj: object, outer: tuple[float, ...] = _IDENTITY
) -> tuple[float, float, float, float] | None:
    """(left, bottom, right, top) in page space of a path that is an upright rectangle filled opaque
    white, at least _COVER_MIN points each way; None for any other path. `outer`: the matrix of the
    forms it is drawn in, to page space."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)) or fill.value == 0:
        return None
    rgba = [ctypes.c_uint() for _ in range(4)]
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(v) for v in rgba)):
        return None
    if rgba[3].value < 255 or min(v.value for v in rgba[:3]) < _WHITE_OUT:
        return None
    segments = pdfium_c.FPDFPath_CountSegments(obj)
    if segments not in (4, 5):
        return None
    points = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(segments):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        if pdfium_c.FPDFPathSegment_GetType(seg) not in (
            pdfium_c.FPDF_SEGMENT_LINETO,
            pdfium_c.FPDF_SEGMENT_MOVETO,
        ):
            return None
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        points.append((x.value, y.value))
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if any(min(abs(px - min(xs)), abs(px - max(xs))) > 0.01 for px in xs) or any(
        min(abs(py - min(ys)), abs(py - max(ys))) > 0.01 for py in ys
    ):
        return None
    a, b, c, d, _, _ = _times(_matrix_of(obj), outer)
    if not (abs(b) < 1e-6 and abs(c) < 1e-6) and not (abs(a) < 1e-6 and abs(d) < 1e-6):
        return None  # turned at a slant: no upright rectangle
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return None
    p, q, r, s, t, u = outer
    corners = [
        (x * p + y * r + t, x * q + y * s + u)
        for x in (left.value, right.value)
        for y in (bottom.value, top.value)
    ]
    x0, x1 = min(x for x, _ in corners), max(x for x, _ in corners)
    y0, y1 = min(y for _, y in corners), max(y for _, y in corners)
    if x1 - x0 < _COVER_MIN or y1 - y0 < _COVER_MIN:
        return None
    return x0, y0, x1, y1


# a glyph whose centre lies this far outside the page's box is still printed (in part)
_BOX_SLACK = 1.0
_FIGURE_GLYPHS = frozenset("0123456789,.")
_FIGURE_CODEPOINTS = frozenset(map(ord, _FIGURE_GLYPHS))


def _runs_on(c: Char, x0: float, top: float, x1: float, bottom: float) -> bool:
    """Does the glyph box (x0, top, x1, bottom) follow glyph c in one run (set tight beside it, along
    a line either way)?"""
    size = max(c.x1 - c.x0, c.bottom - c.top, x1 - x0, bottom - top)
    across = min(c.bottom, bottom) - max(c.top, top) > 0 and -0.2 * size <= x0 - c.x1 <= 0.5 * size
    down = min(c.x1, x1) - max(c.x0, x0) > 0 and -0.2 * size <= top - c.bottom <= 0.5 * size
    return across or down


def _scan_chars(
    tp: object, geo: _Geometry, *, every_angle: bool
) -> tuple[list[Char], list[int], int, int, int, bool]:
    """The inked glyphs and their indices on the text page, the unmapped count, the text angle, the
    count of glyphs left out at a slant, and whether a sampled glyph was at a slant."""
    n = pdfium_c.FPDFText_CountChars(tp)
    rect = pdfium_c.FS_RECTF()
    get_unicode = pdfium_c.FPDFText_GetUnicode
    is_generated = pdfium_c.FPDFText_IsGenerated
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    box, shows = geo.box, geo.shows
    chars: list[Char] = []
    indices: list[int] = []
    unmapped = 0
    # which way the text runs on the displayed page, from consecutive glyphs: right / down / left / up
    votes = [0, 0, 0, 0]
    # which way up each glyph is shown: its own angle (clockwise, page space) plus /Rotate. It
    # decides where glyphs say it (PDFium lists upside-down glyphs left to right on the display,
    # and a producer may write a page's glyphs in any order, so their order cannot tell); the
    # order's votes decide only where no glyph gives its angle
    char_angle = pdfium_c.FPDFText_GetCharAngle
    shown_as = [0, 0, 0, 0]
    slanted = 0  # glyphs of a watermark or stamp set at a slant: no table's or text's glyphs
    space = False
    prev: tuple[float, float, float] | None = None
    for i in range(n):
        cp = get_unicode(tp, i)
        if cp in _SKIP_CODEPOINTS:
            # PDFium's generated characters are spaces and line ends only; on a page printing
            # glyphs without a Unicode map, one whose number is a space's or a line end's code is
            # read on, as unmapped
            if cp >= 0x3000 or not unmapped or is_generated(tp, i) or not map_error(tp, i):
                if cp in (0x20, 0xA0, 0x3000) and not is_generated(tp, i):
                    space = True
                elif cp in (0xA, 0xD):
                    space = False
                    prev = None
                continue
        # a glyph without a Unicode map comes back as its glyph number (a small code), flagged, or
        # as a private-use code: printed, but not readable (`UNMAPPED`); one with no ink is a space
        unread = (cp < 0x3000 and map_error(tp, i)) or 0xE000 <= cp <= 0xF8FF or cp > 0x10FFFF
        if unread:
            unmapped += 1
            if not _inked(tp, i):
                continue
        radians = char_angle(tp, i) if every_angle or len(chars) % 4 == 0 else -1.0
        if radians >= 0:
            degrees = math.degrees(radians) % 90
            if min(degrees, 90 - degrees) > _SLANT_DEGREES:
                slanted += 1
                continue
        if not loose_box(tp, i, rect):
            continue
        x0, top, x1, bottom = box(rect.left, rect.bottom, rect.right, rect.top)
        if x1 - x0 <= 0 or bottom - top <= 0:
            continue
        if not shows((x0 + x1) / 2, (top + bottom) / 2) and not (
            cp in _FIGURE_CODEPOINTS
            and chars
            and chars[-1].text in _FIGURE_GLYPHS
            and _runs_on(chars[-1], x0, top, x1, bottom)
        ):
            # outside the page's box: not printed, unless it goes on a figure printed inside it (a
            # figure the box's edge cuts is read whole, never as its visible digits)
            continue
        text = UNMAPPED if unread else chr(cp)
        cx, cy, size = (x0 + x1) / 2, (top + bottom) / 2, max(x1 - x0, bottom - top)
        if prev is not None and len(chars) % 4 == 0:
            dx, dy = cx - prev[0], cy - prev[1]
            if max(abs(dx), abs(dy)) <= 2.5 * max(size, prev[2]) and max(abs(dx), abs(dy)) > 0.2 * size:
                if abs(dx) >= abs(dy):
                    votes[0 if dx > 0 else 2] += 1
                else:
                    votes[1 if dy > 0 else 3] += 1
        if radians >= 0:
            shown_as[round((geo.rotation + math.degrees(radians)) / 90) % 4] += 1
        prev = (cx, cy, size)
        chars.append(Char(text, x0, top, x1, bottom, space))
        indices.append(i)
        space = False
    told = sum(shown_as)
    if told >= 2:
        most = max(range(4), key=shown_as.__getitem__)
        text_angle = (0, 90, 180, 270)[most] if shown_as[most] > 0.6 * told else 0
    else:
        best = max(range(4), key=votes.__getitem__)
        text_angle = (0, 90, 180, 270)[best] if votes[best] > 2 * votes[0] and votes[best] >= 3 else 0
    return chars, indices, unmapped, text_angle, slanted, slanted > 0 and not every_angle


# a watermark laid across the page: glyphs filled light grey (each of R, G, B at least
# _FAINT_LIGHT, not all of them _WHITE), or white or translucent (alpha below _FAINT_ALPHA) and
# _FAINT_SIZE times the page's dark text or lying over it. Budgets print in black; white header
# text on a dark cell is body-sized and overlaps nothing, so it stays
_FAINT_LIGHT = 150
_WHITE = 245
_FAINT_ALPHA = 200
_FAINT_SIZE = 1.8


def _inked(tp: object, i: int) -> bool:
    """Does glyph `i` of the text page draw anything (a tight box of some size)? A space glyph
    without a Unicode map draws nothing."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    if not pdfium_c.FPDFText_GetCharBox(tp, i, *(ctypes.byref(v) for v in (left, right, bottom, top))):
        return False
    return right.value > left.value and top.value > bottom.value


def _extent(c: Char) -> float:
    """A glyph's size: the longer side of its box (a glyph turned sideways is as tall as it is wide)."""
    return max(c.width, c.height)


def _faint_over_text(tp: object, glyphs: list[Char], indices: list[int]) -> set[int]:
    """Positions (in `glyphs`) of a watermark's glyphs: light grey, or white or translucent and
    large or lying over dark text. Fills are asked of every eighth glyph and of the large ones;
    of every glyph only where one of those is faint."""
    sizes = sorted(_extent(c) for c in glyphs[::8])
    large = _FAINT_SIZE * sizes[len(sizes) // 2]
    rgba = [ctypes.c_uint() for _ in range(4)]
    r_ref, g_ref, b_ref, a_ref = (ctypes.byref(v) for v in rgba)
    fill = pdfium_c.FPDFText_GetFillColor

    def faintness(k: int) -> int:
        """0 dark, 1 white or translucent, 2 light grey."""
        if not fill(tp, indices[k], r_ref, g_ref, b_ref, a_ref):
            return 0
        r, g, b, a = (v.value for v in rgba)
        if not (min(r, g, b) >= _FAINT_LIGHT or a < _FAINT_ALPHA):
            return 0
        return 2 if a >= _FAINT_ALPHA and max(r, g, b) < _WHITE else 1

    sample = [k for k, c in enumerate(glyphs) if k % 8 == 0 or _extent(c) >= large]
    if not any(faintness(k) for k in sample):
        return set()
    kinds = [faintness(k) for k in range(len(glyphs))]
    dark = [c for c, f in zip(glyphs, kinds, strict=True) if not f]
    if not dark:
        return set()
    dark_sizes = sorted(_extent(c) for c in dark)
    large = _FAINT_SIZE * dark_sizes[len(dark_sizes) // 2]
    cell = max(dark_sizes[-1], 1.0)
    grid: dict[tuple[int, int], list[Char]] = {}
    for c in dark:
        grid.setdefault((int(c.x0 // cell), int(c.top // cell)), []).append(c)
    return {
        k
        for k, (c, f) in enumerate(zip(glyphs, kinds, strict=True))
        if f == 2 or f == 1 and (_extent(c) >= large or _lies_over(c, grid, cell))
    }


def _lies_over(c: Char, grid: dict[tuple[int, int], list[Char]], cell: float) -> bool:
    """Does glyph `c` cover a quarter or more of a dark glyph's box (or the dark glyph a quarter of it)?"""
    area = c.width * c.height
    for gx in range(int(c.x0 // cell) - 1, int(c.x1 // cell) + 1):
        for gy in range(int(c.top // cell) - 1, int(c.bottom // cell) + 1):
            for d in grid.get((gx, gy), ()):
                w = min(c.x1, d.x1) - max(c.x0, d.x0)
                h = min(c.bottom, d.bottom) - max(c.top, d.top)
                if w > 0 and h > 0 and w * h >= 0.25 * min(area, d.width * d.height):
                    return True
    return False


def _turn_page(raw: RawPage, angle: int) -> None:
    """Rotate a page whose text runs sideways (drawn rotated) so that it reads left to right."""
    w, h = raw.width, raw.height
    raw.chars = [_turn_char(c, angle, w, h) for c in raw.chars]
    raw.pictures = [_turn_char(c, angle, w, h) for c in raw.pictures]
    if raw.rules:
        raw.rules = [_turn_rule(r, angle, w, h) for r in raw.rules]
    if angle in (90, 270):
        raw.width, raw.height = h, w
    raw.rotation = (raw.rotation + angle) % 360
    raw._turn = angle  # type: ignore[attr-defined]


def _turn_xy(x0: float, top: float, x1: float, bottom: float, angle: int, w: float, h: float) -> tuple:
    # 90: text runs down the page; 180: right to left, upside down; 270: up the page.
    if angle == 90:
        return top, w - x1, bottom, w - x0
    if angle == 180:
        return w - x1, h - bottom, w - x0, h - top
    return h - bottom, x0, h - top, x1


def _turn_char(c: Char, angle: int, w: float, h: float) -> Char:
    x0, top, x1, bottom = _turn_xy(c.x0, c.top, c.x1, c.bottom, angle, w, h)
    return Char(c.text, x0, top, x1, bottom, c.space_before)


def without_glyph_strokes(rules: list[Rule], chars: list[Char]) -> list[Rule]:
    """The rules that are not strokes of a glyph: a page whose text is also drawn as outlines (a
    PDF re-written by another producer, fonts it could not embed) prints each glyph's straight
    strokes as short lines, each inside that glyph's box. A table rule is never inside one glyph."""
    if not rules or not chars:
        return rules
    widest = max(c.x1 - c.x0 for c in chars) + 1.0
    tallest = max(c.bottom - c.top for c in chars) + 1.0
    short = [r for r in rules if r.x1 - r.x0 <= widest and r.bottom - r.top <= tallest]
    if not short:
        return rules  # every rule longer than any glyph: no stroke among them
    rows: dict[int, list[Char]] = {}
    for c in chars:
        for k in range(int(c.top // 10), int(c.bottom // 10) + 1):
            rows.setdefault(k, []).append(c)

    def inside(r: Rule) -> bool:
        return any(
            c.x0 - 0.5 <= r.x0 and r.x1 <= c.x1 + 0.5 and c.top - 0.5 <= r.top and r.bottom <= c.bottom + 0.5
            for c in rows.get(int(r.top // 10), ())
        )

    strokes = {id(r) for r in short if inside(r)}
    return [r for r in rules if id(r) not in strokes]


def _turn_rule(r: Rule, angle: int, w: float, h: float) -> Rule:
    return Rule(*_turn_xy(r.x0, r.top, r.x1, r.bottom, angle, w, h))


def _read_rules(page: object, geo: _Geometry) -> list[Rule]:
    """Horizontal and vertical rules drawn on the page (lines, thin rectangles, box edges)."""
    rules: list[Rule] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    matrix = pdfium_c.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()
    n = pdfium_c.FPDFPage_CountObjects(page)
    for i in range(n):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke) and not fill_mode.value and not stroke.value:
            continue
        nseg = pdfium_c.FPDFPath_CountSegments(obj)
        if nseg > _SIMPLE_PATH_SEGMENTS and pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
            _walk_path(obj, nseg, matrix, px, py, geo, rules)
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        # a filled rectangle is a cell background, not a border: only its thin forms are rules
        outline = bool(stroke.value) and not fill_mode.value
        _add_box(rules, geo, left.value, bottom.value, right.value, top.value, outline)
    return rules


def _add_box(
    rules: list[Rule], geo: _Geometry, left: float, bottom: float, right: float, top: float, outline: bool
) -> None:
    shown = geo.clipped(*geo.box(left, bottom, right, top))
    if shown is None:
        return
    x0, t, x1, b = shown
    w, h = x1 - x0, b - t
    if w < _RULE_THICKNESS and h < _RULE_THICKNESS:
        return
    if w < _RULE_THICKNESS or h < _RULE_THICKNESS:
        rules.append(Rule(x0, t, x1, b))
        return
    if outline:
        rules.extend((Rule(x0, t, x1, t), Rule(x0, b, x1, b), Rule(x0, t, x0, b), Rule(x1, t, x1, b)))


def _walk_path(
    obj: object, nseg: int, m: object, px: object, py: object, geo: _Geometry, rules: list[Rule]
) -> None:
    """Axis-aligned straight pieces of a many-segment path (a whole grid drawn as one path)."""
    prev: tuple[float, float] | None = None
    start: tuple[float, float] | None = None
    for k in range(nseg):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, px, py):
            continue
        x = m.a * px.value + m.c * py.value + m.e
        y = m.b * px.value + m.d * py.value + m.f
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or prev is None:
            prev = start = (x, y)
            continue
        _add_piece(rules, geo, prev, (x, y))
        prev = (x, y)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_piece(rules, geo, prev, start)
            prev = start


def _add_piece(rules: list[Rule], geo: _Geometry, a: tuple[float, float], b: tuple[float, float]) -> None:
    if abs(a[0] - b[0]) < 0.5 or abs(a[1] - b[1]) < 0.5:
        shown = geo.clipped(*geo.box(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])))
        if shown is None:
            return
        x0, t, x1, bt = shown
        if max(x1 - x0, bt - t) >= _RULE_THICKNESS:
            rules.append(Rule(x0, t, x1, bt))
