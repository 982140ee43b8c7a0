"""Records from the real parser (sample corpus PDFs) load whole: every figure, cell and box round-trips."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

from budgetlens.fields import TOTALS_FIELDS
from warehouse.cells import cell_amounts
from warehouse.db import connect
from warehouse.loader import load_staged
from warehouse.staging import stage_records

from .records import REPO, SAMPLE_TRUTH

PICK = ("luohu-kjcxj-2022", "dapeng-huibian-2023", "longgang-bad-truncated-2023")


def sample_pdfs() -> list[tuple[str, Path]]:
    out = []
    for tid in PICK:
        truth_path = SAMPLE_TRUTH / f"{tid}.json"
        if truth_path.is_file():
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            pdf = REPO / "sample" / truth["file"]
            if pdf.is_file():
                out.append((tid, pdf))
    return out


def test_real_parse_records_round_trip(tmp_path):
    from budgetlens import parse

    assert len(sample_pdfs()) == len(PICK), "sample corpus PDFs are missing from the repository"
    staged, records_by_doc = [], {}
    for tid, pdf in sample_pdfs():
        records = parse.parse_pdf(pdf)
        sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
        paths = stage_records(
            tmp_path / "staging",
            records,
            file_sha256=sha,
            source_url=f"http://127.0.0.1/{tid}.pdf",
            file_name=pdf.name,
            fetched_at="2026-01-05T02:00:00+00:00",
        )
        staged += paths
        for p, rec in zip(paths, records, strict=True):
            records_by_doc[p.stem] = (tid, rec)
    report = load_staged(tmp_path / "w.duckdb", staged)
    assert report.failed == [] and report.rejected == [], (report.failed, report.rejected)
    assert report.documents == len(records_by_doc) >= 5  # seed + a 3-department compilation + a bad file

    con = connect(tmp_path / "w.duckdb", read_only=True)
    for doc_id, (tid, rec) in records_by_doc.items():
        status, reason = con.execute(
            "select status, status_reason from documents where doc_id = ?", [doc_id]
        ).fetchone()
        if rec["error"]:
            assert status == "quarantined" and reason.startswith(rec["error"]["code"]), tid
            continue
        assert status == "published", (tid, reason)
        totals = con.execute("select * exclude (doc_id) from totals where doc_id = ?", [doc_id]).fetchone()
        assert totals == tuple(
            None if rec["totals"][f] is None else Decimal(rec["totals"][f]) for f in TOTALS_FIELDS
        ), tid
        n_lines = con.execute("select count(*) from function_lines where doc_id = ?", [doc_id]).fetchone()[0]
        assert n_lines == len(rec["function_lines"])
        cells = con.execute(
            "select table_index, row_index, col_index, text, amount, page, x0, top, x1, bottom from table_cells where doc_id = ? order by 1, 2, 3",
            [doc_id],
        ).fetchall()
        expected = []
        for ti, table in enumerate(rec["tables"]):
            amounts = cell_amounts(table)
            boxes = table.get("boxes") or []
            for ri, row in enumerate(table["rows"]):
                for ci, text in enumerate(row):
                    box = boxes[ri][ci] if ri < len(boxes) and ci < len(boxes[ri]) else None
                    expected.append((ti, ri, ci, text, amounts[ri][ci], *(box if box else (None,) * 5)))
        assert cells == expected, tid
        if rec["tables"]:
            assert any(c[4] is not None for c in cells) and any(c[5] is not None for c in cells), tid
        prov = con.execute("select count(*) from provenance where doc_id = ?", [doc_id]).fetchone()[0]
        assert prov == len(rec["provenance"])
    con.close()
