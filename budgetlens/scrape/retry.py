"""When to try again and how long to wait: exponential backoff with jitter, Retry-After honoured (capped)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from budgetlens.scrape.settings import FetchSettings

RETRYABLE_STATUS = frozenset({408, 429}) | frozenset(range(500, 600))


def is_retryable_status(status: int) -> bool:
    """408, 429 and every 5xx are worth another attempt."""
    return status in RETRYABLE_STATUS


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or bad."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, seconds)


def retry_delay(
    attempt: int,
    settings: FetchSettings,
    *,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based).

    A Retry-After from the server is honoured up to `retry_after_max`; otherwise
    `backoff_base × 2^(attempt-1)`, capped at `backoff_max`, times a jitter factor in [0.5, 1).
    """
    if retry_after is not None:
        return min(retry_after, settings.retry_after_max)
    base = min(settings.backoff_max, settings.backoff_base * (2 ** (attempt - 1)))
    return base * (0.5 + 0.5 * (rng or random).random())
