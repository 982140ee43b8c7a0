"""Tolerance and materiality: how far printed figures may honestly differ, and whether more matters.

Pure `Decimal` arithmetic, never float. A figure printed with d decimals in unit u may be off by
half a unit in its last place (`budgetlens.amounts.rounding_tolerance`). A printed total may
differ from the sum of its n printed parts by the parts' half steps (n × 0.5 万元 in whole 万元,
n × 0.005 万元 with two decimals) plus the total's own half step, since the total is rounded on
its own. A figure printed in 元 with cents is exact and
must match to the cent. Two printings of one figure are two roundings of one value: at one
precision they must be equal, so only the coarser half step is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from budgetlens.amounts import UNIT_MULTIPLIERS, printed_precision, rounding_tolerance

# When a figure's printing is unknown (no observation, no table precision), assume the coarsest
# printing budgets use: whole 万元. Lenient on purpose: it never invents a discrepancy.
FALLBACK_UNIT = "万元"
FALLBACK_DECIMALS = 0
# Headcount figures are counts: printed exactly, no rounding.
COUNT_UNIT = "人"

# Inputs of the comparison metrics (../shared/GLOSSARY.md "Comparison metrics", issue 6): a
# discrepancy touching any of these is material whatever its size.
COMPARED_FIELDS: frozenset[str] = frozenset(
    {
        "totals.expense_total",
        "totals.basic_expense",
        "totals.project_expense",
        "totals.personnel_expense",
        "totals.operating_expense",
        "totals.household_subsidy",
        "totals.agency_running_cost",
        "totals.three_public_total",
        "totals.overseas_travel",
        "totals.official_reception",
        "totals.vehicle_total",
        "totals.vehicle_purchase",
        "totals.vehicle_operation",
        "totals.procurement_total",
        "totals.procurement_goods",
        "totals.procurement_works",
        "totals.procurement_services",
        "totals.procurement_sme",
        "headcount.authorized_total",
        "headcount.actual_total",
        "headcount.admin_authorized",
        "headcount.admin_actual",
        "headcount.cs_managed_authorized",
        "headcount.cs_managed_actual",
        "headcount.institution_authorized",
        "headcount.institution_actual",
        "headcount.retirees",
        "headcount.veteran_retirees",
        "headcount.retirees_total",
    }
)

YUAN_SLIP = Decimal("0.5")  # half a yuan: a figure rounded to whole yuan
_LI = Decimal("0.001")  # GX compares integers of thousandths of a yuan (厘), exactly
_INT64_MAX = 2**63 - 1


def known_unit(unit: str | None) -> bool:
    """True for a unit `budgetlens.amounts` converts (元, 万元, 亿元 …)."""
    return unit is not None and unit.strip() in UNIT_MULTIPLIERS


@dataclass(frozen=True)
class Printing:
    """One printed figure: its value in yuan, where it is, and how precisely it was printed."""

    value: Decimal
    unit: str | None = None
    decimals: int | None = None
    label: str = ""
    printed: str | None = None
    field: str | None = None  # "totals.expense_total", "function:20601", … (for materiality)

    @classmethod
    def of(
        cls,
        value: Decimal,
        *,
        printed: str | None,
        unit: str | None,
        table_decimals: int | None = None,
        label: str = "",
        field: str | None = None,
    ) -> Printing:
        """A printing whose precision is the finer of its own text and its table's."""
        own = printed_precision(printed) if printed else None
        decimals = max((d for d in (own, table_decimals) if d is not None), default=None)
        return cls(value, unit, decimals, label, printed, field)

    @property
    def half_step(self) -> Decimal:
        """Half a unit in the last printed place, in yuan (0 for a count of people and for 元 with cents,
        which must match to the cent)."""
        if self.unit == COUNT_UNIT:
            return Decimal(0)
        if self.unit is not None and self.unit.strip() == "元" and (self.decimals or 0) >= 2:
            return Decimal(0)  # 元 with cents is exact: budgets hold no fractions of a cent
        if known_unit(self.unit):
            unit = self.unit.strip()  # type: ignore[union-attr]
            decimals = self.decimals if self.decimals is not None else 0
        else:
            unit, decimals = FALLBACK_UNIT, FALLBACK_DECIMALS
        return rounding_tolerance(1, unit, decimals)

    def shown(self) -> str:
        """The figure as a person finds it in the document: printed text and unit."""
        if self.printed:
            return f"{self.printed} {self.unit}" if self.unit else self.printed
        return format_amount(self.value, self.unit, self.decimals)


def format_amount(value: Decimal, unit: str | None, decimals: int | None = None) -> str:
    """Yuan shown in a printed unit with thousands separators ("2,579 万元", "1.00 元"); "23 人" for counts."""
    if unit == COUNT_UNIT:
        return f"{value.normalize():f} {COUNT_UNIT}"
    u = unit.strip() if known_unit(unit) else "元"  # type: ignore[union-attr]
    scaled = value / UNIT_MULTIPLIERS[u]
    if decimals is None:
        decimals = max(0, -scaled.normalize().as_tuple().exponent)  # type: ignore[operator]
    q = Decimal(1).scaleb(-decimals)
    return f"{scaled.quantize(q):,f} {u}"


def tolerance(printings: Iterable[Printing]) -> Decimal:
    """Largest honest difference between printed figures compared together (Σ half steps)."""
    return sum((p.half_step for p in printings), Decimal(0))


@dataclass(frozen=True)
class Comparison:
    """A printed figure against the sum of other printed figures (one part: plain equality)."""

    lhs: Printing
    parts: tuple[Printing, ...]

    @property
    def difference(self) -> Decimal:
        return self.lhs.value - sum((p.value for p in self.parts), Decimal(0))

    @property
    def tolerance(self) -> Decimal:
        """Two printings of one figure: the coarser half step (at one precision they must be equal,
        so 2,579 vs 2,580 万元 is beyond it). A total against n ≥ 2 parts: the half steps of the n
        parts and of the total, which is rounded on its own (n × 0.5 万元 for the parts, + 0.5)."""
        if len(self.parts) == 1:
            return max(self.lhs.half_step, self.parts[0].half_step)
        return tolerance((self.lhs, *self.parts))

    @property
    def within(self) -> bool:
        return abs(self.difference) <= self.tolerance

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(p.field for p in (self.lhs, *self.parts) if p.field)

    @property
    def figures(self) -> tuple[Decimal, ...]:
        return tuple(p.value for p in (self.lhs, *self.parts))


def truncated(a: Printing, b: Printing) -> bool:
    """Is one printing the other with its decimals dropped rather than rounded? A figure printed as a
    whole number of its unit (328,661 万元) may cut what the other prints (328,661.81 万元): the same
    figure, not a contradiction. Never more than one unit apart, never the whole number above."""
    coarse, fine = (a, b) if a.half_step >= b.half_step else (b, a)
    if coarse.decimals != 0 or coarse.half_step == 0 or (fine.decimals or 0) == 0:
        return False
    unit = 2 * coarse.half_step
    return coarse.value >= 0 and Decimal(0) <= fine.value - coarse.value < unit


def slip_allowance(n_figures: int) -> Decimal:
    """The largest gap a slip at the yuan level explains: half a yuan for each figure compared (the
    figures rounded to whole yuan, as spreadsheets do)."""
    return YUAN_SLIP * n_figures


def is_material(
    difference: Decimal,
    *,
    expense_total: Decimal | None,
    figures: Iterable[Decimal],
    fields: Iterable[str],
    ratio: Decimal,
) -> bool:
    """Whether a discrepancy beyond tolerance must quarantine the document.

    Immaterial (a warning) only when all hold: no figure involved is an input of a comparison
    metric; the gap is under `ratio` of expense_total; and the gap is a slip at the yuan level (at
    most half a yuan per figure compared: a 款 one yuan off the sum of its 项). A gap of several
    printed units (500 元 in a table printed to 0.01 万元, 5 万元 in whole 万元) is a misprint or a
    misread, not a slip. A document without a positive expense_total cannot be judged: material.
    """
    gap = abs(difference)
    if any(f in COMPARED_FIELDS for f in fields):
        return True
    if expense_total is None or expense_total <= 0:
        return True
    if gap >= ratio * expense_total:
        return True
    return gap > slip_allowance(len(list(figures)))


def li_ceiling(value: Decimal) -> int:
    """Yuan as whole thousandths of a yuan, rounded up (differences: never understated)."""
    return min(int((value / _LI).to_integral_value(rounding=ROUND_CEILING)), _INT64_MAX)


def li_floor(value: Decimal) -> int:
    """Yuan as whole thousandths of a yuan, rounded down (tolerances: never overstated)."""
    return min(int((value / _LI).to_integral_value(rounding=ROUND_FLOOR)), _INT64_MAX)
