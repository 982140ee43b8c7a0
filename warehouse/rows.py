"""A staged envelope (one parse record plus where its file came from) as warehouse rows: pure.

`envelope_rows(envelope)` checks the envelope and returns one list of row dicts per table. Bad
input raises `EnvelopeError` with a message naming the field; the loader turns that into a
`documents` row with status `failed` (nothing is dropped silently).

Amounts: the record's decimal strings become `Decimal` (never via float). The warehouse columns
are DECIMAL(18,2) yuan. A figure with digits below the cent (only possible for a figure printed
in 元 with 3+ decimals, or 万元 with 7+) cannot be stored exactly: it is stored rounded half-even
to the cent, a `sub_cent_amount` warning keeps the exact figure, and the document is quarantined
so the rounded value never reaches a comparison. A figure of 10^16 yuan or more does not fit at
all: the envelope is refused (`EnvelopeError`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import NamedTuple

from budgetlens.fields import (
    ERROR_CODES,
    HEADCOUNT_FIELDS,
    RECORD_SCHEMA,
    TABLE_KINDS,
    TOTALS_FIELDS,
)
from warehouse.cells import cell_amounts
from warehouse.departments import OTHER, DepartmentRules, classify, default_rules

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 16  # DECIMAL(18,2): 16 digits before the point
SUB_CENT_CODE = "sub_cent_amount"

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_AMOUNT = re.compile(r"^-?\d+(?:\.\d+)?$")
_DOC_ID_SUFFIX = re.compile(r"^-([1-9]\d*)$")

# DECIMAL(18,2) columns, per table (the Arrow batch gives them decimal128(18, 2)).
AMOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "totals": TOTALS_FIELDS,
    "function_lines": ("total", "basic", "project"),
    "economic_lines": ("amount",),
    "projects": ("amount", "prior_year_amount", "change"),
    "procurement_lines": ("amount",),
    "table_cells": ("amount",),
    "observations": ("value",),
}


TABLE_CELL_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "table_index",
    "table_kind",
    "row_index",
    "col_index",
    "text",
    "amount",
    "page",
    "x0",
    "top",
    "x1",
    "bottom",
)


class CellColumns(dict):
    """table_cells rows kept column-wise (one list per column): the bulk of every load."""

    def __init__(self) -> None:
        super().__init__((c, []) for c in TABLE_CELL_COLUMNS)

    def __len__(self) -> int:
        return len(self["doc_id"])

    def append(self, doc_id, table_index, kind, row_index, col_index, text, amount, box) -> None:
        """Add one cell; `box` is [page, x0, top, x1, bottom] or None."""
        self["doc_id"].append(doc_id)
        self["table_index"].append(table_index)
        self["table_kind"].append(kind)
        self["row_index"].append(row_index)
        self["col_index"].append(col_index)
        self["text"].append(text)
        self["amount"].append(amount)
        if box is None:
            for c in ("page", "x0", "top", "x1", "bottom"):
                self[c].append(None)
        else:
            self["page"].append(int(box[0]))
            self["x0"].append(box[1])
            self["top"].append(box[2])
            self["x1"].append(box[3])
            self["bottom"].append(box[4])

    def extend(self, other: CellColumns) -> None:
        """Append every cell of another document."""
        for c in TABLE_CELL_COLUMNS:
            self[c].extend(other[c])


class EnvelopeError(ValueError):
    """A staged envelope or its record is malformed; the message names the field."""


@dataclass
class DocRows:
    """Rows for every per-document table, for one envelope."""

    doc_id: str
    file_sha256: str
    source_url: str | None
    tables: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def document(self) -> dict:
        return self.tables["documents"][0]


def doc_id_parts(doc_id: str, file_sha256: str) -> int:
    """The record index k of `doc_id` (1 for a plain sha256; k for '<sha256>-<k>')."""
    if not _SHA256.match(file_sha256 or ""):
        raise EnvelopeError(f"file_sha256 must be 64 lower-case hex digits, not {file_sha256!r}")
    if doc_id == file_sha256:
        return 1
    m = _DOC_ID_SUFFIX.match(doc_id[len(file_sha256) :]) if doc_id.startswith(file_sha256) else None
    if not m:
        raise EnvelopeError(f"doc_id {doc_id!r} must be the file's sha256 or '<sha256>-<k>'")
    return int(m.group(1))


def parse_timestamp(value: object, name: str) -> datetime | None:
    """An ISO-8601 string (or datetime) as an aware datetime; naive times are taken as UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        ts = value
    elif isinstance(value, str):
        try:
            ts = datetime.fromisoformat(value)
        except ValueError as exc:
            raise EnvelopeError(f"{name}: not an ISO-8601 time: {value!r}") from exc
    else:
        raise EnvelopeError(f"{name}: expected an ISO-8601 string, got {type(value).__name__}")
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


class _Amounts:
    """Converts amount strings, collecting sub-cent figures as issues."""

    def __init__(self) -> None:
        self.sub_cent: list[tuple[str, str]] = []

    def __call__(self, value: object, path: str) -> Decimal | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _AMOUNT.match(value):
            raise EnvelopeError(
                f"{path}: an amount must be a decimal string like '25790000.00', not {value!r}"
            )
        return self.decimal(Decimal(value), path, value)

    def decimal(self, d: Decimal, path: str, printed: str) -> Decimal:
        if abs(d) >= MAX_AMOUNT:
            raise EnvelopeError(f"{path}: {printed} yuan does not fit DECIMAL(18,2)")
        q = d.quantize(CENT, rounding=ROUND_HALF_EVEN)
        if q != d:
            self.sub_cent.append((path, printed))
        return q


def _int(value: object, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise EnvelopeError(f"{path}: expected an integer or null, not {value!r}")
    return value


def _str(value: object, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise EnvelopeError(f"{path}: expected a string or null, not {value!r}")
    return value


def _texts(item: Mapping, path: str, keys: tuple[str, ...]) -> dict[str, str | None]:
    """The text fields `keys` of a record object, each a string or null (`path` names it in errors)."""
    return {k: _str(item.get(k), f"{path}.{k}") for k in keys}


def _required_text(item: Mapping, path: str, key: str) -> str:
    """A text field of a record object that must be there and not empty."""
    value = _str(item.get(key), f"{path}.{key}")
    if not value:
        raise EnvelopeError(f"record.{path}.{key} is required")
    return value


def _section(record: Mapping, name: str, kind: type) -> object:
    value = record.get(name)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise EnvelopeError(f"record.{name}: expected {kind.__name__}, not {type(value).__name__}")
    return value


def _lines(record: Mapping, name: str) -> list[Mapping]:
    items = _section(record, name, list)
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise EnvelopeError(f"record.{name}[{i}]: expected an object")
    return items


def _bbox(value: object, path: str, n: int) -> list[float] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple) and len(value) == n:
        out = []
        for v in value:
            if type(v) is float or type(v) is int:  # not bool, not strings
                out.append(float(v))
            else:
                break
        else:
            return out
    raise EnvelopeError(f"{path}: expected {n} numbers or null, not {value!r}")


_BOX_COLUMNS: tuple[str, ...] = ("x0", "top", "x1", "bottom")


def _box_columns(bbox: list[float] | None) -> dict[str, float | None]:
    """A checked 4-number bbox (`_bbox`) as the columns x0, top, x1, bottom (all null without one)."""
    return dict(zip(_BOX_COLUMNS, bbox or (None,) * len(_BOX_COLUMNS), strict=True))


def envelope_rows(
    envelope: Mapping,
    *,
    rules: DepartmentRules | None = None,
    loaded_at: datetime | None = None,
) -> DocRows:
    """All rows one staged envelope gives (see the module docstring for status rules).

    One step per table or group of rows. The steps check what they read in the order they run, so
    a bad envelope is named by its first bad field: the ids and the record, the record's head, the
    department, each table in turn, the `documents` row last.
    """
    doc_id, file_sha, record_index, record = _identity(envelope)
    record_count = _record_count(envelope, doc_id, file_sha, record_index)
    r = rules or default_rules()
    amount = _Amounts()
    out = DocRows(
        doc_id=doc_id, file_sha256=file_sha, source_url=_str(envelope.get("source_url"), "source_url")
    )
    head = _record_head(record)
    department = _department(envelope, head.document, r)
    t = out.tables
    t["headcount"] = _headcount(doc_id, record)
    t["totals"] = _totals(doc_id, record, amount)
    for name in _LINE_TABLES:
        t[name] = _line_table(doc_id, record, name, amount)
    t["doc_tables"], t["table_cells"] = _tables(doc_id, _lines(record, "tables"), amount)
    t["provenance"] = _provenance(doc_id, _section(record, "provenance", dict))
    t["observations"] = _observations(doc_id, _lines(record, "observations"), amount)
    t["passages"] = _passages(doc_id, _lines(record, "passages"))
    t["warnings"] = _warnings(doc_id, _section(record, "warnings", list), amount.sub_cent)
    t["documents"] = [
        _document(
            envelope,
            record,
            out,
            head,
            department,
            record_index=record_index,
            record_count=record_count,
            sub_cent=amount.sub_cent,
            loaded_at=loaded_at,
        )
    ]
    return out


def _identity(envelope: object) -> tuple[str, str, int, Mapping]:
    """(doc_id, file_sha256, record index, record) of an envelope, checked: the record must be a
    budgetlens.budget/1 object."""
    if not isinstance(envelope, Mapping):
        raise EnvelopeError("an envelope must be a JSON object")
    doc_id = envelope.get("doc_id")
    file_sha = envelope.get("file_sha256")
    if not isinstance(doc_id, str) or not isinstance(file_sha, str):
        raise EnvelopeError("doc_id and file_sha256 are required strings")
    record_index = doc_id_parts(doc_id, file_sha)
    record = envelope.get("record")
    if not isinstance(record, Mapping):
        raise EnvelopeError("record: expected a budgetlens.budget/1 object")
    if record.get("schema") != RECORD_SCHEMA:
        raise EnvelopeError(f"record.schema must be {RECORD_SCHEMA!r}, not {record.get('schema')!r}")
    return doc_id, file_sha, record_index, record


def _record_count(envelope: Mapping, doc_id: str, file_sha: str, record_index: int) -> int | None:
    """How many records the file gave, as staged; 1 when the envelope does not say and the record
    is the file's only one (doc_id is the file's sha256)."""
    record_count = _int(envelope.get("record_count"), "record_count")
    if record_count is None and record_index == 1 and doc_id == file_sha:
        record_count = 1
    return record_count


class _Head(NamedTuple):
    """A record's source, document and error sections and its page range, checked."""

    source: dict
    document: dict
    error: Mapping | None
    pages: list[int] | None


def _record_head(record: Mapping) -> _Head:
    """The record's head (see `_Head`): the error must carry a known code, the pages be [first, last]."""
    source = _section(record, "source", dict)
    document = _section(record, "document", dict)
    error = record.get("error")
    if error is not None and (not isinstance(error, Mapping) or error.get("code") not in ERROR_CODES):
        raise EnvelopeError(f"record.error: expected null or {{code, message}} with code in {ERROR_CODES}")
    pages = source.get("pages")
    if pages is not None and (
        not isinstance(pages, list) or len(pages) != 2 or not all(isinstance(p, int) for p in pages)
    ):
        raise EnvelopeError(f"record.source.pages: expected [first, last], not {pages!r}")
    return _Head(source, document, error, pages)


def _department(envelope: Mapping, document: Mapping, rules: DepartmentRules) -> dict:
    """The `documents` columns of place and department: the printed jurisdiction (else the source's
    hint) and the department, classified by `rules`."""
    jurisdiction = _str(document.get("jurisdiction"), "record.document.jurisdiction")
    hint = _str(envelope.get("jurisdiction_hint"), "jurisdiction_hint")
    department = _str(document.get("department"), "record.document.department")
    canonical, dtype = classify(department, jurisdiction or hint, rules)
    return {
        "jurisdiction": jurisdiction or hint,
        "jurisdiction_hint": hint,
        "department": department,
        "department_canonical": canonical,
        "department_type": dtype if department else OTHER,
    }


def _headcount(doc_id: str, record: Mapping) -> list[dict]:
    """The document's one headcount row (null where the record has no figure)."""
    headcount = _section(record, "headcount", dict)
    return [
        {"doc_id": doc_id, **{f: _int(headcount.get(f), f"record.headcount.{f}") for f in HEADCOUNT_FIELDS}}
    ]


def _totals(doc_id: str, record: Mapping, amount: _Amounts) -> list[dict]:
    """The document's one totals row (null where the record has no figure)."""
    totals = _section(record, "totals", dict)
    return [{"doc_id": doc_id, **{f: amount(totals.get(f), f"totals.{f}") for f in TOTALS_FIELDS}}]


class _LineColumns(NamedTuple):
    """The columns of a line table beside doc_id and line_no: text, integer and amount ones."""

    texts: tuple[str, ...]
    ints: tuple[str, ...] = ()
    amounts: tuple[str, ...] = ()


# The line tables, one row per line of the record section of the same name.
_LINE_TABLES: dict[str, _LineColumns] = {
    "function_lines": _LineColumns(("code", "name"), ("level",), ("total", "basic", "project")),
    "economic_lines": _LineColumns(("code", "name"), amounts=("amount",)),
    "projects": _LineColumns(("name",), amounts=("amount", "prior_year_amount", "change")),
    "procurement_lines": _LineColumns(("category_code", "category"), amounts=("amount",)),
    "performance_targets": _LineColumns(
        ("task", "indicator_level1", "indicator_level2", "indicator_level3", "target")
    ),
}


def _function_line_is_placed(i: int, line: Mapping) -> None:
    """A line of the function classification needs its code and level (1, 2 or 3)."""
    code = _str(line.get("code"), f"function_lines[{i}].code")
    level = _int(line.get("level"), f"function_lines[{i}].level")
    if not code or level not in (1, 2, 3):
        raise EnvelopeError(f"record.function_lines[{i}]: code and level (1, 2 or 3) are required")


# What a line must hold beyond its columns' types, per line table (checked before the line is read).
_LINE_CHECKS = {"function_lines": _function_line_is_placed}


def _line_table(doc_id: str, record: Mapping, name: str, amount: _Amounts) -> list[dict]:
    """One row per line of the record section `name` (one of `_LINE_TABLES`)."""
    columns, check = _LINE_TABLES[name], _LINE_CHECKS.get(name)
    rows = []
    for i, line in enumerate(_lines(record, name)):
        if check is not None:
            check(i, line)
        rows.append(
            {
                "doc_id": doc_id,
                "line_no": i,
                **_texts(line, f"{name}[{i}]", columns.texts),
                **{k: _int(line.get(k), f"{name}[{i}].{k}") for k in columns.ints},
                **{k: amount(line.get(k), f"{name}[{i}].{k}") for k in columns.amounts},
            }
        )
    return rows


def _warnings(doc_id: str, warnings: list, sub_cent: list[tuple[str, str]]) -> list[dict]:
    """The record's warnings (a truth record lists their codes only), then one `sub_cent_amount`
    warning per figure stored rounded to the cent."""
    rows = []
    for i, w in enumerate(warnings):
        if isinstance(w, str):  # truth records list warning codes only
            w = {"code": w, "message": None, "page": None}
        if not isinstance(w, Mapping) or not isinstance(w.get("code"), str):
            raise EnvelopeError(f"record.warnings[{i}]: expected {{code, message, page}}")
        rows.append(
            {
                "doc_id": doc_id,
                "warning_no": i,
                "code": w["code"],
                "message": _str(w.get("message"), f"warnings[{i}].message"),
                "page": _int(w.get("page"), f"warnings[{i}].page"),
            }
        )
    for path, printed in sub_cent:
        rows.append(
            {
                "doc_id": doc_id,
                "warning_no": len(rows),
                "code": SUB_CENT_CODE,
                "message": f"{path} = {printed} yuan has digits below the cent; stored rounded to "
                f"{Decimal(printed).quantize(CENT, rounding=ROUND_HALF_EVEN)} in DECIMAL(18,2)",
                "page": None,
            }
        )
    return rows


def _status(error: Mapping | None, sub_cent: list[tuple[str, str]]) -> dict:
    """status, status_reason and error_code: a record with an error, or with figures stored rounded
    to the cent, is quarantined; any other is published."""
    if error is not None:
        return {
            "status": "quarantined",
            "status_reason": f"{error['code']}: {error.get('message') or ''}".rstrip(": "),
            "error_code": error["code"],
        }
    if sub_cent:
        paths = ", ".join(f"{p} = {v}" for p, v in sub_cent)
        return {
            "status": "quarantined",
            "status_reason": f"{SUB_CENT_CODE}: amounts below the cent cannot be stored exactly: {paths}",
            "error_code": None,
        }
    return {"status": "published", "status_reason": None, "error_code": None}


# `documents` columns later stages set (supersession, budget roles, the quality gate): null on load.
_LATER_COLUMNS = ("superseded_by", "replaced_by", "part_of", "quality_flags", "checked_at")


def _document(
    envelope: Mapping,
    record: Mapping,
    out: DocRows,
    head: _Head,
    department: dict,
    *,
    record_index: int,
    record_count: int | None,
    sub_cent: list[tuple[str, str]],
    loaded_at: datetime | None,
) -> dict:
    """The `documents` row: the file and its place, what the document is, its status, its pages and
    counts (of the tables and warnings already in `out`), and when it was parsed and loaded."""
    source, document = head.source, head.document
    return {
        "doc_id": out.doc_id,
        "file_sha256": out.file_sha256,
        "record_index": record_index,
        "record_count": record_count,
        "source_url": out.source_url,
        "file_name": _str(envelope.get("file_name"), "file_name")
        or _str(source.get("file"), "record.source.file"),
        **department,
        "fiscal_year": _int(document.get("fiscal_year"), "record.document.fiscal_year"),
        "kind": _str(document.get("kind"), "record.document.kind"),
        "scope": _str(document.get("scope"), "record.document.scope"),
        "template": _str(document.get("template"), "record.document.template"),
        **_status(head.error, sub_cent),
        "first_page": head.pages[0] if head.pages else None,
        "last_page": head.pages[1] if head.pages else None,
        "page_count": _int(source.get("page_count"), "record.source.page_count"),
        "table_count": len(out.tables["doc_tables"]),
        "warning_count": len(out.tables["warnings"]),
        "parser_version": _str(
            envelope.get("parser_version") or record.get("parser_version"), "parser_version"
        ),
        "parsed_at": parse_timestamp(envelope.get("parsed_at"), "parsed_at"),
        "fetched_at": parse_timestamp(envelope.get("fetched_at"), "fetched_at"),
        "loaded_at": loaded_at or datetime.now(UTC),
        **dict.fromkeys(_LATER_COLUMNS),
    }


def _tables(doc_id: str, tables: list[Mapping], amount: _Amounts) -> tuple[list[dict], CellColumns]:
    doc_tables: list[dict] = []
    cells = CellColumns()
    for ti, table in enumerate(tables):
        kind = table.get("kind")
        if kind not in TABLE_KINDS:
            raise EnvelopeError(f"record.tables[{ti}].kind: {kind!r} is not one of {TABLE_KINDS}")
        rows = table.get("rows") or []
        boxes = table.get("boxes") or []
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise EnvelopeError(f"record.tables[{ti}].rows: expected a list of rows")
        if not isinstance(boxes, list) or not all(isinstance(b, list) for b in boxes):
            raise EnvelopeError(f"record.tables[{ti}].boxes: expected a list of rows")
        pages = table.get("pages")
        if pages is not None and not (isinstance(pages, list) and all(isinstance(p, int) for p in pages)):
            raise EnvelopeError(f"record.tables[{ti}].pages: expected a list of page numbers")
        header = table.get("header")
        doc_tables.append(
            {
                "doc_id": doc_id,
                "table_index": ti,
                "kind": kind,
                **_texts(table, f"tables[{ti}]", ("title", "unit")),
                "pages": pages,
                "empty": bool(table.get("empty", False)),
                "header": None if header is None else json.dumps(header, ensure_ascii=False),
                "row_count": len(rows),
                "col_count": max((len(r) for r in rows), default=0),
            }
        )
        values = cell_amounts({**table, "rows": rows})
        for ri, row in enumerate(rows):
            box_row = boxes[ri] if ri < len(boxes) else ()
            for ci, text in enumerate(row):
                if text is not None and not isinstance(text, str):
                    raise EnvelopeError(
                        f"tables[{ti}].rows[{ri}][{ci}]: expected a string or null, not {text!r}"
                    )
                box = box_row[ci] if ci < len(box_row) else None
                if box is not None:
                    box = _bbox(box, f"tables[{ti}].boxes[{ri}][{ci}]", 5)
                value = values[ri][ci]
                if value is not None:
                    value = amount.decimal(value, f"tables[{ti}].rows[{ri}][{ci}]", text or "")
                cells.append(doc_id, ti, kind, ri, ci, text, value, box)
    return doc_tables, cells


def _provenance(doc_id: str, provenance: Mapping) -> list[dict]:
    rows = []
    for path, where in provenance.items():
        if not isinstance(path, str) or not isinstance(where, Mapping):
            raise EnvelopeError(f"record.provenance[{path!r}]: expected {{page, bbox}}")
        bbox = _bbox(where.get("bbox"), f"provenance[{path!r}].bbox", 4)
        rows.append(
            {
                "doc_id": doc_id,
                "field_path": path,
                "section": re.split(r"[.\[]", path, maxsplit=1)[0],
                "page": _int(where.get("page"), f"provenance[{path!r}].page"),
                **_box_columns(bbox),
                "source": _str(where.get("source"), f"provenance[{path!r}].source"),
            }
        )
    return rows


def _observations(doc_id: str, observations: list[Mapping], amount: _Amounts) -> list[dict]:
    rows = []
    for i, o in enumerate(observations):
        path = f"observations[{i}]"
        value = o.get("value")
        if isinstance(value, int) and not isinstance(value, bool):  # a headcount
            value = Decimal(value)
        elif value is not None:
            value = amount(value, f"{path}.value")
        bbox = _bbox(o.get("bbox"), f"{path}.bbox", 4)
        field = _required_text(o, path, "field")
        rows.append(
            {
                "doc_id": doc_id,
                "obs_index": i,
                "field": field,
                "place": _str(o.get("where"), f"{path}.where"),
                **_texts(o, path, ("label", "printed", "unit")),
                "value": value,
                "canonical": bool(o.get("canonical")),
                "page": _int(o.get("page"), f"{path}.page"),
                **_box_columns(bbox),
            }
        )
    return rows


def _passages(doc_id: str, passages: list[Mapping]) -> list[dict]:
    """record.passages (absent from older records: no rows)."""
    rows = []
    for i, p in enumerate(passages):
        text = _required_text(p, f"passages[{i}]", "text")
        rows.append(
            {
                "doc_id": doc_id,
                "passage_no": i,
                "page": _int(p.get("page"), f"passages[{i}].page"),
                "text": text,
            }
        )
    return rows


def failed_rows(
    envelope: Mapping, reason: str, *, rules: DepartmentRules | None = None, loaded_at: datetime | None = None
) -> DocRows:
    """The rows of an envelope whose record could not be read: a `documents` row with status failed.

    Requires a usable doc_id and file_sha256 (else the envelope cannot be placed and the loader
    reports it as rejected). Every document keeps one (empty) headcount and totals row.
    """
    doc_id, file_sha = envelope.get("doc_id"), envelope.get("file_sha256")
    if not isinstance(doc_id, str) or not isinstance(file_sha, str):
        raise EnvelopeError("doc_id and file_sha256 are required strings")
    record_index = doc_id_parts(doc_id, file_sha)

    def text(key: str) -> str | None:
        v = envelope.get(key)
        return v if isinstance(v, str) else None

    def when(key: str) -> datetime | None:
        try:
            return parse_timestamp(envelope.get(key), key)
        except EnvelopeError:
            return None

    out = DocRows(doc_id=doc_id, file_sha256=file_sha, source_url=text("source_url"))
    out.tables = {name: [] for name in AMOUNT_COLUMNS} | {
        "performance_targets": [],
        "warnings": [],
        "doc_tables": [],
        "provenance": [],
        "observations": [],
        "passages": [],
    }
    out.tables["table_cells"] = CellColumns()
    out.tables["headcount"] = [{"doc_id": doc_id, **dict.fromkeys(HEADCOUNT_FIELDS)}]
    out.tables["totals"] = [{"doc_id": doc_id, **dict.fromkeys(TOTALS_FIELDS)}]
    out.tables["documents"] = [
        {
            "doc_id": doc_id,
            "file_sha256": file_sha,
            "record_index": record_index,
            "record_count": envelope.get("record_count")
            if isinstance(envelope.get("record_count"), int)
            else None,
            "source_url": out.source_url,
            "file_name": text("file_name"),
            "jurisdiction": text("jurisdiction_hint"),
            "jurisdiction_hint": text("jurisdiction_hint"),
            "department": None,
            "department_canonical": None,
            "department_type": OTHER,
            "fiscal_year": None,
            "kind": None,
            "scope": None,
            "template": None,
            "status": "failed",
            "status_reason": reason,
            "error_code": None,
            "first_page": None,
            "last_page": None,
            "page_count": None,
            "table_count": 0,
            "warning_count": 0,
            "parser_version": text("parser_version"),
            "parsed_at": when("parsed_at"),
            "fetched_at": when("fetched_at"),
            "loaded_at": loaded_at or datetime.now(UTC),
            **dict.fromkeys(_LATER_COLUMNS),
        }
    ]
    return out
