"""Progress reporting from inside assets to whoever runs them.

`budgetlens run` installs a rich progress bar; under `dg dev` progress goes to the run log.
Assets call `progress.task(name, total)` and `advance()`; they never import rich themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

log = logging.getLogger("budgetlens")


@dataclass
class Task:
    name: str
    total: int
    done: int = 0
    _on_advance: Callable[[Task, int], None] | None = field(default=None, repr=False)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._on_advance is not None:
            self._on_advance(self, n)


class Reporter:
    """Default reporter: a log line every 10% of a task."""

    def start(self, task: Task) -> None:
        log.info("%s: %d to do", task.name, task.total)

    def advance(self, task: Task, n: int) -> None:
        step = max(1, task.total // 10)
        if task.done % step < n or task.done == task.total:
            log.info("%s: %d/%d", task.name, task.done, task.total)

    def finish(self, task: Task) -> None:
        pass


_reporter: Reporter = Reporter()


def install(reporter: Reporter) -> Reporter:
    """Install a reporter (the CLI's progress bar); returns the previous one."""
    global _reporter
    previous, _reporter = _reporter, reporter
    return previous


@contextmanager
def task(name: str, total: int) -> Iterator[Task]:
    """A unit of progress: `with progress.task("parse", n) as t: ... t.advance()`."""
    reporter = _reporter
    t = Task(name=name, total=total, _on_advance=reporter.advance)
    reporter.start(t)
    try:
        yield t
    finally:
        reporter.finish(t)
