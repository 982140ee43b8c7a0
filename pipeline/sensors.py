"""Sensors: register the jurisdictions of the sources config, and react to new drop-folder files."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from assets.partitions import JURISDICTIONS, jurisdiction_partitions, range_tags
from assets.resources import SourcesResource
from pipeline.jobs import refresh_job


@dg.sensor(
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Adds a jurisdiction partition for every source in the sources config.",
)
def sources_sensor(context: dg.SensorEvaluationContext, sources: SourcesResource):
    from budgetlens.scrape import load_sources

    config = load_sources(Path(sources.path))
    known = set(context.instance.get_dynamic_partitions(JURISDICTIONS))
    new = [k for k in config.jurisdictions if k not in known]
    if not new:
        return dg.SkipReason("every source is registered")
    return dg.SensorResult(dynamic_partitions_requests=[jurisdiction_partitions.build_add_request(new)])


def drop_fingerprint(folder: Path) -> str:
    """A digest of the PDFs in a drop folder (names, sizes, modification times)."""
    h = hashlib.sha256()
    if folder.is_dir():
        for p in sorted(folder.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                st = p.stat()
                h.update(f"{p.relative_to(folder)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


@dg.sensor(
    job=refresh_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh of a drop-folder source when files appear in (or change in) its folder.",
)
def drop_folder_sensor(context: dg.SensorEvaluationContext, sources: SourcesResource):
    from budgetlens.scrape import load_sources

    config = load_sources(Path(sources.path))
    cursor = json.loads(context.cursor) if context.cursor else {}
    requests: list[dg.RunRequest] = []
    changed: dict[str, str] = {}
    for key, source in config.sources.items():
        if source.kind != "drop":
            continue
        digest = drop_fingerprint(source.drop_dir)
        if cursor.get(key) != digest:
            changed[key] = digest
            requests.append(dg.RunRequest(run_key=f"{key}:{digest[:16]}", tags=range_tags([key])))
    if not requests:
        return dg.SkipReason("no new files in the drop folders")
    known = set(context.instance.get_dynamic_partitions(JURISDICTIONS))
    missing = [k for k in changed if k not in known]
    return dg.SensorResult(
        run_requests=requests,
        cursor=json.dumps({**cursor, **changed}, sort_keys=True),
        dynamic_partitions_requests=[jurisdiction_partitions.build_add_request(missing)] if missing else [],
    )
