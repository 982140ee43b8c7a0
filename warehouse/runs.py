"""The `runs` table: one row per pipeline run, read by `budgetlens status`."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

import duckdb

from warehouse.schema import query

RUN_STATUSES: tuple[str, ...] = ("running", "succeeded", "failed")


def start_run(
    con: duckdb.DuckDBPyConnection, run_id: str | None = None, started_at: datetime | None = None
) -> str:
    """Insert a `running` row and return its run id (a new uuid4 hex unless given)."""
    rid = run_id or uuid.uuid4().hex
    con.execute(query("run_start"), [rid, started_at or datetime.now(UTC)])
    return rid


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    summary: Mapping | None = None,
    finished_at: datetime | None = None,
) -> None:
    """Set a run's end time, status (succeeded / failed) and summary (JSON; Decimals as strings)."""
    if status not in RUN_STATUSES:
        raise ValueError(f"status must be one of {RUN_STATUSES}, not {status!r}")
    text = None if summary is None else json.dumps(summary, ensure_ascii=False, default=str)
    n = con.execute(query("run_finish"), [finished_at or datetime.now(UTC), status, text, run_id]).fetchone()
    if not n or not n[0]:
        raise KeyError(f"no run {run_id!r}")


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
