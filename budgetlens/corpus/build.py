"""Write documents into a corpus directory: the PDF at `truth.file`, the truth at truth/<id>.json."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from budgetlens.corpus.render import render_truth
from budgetlens.corpus.truth import write_truth


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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
        "sha256": sha256_file(pdf),
        "producer": render.get("producer"),
        "font": render.get("font"),
        "template": render.get("template"),
        "variations": render.get("variations", []),
        "origin": truth["origin"],
        "error_code": truth["expect"]["error_code"],
        "quality": truth["quality"]["status"],
        "departments": [
            {"department": r["document"]["department"], "department_type": r.get("department_type"),
             "jurisdiction": r["document"]["jurisdiction"], "fiscal_year": r["document"]["fiscal_year"],
             "kind": r["document"]["kind"]}
            for r in truth["records"]
        ],
    }
