"""Parse benchmark on the real PDFs (../shared/real-pdfs), a set of its own beside the generated
corpus: pages per CPU-second against the naive pdfplumber baseline (target ≥ 5×), field accuracy
against the golden files, and the wall time of the longest document (target: the 241-page
consolidated budget in under 10 s)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench import parse_bench

REAL = parse_bench.REAL


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--real", type=Path, default=REAL, help="the folder of real PDFs with golden files")


def run(args: argparse.Namespace) -> dict:
    from budgetlens.parse import parse_pdf
    from budgetlens.parse.pdfdoc import PdfSource

    if not args.real.is_dir() or not any(args.real.glob("*.pdf")):
        print(f"real-PDF parse benchmark: no PDF in {args.real} (../shared is not beside the checkout)")
        return {"documents": 0}
    result = parse_bench.run(argparse.Namespace(docs=[args.real], limit=0))
    pages = {}
    for pdf in args.real.glob("*.pdf"):
        with PdfSource(pdf.read_bytes()) as src:
            pages[pdf] = src.page_count
    longest = max(pages, key=pages.get)
    started = time.perf_counter()
    parse_pdf(longest)
    wall = time.perf_counter() - started
    result["longest"] = {"file": longest.name, "pages": pages[longest], "wall_s": round(wall, 2)}
    ratio = result.get("speedup_per_cpu_s")
    print(f"  real PDFs: ratio {ratio}× pages per CPU-second (target ≥ 5×)")
    print(f"  longest: {longest.name}, {pages[longest]} pages, {wall:.2f} s wall (target < 10 s)")
    return result
