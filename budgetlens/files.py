"""Small file helpers every layer uses (the bottom layer, beside `fields` and `amounts`): atomic
writes with fsync, a file's sha256, and reading a statement from a folder of `.sql` files.

An atomic write goes to a temporary file in the same folder, is flushed and fsynced, renamed over
the final name, and the folder is fsynced: a crash leaves the old file or the new one, never a
partial one under the final name.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

PART_SUFFIX = ".part"
CHUNK = 1 << 20


def fsync_dir(path: Path) -> None:
    """Make a rename or create in `path` durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(tmp: Path, path: Path) -> None:
    """Make a finished temporary file (written by another writer: DuckDB's COPY, a copy or a hard
    link) the file under `path`: fsync it, rename it over `path`, fsync the folder."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(Path(path).parent)


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically and durably (see the module docstring); `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PART_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """UTF-8 text, written atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, obj: Any, *, compact: bool = False) -> Path:
    """`obj` as UTF-8 JSON, written atomically: compact (one line, key order kept) or readable
    (sorted keys, indented, a final newline)."""
    if compact:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1, default=str) + "\n"
    return atomic_write_text(path, text)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks (raises OSError when it cannot be read)."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


@cache
def read_sql(folder: Path, name: str) -> str:
    """The statement `<folder>/<name>.sql` (read once per process)."""
    return (Path(folder) / f"{name}.sql").read_text(encoding="utf-8")
