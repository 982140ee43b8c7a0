"""Glyphs without a Unicode map read through their embedded font's own program (`fontmap`)."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetlens.parse.fontmap import CompositeFonts, _reversed, font_glyphs


def test_a_glyph_reads_as_the_one_character_its_font_maps_to_it() -> None:
    pairs = [
        (0x4E00, 5),  # 一
        (0x2F00, 5),  # its Kangxi radical ⼀: the same character (NFKC)
        (0x0031, 6),  # 1
        (0xFF11, 6),  # full-width １: the same
        (0x0041, 7),  # two characters on one glyph: which one was printed cannot be told
        (0x0042, 7),
        (0x0020, 8),  # a space and a no-break space: a space
        (0x00A0, 8),
        (0xE001, 9),  # private use: no character
        (0x33A1, 10),  # ㎡ is two characters under NFKC: none
    ]
    assert _reversed(pairs) == {5: "一", 6: "1", 8: " "}


def _font(tables: dict[bytes, bytes]) -> bytes:
    """A TrueType program of these tables (offsets only: no checksums)."""
    head = struct.pack(">IHHHH", 0x00010000, len(tables), 0, 0, 0)
    offset = 12 + 16 * len(tables)
    directory, body = b"", b""
    for tag, data in sorted(tables.items()):
        directory += tag + struct.pack(">III", 0, offset + len(body), len(data))
        body += data
    return head + directory + body


def _cmap4(pairs: dict[int, int]) -> bytes:
    """A format-4 cmap subtable (Windows, Unicode BMP) mapping each code to its glyph, one segment each."""
    codes = sorted(pairs) + [0xFFFF]
    n = len(codes)
    ends = struct.pack(f">{n}H", *codes)
    starts = struct.pack(f">{n}H", *codes)
    deltas = struct.pack(f">{n}h", *[((pairs.get(c, 1) - c + 0x8000) % 0x10000) - 0x8000 for c in codes])
    ranges = struct.pack(f">{n}H", *[0] * n)
    sub = struct.pack(">HHHHHHH", 4, 0, 0, 2 * n, 0, 0, 0) + ends + b"\0\0" + starts + deltas + ranges
    sub = sub[:2] + struct.pack(">H", len(sub)) + sub[4:]
    return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub


def _blank_glyphs(offsets: list[int]) -> dict[bytes, bytes]:
    head = bytearray(54)
    head[50:52] = struct.pack(">h", 0)  # short loca offsets (half the byte offset)
    maxp = struct.pack(">IH", 0x00005000, len(offsets) - 1)
    return {b"head": bytes(head), b"maxp": maxp, b"loca": struct.pack(f">{len(offsets)}H", *offsets)}


def test_a_font_program_gives_its_characters_and_its_blank_glyphs() -> None:
    program = _font({b"cmap": _cmap4({0x31: 20, 0x32: 21, 0x20: 3}), **_blank_glyphs([0, 0, 0, 0, 10, 20])})
    glyphs = font_glyphs(program)
    assert glyphs.characters == {20: "1", 21: "2", 3: " "}
    assert glyphs.blank == frozenset({0, 1, 2})  # loca: glyphs 0-2 end where they start; 3 and 4 do not


@pytest.mark.parametrize(
    "program",
    [b"", b"ttcf" + bytes(60), b"\x00\x01\x00\x00\xff\xff" + bytes(6), b"%!PS-AdobeFont-1.0"],
    ids=["empty", "a collection", "a table directory running off the end", "a Type 1 font"],
)
def test_a_font_program_that_cannot_be_read_gives_nothing(program: bytes) -> None:
    glyphs = font_glyphs(program)
    assert glyphs.characters == {} and glyphs.blank == frozenset()


def test_a_file_pdfminer_cannot_read_gives_no_map() -> None:
    assert not CompositeFonts(b"%PDF-1.7\nnot a PDF at all")


@pytest.mark.realpdf
def test_every_glyph_read_through_its_font_reads_as_its_unicode_map_said(real_pdfs_dir: Path) -> None:
    """Shenzhen 民政局's figures in a font whose Unicode map is taken out (`without_unicode_maps`):
    each glyph read through the font's own program reads as the map said, on every page."""
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf (qpdf) is not installed: the fonts' maps cannot be taken out")
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from budgetlens.parse.pdfdoc import _base_font_name
    from corpus.stress import without_unicode_maps

    data = (real_pdfs_dir / "shenzhen-civil-affairs-2026-budget.pdf").read_bytes()
    stressed = without_unicode_maps(data)
    fonts = CompositeFonts(stressed)
    before, after = pdfium.PdfDocument(data), pdfium.PdfDocument(stressed)
    read = 0
    try:
        for index in range(len(before)):
            old, new = before[index].get_textpage(), after[index].get_textpage()
            if new.count_chars() != old.count_chars():
                continue  # PDFium's generated spaces differ: glyph k is not glyph k
            for k in range(new.count_chars()):
                if not pdfium_c.FPDFText_HasUnicodeMapError(new.raw, k):
                    continue
                font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(new.raw, k))
                glyphs = fonts.glyphs(_base_font_name(font))
                assert glyphs is not None
                glyph = pdfium_c.FPDFText_GetUnicode(new.raw, k)
                said = chr(pdfium_c.FPDFText_GetUnicode(old.raw, k))
                got = " " if glyph in glyphs.blank else glyphs.characters[glyph]
                assert got == said or (got == " " and said.isspace()), (index, k, got, said)
                read += 1
    finally:
        before.close()
        after.close()
    assert read > 5000


@pytest.mark.realpdf
def test_two_fonts_of_one_name_with_other_programs_are_neither_read(
    real_pdfs_dir: Path, tmp_path: Path
) -> None:
    """Which glyph a name's glyphs are cannot be told where two programs share the name: Shenzhen
    民政局's figure font and a Chinese font given one name (qpdf, the file written object by object)."""
    qpdf, fix = shutil.which("qpdf"), shutil.which("fix-qdf")
    if qpdf is None or fix is None:
        pytest.skip("qpdf (qpdf) is not installed: the fonts cannot be renamed")
    import subprocess

    from corpus.stress import without_unicode_maps

    stressed = without_unicode_maps((real_pdfs_dir / "shenzhen-civil-affairs-2026-budget.pdf").read_bytes())
    assert CompositeFonts(stressed).glyphs("SWUUQG+FangSong") is not None
    src, qdf = tmp_path / "in.pdf", tmp_path / "in.qdf"
    src.write_bytes(stressed)
    subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(src), str(qdf)], check=False, timeout=300)
    renamed = qdf.read_bytes().replace(b"/SWBSDS+SimHei", b"/SWUUQG+FangSong")
    qdf.write_bytes(renamed)
    fixed = subprocess.run([fix, str(qdf)], check=True, timeout=300, capture_output=True).stdout
    fonts = CompositeFonts(fixed)
    assert fonts.glyphs("SWUUQG+FangSong") is None
    assert fonts.glyphs("SWBIWC+FangSong") is not None  # the others still read


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(
    head=st.sampled_from([b"\x00\x01\x00\x00", b"true", b"OTTO", b"ttcf"]),
    tables=st.lists(
        st.tuples(st.sampled_from([b"cmap", b"head", b"maxp", b"loca", b"glyf"]), st.binary(max_size=200)),
        max_size=5,
    ),
    tail=st.binary(max_size=64),
)
def test_a_damaged_or_hostile_font_program_gives_at_most_what_it_says(
    head: bytes, tables: list[tuple[bytes, bytes]], tail: bytes
) -> None:
    """Any bytes behind a TrueType header read to a `FontGlyphs` (maybe empty), never an error."""
    program = _font(dict(tables)) if tables else head + tail
    program = head + program[4:]
    glyphs = font_glyphs(program)
    assert all(isinstance(g, int) and len(ch) == 1 for g, ch in glyphs.characters.items())


def test_a_cmap_of_overlapping_segments_that_map_nothing_is_refused_at_once() -> None:
    """32,767 segments each spanning every code, each reading its glyphs from an array of zeros
    (no glyph): a table that would take two billion steps to read backwards is no table."""
    segments = 32_767
    sub = struct.pack(">HHHHHHH", 4, 0, 0, 2 * segments, 0, 0, 0)
    sub += struct.pack(f">{segments}H", *[0xFFFE] * segments) + b"\0\0"
    sub += struct.pack(f">{segments}H", *[0] * segments)  # starts
    sub += struct.pack(f">{segments}h", *[0] * segments)  # deltas
    sub += struct.pack(f">{segments}H", *[2 * (segments - k) for k in range(segments)])  # to the array
    sub += bytes(2 * 0xFFFF)  # the glyph array: every glyph 0
    cmap = struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub
    assert font_glyphs(_font({b"cmap": cmap})).characters == {}
