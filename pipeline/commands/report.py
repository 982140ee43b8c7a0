"""Rebuild the static HTML report from the warehouse (read-only) into <out>/report/.

The report opens from disk (no server, no network): <out>/report/index.html. Source PDFs are
linked from the raw store (<data-dir>/raw) into the report folder, so each figure's link opens its
page. The warehouse is only read: this works while a `budgetlens run` is loading (it waits for
the file up to --busy-timeout). Exports and manifest.json are written by `budgetlens run`.

Exit codes: 0 ok; 1 no warehouse or the report failed; 75 the warehouse stayed busy.
"""

from __future__ import annotations

import argparse

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BUSY = 75


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--open", action="store_true", help="open the report in the default browser")
    parser.add_argument(
        "--warehouse",
        metavar="PATH",
        default=None,
        help="warehouse file or ducklake:… spec (default: $BUDGETLENS_WAREHOUSE, else data/warehouse.duckdb)",
    )
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
    parser.add_argument(
        "--busy-timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds to wait while a run holds the warehouse (default 30)",
    )


def handle(args: argparse.Namespace) -> int:
    import os
    import sys
    from pathlib import Path

    import duckdb

    from budgetlens.report import build_report
    from pipeline.resources import DEFAULT_DATA_DIR, DEFAULT_OUT_DIR
    from warehouse.db import ConnectSettings, WarehouseError, WarehouseUnavailable, connect, default_target
    from warehouse.models import ensure_models

    out_dir = Path(args.out_dir or os.environ.get("BUDGETLENS_OUT") or DEFAULT_OUT_DIR)
    data_dir = Path(args.data_dir or os.environ.get("BUDGETLENS_DATA_DIR") or DEFAULT_DATA_DIR)
    try:
        con = connect(
            default_target(args.warehouse),
            read_only=True,
            settings=ConnectSettings(busy_timeout_s=max(args.busy_timeout, 0)),
        )
    except WarehouseUnavailable as exc:
        print(f"budgetlens report: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except WarehouseError as exc:
        print(f"budgetlens report: {exc}", file=sys.stderr)
        return EXIT_ERROR
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
