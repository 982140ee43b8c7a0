"""The fault table: what the suite tried and what survived, printed at the end of the session and
written to test-artifacts/reliability.json.

A test opens a trial (`with faults.trial("kill during load", "crash") as t:`): the try is counted
when it starts and the survival only when the block finishes without an exception, so a failing
test can never show up as survived. `t.rows_lost` is what the test measured (it also asserts 0).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class FaultRow:
    """One kind of fault: how often it was tried, how often the system came through."""

    fault: str
    area: str
    tries: int = 0
    survived: int = 0
    rows_lost: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # what the inputs ended as (error codes …)
    see_also: str = ""  # unit-level tests of the same fault elsewhere in tests/

    def merge(self, other: FaultRow) -> None:
        self.tries += other.tries
        self.survived += other.survived
        self.rows_lost += other.rows_lost
        for k, v in other.outcomes.items():
            self.outcomes[k] = self.outcomes.get(k, 0) + v
        self.see_also = self.see_also or other.see_also


@dataclass
class Trial:
    """What one try measured."""

    rows_lost: int = 0
    outcomes: list[str] = field(default_factory=list)

    def outcome(self, what: str) -> None:
        self.outcomes.append(what)


class FaultTable:
    """Rows by fault name, in the order first seen."""

    def __init__(self) -> None:
        self.rows: dict[str, FaultRow] = {}

    def _row(self, fault: str, area: str, see_also: str) -> FaultRow:
        row = self.rows.setdefault(fault, FaultRow(fault, area))
        row.see_also = row.see_also or see_also
        return row

    @contextmanager
    def trial(self, fault: str, area: str, *, see_also: str = "") -> Iterator[Trial]:
        row = self._row(fault, area, see_also)
        row.tries += 1
        t = Trial()
        yield t  # an exception propagates: tried, not survived
        row.survived += 1
        row.rows_lost += t.rows_lost
        for o in t.outcomes:
            row.outcomes[o] = row.outcomes.get(o, 0) + 1

    def to_json(self) -> list[dict]:
        return [asdict(r) for r in self.rows.values()]

    def merge_json(self, rows: list[dict]) -> None:
        for d in rows:
            other = FaultRow(**d)
            self._row(other.fault, other.area, other.see_also).merge(other)

    def lines(self) -> list[str]:
        """The table as text lines (for the terminal)."""
        head = ("area", "fault", "tries", "survived", "rows lost", "outcomes")
        body = [
            (
                r.area,
                r.fault,
                str(r.tries),
                str(r.survived),
                str(r.rows_lost),
                ", ".join(f"{k} {v}" for k, v in sorted(r.outcomes.items())),
            )
            for r in sorted(self.rows.values(), key=lambda r: (r.area, r.fault))
        ]
        widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
        fmt = lambda row: "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()  # noqa: E731
        return [fmt(head), fmt(tuple("-" * w for w in widths)), *map(fmt, body)]

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tries = sum(r.tries for r in self.rows.values())
        survived = sum(r.survived for r in self.rows.values())
        payload = {
            "faults": self.to_json(),
            "tries": tries,
            "survived": survived,
            "rows_lost": sum(r.rows_lost for r in self.rows.values()),
        }
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
