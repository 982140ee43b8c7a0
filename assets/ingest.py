"""Ingest: find the budget PDFs each source lists and store them in the raw store."""

from pathlib import Path

import dagster as dg

from assets import progress
from assets.partitions import jurisdiction_partitions, single_run
from assets.resources import SourcesResource, StorageResource
from assets.staging import Staging
from budgetlens.publish.preview import records_table

NETWORK_RETRY = dg.RetryPolicy(
    max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


def merge_inventory(previous: list[dict], current: list[dict], complete: bool) -> list[dict]:
    """The versions a source lists now. When the listing was read only in part, versions seen
    before and not now are kept (a flaky listing page must not unpublish documents)."""
    if complete:
        return current
    seen = {d["url"] for d in current}
    return current + [d for d in previous if d["url"] not in seen]


@dg.asset(
    group_name="ingest",
    partitions_def=jurisdiction_partitions,
    backfill_policy=single_run,
    retry_policy=NETWORK_RETRY,
    kinds={"python"},
    description=(
        "Budget PDFs found on each source's listing pages (or drop folder), downloaded with "
        "conditional GET into the content-addressed raw store; every fetch is logged."
    ),
)
def raw_documents(
    context: dg.AssetExecutionContext, storage: StorageResource, sources: SourcesResource
) -> dg.MaterializeResult:
    from budgetlens.scrape import load_sources, serve_simulated

    staging = storage.staging()
    store = storage.raw_store()
    swept = store.sweep_partials(older_than=0)  # left by a killed run; a live write is locked, never swept
    if swept:
        context.log.info(f"removed {swept} partial download(s) left by an interrupted run")
    config = load_sources(Path(sources.path))
    keys = context.partition_keys
    rows: list[dict] = []
    problems: list[dict] = []
    totals = {"found": 0, "downloaded": 0, "unchanged": 0, "errors": 0, "bytes_downloaded": 0}
    with serve_simulated(config) as base_url:
        if base_url:
            config = config.with_simulated_base(base_url)
        with progress.task("fetch", len(keys)) as task:
            for key in keys:
                report = fetch_one(config, key, store, staging, context.run_id)
                n_bytes = sum(d.bytes for d in report.downloaded)
                rows.append(
                    {
                        "source": key,
                        "found": len(report.documents),
                        "downloaded": len(report.downloaded),
                        "unchanged": len(report.unchanged),
                        "errors": len(report.errors),
                        "complete": report.complete,
                    }
                )
                totals["found"] += len(report.documents)
                totals["downloaded"] += len(report.downloaded)
                totals["unchanged"] += len(report.unchanged)
                totals["errors"] += len(report.errors)
                totals["bytes_downloaded"] += n_bytes
                for entry in report.errors:
                    context.log.warning(f"{key}: {entry.outcome} {entry.url} {entry.error or ''}".strip())
                    problems.append(
                        {
                            "source": key,
                            "url": entry.url,
                            "outcome": entry.outcome,
                            "error": entry.error or "",
                        }
                    )
                task.advance()
    return dg.MaterializeResult(
        metadata={
            **{k: dg.MetadataValue.int(v) for k, v in totals.items()},
            "sources": dg.MetadataValue.int(len(keys)),
            "partials_swept": dg.MetadataValue.int(swept),
            "fetch_errors": dg.MetadataValue.json(problems[:200]),
            "preview": dg.MetadataValue.md(records_table(rows)),
        }
    )


def fetch_one(config, key: str, store, staging: Staging, run_id: str):
    """Fetch one source, update its inventory and stage its fetch log. With a raw store synced
    to an object store, the source's fetch state comes from there first and goes back after."""
    from budgetlens.scrape import fetch_jurisdiction

    synced = hasattr(store, "pull_state")
    if synced:
        store.pull_state(key)
    report = fetch_jurisdiction(config, key, store)
    if synced:
        store.push_state(key)
    current = [_jsonable(d.to_row()) for d in report.documents]
    staging.write_inventory(key, merge_inventory(staging.read_inventory(key), current, report.complete))
    staging.write_fetch_log(f"{run_id}-{key}", (_jsonable(e.to_row()) for e in report.log))
    return report


def _jsonable(row: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
