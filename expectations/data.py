"""What the suites validate: the candidate documents' rows, pulled from the warehouse exactly.

Rows come from DuckDB as Python values (`Decimal` for every amount, never float) through the
statements in expectations/sql/. `WarehouseData` is plain data, so the frame builders are pure
functions that tests feed directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from budgetlens.fields import WITHHOLDING_WARNINGS
from budgetlens.files import read_sql
from warehouse.db import dict_rows

SQL_DIR = Path(__file__).with_name("sql")
CANDIDATES_VIEW = "quality_candidates"

Row = dict[str, Any]


def sql(name: str) -> str:
    """A statement from expectations/sql/<name>.sql."""
    return read_sql(SQL_DIR, name)


@dataclass
class WarehouseData:
    """The candidate documents and their rows, grouped by doc_id (lines in document order).

    `observations` is None when the warehouse has no observations table (older warehouses): the
    cross-printing expectations then have nothing to check and say so in the run report.
    """

    documents: dict[str, Row] = field(default_factory=dict)
    totals: dict[str, Row] = field(default_factory=dict)
    headcount: dict[str, Row] = field(default_factory=dict)
    function_lines: dict[str, list[Row]] = field(default_factory=dict)
    economic_lines: dict[str, list[Row]] = field(default_factory=dict)
    projects: dict[str, list[Row]] = field(default_factory=dict)
    procurement_lines: dict[str, list[Row]] = field(default_factory=dict)
    tables: dict[str, list[Row]] = field(default_factory=dict)
    text_cells: dict[str, list[Row]] = field(default_factory=dict)
    performance_cells: dict[str, list[Row]] = field(default_factory=dict)
    observations: dict[str, list[Row]] | None = None
    withheld: dict[str, list[Row]] = field(default_factory=dict)  # parser warnings: figures left out
    # the peers suite's footing: non-blank cells of the income, expense and appropriation tables
    amount_cells: dict[str, list[Row]] = field(default_factory=dict)
    # the prose sentences that state a percentage ({passage_no, text, page}, document order) for the
    # stated-shares check; empty for a warehouse without the passages table (older warehouses)
    prose_passages: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def doc_ids(self) -> list[str]:
        return sorted(self.documents)


def _by_doc(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        out[r["doc_id"]].append(r)
    return dict(out)


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the connected warehouse has a table `name`."""
    return bool(con.execute(sql("table_exists"), [name]).fetchone()[0])


def unchecked_count(con: duckdb.DuckDBPyConnection) -> int:
    """Published current documents loaded since the quality stage last decided."""
    return int(con.execute(sql("unchecked_count")).fetchone()[0])


def candidate_count(con: duckdb.DuckDBPyConnection) -> int:
    """Current documents whose status the quality stage decides."""
    return int(con.execute(sql("candidate_count")).fetchone()[0])


def unchecked_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The published current documents loaded since the quality stage last decided."""
    return [r[0] for r in con.execute(sql("unchecked_published")).fetchall()]


def load(
    con: duckdb.DuckDBPyConnection, doc_ids: list[str] | None = None, *, figures_only: bool = False
) -> WarehouseData:
    """Read the candidate documents (or just `doc_ids` among them) and all their rows; with
    `figures_only`, just the documents, totals and headcount (what uniqueness needs)."""
    docs = dict_rows(con.execute(sql("candidates")))
    if doc_ids is not None:
        wanted = set(doc_ids)
        docs = [d for d in docs if d["doc_id"] in wanted]
    data = WarehouseData(documents={d["doc_id"]: d for d in docs})
    ids = pa.table({"doc_id": pa.array(sorted(data.documents), type=pa.string())})
    con.register(CANDIDATES_VIEW, ids)
    try:
        data.totals = {r["doc_id"]: r for r in dict_rows(con.execute(sql("totals")))}
        data.headcount = {r["doc_id"]: r for r in dict_rows(con.execute(sql("headcount")))}
        if figures_only:
            return data
        for name in ("function_lines", "economic_lines", "projects", "procurement_lines"):
            setattr(data, name, _by_doc(dict_rows(con.execute(sql(name)))))
        data.tables = _by_doc(dict_rows(con.execute(sql("doc_tables"))))
        data.text_cells = _by_doc(dict_rows(con.execute(sql("text_cells"))))
        data.performance_cells = _by_doc(dict_rows(con.execute(sql("performance_cells"))))
        data.amount_cells = _by_doc(dict_rows(con.execute(sql("amount_cells"))))
        if table_exists(con, "warnings"):
            data.withheld = _by_doc(
                [w for w in dict_rows(con.execute(sql("withheld"))) if w["code"] in WITHHOLDING_WARNINGS]
            )
        if table_exists(con, "passages"):
            data.prose_passages = _by_doc(dict_rows(con.execute(sql("prose_passages"))))
        if table_exists(con, "observations"):
            data.observations = _by_doc(dict_rows(con.execute(sql("observations"))))
    finally:
        con.unregister(CANDIDATES_VIEW)
    return data


def prior_results(
    con: duckdb.DuckDBPyConnection, doc_ids: list[str], *, except_expectation: str
) -> list[Row]:
    """The stored quality_results rows of `doc_ids`, but those of `except_expectation`."""
    con.register(CANDIDATES_VIEW, pa.table({"doc_id": pa.array(doc_ids, type=pa.string())}))
    try:
        return dict_rows(con.execute(sql("prior_results"), [except_expectation]))
    finally:
        con.unregister(CANDIDATES_VIEW)
