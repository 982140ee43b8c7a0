"""Write documents into a corpus directory: the PDF at `truth.file`, the truth at truth/<id>.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from budgetlens.files import file_sha256
from corpus.render import render_truth
from corpus.truth import load_truth, write_truth


def render_one(truth_file: Path, out: Path, write_truth_to: Path | None = None) -> Path:
    """Render one truth file (e.g. an edited copy) to the PDF `out`; with `write_truth_to`, also
    write the truth with its pages filled in (`budgetlens corpus one`)."""
    truth = load_truth(truth_file)
    render_truth(truth, out)
    if write_truth_to:
        write_truth(truth, write_truth_to)
    return out


def truth_path(root: Path, doc_id: str) -> Path:
    return root / "truth" / f"{doc_id}.json"


def write_document(truth: dict[str, Any], root: Path) -> dict[str, Any]:
    """Render one truth record's PDF into `root` and write its truth file; returns its manifest entry."""
    pdf = root / truth["file"]
    render_truth(truth, pdf)
    write_truth(truth, truth_path(root, truth["id"]))
    return manifest_entry(truth, root)


def manifest_entry(truth: dict[str, Any], root: Path) -> dict[str, Any]:
    """The manifest line of a written document (file facts read back from disk)."""
    pdf = root / truth["file"]
    render = truth["render"]
    return {
        "id": truth["id"],
        "file": truth["file"],
        "truth": f"truth/{truth['id']}.json",
        "bytes": pdf.stat().st_size,
        "sha256": file_sha256(pdf),
        "producer": render.get("producer"),
        "font": render.get("font"),
        "template": render.get("template"),
        "variations": render.get("variations", []),
        "origin": truth["origin"],
        "error_code": truth["expect"]["error_code"],
        "quality": truth["quality"]["status"],
        "departments": [
            {
                "department": r["document"]["department"],
                "department_type": r.get("department_type"),
                "jurisdiction": r["document"]["jurisdiction"],
                "fiscal_year": r["document"]["fiscal_year"],
                "kind": r["document"]["kind"],
            }
            for r in truth["records"]
        ],
    }


MANIFEST_SCHEMA = "budgetlens.corpus-manifest/1"  # a format id in sample/manifest.json, not the module path
DEFAULT_WORKERS = 2


def _render_chunk(truths: list[dict[str, Any]], root: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Worker: render a list of documents; returns (truth with pages, manifest entry) pairs."""
    out = []
    try:
        for truth in truths:
            entry = write_document(truth, Path(root))
            out.append((truth, entry))
    finally:
        from corpus import pdf_chromium

        pdf_chromium.close_printer()
    return out


CHUNK = 125  # documents per task: enough tasks to balance two workers, few Chromium launches


def _chunks(truths: list[dict[str, Any]], workers: int) -> list[list[dict[str, Any]]]:
    """Tasks of about CHUNK documents, Chromium ones spread evenly (they are the slow ones)."""
    slow = [t for t in truths if t["render"].get("producer") == "chromium"]
    fast = [t for t in truths if t["render"].get("producer") != "chromium"]
    n = max(workers, -(-len(truths) // CHUNK))
    chunks: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    for i, t in enumerate(slow + fast):
        chunks[i % n].append(t)
    return [c for c in chunks if c]


def clear_corpus(root: Path) -> None:
    """Remove a previous corpus's generated parts (truth/, sites/, manifest.json) under `root`."""
    import shutil

    for part in ("truth", "sites"):
        shutil.rmtree(root / part, ignore_errors=True)
    (root / "manifest.json").unlink(missing_ok=True)


def render_corpus(
    root: Path, n: int | None = None, seed: int | None = None, workers: int = DEFAULT_WORKERS, log: Any = None
) -> dict[str, Any]:
    """Plan, render and publish a whole corpus into `root`; returns the manifest (also written)."""
    import json
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from corpus.plan import DEFAULT_SEED, plan_corpus
    from corpus.sites import build_sites

    seed = DEFAULT_SEED if seed is None else seed
    truths = plan_corpus(seed, n)
    clear_corpus(root)
    root.mkdir(parents=True, exist_ok=True)
    order = {t["id"]: i for i, t in enumerate(truths)}
    results: list[tuple[dict[str, Any], dict[str, Any]]] = []
    if workers <= 1:
        results = _render_chunk(truths, str(root))
    else:
        import multiprocessing

        # spawn: a forked child would share the parent's Chromium connection
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        ) as pool:
            futures = [pool.submit(_render_chunk, chunk, str(root)) for chunk in _chunks(truths, workers)]
            for f in as_completed(futures):
                results.extend(f.result())
                if log:
                    log(f"rendered {len(results)}/{len(truths)}")
    results.sort(key=lambda r: order[r[0]["id"]])
    rendered = [t for t, _ in results]
    sites = build_sites(root, rendered, seed)
    departments = sorted(
        {
            (r["document"]["department"], r.get("department_type") or "other", r["document"]["jurisdiction"])
            for t in rendered
            for r in t["records"]
        }
    )
    manifest = {
        "schema": MANIFEST_SCHEMA,
        "seed": seed,
        "documents": [e for _, e in results],
        "departments": [
            {"department": d, "department_type": k, "jurisdiction": j} for d, k, j in departments
        ],
        "sites": sites,
    }
    (root / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest
