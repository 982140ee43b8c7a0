"""The report's reasons link page images of both printings a failed check compared."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime

import pytest

from tests.conftest import SAMPLE

pytestmark = pytest.mark.xdist_group("quality_real")

# seeded: 表1 支出总计 71,860.32 万元 against 表7's 71,861.32 (docs: sample/truth)
CONTRADICTS = SAMPLE / "sites" / "baoan" / "files" / "2023年深圳市宝安区教育局部门预算（第二版）.pdf"


def test_a_quarantined_documents_reason_links_both_printings_on_their_pages(tmp_path):
    from budgetlens.parse import parse_pdf
    from budgetlens.report.build import build_report
    from expectations.stage import run_quality
    from warehouse.db import connect
    from warehouse.loader import load_staged
    from warehouse.models import build_models
    from warehouse.staging import stage_records

    records = parse_pdf(CONTRADICTS)
    sha = records[0]["source"]["sha256"]
    raw = tmp_path / "raw"
    (raw / sha[:2]).mkdir(parents=True)
    shutil.copy(CONTRADICTS, raw / sha[:2] / f"{sha}.pdf")
    now = datetime(2026, 1, 5, tzinfo=UTC)
    wh = tmp_path / "wh.duckdb"
    load_staged(wh, stage_records(tmp_path / "s", records, fetched_at=now, file_name=CONTRADICTS.name))
    con = connect(wh)
    try:
        report = run_quality(con, None)
        assert report.quarantined, "the seeded contradiction quarantines the document"
        build_models(con)
        result = build_report(con, tmp_path / "out", raw_dir=raw)
        pages = sorted(
            r[0]
            for r in con.execute(
                "select distinct o.page from quality_results q join observations o on o.doc_id = q.doc_id "
                "and o.field = split_part(q.item, '@', 1) "
                "and (o.canonical or o.obs_index = try_cast(regexp_extract(q.item, '#(\\d+)$', 1) as integer)) "
                "where q.expectation = 'printings_agree_across_tables' and q.severity = 'error'"
            ).fetchall()
        )
    finally:
        con.close()
    index = result.index.read_text(encoding="utf-8")
    links = re.findall(r'<a class="on-page" href="(inspect/[^"]+\.png)"[^>]*>on page (\d+)</a>', index)
    assert len(pages) >= 2 and sorted({int(p) for _, p in links}) == pages  # both printings' pages
    for href, _ in links:
        image = result.index.parent / href
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
