"""Reference data kept in the repository: the national function codes and per-staff cost bands."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from budgetlens.fields import TOTALS_FIELDS
from budgetlens.function_codes import CodeListError, csv_rows, read_function_codes


class ReferenceError(ValueError):
    """A reference data file is malformed (names the file and line)."""


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        return csv_rows(path)
    except CodeListError as exc:
        raise ReferenceError(str(exc)) from exc


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
    """The function code list (`budgetlens.function_codes`: code, level, name, source), checked for form."""
    try:
        codes = read_function_codes(Path(path))
    except CodeListError as exc:
        raise ReferenceError(str(exc)) from exc
    return FunctionCodes({c.code: (c.level, c.name) for c in codes.values()})


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
