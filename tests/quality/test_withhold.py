"""Withholding one figure instead of quarantining the budget (docs/quality.md, "Withheld figures")."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import duckdb

from expectations.decide import WITHHELD, decide, withheld_field, withhold
from expectations.spec import Finding
from warehouse.schema import create_schema


def _finding(expectation: str, item: str, severity: str = "error") -> Finding:
    return Finding("d1", expectation, "crosscheck", severity, item, f"{item}: two printings differ")


def test_a_disagreement_about_one_figure_withholds_it_and_publishes():
    f = _finding("printings_agree_across_tables", "function:210@appropriation_summary#3")
    (held,) = withhold([f])
    assert held.severity == WITHHELD and withheld_field(held) == "function:210"
    verdict = decide(["d1"], [held], reason_chars=1000)["d1"]
    assert (verdict.status, verdict.reason) == ("published", None)
    assert verdict.flags == ("printings_agree_across_tables",)


def test_grand_totals_and_identities_still_quarantine():
    grand = _finding("prose_agrees_with_tables", "totals.expense_total@prose#1")
    identity = _finding("income_equals_expense", "document")
    held = withhold([grand, identity])
    assert [h.severity for h in held] == ["error", "error"]
    assert decide(["d1"], held, reason_chars=1000)["d1"].status == "quarantined"


def test_a_warning_is_never_turned_into_a_withholding():
    f = _finding("prose_agrees_with_tables", "totals.three_public_total@prose#2", severity="warning")
    assert withhold([f]) == [f]


def test_the_comparisons_read_a_withheld_total_as_null():
    con = duckdb.connect()
    create_schema(con)
    con.execute(
        "insert into totals (doc_id, three_public_total, expense_total) values ('d1', 55800, 46843000)"
    )
    con.execute(
        "insert into quality_results values ('d1', 'prose_agrees_with_tables', 'crosscheck', 'withheld', "
        "'totals.three_public_total@prose#4', '表9 三公经费 5.58 万元 ≠ 正文 6.58 万元', now())"
    )
    row = con.execute("select three_public_total, expense_total from published_totals").fetchone()
    assert row == (None, Decimal("46843000.00"))
    assert con.execute("select field, expectation from withheld_figures").fetchall() == [
        ("totals.three_public_total", "prose_agrees_with_tables")
    ]
    con.close()


def test_a_withheld_function_line_is_named_by_its_record_path():
    con = duckdb.connect()
    create_schema(con)
    con.execute(
        "insert into function_lines values ('d1', 0, '201', 'x', 1, 1, 0, 1), ('d1', 1, '210', 'y', 1, 2, 0, 2)"
    )
    con.execute(
        "insert into quality_results values ('d1', 'printings_agree_across_tables', 'crosscheck', 'withheld', "
        "'function:210@appropriation_summary#7', '210 33.04 万元 ≠ 33.03 万元', now())"
    )
    assert con.execute("select field from withheld_figures").fetchall() == [("function_lines[1].total",)]
    con.close()


def test_an_identity_broken_by_a_withheld_figure_withholds_it_instead_of_quarantining():
    held = Finding(
        "d1", "prose_agrees_with_tables", "crosscheck", "error", "totals.vehicle_total@prose#4", "x"
    )
    sums = Finding(
        "d1", "vehicle_parts_sum", "identities", "error", "document", "24.10 ≠ 24.1 + 8.4",
        ("totals.vehicle_total", "totals.vehicle_purchase", "totals.vehicle_operation"),
    )  # fmt: skip
    other = replace(sums, doc_id="d2")  # nothing withheld in d2: the identity still quarantines
    grand = Finding(
        "d1", "income_equals_expense", "identities", "error", "document", "收入 ≠ 支出",
        ("totals.expense_total", "totals.income_total", "totals.vehicle_total"),
    )  # fmt: skip
    out = withhold([held, sums, other, grand])
    assert [(f.doc_id, f.expectation, f.severity, f.item) for f in out] == [
        ("d1", "prose_agrees_with_tables", WITHHELD, "totals.vehicle_total@prose#4"),
        ("d1", "vehicle_parts_sum", WITHHELD, "totals.vehicle_total@vehicle_parts_sum"),
        ("d2", "vehicle_parts_sum", "error", "document"),
        ("d1", "income_equals_expense", "error", "document"),  # a grand total: never withheld
    ]
    assert decide(["d1", "d2"], out, reason_chars=200)["d1"].status == "quarantined"  # the grand total
    assert decide(["d1"], out[:2], reason_chars=200)["d1"].status == "published"
