"""Publishing: the comparison tables and core tables as Parquet and CSV, `manifest.json`, the report.

Warehouse connection in, files out (`exports.export_tables`, `manifest.write_manifest`,
`budgetlens.report.build_report`); the Dagster assets (assets/publish.py) and the `compare` /
`report` commands are thin wrappers around these. Layout of the output folder (`--out`, default
data/published/):

    <out>/manifest.json                   what was published, from which documents, what was left out
    <out>/<table>.parquet, <table>.csv    every comparison table and every core table
    <out>/report/index.html               the static HTML report (opens from disk)
"""

from __future__ import annotations

PUBLISHED_SCHEMA = "budgetlens.published/1"
DEFAULT_OUT_DIR = "data/published"
