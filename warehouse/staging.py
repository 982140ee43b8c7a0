"""Staged envelopes: one JSON file per parsed record, written atomically, read back by the loader.

An envelope is ``{"doc_id", "file_sha256", "record_count", "source_url", "file_name",
"jurisdiction_hint", "fetched_at", "parsed_at", "parser_version", "record"}`` where `record` is
a `budgetlens.budget/1` parse record. `doc_id` is the file's sha256 for a file that gave one
record and ``<sha256>-<k>`` (k = 1, 2, …) for the k-th record of a compilation (汇编).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from budgetlens.files import atomic_write_json
from warehouse.rows import EnvelopeError

ENVELOPE_SUFFIX = ".json"


def doc_ids_for(file_sha256: str, n_records: int) -> list[str]:
    """The doc_ids of a file's records: [sha] for one record, [sha-1, sha-2, …] for several."""
    if n_records < 1:
        raise ValueError("a parsed file gives at least one record (an unreadable one gives an error record)")
    if n_records == 1:
        return [file_sha256]
    return [f"{file_sha256}-{k}" for k in range(1, n_records + 1)]


def _iso(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def envelope_name(doc_id: str) -> str:
    """The staging file name of an envelope; EnvelopeError when `doc_id` cannot name a file."""
    if not doc_id or "/" in doc_id or doc_id.startswith("."):
        raise EnvelopeError(f"doc_id {doc_id!r} cannot name a staging file")
    return f"{doc_id}{ENVELOPE_SUFFIX}"


def make_envelope(
    *,
    doc_id: str,
    file_sha256: str,
    record: Mapping,
    source_url: str | None = None,
    file_name: str | None = None,
    jurisdiction_hint: str | None = None,
    fetched_at: datetime | str | None = None,
    parsed_at: datetime | str | None = None,
    parser_version: str | None = None,
    record_count: int | None = None,
) -> dict:
    """One envelope (pure: nothing is written)."""
    envelope_name(doc_id)
    return {
        "doc_id": doc_id,
        "file_sha256": file_sha256,
        "record_count": record_count,
        "source_url": source_url,
        "file_name": file_name,
        "jurisdiction_hint": jurisdiction_hint,
        "fetched_at": _iso(fetched_at),
        "parsed_at": _iso(parsed_at or datetime.now(UTC)),
        "parser_version": parser_version or record.get("parser_version"),
        "record": record,
    }


def envelope_bytes(envelope: Mapping) -> bytes:
    """An envelope as the UTF-8 JSON bytes staged on disk or in an object store."""
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def stage_envelope(staging_dir: Path, **fields) -> Path:
    """Write one envelope (`make_envelope(**fields)`) as ``<staging_dir>/<doc_id>.json``
    (atomically) and return its path."""
    envelope = make_envelope(**fields)
    return atomic_write_json(Path(staging_dir) / envelope_name(envelope["doc_id"]), envelope, compact=True)


def stage_records(
    staging_dir: Path,
    records: Sequence[Mapping],
    *,
    file_sha256: str | None = None,
    source_url: str | None = None,
    file_name: str | None = None,
    jurisdiction_hint: str | None = None,
    fetched_at: datetime | str | None = None,
    parsed_at: datetime | str | None = None,
) -> list[Path]:
    """Stage every record one file gave (as `budgetlens.parse.parse_pdf` returns them), with doc_ids.

    Stage all records of a file together: the loader replaces a file's rows as a set.
    `file_sha256` defaults to the records' ``source.sha256``.
    """
    sha = file_sha256 or (records[0].get("source") or {}).get("sha256") if records else file_sha256
    if not sha:
        raise EnvelopeError("file_sha256 is required (or source.sha256 in the records)")
    ids = doc_ids_for(sha, len(records))
    return [
        stage_envelope(
            staging_dir,
            doc_id=doc_id,
            file_sha256=sha,
            record=record,
            source_url=source_url,
            file_name=file_name or (record.get("source") or {}).get("file"),
            jurisdiction_hint=jurisdiction_hint,
            fetched_at=fetched_at,
            parsed_at=parsed_at,
            record_count=len(records),
        )
        for doc_id, record in zip(ids, records, strict=True)
    ]


def read_envelope(path: Path) -> dict:
    """One envelope from disk; EnvelopeError (with the path) when it is not readable JSON."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EnvelopeError(f"{path}: not a readable JSON envelope: {exc}") from exc
    if not isinstance(data, dict):
        raise EnvelopeError(f"{path}: an envelope must be a JSON object")
    return data
