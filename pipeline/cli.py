"""The `budgetlens` command line.

Each subcommand lives in `pipeline/commands/<name>.py` with two functions:
`add_arguments(parser)` (cheap: only argparse-level imports at module top) and
`handle(args) -> int` (imports what it needs inside). Importing this module must stay fast and
must not import Dagster or Great Expectations: `budgetlens parse` on one file starts quickly.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from budgetlens import __version__

# name -> (module, one-line help). Order is the order shown by --help.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("pipeline.commands.run", "scrape, parse, load, validate and publish (the whole pipeline)"),
    "parse": ("pipeline.commands.parse", "parse budget PDFs into budgetlens.budget/1 JSON records"),
    "sql": ("pipeline.commands.sql", "run a read-only SQL query against the warehouse"),
    "status": ("pipeline.commands.status", "documents by status, last run, last fetch errors"),
    "compare": ("pipeline.commands.compare", "print a comparison table from the warehouse"),
    "report": ("pipeline.commands.report", "rebuild the static HTML report from the warehouse"),
    "audit": ("pipeline.commands.audit", "how the quality gate treats a folder of PDFs (scratch warehouse)"),
    "inspect": ("pipeline.commands.inspect", "page images with the boxes of the figures read"),
    "corpus": ("pipeline.commands.corpus", "render the sample / a benchmark corpus (dev install only)"),
    "sites": ("pipeline.commands.sites", "serve the simulated district websites on 127.0.0.1"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetlens",
        description="Scrape, parse, validate and compare Chinese department budgets (部门预算).",
    )
    parser.add_argument("--version", action="version", version=f"budgetlens {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # command not built yet
        p = sub.add_parser(name, help=help_text, description=(module.__doc__ or help_text).strip())
        module.add_arguments(p)
        p.set_defaults(_handler=module.handle)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    return int(args._handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
