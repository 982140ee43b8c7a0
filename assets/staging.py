"""The staging area between the stages (one writer loads it into DuckDB).

```
<data>/staging/inventory/<source>.json      the document versions a source lists now
<data>/staging/parsed/<sha256>.json         parse cache: parser_version and doc_ids of a file
<data>/staging/attempts/<sha256>.json       parses started and not finished (a killed run or worker)
<data>/staging/records/<doc_id>.json        envelopes waiting for the loader
<data>/staging/loaded/<doc_id>.json         envelopes already loaded (kept for history)
<data>/staging/fetch_log/<run>-<source>.jsonl  fetch log rows waiting for the loader
```
Every file is written to a temporary name and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from budgetlens.scrape.store import atomic_write_bytes, atomic_write_json

# A file whose parse was started this many times without finishing (its worker or the whole run
# was killed each time) is not parsed again: it is staged as an `internal` error record.
MAX_PARSE_ATTEMPTS = 2


@dataclass(frozen=True)
class Staging:
    """Paths of the staging area under one root."""

    root: Path

    @property
    def inventory_dir(self) -> Path:
        return self.root / "inventory"

    @property
    def parsed_dir(self) -> Path:
        return self.root / "parsed"

    @property
    def records_dir(self) -> Path:
        return self.root / "records"

    @property
    def loaded_dir(self) -> Path:
        return self.root / "loaded"

    @property
    def fetch_log_dir(self) -> Path:
        return self.root / "fetch_log"

    @property
    def attempts_dir(self) -> Path:
        return self.root / "attempts"

    # --- inventory ------------------------------------------------------------------------

    def read_inventory(self, source_id: str) -> list[dict[str, Any]]:
        """The document versions a source listed at its last complete fetch ([] if never fetched)."""
        path = self.inventory_dir / f"{source_id}.json"
        if not path.exists():
            return []
        return json.loads(path.read_text(encoding="utf-8"))["documents"]

    def write_inventory(self, source_id: str, documents: list[dict[str, Any]]) -> None:
        atomic_write_json(self.inventory_dir / f"{source_id}.json", {"source": source_id, "documents": documents})

    # --- parse cache ----------------------------------------------------------------------

    def parsed_marker(self, sha256: str) -> dict[str, Any] | None:
        path = self.parsed_dir / f"{sha256}.json"
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def is_parsed(self, sha256: str, parser_version: str) -> bool:
        """True when this file was parsed by this parser version (so it is not parsed again)."""
        marker = self.parsed_marker(sha256)
        return marker is not None and marker.get("parser_version") == parser_version

    def mark_parsed(self, sha256: str, parser_version: str, doc_ids: list[str], error: str | None) -> None:
        atomic_write_json(
            self.parsed_dir / f"{sha256}.json",
            {"parser_version": parser_version, "doc_ids": doc_ids, "error": error},
        )

    # --- parse attempts: a file whose parse never finishes is retried once, then given up ----

    def parse_attempts(self, sha256: str, parser_version: str) -> int:
        """How often this parser version started parsing the file without a finished result."""
        path = self.attempts_dir / f"{sha256}.json"
        try:
            marker = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return 0
        except ValueError:
            return 1  # a marker cut short by a crash: at least one attempt was made
        return int(marker.get("attempts", 0)) if marker.get("parser_version") == parser_version else 0

    def begin_parse(self, sha256: str, parser_version: str) -> int:
        """Count one more attempt (before the file goes to a worker); returns the count. Not
        fsynced: a marker lost in a power cut only costs one more attempt."""
        n = self.parse_attempts(sha256, parser_version) + 1
        path = self.attempts_dir / f"{sha256}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"parser_version": parser_version, "attempts": n}), encoding="utf-8")
        tmp.replace(path)
        return n

    def end_parse(self, sha256: str) -> None:
        """The file has its final result (marked parsed): forget the attempts."""
        (self.attempts_dir / f"{sha256}.json").unlink(missing_ok=True)

    # --- envelopes and fetch logs waiting for the loader ----------------------------------

    def pending_envelopes(self) -> list[Path]:
        if not self.records_dir.is_dir():
            return []
        return sorted(p for p in self.records_dir.glob("*.json") if not p.name.startswith("."))

    def pending_fetch_logs(self) -> list[Path]:
        if not self.fetch_log_dir.is_dir():
            return []
        return sorted(p for p in self.fetch_log_dir.glob("*.jsonl") if not p.name.startswith("."))

    def write_fetch_log(self, name: str, rows: Iterable[dict[str, Any]]) -> Path:
        lines = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
        path = self.fetch_log_dir / f"{name}.jsonl"
        atomic_write_bytes(path, lines.encode("utf-8"))
        return path

    def mark_loaded(self, paths: Iterable[Path]) -> None:
        """Move loaded files out of the way (after the load committed; a crash before this only
        means they are loaded again, which replaces by doc_id)."""
        self.loaded_dir.mkdir(parents=True, exist_ok=True)
        for p in paths:
            p.replace(self.loaded_dir / p.name)
