"""Publish: the comparison tables, the exports with their manifest, and the HTML report.

Thin wrappers: `warehouse.models.build_models`, `budgetlens.publish.exports.export_tables` /
`manifest.write_manifest` and `budgetlens.report.build_report` do the work. The comparison
tables are rebuilt from current published budgets only, after the quality stage has set every
document's status.
"""

import json

import dagster as dg

from assets.quality import document_quality
from assets.resources import PublishResource, StorageResource, WarehouseResource
from warehouse.models import COMPARISONS, IDENTITY_COLUMNS, MODELS, ModelSettings

_DESCRIPTIONS: dict[str, str] = {
    "comparison_documents": "The documents every comparison uses: current, published budgets, with the "
    "warning flags they carry; duplicated department-years flagged (duplicate_of).",
    "headcount_comparison": "Establishment, staff, vacancy rate, retirees and expenditure per staff, one row "
    "per published budget. See docs/comparisons.md.",
    "operating_cost_comparison": "Agency running cost, operating, personnel, household and 三公 costs with "
    "per-staff values, basic/project shares and year-on-year changes, one row per published budget.",
    "procurement_share_comparison": "Procurement share of expenditure and its goods/works/services and SME "
    "shares, one row per published budget.",
    "execution_comparison": "Spent (部门决算) against budgeted (部门预算): expenditure, basic, project, 三公 and "
    "its parts, agency running cost and procurement, with execution rates and differences, one row per "
    "department-year that has both; withheld figures null with the reason.",
    "peer_statistics": "Rank, percentile, peer median, ratio to it and robust outlier flag of each main "
    "metric within the department type and within the jurisdiction (per fiscal year), with group sizes.",
}


def _preview_columns(name: str) -> list[str]:
    for c in COMPARISONS:
        if c.table == name:
            return ["department", "fiscal_year", *c.main_metrics, "warning_flags"]
    if name == "peer_statistics":
        return [
            "comparison",
            "metric",
            "peer_scope",
            "peer_group",
            "fiscal_year",
            "value",
            "peer_rank",
            "peer_n",
            "peer_median",
            "outlier",
            "peer_note",
        ]
    return [c for c in IDENTITY_COLUMNS if c != "department_canonical"]


COMPARISON_SPECS = [
    dg.AssetSpec(
        name,
        group_name="publish",
        deps=[document_quality],  # its blocking checks stop publishing while a check fails
        description=_DESCRIPTIONS[name],
        kinds={"duckdb"},
    )
    for name in MODELS
]


def _settings_dict(settings: ModelSettings) -> dict:
    return {"min_peers": settings.min_peers, "outlier_mads": settings.outlier_mads}


@dg.multi_asset(specs=COMPARISON_SPECS, name="comparison_tables")
def comparison_tables(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, publish: PublishResource
):
    """Rebuild every comparison model in one transaction (readers see the old set or the new one),
    unless nothing they are built from changed since the last build (budgetlens.publish.freshness)."""
    from budgetlens.publish import freshness
    from budgetlens.publish.preview import table_preview
    from budgetlens.publish.sqlfiles import sql_text
    from warehouse.models import build_models, missing_models, row_count

    settings = ModelSettings()
    with warehouse.get_connection() as con:
        fingerprint = freshness.inputs_fingerprint(con, _settings_dict(settings))
        unchanged = freshness.is_current(
            publish.root, "comparison_tables", fingerprint
        ) and not missing_models(con)
        if unchanged:
            counts = {name: row_count(con, name) for name in MODELS}
        else:
            freshness.forget(publish.root, "comparison_tables")
            counts = build_models(con, settings)
            freshness.record(publish.root, "comparison_tables", fingerprint)
        previews = {name: table_preview(con, name, _preview_columns(name)) for name in MODELS}
        flagged = con.execute(sql_text("flag_counts")).fetchone()
    context.log.info(f"comparison tables {'unchanged' if unchanged else 'rebuilt'}: {counts}")
    for name in MODELS:
        metadata: dict[str, dg.MetadataValue] = {
            "rows": dg.MetadataValue.int(counts[name]),
            "rebuilt": dg.MetadataValue.bool(not unchanged),
            "preview": dg.MetadataValue.md(previews[name]),
        }
        if name == "comparison_documents":
            metadata["flagged_documents"] = dg.MetadataValue.int(int(flagged[0]))
            metadata["duplicates_left_out_of_peer_stats"] = dg.MetadataValue.int(int(flagged[1]))
        if name == "peer_statistics":
            metadata["min_peers"] = dg.MetadataValue.int(settings.min_peers)
            metadata["outlier_mads"] = dg.MetadataValue.float(settings.outlier_mads)
        yield dg.MaterializeResult(asset_key=name, metadata=metadata)


@dg.asset(
    group_name="publish",
    deps=list(MODELS),
    kinds={"parquet", "csv"},
    description=(
        "Parquet and CSV of every comparison table and every core table (rows of current published "
        "documents; documents with every status) and manifest.json (schema version, run time, row counts, "
        "doc_ids used, quarantined documents with reasons), in the publish folder."
    ),
)
def published_exports(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, publish: PublishResource
) -> dg.MaterializeResult:
    from budgetlens.publish import freshness
    from budgetlens.publish.exports import export_tables
    from budgetlens.publish.manifest import MANIFEST_NAME, build_manifest, write_manifest
    from budgetlens.publish.preview import markdown_table

    out = publish.root
    settings = ModelSettings()
    with warehouse.read_connection() as con:
        fingerprint = freshness.inputs_fingerprint(con, _settings_dict(settings))
        path = out / MANIFEST_NAME
        if freshness.is_current(out, "published_exports", fingerprint) and path.is_file():
            # nothing the exports are made of changed: keep them (and the manifest of their run)
            manifest = json.loads(path.read_text(encoding="utf-8"))
            return dg.MaterializeResult(
                metadata={
                    "out_dir": dg.MetadataValue.path(str(out)),
                    "manifest": dg.MetadataValue.path(str(path)),
                    "rebuilt": dg.MetadataValue.bool(False),
                    "built_by_run": dg.MetadataValue.text(str(manifest.get("run_id"))),
                    "documents_used": dg.MetadataValue.int(len(manifest["documents"]["used"])),
                    "not_published": dg.MetadataValue.int(len(manifest["quarantined"])),
                }
            )
        freshness.forget(out, "published_exports")
        freshness.forget(out, "html_report")  # the report adds itself to the manifest written below
        exports = export_tables(con, out)
        manifest = build_manifest(
            con,
            out,
            exports,
            run_id=context.run_id,
            settings=_settings_dict(settings),
        )
    path = write_manifest(out, manifest)
    freshness.record(out, "published_exports", fingerprint)
    return dg.MaterializeResult(
        metadata={
            "out_dir": dg.MetadataValue.path(str(out)),
            "manifest": dg.MetadataValue.path(str(path)),
            "rebuilt": dg.MetadataValue.bool(True),
            "tables": dg.MetadataValue.int(len(exports)),
            "row_counts": dg.MetadataValue.json({e.name: e.rows for e in exports}),
            "documents_used": dg.MetadataValue.int(len(manifest["documents"]["used"])),
            "not_published": dg.MetadataValue.int(len(manifest["quarantined"])),
            "preview": dg.MetadataValue.md(
                markdown_table(["table", "kind", "rows"], [(e.name, e.kind, e.rows) for e in exports])
            ),
        }
    )


@dg.asset(
    group_name="publish",
    deps=[*MODELS, published_exports],
    kinds={"html"},
    description=(
        "The static HTML report (publish folder/report/index.html): overview with quarantined documents, "
        "a page per comparison with sortable, filterable tables and SVG charts, a page per department with "
        "its peers; every figure links to its page in the source PDF (copied from the raw store)."
    ),
)
def html_report(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    publish: PublishResource,
    storage: StorageResource,
) -> dg.MaterializeResult:
    from budgetlens.publish import freshness
    from budgetlens.publish.manifest import MANIFEST_NAME, write_manifest
    from budgetlens.publish.preview import markdown_table
    from budgetlens.report import build_report
    from budgetlens.report.render import PAGE_FILES

    out = publish.root
    with warehouse.read_connection() as con:
        fingerprint = freshness.inputs_fingerprint(con, _settings_dict(ModelSettings()))
        index = out / "report" / "index.html"
        if freshness.is_current(out, "html_report", fingerprint) and index.is_file():
            return dg.MaterializeResult(
                metadata={"index": dg.MetadataValue.path(str(index)), "rebuilt": dg.MetadataValue.bool(False)}
            )
        freshness.forget(out, "html_report")
        result = build_report(con, out, raw_dir=storage.raw_dir)
    manifest_path = out / MANIFEST_NAME
    if manifest_path.is_file():  # the exports' manifest names the report once it exists
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["report"] = str(result.index.relative_to(out))
        write_manifest(out, manifest)
    freshness.record(out, "html_report", fingerprint)
    if result.pdfs_missing:
        context.log.warning(
            f"{len(result.pdfs_missing)} source PDFs are not in the raw store; the report links their URLs"
        )
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(result.index)),
            "rebuilt": dg.MetadataValue.bool(True),
            "pages": dg.MetadataValue.int(result.pages),
            "pdfs_linked": dg.MetadataValue.int(result.pdfs_linked),
            "pdfs_missing": dg.MetadataValue.int(len(result.pdfs_missing)),
            "elapsed_s": dg.MetadataValue.float(round(result.elapsed_s, 3)),
            "preview": dg.MetadataValue.md(
                markdown_table(
                    ["page", "what"],
                    [("index.html", "overview"), *((PAGE_FILES[c.key], c.title) for c in COMPARISONS)],
                )
            ),
        }
    )


PUBLISH_ASSETS = [comparison_tables, published_exports, html_report]
