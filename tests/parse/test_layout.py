"""Characters to lines and segments; fake-bold glyphs removed by position."""

from __future__ import annotations

import pytest

from budgetlens.parse.layout import dedupe_overprint, group_lines, page_lines, split_segments
from budgetlens.parse.pdfdoc import Char


def row(text: str, x: float, top: float, size: float = 10.0) -> list[Char]:
    """Glyph boxes of a printed string: Han one em wide, others 0.55 em, a space 0.3 em."""
    out = []
    space = False
    for ch in text:
        if ch == " ":
            x += 0.3 * size
            space = True
            continue
        w = size if ord(ch) > 0x2E80 else size * 0.55
        out.append(Char(ch, x, top, x + w, top + size * 1.2, space))
        x += w
        space = False
    return out


@pytest.mark.parametrize(
    ("offset", "dropped"),
    [(0.0, 3), (0.4, 3), (1.5, 3), (6.0, 0), (10.0, 0)],
)
def test_overprinted_glyphs_are_dropped_by_position(offset: float, dropped: int) -> None:
    base = row("收支表", 100, 100)
    again = [Char(c.text, c.x0 + offset, c.top, c.x1 + offset, c.bottom) for c in base]
    kept, n = dedupe_overprint(base + again)
    assert n == dropped
    assert len(kept) == 6 - dropped


def test_a_narrow_glyph_overprinted_as_far_as_its_wide_neighbours_is_dropped() -> None:
    # fake bold shifts every glyph alike: 0.8 pt is a third of a 2.25 pt wide point, a tenth of a digit
    base = [
        Char("0", 100, 100, 104.5, 112),
        Char(".", 104.5, 100, 106.75, 112),
        Char("5", 106.75, 100, 111.25, 112),
    ]
    again = [Char(c.text, c.x0 + 0.8, c.top + 0.4, c.x1 + 0.8, c.bottom + 0.4) for c in base]
    kept, n = dedupe_overprint(base + again)
    assert n == 3 and "".join(c.text for c in kept) == "0.5"


def test_narrow_glyphs_printed_side_by_side_are_text() -> None:
    chars = [
        Char("1", 100, 100, 102.5, 112),
        Char("1", 102.5, 100, 105.0, 112),
        Char(".", 105, 100, 107, 112),
    ]
    kept, n = dedupe_overprint(chars)
    assert n == 0 and len(kept) == 3


def test_repeated_characters_side_by_side_are_text_not_fake_bold() -> None:
    chars = row("人人", 100, 100)
    kept, n = dedupe_overprint(chars)
    assert n == 0 and [c.text for c in kept] == ["人", "人"]


def test_lines_are_grouped_by_baseline_and_read_left_to_right() -> None:
    chars = row("第二行", 100, 130) + row("第一行", 100, 100) + row("右边", 300, 101)
    lines = group_lines(chars, page=1)
    assert [[s.text for s in ln.segments] for ln in lines] == [["第一行", "右边"], ["第二行"]]
    assert lines[0].page == 1


@pytest.mark.parametrize(
    ("figure_top", "figure_bottom", "one_line"),
    [
        (671.87, 678.21, True),  # shrunk to 70 % on its cell's baseline (Jiangsu 检察院's 合计, stressed)
        (669.16, 675.50, True),  # shrunk hanging from its cell's top
        (681.00, 687.34, False),  # the next row's figure
    ],
)
def test_a_figure_shrunk_to_fit_is_on_its_labels_line(
    figure_top: float, figure_bottom: float, one_line: bool
) -> None:
    """A spreadsheet's "shrink to fit" prints a figure too wide for its cell smaller, standing on
    the cell's baseline or hanging from its top: its centre 2.56 pt off the label's where glyphs of
    one line may be 2.54 pt apart at that size (the 合计 label was read as a header line of its own,
    its figure as a row without a label, and the table's economic lines lost their amounts). A glyph
    at most 0.85 of its line's height, three quarters of it inside the line's band, is on that line."""
    label = [Char(ch, 205.2 + 25.2 * i, 667.5, 215.16 + 25.2 * i, 677.46) for i, ch in enumerate("合计")]
    figure = [
        Char(ch, 435.1 + 3.5 * i, figure_top, 438.6 + 3.5 * i, figure_bottom)
        for i, ch in enumerate("15844.04")
    ]
    lines = group_lines(label + figure, page=1)
    assert (len(lines) == 1) is one_line, [ln.text for ln in lines]


def test_rows_of_one_size_set_close_stay_apart() -> None:
    """Two rows 11 pt apart in 10-point type (12 pt boxes overlapping by a point) are two lines, and
    a small note under a title is its own line."""
    rows = row("一般公共服务支出 12.00", 60, 100) + row("教育支出 3.00", 60, 111)
    assert len(group_lines(rows, page=1)) == 2
    titled = row("收支总表", 200, 50, size=16.0) + row("单位：万元", 400, 66, size=9.0)
    assert len(group_lines(titled, page=1)) == 2


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("一般公共服务支出", ["一般公共服务支出"]),
        ("合计          2,579", ["合计", "2,579"]),
        ("6,135,900.00 69,716,400.00", ["6,135,900.00", "69,716,400.00"]),
        ("2022 年", ["2022 年"]),
    ],
)
def test_segments_split_at_cell_gaps(text: str, segments: list[str]) -> None:
    chars = row(text, 50, 100)
    line = group_lines(chars, 1)[0]
    assert [s.text for s in split_segments(line.chars, line.em)] == segments


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("合          计", ["合计"]),  # a header word letter-spaced across its cell
        ("小          计    人员支出", ["小计", "人员支出"]),
        ("预     算     数", ["预算数"]),
        ("类     款     项", ["类", "款", "项"]),  # three columns, no word
        ("合                                    计", ["合", "计"]),  # too far apart: two cells
    ],
)
def test_letter_spaced_header_words_are_one_segment(text: str, segments: list[str]) -> None:
    line = group_lines(row(text, 50, 100), 1)[0]
    assert [s.text for s in split_segments(line.chars, line.em)] == segments


def test_page_lines_normalise_dedupe_and_group() -> None:
    chars = row("部⻔预算", 50, 100)
    chars += [Char(c.text, c.x0 + 0.3, c.top, c.x1 + 0.3, c.bottom) for c in chars]
    lines, dropped = page_lines(chars, 3)
    assert dropped == 4
    assert lines[0].text == "部门预算"
