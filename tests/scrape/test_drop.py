"""The drop folder source: local PDFs into the raw store, unchanged files not read again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from budgetlens.scrape import RawStore, fetch_jurisdiction, load_sources, scan_drop_folder
from budgetlens.scrape.records import (
    DOWNLOADED,
    NOT_SETTLED,
    REFUSED_HOST,
    REJECTED_NOT_PDF,
    TOO_LARGE,
    UNCHANGED,
)

from .conftest import make_pdf, write_config


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    (folder / "2023" / "nested").mkdir(parents=True)
    (folder / "罗湖区教育局2023年部门预算.pdf").write_bytes(make_pdf("edu"))
    (folder / "2023" / "nested" / "finance.PDF").write_bytes(make_pdf("fin"))
    (folder / "notes.txt").write_text("not a pdf name", encoding="utf-8")
    (folder / ".hidden.pdf").write_bytes(make_pdf("hidden"))
    (folder / "copying.pdf.part").write_bytes(b"%PDF-")
    (folder / "fake.pdf").write_bytes(b"<html>not a pdf</html>")
    return folder


def _config(tmp_path: Path, drop: Path, **settings: object):
    return load_sources(
        write_config(
            tmp_path / "drop.toml",
            {"dropbox": {"name": "手工投放", "drop_dir": str(drop)}},
            defaults=settings or None,
        )
    )


def test_scan_lists_pdfs_only(drop: Path) -> None:
    assert [f.relpath for f in scan_drop_folder(drop)] == [
        "fake.pdf",
        "罗湖区教育局2023年部门预算.pdf",
        "2023/nested/finance.PDF",
    ]
    assert scan_drop_folder(drop / "missing") == []


def test_drop_folder_ingest_then_unchanged_then_replaced(tmp_path: Path, drop: Path) -> None:
    cfg = _config(tmp_path, drop)
    store = RawStore(tmp_path / "raw")
    first = fetch_jurisdiction(cfg, "dropbox", store)
    outcomes = {e.file_name: e.outcome for e in first.log}
    assert outcomes == {
        "fake.pdf": REJECTED_NOT_PDF,
        "罗湖区教育局2023年部门预算.pdf": DOWNLOADED,
        "finance.PDF": DOWNLOADED,
    }
    assert all(e.kind == "drop" for e in first.log)
    docs = {d.file_name: d for d in first.documents}
    assert store.path_for(docs["finance.PDF"].sha256).read_bytes() == make_pdf("fin")
    assert docs["finance.PDF"].url == (drop / "2023" / "nested" / "finance.PDF").resolve().as_uri()

    # Unchanged: same size and mtime, so the file is not read again. To prove it, its bytes are
    # swapped for others of the same length with the mtime put back: the old sha256 stays.
    edu = drop / "罗湖区教育局2023年部门预算.pdf"
    st = edu.stat()
    edu.write_bytes(make_pdf("EDU"))
    os.utime(edu, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert edu.stat().st_size == st.st_size
    second = {d.file_name: d for d in fetch_jurisdiction(cfg, "dropbox", store).documents}
    assert {n: d.status for n, d in second.items()} == {
        "罗湖区教育局2023年部门预算.pdf": UNCHANGED,
        "finance.PDF": UNCHANGED,
    }
    assert second["罗湖区教育局2023年部门预算.pdf"].sha256 == docs["罗湖区教育局2023年部门预算.pdf"].sha256

    # Replaced with a corrected file: a new version with the old one as previous_sha256.
    old = docs["罗湖区教育局2023年部门预算.pdf"].sha256
    edu.write_bytes(make_pdf("edu corrected"))
    third = {d.file_name: d for d in fetch_jurisdiction(cfg, "dropbox", store).documents}
    d = third["罗湖区教育局2023年部门预算.pdf"]
    assert d.status == DOWNLOADED and d.previous_sha256 == old and store.has(old) and store.has(d.sha256)

    # Touched but identical bytes: read again, still unchanged.
    os.utime(edu, ns=(0, 10**18))
    fourth = {d.file_name: d for d in fetch_jurisdiction(cfg, "dropbox", store).documents}
    assert fourth["罗湖区教育局2023年部门预算.pdf"].status == UNCHANGED


def test_drop_folder_limits(tmp_path: Path, drop: Path) -> None:
    (drop / "big.pdf").write_bytes(b"%PDF-" + b"0" * 5000)
    (drop / "escape.pdf").symlink_to(tmp_path / "outside.pdf")
    (tmp_path / "outside.pdf").write_bytes(make_pdf("outside"))
    cfg = _config(tmp_path, drop, max_bytes=4000)
    report = fetch_jurisdiction(cfg, "dropbox", RawStore(tmp_path / "raw"))
    outcomes = {e.file_name: e.outcome for e in report.log}
    assert outcomes["big.pdf"] == TOO_LARGE and outcomes["escape.pdf"] == REFUSED_HOST


def test_a_file_still_being_copied_waits(tmp_path: Path, drop: Path) -> None:
    cfg = _config(tmp_path, drop, settle_seconds=3600.0)
    report = fetch_jurisdiction(cfg, "dropbox", RawStore(tmp_path / "raw"))
    assert {e.outcome for e in report.log} == {NOT_SETTLED} and report.documents == []
