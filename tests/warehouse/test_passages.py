"""record.passages load into the passages table, replaced by doc_id; a record without them gives none."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import connect
from warehouse.loader import load_staged
from warehouse.staging import stage_envelope, stage_records

from .records import luohu_record, sha

PASSAGES = [
    {
        "text": "本部门2022年支出预算合计2,579万元，其中：基本支出952万元，占36.91%；项目支出1,627万元，占63.09%。",
        "page": 5,
    },
    {"text": "政府采购预算300万元，占支出预算的11.63%。", "page": 7},
]


def _stage(staging: Path, passages: list[dict] | None, file_sha: str | None = None) -> list[Path]:
    rec = luohu_record(file_sha)
    if passages is not None:
        rec["passages"] = passages
    return stage_records(
        staging,
        [rec],
        file_sha256=rec["source"]["sha256"],
        source_url=f"http://127.0.0.1/luohu/files/{rec['source']['sha256'][:8]}.pdf",
        file_name="a.pdf",
    )


def _rows(wh_path: Path) -> list[tuple]:
    con = connect(wh_path, read_only=True)
    try:
        return con.execute(
            "select doc_id, passage_no, page, text from passages order by doc_id, passage_no"
        ).fetchall()
    finally:
        con.close()


def test_passages_land_in_their_table_and_are_replaced_by_doc_id(wh_path, staging):
    report = load_staged(wh_path, _stage(staging, PASSAGES))
    assert report.rows["passages"] == 2
    doc = sha("luohu-kjcxj-2022")
    assert _rows(wh_path) == [(doc, 0, 5, PASSAGES[0]["text"]), (doc, 1, 7, PASSAGES[1]["text"])]
    load_staged(wh_path, _stage(staging, PASSAGES[1:]))  # a re-parse that keeps one
    assert _rows(wh_path) == [(doc, 0, 7, PASSAGES[1]["text"])]


def test_a_record_without_passages_gives_no_rows(wh_path, staging):
    """Older staged envelopes and truth records have no `passages`: they load, with no row."""
    report = load_staged(wh_path, _stage(staging, None))
    assert report.published == 1 and report.rows["passages"] == 0
    assert _rows(wh_path) == []


def test_a_malformed_passage_fails_the_envelope_clearly(wh_path, staging):
    rec = luohu_record(sha("bad"))
    rec["passages"] = [{"text": 37, "page": 5}]
    bad = stage_envelope(staging, doc_id=sha("bad"), file_sha256=sha("bad"), record=rec)
    report = load_staged(wh_path, [bad])
    assert [r[0] for r in report.failed] == [sha("bad")]
    assert "passages[0].text" in report.failed[0][1]
    assert _rows(wh_path) == []
