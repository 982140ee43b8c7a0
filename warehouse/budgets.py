"""One budget per department-year, whatever the files (run by the loader after every load).

A budget is identified by `BUDGET_KEY`: jurisdiction, department (canonical name, else as printed),
fiscal year and kind. Among the documents of one key that are current by url and not failed:

- **Split publication.** A document that prints no table (table_count = 0: the 情况说明 / 公开文件)
  beside one that does (the 报表 / 公开表格) is the text part of the same budget: its `part_of` names
  the tables part, and the tables part's rows receive the text part's figures. A figure only the
  text prints (机关运行经费, 内设机构 …) fills the budget's null field; every printing of the text
  (its observations) is added to the budget's observations, so the quality suites compare the
  prose of one file with the tables of the other exactly as within one file: a disagreement on a
  figure is withheld, on a grand total it quarantines the budget. Every borrowed row keeps the
  part's doc_id (`part_doc_id`) with its own page and box; the tables part's own figures are never
  overwritten. Re-joining first removes every borrowed row and field, so a reload of either part
  gives the same result.
- **The same budget twice.** Two files that both print tables (a corrected version posted under a
  new url): the newer is the budget, the older gets `replaced_by` = the newer and stays in
  `documents` as history. Two text parts: likewise. "Newer" needs evidence (`newer_than`): the
  site's Last-Modified, or a first fetch in a later pipeline run. The load report names every
  replacement and its evidence (`Replacement.basis`); files without an order both stay current
  and the quality gate's uniqueness check decides, so no choice is silent.

`current_documents` counts each budget once: the parts and the replaced files are not in it.
The planner (`plan`) is pure; `resolve` reads the rows, applies the plan and reports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import duckdb
import pyarrow as pa

from budgetlens.fields import HEADCOUNT_FIELDS, TOTALS_FIELDS
from warehouse.db import dict_rows
from warehouse.schema import query, table_columns

# The columns that identify one budget (the quality suites' uniqueness check uses the same key).
BUDGET_KEY: tuple[str, ...] = ("jurisdiction", "department_key", "fiscal_year", "kind")
# Sections whose null fields a text part may fill, and their fields.
FILLABLE: dict[str, tuple[str, ...]] = {"totals": TOTALS_FIELDS, "headcount": HEADCOUNT_FIELDS}

Row = dict[str, Any]


@dataclass(frozen=True)
class Replacement:
    """An older file of a budget and the newer one that replaces it, with the evidence of the order."""

    old: str
    new: str
    basis: str  # e.g. 'Last-Modified 2026-03-02 later than 2026-01-05'


@dataclass
class Plan:
    """Per doc_id: the budget it is a part of and the file that replaces it (None: neither)."""

    part_of: dict[str, str | None] = field(default_factory=dict)
    replaced_by: dict[str, str | None] = field(default_factory=dict)
    replacements: list[Replacement] = field(default_factory=list)

    def parts(self) -> dict[str, list[str]]:
        """budget doc_id → its text parts."""
        out: dict[str, list[str]] = {}
        for doc_id, budget in sorted(self.part_of.items()):
            if budget is not None:
                out.setdefault(budget, []).append(doc_id)
        return out


def _key(row: Mapping) -> tuple | None:
    key = tuple(row.get(c) for c in BUDGET_KEY)
    return None if any(v is None for v in key) else key


def last_modified(row: Mapping) -> datetime | None:
    """The Last-Modified the site sent with the file (None when absent or not a date)."""
    value = row.get("last_modified")
    if isinstance(value, datetime) or value is None:
        return value
    try:
        return parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None


def newer_than(new: Mapping, old: Mapping, run_starts: Sequence[datetime]) -> str | None:
    """The evidence that `new` is a later version than `old`, or None when there is none.

    The site's Last-Modified, when both files carry one and they differ; else the fetch times when a
    pipeline run started between them (the newer file was first seen in a later run). Two files
    first fetched in the same run, with equal or no Last-Modified, have no order: both stay current
    and the quality gate's uniqueness check decides (identical figures: one is kept; conflicting:
    both quarantined, naming each other), never a silent choice."""
    a, b = last_modified(new), last_modified(old)
    if a is not None and b is not None and a != b:
        return f"Last-Modified {a:%Y-%m-%d %H:%M} later than {b:%Y-%m-%d %H:%M}" if a > b else None
    fa, fb = new.get("fetched_at"), old.get("fetched_at")
    if fa is None or fb is None or fa <= fb:
        return None
    if any(fb < start <= fa for start in run_starts):
        return f"first fetched in a later run ({fa:%Y-%m-%d %H:%M} after {fb:%Y-%m-%d %H:%M})"
    return None


def _order(row: Mapping) -> tuple:
    lm = last_modified(row)
    return (fetched_order(lm), fetched_order(row.get("fetched_at")), row["doc_id"])


def _current(rows: Sequence[Mapping], run_starts: Sequence[datetime], plan: Plan) -> list[Mapping]:
    """The files of `rows` that stay current: the newest, and those it has no evidence to replace."""
    ordered = sorted(rows, key=_order, reverse=True)
    keep, out = ordered[0], [ordered[0]]
    for old in ordered[1:]:
        basis = newer_than(keep, old, run_starts)
        if basis is None:
            out.append(old)
            continue
        plan.replaced_by[old["doc_id"]] = keep["doc_id"]
        plan.replacements.append(Replacement(old["doc_id"], keep["doc_id"], basis))
    return out


def plan(members: Iterable[Mapping], run_starts: Sequence[datetime] = ()) -> Plan:
    """The role of every member (rows with doc_id, the BUDGET_KEY columns, table_count, fetched_at,
    last_modified). A text part joins only an unambiguous tables part: one of each stays current."""
    out = Plan()
    groups: dict[tuple, list[Mapping]] = {}
    for row in members:
        out.part_of[row["doc_id"]] = None
        out.replaced_by[row["doc_id"]] = None
        key = _key(row)
        if key is not None:  # a document without a department or year names no budget: left alone
            groups.setdefault(key, []).append(row)
    for rows in groups.values():
        if len(rows) < 2:
            continue
        with_tables = [r for r in rows if (r.get("table_count") or 0) > 0]
        text_only = [r for r in rows if (r.get("table_count") or 0) == 0]
        budgets = _current(with_tables, run_starts, out) if with_tables else []
        texts = _current(text_only, run_starts, out) if text_only else []
        if len(budgets) == 1 and len(texts) == 1:
            out.part_of[texts[0]["doc_id"]] = budgets[0]["doc_id"]
    return out


# --- joining a split publication (pure) ------------------------------------------------------------


@dataclass
class Join:
    """What a budget receives from its text parts: field values, provenance and observation rows."""

    fill: dict[str, dict[str, Any]] = field(default_factory=dict)  # section → {field: value}
    provenance: list[Row] = field(default_factory=list)
    observations: list[Row] = field(default_factory=list)
    passages: list[Row] = field(default_factory=list)


def join_rows(
    budget_id: str,
    budget: Mapping[str, Mapping[str, Any]],
    parts: Sequence[tuple[str, Mapping[str, Any]]],
    next_obs_index: int,
    next_passage_no: int = 0,
) -> Join:
    """The rows a budget borrows from its parts. `budget` and each part are {"totals": row,
    "headcount": row, "provenance": [rows], "observations": [rows]}; a field fills only where the
    budget's own value is null (the first part that states it); every observation of a part is
    added, canonical only for a field it filled."""
    out = Join()
    filled_from: dict[str, str] = {}
    for part_id, part in parts:
        prov = {r["field_path"]: r for r in part.get("provenance", [])}
        for section, names in FILLABLE.items():
            own, theirs = budget.get(section) or {}, part.get(section) or {}
            for name in names:
                path = f"{section}.{name}"
                if own.get(name) is not None or path in filled_from or theirs.get(name) is None:
                    continue
                filled_from[path] = part_id
                out.fill.setdefault(section, {})[name] = theirs[name]
                where = prov.get(path) or {}
                out.provenance.append(
                    {
                        **{k: where.get(k) for k in ("page", "x0", "top", "x1", "bottom", "source")},
                        "doc_id": budget_id,
                        "field_path": path,
                        "section": section,
                        "part_doc_id": part_id,
                    }
                )
        for o in part.get("observations", []):
            canonical = bool(o.get("canonical")) and filled_from.get(o["field"]) == part_id
            out.observations.append(
                {
                    **o,
                    "doc_id": budget_id,
                    "obs_index": next_obs_index,
                    "canonical": canonical,
                    "part_doc_id": part_id,
                }
            )
            next_obs_index += 1
        for p in part.get("passages", []):  # the sentences stating shares, for the share check
            out.passages.append(
                {**p, "doc_id": budget_id, "passage_no": next_passage_no, "part_doc_id": part_id}
            )
            next_passage_no += 1
    return out


# --- applying it to the warehouse --------------------------------------------------------------------


@dataclass
class Resolution:
    """What `resolve` changed: the budgets joined from parts and the files replaced."""

    joined: dict[str, list[str]] = field(default_factory=dict)  # budget doc_id → its text parts
    replacements: list[Replacement] = field(default_factory=list)


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: Sequence[Any]) -> list[Row]:
    return dict_rows(con.execute(query(name), list(params)))


def _section_row(con: duckdb.DuckDBPyConnection, section: str, doc_id: str) -> Row:
    rows = _rows(con, f"budget_{section}", [doc_id])
    return rows[0] if rows else {}


def _unjoin(con: duckdb.DuckDBPyConnection, budget_id: str) -> None:
    """Remove every row and field the budget borrowed from parts (a no-op for a fresh load)."""
    for r in _rows(con, "borrowed_fields", [budget_id]):
        section, _, name = r["field_path"].partition(".")
        if name in FILLABLE.get(section, ()):
            con.execute(query("clear_field").format(table=section, column=name), [budget_id])
    con.execute(query("delete_borrowed_provenance"), [budget_id])
    con.execute(query("delete_borrowed_observations"), [budget_id])
    if table_columns(con, "passages"):
        con.execute(query("delete_borrowed_passages"), [budget_id])


BORROWED_COLUMNS: dict[str, tuple[str, ...]] = {
    "provenance": (
        "doc_id",
        "field_path",
        "section",
        "page",
        "x0",
        "top",
        "x1",
        "bottom",
        "source",
        "part_doc_id",
    ),
    "observations": (
        "doc_id",
        "obs_index",
        "field",
        "place",
        "label",
        "printed",
        "unit",
        "value",
        "canonical",
        "page",
        "x0",
        "top",
        "x1",
        "bottom",
        "part_doc_id",
    ),
    "passages": ("doc_id", "passage_no", "page", "text", "part_doc_id"),
}


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row]) -> None:
    if rows:
        cols = BORROWED_COLUMNS[table]
        con.executemany(query(f"insert_borrowed_{table}"), [[r.get(c) for c in cols] for r in rows])


def _join(con: duckdb.DuckDBPyConnection, budget_id: str, part_ids: Sequence[str]) -> None:
    budget = {s: _section_row(con, s, budget_id) for s in FILLABLE}
    parts = [
        (
            p,
            {
                **{s: _section_row(con, s, p) for s in FILLABLE},
                "provenance": _rows(con, "budget_provenance", [p]),
                "observations": _rows(con, "budget_observations", [p]),
                "passages": _rows(con, "budget_passages", [p]) if table_columns(con, "passages") else [],
            },
        )
        for p in part_ids
    ]
    start = con.execute(query("next_obs_index"), [budget_id]).fetchone()[0]
    has_passages = bool(table_columns(con, "passages"))
    first_passage = con.execute(query("next_passage_no"), [budget_id]).fetchone()[0] if has_passages else 0
    j = join_rows(budget_id, budget, parts, start, first_passage)
    for section, values in j.fill.items():
        for name, value in values.items():
            con.execute(query("set_field").format(table=section, column=name), [value, budget_id])
    _insert_rows(con, "provenance", j.provenance)
    _insert_rows(con, "observations", j.observations)
    _insert_rows(con, "passages", j.passages)


def resolve(con: duckdb.DuckDBPyConnection, loaded: Iterable[str] = ()) -> Resolution:
    """Plan every budget's files and apply what changed (inside the caller's transaction).

    A budget is (re)joined when its parts changed or it or a part was just `loaded`; a document
    whose role changed is queued for the quality stage again (checked_at null)."""
    members = _rows(con, "budget_members", [])
    run_starts = [r[0] for r in con.execute(query("run_starts")).fetchall()]
    before = {m["doc_id"]: (m.get("part_of"), m.get("replaced_by")) for m in members}
    p = plan(members, run_starts)
    fresh = set(loaded)
    old_parts: dict[str, set[str]] = {}
    for doc_id, (part_of, _) in before.items():
        if part_of is not None:
            old_parts.setdefault(part_of, set()).add(doc_id)
    new_parts = p.parts()
    changed = [d for d in before if before[d] != (p.part_of[d], p.replaced_by[d])]
    budgets = set(old_parts) | set(new_parts)
    todo = sorted(
        b
        for b in budgets
        if set(new_parts.get(b, [])) != old_parts.get(b, set()) or fresh & ({b} | set(new_parts.get(b, [])))
    )
    for b in todo:
        _unjoin(con, b)
        if b in new_parts:
            _join(con, b, new_parts[b])
    roles = pa.table(
        {
            "doc_id": pa.array(changed, type=pa.string()),
            "part_of": pa.array([p.part_of[d] for d in changed], type=pa.string()),
            "replaced_by": pa.array([p.replaced_by[d] for d in changed], type=pa.string()),
        }
    )
    recheck = pa.table({"doc_id": pa.array(sorted(set(changed) | set(todo)), type=pa.string())})
    con.register("budget_roles", roles)
    con.register("budget_recheck", recheck)
    try:
        con.execute(query("set_budget_roles"))
        con.execute(query("recheck_budgets"))
    finally:
        con.unregister("budget_roles")
        con.unregister("budget_recheck")
    return Resolution(
        joined={b: new_parts[b] for b in todo if b in new_parts},
        replacements=[r for r in p.replacements if r.old in changed or r.new in fresh],
    )


def fetched_order(value: datetime | None) -> float:
    """A sortable number for a time (None first)."""
    return value.timestamp() if value is not None else float("-inf")


def describe(
    con: duckdb.DuckDBPyConnection, joined: Mapping[str, Sequence[str]], replaced: Sequence[Mapping]
) -> list[str]:
    """One line per joined budget and per replaced file, naming the files (for the run summary)."""
    ids = sorted(
        {
            *joined,
            *(p for ps in joined.values() for p in ps),
            *(r[k] for r in replaced for k in ("old", "new")),
        }
    )
    names = dict(con.execute(query("file_names"), [ids]).fetchall()) if ids else {}
    lines = [
        f"one budget from two files: {names.get(p, p)} (text) joined to {names.get(b, b)} (tables)"
        for b, ps in sorted(joined.items())
        for p in ps
    ]
    lines += [
        f"{names.get(r['old'], r['old'])} replaced by {names.get(r['new'], r['new'])}: {r['basis']}"
        for r in replaced
    ]
    return lines
