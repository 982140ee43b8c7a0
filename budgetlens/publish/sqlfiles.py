"""The publish stage's SQL, read from `budgetlens/publish/sql/*.sql` and `budgetlens/report/sql/*.sql`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

PUBLISH_SQL = Path(__file__).with_name("sql")


@cache
def sql_text(name: str, folder: Path = PUBLISH_SQL) -> str:
    """The text of `<folder>/<name>.sql`."""
    return (folder / f"{name}.sql").read_text(encoding="utf-8")


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None
) -> list[dict[str, object]]:
    """Rows of a query as dicts (column name -> Python value; DECIMAL stays Decimal)."""
    cur = con.execute(sql, params) if params is not None else con.execute(sql)
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables and views the connection can see (current database, temp tables included)."""
    rows = con.execute(
        "select table_name from duckdb_tables() union select view_name from duckdb_views() where not internal"
    ).fetchall()
    return {r[0] for r in rows}
