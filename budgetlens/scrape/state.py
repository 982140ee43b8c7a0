"""Fetch state of one source between runs: per URL the ETag, Last-Modified, sha256 and history.

One JSON file per source in the raw store (`.state/<source id>.json`), rewritten atomically at most
every `SAVE_INTERVAL` seconds during a fetch and at its end, under an exclusive file lock held for
the whole fetch of that source (two processes fetching the same source take turns). A crash loses
at most the last interval's entries: those documents are fetched again unconditionally next time
and, their bytes being already stored, come out `unchanged` (never counted twice). A state file that cannot be read is moved aside
(`….corrupt-<time>`), never deleted, and the fetch starts afresh (unconditional requests).
A state file that cannot be written (a full disk) is not fatal either: the old file stays as it
was, `save_error` says why, and the fetch goes on (`fetch_jurisdiction` logs it as a `state` entry).
"""

from __future__ import annotations

import fcntl
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from budgetlens.files import atomic_write_json
from budgetlens.scrape.store import RawStore

STATE_SCHEMA = "budgetlens.fetch-state/1"
SAVE_INTERVAL = 1.0  # seconds; rewriting the whole file per document is quadratic in documents


class FetchState:
    """In-memory view of a source's state file; thread-safe; `save()` writes it atomically."""

    def __init__(self, path: Path, *, save_interval: float = SAVE_INTERVAL) -> None:
        self.path = path
        self.save_interval = save_interval
        self._last_save = time.monotonic()
        self._lock = threading.Lock()
        self.recovered_from: Path | None = None
        self.save_error: str | None = None  # why the last save failed (None after a good save)
        self.documents: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, dict[str, Any]] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(data, dict) or data.get("schema") != STATE_SCHEMA:
                    raise ValueError(f"not a {STATE_SCHEMA} file")
                self.documents = dict(data.get("documents", {}))
                self.pages = dict(data.get("pages", {}))
            except (ValueError, UnicodeDecodeError):
                aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
                path.replace(aside)
                self.recovered_from = aside

    def document(self, url: str) -> dict[str, Any] | None:
        """What was stored for this document URL last time, or None."""
        with self._lock:
            info = self.documents.get(url)
            return dict(info) if info else None

    def page(self, url: str) -> dict[str, Any] | None:
        """Validators and body sha256 of a listing page or robots.txt, or None."""
        with self._lock:
            info = self.pages.get(url)
            return dict(info) if info else None

    def set_document(self, url: str, info: dict[str, Any]) -> None:
        """Record a document URL's current version (saved when the save interval has passed)."""
        with self._lock:
            self.documents[url] = info
            if time.monotonic() - self._last_save >= self.save_interval:
                self._save_locked()

    def set_page(self, url: str, info: dict[str, Any]) -> None:
        """Record a page's validators (saved with the next `save()` or document)."""
        with self._lock:
            self.pages[url] = info

    def save(self) -> None:
        """Write the state file atomically."""
        with self._lock:
            self._save_locked()

    def _save_locked(self) -> None:
        try:
            atomic_write_json(
                self.path, {"schema": STATE_SCHEMA, "documents": self.documents, "pages": self.pages}
            )
        except OSError as exc:  # the previous file is untouched (atomic write); retried at the next save
            self.save_error = f"{type(exc).__name__}: {exc}"
        else:
            self.save_error = None
        self._last_save = time.monotonic()


@contextmanager
def open_state(store: RawStore, source_id: str) -> Iterator[FetchState]:
    """The state of `source_id`, with the source's lock file held (blocking) until the block ends."""
    path = store.state_dir.joinpath(f"{source_id}.json")
    store.resolve(f".state/{source_id}.json")  # refuses an id that would leave the store
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            state = FetchState(path)
            yield state
            state.save()
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
