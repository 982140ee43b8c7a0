"""The data path of prose_shares_match_tables: record.passages → the warehouse's passages table →
`WarehouseData.prose_passages` (expectations/sql/prose_passages.sql) → the peers suite's share check.

Two constructed budgets (the seed's figures: 支出 2,579 万元, 基本支出 952 万元 = 36.91 %) are staged,
loaded into a real DuckDB file and read back by `expectations.data.load`: the one whose sentence
states 36.91 % passes the check, the one stating 40 % fails it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from expectations.suites import peers
from tests.quality.builders import failed
from tests.quality.test_peers import SHARES, _items
from tests.warehouse.records import luohu_record, sha
from warehouse import db
from warehouse.loader import load_staged
from warehouse.staging import stage_records

SENTENCE = "本部门2022年支出预算合计2,579万元，其中：基本支出952万元，占{pct}；项目支出1,627万元，占63.09%。"


def _stage(staging: Path, name: str, pct: str | None) -> list[Path]:
    rec = luohu_record(sha(name), department=f"深圳市罗湖区{name}局")
    if pct is not None:
        rec["passages"] = [{"text": SENTENCE.format(pct=pct), "page": 5}]
    return stage_records(
        staging,
        [rec],
        file_sha256=sha(name),
        source_url=f"http://127.0.0.1/luohu/files/{name}.pdf",
        file_name=f"{name}.pdf",
        jurisdiction_hint="深圳市罗湖区",
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("passages")
    paths = [
        *_stage(tmp / "staging", "right", "36.91%"),
        *_stage(tmp / "staging", "wrong", "40%"),
        *_stage(tmp / "staging", "older", None),  # staged by a parser before 0.3.1
    ]
    wh = tmp / "wh.duckdb"
    load_staged(wh, paths)
    return wh


@pytest.fixture(scope="module")
def data(warehouse):
    from expectations.data import load

    con = db.connect(warehouse, read_only=True)
    try:
        return load(con)
    finally:
        con.close()


def test_the_passages_reach_the_suites(data):
    assert data.prose_passages[sha("right")] == [
        {"doc_id": sha("right"), "passage_no": 0, "text": SENTENCE.format(pct="36.91%"), "page": 5}
    ]
    assert sha("wrong") in data.prose_passages and sha("older") not in data.prose_passages


def test_a_wrong_share_fails_and_a_right_one_passes(data):
    from expectations.context import SuiteContext
    from expectations.runner import GxRunner
    from expectations.stage import evaluate

    ctx = SuiteContext.build(data)
    frame = peers.frames(ctx)[peers.DOCS]
    for name in ("right", "wrong"):  # both read: 基本支出 and 项目支出 against 支出预算合计
        assert _items(frame[frame["doc_id"] == sha(name)], peers.PROSE_SHARES) == [
            "share.basic_expense#1",
            "share.project_expense#1",
        ]
    ev = evaluate(ctx, GxRunner(None))
    assert SHARES not in failed(ev, sha("right"))
    assert failed(ev, sha("wrong"))[SHARES] == {"error"}
    (msg,) = [f.message for f in ev.findings if f.doc_id == sha("wrong") and f.expectation == SHARES]
    assert msg.startswith("正文（第5页） “基本支出952万元，占40%” ≠ ")
    assert SHARES not in failed(ev, sha("older"))


def test_a_warehouse_without_the_table_loads_no_passages(warehouse, tmp_path):
    """An older warehouse (no passages table): the check has no data, nothing fails."""
    import shutil

    from expectations.data import load

    old = tmp_path / "old.duckdb"
    shutil.copy(warehouse, old)
    con = db.connect(old)
    try:
        con.execute("drop table passages")
        assert load(con).prose_passages == {}
    finally:
        con.close()
