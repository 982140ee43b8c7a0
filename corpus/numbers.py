"""How a figure is printed: a yuan amount in one table's unit, rounding and style.

The corpus keeps every amount as exact `Decimal` yuan. A table or sentence prints it in its own
unit (元 / 万元) with a fixed number of decimals; `printed_yuan` is what that printing is worth
in yuan again, which is what a truth record holds at a figure's canonical place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from budgetlens.amounts import format_yuan, unit_multiplier

DEFAULT_UNIT = "万元"
DEFAULT_DECIMALS = 0
DEFAULT_ZERO = "0"
ZERO_FORMS: tuple[str, ...] = ("0", "0.00", "-", "—", "")

_FULLWIDTH = str.maketrans("0123456789,.%", "０１２３４５６７８９，．％")


@dataclass(frozen=True)
class NumberStyle:
    """The printing of amounts in one table or sentence."""

    unit: str = DEFAULT_UNIT
    decimals: int = DEFAULT_DECIMALS
    thousands: bool = True
    zero: str = DEFAULT_ZERO
    trim: bool = False  # prose style: "2.60" -> "2.6", "87.00" -> "87"

    def __post_init__(self) -> None:
        unit_multiplier(self.unit)  # raises on an unknown unit
        if not 0 <= self.decimals <= 4:
            raise ValueError(f"decimals out of range: {self.decimals}")
        if self.zero not in ZERO_FORMS:
            raise ValueError(f"unknown zero form {self.zero!r}")


def quantum(decimals: int) -> Decimal:
    """10^-decimals as a Decimal."""
    return Decimal(1).scaleb(-decimals)


def in_unit(value: Decimal, unit: str, decimals: int) -> Decimal:
    """Yuan to the printed number in `unit`, rounded half-up to `decimals`."""
    return (value / unit_multiplier(unit)).quantize(quantum(decimals), rounding=ROUND_HALF_UP)


def printed_yuan(value: Decimal, unit: str, decimals: int) -> Decimal:
    """What the printed figure is worth in yuan (the rounding a reader of the page sees)."""
    return (in_unit(value, unit, decimals) * unit_multiplier(unit)).quantize(Decimal("0.01"))


def fmt(value: Decimal | str | None, style: NumberStyle) -> str:
    """Print a yuan amount (Decimal or JSON string) in `style`; None prints as an empty cell."""
    if value is None:
        return ""
    v = in_unit(Decimal(value), style.unit, style.decimals)
    if v == 0:
        return style.zero
    text = f"{v:,.{style.decimals}f}" if style.thousands else f"{v:.{style.decimals}f}"
    if style.trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def prose_amount(value: Decimal | str | None, unit: str = "万元", decimals: int = 2) -> str:
    """A figure as prose prints it: "2,579", "2.65", "0" (trailing zeros trimmed)."""
    return fmt(value, NumberStyle(unit=unit, decimals=decimals, zero="0", trim=True))


def yuan_str(value: Decimal | None) -> str | None:
    """Decimal yuan to the truth's JSON string form."""
    return format_yuan(value)


def fullwidth(text: str) -> str:
    """ASCII digits and separators as their full-width forms (２,５７９ → ２，５７９)."""
    return text.translate(_FULLWIDTH)


def percent_change(new: Decimal, old: Decimal) -> str:
    """Year-on-year wording: "增加 38 万元，增长 78%" style percentage (integer percent)."""
    if old == 0:
        return "0%"
    pct = ((new - old) / old * 100).copy_abs().quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{pct}%"
