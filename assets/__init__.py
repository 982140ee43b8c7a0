"""Dagster assets, one module per stage group: ingest, parse, warehouse, quality, publish."""
