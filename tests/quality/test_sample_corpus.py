"""The whole sample corpus through parser, warehouse and quality stage: the truth's verdicts hold.

Every good document publishes (the one-yuan slip too, with a warning: it replaces its clean
original, so no department-year has two budgets); every corrupted one is quarantined with its
truth's reason; bad inputs never publish. Each document is its own test case, so a parser defect
shows up as the document and field it concerns.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("quality_sample")]
FETCHED = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def _manifest() -> list[dict]:
    path = SAMPLE / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))["documents"] if path.is_file() else []


DOCUMENTS = _manifest()


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, sample_dir: Path):
    assert DOCUMENTS, f"no sample corpus at {sample_dir}: it is part of the repository"
    from budgetlens.parse import parse_many
    from expectations.stage import run_quality
    from warehouse import db
    from warehouse.loader import load_staged
    from warehouse.staging import stage_records

    root = tmp_path_factory.mktemp("quality-sample")
    url_of = {sample_dir / d["file"]: d["file"] for d in DOCUMENTS}
    staged = []
    for path, records in parse_many(list(url_of), workers=2, timeout_s=120):
        staged += stage_records(
            root / "staging",
            records,
            source_url=f"http://127.0.0.1/{url_of[path]}",
            file_name=path.name,
            fetched_at=FETCHED,
            parsed_at=FETCHED,
        )
    load_staged(root / "wh.duckdb", staged)
    con = db.connect(root / "wh.duckdb")
    try:
        report = run_quality(con, root / "out")
        rows = con.execute(
            "select d.source_url, d.record_index, d.status, d.status_reason, d.department, "
            "list(r.expectation) filter (where r.severity = 'error') "
            "from current_documents d left join quality_results r using (doc_id) group by all"
        ).fetchall()
    finally:
        con.close()
    by_file: dict[str, list[tuple]] = {}
    for url, k, status, reason, dept, errors in rows:
        by_file.setdefault(url.removeprefix("http://127.0.0.1/"), []).append(
            (k, status, reason, dept, errors or [])
        )
    return report, {f: sorted(v) for f, v in by_file.items()}


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d["id"] for d in DOCUMENTS])
def test_sample_document_verdict(sample_run, sample_dir, doc):
    _, by_file = sample_run
    truth = json.loads((sample_dir / doc["truth"]).read_text(encoding="utf-8"))
    records = by_file.get(doc["file"], [])
    if truth["expect"]["error_code"]:
        assert all(r[1] != "published" for r in records), records  # a bad input never publishes
        return
    assert len(records) == truth["expect"]["records"], records
    for _, status, reason, dept, _errors in records:
        if truth["quality"]["status"] == "quarantined":
            assert status == "quarantined", (
                f"{dept}: published although the truth says {truth['quality']['reasons']}"
            )
            for expected in truth["quality"]["reasons"]:
                missing = _numbers(expected.split("：", 1)[1]) - _numbers(reason.replace(" = ", " "))
                assert not missing, f"{dept}: the reason lacks {missing}: {reason}"
        else:
            assert status == "published", f"{dept}: {reason}"


def test_data_docs_for_the_sample(sample_run):
    report, _ = sample_run
    assert report.data_docs and Path(report.data_docs).is_file()
    assert report.documents > 100
