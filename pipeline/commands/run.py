"""Scrape every source, parse what is new, load the warehouse, validate, publish.

Materializes every Dagster asset in this process (one run over all jurisdictions of the sources
config) with a progress bar, then prints a summary: documents found, downloaded, unchanged,
parsed, published, quarantined (with reasons), and where the outputs are. Exit code 0 when the
run succeeded (some documents may be quarantined), 1 when the run itself failed, 75 when another
run holds the warehouse.
"""

from __future__ import annotations

import argparse

EXIT_FAILED = 1
EXIT_BUSY = 75  # EX_TEMPFAIL
EXIT_CONFIG = 2  # the sources configuration cannot be used


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sources",
        metavar="FILE|DIR",
        help="sources config (TOML) or a folder of them "
        "(default: $BUDGETLENS_SOURCES or sources/sample.toml, the bundled simulated sites)",
    )
    p.add_argument(
        "--warehouse",
        metavar="PATH",
        help="DuckDB file (default: $BUDGETLENS_WAREHOUSE or data/warehouse.duckdb)",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        dest="out_dir",
        help="exports, Data Docs and the report (default: $BUDGETLENS_OUT or data/published)",
    )
    p.add_argument(
        "--data-dir", metavar="DIR", help="raw store and staging (default: $BUDGETLENS_DATA_DIR or data)"
    )
    p.add_argument("--workers", type=int, help="parser processes (default: one per core)")
    p.add_argument(
        "--timeout",
        type=float,
        dest="timeout_s",
        help="seconds per document before its parse is stopped (default 120)",
    )
    p.add_argument("--memory-mb", type=int, help="memory limit of each parser process (default 1536)")
    p.add_argument(
        "--lock-timeout",
        type=float,
        dest="lock_timeout_s",
        help="seconds to wait for another run to release the warehouse (default 30)",
    )
    p.add_argument(
        "--executor",
        choices=["in_process", "multiprocess"],
        default="in_process",
        help="in_process (default: one process, a progress bar) or multiprocess (each stage in its "
        "own process, as under dg dev); cluster executors: see docs/scaling.md",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar (log lines instead)")


class RichReporter:
    """The progress bar: one line per stage (fetch, parse, load, …)."""

    def __init__(self, progress) -> None:
        self.progress = progress
        self.ids: dict[int, int] = {}

    def start(self, task) -> None:
        self.ids[id(task)] = self.progress.add_task(task.name, total=max(task.total, 0))

    def advance(self, task, n: int) -> None:
        self.progress.update(self.ids[id(task)], advance=n)

    def finish(self, task) -> None:
        tid = self.ids.pop(id(task))
        self.progress.update(tid, completed=task.total, total=task.total)


def print_summary(console, summary) -> None:
    from urllib.parse import unquote

    from rich.table import Table

    t = Table(title=f"budgetlens run {summary.run_id[:8]} ({summary.elapsed_s:.1f} s)", show_header=False)
    t.add_column("what")
    t.add_column("n", justify="right")
    for label, value in [
        ("sources", summary.sources),
        ("documents found", summary.found),
        ("downloaded", summary.downloaded),
        ("unchanged", summary.unchanged),
        ("fetch errors", summary.fetch_errors),
        ("parsed", summary.parsed),
        ("already parsed", summary.already_parsed),
        ("loaded", summary.loaded),
        ("published (current)", summary.published),
        ("quarantined or failed (current)", len(summary.quarantined)),
    ]:
        t.add_row(label, str(value))
    console.print(t)
    if summary.quarantined:
        q = Table(title="quarantined", show_lines=False)
        q.add_column("document")
        q.add_column("reason")
        for name, reason in summary.quarantined:
            q.add_row(name, reason)
        console.print(q)
    if summary.fetch_problems:
        f = Table(title="not fetched (refused, failed or not a PDF: nothing stored)")
        for col in ("source", "outcome", "url", "error"):
            f.add_column(col, overflow="fold")
        for p in summary.fetch_problems:
            f.add_row(p["source"], p["outcome"], unquote(p["url"]), p["error"])
        console.print(f)
    for line in summary.budget_changes:
        console.print(line)
    if summary.unmapped_departments:
        console.print(
            "departments without a type (compared as 'other'): " + ", ".join(summary.unmapped_departments)
        )
    for label, path in summary.outputs.items():
        console.print(f"{label}: {path}")
    if summary.error:
        console.print(f"[bold red]run failed:[/] {summary.error}")


def handle(args: argparse.Namespace) -> int:
    import logging
    import sys
    import warnings
    from pathlib import Path

    warnings.filterwarnings("ignore", module="dagster")  # beta/supersession notices are not for users

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assets import progress as progress_mod
    from budgetlens.scrape import SourcesConfigError, load_sources
    from pipeline.runner import RunOptions, run_pipeline
    from warehouse.lock import WarehouseBusy

    console = Console(stderr=False)
    logging.getLogger("dagster").setLevel(logging.WARNING)
    opts = RunOptions.from_env(
        sources=args.sources,
        warehouse=args.warehouse,
        out_dir=args.out_dir,
        data_dir=args.data_dir,
        workers=args.workers,
        timeout_s=args.timeout_s,
        memory_mb=args.memory_mb,
        lock_timeout_s=args.lock_timeout_s,
        executor=args.executor,
    )
    try:
        load_sources(Path(opts.sources))  # a configuration error is one line naming the file, exit 2
    except SourcesConfigError as exc:
        print(f"budgetlens run: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    bar = Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=args.no_progress,
    )
    previous = progress_mod.install(RichReporter(bar)) if not args.no_progress else None
    try:
        with bar:
            summary = run_pipeline(opts)
    except WarehouseBusy as exc:
        print(f"budgetlens run: {exc}", file=sys.stderr)  # the message starts "warehouse busy: …"
        return EXIT_BUSY
    finally:
        if previous is not None:
            progress_mod.install(previous)
    print_summary(console, summary)
    return 0 if summary.success else EXIT_FAILED
