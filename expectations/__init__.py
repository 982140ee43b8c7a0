"""Data-quality suites (GX Core 1.x, built as code in an ephemeral context) and Dagster checks."""
