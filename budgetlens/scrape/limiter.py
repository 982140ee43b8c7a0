"""Politeness per host: at most N requests in flight, and a minimum delay between request starts.

One `HostLimiter` is shared by everything that fetches in a process (`DEFAULT_LIMITER`), so two
sources on the same host, fetched at the same time, still share its budget.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _HostState:
    slots: threading.BoundedSemaphore
    limit: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0  # monotonic time before which no new request may start


class HostLimiter:
    """Per-host concurrency and spacing. `clock` and `sleep` are injectable for tests."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, _HostState] = {}
        self._lock = threading.Lock()

    def _state(self, host: str, max_in_flight: int) -> _HostState:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                state = _HostState(threading.BoundedSemaphore(max_in_flight), max_in_flight)
                self._hosts[host] = state
            return state

    @contextmanager
    def slot(self, host: str, *, max_in_flight: int, min_delay: float) -> Iterator[None]:
        """Hold one of the host's request slots; returns once the request may start.

        The first caller for a host fixes its slot count for the life of the limiter (settings
        never allow more than 2); `min_delay` is applied per call.
        """
        state = self._state(host, max_in_flight)
        state.slots.acquire()
        try:
            with state.lock:
                now = self._clock()
                start = max(now, state.next_start)
                state.next_start = start + min_delay
            if start > now:
                self._sleep(start - now)
            yield
        finally:
            state.slots.release()

    def limit_of(self, host: str) -> int | None:
        """The slot count fixed for `host`, if it was used."""
        with self._lock:
            state = self._hosts.get(host)
            return state.limit if state else None


DEFAULT_LIMITER = HostLimiter()
