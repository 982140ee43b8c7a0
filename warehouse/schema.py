"""The warehouse schema: one .sql file per table in warehouse/schema/, run in a fixed order.

No primary keys, unique constraints, indexes or sequences: DuckLake rejects them. Uniqueness
(one row per doc_id, per (doc_id, line_no), …) is kept by the loader (delete + insert by doc_id)
and checked by the quality suites.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

from budgetlens.files import read_sql

SCHEMA_DIR = Path(__file__).with_name("schema")
SQL_DIR = Path(__file__).with_name("sql")

# Per-document tables, replaced together by doc_id on every load.
DOC_TABLES: tuple[str, ...] = (
    "documents",
    "headcount",
    "totals",
    "function_lines",
    "economic_lines",
    "projects",
    "procurement_lines",
    "performance_targets",
    "warnings",
    "doc_tables",
    "table_cells",
    "provenance",
    "observations",
    "passages",
    "quality_results",  # written by the quality stage (expectations/), deleted with the document on reload
    "quality_checks",  # likewise: every expectation's outcome per document
)
OTHER_TABLES: tuple[str, ...] = ("fetch_log", "runs", "quality_runs")
TABLES: tuple[str, ...] = DOC_TABLES + OTHER_TABLES
VIEWS: tuple[str, ...] = ("current_documents", "withheld_figures", "published_totals")


@cache
def schema_sql(name: str) -> str:
    """The DDL of one table or view."""
    if name not in TABLES + VIEWS:
        raise KeyError(f"no such table or view: {name}")
    return read_sql(SCHEMA_DIR, name)


def query(name: str) -> str:
    """A statement from warehouse/sql/<name>.sql."""
    return read_sql(SQL_DIR, name)


def create_schema(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create every table and view that does not exist yet (idempotent).

    A table created by an older version gets the columns added since (nullable, by ALTER TABLE
    ADD COLUMN, which DuckLake supports too); returns them as "table.column".
    """
    for name in TABLES:
        con.execute(schema_sql(name))
    added = _add_missing_columns(con)
    for name in VIEWS:
        con.execute(schema_sql(name))
    return added


@cache
def expected_columns() -> dict[str, tuple[tuple[str, str], ...]]:
    """(column, type) of every table as the DDL files define them (read from a scratch database)."""
    scratch = duckdb.connect()
    try:
        out = {}
        for name in TABLES:
            scratch.execute(schema_sql(name))
            out[name] = tuple(scratch.execute(query("table_column_types"), [name]).fetchall())
        return out
    finally:
        scratch.close()


def _add_missing_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    added = []
    for name, columns in expected_columns().items():
        have = set(table_columns(con, name))
        for column, dtype in columns:
            if column not in have:
                con.execute(query("add_column").format(table=name, column=column, type=dtype))
                added.append(f"{name}.{column}")
    return added


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of a table in the current database, in order."""
    rows = con.execute(query("table_columns"), [table]).fetchall()
    return [r[0] for r in rows]
