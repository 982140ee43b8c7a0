"""What the read-only commands (sql, status, compare, report) share: their warehouse options and
opening the warehouse read-only, waiting a bounded time while a run holds it."""

from __future__ import annotations

import argparse
import sys

DEFAULT_BUSY_TIMEOUT_S = 30.0
EXIT_ERROR = 1
EXIT_BUSY = 75  # EX_TEMPFAIL: a run held the warehouse the whole time


class CommandExit(Exception):
    """Stop the command with this exit code (the message is already printed)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def add_warehouse_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse",
        metavar="PATH",
        default=None,
        help="warehouse file or ducklake:… spec (default: $BUDGETLENS_WAREHOUSE, else data/warehouse.duckdb)",
    )
    parser.add_argument(
        "--busy-timeout",
        type=float,
        default=DEFAULT_BUSY_TIMEOUT_S,
        metavar="S",
        help=f"seconds to wait while a run holds the warehouse (default {DEFAULT_BUSY_TIMEOUT_S:g})",
    )


def open_read_only(command: str, args: argparse.Namespace, *, sandbox: bool = True):
    """The warehouse opened read-only (and, with `sandbox`, without access to other files).

    Raises CommandExit(75) when a run held it past --busy-timeout, CommandExit(1) when it cannot be
    opened at all; either way after printing the reason as `budgetlens <command>: …` on stderr.
    """
    from warehouse.db import ConnectSettings, WarehouseError, WarehouseUnavailable, connect, default_target

    try:
        return connect(
            default_target(args.warehouse),
            read_only=True,
            sandbox=sandbox,
            settings=ConnectSettings(
                busy_timeout_s=max(getattr(args, "busy_timeout", DEFAULT_BUSY_TIMEOUT_S), 0)
            ),
        )
    except WarehouseUnavailable as exc:
        print(f"budgetlens {command}: {exc}", file=sys.stderr)
        raise CommandExit(EXIT_BUSY) from exc
    except WarehouseError as exc:
        print(f"budgetlens {command}: {exc}", file=sys.stderr)
        raise CommandExit(EXIT_ERROR) from exc
