"""Query results as CSV, JSON or a terminal table. Decimals stay exact (strings in JSON)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from warehouse.readonly import QueryResult

DEFAULT_TABLE_ROWS = 1000
FORMATS: tuple[str, ...] = ("table", "csv", "json")


def json_value(value: object) -> object:
    """A DuckDB value as JSON: Decimal → "25790000.00", times → ISO-8601, bytes → hex."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return str(value)


def text_value(value: object) -> str:
    """A value as plain text (CSV, table cells): NULL is empty, Decimals exact."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, list | tuple | dict):
        return json.dumps(json_value(value), ensure_ascii=False)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def to_csv(result: QueryResult) -> str:
    """Header line plus one line per row (RFC 4180 quoting)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(result.columns)
    for row in result.rows:
        w.writerow([text_value(v) for v in row])
    return buf.getvalue()


def to_json(result: QueryResult) -> str:
    """A JSON array of objects, one per row, keys in column order."""
    rows = [{c: json_value(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]
    return json.dumps(rows, ensure_ascii=False, indent=1)


def to_rich_table(result: QueryResult, max_rows: int = DEFAULT_TABLE_ROWS):
    """A rich Table (numbers right-aligned, NULL dimmed), at most `max_rows` rows."""
    from rich.table import Table
    from rich.text import Text

    numeric = [
        t.startswith(
            ("DECIMAL", "INTEGER", "BIGINT", "DOUBLE", "FLOAT", "HUGEINT", "SMALLINT", "TINYINT", "U")
        )
        for t in result.types
    ]
    table = Table(show_lines=False)
    for col, is_num in zip(result.columns, numeric, strict=True):
        table.add_column(col, justify="right" if is_num else "left", overflow="fold")
    for row in result.rows[:max_rows]:
        table.add_row(*(Text("NULL", style="dim") if v is None else Text(text_value(v)) for v in row))
    return table
