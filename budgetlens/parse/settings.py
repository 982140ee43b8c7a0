"""Parser settings: small, validated, with DEFAULT_* constants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Per document, enforced by the worker pool (parse_many) around each parse.
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY_MB = 1536
# Refused before parsing (error too_large): no real department budget comes near these.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_PAGES = 3000


@dataclass(frozen=True)
class ParseSettings:
    """How one document is parsed.

    `before_parse` is a test seam, never set by the product: called with no arguments at the start
    of every parse, once the file is read (in the worker process under `parse_many`, so it must
    pickle: a module-level function or a functools.partial of one). The fault tests make a worker
    hang, balloon or crash with it, without a hostile file (corpus/parsefaults.py).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int = DEFAULT_MAX_PAGES
    before_parse: Callable[[], object] | None = None

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {self.max_bytes}")
        if self.max_pages <= 0:
            raise ValueError(f"max_pages must be positive, got {self.max_pages}")
        if self.before_parse is not None and not callable(self.before_parse):
            raise ValueError(f"before_parse must be callable, got {self.before_parse!r}")
