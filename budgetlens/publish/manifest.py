"""`manifest.json`: what one publish wrote, from which documents, and what it left out (and why)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from budgetlens.files import atomic_write_bytes
from budgetlens.publish import PUBLISHED_SCHEMA
from budgetlens.publish.exports import ExportedTable
from budgetlens.publish.sqlfiles import fetch_dicts, sql_text

MANIFEST_NAME = "manifest.json"


def overview(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Document counts, jurisdictions, fiscal years and department types of the published comparisons."""
    return fetch_dicts(con, sql_text("overview"))[0]


def not_published(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """Current documents left out of every comparison (quarantined or failed), with their reasons."""
    return fetch_dicts(con, sql_text("not_published"))


def used_doc_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The doc_ids the comparisons were built from."""
    return [r[0] for r in con.execute(sql_text("used_doc_ids")).fetchall()]


def build_manifest(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    exports: Sequence[ExportedTable],
    *,
    generated_at: datetime | None = None,
    run_id: str | None = None,
    settings: dict[str, object] | None = None,
    report: Path | None = None,
) -> dict[str, object]:
    """The manifest as a JSON-ready dict (paths relative to `out_dir`)."""
    from warehouse.formats import json_value

    ov = overview(con)
    return {
        "schema": PUBLISHED_SCHEMA,
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(),
        "run_id": run_id,
        "settings": settings or {},
        "tables": {t.name: t.to_manifest(out_dir) for t in exports},
        "documents": {
            "current": ov["documents"],
            "published": ov["published"],
            "quarantined": ov["quarantined"],
            "failed": ov["failed"],
            "compared": ov["compared"],
            "jurisdictions": ov["jurisdictions"] or [],
            "fiscal_years": ov["fiscal_years"] or [],
            "department_types": ov["department_types"] or [],
            "used": used_doc_ids(con),
        },
        "quarantined": [json_value(r) for r in not_published(con)],
        "report": str(report.relative_to(out_dir)) if report else None,
    }


def write_manifest(out_dir: Path, manifest: dict[str, object]) -> Path:
    """Write `<out_dir>/manifest.json` atomically."""
    path = out_dir / MANIFEST_NAME
    atomic_write_bytes(path, (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return path
