"""The publish stage's SQL, read from `budgetlens/publish/sql/*.sql` and `budgetlens/report/sql/*.sql`."""

from __future__ import annotations

from pathlib import Path

import duckdb

from budgetlens.files import read_sql
from warehouse.db import fetch_dicts

__all__ = ["fetch_dicts", "sql_text", "table_names"]  # fetch_dicts: one home in warehouse.db

PUBLISH_SQL = Path(__file__).with_name("sql")


def sql_text(name: str, folder: Path = PUBLISH_SQL) -> str:
    """The text of `<folder>/<name>.sql`."""
    return read_sql(folder, name)


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables and views the connection can see (current database, temp tables included)."""
    rows = con.execute(
        "select table_name from duckdb_tables() union select view_name from duckdb_views() where not internal"
    ).fetchall()
    return {r[0] for r in rows}
