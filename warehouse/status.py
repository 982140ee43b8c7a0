"""What `budgetlens status` shows: documents by status, the problems, the last run, fetch errors."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from warehouse.runs import last_run
from warehouse.schema import query

DEFAULT_PROBLEM_LIMIT = 50
DEFAULT_FETCH_ERROR_LIMIT = 20
FETCH_OK_OUTCOMES: tuple[str, ...] = ("downloaded", "unchanged", "fetched", "absent")


@dataclass
class StatusReport:
    """`counts`: (status, current, superseded); `problems`: quarantined/failed current documents."""

    counts: list[tuple[str, int, int]] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    problems_total: int = 0
    last_run: dict | None = None
    fetch_errors: list[dict] = field(default_factory=list)


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def status_report(
    con: duckdb.DuckDBPyConnection,
    *,
    problem_limit: int = DEFAULT_PROBLEM_LIMIT,
    fetch_error_limit: int = DEFAULT_FETCH_ERROR_LIMIT,
) -> StatusReport:
    """Read the status summary from an open (read-only is enough) warehouse connection."""
    report = StatusReport()
    report.counts = [tuple(r) for r in con.execute(query("status_counts")).fetchall()]
    report.problems_total = con.execute(query("status_problem_count")).fetchone()[0]
    report.problems = _dicts(con.execute(query("status_problems"), [problem_limit]))
    report.last_run = last_run(con)
    report.fetch_errors = _dicts(
        con.execute(query("fetch_errors"), [list(FETCH_OK_OUTCOMES), fetch_error_limit])
    )
    return report
