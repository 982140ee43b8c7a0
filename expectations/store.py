"""Writing the verdicts: quality_results rows, document statuses, the quality_runs row.

Order matters for safety: the results are written first (one transaction), then the statuses
(`warehouse.loader.set_statuses`, one transaction). A crash between the two leaves a published
document with error-level results, which the blocking asset check refuses to publish; the next
run completes it. Re-running replaces a document's results, so it never duplicates a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from expectations.data import sql
from expectations.decide import Decision
from expectations.outcomes import CheckOutcome
from expectations.spec import Finding
from warehouse.db import transaction
from warehouse.loader import StatusUpdate, set_statuses

TIMESTAMP = pa.timestamp("us", tz="UTC")


def write_results(
    con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str], findings: Iterable[Finding], checked_at: datetime
) -> int:
    """Replace the quality results of `doc_ids` with `findings` in one transaction; rows written."""
    rows = list(findings)
    validated = pa.table({"doc_id": pa.array(list(doc_ids), type=pa.string())})
    table = pa.table(
        {
            "doc_id": pa.array([f.doc_id for f in rows], type=pa.string()),
            "expectation": pa.array([f.expectation for f in rows], type=pa.string()),
            "suite": pa.array([f.suite for f in rows], type=pa.string()),
            "severity": pa.array([f.severity for f in rows], type=pa.string()),
            "item": pa.array([f.item for f in rows], type=pa.string()),
            "message": pa.array([f.message for f in rows], type=pa.string()),
            "checked_at": pa.array([checked_at] * len(rows), type=TIMESTAMP),
        }
    )
    with transaction(con, quality_validated=validated, quality_findings=table):
        con.execute(sql("delete_results"))
        if rows:
            con.execute(sql("insert_results"))
    return len(rows)


def write_checks(con: duckdb.DuckDBPyConnection, rows: Sequence[CheckOutcome], checked_at: datetime) -> int:
    """Replace the outcomes of the (document, expectation) pairs in `rows` in one transaction."""
    cols = ("doc_id", "expectation", "suite", "outcome", "severity", "reason")
    table = pa.table(
        {
            **{c: pa.array([getattr(r, c) for r in rows], type=pa.string()) for c in cols},
            "checked": pa.array([r.checked for r in rows], type=pa.int32()),
            "failed": pa.array([r.failed for r in rows], type=pa.int32()),
            "checked_at": pa.array([checked_at] * len(rows), type=TIMESTAMP),
        }
    )
    with transaction(con, quality_outcomes=table):
        con.execute(sql("delete_checks"))
        if rows:
            con.execute(sql("insert_checks"))
    return len(rows)


def write_statuses(con: duckdb.DuckDBPyConnection, decisions: Mapping[str, Decision]) -> int:
    """Set status, reason and quality_flags of every decided document (one transaction)."""
    updates = [StatusUpdate(d.doc_id, d.status, d.reason, d.flags) for d in decisions.values()]
    return set_statuses(con, updates)


def write_run(con: duckdb.DuckDBPyConnection, values: Sequence) -> None:
    """Append the quality_runs row (columns in the order of sql/insert_run.sql)."""
    con.execute(sql("insert_run"), list(values))


def last_run(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The latest quality_runs row, or None."""
    row = con.execute(sql("last_run")).fetchone()
    if row is None:
        return None
    return {"checked_at": row[0], "suite_version": row[1], "documents": row[2], "data_docs": row[3]}
