"""Rebuild the static HTML report from the warehouse (read-only) into <out>/report/.

The report opens from disk (no server, no network): <out>/report/index.html. Source PDFs are
linked from the raw store (<data-dir>/raw) into the report folder, so each figure's link opens its
page. The warehouse is only read: this works while a `budgetlens run` is loading (it waits for
the file up to --busy-timeout). Exports and manifest.json are written by `budgetlens run`.

Exit codes: 0 ok; 1 no warehouse or the report failed; 75 the warehouse stayed busy.
"""

from __future__ import annotations

import argparse

from pipeline.commands.reading import CommandExit, add_warehouse_arguments, open_read_only

EXIT_OK = 0
EXIT_ERROR = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--open", action="store_true", help="open the report in the default browser")
    add_warehouse_arguments(parser)
    parser.add_argument(
        "--out",
        metavar="DIR",
        dest="out_dir",
        default=None,
        help="publish folder; the report goes to DIR/report (default: $BUDGETLENS_OUT, else data/published)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="where the raw store is (DIR/raw; default: $BUDGETLENS_DATA_DIR, else data)",
    )


def handle(args: argparse.Namespace) -> int:
    import os
    import sys
    from pathlib import Path

    import duckdb

    from assets.resources import DEFAULT_DATA_DIR, DEFAULT_OUT_DIR
    from budgetlens.report import build_report
    from warehouse.models import ensure_models

    out_dir = Path(args.out_dir or os.environ.get("BUDGETLENS_OUT") or DEFAULT_OUT_DIR)
    data_dir = Path(args.data_dir or os.environ.get("BUDGETLENS_DATA_DIR") or DEFAULT_DATA_DIR)
    try:
        con = open_read_only("report", args, sandbox=False)
    except CommandExit as exc:
        return exc.code
    try:
        if ensure_models(con):
            print(
                "budgetlens report: comparison tables computed for this report (`budgetlens run` stores them)",
                file=sys.stderr,
            )
        result = build_report(con, out_dir, raw_dir=data_dir / "raw")
    except (duckdb.Error, OSError) as exc:
        print(f"budgetlens report: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        con.close()
    print(f"report: {result.index} ({result.pages} pages, {result.pdfs_linked} source PDFs linked)")
    if result.pdfs_missing:
        print(
            f"budgetlens report: {len(result.pdfs_missing)} source PDFs are not in {data_dir / 'raw'}; "
            "their figures link to the source URLs instead",
            file=sys.stderr,
        )
    if args.open:
        import webbrowser

        webbrowser.open(result.index.resolve().as_uri())
    return EXIT_OK
