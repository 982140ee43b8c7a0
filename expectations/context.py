"""Per-document helpers shared by the suites: printings of figures with their precision and place.

A figure's tolerance follows how it was printed: the observation's printed text and unit (and the
printed precision of its table: a "0" in a table printed with two decimals is exact to those
decimals). When the warehouse holds no observation for a figure, the coarsest printing among the
document's tables is assumed, which never invents a discrepancy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from expectations.data import Row, WarehouseData
from expectations.labels import field_label, page_note, place_label
from expectations.precision import (
    COUNT_UNIT,
    FALLBACK_DECIMALS,
    FALLBACK_UNIT,
    Printing,
    is_material,
    known_unit,
)
from expectations.reference import Band, FunctionCodes
from expectations.settings import QualitySettings

FUNCTION_TABLE = "general_budget_by_function"
# Where each totals field is printed canonically (docs/record.md), for its precision when the
# warehouse holds no observation of it.
_THREE_PUBLIC = ("three_public",)
CANONICAL_TABLES: dict[str, tuple[str, ...]] = {
    "income_total": ("summary",),
    "expense_total": ("summary",),
    "fiscal_appropriation": ("summary",),
    "general_budget_appropriation": ("summary",),
    "gov_fund_appropriation": ("summary",),
    "state_capital_appropriation": ("summary",),
    "carryover_in": ("summary",),
    "carryover_out": ("summary",),
    "basic_expense": ("expense",),
    "project_expense": ("expense",),
    "reserve_expense": ("expense",),
    "personnel_expense": ("basic_expense", "basic_by_economic"),
    "operating_expense": ("basic_expense", "basic_by_economic"),
    "household_subsidy": ("basic_expense", "basic_by_economic"),
    "staff_and_household_cost": ("basic_expense", "basic_by_economic"),
    "agency_running_cost": _THREE_PUBLIC,
    "three_public_total": _THREE_PUBLIC,
    "overseas_travel": _THREE_PUBLIC,
    "official_reception": _THREE_PUBLIC,
    "vehicle_total": _THREE_PUBLIC,
    "vehicle_purchase": _THREE_PUBLIC,
    "vehicle_operation": _THREE_PUBLIC,
    "procurement_total": ("procurement", "expense"),
    "procurement_goods": ("procurement",),
    "procurement_works": ("procurement",),
    "procurement_services": ("procurement",),
    "procurement_sme": ("expense",),
    "procurement_small_micro": ("expense",),
    "surplus_distribution": ("summary",),
    "three_public_total_adjusted_budget": _THREE_PUBLIC,
    "overseas_travel_adjusted_budget": _THREE_PUBLIC,
    "official_reception_adjusted_budget": _THREE_PUBLIC,
    "vehicle_total_adjusted_budget": _THREE_PUBLIC,
    "vehicle_purchase_adjusted_budget": _THREE_PUBLIC,
    "vehicle_operation_adjusted_budget": _THREE_PUBLIC,
}


@dataclass(frozen=True)
class Precision:
    """How a table prints its amounts."""

    unit: str | None
    decimals: int | None


class DocContext:
    """One candidate document: its figures, tables and printings."""

    def __init__(self, doc_id: str, data: WarehouseData, settings: QualitySettings):
        self.doc_id = doc_id
        self.data = data
        self.settings = settings
        self.document: Row = data.documents[doc_id]
        self.totals: Row = data.totals.get(doc_id, {})
        self.headcount: Row = data.headcount.get(doc_id, {})
        self.tables: list[Row] = data.tables.get(doc_id, [])
        self.observations: list[Row] = (data.observations or {}).get(doc_id, [])
        self._figures: dict[tuple[str, str], Printing | None] = {}

    @property
    def template(self) -> str | None:
        return self.document.get("template")

    @property
    def expense_total(self) -> Decimal | None:
        return self.totals.get("expense_total")

    @cached_property
    def table_precision(self) -> dict[str, Precision]:
        """kind → precision of the first non-empty table of that kind."""
        out: dict[str, Precision] = {}
        for t in self.tables:
            if not t.get("empty") and t["kind"] not in out:
                out[t["kind"]] = Precision(t.get("unit"), t.get("decimals"))
        return out

    @cached_property
    def coarsest(self) -> Precision:
        """The coarsest printing among the document's tables (the fallback precision)."""
        best, step = Precision(FALLBACK_UNIT, FALLBACK_DECIMALS), None
        for p in self.table_precision.values():
            if not known_unit(p.unit):
                continue
            s = Printing(Decimal(0), p.unit, p.decimals or 0).half_step
            if step is None or s > step:
                best, step = Precision(p.unit, p.decimals or 0), s
        return best

    def title_of(self, kind: str) -> str | None:
        for t in self.tables:
            if t["kind"] == kind:
                return t.get("title")
        return None

    def place(self, where: str | None) -> str:
        """Where a person finds it: 表7 一般公共预算支出表（按功能分类）, or 正文 for the prose."""
        return place_label(where, self.template, self.title_of(where) if where else None)

    @cached_property
    def function_lines_by_code(self) -> dict[str, Row]:
        """code → the first function line with that code."""
        out: dict[str, Row] = {}
        for ln in self.data.function_lines.get(self.doc_id, []):
            out.setdefault(ln["code"], ln)
        return out

    @cached_property
    def canonical(self) -> dict[str, Row]:
        """field → its canonical observation."""
        out: dict[str, Row] = {}
        for o in self.observations:
            if o.get("canonical") and o["field"] not in out:
                out[o["field"]] = o
        return out

    def printing_of_observation(
        self, o: Row, *, value: Decimal | None = None, field: str | None = None
    ) -> Printing:
        """An observation as a printing (its own precision, refined by its table's)."""
        where = o.get("place")
        path = field if field is not None else o["field"]
        note = page_note(o.get("page"), o.get("part_file"))
        if path.startswith("headcount."):
            label = f"{self.place(where)} {o.get('label') or ''}".strip() + note
            v = o["value"] if value is None else value
            return Printing(Decimal(v), COUNT_UNIT, 0, label, o.get("printed"), path)
        table = self.table_precision.get(where) if where and where != "prose" else None
        label = f"{self.place(where)} {o.get('label') or ''}".strip() + note
        return Printing.of(
            o["value"] if value is None else value,
            printed=o.get("printed"),
            unit=o.get("unit") or (table.unit if table else None),
            table_decimals=table.decimals if table else None,
            label=label,
            field=path,
        )

    def figure(self, section: str, name: str) -> Printing | None:
        """The canonical figure `section.name` (totals / headcount) as a printing; None when not stated."""
        key = (section, name)
        if key not in self._figures:
            self._figures[key] = self._figure(section, name)
        return self._figures[key]

    def _figure(self, section: str, name: str) -> Printing | None:
        value = (self.totals if section == "totals" else self.headcount).get(name)
        if value is None:
            return None
        path = f"{section}.{name}"
        obs = self.canonical.get(path)
        if obs is not None:
            return self.printing_of_observation(obs, value=Decimal(value), field=path)
        if section == "headcount":
            return Printing(Decimal(value), COUNT_UNIT, 0, field_label(name), None, path)
        c = self.fallback_precision(name)
        return Printing(Decimal(value), c.unit, c.decimals, field_label(name), None, path)

    def fallback_precision(self, name: str) -> Precision:
        """Without an observation: the precision of the field's canonical table (docs/record.md)
        when the document has it, else the coarsest printing of the document."""
        for kind in CANONICAL_TABLES.get(name, ()):
            p = self.table_precision.get(kind)
            if p is not None and known_unit(p.unit):
                return p
        return self.coarsest

    def function_printing(self, line: Row, column: str) -> Printing | None:
        """A function line's total/basic/project as printed in the function table."""
        value = line.get(column)
        if value is None:
            return None
        p = self.table_precision.get(FUNCTION_TABLE) or self.coarsest
        col = {"total": "合计", "basic": "基本支出", "project": "项目支出"}[column]
        label = f"{self.place(FUNCTION_TABLE)} {line['code']} {line.get('name') or ''} {col}".strip()
        printed = None
        if column == "total":
            obs = self.canonical.get(f"function:{line['code']}")
            if obs is not None and obs.get("value") == value:
                printed = obs.get("printed")
                label += page_note(obs.get("page"))
        return Printing.of(
            Decimal(value),
            printed=printed,
            unit=p.unit,
            table_decimals=p.decimals,
            label=label,
            field=f"function:{line['code']}",
        )

    def all_general_budget(self, table: str) -> bool:
        """Whether `table` (summary: all funds; appropriation_summary: all appropriations) covers the
        same money as the general-budget tables, i.e. the document has nothing else. Unknown: False."""
        whole = {"summary": "income_total", "appropriation_summary": "fiscal_appropriation"}.get(table)
        if whole is None:
            return True
        a, b = self.figure("totals", whole), self.figure("totals", "general_budget_appropriation")
        if a is None or b is None:
            return False
        carried = self.figure("totals", "carryover_in")
        if table == "appropriation_summary" and carried is not None and carried.value > 0:
            return False  # its expenditure lines also spend the appropriations carried over (上年结转)
        return abs(a.value - b.value) <= max(a.half_step, b.half_step)

    def material(self, difference: Decimal, printings: list[Printing], *extra_fields: str) -> bool:
        """The materiality rule (precision.is_material) with this document's expense_total."""
        return is_material(
            difference,
            expense_total=self.expense_total,
            figures=[p.value for p in printings],
            fields=[p.field for p in printings if p.field] + list(extra_fields),
            ratio=self.settings.materiality,
        )


@dataclass
class SuiteContext:
    """Everything the frame builders read: the data, settings and reference lists."""

    data: WarehouseData
    settings: QualitySettings
    codes: FunctionCodes
    bands: tuple[Band, ...]
    _docs: dict[str, DocContext] = field(default_factory=dict)
    # every candidate's documents and figures (an incremental run validates only `data`, but a check
    # comparing with other documents, e.g. last year's budget, looks them up here); None: `data`
    history: WarehouseData | None = None

    @property
    def everyone(self) -> WarehouseData:
        """The documents and figures of every candidate (`history`, else `data`)."""
        return self.history if self.history is not None else self.data

    def doc(self, doc_id: str) -> DocContext:
        if doc_id not in self._docs:
            self._docs[doc_id] = DocContext(doc_id, self.data, self.settings)
        return self._docs[doc_id]

    def docs(self) -> list[DocContext]:
        return [self.doc(d) for d in self.data.doc_ids]

    @classmethod
    def build(cls, data: WarehouseData, settings: QualitySettings | None = None) -> SuiteContext:
        from expectations.reference import load_bands, load_function_codes

        s = settings or QualitySettings()
        return cls(data, s, load_function_codes(s.function_codes), load_bands(s.per_staff_bands))
