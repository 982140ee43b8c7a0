"""Mutations of real and sample PDFs for the property-based tests: pure functions, bytes in, bytes out.

Positions are given as fractions of the file (0 ≤ f < 1) so one hypothesis strategy fits every
source file. Each mutation keeps the `%PDF-` header unless it is the thing being broken, so most
inputs get past the first check and reach PDFium.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_OBJ = re.compile(rb"(?m)^\d+ \d+ obj\b.*?\bendobj\b", re.S)
_XREF = re.compile(rb"(?s)\nxref\s*\n.*?(?=trailer)")
_STARTXREF = re.compile(rb"startxref\s*\n?\s*(\d+)")
_STREAM = re.compile(rb"(?s)stream\r?\n(.*?)\r?\n?endstream")  # Skia writes no EOL before endstream


def _at(data: bytes, fraction: float) -> int:
    return min(len(data) - 1, max(0, int(len(data) * fraction)))


HEADER_BYTES = 16  # "%PDF-1.x" and the binary comment line


def flip_bytes(data: bytes, flips: list[tuple[float, int]]) -> bytes:
    """XOR the byte at each fraction of the file with a non-zero mask."""
    out = bytearray(data)
    for fraction, mask in flips:
        out[_at(data, fraction)] ^= (mask % 255) + 1
    return bytes(out)


def random_flips(data: bytes, seed: int, count: int) -> bytes:
    """`count` byte flips at places drawn from `seed`, past the header (a broken header is
    simply `not_pdf`; the interesting damage is inside the body)."""
    rng = random.Random(seed)
    body = len(data) - HEADER_BYTES
    flips = [((HEADER_BYTES + rng.randrange(body)) / len(data), rng.randrange(255)) for _ in range(count)]
    return flip_bytes(data, flips)


def truncate(data: bytes, fraction: float, *, keep_eof: bool = False) -> bytes:
    """The first part of the file; with `keep_eof`, `%%EOF` is appended so the cut gets past the
    end-marker check and PDFium has to cope with the missing objects and xref itself."""
    cut = data[: max(8, _at(data, fraction))]
    return cut + b"\n%%EOF\n" if keep_eof else cut


def delete_xref(data: bytes, *, point_startxref_at: int | None = None) -> bytes:
    """Remove every classic xref table; `startxref` then points at whatever is there now (or at
    `point_startxref_at`). PDFium must rebuild the table by scanning the objects."""
    out = _XREF.sub(b"\n", data)
    if point_startxref_at is not None:
        out = _STARTXREF.sub(f"startxref\n{point_startxref_at}".encode(), out)
    return out


def duplicate_objects(data: bytes, picks: list[float], where: float, *, tamper: bool) -> bytes:
    """Insert copies of some objects (same numbers) at another place; `tamper` changes digits in
    the copies, so the two versions of an object disagree."""
    objects = list(_OBJ.finditer(data))
    if not objects:
        return data
    copies = []
    for f in picks:
        m = objects[min(len(objects) - 1, int(f * len(objects)))]
        body = m.group(0)
        if tamper:
            body = re.sub(
                rb"(?<=[ \[/])(\d{1,6})(?=[ \]>])",
                lambda d: str(int(d.group(1)) * 7 + 3).encode(),
                body,
                count=5,
            )
        copies.append(body)
    # insert between two objects, so the copies are parsed as objects too
    anchor = objects[min(len(objects) - 1, int(where * len(objects)))].end()
    return data[:anchor] + b"\n" + b"\n".join(copies) + b"\n" + data[anchor:]


def scramble_stream(data: bytes, which: float, start: float, length: int, seed: int) -> bytes:
    """Overwrite a run of bytes inside one stream (a compressed content stream or font: its
    decoder sees garbage while the file's structure stays intact)."""
    streams = list(_STREAM.finditer(data))
    if not streams:
        return data
    m = streams[min(len(streams) - 1, int(which * len(streams)))]
    lo, hi = m.start(1), m.end(1)
    if hi <= lo:
        return data
    pos = lo + int((hi - lo) * start)
    n = max(1, min(length, hi - pos))
    noise = bytes((seed * 131 + i * 31) % 256 for i in range(n))
    return data[:pos] + noise + data[pos + n :]


@dataclass(frozen=True)
class Mutation:
    """One mutation of one source file, as hypothesis drew it (printed when a test fails)."""

    source: str
    kind: str
    args: tuple

    def apply(self, data: bytes) -> bytes:
        if self.kind == "flip":
            return random_flips(data, *self.args)
        if self.kind == "truncate":
            return truncate(data, self.args[0], keep_eof=self.args[1])
        if self.kind == "delete_xref":
            return delete_xref(data, point_startxref_at=self.args[0])
        if self.kind == "duplicate":
            return duplicate_objects(data, list(self.args[0]), self.args[1], tamper=self.args[2])
        if self.kind == "scramble_stream":
            return scramble_stream(data, *self.args)
        raise ValueError(f"unknown mutation {self.kind!r}")
