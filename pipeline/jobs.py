"""Jobs: `refresh` materializes everything (one run over the jurisdictions it is given).

On a cluster (docs/scaling.md) the work splits in two: `fetch_parse` (ingest and parse: many runs
at once, each over its own jurisdictions, on as many machines as there are) and `load_publish`
(the one warehouse writer, then the quality and publish stages: one run at a time), meeting in the
staging area on the shared storage (`StorageResource.data_dir`, e.g. an object store).
"""

import dagster as dg

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Scrape, parse, load, validate and publish. One run covers many jurisdictions "
    "(partition range tags); the per-document work happens inside the run.",
)

fetch_parse_job = dg.define_asset_job(
    "fetch_parse",
    selection=dg.AssetSelection.groups("ingest", "parse"),
    description="Scrape and parse the jurisdictions of the run (partition range tags) into the staging "
    "area; several such runs may go at once on other machines, over other jurisdictions.",
)

load_publish_job = dg.define_asset_job(
    "load_publish",
    selection=dg.AssetSelection.groups("warehouse", "quality", "publish"),
    description="Load everything staged into the warehouse (the one writer), validate, publish. Run one "
    "at a time (a concurrency limit on the job's tag; docs/scaling.md).",
    tags={"budgetlens/writer": "warehouse"},
)
