"""Markdown previews of published tables, for Dagster asset metadata."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

PREVIEW_ROWS = 10


def markdown_table(
    columns: Sequence[str], rows: Sequence[Sequence[object]], *, total: int | None = None
) -> str:
    """A markdown table; Decimals exact, NULL as '—', `|` and newlines escaped; a line for the rest."""
    from warehouse.formats import text_value

    if not rows:
        return "_no rows_"

    def cell(v: object) -> str:
        return "—" if v is None else text_value(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    if total is not None and total > len(rows):
        lines.append(f"\n… {total - len(rows)} more rows")
    return "\n".join(lines)


def table_preview(
    con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], *, limit: int = PREVIEW_ROWS
) -> str:
    """The first `limit` rows of `table` (in its stored order), only `columns`, as markdown."""
    rel = con.table(table)
    have = set(rel.columns)
    cols = [c for c in columns if c in have]
    total = int(rel.aggregate("count(*)").fetchone()[0])
    rows = rel.select(*cols).limit(limit).fetchall()
    return markdown_table(cols, rows, total=total)
