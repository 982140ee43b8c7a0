"""The storage seam: where raw files and staged records live, a local folder or an object store.

A `Storage` is a flat namespace of keys (``/``-separated relative paths such as
``staging/records/<doc_id>.json``) with five operations every backend can do safely:
`read_bytes`, `write_bytes` (an atomic replace: a reader sees the old content or the new, never
part of it), `exists`, `list` and `move`; plus `delete`. Two implementations:

- `LocalStorage(root)`: a folder; writes go to a temporary file in the same folder, are fsynced
  and renamed (what the pipeline did before the seam existed, byte for byte the same layout);
- `FsspecStorage(url)`: any fsspec filesystem (``s3://bucket/budgetlens``, ``gcs://…``,
  ``memory://…``, ``file:///srv/budgetlens``). On a local filesystem a write is a temporary file
  plus rename; on an object store it is one PUT, which object stores make atomic per object.

`open_storage(location)` picks one: a plain path gives `LocalStorage`, a URL gives `FsspecStorage`.
Keys never come unchecked from outside: `check_key` refuses ``..``, absolute paths and control
characters. See docs/scaling.md for what runs on an object store and what needs a shared disk.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

TMP_PREFIX = "."  # names starting with a dot are temporary or private: `list` never returns them
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class StorageError(ValueError):
    """A key or location that cannot be used."""


def is_url(location: str | os.PathLike) -> bool:
    """True for ``scheme://…`` locations (handled by fsspec), False for plain paths."""
    return bool(_URL.match(str(location)))


def check_key(key: str) -> str:
    """`key` normalised (``a/b/c``), or StorageError when it is empty, absolute, climbs out with
    ``..``, or holds a control character or a backslash."""
    if not isinstance(key, str) or not key:
        raise StorageError("empty storage key")
    if any(ord(c) < 32 or c == "\x7f" for c in key) or "\\" in key:
        raise StorageError(f"bad character in storage key {key!r}")
    if key.startswith("/") or re.match(r"^[A-Za-z]:", key):
        raise StorageError(f"absolute storage key {key!r}")
    parts = [p for p in key.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise StorageError(f"storage key {key!r} leaves its root")
    return "/".join(parts)


def _visible(name: str) -> bool:
    return not name.startswith(TMP_PREFIX)


@runtime_checkable
class Storage(Protocol):
    """What the pipeline's staging area and raw-file sync need from a place to keep files."""

    @property
    def url(self) -> str:
        """Where this storage is (a path or a URL), for messages and docs."""
        ...

    def read_bytes(self, key: str) -> bytes:
        """The content under `key`; FileNotFoundError when there is none."""
        ...

    def write_bytes(self, key: str, data: bytes, *, durable: bool = True) -> None:
        """Replace the content under `key` atomically. `durable=False` may skip fsync (markers
        whose loss only costs repeated work)."""
        ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str, suffix: str = "") -> list[str]:
        """Keys directly under the folder `prefix` whose names end with `suffix`, sorted; names
        starting with a dot (temporary files) are never listed."""
        ...

    def move(self, src: str, dst: str) -> None:
        """Rename `src` to `dst` (replacing it); FileNotFoundError when `src` is missing."""
        ...

    def delete(self, key: str) -> None:
        """Remove `key`; nothing happens when it does not exist."""
        ...

    def local_path(self, key: str) -> Path | None:
        """The local file that holds `key` when this storage is a local folder, else None."""
        ...


@dataclass(frozen=True)
class LocalStorage:
    """A local folder. Writes: temporary file in the same folder, fsync, rename (and the folder
    fsynced), so a crash never leaves a partial file under a final name."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def url(self) -> str:
        return str(self.root)

    def path(self, key: str) -> Path:
        """The file for `key` (checked)."""
        return self.root.joinpath(*check_key(key).split("/"))

    def local_path(self, key: str) -> Path | None:
        return self.path(key)

    def read_bytes(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def write_bytes(self, key: str, data: bytes, *, durable: bool = True) -> None:
        path = self.path(key)
        if durable:
            from budgetlens.files import atomic_write_bytes

            atomic_write_bytes(path, data)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{TMP_PREFIX}{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def list(self, prefix: str, suffix: str = "") -> list[str]:
        folder = self.path(prefix)
        if not folder.is_dir():
            return []
        base = check_key(prefix)
        return sorted(
            f"{base}/{e.name}"
            for e in os.scandir(folder)
            if _visible(e.name) and e.name.endswith(suffix) and e.is_file()
        )

    def move(self, src: str, dst: str) -> None:
        target = self.path(dst)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.path(src).replace(target)

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


@dataclass(frozen=True)
class FsspecStorage:
    """Any fsspec filesystem, addressed by URL (``s3://bucket/prefix``, ``memory://x``, ``file:///srv/x``).

    `storage_options` go to the filesystem (credentials come from the environment as each fsspec
    backend documents, never from this project's files). A write to a local filesystem is a
    temporary file and a rename; to an object store it is one PUT (atomic per object).
    """

    location: str
    storage_options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import fsspec

        fs, root = fsspec.core.url_to_fs(self.location, **self.storage_options)
        object.__setattr__(self, "_fs", fs)
        object.__setattr__(self, "_root", root.rstrip("/"))

    @property
    def url(self) -> str:
        return self.location

    @property
    def fs(self) -> Any:
        """The fsspec filesystem."""
        return self._fs  # type: ignore[attr-defined]

    @property
    def is_local_fs(self) -> bool:
        """True on fsspec's local filesystem (``file://``), where rename is atomic."""
        protocol = self.fs.protocol
        return "file" in (protocol if isinstance(protocol, tuple) else (protocol,))

    def _path(self, key: str) -> str:
        return f"{self._root}/{check_key(key)}"  # type: ignore[attr-defined]

    def local_path(self, key: str) -> Path | None:
        return Path(self._path(key)) if self.is_local_fs else None

    def read_bytes(self, key: str) -> bytes:
        return self.fs.cat_file(self._path(key))

    def write_bytes(self, key: str, data: bytes, *, durable: bool = True) -> None:
        path = self._path(key)
        parent, name = path.rsplit("/", 1)
        if not self.is_local_fs:
            self.fs.pipe_file(path, data)  # one PUT: the object appears whole or not at all
            return
        self.fs.makedirs(parent, exist_ok=True)
        tmp = f"{parent}/{TMP_PREFIX}{name}.{uuid.uuid4().hex[:12]}.tmp"
        try:
            with self.fs.open(tmp, "wb") as fh:
                fh.write(data)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
            self.fs.mv(tmp, path)
        except BaseException:
            if self.fs.exists(tmp):
                self.fs.rm_file(tmp)
            raise

    def exists(self, key: str) -> bool:
        return bool(self.fs.isfile(self._path(key)))

    def list(self, prefix: str, suffix: str = "") -> list[str]:
        base = check_key(prefix)
        folder = self._path(base)
        try:
            entries = self.fs.ls(folder, detail=True)
        except FileNotFoundError:
            return []
        out = []
        for e in entries:
            name = e["name"].rstrip("/").rsplit("/", 1)[-1]
            if e.get("type") == "file" and _visible(name) and name.endswith(suffix):
                out.append(f"{base}/{name}")
        return sorted(out)

    def move(self, src: str, dst: str) -> None:
        s, d = self._path(src), self._path(dst)
        if not self.fs.isfile(s):
            raise FileNotFoundError(s)
        if self.is_local_fs:
            self.fs.makedirs(d.rsplit("/", 1)[0], exist_ok=True)
        self.fs.mv(s, d)  # an object store copies then deletes: `dst` appears whole

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            self.fs.rm_file(path)
        except FileNotFoundError:
            pass


def open_storage(location: str | os.PathLike, **storage_options: Any) -> Storage:
    """`LocalStorage` for a plain path, `FsspecStorage` for a URL (``s3://…``, ``file://…``, …)."""
    if is_url(location):
        return FsspecStorage(str(location), dict(storage_options))
    if storage_options:
        raise StorageError("storage options are for URLs (fsspec filesystems), not local paths")
    return LocalStorage(Path(location))


@dataclass(frozen=True)
class Prefixed:
    """A view of another storage under a key prefix (e.g. the staging area under ``staging``)."""

    base: Storage
    prefix: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefix", check_key(self.prefix))

    @property
    def url(self) -> str:
        return f"{self.base.url.rstrip('/')}/{self.prefix}"

    def _k(self, key: str) -> str:
        return f"{self.prefix}/{check_key(key)}"

    def read_bytes(self, key: str) -> bytes:
        return self.base.read_bytes(self._k(key))

    def write_bytes(self, key: str, data: bytes, *, durable: bool = True) -> None:
        self.base.write_bytes(self._k(key), data, durable=durable)

    def exists(self, key: str) -> bool:
        return self.base.exists(self._k(key))

    def list(self, prefix: str, suffix: str = "") -> list[str]:
        n = len(self.prefix) + 1
        return [k[n:] for k in self.base.list(self._k(prefix), suffix)]

    def move(self, src: str, dst: str) -> None:
        self.base.move(self._k(src), self._k(dst))

    def delete(self, key: str) -> None:
        self.base.delete(self._k(key))

    def local_path(self, key: str) -> Path | None:
        return self.base.local_path(self._k(key))


def substorage(base: Storage, prefix: str) -> Storage:
    """`base` seen under `prefix`: a `LocalStorage` of the subfolder for a local folder (no
    indirection on the hot path), else a `Prefixed` view."""
    if isinstance(base, LocalStorage):
        return LocalStorage(base.path(prefix))
    return Prefixed(base, prefix)
