"""The raw store on an object store: a local cache that is synced with `<data>/raw/` there.

The fetcher and the parser need local files (streamed writes with fsync and flock; PDFium and
pdfplumber open paths), so when `StorageResource.data_dir` is a URL the raw store is a local
cache folder and the object store holds the shared copy under the same layout:

```
raw/ab/<sha256>.pdf        the PDFs (content-addressed: immutable, uploaded once, never replaced)
raw/.state/<source>.json   each source's conditional-GET state (ETag, Last-Modified, sha256 per URL)
raw/.pages/<sha256>.body   listing pages kept for conditional GET
```

`SyncedRawStore` is a `RawStore` over the cache that uploads every PDF it stores, counts a PDF
held only remotely as present (so a machine with an empty cache still sends conditional GETs and
downloads nothing unchanged), and downloads a PDF into the cache, verifying its sha256, when the
parser needs it. `pull_state`/`push_state` carry a source's fetch state and listing pages before
and after it is fetched. One source is fetched by one machine at a time (a Dagster partition).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from budgetlens.files import atomic_write_bytes
from budgetlens.scrape.store import RawStore, StoredBlob
from budgetlens.storage import Storage

RAW_PREFIX = "raw"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class RawSyncError(RuntimeError):
    """A PDF is in neither the cache nor the object store, or its bytes do not match its sha256."""


class SyncedRawStore(RawStore):
    """A `RawStore` whose root is a local cache of `remote` (the data storage; PDFs under ``raw/``)."""

    def __init__(self, cache: Path, remote: Storage, *, suffix: str = ".pdf") -> None:
        super().__init__(cache, suffix=suffix)
        self.remote = remote

    def remote_key(self, sha256: str) -> str:
        """The object-store key of a PDF (the same layout as the cache)."""
        self.path_for(sha256)  # validates the sha256
        return f"{RAW_PREFIX}/{sha256[:2]}/{sha256}{self.suffix}"

    def has(self, sha256: str) -> bool:
        """Stored in the cache or in the object store."""
        return super().has(sha256) or self.remote.exists(self.remote_key(sha256))

    def put_stream(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredBlob:
        """Store in the cache (atomically, as `RawStore` does), then upload unless already there."""
        blob = super().put_stream(chunks, max_bytes=max_bytes)
        self.push(blob.sha256)
        return blob

    def push(self, sha256: str) -> bool:
        """Upload a cached PDF unless the object store has it; True when uploaded. A failed upload
        is an OSError, so the fetcher logs the document as a storage error and fetches it again
        next time (its fetch state is not updated)."""
        key = self.remote_key(sha256)
        try:
            if self.remote.exists(key):
                return False
            self.remote.write_bytes(key, self.path_for(sha256).read_bytes())
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - backends raise their own types (botocore, …)
            raise OSError(f"upload of {sha256} to {self.remote.url} failed: {exc}") from exc
        return True

    def local(self, sha256: str) -> Path:
        """The cached file of a PDF, downloaded first when only the object store has it."""
        path = self.path_for(sha256)
        if path.is_file():
            return path
        try:
            data = self.remote.read_bytes(self.remote_key(sha256))
        except FileNotFoundError:
            raise RawSyncError(f"{sha256}: in neither the cache {self.root} nor {self.remote.url}") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise RawSyncError(f"{sha256}: the object store's copy does not match its sha256")
        atomic_write_bytes(path, data)
        return path

    # --- fetch state and listing pages --------------------------------------------------------

    def _state_key(self, source_id: str) -> str:
        self.resolve(f".state/{source_id}.json")  # refuses an id that would leave the store
        return f"{RAW_PREFIX}/.state/{source_id}.json"

    def pull_state(self, source_id: str) -> bool:
        """Copy a source's fetch state, and the listing pages it names, from the object store into
        the cache (replacing the cached state); False when the object store has none."""
        try:
            data = self.remote.read_bytes(self._state_key(source_id))
        except FileNotFoundError:
            return False
        atomic_write_bytes(self.state_dir / f"{source_id}.json", data)
        for name in page_names(data):
            local = self.pages_dir / name
            if not local.is_file():
                try:
                    atomic_write_bytes(local, self.remote.read_bytes(f"{RAW_PREFIX}/.pages/{name}"))
                except FileNotFoundError:
                    pass  # no kept copy: that page is fetched unconditionally
        return True

    def push_state(self, source_id: str) -> None:
        """Upload a source's fetch state and the listing pages it names that the object store lacks."""
        path = self.state_dir / f"{source_id}.json"
        if not path.is_file():
            return
        data = path.read_bytes()
        for name in page_names(data):
            local, key = self.pages_dir / name, f"{RAW_PREFIX}/.pages/{name}"
            if local.is_file() and not self.remote.exists(key):
                self.remote.write_bytes(key, local.read_bytes())
        # the state last: it names pages, never the other way round
        self.remote.write_bytes(self._state_key(source_id), data)


def page_names(state: bytes) -> list[str]:
    """File names (``<sha256>.body``) of the listing pages a fetch-state file names."""
    try:
        pages = json.loads(state.decode("utf-8")).get("pages", {})
    except (ValueError, AttributeError):
        return []
    names = []
    for info in pages.values() if isinstance(pages, dict) else ():
        sha = info.get("sha256") if isinstance(info, dict) else None
        if isinstance(sha, str) and _SHA256.match(sha):
            names.append(f"{sha}.body")
    return sorted(set(names))
