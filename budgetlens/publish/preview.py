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


def records_table(rows: Sequence[dict], columns: Sequence[str] | None = None, *, limit: int = 30) -> str:
    """Dict rows (the first `limit`) as a markdown table of `columns` (default: the first row's keys)."""
    cols = list(columns if columns is not None else (rows[0] if rows else []))
    return markdown_table(cols, [[r.get(c) for c in cols] for r in rows[:limit]], total=len(rows))


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
