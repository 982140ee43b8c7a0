"""Partitions: one per jurisdiction (dynamic: the sources config names them, not a folder listing)."""

import warnings

import dagster as dg

# BackfillPolicy is marked beta; we use it deliberately (one run over many jurisdictions), and the
# notice would otherwise print in every step process.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*backfill_policy.*")

JURISDICTIONS = "jurisdiction"

jurisdiction_partitions = dg.DynamicPartitionsDefinition(name=JURISDICTIONS)

# A run over many jurisdictions is one run (per-document work happens inside it), not one per key.
single_run = dg.BackfillPolicy.single_run()


def range_tags(keys: list[str]) -> dict[str, str]:
    """Run tags that make one run cover the partition keys first..last (a single-run backfill)."""
    return {
        "dagster/asset_partition_range_start": keys[0],
        "dagster/asset_partition_range_end": keys[-1],
    }
