"""Cross-footing: disagreements beyond the printed rounding become warnings; nothing is altered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetlens.parse.crossfoot import compare, slack, sum_check
from budgetlens.parse.crossfoot import misread as crossfoot_misread
from budgetlens.parse.extract import Figure

W = Decimal(10000)


def fig(printed: str, unit: str = "万元", table: str = "表1") -> Figure:
    from budgetlens.amounts import parse_printed, unit_multiplier

    return Figure(
        parse_printed(printed) * unit_multiplier(unit), printed, unit, 3, (1.0, 2.0, 3.0, 4.0), "table", table
    )


@pytest.mark.parametrize(
    ("printed", "unit", "tolerance"),
    [
        ("2,579", "万元", Decimal(5000)),
        ("2.65", "万元", Decimal(50)),
        ("371,514,655.00", "元", Decimal("0.005")),
        ("0", "万元", Decimal(0)),
    ],
)
def test_slack_is_half_a_unit_in_the_last_printed_place(printed: str, unit: str, tolerance: Decimal) -> None:
    assert slack(fig(printed, unit)) == tolerance


def test_the_same_figure_twice_within_rounding_is_no_warning() -> None:
    assert (
        compare(fig("2,579"), "支出总计", fig("2,579", table="表7"), "合计", "cross_table_mismatch") is None
    )
    # a rounded sum of rounded parts (尾数误差) may be one unit off
    assert (
        compare(fig("72,047"), "一般公共预算拨款", fig("72,048", table="表7"), "合计", "cross_table_mismatch")
        is None
    )
    assert (
        compare(fig("37,151.47"), "收入总计", fig("371,514,655.00", "元"), "收入", "prose_table_mismatch")
        is None
    )


def test_a_disagreement_names_both_places_and_figures() -> None:
    w = compare(fig("2,579"), "支出总计", fig("2,589", table="表7"), "合计", "cross_table_mismatch")
    assert w is not None
    assert w.code == "cross_table_mismatch"
    assert w.message == "表1 支出总计 2,579 ≠ 表7 合计 2,589"
    assert w.page == 3


@pytest.mark.parametrize(
    ("total", "parts", "warn"),
    [
        ("952", ["810", "87", "55"], False),
        ("2,579", ["952", "1,627"], False),
        ("2,580", ["952", "1,627"], False),  # within the rounding of three 万元 figures
        ("2,590", ["952", "1,627"], True),
        ("60", ["61"], False),
        ("2.65", ["0", "2.65"], False),
        ("2.65", ["0", "2.60"], True),
    ],
)
def test_sum_check(total: str, parts: list[str], warn: bool) -> None:
    w = sum_check(fig(total), "合计", [(f"p{i}", fig(p)) for i, p in enumerate(parts)])
    assert (w is not None) == warn
    if w is not None:
        assert w.code == "sum_mismatch" and total in w.message


@pytest.mark.parametrize(
    ("total", "parts", "misread"),
    [
        ("2,579", ["952", "1,627"], False),
        ("2,590", ["952", "1,627"], False),  # a document's slip (reported, never a misreading)
        ("71,861.32", ["71,120.23", "283.90", "57.60", "398.59"], False),  # 1.00 万元 off: a slip
        ("9", ["8,828.25", "1,116.86", "25.49"], True),  # a total read as its last digit
        ("0", ["16,475.21"], True),  # a total row read as blank
        ("16,475.21", ["9,881.05"], True),  # a column of lines lost its figures
        ("0", ["0", "0"], False),
    ],
)
def test_a_total_far_from_its_parts_is_a_misreading(total: str, parts: list[str], misread: bool) -> None:
    assert crossfoot_misread(fig(total), [fig(p) for p in parts]) == misread


def test_classified_lines_add_up_among_themselves() -> None:
    from budgetlens.parse.core import _lines_add_up

    good = [("201", fig("100")), ("20101", fig("60")), ("2010101", fig("60")), ("20102", fig("40"))]
    assert _lines_add_up(good)
    assert not _lines_add_up([("201", fig("100")), ("20101", fig("60")), ("20102", fig("4"))])
    # no line with lines below it: nothing shows the lines are right
    assert not _lines_add_up([("301", fig("100")), ("301", fig("5")), ("302", fig("9"))])


@pytest.mark.parametrize(
    ("total", "parts", "dropped"),
    [
        # a row whose 基本支出 and 项目支出 sit on a page not read with it: blanks are no zeros there
        ("894.14", ["", ""], ["p0", "p1"]),
        ("894.14", ["894.14", ""], []),  # the row holds: its blank is a zero
        ("", ["99,706,020", "56,505,103"], ["total"]),
        ("894.14", ["", "0.00"], ["p0"]),  # a printed zero stays: only the blank is left out
        ("2,590", ["952", "1,627"], []),  # printed figures that disagree: the document's, reported
        ("0", ["", ""], []),
    ],
)
def test_blank_cells_that_break_their_row_are_no_zeros(
    total: str, parts: list[str], dropped: list[str]
) -> None:
    from budgetlens.parse.crossfoot import blanks_breaking

    figures = {"total": fig(total), **{f"p{i}": fig(p) for i, p in enumerate(parts)}}
    out = blanks_breaking(figures["total"], [figures[f"p{i}"] for i in range(len(parts))])
    assert [name for name, f in figures.items() if any(f is b for b in out)] == dropped


def test_a_row_all_blank_where_it_prints_its_figures_elsewhere_has_no_zeros() -> None:
    """合计 | 基本支出 | 项目支出 blank in a totals row whose figures stand under other columns (the row
    cut through its labels and set askew): 0 = 0 + 0 holds, yet the blanks are no zeros."""
    from budgetlens.parse.crossfoot import blanks_breaking

    terms = [fig(""), fig(""), fig("")]
    assert blanks_breaking(terms[0], terms[1:]) == []
    assert blanks_breaking(terms[0], terms[1:], figures_elsewhere=True) == terms
    printed = [fig("0"), fig(""), fig("")]
    assert blanks_breaking(printed[0], printed[1:], figures_elsewhere=True) == []
