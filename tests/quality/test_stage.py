"""The quality stage on a real warehouse: decisions recorded, idempotent, skips when nothing changed.

Two sample documents are parsed once (the seed and its cross-table corruption from the sample
corpus) and loaded into a fresh DuckDB file per test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.quality.conftest import stage
from tests.warehouse.helpers import set_status
from warehouse import db
from warehouse.loader import load_staged


@pytest.fixture
def warehouse(parsed, tmp_path) -> tuple[Path, list[Path]]:
    envelopes = stage(parsed, tmp_path / "staging")
    wh = tmp_path / "wh.duckdb"
    load_staged(wh, envelopes)
    return wh, envelopes


def statuses(con) -> dict[str, tuple]:
    rows = con.execute(
        "select source_url, status, status_reason, quality_flags, checked_at is not null from documents"
    ).fetchall()
    return {r[0].rsplit("/", 1)[1].removesuffix(".pdf"): r[1:] for r in rows}


def results(con) -> list[tuple]:
    return con.execute(
        "select doc_id, expectation, suite, severity, item, message from quality_results order by all"
    ).fetchall()


def test_a_run_records_verdicts_results_and_the_run(warehouse, tmp_path):
    from expectations.stage import run_quality

    wh, _ = warehouse
    con = db.connect(wh)
    try:
        before = statuses(con)
        assert before["bad"][0] == "quarantined" and before["bad"][3] is False  # the loader's verdict
        report = run_quality(con, tmp_path / "out")
        st = statuses(con)
        assert st["seed"] == ("published", None, None, True)
        assert st["cross"][0] == "quarantined" and "71,861.32 万元" in st["cross"][1]
        assert st["bad"] == before["bad"]  # parse errors keep the loader's status and reason
        assert report.documents == 2 and report.published == 1 and len(report.quarantined) == 1
        assert {r[1] for r in results(con)} >= {"printings_agree_across_tables"}
        (runs,) = con.execute("select count(*) from quality_runs").fetchone()
        assert runs == 1
        assert (tmp_path / "out" / "data_docs" / "index.html").is_file()
    finally:
        con.close()


def test_rerunning_changes_nothing_and_skips_without_gx(warehouse, tmp_path):
    from expectations.stage import run_quality

    wh, _ = warehouse
    con = db.connect(wh)
    try:
        run_quality(con, tmp_path / "out")
        first = (statuses(con), results(con))
        again = run_quality(con, tmp_path / "out")
        assert again.skipped and "nothing loaded since the last quality run" in again.skip_reason
        assert again.data_docs == str(tmp_path / "out" / "data_docs" / "index.html")
        con.close()
        probe = (
            "import sys; from warehouse import db; from expectations.stage import run_quality; "
            f"r = run_quality(db.connect({str(wh)!r}), None); "
            "print(r.skipped, 'great_expectations' in sys.modules)"
        )
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
        )
        assert out.stdout.split() == ["True", "False"], out.stderr  # skipped, and GX never imported
        con = db.connect(wh)
        forced = run_quality(con, tmp_path / "out", force=True)
        assert not forced.skipped
        assert (statuses(con), results(con)) == first  # idempotent: same verdicts, no duplicated rows
        (runs,) = con.execute("select count(*) from quality_runs").fetchone()
        assert runs == 2
        elsewhere = run_quality(con, tmp_path / "new-out")  # a new output folder gets its Data Docs
        assert not elsewhere.skipped and Path(elsewhere.data_docs).is_file()
    finally:
        con.close()


def test_a_reloaded_document_is_validated_again(warehouse, tmp_path):
    from expectations.stage import run_quality

    wh, envelopes = warehouse
    con = db.connect(wh)
    try:
        run_quality(con, tmp_path / "out")
        load_staged(con, envelopes)  # the loader resets statuses and drops the old results
        assert statuses(con)["cross"][:2] == ("published", None)
        assert results(con) == []
        report = run_quality(con, tmp_path / "out")
        assert not report.skipped
        assert statuses(con)["cross"][0] == "quarantined"
    finally:
        con.close()


def test_a_warehouse_without_observations_still_validates(warehouse, tmp_path):
    from expectations.stage import run_quality

    wh, _ = warehouse
    con = db.connect(wh)
    try:
        con.execute("drop table observations")
        report = run_quality(con, None)
        assert not report.observations and report.data_docs is None
        assert report.frames["crosscheck_printings"] == 0  # nothing to compare: said in the report
        assert statuses(con)["seed"][0] == "published"
    finally:
        con.close()


def test_the_check_queries_see_a_published_document_with_errors(warehouse, tmp_path):
    from expectations.data import sql
    from expectations.stage import run_quality

    wh, _ = warehouse
    con = db.connect(wh)
    try:
        run_quality(con, tmp_path / "out")
        assert con.execute(sql("published_with_errors")).fetchall() == []
        assert con.execute(sql("unchecked_published")).fetchall() == []
        assert con.execute(sql("duplicate_published")).fetchall() == []
        doc_id = con.execute("select doc_id from documents where source_url like '%/cross.pdf'").fetchone()[0]
        set_status(con, doc_id, "published", "published by hand")
        rows = con.execute(sql("published_with_errors")).fetchall()
        assert {r[0] for r in rows} == {doc_id}
        assert "printings_agree_across_tables" in {r[2] for r in rows}
    finally:
        con.close()


def test_an_incremental_run_validates_only_what_was_loaded_and_agrees_with_a_full_run(parsed, tmp_path):
    """The cost of a run follows what changed: documents decided before are not read again, their
    stored verdicts stand, and uniqueness is still decided across every document."""
    from expectations.stage import run_quality

    wh = tmp_path / "wh.duckdb"
    load_staged(wh, stage(parsed, tmp_path / "s1", names=("seed",)))
    con = db.connect(wh)
    try:
        first = run_quality(con, tmp_path / "out")
        assert not first.incremental and first.validated == 1
        load_staged(con, stage(parsed, tmp_path / "s2", names=("cross",)))
        # the seed again under a second URL: a duplicate of a document decided in the earlier run
        twin = stage(parsed, tmp_path / "s3", names=("seed",))
        load_staged(con, [_with_url(p, "http://127.0.0.1/seed-copy.pdf", "c" * 64) for p in twin])
        second = run_quality(con, tmp_path / "out")
        assert second.incremental and second.validated == 2 and second.documents == 3
        st = statuses(con)
        assert st["cross"][0] == "quarantined"
        assert sorted([st["seed"][0], st["seed-copy"][0]]) == ["published", "quarantined"]
        assert "重复" in (st["seed"][1] or st["seed-copy"][1])
        incremental = (st, results(con))
        full = run_quality(con, tmp_path / "out", force=True)
        assert not full.incremental and full.validated == 3
        assert (statuses(con), results(con)) == incremental
    finally:
        con.close()


def _with_url(envelope: Path, url: str, sha: str) -> Path:
    """The same staged record as if fetched from another URL with other bytes."""
    import json

    data = json.loads(envelope.read_text(encoding="utf-8"))
    data.update(doc_id=sha, file_sha256=sha, source_url=url)
    data["record"]["source"]["sha256"] = sha
    out = envelope.with_name(f"{sha}.json")
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out
