"""Every check's outcome per document: passed, failed, or skipped with the reason."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from expectations.outcomes import NO_ROWS, checked_rows, counts, outcomes
from expectations.spec import ExpectationSpec, Finding
from tests.quality.builders import budget, evaluate, line

TOL = ExpectationSpec("t", "s", "f", "a tolerance check", "materiality", "x", "within_tolerance")
NOT_NULL = ExpectationSpec("n", "s", "f", "a not-null check", "error", "x", "not_null")
IN_SET = ExpectationSpec("v", "s", "f", "a value check", "error", "x", "in_set", value_set=(True,))


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "c"],
            "item": ["1", "2", "1", "1"],
            "t__tol": [5, None, None, 1],
            "t__diff": [0, 3, None, 2],
            "n__value": ["x", None, None, "y"],
            "v__value": [True, None, None, None],
        }
    )


def test_a_check_looks_only_at_rows_with_its_inputs_as_gx_does():
    rows, looked = checked_rows(frame(), TOL)
    assert rows == {"a": 2, "b": 1, "c": 1} and looked == {"a": 1, "c": 1}
    _, looked = checked_rows(frame(), NOT_NULL)  # a null is what not_null checks: every row counts
    assert looked == {"a": 2, "b": 1, "c": 1}
    _, looked = checked_rows(frame(), IN_SET)
    assert looked == {"a": 1}


def test_passed_failed_and_skipped_with_the_reason():
    findings = [Finding("c", "t", "s", "error", "1", "1 ≠ 2"), Finding("c", "t", "s", "withheld", "1", "x")]
    got = {
        (o.doc_id, o.expectation): o for o in outcomes(["a", "b", "c", "d"], [TOL], {"f": frame()}, findings)
    }
    assert got["a", "t"].outcome == "passed" and got["a", "t"].checked == 1
    assert got["b", "t"].outcome == "skipped" and "absent (1 rows)" in got["b", "t"].reason
    assert (
        got["c", "t"].outcome == "failed" and got["c", "t"].failed == 2 and got["c", "t"].severity == "error"
    )
    assert got["d", "t"].outcome == "skipped" and got["d", "t"].reason == NO_ROWS
    assert counts(got.values()) == {"passed": 1, "failed": 1, "skipped": 2}
    # a frame that did not run gives no outcome (never a pass)
    assert outcomes(["a"], [TOL], {}, []) == []


def test_the_suites_record_an_outcome_for_every_check_of_every_document():
    from expectations.stage import all_specs

    clean = budget("clean", department="甲局", department_canonical="甲局")
    slip = budget("slip", department="乙局", department_canonical="乙局")
    line(slip, "206")["total"] += Decimal(10000)  # 类 line ≠ its 款 lines
    bare = budget("bare", department="丙局", department_canonical="丙局")
    bare["procurement_lines"] = []
    bare["totals"].update(procurement_total=None, procurement_sme=None, procurement_small_micro=None)
    ev = evaluate(clean, slip, bare)
    by = {(o.doc_id, o.expectation): o for o in ev.checks}
    names = {o.expectation for o in ev.checks}
    from expectations.context import SuiteContext
    from expectations.data import WarehouseData

    assert names == {s.name for s in all_specs(SuiteContext.build(WarehouseData()))}
    assert len(ev.checks) == 3 * len(names)  # one outcome per check per document
    assert by["clean", "function_sections_sum_to_class"].outcome == "passed"
    assert by["slip", "function_sections_sum_to_class"].outcome == "failed"
    assert by["bare", "procurement_sme_within_total"].outcome == "skipped"
    assert by["clean", "procurement_sme_within_total"].outcome == "passed"
    failed_docs = {(f.doc_id, f.expectation) for f in ev.findings}
    assert {k for k, o in by.items() if o.outcome == "failed"} == failed_docs


def test_status_and_report_count_the_outcomes_the_quality_stage_recorded(tmp_path):
    from budgetlens.report.data import load_report_data
    from budgetlens.report.render import render_report
    from expectations.stage import run_quality
    from pipeline.commands.status import check_lines
    from tests.warehouse.records import luohu_record, sha
    from warehouse.db import connect
    from warehouse.loader import load_staged
    from warehouse.models import build_models
    from warehouse.staging import stage_records
    from warehouse.status import status_report

    wh = tmp_path / "wh.duckdb"
    a = luohu_record(sha("a"))
    b = luohu_record(sha("b"), department="深圳市罗湖区另一局")
    b["totals"]["three_public_total"] = "36500.00"  # 三公 ≠ its parts: a failed check
    load_staged(wh, stage_records(tmp_path / "s", [a]) + stage_records(tmp_path / "s", [b]))
    con = connect(wh)
    try:
        report = run_quality(con, None)
        stored = dict(con.execute("select outcome, count(*) from quality_checks group by 1").fetchall())
        build_models(con)
        status = status_report(con)
        data = load_report_data(con)
    finally:
        con.close()
    assert report.checks == {k: stored.get(k, 0) for k in ("passed", "failed", "skipped")}
    assert stored["failed"] >= 1 and stored["passed"] > 10
    assert {o: n for o, (n, _) in status.checks.items()} == stored
    line = " ".join(check_lines(status.checks, 80))
    # both hand-made records lack standard tables (a warning); one also fails its 三公 sum
    assert f"{stored['passed']:,} passed" in line and f"{stored['failed']:,} failed (in 2 documents)" in line
    three = next(c for c in data.checks if c["expectation"] == "three_public_parts_sum")
    assert (three["passed"], three["failed"], three["skipped"]) == (1, 1, 0)
    index = render_report(data)["index.html"]
    assert 'data-check="three_public_parts_sum"' in index and "A skipped check is not a passed one" in index
