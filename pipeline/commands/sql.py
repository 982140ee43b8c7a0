"""Run one read-only SQL query against the warehouse and print the result.

The warehouse is opened read-only and sandboxed (no other files can be read or written, settings
are locked); only SELECT / WITH … SELECT / SHOW / DESCRIBE / SUMMARIZE / EXPLAIN statements run.
While a `budgetlens run` is loading, the query waits for the file (up to --busy-timeout) and then
fails with a clear message. Decimals print exactly (strings in JSON).

Exit codes: 0 ok; 1 the query failed or there is no warehouse; 2 a write was refused;
75 the warehouse stayed busy.
"""

from __future__ import annotations

import argparse

from pipeline.commands.reading import CommandExit, add_warehouse_arguments, open_read_only

EXIT_OK = 0
EXIT_QUERY_ERROR = 1
EXIT_REFUSED = 2
# DuckDB's words when the read-only / sandbox guards stop a statement.
REFUSAL_MESSAGES = ("read-only mode", "disabled by configuration", "external access", "lock_configuration")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query", metavar="QUERY", help='one SQL statement, e.g. "select * from current_documents"'
    )
    parser.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format (default table)"
    )
    add_warehouse_arguments(parser)


def handle(args: argparse.Namespace) -> int:
    import sys

    import duckdb

    from warehouse.formats import DEFAULT_TABLE_ROWS, to_csv, to_json, to_rich_table
    from warehouse.readonly import ReadOnlyViolation, run_query

    try:
        con = open_read_only("sql", args)
    except CommandExit as exc:
        return exc.code
    try:
        result = run_query(con, args.query)
    except ReadOnlyViolation as exc:
        print(f"budgetlens sql: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except duckdb.Error as exc:
        message = str(exc)
        if any(s in message for s in REFUSAL_MESSAGES):
            print(f"budgetlens sql: refused, the warehouse is read-only here: {message}", file=sys.stderr)
            return EXIT_REFUSED
        print(f"budgetlens sql: {message}", file=sys.stderr)
        return EXIT_QUERY_ERROR
    finally:
        con.close()

    if args.format == "csv":
        sys.stdout.write(to_csv(result))
    elif args.format == "json":
        sys.stdout.write(to_json(result) + "\n")
    else:
        from rich.console import Console

        console = Console()
        console.print(to_rich_table(result))
        shown = min(len(result.rows), DEFAULT_TABLE_ROWS)
        more = f" (showing {shown}; use --format csv for all)" if len(result.rows) > shown else ""
        console.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}{more}", style="dim")
    return EXIT_OK
