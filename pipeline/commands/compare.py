"""Print a comparison table from the warehouse: headcount, operating-costs, procurement or execution.

One row per current published budget (execution: per budget whose final accounts (部门决算) are
in the warehouse too: spent against budgeted), highest --sort metric first (nulls last). When the sort
metric is one of the comparison's main metrics, each row also shows its rank among its
department-type peers (type_rank of type_peers), the peer median and the outlier flag. The
warehouse is opened read-only; a warehouse whose comparison tables were never built (no
`budgetlens run` since they were added) gets them computed for this query only. Definitions:
docs/comparisons.md.

Exit codes: 0 ok; 1 no warehouse or the query failed; 2 bad option (unknown --sort column);
75 the warehouse stayed busy.
"""

from __future__ import annotations

import argparse

from pipeline.commands.reading import CommandExit, add_warehouse_arguments, open_read_only

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
# the commands of warehouse.models.COMPARISONS (not imported here: `--help` stays quick without duckdb;
# tests/publish/test_commands.py checks they agree)
COMPARISON_NAMES = ("headcount", "operating-costs", "procurement", "execution")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("comparison", choices=COMPARISON_NAMES, help="which comparison table")
    parser.add_argument(
        "--jurisdiction", metavar="J", help="only this jurisdiction (a part of its name: 罗湖)"
    )
    parser.add_argument(
        "--type", metavar="T", dest="department_type", help="only this department type (科技创新)"
    )
    parser.add_argument("--year", metavar="Y", type=int, dest="fiscal_year", help="only this fiscal year")
    parser.add_argument(
        "--sort", metavar="METRIC", help="column to sort on, highest first (default: the main metric)"
    )
    parser.add_argument("--asc", action="store_true", help="lowest first")
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (a readable subset of columns) or csv/json (every column); default table",
    )
    add_warehouse_arguments(parser)


def handle(args: argparse.Namespace) -> int:
    import sys

    import duckdb

    from budgetlens.publish.compare import CompareFilters, UnknownColumn, compare_query
    from warehouse.formats import to_csv, to_json
    from warehouse.models import comparison, ensure_models

    comp = comparison(args.comparison)
    try:
        con = open_read_only("compare", args)
    except CommandExit as exc:
        return exc.code
    try:
        if ensure_models(con):
            print(
                "budgetlens compare: the warehouse has no comparison tables yet; computed them for this query "
                "(`budgetlens run` stores them)",
                file=sys.stderr,
            )
        columns = None
        if args.format == "table":
            columns = list(comp.terminal_columns)
            if args.sort and args.sort not in columns:
                columns.insert(2, args.sort)
        result = compare_query(
            con,
            comp,
            CompareFilters(args.jurisdiction, args.department_type, args.fiscal_year),
            sort=args.sort,
            ascending=args.asc,
            columns=columns,
        )
    except UnknownColumn as exc:
        print(f"budgetlens compare: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except duckdb.Error as exc:
        print(f"budgetlens compare: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        con.close()

    if args.format == "csv":
        sys.stdout.write(to_csv(result))
    elif args.format == "json":
        sys.stdout.write(to_json(result) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        from budgetlens.publish.compare import terminal_view

        headers, rows = terminal_view(result)
        title = f"{comp.title}, by {args.sort or comp.default_sort}" + (" (lowest first)" if args.asc else "")
        table = Table(title=title, show_lines=False)
        for h in headers:
            text_col = h in ("jurisdiction", "department", "department_type")
            table.add_column(h, justify="left" if text_col else "right", overflow="fold")
        for row in rows:
            table.add_row(*row)
        console = Console()
        console.print(table)
        notes = [f"{len(rows)} row{'s' if len(rows) != 1 else ''}"]
        if "rank in type" in headers:
            notes.append(
                "rank in type: among the same department type that year (* too few peers, ! outlier)"
            )
        notes.append("--format csv for every column, exact")
        console.print("; ".join(notes) + ".", style="dim")
    return EXIT_OK
