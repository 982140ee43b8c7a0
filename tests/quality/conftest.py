"""The quality world: corrupted copies of the seed rendered, parsed, loaded and validated once.

One session fixture does the slow part once (render about 30 PDFs, parse them in two worker
processes, load one temporary DuckDB warehouse, run the quality stage with GX and Data Docs); the
tests then read its verdicts. Real parts throughout: the corpus renderer, the parser, DuckDB,
Great Expectations. Tests that use it share an xdist group so it is built once per run.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.quality.variants import VARIANTS, department_for, headcount

SEED_TRUTH = "truth/luohu-kjcxj-2022.json"
FETCHED = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
# Sample-corpus documents loaded into the world as they are published (their originals are not).
SAMPLE_CORRUPTED = (
    "baoan-jyj-2023-cross-table",
    "baoan-wtlj-2022-prose-table",
    "dapeng-kjcxj-2023-kuan-sum",
    "futian-czj-2022-procurement-parts",
    "baoan-czj-2022-one-yuan",
)
WORLD_GROUP = pytest.mark.xdist_group("quality_world")


@dataclass
class Verdict:
    """What the warehouse says about one document after the quality stage."""

    doc_id: str
    file_name: str
    status: str
    reason: str | None
    flags: list[str]
    findings: list[dict] = field(default_factory=list)  # quality_results rows

    def failed(self, expectation: str) -> list[dict]:
        return [f for f in self.findings if f["expectation"] == expectation]


@dataclass
class World:
    root: Path
    warehouse: Path
    out: Path
    report: object  # expectations.stage.QualityReport
    verdicts: dict[str, Verdict]  # by name: variant names, sample ids, "dup_copy", "conflict_a/b"


def _skip_without_fonts() -> None:
    from corpus.fonts import missing_fonts

    missing = missing_fonts()
    if missing:
        pytest.skip(
            f"CJK fonts not installed ({', '.join(missing)}): the corpus renderer cannot draw the corrupted "
            "copies (apt-get install fonts-wqy-zenhei fonts-arphic-uming; .ci/run does)"
        )


def _render(seed: dict, name: str, department: str, edit, out: Path) -> Path:
    from corpus.render import render_truth

    t = copy.deepcopy(seed)
    t["id"] = f"quality-{name}"
    t["records"][0]["document"]["department"] = department
    edit(t)
    return render_truth(t, out / f"{name}.pdf")


def _resave(src: Path, dst: Path) -> Path:
    """The same document saved again: new bytes (a new sha256), the same figures."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(src.read_bytes())
    try:
        pdf.save(str(dst))
    finally:
        pdf.close()
    return dst


@pytest.fixture(scope="session")
def quality_world(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> World:
    _skip_without_fonts()
    from budgetlens.parse import parse_many
    from expectations.stage import run_quality
    from warehouse import db
    from warehouse.loader import load_staged
    from warehouse.staging import stage_records

    root = tmp_path_factory.mktemp("quality-world")
    pdfs = root / "pdf"
    seed = json.loads((sample_dir / SEED_TRUTH).read_text(encoding="utf-8"))
    files: dict[str, Path] = {}
    for i, v in enumerate(VARIANTS):
        files[v.name] = _render(seed, v.name, department_for(i, v), v.edit, pdfs)
    files["dup_copy"] = _resave(files["seed"], pdfs / "dup_copy.pdf")
    conflict = f"{department_for(0, VARIANTS[1])}冲突"
    files["conflict_a"] = _render(seed, "conflict_a", conflict, lambda t: None, pdfs)
    files["conflict_b"] = _render(seed, "conflict_b", conflict, headcount(admin_actual=10), pdfs)
    manifest = json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))
    by_id = {d["id"]: d for d in manifest["documents"]}
    for sid in SAMPLE_CORRUPTED:
        files[sid] = sample_dir / by_id[sid]["file"]

    names = {p: n for n, p in files.items()}
    staged: list[Path] = []
    for path, records in parse_many(list(files.values()), workers=2, timeout_s=120):
        name = names[path]
        fetched = FETCHED - timedelta(days=1) if name == "dup_copy" else FETCHED
        staged += stage_records(
            root / "staging",
            records,
            source_url=f"http://127.0.0.1/quality/{name}.pdf",
            file_name=path.name,
            fetched_at=fetched,
            parsed_at=fetched,
        )
    wh = root / "wh.duckdb"
    load_staged(wh, staged)
    con = db.connect(wh)
    try:
        report = run_quality(con, root / "out")
        verdicts = _verdicts(con, {f"http://127.0.0.1/quality/{n}.pdf": n for n in files})
    finally:
        con.close()
    return World(root, wh, root / "out", report, verdicts)


def _verdicts(con, names_by_url: dict[str, str]) -> dict[str, Verdict]:
    rows = con.execute(
        "select doc_id, source_url, file_name, status, status_reason, quality_flags from current_documents"
    ).fetchall()
    findings: dict[str, list[dict]] = {}
    cur = con.execute("select doc_id, expectation, suite, severity, item, message from quality_results")
    cols = [d[0] for d in cur.description]
    for r in cur.fetchall():
        d = dict(zip(cols, r, strict=True))
        findings.setdefault(d["doc_id"], []).append(d)
    out = {}
    for doc_id, url, file_name, status, reason, flags in rows:
        name = names_by_url[url]
        out[name] = Verdict(doc_id, file_name, status, reason, list(flags or []), findings.get(doc_id, []))
    return out


SAMPLE_SEED = "sites/luohu/files/2022年深圳市罗湖区科技创新局部门预算.pdf"
SAMPLE_CROSS = "sites/baoan/files/2023年深圳市宝安区教育局部门预算（第二版）.pdf"


@pytest.fixture(scope="session")
def parsed(sample_dir: Path, tmp_path_factory) -> dict[str, tuple[Path, list[dict]]]:
    """The seed, its cross-table corruption from the sample corpus, and an HTML error page, parsed once."""
    from budgetlens.parse import parse_pdf

    bad = tmp_path_factory.mktemp("bad") / "error-page.pdf"
    bad.write_bytes(b"<!DOCTYPE html><html><body>500</body></html>")
    return {
        "seed": (sample_dir / SAMPLE_SEED, parse_pdf(sample_dir / SAMPLE_SEED)),
        "cross": (sample_dir / SAMPLE_CROSS, parse_pdf(sample_dir / SAMPLE_CROSS)),
        "bad": (bad, parse_pdf(bad)),
    }


def stage(parsed, staging: Path, names=("seed", "cross", "bad")) -> list[Path]:
    """Stage the parsed files, one source URL each (http://127.0.0.1/<name>.pdf)."""
    from warehouse.staging import stage_records

    out = []
    for name in names:
        path, records = parsed[name]
        out += stage_records(
            staging,
            records,
            file_sha256=None if records[0].get("source", {}).get("sha256") else name * 8,
            source_url=f"http://127.0.0.1/{name}.pdf",
            file_name=path.name,
            fetched_at=FETCHED,
            parsed_at=FETCHED,
        )
    return out
