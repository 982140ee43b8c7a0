"""What `budgetlens status` shows: documents by status, the problems and their reasons, the last
run, fetch errors, and a display name for every jurisdiction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb

from warehouse.db import dict_rows
from warehouse.runs import last_run
from warehouse.schema import query, table_columns

DEFAULT_PROBLEM_LIMIT = 50
DEFAULT_FETCH_ERROR_LIMIT = 20
FETCH_OK_OUTCOMES: tuple[str, ...] = ("downloaded", "unchanged", "fetched", "absent")


@dataclass
class StatusReport:
    """`counts`: (status, current, not current: older or joined files); `problems`: quarantined/failed current documents,
    each with `reasons` (every reason in full) and `jurisdiction_name`; `reason_counts`: (reason,
    documents), most first; `fetch_errors`: one per (url, outcome), the latest, with `times`."""

    counts: list[tuple[str, int, int]] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    problems_total: int = 0
    reason_counts: list[tuple[str, int]] = field(default_factory=list)
    withheld_figures: int = 0
    withheld_documents: int = 0
    warned_documents: int = 0
    last_run: dict | None = None
    fetch_errors: list[dict] = field(default_factory=list)
    fetch_errors_total: int = 0
    jurisdiction_names: dict[str, str] = field(default_factory=dict)
    # outcome (passed / failed / skipped) → (checks, documents): every check's outcome, current documents
    checks: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing recorded at all: no document, no run, no fetch error."""
        return not self.counts and self.last_run is None and not self.fetch_errors_total


def learned_names(rows: list[tuple[str, str, int]]) -> dict[str, str]:
    """Source id → the jurisdiction name its documents print most often (rows of
    status_jurisdiction_names.sql, most frequent first per source)."""
    out: dict[str, str] = {}
    for source_id, name, _ in rows:
        out.setdefault(source_id, name)
    return out


def display_jurisdiction(value: str | None, names: Mapping[str, str]) -> str | None:
    """The display name of a jurisdiction column value: a source id maps through `names`, a name
    (or an id nobody named) stays as it is."""
    if value is None:
        return None
    return names.get(value, value)


def reason_position(status_reason: str, message: str) -> float:
    """Where a quality message stands in the status_reason that joins them (`质量检查未通过（N 项）：
    m1；m2；…`, cut with … when long): where it is whole, else where the cut tail begins it, else
    after all."""
    at = status_reason.find(message)
    if at >= 0:
        return at
    head = status_reason.removesuffix("…")
    start = max(head.rfind("；"), head.find("："))
    tail = head[start + 1 :]
    return start + 1 if tail and message.startswith(tail) else float("inf")


def document_reasons(status_reason: str | None, messages: list[str]) -> list[str]:
    """Every reason of one document in full: its error-level quality messages in the order its
    status_reason gives them (that text may be cut), else the recorded reason."""
    if messages:
        reason = status_reason or ""
        return sorted(dict.fromkeys(messages), key=lambda m: (reason_position(reason, m), m))
    return [status_reason] if status_reason and status_reason.strip() else []


def _problem_messages(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if doc_ids:
        for doc_id, message in con.execute(query("status_problem_reasons"), [doc_ids]).fetchall():
            out.setdefault(doc_id, []).append(message)
    return out


def status_report(
    con: duckdb.DuckDBPyConnection,
    *,
    problem_limit: int = DEFAULT_PROBLEM_LIMIT,
    fetch_error_limit: int = DEFAULT_FETCH_ERROR_LIMIT,
    source_names: Mapping[str, str] | None = None,
) -> StatusReport:
    """Read the status summary from an open (read-only is enough) warehouse connection.

    Jurisdiction names: `documents.jurisdiction` holds the name the document prints, but a document
    the parser could not read (and every fetch_log row) holds the source id of the sources config.
    Such ids are shown as `source_names` says (the `name` keys of the sources config), else as the
    name the other documents of that source print, else as the id itself.
    """
    report = StatusReport()
    report.counts = [tuple(r) for r in con.execute(query("status_counts")).fetchall()]
    if table_columns(con, "quality_checks"):  # absent in a warehouse from before outcomes were recorded
        report.checks = {o: (n, d) for o, n, d in con.execute(query("status_checks")).fetchall()}
    report.problems_total = con.execute(query("status_problem_count")).fetchone()[0]
    report.reason_counts = [tuple(r) for r in con.execute(query("status_reason_counts")).fetchall()]
    flags = con.execute(query("status_flags")).fetchone()
    report.withheld_figures, report.withheld_documents, report.warned_documents = flags
    report.jurisdiction_names = learned_names(con.execute(query("status_jurisdiction_names")).fetchall())
    report.jurisdiction_names.update({k: v for k, v in (source_names or {}).items() if v})
    names = report.jurisdiction_names

    report.problems = dict_rows(con.execute(query("status_problems"), [problem_limit]))
    messages = _problem_messages(con, [p["doc_id"] for p in report.problems])
    for p in report.problems:
        p["reasons"] = document_reasons(p["status_reason"], messages.get(p["doc_id"], []))
        p["jurisdiction_name"] = display_jurisdiction(p["jurisdiction"] or p["jurisdiction_hint"], names)

    report.last_run = last_run(con)
    ok = list(FETCH_OK_OUTCOMES)
    report.fetch_errors_total = con.execute(query("status_fetch_error_count"), [ok]).fetchone()[0]
    report.fetch_errors = dict_rows(con.execute(query("fetch_errors"), [ok, fetch_error_limit]))
    for e in report.fetch_errors:
        e["jurisdiction_name"] = display_jurisdiction(e["jurisdiction"], names)
    return report
