"""Characters to lines and segments: the geometry every later step reads.

Pure functions over `Char` lists (pdfdoc.Char). A *line* is the characters that share a baseline
band across the whole page width; a *segment* is a run of characters on a line with no gap
wider than about one character. Fake-bold glyphs (each character drawn twice, slightly offset)
are removed by position, never by text pattern.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from statistics import median

from budgetlens.parse.normalize import is_cjk, normalize_char, normalize_text
from budgetlens.parse.pdfdoc import PICTURE, UNMAPPED, Char

# Two identical glyphs whose boxes are offset by less than this share of the glyph size overprint.
# A glyph's size across is at least half its height: a narrow glyph (. , 1) is offset as far as
# the wide glyphs beside it, and two of them that close are never two printed characters.
OVERPRINT_OFFSET = 0.35
# Characters join a line when their vertical centres differ by less than this share of their height.
LINE_CENTRE_TOLERANCE = 0.4
# Words of a table header ("项目", "金额" …), shared with the grid and the table finder (tables.py).
TABLE_HEADER_WORDS = (
    "项目",
    "科目",
    "金额",
    "预算数",
    "合计",
    "名称",
    "编码",
    "基本支出",
    "项目支出",
    "小计",
    "总计",
    "单位",
    "年度",
    "指标",
)
# A horizontal gap wider than this many ems starts a new segment.
SEGMENT_GAP_EM = 0.9
# Between a figure and a word (or a word and a figure) a gap wider than this many ems splits too.
CLASS_GAP_EM = 0.2
# a glyph without a Unicode map (`UNMAPPED`) sides with figures: it is mostly one, in a Latin font
_NUMERIC_CHARS = frozenset("0123456789,.-+%()" + UNMAPPED)
# Words that belong to the number before them ("2022 年", "12 人"): never split off.
_NUMBER_SUFFIXES = frozenset("年月日号期届次个人名家项件辆台套万元亿")


def _numeric(ch: str) -> bool:
    return ch in _NUMERIC_CHARS


def _figure_edge(prev: str, cur: str) -> bool:
    """Two figures side by side ("6,135,900.00 69,716,400.00", or the wrapped heads "1,015,290, 30,118,100."):
    a gap between digits ends a figure."""
    return (prev[-1:].isdigit() or prev[-1:] in ".,-—–" + UNMAPPED) and (
        cur[:1].isdigit() or cur[:1] in "-+(" + UNMAPPED
    )


@dataclass(slots=True)
class Segment:
    """A run of characters on one line (text normalised)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char]


@dataclass
class Line:
    """All characters of one printed line, left to right, split into segments."""

    page: int
    chars: list[Char]
    segments: list[Segment] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0
    em: float = 10.0
    continuation: bool = False  # holds only the wrapped tails of the figures above it ("2,000,000." / "00")
    # the line holding the heads those tails complete, when a line (a label centred between the
    # halves) stands between them: head, in-between lines and tails are one row
    continues: Line | None = field(default=None, repr=False, compare=False)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @cached_property
    def text(self) -> str:
        """The line as printed: segments joined by a space, spaces between Han removed."""
        return normalize_text(" ".join(s.text for s in self.segments))

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


def moved(line: Line, dy: float) -> Line:
    """A copy of the line moved dy points down the page (one piece of a header cut by a page break,
    laid above the other piece)."""
    new = {id(c): replace(c, top=c.top + dy, bottom=c.bottom + dy) for c in line.chars}
    segments = [
        Segment(s.text, s.x0, s.top + dy, s.x1, s.bottom + dy, [new.get(id(c)) or c for c in s.chars])
        for s in line.segments
    ]
    return Line(
        line.page,
        [new[id(c)] for c in line.chars],
        segments,
        line.top + dy,
        line.bottom + dy,
        line.em,
        line.continuation,
    )


def normalize_chars(chars: list[Char]) -> list[Char]:
    """Map every character to its canonical form (full-width, radicals); drop ones that map to space."""
    out: list[Char] = []
    for c in chars:
        t = normalize_char(c.text)
        if not t.strip():
            continue
        if t != c.text:
            c = Char(t, c.x0, c.top, c.x1, c.bottom, c.space_before)
        out.append(c)
    return out


def dedupe_overprint(chars: list[Char]) -> tuple[list[Char], int]:
    """Drop glyphs drawn again on top of an identical glyph (fake bold). Returns (chars, dropped).

    Glyphs are bucketed by text and position on a grid two glyphs wide; a glyph is compared with
    the glyphs of its own bucket and of the neighbouring buckets it lies close to.
    """
    seen: dict[tuple[str, int, int], list[Char]] = {}
    out: list[Char] = []
    dropped = 0
    for c in chars:
        h = c.bottom - c.top
        q = 2.0 * (h if h > 1.0 else 1.0)
        fx, fy = c.x0 / q, c.top / q
        gx, gy = int(fx), int(fy)
        across = max(c.x1 - c.x0, 0.5 * h, 1.0)
        tol_x = OVERPRINT_OFFSET * across
        tol_y = OVERPRINT_OFFSET * max(h, 1.0)
        xs = (gx, gx - 1) if fx - gx < tol_x / q else ((gx, gx + 1) if gx + 1 - fx < tol_x / q else (gx,))
        ys = (gy, gy - 1) if fy - gy < tol_y / q else ((gy, gy + 1) if gy + 1 - fy < tol_y / q else (gy,))
        text = c.text
        duplicate = False
        for bx in xs:
            for by in ys:
                for o in seen.get((text, bx, by), ()):
                    if abs(o.x0 - c.x0) <= OVERPRINT_OFFSET * max(o.x1 - o.x0, across) and abs(
                        o.top - c.top
                    ) <= OVERPRINT_OFFSET * max(o.bottom - o.top, h, 1.0):
                        duplicate = True
                        break
        if duplicate:
            dropped += 1
            continue
        seen.setdefault((text, gx, gy), []).append(c)
        out.append(c)
    return out, dropped


def group_lines(chars: list[Char], page: int) -> list[Line]:
    """Characters to lines, top to bottom; each line's characters left to right, split into segments."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: (c.top + c.bottom) / 2)
    lines: list[list[Char]] = []
    current: list[Char] = [ordered[0]]
    centre = (ordered[0].top + ordered[0].bottom) / 2
    height = ordered[0].height
    for c in ordered[1:]:
        cc = (c.top + c.bottom) / 2
        if abs(cc - centre) <= LINE_CENTRE_TOLERANCE * min(height, c.height) or _shrunk_inside(
            c, centre - height / 2, centre + height / 2
        ):
            current.append(c)
            n = len(current)
            centre += (cc - centre) / n
            height = max(height, c.height) if n < 3 else height
        else:
            lines.append(current)
            current, centre, height = [c], cc, c.height
    lines.append(current)
    return [make_line(cs, page) for cs in lines]


# A glyph smaller than its line's (a figure a spreadsheet shrank to fit its cell, standing on the
# cell's baseline or hanging from its top, its centre off the label's), or a line of such glyphs
# beside a larger one, is one line with it where at least this share of the smaller height lies
# within the larger and the smaller is at most _SHRUNK_SIZE of the larger
_SHRUNK_OVERLAP = 0.75
_SHRUNK_SIZE = 0.85


def _shrunk_inside(c: Char, top: float, bottom: float) -> bool:
    """Does a glyph and a line's band (`top`, `bottom`: its glyphs' height about its centre), the
    one smaller, stand one inside the other?"""
    small, large = sorted((c.height, bottom - top))
    overlap = min(c.bottom, bottom) - max(c.top, top)
    return small <= _SHRUNK_SIZE * large and overlap >= _SHRUNK_OVERLAP * small


def make_line(chars: list[Char], page: int) -> Line:
    """A line from its characters (any order)."""
    cs = sorted(chars, key=lambda c: c.x0)
    line = Line(page, cs)
    line.top = min(c.top for c in cs)
    line.bottom = max(c.bottom for c in cs)
    line.em = line_em(cs)
    line.segments = split_segments(cs, line.em)
    return line


def line_em(chars: list[Char]) -> float:
    """The line's em: the median width of its Han characters, else 0.85 × median glyph height."""
    han = [c.width for c in chars if is_cjk(c.text)]
    if han:
        return max(median(han), 1.0)
    return max(0.85 * median(c.height for c in chars), 1.0)


def split_segments(chars: list[Char], em: float) -> list[Segment]:
    """Left-to-right characters into segments at gaps wider than SEGMENT_GAP_EM ems."""
    segs: list[Segment] = []
    run: list[Char] = []
    for c in chars:
        if run:
            gap = c.x0 - run[-1].x1
            if (
                PICTURE in (c.text, run[-1].text)  # a figure drawn as a picture stands alone
                or gap > SEGMENT_GAP_EM * em
                or (gap > CLASS_GAP_EM * em and _figure_edge(run[-1].text, c.text))
                or (
                    gap > CLASS_GAP_EM * em
                    and _numeric(run[-1].text) != _numeric(c.text)
                    and c.text not in _NUMBER_SUFFIXES
                    and not (c.space_before and gap <= 0.6 * em)
                )
            ):
                segs.append(make_segment(run))
                run = []
        run.append(c)
    if run:
        segs.append(make_segment(run))
    return _spaced_words_joined(segs, em)


# a header word letter-spaced across its cell ("合   计", "预 算 数") is one word, not columns
_SPACED_WORD_GAP_EM = 4.0


def _spaced_words_joined(segs: list[Segment], em: float) -> list[Segment]:
    """Single Han characters set apart that spell a header word, joined into one segment."""
    out: list[Segment] = []
    i = 0
    while i < len(segs):
        j = i
        word = segs[i].text
        while (
            len(word) < 4
            and j + 1 < len(segs)
            and len(segs[j + 1].text) == 1
            and is_cjk(segs[j + 1].text)
            and segs[j + 1].x0 - segs[j].x1 <= _SPACED_WORD_GAP_EM * em
            and any(w.startswith(word + segs[j + 1].text) for w in TABLE_HEADER_WORDS)
        ):
            j += 1
            word += segs[j].text
        if j > i and len(segs[i].text) == 1 and word in TABLE_HEADER_WORDS:
            out.append(make_segment([c for s in segs[i : j + 1] for c in s.chars]))
            i = j + 1
        else:
            out.append(segs[i])
            i += 1
    return out


def make_segment(chars: list[Char]) -> Segment:
    """A segment from left-to-right characters; a narrow gap inside becomes a space if it separates non-Han."""
    parts: list[str] = []
    prev: Char | None = None
    for c in chars:
        if prev is not None:
            gap = c.x0 - prev.x1
            if c.space_before or gap > 0.25 * max(prev.height, c.height) * 0.85:
                parts.append(" ")
        parts.append(c.text)
        prev = c
    return Segment(
        normalize_text("".join(parts)),
        chars[0].x0,
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
        chars,
    )


def page_lines(chars: list[Char], page: int) -> tuple[list[Line], int]:
    """The whole fast-pass layout of one page: normalise, dedupe overprint, group. Returns (lines, dropped)."""
    cs, dropped = dedupe_overprint(normalize_chars(chars))
    return group_lines(cs, page), dropped
