"""The Dagster code location: `dg dev` and `dg check defs` load this module ([tool.dg] in pyproject.toml).

Paths come from environment variables through `dg.EnvVar` (defaults in `.env`, which
`dg dev` loads); `budgetlens run` builds the same definitions with paths from its options.
"""

from __future__ import annotations

import os

import dagster as dg

from assets.ingest import raw_documents
from assets.parse import parsed_documents
from assets.publish import PUBLISH_ASSETS
from assets.quality import QUALITY_ASSETS, QUALITY_CHECKS
from assets.resources import (
    ParserResource,
    PublishResource,
    SourcesResource,
    StorageResource,
    WarehouseResource,
)
from assets.warehouse import warehouse_tables
from pipeline.executors import executor_by_name
from pipeline.jobs import fetch_parse_job, load_publish_job, refresh_job
from pipeline.schedules import daily_refresh
from pipeline.sensors import drop_folder_sensor, sources_sensor

ASSETS = [raw_documents, parsed_documents, warehouse_tables, *QUALITY_ASSETS, *PUBLISH_ASSETS]
ASSET_CHECKS: list = [*QUALITY_CHECKS]


def env_resources() -> dict[str, dg.ConfigurableResource]:
    """Resources configured from the environment (BUDGETLENS_* variables; see .env)."""
    return {
        "storage": StorageResource(data_dir=dg.EnvVar("BUDGETLENS_DATA_DIR")),
        "warehouse": WarehouseResource(database=dg.EnvVar("BUDGETLENS_WAREHOUSE")),
        "sources": SourcesResource(path=dg.EnvVar("BUDGETLENS_SOURCES")),
        "parser": ParserResource(),
        "publish": PublishResource(out_dir=dg.EnvVar("BUDGETLENS_OUT")),
    }


def env_executor() -> dg.ExecutorDefinition:
    """`BUDGETLENS_EXECUTOR` (in_process, multiprocess, k8s, celery); unset: Dagster's default, which
    runs multiprocess and can be switched to in-process per run through run config."""
    name = os.environ.get("BUDGETLENS_EXECUTOR")
    return executor_by_name(name) if name else dg.multi_or_in_process_executor


def build_defs(
    resources: dict[str, dg.ConfigurableResource], executor: dg.ExecutorDefinition | None = None
) -> dg.Definitions:
    """The definitions with the given resources (the CLI and tests pass their own)."""
    return dg.Definitions(
        executor=executor or env_executor(),
        assets=ASSETS,
        asset_checks=ASSET_CHECKS,
        jobs=[refresh_job, fetch_parse_job, load_publish_job],
        schedules=[daily_refresh],
        sensors=[sources_sensor, drop_folder_sensor],
        resources=resources,
    )


defs = build_defs(env_resources())


def refresh_job_from_env() -> dg.JobDefinition:
    """The refresh job with resources from the environment: what `dg.reconstructable` rebuilds in
    the step processes of the multiprocess executor (`budgetlens run --executor multiprocess`)."""
    return build_defs(env_resources()).resolve_job_def("refresh")
