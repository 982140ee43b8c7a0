"""A tiny PDF writer for hostile test files: objects in, bytes out, with a correct xref table.

Hostile files need things no PDF library will write (loops, bombs, lies in /Count), so the
objects are given as raw PDF syntax: `PdfObjects` numbers them, `stream()` wraps data with its
/Length, and `serialize()` lays out header, objects, xref and trailer.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def stream(dictionary: bytes, data: bytes) -> bytes:
    """A stream object body: `<< dictionary /Length n >> stream … endstream`."""
    return (
        b"<< "
        + dictionary
        + b" /Length "
        + str(len(data)).encode()
        + b" >>\nstream\n"
        + data
        + b"\nendstream"
    )


def flate(data: bytes, level: int = 9) -> bytes:
    return zlib.compress(data, level)


def literal(text: str) -> bytes:
    """A PDF literal string for ASCII text (parentheses and backslashes escaped)."""
    raw = text.encode("latin-1")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


@dataclass
class PdfObjects:
    """Numbered objects (1-based) with raw bodies; object 1 is conventionally the catalog."""

    bodies: dict[int, bytes] = field(default_factory=dict)

    def add(self, body: bytes) -> int:
        n = len(self.bodies) + 1
        self.bodies[n] = body
        return n

    def reserve(self) -> int:
        """A number for an object whose body refers to objects made later (set it with `set`)."""
        return self.add(b"null")

    def set(self, n: int, body: bytes) -> None:
        self.bodies[n] = body

    def serialize(self, root: int = 1, *, trailer_extra: bytes = b"") -> bytes:
        out = bytearray(HEADER)
        offsets: dict[int, int] = {}
        for n in sorted(self.bodies):
            offsets[n] = len(out)
            out += f"{n} 0 obj\n".encode() + self.bodies[n] + b"\nendobj\n"
        size = max(self.bodies) + 1
        xref = len(out)
        out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
        for n in range(1, size):
            if n in offsets:
                out += f"{offsets[n]:010d} 00000 n \n".encode()
            else:
                out += b"0000000000 65535 f \n"
        out += f"trailer\n<< /Size {size} /Root {root} 0 R ".encode() + trailer_extra + b">>\n"
        out += f"startxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


def text_page_pdf(
    lines: list[str], *, pages: int = 1, extra_catalog: bytes = b"", extra_page: bytes = b""
) -> bytes:
    """A plain PDF with Helvetica text lines on each page (a well-formed baseline for hostile variants)."""
    objs = PdfObjects()
    catalog = objs.reserve()
    pages_n = objs.reserve()
    font = objs.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    content = b"BT /F1 12 Tf 50 780 Td 14 TL " + b" ".join(literal(t) + b" '" for t in lines) + b" ET"
    contents = objs.add(stream(b"", content))
    kids = []
    for _ in range(pages):
        kids.append(
            objs.add(
                f"<< /Type /Page /Parent {pages_n} 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R "
                f"/Resources << /Font << /F1 {font} 0 R >> >> ".encode()
                + extra_page
                + b">>"
            )
        )
    objs.set(
        pages_n,
        b"<< /Type /Pages /Kids ["
        + b" ".join(f"{k} 0 R".encode() for k in kids)
        + b"] /Count "
        + str(len(kids)).encode()
        + b" >>",
    )
    objs.set(catalog, f"<< /Type /Catalog /Pages {pages_n} 0 R ".encode() + extra_catalog + b">>")
    return objs.serialize(catalog)
