"""Reference data kept in the repository: the national function codes and per-staff cost bands."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from budgetlens.fields import TOTALS_FIELDS

# 类 3 digits, 款 5, 项 7 (digits joined: docs/record.md "Lines").
FUNCTION_CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
CODE_LENGTH_BY_LEVEL: dict[int, int] = {1: 3, 2: 5, 3: 7}


class ReferenceError(ValueError):
    """A reference data file is malformed (names the file and line)."""


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV whose comment lines start with '#'."""
    with path.open(encoding="utf-8", newline="") as f:
        numbered = [(i, line) for i, line in enumerate(f, 1) if line.strip() and not line.startswith("#")]
    if not numbered:
        raise ReferenceError(f"{path}: no header line")
    reader = csv.DictReader(line for _, line in numbered)
    return [(numbered[k + 1][0], row) for k, row in enumerate(reader)]


@dataclass(frozen=True)
class FunctionCodes:
    """code → (level, national name)."""

    codes: dict[str, tuple[int, str]]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __len__(self) -> int:
        return len(self.codes)


@cache
def load_function_codes(path: Path) -> FunctionCodes:
    """Read function_codes.csv (code, level, name, source); every code is checked for form."""
    out: dict[str, tuple[int, str]] = {}
    for line, row in _rows(Path(path)):
        code, level = (row.get("code") or "").strip(), (row.get("level") or "").strip()
        if not FUNCTION_CODE_RE.match(code) or not level.isdigit():
            raise ReferenceError(f"{path}:{line}: bad code or level {code!r} {level!r}")
        if CODE_LENGTH_BY_LEVEL.get(int(level)) != len(code):
            raise ReferenceError(f"{path}:{line}: code {code} does not have the length of level {level}")
        if code in out:
            raise ReferenceError(f"{path}:{line}: code {code} listed twice")
        out[code] = (int(level), (row.get("name") or "").strip())
    return FunctionCodes(out)


@dataclass(frozen=True)
class Band:
    """A plausible yearly amount per member of staff for one totals field, in yuan."""

    metric: str
    min_yuan: Decimal
    max_yuan: Decimal
    why: str


@cache
def load_bands(path: Path) -> tuple[Band, ...]:
    """Read per_staff_bands.csv (metric, min_yuan, max_yuan, why)."""
    bands = []
    for line, row in _rows(Path(path)):
        metric = (row.get("metric") or "").strip()
        if metric not in TOTALS_FIELDS:
            raise ReferenceError(f"{path}:{line}: {metric!r} is not a totals field")
        try:
            lo, hi = Decimal(row["min_yuan"]), Decimal(row["max_yuan"])
        except (InvalidOperation, KeyError, TypeError) as exc:
            raise ReferenceError(f"{path}:{line}: bounds must be decimal yuan") from exc
        if lo < 0 or hi <= lo:
            raise ReferenceError(f"{path}:{line}: need 0 <= min_yuan < max_yuan")
        bands.append(Band(metric, lo, hi, (row.get("why") or "").strip()))
    if len({b.metric for b in bands}) != len(bands):
        raise ReferenceError(f"{path}: a metric is listed twice")
    return tuple(bands)
