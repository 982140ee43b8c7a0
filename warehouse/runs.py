"""The `runs` table: one row per pipeline run (written by the runner when a run ends), read by
`budgetlens status`."""

from __future__ import annotations

import json

import duckdb

from warehouse.schema import query


def last_run(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The latest run by start time, with its summary parsed, or None."""
    cur = con.execute(query("run_last"))
    row = cur.fetchone()
    if row is None:
        return None
    out = dict(zip([d[0] for d in cur.description], row, strict=True))
    if out.get("summary"):
        try:
            out["summary"] = json.loads(out["summary"])
        except ValueError:
            pass
    return out
