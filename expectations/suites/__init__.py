"""The suite families, one module each: identities, crosscheck, plausibility, structure, peers,
final_accounts, completeness.

Each module exposes `SUITE` (its name), `specs(ctx) -> list[ExpectationSpec]` and
`frames(ctx) -> dict[frame name, DataFrame]` (pure: WarehouseData in, frames out).
"""

from __future__ import annotations

from expectations.suites import (
    completeness,
    crosscheck,
    final_accounts,
    identities,
    peers,
    plausibility,
    structure,
)

# Per-document families, in the order they run (uniqueness across documents runs after them).
FAMILIES = (identities, crosscheck, plausibility, structure, peers, final_accounts, completeness)

__all__ = [
    "FAMILIES",
    "completeness",
    "crosscheck",
    "final_accounts",
    "identities",
    "peers",
    "plausibility",
    "structure",
]
