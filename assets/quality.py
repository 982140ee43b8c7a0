"""Dagster: the quality stage as the asset `document_quality` (group `quality`) and its checks.

`document_quality` runs after `warehouse_tables`: it validates the current documents with the GX
suites, quarantines those failing an error-level expectation, flags warnings, and writes GX Data
Docs to `<out>/data_docs/`. Its checks read the warehouse afterwards; the blocking ones stop the
publish assets (which depend on `document_quality`) whenever a published document fails an
error-level expectation, a department-year is published twice, or a published document was never
checked. Warnings are a `WARN` check: visible, never blocking.

Wire-up (pipeline/definitions.py): `QUALITY_ASSETS` into ASSETS, `QUALITY_CHECKS` into
ASSET_CHECKS; publish assets depend on `document_quality`.
"""

from collections.abc import Sequence

import dagster as dg

from assets.resources import PublishResource, WarehouseResource
from assets.warehouse import warehouse_tables
from budgetlens.publish.preview import records_table

ASSET_NAME = "document_quality"
MAX_ROWS_SHOWN = 50


@dg.asset(
    name=ASSET_NAME,
    group_name="quality",
    deps=[warehouse_tables],
    kinds={"great_expectations", "duckdb"},
    description=(
        "Data-quality suites (GX Core 1.x, built in code, ephemeral context) over every current document: "
        "accounting identities, tables vs prose, plausibility, structure, completeness and uniqueness. "
        "Error-level failures quarantine the document with a reason; warnings publish it with flags "
        "(quality_results, documents.quality_flags). Writes GX Data Docs to <out>/data_docs/. "
        "See docs/quality.md."
    ),
)
def document_quality(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, publish: PublishResource
) -> dg.MaterializeResult:
    from expectations.stage import run_quality

    with warehouse.get_connection() as con:
        report = run_quality(con, publish.root)
    if report.skipped:
        context.log.info(f"quality suites skipped: {report.skip_reason}")
    for doc_id, name, reason in report.quarantined:
        context.log.warning(f"quarantined {name} ({doc_id[:12]}): {reason}")
    metadata: dict[str, dg.MetadataValue] = {
        "skipped": dg.MetadataValue.bool(report.skipped),
        "documents_decided": dg.MetadataValue.int(report.documents),
        "documents_validated": dg.MetadataValue.int(report.validated),
        "incremental": dg.MetadataValue.bool(report.incremental),
        "published": dg.MetadataValue.int(report.published),
        "quarantined": dg.MetadataValue.int(len(report.quarantined)),
        "published_with_warnings": dg.MetadataValue.int(len(report.warned)),
        "failures_by_expectation": dg.MetadataValue.json(report.failures),
        "check_outcomes": dg.MetadataValue.json(report.checks),  # passed / failed / skipped, this run
        "frames": dg.MetadataValue.json(report.frames),
        "suite_version": dg.MetadataValue.text(report.suite_version),
        "elapsed_s": dg.MetadataValue.float(round(report.elapsed_s, 3)),
        "quarantined_documents": dg.MetadataValue.md(
            records_table(
                [{"document": n, "doc_id": d[:12], "reason": r} for d, n, r in report.quarantined],
                ["document", "doc_id", "reason"],
                limit=MAX_ROWS_SHOWN,
            )
        ),
        "warning_flags": dg.MetadataValue.md(
            records_table(
                [{"document": n, "doc_id": d[:12], "flags": ", ".join(f)} for d, n, f in report.warned],
                ["document", "doc_id", "flags"],
                limit=MAX_ROWS_SHOWN,
            )
        ),
    }
    if report.skip_reason:
        metadata["skip_reason"] = dg.MetadataValue.text(report.skip_reason)
    if report.data_docs:
        metadata["data_docs"] = dg.MetadataValue.path(report.data_docs)
    if not report.observations:
        metadata["note"] = dg.MetadataValue.text(
            "the warehouse has no observations table: prose checks skipped"
        )
    return dg.MaterializeResult(metadata=metadata)


def _rows(warehouse: WarehouseResource, query: str) -> list[dict]:
    from expectations.data import sql
    from warehouse.db import fetch_dicts

    with warehouse.read_connection() as con:
        return fetch_dicts(con, sql(query))


def _result(
    rows: list[dict], columns: Sequence[str], severity: dg.AssetCheckSeverity, what: str
) -> dg.AssetCheckResult:
    docs = sorted({r["doc_id"] for r in rows if r.get("doc_id")})
    return dg.AssetCheckResult(
        passed=not rows,
        severity=severity,
        description=f"{len(docs)} document(s) {what}" if rows else None,
        metadata={
            "documents": dg.MetadataValue.int(len(docs)),
            "rows": dg.MetadataValue.int(len(rows)),
            "failing": dg.MetadataValue.md(records_table(rows, columns, limit=MAX_ROWS_SHOWN)),
            "doc_ids": dg.MetadataValue.json(docs[:MAX_ROWS_SHOWN]),
        },
    )


@dg.asset_check(
    asset=document_quality,
    blocking=True,
    description="No current published document fails an error-level expectation (quality_results).",
)
def no_published_document_fails_an_error(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    rows = _rows(warehouse, "published_with_errors")
    return _result(
        rows,
        ["file_name", "doc_id", "expectation", "message"],
        dg.AssetCheckSeverity.ERROR,
        "published with errors",
    )


@dg.asset_check(
    asset=document_quality,
    blocking=True,
    description="At most one published budget per (jurisdiction, department, fiscal_year, kind) among current documents.",
)
def one_published_budget_per_key(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    rows = _rows(warehouse, "duplicate_published")
    return _result(
        rows,
        ["jurisdiction", "department_key", "fiscal_year", "kind", "file_name", "doc_id"],
        dg.AssetCheckSeverity.ERROR,
        "published twice for one key",
    )


@dg.asset_check(
    asset=document_quality,
    blocking=True,
    description="Every current published document was decided by the quality stage (none loaded since).",
)
def every_published_document_checked(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    rows = _rows(warehouse, "unchecked_published")
    return _result(
        rows, ["file_name", "doc_id"], dg.AssetCheckSeverity.ERROR, "published without a quality check"
    )


@dg.asset_check(
    asset=document_quality,
    blocking=False,
    description="Published documents carrying warning-level findings (published with flags; never blocking).",
)
def published_documents_with_warnings(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    rows = _rows(warehouse, "published_with_warnings")
    return _result(
        rows,
        ["file_name", "doc_id", "expectation", "message"],
        dg.AssetCheckSeverity.WARN,
        "published with warnings",
    )


QUALITY_ASSETS = [document_quality]
QUALITY_CHECKS = [
    no_published_document_fails_an_error,
    one_published_budget_per_key,
    every_published_document_checked,
    published_documents_with_warnings,
]
