"""Hostile PDFs built at test time (nothing large is committed): bombs, loops, deep nesting, a
page tree that lies, active content, fonts without Unicode maps, and absurd numbers.

Each builder returns the file's bytes. `CRAFTED` names them all for the parametrized tests.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

from tests.reliability.crafted.pdfraw import PdfObjects, flate, literal, stream, text_page_pdf

GIB = 1 << 30
# What a budget page says, for files that would be read if their text could be mapped.
BUDGET_LINES = ["2022 Shenzhen Luohu budget", "Income total 2,579.00", "Expense total 2,579.00"]


def deflate_repeated(unit: bytes, times: int) -> bytes:
    """A zlib stream of `unit * times` made in milliseconds: after a full flush deflate's state is
    reset, so every further copy of `unit` compresses to the same bytes and is simply repeated."""
    c = zlib.compressobj(9)
    first = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.flush()[:-4]  # the final empty block; the checksum is for the real length, below
    adler = 1
    for _ in range(times):
        adler = zlib.adler32(unit, adler)
    return first + again * (times - 1) + end + adler.to_bytes(4, "big")


def _one_page(content: bytes, *, stream_dict: bytes = b"", resources: bytes | None = None) -> bytes:
    objs = PdfObjects()
    catalog, pages = objs.reserve(), objs.reserve()
    font = objs.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    contents = objs.add(stream(stream_dict, content))
    res = resources if resources is not None else f"<< /Font << /F1 {font} 0 R >> >>".encode()
    page = objs.add(
        f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R /Resources ".encode()
        + res
        + b" >>"
    )
    objs.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>".encode())
    objs.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>".encode())
    return objs.serialize(catalog)


# --- decompression bombs ---------------------------------------------------------------------


def bomb_content_stream(gib: int = 2) -> bytes:
    """A page content stream of a few KB that inflates to `gib` GiB of spaces (two Flate layers)."""
    inner = deflate_repeated(b" " * (4 << 20), gib * GIB // (4 << 20))
    return _one_page(flate(inner), stream_dict=b"/Filter [/FlateDecode /FlateDecode]")


def bomb_text_operators(mib: int = 256) -> bytes:
    """A content stream inflating to `mib` MiB of text-showing operators (millions of glyphs)."""
    unit = b"BT /F1 9 Tf 10 10 Td (2,579.00 1,234.00) Tj ET\n" * 20000
    inner = deflate_repeated(unit, max(1, (mib << 20) // len(unit)))
    return _one_page(inner, stream_dict=b"/Filter /FlateDecode")


def bomb_image() -> bytes:
    """An image XObject declaring 60000 x 60000 RGB pixels (10 GB raw), drawn on a page without text."""
    objs = PdfObjects()
    catalog, pages = objs.reserve(), objs.reserve()
    inner = deflate_repeated(b"\x00" * (4 << 20), 256)  # 1 GiB of pixels actually present
    img = objs.add(
        stream(
            b"/Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter [/FlateDecode /FlateDecode]",
            flate(inner),
        )
    )
    contents = objs.add(stream(b"", b"q 595 0 0 842 0 0 cm /Im1 Do Q"))
    page = objs.add(
        f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R "
        f"/Resources << /XObject << /Im1 {img} 0 R >> >> >>".encode()
    )
    objs.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>".encode())
    objs.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>".encode())
    return objs.serialize(catalog)


# --- circular references ---------------------------------------------------------------------


def loop_pages_tree() -> bytes:
    """/Pages whose /Kids holds itself and a /Pages that points back at its parent."""
    objs = PdfObjects()
    catalog, pages, inner = objs.reserve(), objs.reserve(), objs.reserve()
    objs.set(pages, f"<< /Type /Pages /Kids [{pages} 0 R {inner} 0 R] /Count 2 >>".encode())
    objs.set(
        inner, f"<< /Type /Pages /Parent {pages} 0 R /Kids [{pages} 0 R {inner} 0 R] /Count 2 >>".encode()
    )
    objs.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>".encode())
    return objs.serialize(catalog)


def loop_self_reference() -> bytes:
    """Objects that are references to themselves or to each other (a /Length and /Resources chain)."""
    objs = PdfObjects()
    catalog, pages = objs.reserve(), objs.reserve()
    a, b = objs.reserve(), objs.reserve()
    objs.set(a, f"{b} 0 R".encode())
    objs.set(b, f"{a} 0 R".encode())
    self_ref = objs.reserve()
    objs.set(self_ref, f"{self_ref} 0 R".encode())
    content = b"BT /F1 12 Tf 50 700 Td (Income total 2,579.00) Tj ET"
    contents = objs.add(
        b"<< /Length " + f"{self_ref} 0 R".encode() + b" >>\nstream\n" + content + b"\nendstream"
    )
    page = objs.add(
        f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R "
        f"/Resources {a} 0 R >>".encode()
    )
    objs.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>".encode())
    objs.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>".encode())
    return objs.serialize(catalog)


def loop_form_xobject() -> bytes:
    """A form XObject that draws itself (infinite recursion for a naive content interpreter)."""
    objs = PdfObjects()
    catalog, pages, form, res = objs.reserve(), objs.reserve(), objs.reserve(), objs.reserve()
    font = objs.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objs.set(res, f"<< /Font << /F1 {font} 0 R >> /XObject << /Fm {form} 0 R >> >>".encode())
    objs.set(
        form,
        stream(
            f"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources {res} 0 R".encode(),
            b"BT /F1 10 Tf 20 20 Td (2,579.00) Tj ET 0.9 0 0 0.9 5 5 cm /Fm Do",
        ),
    )
    contents = objs.add(stream(b"", b"/Fm Do"))
    page = objs.add(
        f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R "
        f"/Resources {res} 0 R >>".encode()
    )
    objs.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>".encode())
    objs.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>".encode())
    return objs.serialize(catalog)


# --- deep nesting ------------------------------------------------------------------------------


def deep_arrays_in_content(depth: int = 200_000) -> bytes:
    """A content stream holding an array nested `depth` levels deep, then real text."""
    content = b"[" * depth + b"]" * depth + b" pop BT /F1 12 Tf 50 700 Td (Income total 2,579.00) Tj ET"
    return _one_page(content)


def deep_dictionaries_in_objects(depth: int = 100_000) -> bytes:
    """A page dictionary whose value is a dictionary/array nested `depth` levels deep."""
    nested = b"<< /A [ " * depth + b"null" + b" ] >>" * depth
    return text_page_pdf(BUDGET_LINES, extra_page=b"/Nested " + nested + b" ")


# --- a page tree that lies ------------------------------------------------------------------


def pages_claimed(count: int = 50_000) -> bytes:
    """A /Pages tree claiming `count` pages that holds one."""
    data = text_page_pdf(BUDGET_LINES)
    return data.replace(b"/Count 1 ", f"/Count {count} ".encode(), 1)


def pages_real(count: int = 50_000) -> bytes:
    """`count` real (blank, shared-content) pages: about 3 MB."""
    objs = PdfObjects()
    catalog, pages = objs.reserve(), objs.reserve()
    contents = objs.add(stream(b"", b""))
    kids = [
        objs.add(f"<< /Type /Page /Parent {pages} 0 R /Contents {contents} 0 R >>".encode())
        for _ in range(count)
    ]
    objs.set(
        pages,
        b"<< /Type /Pages /MediaBox [0 0 595 842] /Kids ["
        + b" ".join(f"{k} 0 R".encode() for k in kids)
        + f"] /Count {count} >>".encode(),
    )
    objs.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>".encode())
    return objs.serialize(catalog)


# --- active content ---------------------------------------------------------------------------


def active_content(launch_target: str, url: str) -> bytes:
    """JavaScript (document open, page open, a names tree), /Launch, /URI, /SubmitForm, /GoToR and
    /ImportData actions aimed at `launch_target` (a script that would leave a marker) and `url`
    (a port the test listens on). A reader that ran any of them would be caught."""
    js = (
        f"app.launchURL('{url}/js-launch', true); this.submitForm('{url}/js-submit'); "
        f"app.openDoc('{launch_target}'); this.exportDataObject({{cName: 'x', nLaunch: 2}});"
    )
    objs = PdfObjects()
    catalog, pages = objs.reserve(), objs.reserve()
    font = objs.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    js_action = objs.add(b"<< /Type /Action /S /JavaScript /JS " + literal(js) + b" >>")
    launch = objs.add(
        b"<< /Type /Action /S /Launch /F "
        + literal(launch_target)
        + b" /Unix << /F "
        + literal(launch_target)
        + b" >> /Win << /F (cmd.exe) /P "
        + literal("/c " + launch_target)
        + b" >> /NewWindow true >>"
    )
    uri = objs.add(b"<< /Type /Action /S /URI /URI " + literal(url + "/uri") + b" >>")
    submit = objs.add(
        b"<< /Type /Action /S /SubmitForm /F << /FS /URL /F " + literal(url + "/submit") + b" >> >>"
    )
    gotor = objs.add(b"<< /Type /Action /S /GoToR /F " + literal(launch_target) + b" /D [0 /Fit] >>")
    importdata = objs.add(b"<< /Type /Action /S /ImportData /F " + literal(launch_target) + b" >>")
    chain = objs.add(
        f"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) /Next [{launch} 0 R {uri} 0 R {submit} 0 R "
        f"{gotor} 0 R {importdata} 0 R] >>".encode()
    )
    names_js = objs.add(f"<< /Names [(boot) {js_action} 0 R] >>".encode())
    annots = [
        objs.add(f"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A {a} 0 R >>".encode())
        for a in (launch, uri, submit, gotor)
    ]
    content = b"BT /F1 12 Tf 50 780 Td 14 TL " + b" ".join(literal(t) + b" '" for t in BUDGET_LINES) + b" ET"
    contents = objs.add(stream(b"", content))
    page = objs.add(
        f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R "
        f"/Resources << /Font << /F1 {font} 0 R >> >> /AA << /O {chain} 0 R /C {launch} 0 R >> "
        f"/Annots [{' '.join(f'{a} 0 R' for a in annots)}] >>".encode()
    )
    objs.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>".encode())
    objs.set(
        catalog,
        f"<< /Type /Catalog /Pages {pages} 0 R /OpenAction {chain} 0 R /AA << /WC {js_action} 0 R >> "
        f"/Names << /JavaScript {names_js} 0 R >> >>".encode(),
    )
    return objs.serialize(catalog)


# --- fonts without Unicode maps ----------------------------------------------------------------


def _budget_table_ops(show: Callable[[int], bytes], rows: int = 30, cols: int = 6) -> bytes:
    ops = [b"BT /F1 10 Tf"]
    code = 1
    for r in range(rows):
        for c in range(cols):
            ops.append(f"1 0 0 1 {40 + c * 90} {800 - r * 22} Tm".encode() + b" " + show(code) + b" Tj")
            code = code % 200 + 1
    ops.append(b"ET")
    return b"\n".join(ops)


def font_type3_without_tounicode() -> bytes:
    """Text in a Type3 font whose glyph names (/g1 …) say nothing about the characters drawn."""
    objs = PdfObjects()
    catalog, pages = objs.reserve(), objs.reserve()
    glyph = objs.add(stream(b"", b"500 0 0 0 500 700 d1 0 0 500 700 re f"))
    names = b" ".join(f"/g{i}".encode() for i in range(1, 201))
    procs = b" ".join(f"/g{i} {glyph} 0 R".encode() for i in range(1, 201))
    font = objs.add(
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs << " + procs + b" >> /Encoding << /Type /Encoding /Differences [1 " + names + b"] >> "
        b"/FirstChar 1 /LastChar 200 /Widths [" + b" ".join([b"500"] * 200) + b"] /Resources << >> >>"
    )
    content = _budget_table_ops(
        lambda code: b"<" + f"{code:02x}{code % 200 + 1:02x}{(code + 7) % 200 + 1:02x}".encode() + b">"
    )
    return _one_page_with_font(objs, catalog, pages, font, content)


def font_type0_identity_without_tounicode() -> bytes:
    """Text in a non-embedded CID font (Identity-H) without /ToUnicode: two-byte glyph ids only."""
    objs = PdfObjects()
    catalog, pages = objs.reserve(), objs.reserve()
    descriptor = objs.add(
        b"<< /Type /FontDescriptor /FontName /AAAAAA+SimSun /Flags 4 /FontBBox [0 -141 1000 859] "
        b"/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>"
    )
    cid = objs.add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+SimSun /CIDSystemInfo << /Registry (Adobe) "
        f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>".encode()
    )
    font = objs.add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+SimSun /Encoding /Identity-H /DescendantFonts [{cid} 0 R] >>".encode()
    )
    content = _budget_table_ops(
        lambda code: b"<" + f"{1000 + code:04x}{2000 + code:04x}{3000 + code:04x}".encode() + b">"
    )
    return _one_page_with_font(objs, catalog, pages, font, content)


def _one_page_with_font(objs: PdfObjects, catalog: int, pages: int, font: int, content: bytes) -> bytes:
    contents = objs.add(stream(b"", content))
    page = objs.add(
        f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R "
        f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
    )
    objs.set(pages, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>".encode())
    objs.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>".encode())
    return objs.serialize(catalog)


# --- absurd numbers ---------------------------------------------------------------------------


def absurd_numbers() -> bytes:
    """A page a billion points wide, a negative /Length, a huge object number and /Size, and a
    text matrix with 1e38 scale."""
    content = b"BT /F1 12 Tf 1e38 0 0 1e38 0 0 Tm (2,579.00) Tj ET BT /F1 12 Tf 50 700 Td (Income total 2,579.00) Tj ET"
    data = _one_page(content).replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 1000000000 -1000000000]")
    data = data.replace(b"/Length " + str(len(content)).encode(), b"/Length -5", 1)
    data = data.replace(b"/Size ", b"/Size 2147483647 /Prev 99999999999 /XSize ", 1)
    return data.replace(b"%%EOF", b"2147483647 0 obj\n<< /Type /Page >>\nendobj\n%%EOF", 1)


@dataclass(frozen=True)
class Crafted:
    """One hostile file: its name, how to build it, and what it is."""

    name: str
    build: Callable[[], bytes]
    what: str


CRAFTED: list[Crafted] = [
    Crafted("bomb_content_2gib", bomb_content_stream, "content stream of ~5 KB inflating to 2 GiB"),
    Crafted(
        "bomb_text_operators", bomb_text_operators, "content stream inflating to 256 MiB of text operators"
    ),
    Crafted("bomb_image", bomb_image, "60000x60000 image, 1 GiB of pixels behind two Flate layers"),
    Crafted("loop_pages_tree", loop_pages_tree, "/Pages tree containing itself"),
    Crafted(
        "loop_self_reference", loop_self_reference, "objects referring to themselves (/Length, /Resources)"
    ),
    Crafted("loop_form_xobject", loop_form_xobject, "a form XObject that draws itself"),
    Crafted("deep_arrays", deep_arrays_in_content, "arrays nested 200,000 deep in a content stream"),
    Crafted("deep_dictionaries", deep_dictionaries_in_objects, "dictionaries nested 100,000 deep in a page"),
    Crafted("pages_claimed_50000", pages_claimed, "/Count 50000 over one page"),
    Crafted("pages_real_50000", pages_real, "50,000 real pages"),
    Crafted("font_type3_no_unicode", font_type3_without_tounicode, "Type3 font, glyph names without meaning"),
    Crafted(
        "font_type0_no_tounicode",
        font_type0_identity_without_tounicode,
        "Identity-H CID font without /ToUnicode",
    ),
    Crafted(
        "absurd_numbers", absurd_numbers, "1e9-point page, negative /Length, huge object number and /Size"
    ),
]
