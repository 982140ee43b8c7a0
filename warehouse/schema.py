"""The warehouse schema: one .sql file per table in warehouse/schema/, run in a fixed order.

No primary keys, unique constraints, indexes or sequences: DuckLake rejects them. Uniqueness
(one row per doc_id, per (doc_id, line_no), …) is kept by the loader (delete + insert by doc_id)
and checked by the quality suites.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

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
)
OTHER_TABLES: tuple[str, ...] = ("fetch_log", "runs")
TABLES: tuple[str, ...] = DOC_TABLES + OTHER_TABLES
VIEWS: tuple[str, ...] = ("current_documents",)


@cache
def schema_sql(name: str) -> str:
    """The DDL of one table or view."""
    if name not in TABLES + VIEWS:
        raise KeyError(f"no such table or view: {name}")
    return (SCHEMA_DIR / f"{name}.sql").read_text(encoding="utf-8")


@cache
def query(name: str) -> str:
    """A statement from warehouse/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view that does not exist yet (idempotent)."""
    for name in TABLES + VIEWS:
        con.execute(schema_sql(name))


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of a table in the current database, in order."""
    rows = con.execute(query("table_columns"), [table]).fetchall()
    return [r[0] for r in rows]
