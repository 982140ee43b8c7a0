"""Render the corpus of budget PDFs with ground truth (the dev package `corpus/`, docs/corpus.md).

budgetlens corpus render                      the default sample corpus into sample/
budgetlens corpus render --n 1000 --out DIR   a benchmark corpus of N documents
budgetlens corpus one TRUTH.json OUT.pdf      re-render one document from its truth record

The renderer comes with a checkout's dev install (pip install -e '.[dev]'), not with the product.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from types import ModuleType

DEFAULT_SAMPLE = Path("sample")
NO_DEV_PACKAGE = "budgetlens corpus: the corpus tools come with the dev install: pip install -e '.[dev]'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="corpus_command", metavar="ACTION", required=True)
    r = sub.add_parser("render", help="plan and render a whole corpus (PDFs, truth, sites, manifest)")
    r.add_argument(
        "--out", type=Path, default=None, help="output directory (default: sample/, or data/corpus-N)"
    )
    r.add_argument("--n", type=int, default=None, help="number of documents (default: the sample corpus)")
    r.add_argument("--seed", type=int, default=None, help="random seed (default: the sample's)")
    r.add_argument("--workers", type=int, default=2, help="rendering processes (default 2)")
    o = sub.add_parser("one", help="render one truth record (e.g. an edited copy) to a PDF")
    o.add_argument("truth", type=Path, help="a budgetlens.truth/1 JSON file")
    o.add_argument("out", type=Path, help="PDF to write")
    o.add_argument("--write-truth", type=Path, default=None, help="also write the truth with pages filled in")


def _corpus_build() -> ModuleType | None:
    """The dev package's corpus builder (`corpus.build`), or None when this install has no dev package.

    The product's only import of the dev package, and a late one on purpose: `corpus/` is not in
    the product wheel, so importing it at module top would break `budgetlens --help` and every other
    command there. The import-linter contract "the product never imports the dev package"
    (pyproject.toml) ignores this one edge.
    """
    try:
        import corpus.build
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "corpus":
            raise  # the dev package is there but something it needs is not: show what
        return None
    return corpus.build


def handle(args: argparse.Namespace) -> int:
    import sys
    import time

    build = _corpus_build()
    if build is None:
        print(NO_DEV_PACKAGE, file=sys.stderr)
        return 2
    if args.corpus_command == "one":
        build.render_one(args.truth, args.out, write_truth_to=args.write_truth)
        print(f"wrote {args.out}")
        return 0
    if args.n is not None and args.n < 1:
        print("--n must be at least 1", file=sys.stderr)
        return 2
    out = args.out or (DEFAULT_SAMPLE if args.n is None else Path("data") / f"corpus-{args.n}")
    start = time.perf_counter()
    manifest = build.render_corpus(
        out,
        n=args.n,
        seed=args.seed,
        workers=max(1, args.workers),
        log=lambda msg: print(msg, file=sys.stderr),
    )
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(
        f"{len(manifest['documents'])} documents, {len(manifest['sites'])} sites, {size / 1e6:.1f} MB in {out} "
        f"({time.perf_counter() - start:.1f} s)"
    )
    return 0
