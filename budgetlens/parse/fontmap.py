"""Glyphs without a Unicode map, read through their embedded font's own program.

A composite font (Type0) written with Identity-H codes and no ToUnicode map prints glyph numbers:
a reader of its text gets (cid:NNN). Where its descendant is a TrueType font (CIDFontType2)
embedded whole or as a subset (FontFile2) and its CIDs are its glyph numbers (CIDToGIDMap
/Identity, or none), the font program's own `cmap` table says which character each glyph draws:
the producer chose the glyph through that table, so reading it backwards gives the character back
(as PDF viewers do). A glyph that table gives no character, or more than one that are not the same
character (`unicodedata` NFKC: 一 and its Kangxi radical ⼀ are one), stays unread. A glyph whose
outline is empty draws nothing (a space numbered as a glyph): it is no character.

Pure code: the document's bytes in (`CompositeFonts`), what each font's program says of its glyphs
out (`FontGlyphs`).
"""

from __future__ import annotations

import io
import struct
import unicodedata
from dataclasses import dataclass, field

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral

# the cmap subtables whose codes are Unicode: (platform, encoding) Windows BMP / full, Unicode
_UNICODE_SUBTABLES = {(3, 1), (3, 10), (0, 3), (0, 4), (0, 6)}
# no budget's font maps more characters than this (a corrupt or hostile table is left alone)
_MAX_MAPPED = 70_000


@dataclass(frozen=True)
class FontGlyphs:
    """What an embedded TrueType program says of its glyphs: the one character each draws (from
    its `cmap`), and the glyphs that draw nothing (an empty outline: a space)."""

    characters: dict[int, str] = field(default_factory=dict)
    blank: frozenset[int] = frozenset()


def font_glyphs(font_program: bytes) -> FontGlyphs:
    """The characters a TrueType font's Unicode `cmap` subtables map to its glyphs (formats 4 and
    12; a glyph mapped from characters that are not one (NFKC) is left out, one mapped from spaces
    or control codes is a space) and its blank glyphs (`loca`: no outline). Nothing where the
    program cannot be read."""
    try:
        tables = _tables(font_program)
        return FontGlyphs(_reversed(_cmap_pairs(font_program, tables)), _blank(font_program, tables))
    except (struct.error, IndexError, ValueError):
        return FontGlyphs()


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    """The program's tables: tag -> (offset, length); none for what is no single TrueType or
    OpenType program (a collection, a Type 1 font)."""
    if data[:4] not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
        return {}
    count = struct.unpack_from(">H", data, 4)[0]
    return {
        data[12 + 16 * i : 16 + 16 * i]: struct.unpack_from(">II", data, 20 + 16 * i) for i in range(count)
    }


def _blank(data: bytes, tables: dict[bytes, tuple[int, int]]) -> frozenset[int]:
    """Glyphs without an outline: their `loca` entry and the next one are equal."""
    if not all(t in tables for t in (b"head", b"maxp", b"loca")):
        return frozenset()
    glyphs = struct.unpack_from(">H", data, tables[b"maxp"][0] + 4)[0]
    long_offsets = struct.unpack_from(">h", data, tables[b"head"][0] + 50)[0] == 1
    offsets = struct.unpack_from(f">{glyphs + 1}{'I' if long_offsets else 'H'}", data, tables[b"loca"][0])
    return frozenset(g for g in range(glyphs) if offsets[g] == offsets[g + 1])


def _cmap_pairs(data: bytes, tables: dict[bytes, tuple[int, int]]) -> list[tuple[int, int]]:
    """(code point, glyph number) of every Unicode cmap subtable of the font program."""
    if b"cmap" not in tables:
        return []
    start, length = tables[b"cmap"]
    cmap = data[start : start + length]
    pairs: list[tuple[int, int]] = []
    for i in range(struct.unpack_from(">H", cmap, 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        if (platform, encoding) not in _UNICODE_SUBTABLES:
            continue
        kind = struct.unpack_from(">H", cmap, offset)[0]
        if kind == 4:
            pairs += _format4(cmap, offset)
        elif kind == 12:
            pairs += _format12(cmap, offset)
        if len(pairs) > _MAX_MAPPED:
            raise ValueError("cmap too large")
    return pairs


def _format4(cmap: bytes, at: int) -> list[tuple[int, int]]:
    segments = struct.unpack_from(">H", cmap, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", cmap, at + 14)
    starts = struct.unpack_from(f">{segments}H", cmap, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", cmap, at + 16 + 4 * segments)
    ranges_at = at + 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", cmap, ranges_at)
    pairs = []
    visited = 0  # codes looked at: a hostile table's segments may overlap, each mapping nothing
    for k in range(segments):
        visited += max(0, min(ends[k], 0xFFFE) + 1 - starts[k])
        if visited > _MAX_MAPPED:
            raise ValueError("cmap too large")
        for code in range(starts[k], min(ends[k], 0xFFFE) + 1):
            if ranges[k] == 0:
                glyph = (code + deltas[k]) & 0xFFFF
            else:
                glyph = struct.unpack_from(
                    ">H", cmap, ranges_at + 2 * k + ranges[k] + 2 * (code - starts[k])
                )[0]
                glyph = (glyph + deltas[k]) & 0xFFFF if glyph else 0
            if glyph:
                pairs.append((code, glyph))
    return pairs


def _format12(cmap: bytes, at: int) -> list[tuple[int, int]]:
    pairs = []
    for k in range(struct.unpack_from(">I", cmap, at + 12)[0]):
        first, last, glyph = struct.unpack_from(">III", cmap, at + 16 + 12 * k)
        if last < first or last - first > _MAX_MAPPED:
            raise ValueError("cmap group out of range")
        pairs += [(code, glyph + code - first) for code in range(first, min(last, 0x10FFFF) + 1)]
        if len(pairs) > _MAX_MAPPED:
            raise ValueError("cmap too large")
    return pairs


def _reversed(pairs: list[tuple[int, int]]) -> dict[int, str]:
    found: dict[int, set[str]] = {}
    for code, glyph in pairs:
        if 0xD800 <= code <= 0xDFFF or 0xE000 <= code <= 0xF8FF:
            continue  # surrogates and private use name no character
        ch = chr(code)
        if not (0x21 <= code <= 0x7E or 0x4E00 <= code <= 0x9FFF):  # those are their own NFKC
            ch = unicodedata.normalize("NFKC", ch)
        if ch.isspace() or unicodedata.category(ch[0]) in ("Cc", "Cf"):
            ch = " "
        found.setdefault(glyph, set()).add(ch)
    return {
        glyph: next(iter(chars)) for glyph, chars in found.items() if len(chars) == 1 and len(min(chars)) == 1
    }


class CompositeFonts:
    """A document's composite fonts whose codes are glyph numbers of an embedded TrueType program
    (see the module's docstring), by BaseFont name. What a program says of its glyphs
    (`font_glyphs`) is read the first time that font is asked for: a document may embed dozens of
    whole Chinese fonts, and only those printing glyphs without a map are read. Two fonts of one
    name with different programs are both left out (which glyph is whose cannot be told). A file
    pdfminer cannot read has none."""

    def __init__(self, data: bytes):
        self._programs = _identity_programs(data)  # undecoded until asked for
        self._glyphs: dict[str, FontGlyphs] = {}

    def __bool__(self) -> bool:
        return bool(self._programs)

    def glyphs(self, name: str) -> FontGlyphs | None:
        """What the program of font `name` says of its glyphs; None for no such font."""
        program = self._programs.get(name)
        if program is None:
            return None
        if name not in self._glyphs:
            try:
                self._glyphs[name] = font_glyphs(program.get_data())
            except Exception:  # noqa: BLE001 - a stream pdfminer cannot decode: the font stays unread
                self._glyphs[name] = FontGlyphs()
        return self._glyphs[name]


def _identity_programs(data: bytes) -> dict[str, PDFStream]:
    """BaseFont name -> the stream of the embedded TrueType program of each such composite font of
    the document (two streams of one name that hold other bytes: neither)."""
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        programs: dict[str, PDFStream] = {}
        spoiled: set[str] = set()
        seen: set[int] = set()
        for xref in document.xrefs:
            for objid in xref.get_objids():
                if objid in seen:
                    continue
                seen.add(objid)
                found = _identity_font(document, objid)
                if found is None:
                    continue
                name, program = found
                known = programs.setdefault(name, program)
                if known is not program and known.get_rawdata() != program.get_rawdata():
                    spoiled.add(name)
        return {name: program for name, program in programs.items() if name not in spoiled}
    except Exception:  # noqa: BLE001 - a file pdfminer cannot read: its glyphs stay unread
        return {}


def _identity_font(document: PDFDocument, objid: int) -> tuple[str, PDFStream] | None:
    """(BaseFont, the stream of its embedded program) of object `objid` when it is such a composite font."""
    try:
        font = document.getobj(objid)
    except Exception:  # noqa: BLE001 - a damaged object is no font
        return None
    if not isinstance(font, dict) or _name(font.get("Subtype")) != "Type0":
        return None
    if _name(font.get("Encoding")) not in ("Identity-H", "Identity-V"):
        return None
    descendants = resolve1(font.get("DescendantFonts"))
    if not isinstance(descendants, list) or len(descendants) != 1:
        return None
    cid_font = resolve1(descendants[0])
    if not isinstance(cid_font, dict) or _name(cid_font.get("Subtype")) != "CIDFontType2":
        return None
    if cid_font.get("CIDToGIDMap") is not None and _name(cid_font.get("CIDToGIDMap")) != "Identity":
        return None  # a map stream: CIDs are not glyph numbers
    descriptor = resolve1(cid_font.get("FontDescriptor"))
    program = resolve1(descriptor.get("FontFile2")) if isinstance(descriptor, dict) else None
    name = _name(font.get("BaseFont"))
    if not isinstance(program, PDFStream) or not name:
        return None
    return name, program


def _name(value: object) -> str | None:
    value = resolve1(value) if isinstance(value, PDFObjRef) else value
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return None
