"""Documents in the warehouse by status (with the reasons for quarantined and failed ones), the
last run, and the latest fetch errors. Read-only: works between a run's loads.
"""

from __future__ import annotations

import argparse

from pipeline.commands.reading import CommandExit, add_warehouse_arguments, open_read_only

EXIT_OK = 0
EXIT_ERROR = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_warehouse_arguments(parser)
    parser.add_argument(
        "--limit", type=int, default=50, metavar="N", help="problem documents to list (default 50)"
    )


def handle(args: argparse.Namespace) -> int:

    from warehouse.status import status_report

    try:
        con = open_read_only("status", args)
    except CommandExit as exc:
        return exc.code
    try:
        report = status_report(con, problem_limit=max(args.limit, 0))
    finally:
        con.close()
    render(report)
    return EXIT_OK


def render(report) -> None:
    """Print a StatusReport with rich."""
    import json

    from rich.console import Console
    from rich.table import Table

    console = Console()
    counts = Table(title="Documents by status")
    for col in ("status", "current", "superseded"):
        counts.add_column(col, justify="left" if col == "status" else "right")
    for status, current, superseded in report.counts:
        counts.add_row(status, str(current), str(superseded))
    if not report.counts:
        counts.add_row("(no documents)", "0", "0")
    console.print(counts)

    if report.problems:
        problems = Table(title=f"Quarantined and failed documents ({report.problems_total})")
        for col in ("status", "jurisdiction", "department", "year", "file", "reason", "doc_id"):
            problems.add_column(col, overflow="fold")
        for p in report.problems:
            problems.add_row(
                p["status"],
                p["jurisdiction"] or "",
                p["department"] or "",
                "" if p["fiscal_year"] is None else str(p["fiscal_year"]),
                p["file_name"] or "",
                p["status_reason"] or "",
                p["doc_id"][:16],
            )
        console.print(problems)
        if report.problems_total > len(report.problems):
            console.print(f"… and {report.problems_total - len(report.problems)} more (--limit)", style="dim")

    run = report.last_run
    if run is None:
        console.print("Last run: none recorded")
    else:
        finished = run["finished_at"].isoformat() if run["finished_at"] else "not finished"
        console.print(
            f"Last run: {run['run_id']}  {run['status']}  started {run['started_at'].isoformat()}  finished {finished}"
        )
        summary = run.get("summary")
        if isinstance(summary, dict):
            for key, value in summary.items():
                text = (
                    value if isinstance(value, str | int | float) else json.dumps(value, ensure_ascii=False)
                )
                console.print(f"  {key}: {text}")

    if report.fetch_errors:
        errors = Table(title="Latest fetch errors")
        for col in ("fetched_at", "jurisdiction", "url", "http", "outcome", "error"):
            errors.add_column(col, overflow="fold")
        for e in report.fetch_errors:
            errors.add_row(
                e["fetched_at"].isoformat(),
                e["jurisdiction"] or "",
                e["url"],
                "" if e["status"] is None else str(e["status"]),
                e["outcome"],
                e["error"] or "",
            )
        console.print(errors)
    else:
        console.print("Fetch errors: none")
