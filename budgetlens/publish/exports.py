"""Parquet and CSV files of every comparison table and every core table.

Written by DuckDB's COPY (the path is a parameter) to a temporary name in the output folder and
renamed, so a reader never sees half a file. Decimals stay exact in both formats (Parquet
DECIMAL(18,2); CSV "25790000.00"); NULL is an empty CSV field; lists print as `[a, b]`.
Core tables hold the rows of current **published** documents only; `documents` holds every
current document with its status and reason, and `quality_results` every current document's failed
expectations (quarantined ones included, so the export says what was left out and why).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from budgetlens.files import PART_SUFFIX, replace_durably
from budgetlens.publish.sqlfiles import sql_text, table_names

FORMATS: tuple[str, ...] = ("parquet", "csv")
_COPY_OPTIONS = {"parquet": "(format parquet, compression zstd)", "csv": "(format csv, header)"}

# Core tables and the columns that order their rows. `documents` and `quality_results` have their own SQL.
CORE_TABLES: dict[str, tuple[str, ...]] = {
    "documents": (),
    "headcount": ("doc_id",),
    "totals": ("doc_id",),
    "function_lines": ("doc_id", "line_no"),
    "economic_lines": ("doc_id", "line_no"),
    "projects": ("doc_id", "line_no"),
    "procurement_lines": ("doc_id", "line_no"),
    "performance_targets": ("doc_id", "line_no"),
    "warnings": ("doc_id", "warning_no"),
    "doc_tables": ("doc_id", "table_index"),
    "table_cells": ("doc_id", "table_index", "row_index", "col_index"),
    "provenance": ("doc_id", "field_path"),
    "observations": ("doc_id", "obs_index"),
    "passages": ("doc_id", "passage_no"),  # the prose sentences stating shares
    "quality_results": (),  # every current document's failed expectations (the quality stage's table)
    # every check's outcome per current document: passed / failed / skipped with the reason
    "quality_checks": ("doc_id", "suite", "expectation"),
    # figures not published although their budget is (null in the comparisons), with the reason
    "withheld_figures": ("doc_id", "field"),
}


@dataclass(frozen=True)
class ExportedTable:
    """One table written in every format."""

    name: str
    kind: str  # "comparison" or "core"
    rows: int
    files: dict[str, Path]

    def to_manifest(self, root: Path) -> dict[str, object]:
        return {
            "kind": self.kind,
            "rows": self.rows,
            **{fmt: str(path.relative_to(root)) for fmt, path in sorted(self.files.items())},
        }


def export_query(name: str, available: set[str]) -> str | None:
    """The SELECT that exports table `name`, or None when the warehouse does not have it."""
    from warehouse.models import MODELS

    if name not in available:
        return None
    if name in MODELS:
        return sql_text("export_model").format(table=name)
    if name in ("documents", "quality_results"):
        return sql_text(f"export_{name}")
    order = CORE_TABLES[name]
    if "doc_id" not in order:
        raise KeyError(f"{name}: not an exportable core table")
    return sql_text("export_core").format(table=name, order=", ".join(order))


def copy_to(con: duckdb.DuckDBPyConnection, query: str, path: Path, fmt: str) -> int:
    """Write one query's rows to `path` atomically and durably (temporary name, fsync, rename); rows
    written."""
    if fmt not in _COPY_OPTIONS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}{PART_SUFFIX}")
    try:
        # the statement text is built from our own files; the path goes in as a parameter
        rows = con.execute(f"copy ({query}) to ? {_COPY_OPTIONS[fmt]}", [str(tmp)]).fetchone()  # noqa: S608
        replace_durably(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return int(rows[0]) if rows else 0


def export_tables(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    tables: Iterable[str] | None = None,
    formats: Iterable[str] = FORMATS,
) -> list[ExportedTable]:
    """Export the comparison models and core tables (or just `tables`) into `out_dir`.

    Tables the warehouse does not have (e.g. `observations` in an older warehouse) are skipped.
    """
    from warehouse.models import MODELS

    wanted = list(tables) if tables is not None else [*MODELS, *CORE_TABLES]
    unknown = [t for t in wanted if t not in MODELS and t not in CORE_TABLES]
    if unknown:
        raise KeyError(f"not exportable: {', '.join(unknown)}")
    available = table_names(con)
    out: list[ExportedTable] = []
    for name in wanted:
        query = export_query(name, available)
        if query is None:
            continue
        files: dict[str, Path] = {}
        rows = 0
        for fmt in formats:
            files[fmt] = out_dir / f"{name}.{fmt}"
            rows = copy_to(con, query, files[fmt], fmt)
        out.append(ExportedTable(name, "comparison" if name in MODELS else "core", rows, files))
    return out
