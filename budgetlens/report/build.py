"""Write the report folder: pages, stylesheet, script and the source PDFs, swapped in whole.

The new report is built in a temporary folder beside the old one and renamed into place, so a
reader never sees a half-written report. Source PDFs are hard-linked from the raw store (copied
when it is on another filesystem) into `report/pdf/<sha256>.pdf`, so `pdf/<sha>.pdf#page=N` opens
from disk: the compared documents' files and those of the documents left out (quarantined, failed,
not compared), whose source URLs are often gone. A file missing from the raw store is linked to its
source URL instead (and listed in `ReportResult.pdfs_missing`).
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import duckdb

from budgetlens.files import atomic_write_bytes
from budgetlens.pageimages import draw, printing_boxes
from budgetlens.publish.files import link_or_copy
from budgetlens.report.data import ReportData, Row, load_report_data
from budgetlens.report.render import render_report, static_files

REPORT_DIRNAME = "report"
STALE_TMP_S = 3600.0
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class ReportResult:
    """What `build_report` wrote."""

    index: Path
    pages: int
    pdfs_linked: int
    pdfs_missing: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0


def _sweep_stale(out_dir: Path) -> None:
    """Remove temporary report folders a crashed build left behind (older than an hour)."""
    now = time.time()
    for p in out_dir.glob(".report-*"):
        try:
            if p.is_dir() and now - p.stat().st_mtime > STALE_TMP_S:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            continue


def link_pdfs(data: ReportData, dest: Path, sources: list[Path]) -> tuple[set[str], list[str]]:
    """Hard-link (or copy) the file of every document the report names into `dest`: the compared
    ones and those left out (not compared, quarantined, failed); (linked sha256s, missing ones).

    `sources` are folders laid out like the raw store (`ab/ab…ef.pdf`) or flat (`ab…ef.pdf`, a
    previous report's pdf/ folder), tried in order.
    """
    wanted = sorted(
        {s.file_sha256 for s in data.sources.values() if s.file_sha256}
        | {str(d["file_sha256"]) for d in data.documents if d.get("file_sha256")}
    )
    linked: set[str] = set()
    missing: list[str] = []
    for sha in wanted:
        if not _SHA256.match(sha):
            missing.append(sha)
            continue
        for root in sources:
            for candidate in (root / sha[:2] / f"{sha}.pdf", root / f"{sha}.pdf"):
                if candidate.is_file():
                    link_or_copy(candidate, dest / f"{sha}.pdf")
                    linked.add(sha)
                    break
            if sha in linked:
                break
        else:
            missing.append(sha)
    return linked, missing


IMAGES_DIRNAME = "inspect"
MAX_FINDING_IMAGES = 300  # page images per report (a warehouse with thousands of findings stays quick)


def finding_images(
    data: ReportData, pdf_dir: Path, out_dir: Path, linked: set[str], *, resolution: int = 100
) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """Draw each failed cross-check's printings on their pages (the canonical one red, the one it was
    compared with blue): (doc_id, item) → [(page, image path relative to the report)]. Files not in
    the report's pdf/ folder are skipped; at most MAX_FINDING_IMAGES images."""
    by_page: dict[tuple[str, str, str, int], list[Row]] = {}
    for r in data.finding_printings:
        if r["file_sha256"] in linked:
            by_page.setdefault((r["doc_id"], r["item"], r["file_sha256"], int(r["page"])), []).append(r)
    out: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for n, ((doc_id, item, sha, page), rows) in enumerate(sorted(by_page.items())):
        if n >= MAX_FINDING_IMAGES:
            break
        name = f"{doc_id[:16]}-{n:04d}-p{page:03d}.png"
        if draw(pdf_dir / f"{sha}.pdf", printing_boxes(rows), out_dir, resolution=resolution, name=name):
            out.setdefault((doc_id, item), []).append((page, f"{IMAGES_DIRNAME}/{name}"))
    return out


def write_report(data: ReportData, out_dir: Path, *, raw_dir: Path | None = None) -> ReportResult:
    """Write `<out_dir>/report/` from `data` (replacing the previous report in one rename)."""
    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    _sweep_stale(out_dir)
    final = out_dir / REPORT_DIRNAME
    tmp = out_dir / f".report-{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
    tmp.mkdir()
    try:
        # the previous report's copies first: same filesystem as the new folder, so always a hard link
        sources = [p for p in (final / "pdf", raw_dir) if p is not None]
        linked, missing = link_pdfs(data, tmp / "pdf", sources)
        data = replace(data, finding_images=finding_images(data, tmp / "pdf", tmp / IMAGES_DIRNAME, linked))
        extra = {}
        if (out_dir / "data_docs" / "index.html").is_file():
            extra["Data Docs (the last quality run's validations)"] = "../data_docs/index.html"
        downloads = {
            p.name for p in out_dir.iterdir() if p.is_file() and p.suffix in (".csv", ".parquet", ".json")
        }
        pages = render_report(data, linked, extra_links=extra, downloads=downloads)
        for rel, html in pages.items():
            atomic_write_bytes(tmp / rel, html.encode("utf-8"))
        for name, content in static_files().items():
            atomic_write_bytes(tmp / name, content)
        old = out_dir / f".report-old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        if final.exists():
            os.rename(final, old)
        os.rename(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ReportResult(
        index=final / "index.html",
        pages=len(pages),
        pdfs_linked=len(linked),
        pdfs_missing=missing,
        elapsed_s=time.perf_counter() - t0,
    )


def build_report(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    raw_dir: Path | None = None,
    generated_at: datetime | None = None,
) -> ReportResult:
    """Read the warehouse (its comparison models must be visible: `warehouse.models.ensure_models`)
    and write the report folder `<out_dir>/report/`."""
    return write_report(load_report_data(con, generated_at=generated_at), out_dir, raw_dir=raw_dir)
