"""The drop folder: a local directory of PDFs as a source (no network).

Every `*.pdf` under the folder (recursively, hidden files and `*.part` ignored, symlinks out of
the folder refused) is stored in the raw store like a download. A file whose size and mtime are
those recorded last time is `unchanged` without being read again; a file younger than
`settle_seconds` may still be being copied in and waits for the next run (`not_settled`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from budgetlens.scrape.config import Source
from budgetlens.scrape.records import (
    DOWNLOADED,
    NOT_SETTLED,
    REFUSED_HOST,
    REJECTED_NOT_PDF,
    STORAGE_ERROR,
    TOO_LARGE,
    UNCHANGED,
    DocumentVersion,
    FetchLogEntry,
    FetchReport,
)
from budgetlens.scrape.state import FetchState
from budgetlens.scrape.store import RawStore, TooLargeError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class DropFile:
    """A PDF found in a drop folder: path relative to the folder (POSIX), absolute path, size, mtime."""

    relpath: str
    path: Path
    size: int
    mtime_ns: int

    @property
    def url(self) -> str:
        """The file's `file:` URI: its identity across runs, like a web document's URL."""
        return self.path.as_uri()


def scan_drop_folder(folder: Path) -> list[DropFile]:
    """The PDFs in `folder` (sorted by relative path). Cheap: stat only, nothing is read.

    Used by the fetch and by a sensor's cursor (relpath, size, mtime_ns)."""
    root = folder.resolve()
    if not root.is_dir():
        return []
    found: list[DropFile] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith((".", "~")) or not name.lower().endswith(".pdf"):
                continue
            path = Path(dirpath) / name
            try:
                st = path.stat()
            except OSError:
                continue
            found.append(DropFile(path.relative_to(root).as_posix(), path, st.st_size, st.st_mtime_ns))
    return found


def _read_chunks(path: Path) -> Iterator[bytes]:
    """The file in chunks; ValueError at once when it does not start with %PDF-."""
    with path.open("rb") as fh:
        head = fh.read(5)
        if head != b"%PDF-":
            raise ValueError(f"not a PDF (starts {head!r})")
        yield head
        while chunk := fh.read(CHUNK):
            yield chunk


def ingest_drop_folder(
    source: Source,
    store: RawStore,
    state: FetchState,
    *,
    progress: Callable[[FetchLogEntry, int, int], None] | None = None,
    now: Callable[[], float] = time.time,
) -> FetchReport:
    """Store every settled PDF of the source's drop folder; one log entry per file."""
    assert source.drop_dir is not None
    report = FetchReport(source.id)
    root = source.drop_dir.resolve()
    files = scan_drop_folder(root)
    settings = source.settings
    for done, f in enumerate(files, start=1):
        t0 = time.monotonic()
        entry = FetchLogEntry(
            jurisdiction=source.id,
            kind="drop",
            url=f.url,
            final_url=f.url,
            file_name=Path(f.relpath).name,
            bytes=f.size,
        )
        prior = state.document(f.url)
        entry.attempts = 1
        if not f.path.resolve().is_relative_to(root):
            entry.outcome, entry.error = REFUSED_HOST, f"{f.relpath} links out of the drop folder"
        elif now() - f.mtime_ns / 1e9 < settings.settle_seconds:
            entry.outcome, entry.error = NOT_SETTLED, f"modified less than {settings.settle_seconds:g}s ago"
        elif (
            prior
            and prior.get("size") == f.size
            and prior.get("mtime_ns") == f.mtime_ns
            and store.has(prior["sha256"])
        ):
            entry.outcome, entry.sha256 = UNCHANGED, prior["sha256"]
            report.documents.append(_version(source.id, f, prior, UNCHANGED))
        elif f.size > settings.max_bytes:
            entry.outcome, entry.error = (
                TOO_LARGE,
                f"{f.size} bytes is over the {settings.max_bytes}-byte cap",
            )
        else:
            try:
                blob = store.put_stream(_read_chunks(f.path), max_bytes=settings.max_bytes)
            except TooLargeError as exc:
                entry.outcome, entry.error = TOO_LARGE, str(exc)
            except ValueError as exc:
                entry.outcome, entry.error = REJECTED_NOT_PDF, str(exc)
            except OSError as exc:
                entry.outcome, entry.error = STORAGE_ERROR, f"{type(exc).__name__}: {exc}"
            else:
                same = prior is not None and prior["sha256"] == blob.sha256
                status = UNCHANGED if same else DOWNLOADED
                info = {
                    "sha256": blob.sha256,
                    "bytes": blob.bytes,
                    "size": f.size,
                    "mtime_ns": f.mtime_ns,
                    "file_name": Path(f.relpath).name,
                    "fetched_at": prior["fetched_at"] if same and prior else entry.fetched_at.isoformat(),
                    "previous_sha256": (prior.get("previous_sha256") if same else prior["sha256"])
                    if prior
                    else None,
                    "history": (prior.get("history", []) + ([] if same else [prior["sha256"]]))
                    if prior
                    else [],
                }
                state.set_document(f.url, info)
                entry.outcome, entry.sha256, entry.bytes = status, blob.sha256, blob.bytes
                report.documents.append(_version(source.id, f, info, status))
        entry.elapsed_s = round(time.monotonic() - t0, 6)
        report.log.append(entry)
        if progress is not None:
            progress(entry, done, len(files))
    return report


def _version(source_id: str, f: DropFile, info: dict[str, Any], status: str) -> DocumentVersion:
    return DocumentVersion(
        jurisdiction=source_id,
        url=f.url,
        file_name=Path(f.relpath).name,
        sha256=info["sha256"],
        bytes=info["bytes"],
        fetched_at=datetime.fromisoformat(info["fetched_at"]),
        etag=None,
        last_modified=None,
        status=status,
        previous_sha256=info.get("previous_sha256"),
    )
