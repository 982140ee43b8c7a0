"""The generated corpus the benchmarks run on, and the simulated sites they fetch it from.

`ensure_corpus(n)` renders `data/corpus-<n>` (as `make corpus N=<n>` does) when it is missing and
reuses it when present. `prepare_sites` gives a run its own copy of the corpus's simulated sites
(hard links: cheap, and a changed file is replaced by a new one, so the corpus is never touched);
`sources_config` writes a sources config over them on one fixed port (the same URLs on every run);
`change_documents` re-uploads corrected versions of some documents and publishes some new ones.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


def corpus_dir(n: int) -> Path:
    return DATA / f"corpus-{n}"


def corpus_ready(root: Path) -> bool:
    """True when `root` holds a rendered corpus (manifest, truth records and sites)."""
    return (root / "manifest.json").is_file() and (root / "sites").is_dir() and (root / "truth").is_dir()


def ensure_corpus(n: int, *, workers: int | None = None) -> tuple[Path, float]:
    """`data/corpus-<n>`, rendered first when missing; (its path, seconds spent rendering)."""
    import time

    root = corpus_dir(n)
    if corpus_ready(root):
        return root, 0.0
    print(f"rendering the benchmark corpus: {n} documents into {root} (once; reused afterwards)", flush=True)
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "pipeline.cli", "corpus", "render", "--n", str(n), "--out", str(root)]
    if workers:
        cmd += ["--workers", str(workers)]
    subprocess.run(cmd, cwd=REPO, check=True)
    return root, time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_sites(corpus: Path, dest: Path) -> Path:
    """A copy of `corpus/sites` under `dest` made of hard links (a plain copy across filesystems)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(corpus / "sites", dest, copy_function=link)
    return dest


def sources_config(path: Path, sites: Path, port: int) -> Path:
    """A sources config over every site under `sites`, served on 127.0.0.1:`port`, no politeness
    delay (the sites are local), listing pages up to 200 per source."""
    text = "\n".join(
        [
            "# written by the benchmarks (bench/corpus.py): the generated corpus's simulated sites",
            "[defaults]",
            "min_delay = 0.0",
            "allow_private = true",
            "max_pages = 200",
            "",
            "[simulated]",
            f"dir = {str(sites)!r}",
            'host = "127.0.0.1"',
            f"port = {port}",
            "",
            "[simulated.site_template]",
            'listing = "{simulated}/{site}/index.html"',
            "links = { selector = \"a[href]\", href_pattern = '(?i)\\.pdf$|download\\.jsp\\?id=\\d+$' }",
            'pagination = { pattern = "index_{n}.html", start = 1 }',
            "",
        ]
    )
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Change:
    """One document changed (a corrected file under the same URL) or added (a new link)."""

    kind: str  # "changed" | "added"
    site: str
    file: str


def _resave(src: Path) -> bytes:
    """The same document saved again by PDFium: new bytes, same pages (a 'corrected' upload)."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(src.read_bytes())
    try:
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()
    finally:
        pdf.close()


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # a new inode: the corpus file this was linked to stays as it was


def pick_documents(sites: Path, n: int) -> list[Path]:
    """`n` readable PDFs spread over the sites (every k-th of the sorted list), deterministic."""
    pdfs = sorted(p for p in sites.glob("*/files/*.pdf") if p.stat().st_size > 1024)
    if not pdfs:
        return []
    step = max(1, len(pdfs) // max(n, 1))
    return pdfs[::step][:n]


def change_documents(sites: Path, changed: int, added: int) -> list[Change]:
    """Re-upload `changed` documents under their URLs with new bytes, and publish `added` new ones
    (re-saved copies of other documents under new names, linked from their site's first listing page)."""
    picked = pick_documents(sites, changed + added)
    out: list[Change] = []
    for pdf in picked[:changed]:
        _replace(pdf, _resave(pdf))
        out.append(Change("changed", pdf.parent.parent.name, pdf.name))
    for i, pdf in enumerate(picked[changed : changed + added], start=1):
        site = pdf.parent.parent
        name = f"{pdf.stem}（补充{i}）.pdf"
        _replace(pdf.parent / name, _resave(pdf))
        index = site / "index.html"
        html = index.read_text(encoding="utf-8")
        link = f'<li><a href="files/{quote(name)}">{pdf.stem}（补充{i}）</a></li>'
        marker = '<ul class="list">'
        html = (
            html.replace(marker, f"{marker}\n{link}", 1)
            if marker in html
            else html.replace("</body>", f"{link}\n</body>", 1)
        )
        _replace(index, html.encode("utf-8"))
        out.append(Change("added", site.name, name))
    return out


PARSE_DOCS = 200
PARSE_SELECTION = REPO / "bench" / "out" / "parse-docs"


def parse_selection(n: int = PARSE_DOCS, dest: Path = PARSE_SELECTION) -> Path | None:
    """A corpus folder of `n` documents of the generated corpus, spread over it (every k-th truth
    record) for the parse benchmark: `dest/truth/` holds their truth records, `dest/sites` links to
    the corpus's sites. None when no generated corpus is there (the parse benchmark then uses the sample)."""
    root = corpus_dir(1000)
    if not corpus_ready(root):
        candidates = sorted(p for p in DATA.glob("corpus-*") if corpus_ready(p))
        if not candidates:
            return None
        root = candidates[-1]
    truths = sorted((root / "truth").glob("*.json"))
    step = max(1, len(truths) // n)
    chosen = truths[::step][:n]
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "truth").mkdir(parents=True)
    for t in chosen:
        shutil.copy2(t, dest / "truth" / t.name)
    (dest / "sites").symlink_to(root / "sites", target_is_directory=True)
    return dest
