"""The 三公 table's own identities, as the reader checks a reading before it is used."""

from __future__ import annotations

from decimal import Decimal

from budgetlens.parse.extract import Figure
from budgetlens.parse.three_public import identity_failures


def fig(printed: str) -> Figure:
    return Figure(Decimal(printed) * 10000, printed, "万元", 1, None, label="合计")


def test_a_reading_that_adds_up_fails_nothing() -> None:
    figs = {
        "three_public_total": fig("418.26"),
        "overseas_travel": fig("80.00"),
        "official_reception": fig("101.26"),
        "vehicle_total": fig("237.00"),
        "vehicle_purchase": fig("0.00"),
        "vehicle_operation": fig("237.00"),
    }
    assert identity_failures(figs) == []


def test_the_vehicle_parts_stand_in_for_an_unread_vehicle_total() -> None:
    figs = {
        "three_public_total": fig("31.47"),
        "overseas_travel": fig("19.86"),
        "official_reception": fig("0.80"),
        "vehicle_purchase": fig("30.67"),
        "vehicle_operation": fig("19.56"),
    }
    assert identity_failures(figs) == ["合计 31.47 ≠ 19.86 + 0.80 + 30.67 + 19.56"]
    figs["three_public_total"] = fig("70.89")
    assert identity_failures(figs) == []


def test_a_total_below_the_parts_read_beside_it_is_a_misreading() -> None:
    # the purchase column not read: the 公务用车 total (a blank cell, 0) cannot be below its operation
    figs = {"vehicle_total": fig("0"), "vehicle_operation": fig("237")}
    assert identity_failures(figs) == ["合计 0 < 237"]
    # a total at or above the parts read is not contradicted by them
    figs = {
        "three_public_total": fig("418.26"),
        "overseas_travel": fig("80"),
        "official_reception": fig("101.26"),
    }
    assert identity_failures(figs) == []


def _offered(table: dict[str, str], prose: dict[str, str]):
    from budgetlens.parse.core import _Totals

    totals = _Totals()
    for f, printed in table.items():
        totals.offer(f, fig(printed))
    for f, printed in prose.items():
        totals.offer(f, Figure(Decimal(printed) * 10000, printed, "万元", 2, None, source="prose"), "正文")
    return totals


def test_a_table_read_in_part_that_the_prose_contradicts_is_left_out() -> None:
    from budgetlens.parse.core import _three_public_read_in_part

    # the 三公 header cut over two pages: only the 公务用车 total was read from the table, as 0.00
    # (a blank cell); the prose states every figure, 2.60 for 公务用车, and its figures add up
    prose = {
        "three_public_total": "5.58",
        "overseas_travel": "0.00",
        "official_reception": "2.98",
        "vehicle_total": "2.60",
        "vehicle_purchase": "0.00",
        "vehicle_operation": "2.60",
    }
    totals = _offered({"vehicle_total": "0.00"}, prose)
    warnings: list = []
    _three_public_read_in_part(totals, warnings)
    assert totals.chosen["vehicle_total"].printed == "2.60"
    assert totals.chosen["vehicle_total"].source == "prose"
    assert totals.others.get("vehicle_total") in (None, [])
    assert [w.code for w in warnings] == ["unreadable_figures"]


def test_a_document_that_contradicts_itself_keeps_its_table() -> None:
    from budgetlens.parse.core import _three_public_read_in_part

    # the table read whole (its identities hold) against a prose slip: the document's own
    # contradiction, reported by the cross-checks, never mended here
    table = {
        "three_public_total": "87.36",
        "overseas_travel": "10.00",
        "official_reception": "7.36",
        "vehicle_total": "70.00",
        "vehicle_purchase": "0.00",
        "vehicle_operation": "70.00",
    }
    totals = _offered(table, {"three_public_total": "887.36"})
    warnings: list = []
    _three_public_read_in_part(totals, warnings)
    assert totals.chosen["three_public_total"].printed == "87.36" and warnings == []
    # read in part, where the prose's figure would not make the identities hold either: kept
    totals = _offered(
        {"vehicle_purchase": "3.00"},
        {"vehicle_total": "2.60", "vehicle_purchase": "5.00", "vehicle_operation": "2.60"},
    )
    _three_public_read_in_part(totals, warnings)
    assert totals.chosen["vehicle_purchase"].printed == "3.00" and warnings == []
