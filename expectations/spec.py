"""Expectations as data: name, one-line reason, severity rule, tolerance rule and the GX check.

Every suite module lists `ExpectationSpec`s and builds pandas frames; the runner turns each spec
into a GX Core expectation (imported lazily: GX takes seconds to import). Frames have one row
per thing checked, indexed by `doc_id` and `item` (what inside the document: "20601.total",
"totals.expense_total@prose#3", …). A spec named E reads its own columns: `E__tol`/`E__diff`
(integers of thousandths of a yuan) for tolerance checks, `E__value` for single-column checks,
`E__message` (what a person reads) and, for materiality-rated specs, `E__material`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from expectations.precision import li_ceiling, li_floor

SEVERITIES = ("error", "warning", "materiality")
CHECKS = (
    "within_tolerance",  # E__tol >= E__diff (rows where either is null are skipped)
    "not_null",  # E__value is not null
    "between",  # min_value <= E__value <= max_value
    "in_set",  # E__value in value_set
    "match_regex",  # E__value matches regex
    "not_match_regex",  # E__value does not match regex
    "pair_ge",  # E__a >= E__b
    "compound_unique",  # the tuple of `columns` is unique
)
INDEX_COLUMNS = ["doc_id", "item"]


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation of a suite (see docs/quality.md for the full list)."""

    name: str
    suite: str
    frame: str
    reason: str
    severity: str
    tolerance: str
    check: str
    min_value: Any = None
    max_value: Any = None
    value_set: tuple = ()
    regex: str | None = None
    columns: tuple[str, ...] = ()
    row_condition: str | None = None  # pandas query over the frame: only these rows are checked
    skipped_because: str | None = None  # why it checks nothing in a document without rows (outcomes.py)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.name}: severity must be one of {SEVERITIES}")
        if self.check not in CHECKS:
            raise ValueError(f"{self.name}: check must be one of {CHECKS}")
        if not self.reason or "\n" in self.reason:
            raise ValueError(f"{self.name}: the reason is one line")

    def col(self, part: str) -> str:
        """This spec's column `part` (tol, diff, value, a, b, message, material)."""
        return f"{self.name}__{part}"

    @property
    def message_column(self) -> str:
        return self.col("message")

    @property
    def material_column(self) -> str:
        return self.col("material")

    @property
    def meta(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "reason": self.reason,
            "severity": self.severity,
            "tolerance": self.tolerance,
            "suite": self.suite,
        }

    def gx_expectation(self) -> Any:
        """The GX Core 1.x expectation that runs this check."""
        import great_expectations.expectations as gxe
        from great_expectations.expectations.metadata_types import FailureSeverity

        c = self.check
        kw: dict[str, Any] = {
            "meta": self.meta,
            "notes": [self.reason, f"Severity: {self.severity}. Tolerance: {self.tolerance}."],
            # GX's own severity: warning-level specs are GX warnings; materiality-rated ones may
            # quarantine, so they are critical like the error-level ones.
            "severity": FailureSeverity.WARNING if self.severity == "warning" else FailureSeverity.CRITICAL,
        }
        if self.row_condition:
            kw.update(row_condition=self.row_condition, condition_parser="pandas")
        if c == "within_tolerance":
            return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=self.col("tol"),
                column_B=self.col("diff"),
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                **kw,
            )
        if c == "pair_ge":
            return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=self.col("a"),
                column_B=self.col("b"),
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                **kw,
            )
        if c == "not_null":
            return gxe.ExpectColumnValuesToNotBeNull(column=self.col("value"), **kw)
        if c == "between":
            return gxe.ExpectColumnValuesToBeBetween(
                column=self.col("value"), min_value=self.min_value, max_value=self.max_value, **kw
            )
        if c == "in_set":
            return gxe.ExpectColumnValuesToBeInSet(
                column=self.col("value"), value_set=list(self.value_set), **kw
            )
        if c == "match_regex":
            return gxe.ExpectColumnValuesToMatchRegex(column=self.col("value"), regex=self.regex, **kw)
        if c == "not_match_regex":
            return gxe.ExpectColumnValuesToNotMatchRegex(column=self.col("value"), regex=self.regex, **kw)
        return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(self.columns), **kw)


class FrameBuilder:
    """Rows of one frame, keyed by (doc_id, item); specs write their own columns into them."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], dict[str, Any]] = {}

    def put(self, doc_id: str, item: str, **values: Any) -> dict[str, Any]:
        """Merge `values` into the row (doc_id, item)."""
        row = self._rows.setdefault((doc_id, item), {"doc_id": doc_id, "item": item})
        row.update(values)
        return row

    def tolerance(
        self,
        spec: ExpectationSpec,
        doc_id: str,
        item: str,
        gap: Decimal,
        allowed: Decimal,
        message: str,
        material: bool,
        fields: Iterable[str | None] = (),
    ) -> None:
        """A `within_tolerance` row: |gap| against the allowed difference, as exact integers of 厘
        (the gap rounded up, the tolerance down: never in the document's favour). `fields`: the
        record fields compared, so a failure names the figures it involves."""
        self.put(
            doc_id,
            item,
            **{
                spec.col("diff"): li_ceiling(abs(gap)),
                spec.col("tol"): li_floor(allowed),
                spec.message_column: message,
                spec.material_column: material,
                spec.col("fields"): ",".join(f for f in fields if f) or None,
            },
        )

    def value(
        self, spec: ExpectationSpec, doc_id: str, item: str, value: Any, message: str, **more: Any
    ) -> None:
        """A value for a single-column spec, with the message shown if it fails."""
        self.put(doc_id, item, **{spec.col("value"): value, spec.message_column: message}, **more)

    def __len__(self) -> int:
        return len(self._rows)

    def frame(self, specs: Iterable[ExpectationSpec] = ()) -> pd.DataFrame:
        """The rows as a DataFrame: integer columns as nullable Int64, flags as boolean.

        Every column a spec reads exists (all null when no row has it), so GX never misses one.
        """
        rows = list(self._rows.values())
        columns: dict[str, None] = dict.fromkeys(INDEX_COLUMNS)
        for r in rows:
            columns.update(dict.fromkeys(r))
        for spec in specs:
            for part in _parts(spec):
                columns.setdefault(spec.col(part), None)
        df = pd.DataFrame({c: [r.get(c) for r in rows] for c in columns}, dtype=object)
        for c in df.columns:
            values = [v for v in df[c] if v is not None]
            if values and all(isinstance(v, bool) for v in values):
                df[c] = df[c].astype("boolean")
            elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                df[c] = df[c].astype("Int64")
        return df


def _parts(spec: ExpectationSpec) -> tuple[str, ...]:
    if spec.check == "within_tolerance":
        return ("tol", "diff", "message")
    if spec.check == "pair_ge":
        return ("a", "b", "message")
    if spec.check == "compound_unique":
        return ("message",)
    return ("value", "message")


@dataclass(frozen=True)
class Finding:
    """One failed expectation for one thing in one document."""

    doc_id: str
    expectation: str
    suite: str
    severity: str  # error / warning
    item: str
    message: str
    fields: tuple[str, ...] = ()  # the record fields the check compared ('totals.vehicle_total', …)
