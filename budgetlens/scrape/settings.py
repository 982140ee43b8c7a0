"""Fetch settings: timeouts, retries, politeness, limits. One validated dataclass, DEFAULT_* constants."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

DEFAULT_USER_AGENT = "budgetlens/0.1 (department budget research crawler)"
DEFAULT_ROBOTS_AGENT = "budgetlens"  # the product token matched against robots.txt groups
DEFAULT_OBEY_ROBOTS = True
DEFAULT_ALLOW_PRIVATE = False
DEFAULT_MIN_DELAY = 1.0  # seconds between the starts of two requests to one host
DEFAULT_MAX_PER_HOST = 2  # requests in flight to one host at a time
MAX_PER_HOST_LIMIT = 2  # the house rule: never more than 2 at a time per host
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0  # between two bytes on the wire
DEFAULT_DEADLINE = 300.0  # one document, every attempt and wait included
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_PAGE_BYTES = 5 * 1024 * 1024  # a listing page or robots.txt
DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF_BASE = 1.0  # first retry waits base × [0.5, 1), then doubles
DEFAULT_BACKOFF_MAX = 30.0
DEFAULT_RETRY_AFTER_MAX = 60.0  # a Retry-After above this is waited only this long
DEFAULT_CRAWL_DELAY_MAX = 30.0  # a robots.txt Crawl-delay above this is capped
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_MAX_PAGES = 50  # listing pages per source, the first included
DEFAULT_SETTLE_SECONDS = 2.0  # a drop-folder file younger than this may still be being copied


class SettingsError(ValueError):
    """A setting with an impossible value."""


@dataclass(frozen=True)
class FetchSettings:
    """How one source is fetched. Every field can be set in [defaults] or per source."""

    user_agent: str = DEFAULT_USER_AGENT
    robots_agent: str = DEFAULT_ROBOTS_AGENT
    obey_robots: bool = DEFAULT_OBEY_ROBOTS
    allow_private: bool = DEFAULT_ALLOW_PRIVATE
    min_delay: float = DEFAULT_MIN_DELAY
    max_per_host: int = DEFAULT_MAX_PER_HOST
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    max_bytes: int = DEFAULT_MAX_BYTES
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    attempts: int = DEFAULT_ATTEMPTS
    backoff_base: float = DEFAULT_BACKOFF_BASE
    backoff_max: float = DEFAULT_BACKOFF_MAX
    retry_after_max: float = DEFAULT_RETRY_AFTER_MAX
    crawl_delay_max: float = DEFAULT_CRAWL_DELAY_MAX
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    max_pages: int = DEFAULT_MAX_PAGES
    settle_seconds: float = DEFAULT_SETTLE_SECONDS

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            expected = {"str": str, "bool": bool, "int": int, "float": (int, float)}[f.type]
            if not isinstance(value, expected) or (f.type != "bool" and isinstance(value, bool)):
                raise SettingsError(f"{f.name} must be a {f.type}, got {value!r}")
        if not 1 <= self.max_per_host <= MAX_PER_HOST_LIMIT:
            raise SettingsError(f"max_per_host must be 1..{MAX_PER_HOST_LIMIT}, got {self.max_per_host}")
        if not 1 <= self.attempts <= 10:
            raise SettingsError(f"attempts must be 1..10, got {self.attempts}")
        for name in ("connect_timeout", "read_timeout", "deadline"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be > 0 seconds")
        for name in (
            "min_delay",
            "backoff_base",
            "backoff_max",
            "retry_after_max",
            "crawl_delay_max",
            "settle_seconds",
        ):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must be >= 0 seconds")
        for name in ("max_bytes", "max_page_bytes", "max_pages"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be >= 1")
        if not 0 <= self.max_redirects <= 20:
            raise SettingsError(f"max_redirects must be 0..20, got {self.max_redirects}")
        if not self.user_agent.strip() or not self.robots_agent.strip():
            raise SettingsError("user_agent and robots_agent must not be empty")

    def with_overrides(self, values: dict[str, Any]) -> FetchSettings:
        """A copy with `values` applied; unknown names raise SettingsError."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
        return replace(self, **values)


SETTING_NAMES: frozenset[str] = frozenset(f.name for f in fields(FetchSettings))
