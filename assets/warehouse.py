"""Warehouse: the one writer loads staged records and fetch logs into DuckDB."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from assets import progress
from assets.parse import parsed_documents
from assets.resources import StorageResource, WarehouseResource
from assets.staging import Staging
from budgetlens.publish.preview import records_table


@contextmanager
def local_envelopes(staging: Staging, keys: list[str]) -> Iterator[dict[str, Path]]:
    """Local file → staging key of each envelope: the files themselves when the staging area is a
    local folder, else copies downloaded into a temporary folder for the load (the loader reads files)."""
    local = {staging.local_path(k): k for k in keys}
    if all(p is not None for p in local):
        yield {p: k for p, k in local.items() if p is not None}
        return
    with tempfile.TemporaryDirectory(prefix="budgetlens-load-") as tmp:
        out = {}
        for k in keys:
            p = Path(tmp) / k.rsplit("/", 1)[-1]
            p.write_bytes(staging.store.read_bytes(k))
            out[p] = k
        yield out


def _doc_id(key: str) -> str:
    """The doc_id a staged envelope's key names (<doc_id>.json)."""
    from warehouse.staging import ENVELOPE_SUFFIX

    return key.rsplit("/", 1)[-1].removesuffix(ENVELOPE_SUFFIX)


@dg.asset(
    group_name="warehouse",
    deps=[parsed_documents],
    kinds={"duckdb"},
    description=(
        "DuckDB tables (documents, headcount, totals, lines, table_cells, fetch_log, …) loaded from "
        "the staged records by one writer: many documents per transaction, replaced by doc_id, "
        "CHECKPOINT after each load. See docs/warehouse.md."
    ),
)
def warehouse_tables(
    context: dg.AssetExecutionContext, storage: StorageResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    from warehouse.budgets import describe as describe_budgets
    from warehouse.loader import load_fetch_log, load_staged
    from warehouse.schema import create_schema, query

    staging = storage.staging()
    logs = staging.pending_fetch_logs()
    with warehouse.get_connection() as con:
        create_schema(con)
        # every staged record the warehouse does not hold: the pending ones, and those loaded into
        # another warehouse before (a new --warehouse over the same data folder gets them too)
        held = {r[0] for r in con.execute(query("held_doc_ids")).fetchall()}
        pending = staging.pending_envelopes()
        missing = [k for k in staging.loaded_envelopes() if _doc_id(k) not in held]
        envelopes = pending + missing
        with local_envelopes(staging, envelopes) as files:
            fetch_rows = load_fetch_log(con, staging.read_fetch_logs(logs)) if logs else 0
            with progress.task("load", len(envelopes)) as task:
                report = load_staged(con, list(files))
                task.advance(len(envelopes))
        budget_changes = describe_budgets(con, report.joined, report.replaced)
        counts = dict(con.execute("select status, count(*) from current_documents group by all").fetchall())
        total = con.execute("select count(*) from documents").fetchone()[0]
    rejected = {files.get(Path(path), path) for path, _ in report.rejected}
    staging.mark_loaded(k for k in pending if k not in rejected)  # rejected ones stay staged
    staging.mark_loaded(logs)
    for path, reason in report.rejected:
        context.log.error(f"envelope not loaded (kept in staging): {path}: {reason}")
    for doc_id, reason in report.quarantined:
        context.log.warning(f"quarantined {doc_id[:12]}: {reason}")
    for line in budget_changes:
        context.log.info(line)
    if report.unmapped_departments:
        context.log.warning(f"departments without a type (→ other): {', '.join(report.unmapped_departments)}")
    return dg.MaterializeResult(
        metadata={
            "loaded_documents": dg.MetadataValue.int(report.documents),
            "published": dg.MetadataValue.int(report.published),
            "quarantined": dg.MetadataValue.int(len(report.quarantined)),
            "failed": dg.MetadataValue.int(len(report.failed)),
            "rejected_envelopes": dg.MetadataValue.int(len(report.rejected)),
            "superseded": dg.MetadataValue.int(len(report.superseded)),
            "fetch_log_rows": dg.MetadataValue.int(fetch_rows),
            "documents_total": dg.MetadataValue.int(int(total)),
            "current_by_status": dg.MetadataValue.json(counts),
            "unmapped_departments": dg.MetadataValue.json(report.unmapped_departments),
            "budget_changes": dg.MetadataValue.json(budget_changes),
            "load_report": dg.MetadataValue.json(report.to_dict()),
            "preview": dg.MetadataValue.md(
                records_table(
                    [{"doc_id": d[:12], "reason": r} for d, r in report.quarantined + report.failed]
                )
            ),
        }
    )
