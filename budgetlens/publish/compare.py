"""`budgetlens compare`: one comparison table from the warehouse, filtered and sorted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from budgetlens.publish.sqlfiles import sql_text
from warehouse.models import Comparison
from warehouse.readonly import QueryResult

PEER_COLUMNS: tuple[str, ...] = ("type_rank", "type_peers", "type_median", "type_outlier", "type_note")


@dataclass(frozen=True)
class CompareFilters:
    """Which rows: a jurisdiction (a part of its name, e.g. 罗湖), a department type, a fiscal year."""

    jurisdiction: str | None = None
    department_type: str | None = None
    fiscal_year: int | None = None


class UnknownColumn(ValueError):
    """A --sort metric or column the comparison table does not have."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def compare_query(
    con: duckdb.DuckDBPyConnection,
    comp: Comparison,
    filters: CompareFilters | None = None,
    *,
    sort: str | None = None,
    ascending: bool = False,
    columns: Sequence[str] | None = None,
) -> QueryResult:
    """Rows of `comp.table` (highest `sort` first unless `ascending`; nulls last).

    When `sort` is one of the comparison's main metrics, the rows also carry the document's rank
    among its department-type peers on it (`type_rank` of `type_peers`, `type_median`,
    `type_outlier`, `type_note`).
    """
    f = filters or CompareFilters()
    have = [c for c in con.table(comp.table).columns]
    sort = sort or comp.default_sort
    if sort not in have:
        raise UnknownColumn(f"{comp.table} has no column {sort!r}; columns: {', '.join(have)}")
    cols = list(columns) if columns else have
    missing = [c for c in cols if c not in have]
    if missing:
        raise UnknownColumn(f"{comp.table} has no column {', '.join(map(repr, missing))}")
    sql = sql_text("compare").format(
        columns=", ".join(f"c.{_quote(c)}" for c in cols),
        table=_quote(comp.table),
        sort=_quote(sort),
        direction="asc" if ascending else "desc",
    )
    params = {
        "comparison": comp.key,
        "metric": sort,
        "jurisdiction": f.jurisdiction,
        "department_type": f.department_type,
        "fiscal_year": f.fiscal_year,
    }
    cur = con.execute(sql, params)
    description = cur.description or []
    rows = cur.fetchall()
    names = [d[0] for d in description]
    types = [str(d[1]) for d in description]
    keep = list(range(len(names)))
    if sort not in comp.main_metrics:  # no peer statistics for this column
        keep = [i for i, n in enumerate(names) if n not in PEER_COLUMNS]
    return QueryResult(
        columns=[names[i] for i in keep],
        types=[types[i] for i in keep],
        rows=[tuple(r[i] for i in keep) for r in rows],
    )


SHORT_HEADERS: dict[str, str] = {
    "fiscal_year": "year",
    "staff_count": "staff",
    "vacancy_rate": "vacancy",
    "retiree_ratio": "retirees/staff",
    "expense_per_staff": "spend/staff",
    "agency_running_cost_per_staff": "running/staff",
    "three_public_total": "三公",
    "three_public_total_yoy": "三公 yoy",
    "procurement_share": "procurement",
    "sme_share": "SME",
    "goods_share": "goods",
    "services_share": "services",
    "works_share": "works",
}


def terminal_view(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    """Headers and printed cells for the terminal: amounts in whole yuan "37,826", ratios "11.6 %", the
    department-type rank as "3/12" ("*" when the group is too small to be a benchmark, "!" for an
    outlier), warning flags as their number. CSV and JSON print the exact values instead."""
    from budgetlens.publish.columns import AMOUNT, COLUMNS, format_value

    idx = {c: i for i, c in enumerate(result.columns)}
    shown = [c for c in result.columns if c not in PEER_COLUMNS and c != "warning_flags"]
    headers = [SHORT_HEADERS.get(c, c) for c in shown]
    has_peers = "type_rank" in idx
    if has_peers:
        headers.append("rank in type")
    if "warning_flags" in idx:
        headers.append("flags")
    rows: list[list[str]] = []
    for r in result.rows:
        cells = []
        for c in shown:
            v = r[idx[c]]
            col = COLUMNS.get(c)
            if col is not None and col.kind == AMOUNT and v is not None:
                cells.append(f"{v:,.0f}")  # whole yuan on screen; csv/json are exact
            else:
                cells.append(format_value(col.kind, v) if col else ("" if v is None else str(v)))
        if has_peers:
            rank, n = r[idx["type_rank"]], r[idx["type_peers"]]
            mark = ("*" if r[idx["type_note"]] else "") + ("!" if r[idx["type_outlier"]] else "")
            cells.append("—" if rank is None else f"{rank}/{n}{mark}")
        if "warning_flags" in idx:
            flags = r[idx["warning_flags"]] or []
            cells.append(str(len(flags)) if flags else "")
        rows.append(cells)
    return headers, rows
