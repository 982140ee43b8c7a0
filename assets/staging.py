"""The staging area between the stages (one writer loads it into DuckDB).

```
<data>/staging/inventory/<source>.json      the document versions a source lists now
<data>/staging/parsed/<sha256>.json         parse cache: parser_version and doc_ids of a file
<data>/staging/attempts/<sha256>.json       parses started and not finished (a killed run or worker)
<data>/staging/records/<doc_id>.json        envelopes waiting for the loader
<data>/staging/loaded/<doc_id>.json         envelopes already loaded (kept for history)
<data>/staging/fetch_log/<run>-<source>.jsonl  fetch log rows waiting for the loader
```
`<data>` is `StorageResource.data_dir`: a local folder or an fsspec URL (`budgetlens.storage`).
Every write is an atomic replace (a temporary name and a rename on a filesystem, one PUT on an
object store), so a crash never leaves half a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from budgetlens.storage import Storage, open_storage

# A file whose parse was started this many times without finishing (its worker or the whole run
# was killed each time) is not parsed again: it is staged as an `internal` error record.
MAX_PARSE_ATTEMPTS = 2

INVENTORY, PARSED, ATTEMPTS, RECORDS, LOADED, FETCH_LOG = (
    "inventory",
    "parsed",
    "attempts",
    "records",
    "loaded",
    "fetch_log",
)


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1, default=str).encode("utf-8") + b"\n"


@dataclass(frozen=True)
class Staging:
    """The staging area on a `budgetlens.storage.Storage` (a local folder or an object store).

    `Staging(path)` and `Staging(storage)` both work; keys are the layout above (e.g.
    ``records/<doc_id>.json``). Every write is an atomic replace on every backend.
    """

    store: Storage

    def __init__(self, root: Storage | str | PathLike) -> None:
        object.__setattr__(self, "store", root if isinstance(root, Storage) else open_storage(root))

    @property
    def url(self) -> str:
        return self.store.url

    def _read_json(self, key: str) -> Any:
        return json.loads(self.store.read_bytes(key).decode("utf-8"))

    # --- inventory ------------------------------------------------------------------------

    def read_inventory(self, source_id: str) -> list[dict[str, Any]]:
        """The document versions a source listed at its last complete fetch ([] if never fetched)."""
        try:
            return self._read_json(f"{INVENTORY}/{source_id}.json")["documents"]
        except FileNotFoundError:
            return []

    def write_inventory(self, source_id: str, documents: list[dict[str, Any]]) -> None:
        self.store.write_bytes(
            f"{INVENTORY}/{source_id}.json", _json_bytes({"source": source_id, "documents": documents})
        )

    # --- parse cache ----------------------------------------------------------------------

    def parsed_marker(self, sha256: str) -> dict[str, Any] | None:
        try:
            return self._read_json(f"{PARSED}/{sha256}.json")
        except FileNotFoundError:
            return None

    def is_parsed(self, sha256: str, parser_version: str) -> bool:
        """True when this file was parsed by this parser version (so it is not parsed again)."""
        marker = self.parsed_marker(sha256)
        return marker is not None and marker.get("parser_version") == parser_version

    def mark_parsed(self, sha256: str, parser_version: str, doc_ids: list[str], error: str | None) -> None:
        self.store.write_bytes(
            f"{PARSED}/{sha256}.json",
            _json_bytes({"parser_version": parser_version, "doc_ids": doc_ids, "error": error}),
        )

    # --- parse attempts: a file whose parse never finishes is retried once, then given up ----

    def parse_attempts(self, sha256: str, parser_version: str) -> int:
        """How often this parser version started parsing the file without a finished result."""
        try:
            marker = self._read_json(f"{ATTEMPTS}/{sha256}.json")
        except FileNotFoundError:
            return 0
        except ValueError:
            return 1  # a marker cut short by a crash: at least one attempt was made
        return int(marker.get("attempts", 0)) if marker.get("parser_version") == parser_version else 0

    def begin_parse(self, sha256: str, parser_version: str) -> int:
        """Count one more attempt (before the file goes to a worker); returns the count. Not
        fsynced: a marker lost in a power cut only costs one more attempt."""
        n = self.parse_attempts(sha256, parser_version) + 1
        payload = json.dumps({"parser_version": parser_version, "attempts": n}).encode("utf-8")
        self.store.write_bytes(f"{ATTEMPTS}/{sha256}.json", payload, durable=False)
        return n

    def end_parse(self, sha256: str) -> None:
        """The file has its final result (marked parsed): forget the attempts."""
        self.store.delete(f"{ATTEMPTS}/{sha256}.json")

    # --- envelopes and fetch logs waiting for the loader ----------------------------------

    def write_envelope(self, envelope: dict[str, Any]) -> str:
        """Stage one envelope (`warehouse.staging.make_envelope`) as ``records/<doc_id>.json``; its key."""
        from warehouse.staging import envelope_bytes, envelope_name

        key = f"{RECORDS}/{envelope_name(envelope['doc_id'])}"
        self.store.write_bytes(key, envelope_bytes(envelope))
        return key

    def pending_envelopes(self) -> list[str]:
        """Keys of the envelopes waiting for the loader, sorted."""
        return self.store.list(RECORDS, ".json")

    def loaded_envelopes(self) -> list[str]:
        """Keys of the envelopes loaded before (into some warehouse), sorted."""
        return self.store.list(LOADED, ".json")

    def pending_fetch_logs(self) -> list[str]:
        return self.store.list(FETCH_LOG, ".jsonl")

    def read_fetch_logs(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        """The rows of these fetch logs, in order."""
        rows: list[dict[str, Any]] = []
        for key in keys:
            text = self.store.read_bytes(key).decode("utf-8")
            rows.extend(json.loads(line) for line in text.splitlines() if line.strip())
        return rows

    def write_fetch_log(self, name: str, rows: Iterable[dict[str, Any]]) -> str:
        lines = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
        key = f"{FETCH_LOG}/{name}.jsonl"
        self.store.write_bytes(key, lines.encode("utf-8"))
        return key

    def local_path(self, key: str) -> Path | None:
        """The local file of a staged key, when the staging area is a local folder."""
        return self.store.local_path(key)

    def mark_loaded(self, keys: Iterable[str]) -> None:
        """Move loaded files out of the way (after the load committed; a crash before this only
        means they are loaded again, which replaces by doc_id)."""
        for key in keys:
            self.store.move(key, f"{LOADED}/{key.rsplit('/', 1)[-1]}")
