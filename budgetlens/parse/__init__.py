"""The budget PDF parser: `budgetlens.budget/1` records (docs/record.md) from department budget PDFs.

Public API:
- `parse_pdf(path, *, settings=None) -> list[dict]`: one file, in this process; never raises for bad input.
- `parse_many(paths, *, workers, timeout_s, memory_mb, on_result) -> Iterator[(Path, list[dict])]`:
  many files, each in a worker process with a time and memory limit; results as they finish.
- `PARSER_VERSION`: bumped whenever the output changes.

Importing this package imports neither Dagster nor Great Expectations.
"""

from __future__ import annotations

from budgetlens.parse.core import error_record, parse_bytes, parse_pdf
from budgetlens.parse.pool import parse_many
from budgetlens.parse.settings import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, ParseSettings
from budgetlens.parse.version import PARSER_VERSION

__all__ = [
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT_S",
    "PARSER_VERSION",
    "ParseSettings",
    "error_record",
    "parse_bytes",
    "parse_many",
    "parse_pdf",
]
