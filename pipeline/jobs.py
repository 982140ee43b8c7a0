"""Jobs: `refresh` materializes everything (one run over the jurisdictions it is given)."""

import dagster as dg

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Scrape, parse, load, validate and publish. One run covers many jurisdictions "
    "(partition range tags); the per-document work happens inside the run.",
)
