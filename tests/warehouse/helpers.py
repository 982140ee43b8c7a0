"""Warehouse writes only the tests make, with the warehouse's own statements.

The product records a run in one row when it ends (pipeline/runner.py) and sets statuses in batches
(`warehouse.loader.set_statuses`); tests also start and finish runs by hand and set one status.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

import duckdb

from warehouse.loader import StatusUpdate, set_statuses

RUN_STATUSES: tuple[str, ...] = ("running", "succeeded", "failed")


def start_run(
    con: duckdb.DuckDBPyConnection, run_id: str | None = None, started_at: datetime | None = None
) -> str:
    """Insert a `running` row and return its run id (a new uuid4 hex unless given)."""
    rid = run_id or uuid.uuid4().hex
    con.execute(
        "insert into runs (run_id, started_at, finished_at, status, summary) values (?, ?, null, 'running', null)",
        [rid, started_at or datetime.now(UTC)],
    )
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
    n = con.execute(
        "update runs set finished_at = ?, status = ?, summary = ? where run_id = ?",
        [finished_at or datetime.now(UTC), status, text, run_id],
    ).fetchone()
    if not n or not n[0]:
        raise KeyError(f"no run {run_id!r}")


def set_status(con: duckdb.DuckDBPyConnection, doc_id: str, status: str, reason: str | None = None) -> None:
    """Set one document's status and reason (see `set_statuses`)."""
    set_statuses(con, [StatusUpdate(doc_id, status, reason)])
