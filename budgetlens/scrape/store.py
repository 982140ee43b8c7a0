"""The raw store: PDFs content-addressed by sha256, written atomically.

Layout under the root:
    ab/ab12…ef.pdf      one file per distinct content (the name is the sha256, never the URL's)
    .tmp/               partial writes (`*.part`); a crash leaves them here, never under a final name
    .state/             fetch state per source (ETag, Last-Modified, sha256 per URL), written atomically
    .pages/             listing pages and robots.txt kept for conditional GET
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from budgetlens.files import PART_SUFFIX, fsync_dir

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class TooLargeError(ValueError):
    """More bytes than the size cap allows."""


class UnsafePathError(ValueError):
    """A relative path that would leave its root (`..`, absolute, NUL, drive letters)."""


def safe_relpath(name: str) -> PurePosixPath:
    """`name` as a normalised relative path that stays under its root, or UnsafePathError.

    Refuses NUL and other control characters, absolute paths (`/x`, `\\x`, `C:`), and any `..`
    component; drops `.` and empty components. Backslashes count as separators.
    """
    if not isinstance(name, str) or not name:
        raise UnsafePathError("empty path")
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        raise UnsafePathError(f"control character in path {name!r}")
    text = name.replace("\\", "/")
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        raise UnsafePathError(f"absolute path {name!r}")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts:
        raise UnsafePathError(f"path {name!r} names the root itself")
    if ".." in parts:
        raise UnsafePathError(f"path {name!r} climbs out of its root")
    return PurePosixPath(*parts)


def safe_join(root: Path, name: str) -> Path:
    """`root / name` for an untrusted relative `name`, refused if it would leave `root`."""
    path = root.joinpath(*safe_relpath(name).parts)
    # A symlink inside root could still point out of it.
    if not path.resolve().is_relative_to(root.resolve()):
        raise UnsafePathError(f"path {name!r} resolves outside {root}")
    return path


@dataclass(frozen=True)
class StoredBlob:
    """What `put_stream` stored: its sha256, size, final path, and whether it was already there."""

    sha256: str
    bytes: int
    path: Path
    existed: bool


class RawStore:
    """Content-addressed PDF store under `root` (created on first write)."""

    def __init__(self, root: Path, *, suffix: str = ".pdf") -> None:
        self.root = Path(root).expanduser().absolute()
        if "\x00" in str(root):
            raise UnsafePathError("NUL in store root")
        self.suffix = suffix

    @property
    def tmp_dir(self) -> Path:
        return self.root / ".tmp"

    @property
    def state_dir(self) -> Path:
        return self.root / ".state"

    @property
    def pages_dir(self) -> Path:
        return self.root / ".pages"

    def path_for(self, sha256: str) -> Path:
        """Final path of the content with this sha256 (lower-case hex); ValueError otherwise."""
        if not isinstance(sha256, str) or not _SHA256.match(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / f"{sha256}{self.suffix}"

    def has(self, sha256: str) -> bool:
        """True when the content with this sha256 is stored."""
        return self.path_for(sha256).is_file()

    def resolve(self, name: str) -> Path:
        """A path under the store for an untrusted relative name (see `safe_relpath`)."""
        return safe_join(self.root, name)

    def put_bytes(self, data: bytes) -> StoredBlob:
        """Store `data` (see `put_stream`)."""
        return self.put_stream([data])

    def put_stream(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredBlob:
        """Stream `chunks` into the store and return what was stored.

        The bytes go to `.tmp/<random>.part`, are fsynced, and are renamed to `ab/<sha256>.pdf` only
        when the stream ended normally. Any exception from `chunks` (the caller's size, deadline or
        content checks), a write error or exceeding `max_bytes` (TooLargeError) removes the partial
        file and propagates. Content already stored is not written twice. The partial file is
        locked (flock) until it is renamed, so `sweep_partials` never removes a live write.
        """
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp_dir, suffix=PART_SUFFIX)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
                for chunk in chunks:
                    if not chunk:
                        continue
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLargeError(f"more than {max_bytes} bytes")
                    digest.update(chunk)
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
                sha = digest.hexdigest()
                final = self.path_for(sha)
                if final.is_file():
                    tmp.unlink()
                    return StoredBlob(sha, size, final, existed=True)
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, final)  # still locked: a sweeper never sees it unlocked under .tmp
            fsync_dir(final.parent)
            return StoredBlob(sha, size, final, existed=False)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def partials(self) -> list[Path]:
        """Partial writes left behind (by a crash), never under a final name."""
        return sorted(self.tmp_dir.glob(f"*{PART_SUFFIX}")) if self.tmp_dir.is_dir() else []

    def sweep_partials(self, older_than: float = 3600.0) -> int:
        """Delete partial writes left by a crash: older than `older_than` seconds and not locked
        by a live writer (`put_stream` holds a lock on its partial file until the rename)."""
        cutoff = time.time() - older_than
        removed = 0
        for p in self.partials():
            try:
                if p.stat().st_mtime >= cutoff:
                    continue
                with p.open("rb") as fh:
                    try:
                        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue  # a writer is still at it
                    p.unlink()
                removed += 1
            except FileNotFoundError:
                pass
        return removed

    def iter_sha256(self) -> list[str]:
        """Every stored sha256, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(
            p.stem for p in self.root.glob(f"[0-9a-f][0-9a-f]/*{self.suffix}") if _SHA256.match(p.stem)
        )
