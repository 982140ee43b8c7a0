"""Parser settings: small, validated, with DEFAULT_* constants."""

from __future__ import annotations

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

    `debug_sleep_s` / `debug_allocate_mb` / `debug_crash` are test hooks: the parse sleeps /
    allocates that much before reading the file / the worker process dies of a segfault, so tests
    can make a worker hang, balloon or crash without a hostile file.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int = DEFAULT_MAX_PAGES
    debug_sleep_s: float = 0.0
    debug_allocate_mb: int = 0
    debug_crash: bool = False

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {self.max_bytes}")
        if self.max_pages <= 0:
            raise ValueError(f"max_pages must be positive, got {self.max_pages}")
        if self.debug_sleep_s < 0 or self.debug_allocate_mb < 0:
            raise ValueError("debug hooks must not be negative")
