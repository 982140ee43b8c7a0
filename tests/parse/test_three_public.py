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
