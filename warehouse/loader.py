"""The one writer: staged envelopes → warehouse tables, idempotently and crash-safely.

`load_staged` loads many documents per transaction: it deletes every row of the batch's doc_ids
(and of records a re-parsed file no longer gives), bulk-inserts the new rows from Arrow tables,
marks older files from the same source URL as superseded, commits; then gives every department-year
one budget (warehouse/budgets.py: split publications joined, older versions replaced) and CHECKPOINTs. A crash
before the commit leaves the previous state; loading the same envelopes again completes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from budgetlens.fields import STATUSES
from warehouse import budgets
from warehouse.db import ConnectSettings, Target, connect, transaction
from warehouse.departments import OTHER, DepartmentRules, classify, default_rules
from warehouse.rows import AMOUNT_COLUMNS, CellColumns, DocRows, EnvelopeError, envelope_rows, failed_rows
from warehouse.schema import DOC_TABLES, expected_columns, query, table_columns
from warehouse.staging import read_envelope

DEFAULT_BATCH_DOCS = 1000
DECIMAL_TYPE = pa.decimal128(18, 2)
TIMESTAMP_TYPE = pa.timestamp("us", tz="UTC")
_TIMESTAMP_COLUMNS = frozenset(
    {"parsed_at", "fetched_at", "loaded_at", "checked_at", "started_at", "finished_at"}
)
_LIST_TYPES = {"pages": pa.list_(pa.int32()), "quality_flags": pa.list_(pa.string())}

BeforeCommit = Callable[[duckdb.DuckDBPyConnection], None]


@dataclass(frozen=True)
class LoadSettings:
    """How many documents go into one transaction, and whether to CHECKPOINT at the end."""

    batch_docs: int = DEFAULT_BATCH_DOCS
    checkpoint: bool = True

    def __post_init__(self) -> None:
        if self.batch_docs < 1:
            raise ValueError("batch_docs must be at least 1")


@dataclass
class LoadReport:
    """What one load did. `rejected` envelopes could not be placed at all (they stay staged)."""

    documents: int = 0
    published: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, reason)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (envelope path, reason)
    unmapped_departments: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)  # doc_ids of older files, in the urls touched
    joined: dict[str, list[str]] = field(default_factory=dict)  # budget doc_id → text parts joined into it
    replaced: list[dict] = field(default_factory=list)  # {old, new, basis}: older files of one budget
    rows: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    elapsed_s: float = 0.0

    def to_dict(self) -> dict:
        """Plain JSON-able form (for the run summary)."""
        return asdict(self)


class Connection:
    """A connection passed in, or one opened on a target for the duration of a call."""

    def __init__(
        self,
        con_or_target: duckdb.DuckDBPyConnection | Target | str | Path,
        settings: ConnectSettings | None = None,
    ):
        self._given = isinstance(con_or_target, duckdb.DuckDBPyConnection)
        self._target = con_or_target
        self._settings = settings
        self.con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        if self._given:
            self.con = self._target  # type: ignore[assignment]
        else:
            self.con = connect(self._target, read_only=False, settings=self._settings)  # type: ignore[arg-type]
        return self.con

    def __exit__(self, *exc: object) -> None:
        if not self._given and self.con is not None:
            self.con.close()


def arrow_table(columns: Sequence[str], rows: Sequence[Mapping] | CellColumns, table: str) -> pa.Table:
    """Rows (dicts, or column lists) as an Arrow table with the warehouse's column order and exact types."""
    amounts = set(AMOUNT_COLUMNS.get(table, ()))
    arrays = []
    for col in columns:
        values = rows[col] if isinstance(rows, CellColumns) else [r.get(col) for r in rows]
        if col in amounts:
            arrays.append(pa.array(values, type=DECIMAL_TYPE))
        elif col in _TIMESTAMP_COLUMNS:
            arrays.append(pa.array(values, type=TIMESTAMP_TYPE))
        elif col in _LIST_TYPES:
            arrays.append(pa.array(values, type=_LIST_TYPES[col]))
        else:
            arrays.append(pa.array(values))
    return pa.table(arrays, names=list(columns))


def _insert(con: duckdb.DuckDBPyConnection, table: str, tbl: pa.Table) -> None:
    name = f"batch_{table}"
    con.register(name, tbl)
    try:
        con.execute(query("insert_batch").format(table=_ident(table), batch=name))
    finally:
        con.unregister(name)


def _ident(name: str) -> str:
    """A table name from our own constants (identifiers cannot be `?` parameters)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad identifier {name!r}")
    return name


def read_batch(
    paths: Iterable[Path], report: LoadReport, rules: DepartmentRules, loaded_at: datetime
) -> list[DocRows]:
    """Envelopes from disk as rows; unreadable ones become failed rows or rejections in `report`."""
    out: dict[str, DocRows] = {}
    for path in paths:
        try:
            env = read_envelope(Path(path))
        except EnvelopeError as exc:
            report.rejected.append((str(path), str(exc)))
            continue
        try:
            rows = envelope_rows(env, rules=rules, loaded_at=loaded_at)
        except EnvelopeError as exc:
            try:
                rows = failed_rows(
                    env, f"bad staged envelope {Path(path).name}: {exc}", rules=rules, loaded_at=loaded_at
                )
            except EnvelopeError as exc2:
                report.rejected.append((str(path), f"{exc} ({exc2})"))
                continue
        out[rows.doc_id] = rows  # the same doc_id twice: the later envelope wins
    return list(out.values())


def _gather(batch: Sequence[DocRows], table: str) -> list[dict] | CellColumns:
    """One table's rows across the batch."""
    if table == "table_cells":
        cells = CellColumns()
        for d in batch:
            cells.extend(d.tables["table_cells"])
        return cells
    return [row for d in batch for row in d.tables.get(table, ())]


def batches(
    paths: Iterable[Path], report: LoadReport, rules: DepartmentRules, loaded_at: datetime, batch_docs: int
) -> Iterator[list[DocRows]]:
    """Envelopes read one by one into batches of about `batch_docs` documents.

    A file's records are never split across two batches (so a re-parse that gives fewer records
    removes the stale ones), unless its records are so scattered in `paths` that the batch
    reaches twice the size.
    """
    current: dict[str, DocRows] = {}
    for path in paths:
        for rows in read_batch([path], report, rules, loaded_at):
            current[rows.doc_id] = rows  # the same doc_id twice: the later envelope wins
        if len(current) >= batch_docs:
            batch = list(current.values())
            if len(current) >= 2 * batch_docs or not _open_files(batch):
                yield batch
                current = {}
    if current:
        yield list(current.values())


def _open_files(batch: Sequence[DocRows]) -> list[str]:
    """Files with a known record count whose records are not all in the batch."""
    complete = set(_complete_files(batch))
    return [d.file_sha256 for d in batch if d.document["record_count"] and d.file_sha256 not in complete]


def _complete_files(batch: Sequence[DocRows]) -> list[str]:
    """Files whose every record is in the batch (their stale records may be deleted)."""
    seen: dict[str, set[int]] = {}
    counts: dict[str, int | None] = {}
    for d in batch:
        doc = d.document
        seen.setdefault(d.file_sha256, set()).add(doc["record_index"])
        counts[d.file_sha256] = doc["record_count"]
    return [sha for sha, idx in seen.items() if counts[sha] and idx == set(range(1, counts[sha] + 1))]


def write_batch(
    con: duckdb.DuckDBPyConnection,
    batch: Sequence[DocRows],
    report: LoadReport,
    *,
    before_commit: BeforeCommit | None = None,
) -> None:
    """Replace the batch's documents in one transaction (see the module docstring)."""
    ids = pa.table({"doc_id": pa.array([d.doc_id for d in batch], type=pa.string())})
    files = pa.table({"file_sha256": pa.array(_complete_files(batch), type=pa.string())})
    new_urls = {d.source_url for d in batch if d.source_url}
    tables = {t: arrow_table(table_columns(con, t), _gather(batch, t), t) for t in DOC_TABLES}
    with transaction(con, batch_doc_ids=ids, batch_complete_files=files) as con:
        delete_ids = con.execute(query("delete_ids")).fetch_arrow_table()
        con.register("batch_delete_ids", delete_ids)
        old_urls = {r[0] for r in con.execute(query("urls_of_deleted")).fetchall()}
        for t in DOC_TABLES:
            con.execute(query("delete_docs").format(table=_ident(t)))
        con.unregister("batch_delete_ids")
        for t, tbl in tables.items():
            if tbl.num_rows:
                _insert(con, t, tbl)
            report.rows[t] = report.rows.get(t, 0) + tbl.num_rows
        urls = pa.table({"source_url": pa.array(sorted(new_urls | old_urls), type=pa.string())})
        con.register("batch_urls", urls)
        con.execute(query("supersede"))
        superseded = [r[0] for r in con.execute(query("superseded_in_urls")).fetchall()]
        con.unregister("batch_urls")
        if before_commit is not None:
            before_commit(con)
    report.superseded.extend(s for s in superseded if s not in report.superseded)
    report.batches += 1
    for d in batch:
        doc = d.document
        report.documents += 1
        if doc["status"] == "published":
            report.published += 1
        elif doc["status"] == "quarantined":
            report.quarantined.append((d.doc_id, doc["status_reason"] or ""))
        else:
            report.failed.append((d.doc_id, doc["status_reason"] or ""))


def load_staged(
    con_or_target: duckdb.DuckDBPyConnection | Target | str | Path,
    envelopes: Sequence[Path],
    *,
    settings: LoadSettings | None = None,
    rules: DepartmentRules | None = None,
    connect_settings: ConnectSettings | None = None,
    before_commit: BeforeCommit | None = None,
) -> LoadReport:
    """Load staged envelopes, `settings.batch_docs` per transaction, replacing by doc_id; then CHECKPOINT.

    Given a target, opens it for writing only for this call. `before_commit` is a test hook
    called inside each transaction just before COMMIT.
    """
    s = settings or LoadSettings()
    r = rules or default_rules()
    report = LoadReport()
    started = time.perf_counter()
    loaded_at = datetime.now(UTC)
    unmapped: set[str] = set()
    loaded: set[str] = set()
    with Connection(con_or_target, connect_settings) as con:
        for batch in batches(envelopes, report, r, loaded_at, s.batch_docs):
            unmapped.update(
                d.document["department"]
                for d in batch
                if d.document["department_type"] == OTHER and d.document["department"]
            )
            if batch:
                write_batch(con, batch, report, before_commit=before_commit)
                loaded.update(d.doc_id for d in batch)
        resolve_budgets(con, loaded, report)
        if s.checkpoint:
            con.execute("checkpoint")
    report.unmapped_departments = sorted(unmapped)
    report.elapsed_s = time.perf_counter() - started
    return report


def resolve_budgets(con: duckdb.DuckDBPyConnection, loaded: set[str], report: LoadReport) -> None:
    """One budget per department-year (warehouse/budgets.py), in one transaction after the batches."""
    with transaction(con):
        r = budgets.resolve(con, loaded)
    report.joined.update(r.joined)
    report.replaced.extend(asdict(x) for x in r.replacements)


# --- fetch log -------------------------------------------------------------------------------

# Other names the scraper's rows may use for our columns.
FETCH_LOG_ALIASES: dict[str, str] = {
    "http_status": "status",
    "status_code": "status",
    "size": "bytes",
    "time": "fetched_at",
    "elapsed": "elapsed_s",
    "attempt_count": "attempts",
    "error_message": "error",
}


def fetch_log_row(row: Mapping) -> dict:
    """One scraper log row in warehouse columns; keys we do not know go to `extra` (JSON)."""
    import json

    from warehouse.rows import parse_timestamp

    out: dict = dict.fromkeys(c for c, _ in expected_columns()["fetch_log"] if c != "extra")
    extra = {}
    for key, value in row.items():
        col = FETCH_LOG_ALIASES.get(key, key)
        if col in out:
            out[col] = value
        else:
            extra[key] = value
    if not isinstance(out["url"], str) or not out["url"]:
        raise EnvelopeError(f"fetch log row without url: {dict(row)!r}")
    if not isinstance(out["outcome"], str) or not out["outcome"]:
        raise EnvelopeError(f"fetch log row without outcome: {out['url']}")
    out["fetched_at"] = parse_timestamp(out["fetched_at"], "fetched_at")
    if out["fetched_at"] is None:
        raise EnvelopeError(f"fetch log row without fetched_at: {out['url']}")
    for col in ("status", "bytes", "attempts"):
        if out[col] is not None:
            out[col] = int(out[col])
    if out["elapsed_s"] is not None:
        out["elapsed_s"] = float(out["elapsed_s"])
    out["extra"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
    return out


def load_fetch_log(
    con_or_target: duckdb.DuckDBPyConnection | Target | str | Path,
    rows: Iterable[Mapping],
    *,
    connect_settings: ConnectSettings | None = None,
) -> int:
    """Append fetch log rows in one transaction, idempotent by (url, fetched_at). Returns rows written."""
    unique: dict[tuple, dict] = {}
    for row in rows:
        r = fetch_log_row(row)
        unique[(r["url"], r["fetched_at"])] = r
    if not unique:
        return 0
    with Connection(con_or_target, connect_settings) as con:
        tbl = arrow_table(table_columns(con, "fetch_log"), list(unique.values()), "fetch_log")
        with transaction(con, batch_fetch_log=tbl):
            con.execute(query("delete_fetch_log"))
            con.execute(query("insert_batch").format(table="fetch_log", batch="batch_fetch_log"))
    return len(unique)


# --- status --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusUpdate:
    """A status the quality stage decided for one document."""

    doc_id: str
    status: str
    reason: str | None = None
    flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")


def set_statuses(con: duckdb.DuckDBPyConnection, updates: Iterable[StatusUpdate | tuple]) -> int:
    """Set status, status_reason and quality_flags of many documents in one transaction.

    Raises KeyError naming the doc_ids the warehouse does not hold (and changes nothing).
    """
    items = [u if isinstance(u, StatusUpdate) else StatusUpdate(*u) for u in updates]
    if not items:
        return 0
    now = datetime.now(UTC)
    tbl = pa.table(
        {
            "doc_id": pa.array([u.doc_id for u in items], type=pa.string()),
            "status": pa.array([u.status for u in items], type=pa.string()),
            "status_reason": pa.array([u.reason for u in items], type=pa.string()),
            "quality_flags": pa.array(
                [list(u.flags) if u.flags else None for u in items], type=pa.list_(pa.string())
            ),
            "checked_at": pa.array([now] * len(items), type=TIMESTAMP_TYPE),
        }
    )
    with transaction(con, batch_status=tbl):
        missing = [r[0] for r in con.execute(query("status_missing")).fetchall()]
        if missing:
            raise KeyError(f"no such documents in the warehouse: {', '.join(sorted(missing)[:10])}")
        con.execute(query("set_status"))
    return len(items)


def apply_department_types(con: duckdb.DuckDBPyConnection, rules: DepartmentRules | None = None) -> list[str]:
    """Recompute department_canonical and department_type for every document (after editing the CSVs).

    Returns the department names that map to `other`.
    """
    r = rules or default_rules()
    pairs = con.execute(query("department_pairs")).fetchall()
    mapped = [(dep, jur, *classify(dep, jur, r)) for dep, jur in pairs]
    tbl = pa.table(
        {
            "department": pa.array([m[0] for m in mapped], type=pa.string()),
            "jurisdiction": pa.array([m[1] for m in mapped], type=pa.string()),
            "department_canonical": pa.array([m[2] for m in mapped], type=pa.string()),
            "department_type": pa.array([m[3] for m in mapped], type=pa.string()),
        }
    )
    with transaction(con, batch_department_types=tbl):
        con.execute(query("apply_department_types"))
    return sorted({m[0] for m in mapped if m[3] == OTHER})
