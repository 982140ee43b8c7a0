"""Render the corpus of budget PDFs with ground truth (the dev package `corpus/`, docs/corpus.md).

budgetlens corpus render                      the default sample corpus into sample/
budgetlens corpus render --n 1000 --out DIR   a benchmark corpus of N documents
budgetlens corpus one TRUTH.json OUT.pdf      re-render one document from its truth record
budgetlens corpus score [--stress NAME|all]   the real PDFs against their golden files, as printed
                                              or made harder (docs/accuracy.md); --list names the stresses

The renderer comes with a checkout's dev install (pip install -e '.[dev]'), not with the product.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from types import ModuleType

DEFAULT_SAMPLE = Path("sample")
DEFAULT_GOLDEN = Path("tests/parse/golden")
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
    s = sub.add_parser(
        "score",
        help="the real PDFs against their golden files, as printed or made harder (docs/accuracy.md)",
    )
    s.add_argument(
        "--pdfs",
        type=Path,
        default=None,
        help="folder of the real PDFs (default: $BUDGETLENS_SHARED/real-pdfs, else ../shared/real-pdfs)",
    )
    s.add_argument(
        "--golden",
        type=Path,
        default=DEFAULT_GOLDEN,
        help=f"folder of golden files (default: {DEFAULT_GOLDEN})",
    )
    s.add_argument(
        "--stress",
        action="append",
        default=None,
        metavar="NAME",
        help="make each PDF harder first (repeatable; 'all': every stress; default: as printed only)",
    )
    s.add_argument(
        "--only", action="append", default=None, metavar="FILE", help="score these PDFs only (repeatable)"
    )
    s.add_argument("--list", action="store_true", help="name the stresses and stop")
    s.add_argument("--workers", type=int, default=2, help="parsing processes (default 2)")
    s.add_argument("--keep", type=Path, default=None, help="write the stressed PDFs into this folder")
    s.add_argument("--json", type=Path, default=None, help="also write every document's score to this file")
    s.add_argument("-v", "--verbose", action="store_true", help="a line per document that is not exact")


def _dev_package(action: str) -> ModuleType | None:
    """The dev package's module for `action` (`corpus.scoring` for score, else `corpus.build`), or
    None when this install has no dev package.

    The product's only imports of the dev package, and late ones on purpose: `corpus/` is not in
    the product wheel, so importing it at module top would break `budgetlens --help` and every other
    command there. The import-linter contract "the product never imports the dev package"
    (pyproject.toml) ignores these two edges.
    """
    try:
        if action == "score":
            import corpus.scoring

            return corpus.scoring
        import corpus.build
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "corpus":
            raise  # the dev package is there but something it needs is not: show what
        return None
    return corpus.build


def _score(scoring: ModuleType, args: argparse.Namespace) -> int:
    import json
    import sys
    import time
    from dataclasses import asdict

    stresses_known = scoring.STRESSES
    if args.list:
        for name, (_, about) in stresses_known.items():
            print(f"{name:40} {about}")
        return 0
    shared = Path(os.environ.get("BUDGETLENS_SHARED") or Path("..") / "shared")
    pdfs = args.pdfs or shared / "real-pdfs"
    names = args.stress or []
    stresses = list(stresses_known) if "all" in names else names
    unknown = [n for n in stresses if n not in stresses_known]
    problem = (
        f"no folder of PDFs at {pdfs} (--pdfs, or BUDGETLENS_SHARED)"
        if not pdfs.is_dir()
        else f"no folder of golden files at {args.golden} (--golden)"
        if not args.golden.is_dir()
        else f"unknown stress {', '.join(unknown)} (--list names them)"
        if unknown
        else None
    )
    if problem:
        print(f"budgetlens corpus score: {problem}", file=sys.stderr)
        return 2
    goldens = scoring.goldens_in(args.golden)
    if args.only:
        goldens = [g for g in goldens if g[1]["file"] in set(args.only)]
    runs = [None] if not names else stresses
    rows, everything = [], {}
    for stress in runs:
        start = time.perf_counter()
        label = stress or scoring.AS_PRINTED
        print(f"{label}: {len(goldens)} documents", file=sys.stderr)
        scores = scoring.score_folder(
            pdfs,
            goldens,
            stress,
            workers=max(1, args.workers),
            keep=args.keep / (stress or "as-printed") if args.keep else None,
            progress=lambda msg: print(f"  {msg}", file=sys.stderr),
        )
        print(f"{label}: done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        rows.append((label, scores))
        everything[label] = [asdict(s) for s in scores]
        if args.verbose:
            print("\n".join([f"{label}:", *scoring.details(scores)]), file=sys.stderr)
    print(scoring.table(rows))
    if args.json:
        args.json.write_text(json.dumps(everything, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def handle(args: argparse.Namespace) -> int:
    import sys
    import time

    build = _dev_package(args.corpus_command)
    if build is None:
        print(NO_DEV_PACKAGE, file=sys.stderr)
        return 2
    if args.corpus_command == "score":
        return _score(build, args)
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
