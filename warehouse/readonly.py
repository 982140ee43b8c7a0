"""Read-only queries for `budgetlens sql` and the report: one statement, SELECT or EXPLAIN only.

Three guards: the statement type is checked before it runs, the database is opened read-only,
and the connection is sandboxed (no other files, configuration locked): see `db.connect`.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

ALLOWED_TYPES = ("SELECT", "EXPLAIN")


class ReadOnlyViolation(ValueError):
    """The query would write, attach, copy or configure something: refused before it runs."""


@dataclass(frozen=True)
class QueryResult:
    """Column names, DuckDB type names and rows of one query."""

    columns: list[str]
    types: list[str]
    rows: list[tuple]


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise ReadOnlyViolation unless `sql` is exactly one SELECT / EXPLAIN statement."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise duckdb.ParserException(str(exc)) from exc
    if len(statements) != 1:
        raise ReadOnlyViolation(f"one statement at a time, please (got {len(statements)})")
    kind = statements[0].type.name
    if kind not in ALLOWED_TYPES:
        raise ReadOnlyViolation(
            f"budgetlens sql is read-only: {kind} statements are refused (only SELECT, WITH … SELECT, "
            "SHOW/DESCRIBE/SUMMARIZE and EXPLAIN run; the warehouse is opened read-only)"
        )


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> QueryResult:
    """Check, then run one read-only statement and fetch its rows."""
    check_read_only(con, sql)
    cur = con.execute(sql)
    description = cur.description or []
    return QueryResult(
        columns=[d[0] for d in description],
        types=[str(d[1]) for d in description],
        rows=cur.fetchall(),
    )
