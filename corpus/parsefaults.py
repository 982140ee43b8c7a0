"""Deliberate parser faults for the worker-pool and reliability tests: a parse that hangs, balloons or
crashes, without a hostile file.

Each function returns `ParseSettings` whose `before_parse` seam (called at the start of every
parse, in the worker process under `parse_many`) misbehaves; the pool's time, memory and crash
handling is what the tests then check:

    parse_many(paths, workers=1, timeout_s=1.0, settings=slow_parse(30))   # -> error "timeout"
    parse_many(paths, memory_mb=300, settings=ballooning_parse(2000))      # -> error "too_large"
    parse_many(paths, settings=crashing_parse())                          # -> error "internal"

The hooks are module-level functions wrapped in functools.partial, so the settings pickle into
worker processes started by the fork server or spawn (the dev package must be importable there).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import signal
import time
from collections.abc import Callable

from budgetlens.parse.settings import ParseSettings


def slow_parse(seconds: float, settings: ParseSettings | None = None) -> ParseSettings:
    """Every parse sleeps `seconds` first (a hanging worker, or time to kill a run mid-parse)."""
    if seconds < 0:
        raise ValueError(f"seconds must not be negative, got {seconds}")
    return _with_hook(settings, functools.partial(_sleep, seconds))


def ballooning_parse(megabytes: int, settings: ParseSettings | None = None) -> ParseSettings:
    """Every parse first allocates and touches `megabytes` of memory (a worker over its limit)."""
    if megabytes < 0:
        raise ValueError(f"megabytes must not be negative, got {megabytes}")
    return _with_hook(settings, functools.partial(_allocate, megabytes))


def crashing_parse(settings: ParseSettings | None = None) -> ParseSettings:
    """Every parse kills its own process with SIGSEGV (a worker that crashes)."""
    return _with_hook(settings, _crash)


def _with_hook(settings: ParseSettings | None, hook: Callable[[], object]) -> ParseSettings:
    return dataclasses.replace(settings or ParseSettings(), before_parse=hook)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _allocate(megabytes: int) -> None:
    ballast = bytearray(megabytes * 1024 * 1024)
    for i in range(0, len(ballast), 4096):  # touch every page so it is really resident
        ballast[i] = 1
    del ballast


def _crash() -> None:
    import faulthandler

    # a crash on purpose: no "Fatal Python error" traceback dump (pytest's faulthandler and
    # PYTHONFAULTHANDLER reach workers), so that a real crash, which keeps it, stands out
    faulthandler.disable()
    os.kill(os.getpid(), signal.SIGSEGV)
