"""The Dagster code location: `dagster dev` and `dagster definitions validate` load this module."""

import dagster as dg

defs = dg.Definitions(assets=[])
