"""What the report is made of, read from the warehouse in a handful of queries.

`load_report_data(con)` is the only function here that touches DuckDB; everything after it works
on plain dicts (tested directly).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from budgetlens.publish.sqlfiles import fetch_dicts, sql_text, table_names
from warehouse.models import COMPARISONS

REPORT_SQL = Path(__file__).with_name("sql")

Row = dict[str, object]

# What became of a current document (documents.sql): exactly one of these.
COMPARED = "compared"
OUTCOMES: tuple[str, ...] = (COMPARED, "not_compared", "quarantined", "failed")


@dataclass(frozen=True)
class SourceFile:
    """Where a compared document's figures can be checked: its file and the first page of its record."""

    doc_id: str
    file_sha256: str | None
    file_name: str | None
    source_url: str | None
    first_page: int | None


@dataclass
class ReportData:
    """Everything the pages show, as plain values (Decimals stay Decimal)."""

    generated_at: datetime
    overview: Row
    # every current document, each with its `outcome` (compared / not_compared / quarantined / failed)
    # and, when not compared, its `reason`
    documents: list[Row]
    rows: dict[str, list[Row]]  # comparison key -> its model rows
    peers: list[Row]  # peer_statistics rows
    # (doc_id, field path) -> (page, doc_id of the file that prints it: its own or a joined text part)
    pages: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    sources: dict[str, SourceFile] = field(default_factory=dict)  # doc_id -> file
    # per expectation: documents where it passed / failed / was skipped (quality_checks), current ones
    checks: list[Row] = field(default_factory=list)
    # the printings each failed cross-check compared (finding_printings.sql), for page images
    finding_printings: list[Row] = field(default_factory=list)
    # (doc_id, finding item) → [(page, href of its image)]: written by build.py, linked by the pages
    finding_images: dict[tuple[str, str], list[tuple[int, str]]] = field(default_factory=dict)
    # doc_id -> [(expectation, message, item)]: the quality stage's warnings (quality_results), where kept
    warnings: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    @property
    def left_out(self) -> list[Row]:
        """Current documents no comparison uses (not compared, quarantined, failed), with reasons."""
        return [d for d in self.documents if d["outcome"] != COMPARED]

    def outcome_counts(self) -> dict[str, int]:
        """Current documents by outcome, every outcome present (they add up to the current documents)."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for d in self.documents:
            counts[d["outcome"]] = counts.get(d["outcome"], 0) + 1
        return counts


def department_slug(jurisdiction: object, department: object) -> str:
    """A stable, file-name-safe id for a department (its page is departments/<slug>.html)."""
    key = f"{jurisdiction or ''}\x1f{department or ''}".encode()
    return hashlib.sha256(key).hexdigest()[:16]


def load_report_data(con: duckdb.DuckDBPyConnection, *, generated_at: datetime | None = None) -> ReportData:
    """Read the models, peer statistics, provenance pages and document list from the warehouse."""
    from budgetlens.publish.manifest import overview

    rows = {c.key: fetch_dicts(con, sql_text("rows", REPORT_SQL).format(table=c.table)) for c in COMPARISONS}
    pages = {
        (r["doc_id"], r["field_path"]): (int(r["page"]), r["file_doc_id"])
        for r in fetch_dicts(con, sql_text("figure_pages", REPORT_SQL))
    }
    sources = {
        r["doc_id"]: SourceFile(
            doc_id=r["doc_id"],
            file_sha256=r["file_sha256"],
            file_name=r["file_name"],
            source_url=r["source_url"],
            first_page=r["first_page"],
        )
        for r in fetch_dicts(con, sql_text("sources", REPORT_SQL))
    }
    warnings: dict[str, list[tuple[str, str, str]]] = {}
    if "quality_results" in table_names(con):
        for r in fetch_dicts(con, sql_text("quality_warnings", REPORT_SQL)):
            warnings.setdefault(r["doc_id"], []).append((r["expectation"], r["message"], r["item"]))
    have = table_names(con)
    checks = fetch_dicts(con, sql_text("check_outcomes", REPORT_SQL)) if "quality_checks" in have else []
    printings = (
        fetch_dicts(con, sql_text("finding_printings", REPORT_SQL))
        if {"quality_results", "observations"} <= have
        else []
    )
    return ReportData(
        generated_at=generated_at or datetime.now(UTC),
        overview=overview(con),
        documents=fetch_dicts(con, sql_text("documents", REPORT_SQL)),
        rows=rows,
        peers=fetch_dicts(con, sql_text("peer_statistics", REPORT_SQL)),
        pages=pages,
        sources=sources,
        warnings=warnings,
        checks=checks,
        finding_printings=printings,
    )
