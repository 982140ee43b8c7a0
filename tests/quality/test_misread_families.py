"""Where the parser misreads a table, the quality gate must keep the wrong figure out of every
comparison: withheld (null, with the reason), never published.

Each case re-renders a sample truth in a layout that parser 0.3.4 misread (defects the corpus
found; 0.3.5 reads both exactly, tests/parse/test_corpus_families.py and test_corpus_defects.py)
and replays that misreading on the record's totals, exactly as 0.3.4 wrote them: the rendered
document, its tables and passages are real, the wrong figures are the ones the old parser printed.
The record then goes through the loader and the suites; every figure read wrong must be withheld
(null where figures are compared), and the budget published with the rest of its figures."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from budgetlens.fields import TOTALS_FIELDS
from tests.conftest import SAMPLE
from tests.parse.test_corpus_defects import chromium_printer, corpus_fonts, office_printer, relayout

__all__ = ["chromium_printer", "corpus_fonts", "office_printer"]

pytestmark = pytest.mark.xdist_group("quality_real")

MISREAD = [
    # 三公 fund matrix without vertical rules: 0.3.4 read 公务接待费 and 公务用车 from the wrong columns
    pytest.param(
        "pingshan-wtlj-2022", {"variations": ["three_public:fund_matrix", "rules:hrules"], "producer": "chromium"},
        "chromium_printer", {"official_reception": "0.00", "vehicle_total": "241000.00"},
        id="fund_matrix-chromium-hrules",
    ),
    # 基本支出 headers joined by the office suite: 0.3.4 glued 人员支出 810 and 公用支出 87 into 81087
    pytest.param(
        "luohu-kjcxj-2022", {"variations": ["rules:hrules"], "producer": "office"},
        "office_printer", {"personnel_expense": "810870000.00", "operating_expense": "810870000.00"},
        id="unruled-basic-columns-office",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("truth_id", "changes", "printer", "misread"), MISREAD)
def test_a_misread_figure_is_never_published(truth_id, changes, printer, misread, tmp_path: Path, request):
    from budgetlens.parse import parse_pdf
    from corpus.render import render_truth
    from expectations.stage import run_quality
    from warehouse.db import connect
    from warehouse.loader import load_staged
    from warehouse.staging import stage_records

    request.getfixturevalue(printer)
    truth = relayout(json.loads((SAMPLE / "truth" / f"{truth_id}.json").read_text(encoding="utf-8")), changes)
    records = parse_pdf(render_truth(truth, tmp_path / f"{truth_id}.pdf"))
    want = truth["records"][0]["totals"]
    assert all(records[0]["totals"].get(f) == want.get(f) for f in misread), "read exactly since 0.3.5"
    records[0]["totals"].update(misread)  # the misreading of parser 0.3.4, replayed
    read = records[0]["totals"]
    wrong = {f for f in TOTALS_FIELDS if read.get(f) is not None and want.get(f) is not None
             and Decimal(read[f]) != Decimal(want[f])}  # fmt: skip
    assert wrong == set(misread)
    wh = tmp_path / "wh.duckdb"
    load_staged(wh, stage_records(tmp_path / "s", records, fetched_at="2026-01-05T00:00:00+00:00"))
    con = connect(wh)
    try:
        run_quality(con, None)
        status, con_reason = con.execute("select status, status_reason from documents").fetchone()
        published = con.execute("select * from published_totals").fetchdf().iloc[0].to_dict()
        withheld = {r[0] for r in con.execute("select field from withheld_figures").fetchall()}
    finally:
        con.close()
    # the misread figures are withheld, and so are the identities they break (the sum of a misread
    # part is no evidence that the document contradicts itself): the rest of the budget is compared
    assert status == "published", con_reason
    for f in wrong:
        assert published[f] is None or published[f] != published[f], (f, published[f])  # null (NaN in pandas)
        assert f"totals.{f}" in withheld
