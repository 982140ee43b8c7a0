"""Tolerance by printed precision and the materiality rule (pure Decimal functions)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from expectations.decide import Decision, decide, reason_text
from expectations.precision import (
    COMPARED_FIELDS,
    Comparison,
    Printing,
    format_amount,
    is_material,
    li_ceiling,
    li_floor,
    truncated,
)
from expectations.spec import Finding

D = Decimal


def p(value: str, printed: str | None, unit: str | None, table_decimals: int | None = None) -> Printing:
    return Printing.of(D(value), printed=printed, unit=unit, table_decimals=table_decimals)


@pytest.mark.parametrize(
    ("printing", "half"),
    [
        (p("25790000", "2,579", "万元"), D("5000")),  # whole 万元: half of 10,000 yuan
        (p("26500", "2.65", "万元"), D("50")),  # two decimals in 万元
        (p("0", "0", "万元", table_decimals=2), D("50")),  # a nil "0" in a table printed with two decimals
        (p("1000000", "1,000,000", "元"), D("0.5")),  # whole 元
        (p("1000000", "1,000,000.00", "元"), D("0")),  # 元 with cents: exact
        (p("100000000", "1", "亿元"), D("50000000")),
        (p("12", "12", "人"), D("0")),  # a count
        (p("25790000", "2,579", "美元"), D("5000")),  # unknown unit: the coarsest budgets print (whole 万元)
        (p("25790000", None, None), D("5000")),
    ],
)
def test_half_step_follows_the_printing(printing, half):
    assert printing.half_step == half


@pytest.mark.parametrize(
    ("total", "parts", "within"),
    [
        # two printings of one figure: equal at one precision
        (("2,579", "万元"), [("2,580", "万元")], False),
        (("2,579", "万元"), [("2,579.31", "万元")], True),  # the coarser half step: 0.5 万元
        (("2,579", "万元"), [("2,579.51", "万元")], False),
        (("2.65", "万元"), [("2.66", "万元")], False),
        # a total against n parts in whole 万元: n × 0.5 + 0.5
        (("100", "万元"), [("61", "万元"), ("40", "万元")], True),  # 1 ≤ 1.5
        (("100", "万元"), [("62", "万元"), ("40", "万元")], False),  # 2 > 1.5
        (("100", "万元"), [("34", "万元"), ("34", "万元"), ("34", "万元")], True),  # 2 ≤ 2
        (("1,000,000.00", "元"), [("600,000.00", "元"), ("400,001.00", "元")], False),  # to the cent
        (("1,000,000.00", "元"), [("600,000.00", "元"), ("400,000.00", "元")], True),
        # a total in 万元 against parts in 元 with cents: the total's rounding
        (("100", "万元"), [("600,000.00", "元"), ("404,999.99", "元")], True),
        (("100", "万元"), [("600,000.00", "元"), ("405,000.01", "元")], False),
    ],
)
def test_comparison_tolerance(total, parts, within):
    def pr(t: tuple[str, str]) -> Printing:
        scale = {"万元": D(10_000), "元": D(1)}[t[1]]
        return Printing.of(D(t[0].replace(",", "")) * scale, printed=t[0], unit=t[1])

    cmp = Comparison(pr(total), tuple(pr(x) for x in parts))
    assert cmp.within is within, (cmp.difference, cmp.tolerance)


# fmt: off
@pytest.mark.parametrize(
    ("gap", "expense", "figures", "fields", "material"),
    [
        (D(1), D("65835000"), [D("53445901"), D("53445900")], ["function:20106"], False),  # the one-yuan slip
        (D(50_000), D("92450000"), [D("5720000"), D("5670000")], ["function:20601"], True),  # 5 万元 off
        (D(500), D("162983900"), [D("7745300"), D("7744800")], ["function:20805"], True),  # 5 × 0.01 万元
        (D("0.05"), D("1000000"), [D(1), D(2)], ["function:201"], False),  # under a yuan: a slip
        (D("2.5"), D("100000000"), [D(1)] * 5, ["function:201"], False),  # half a yuan per figure
        (D("2.51"), D("100000000"), [D(1)] * 5, ["function:201"], True),
        (D(300), D("100000000"), [D("15000"), D("15300")], ["totals.three_public_total"], True),  # compared
        (D(1), None, [D(10)], [], True),  # no expense_total: cannot be judged
        (D(1), D("1000"), [D(10), D(10)], ["totals.income_total"], True),  # 0.1% of expense_total
        (D(1), D("1001"), [D(10), D(10)], ["totals.income_total"], False),
    ],
)
# fmt: on
def test_materiality(gap, expense, figures, fields, material):
    assert (
        is_material(gap, expense_total=expense, figures=figures, fields=fields, ratio=D("0.001")) is material
    )


def test_compared_fields_are_the_inputs_of_the_comparison_metrics():
    for f in (
        "totals.expense_total",
        "totals.procurement_sme",
        "headcount.actual_total",
        "totals.agency_running_cost",
    ):
        assert f in COMPARED_FIELDS
    for f in (
        "totals.income_total",
        "totals.carryover_out",
        "totals.procurement_small_micro",
        "function:201",
    ):
        assert f not in COMPARED_FIELDS


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "text"),
    [
        (D("25790000"), "万元", None, "2,579 万元"),
        (D("26500"), "万元", 2, "2.65 万元"),
        (D("15000"), "万元", None, "1.5 万元"),
        (D("1"), "元", 2, "1.00 元"),
        (D("12"), "人", None, "12 人"),
        (D("3"), "美元", None, "3 元"),  # an unknown unit: shown in yuan
    ],
)
def test_format_amount(value, unit, decimals, text):
    assert format_amount(value, unit, decimals) == text


def test_thousandths_round_against_the_document():
    assert li_ceiling(D("0.0041")) == 5 and li_floor(D("0.0049")) == 4
    assert li_ceiling(D("-1")) == -1000 and li_floor(D("5000")) == 5_000_000


def _f(doc: str, exp: str, sev: str, msg: str) -> Finding:
    return Finding(doc, exp, "identities", sev, "document", msg)


def test_decide_quarantines_on_errors_and_flags_warnings():
    out = decide(
        ["a", "b", "c"],
        [
            _f("a", "x", "error", "表1 …"),
            _f("a", "y", "warning", "w"),
            _f("b", "y", "warning", "w"),
            _f("b", "y", "warning", "w2"),
        ],
        reason_chars=200,
    )
    assert out["a"] == Decision("a", "quarantined", "质量检查未通过：表1 …", ("y",))
    assert out["b"] == Decision("b", "published", None, ("y",))
    assert out["c"] == Decision("c", "published", None, ())


def test_reason_names_every_error_once_and_is_cut_readably():
    errors = [
        _f("a", "x", "error", "甲" * 50),
        _f("a", "x", "error", "甲" * 50),
        _f("a", "z", "error", "乙" * 50),
    ]
    assert reason_text(errors, 1000) == "质量检查未通过（2 项）：" + "甲" * 50 + "；" + "乙" * 50
    cut = reason_text(errors, 90)
    assert len(cut) == 90 and cut.endswith("…")


@pytest.mark.parametrize(
    ("coarse", "fine", "same"),
    [
        (("328,661", "万元"), ("3,286,618,082.20", "元"), True),  # the decimals dropped, not rounded
        (("328,662", "万元"), ("3,286,618,082.20", "元"), False),  # rounded up: the half step decides
        (("328,661", "万元"), ("3,286,620,100.00", "元"), False),  # more than one unit above
        (("328,661", "万元"), ("3,286,609,000.00", "元"), False),  # below the whole number
        (("2,579", "万元"), ("2,579", "万元"), False),  # two whole numbers: nothing was dropped
        (("2.65", "万元"), ("2.6599", "万元"), False),  # a printing with decimals keeps them
    ],
)
def test_a_whole_number_may_drop_the_other_printings_decimals(coarse, fine, same):
    def pr(t: tuple[str, str]) -> Printing:
        scale = {"万元": D(10_000), "元": D(1)}[t[1]]
        return Printing.of(D(t[0].replace(",", "")) * scale, printed=t[0], unit=t[1])

    assert truncated(pr(coarse), pr(fine)) is same
    assert truncated(pr(fine), pr(coarse)) is same
