"""Exact amounts: printed figures to Decimal yuan and back.

Amounts are `Decimal` yuan end to end, converted by the unit printed on the table or sentence
they come from. JSON carries them as decimal strings ("25790000.00").

Cell conventions (../shared/FIELD_NOTES.md): "0", "0.00", "-", "—" and an empty cell all mean
"nothing" for that cell, i.e. zero yuan of a row the document does print. A concept the document
does not print at all is `None` (null), never zero; that decision belongs to the caller, who knows
whether the row or sentence exists.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

UNIT_MULTIPLIERS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1_000),
    "万元": Decimal(10_000),
    "百万元": Decimal(1_000_000),
    "亿元": Decimal(100_000_000),
}

# Printed forms that mean "nothing in this cell", one base set and its extensions (one home: the
# table reader in budgetlens.parse.grid uses the smaller sets, see their comments).
# The dashes: a nil cell, and also what a figure-like piece may be (parse.grid.text.is_figure_like).
NIL_DASHES = frozenset({"-", "--", "—", "——", "–", "－"})
# The nil marks: the dashes and a slash; with figures, what the table reader takes for the content of
# an amount cell (parse.grid.text.is_value_text), so a cell printing "无" stays a label there.
NIL_MARKS = NIL_DASHES | {"/"}
# Everything an amount cell may print for nothing: the marks, a blank cell, "0" and "无" (zero yuan).
NIL_TOKENS = NIL_MARKS | {"", "0", "无"}

_FULLWIDTH = str.maketrans("０１２３４５６７８９，．－＋％", "0123456789,.-+%")
_AMOUNT_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CENT = Decimal("0.01")


class AmountError(ValueError):
    """A cell that should hold an amount holds something else."""


def unit_multiplier(unit: str) -> Decimal:
    """Multiplier from a printed unit (元, 万元, 亿元 …) to yuan."""
    u = unit.strip().replace(" ", "")
    u = u.removeprefix("金额单位").removeprefix("单位").lstrip(":：")
    if u not in UNIT_MULTIPLIERS:
        raise AmountError(f"unknown unit {unit!r}")
    return UNIT_MULTIPLIERS[u]


def parse_printed(text: str | None) -> Decimal | None:
    """A printed number as Decimal in the printed unit; `Decimal(0)` for nil forms; None if empty input.

    Accepts thousands separators, full-width digits, a leading sign and parentheses for negatives.
    Raises AmountError for text that is not a number.
    """
    if text is None:
        return None
    t = text.translate(_FULLWIDTH).replace(" ", "").replace("\u3000", "").strip()
    if t in NIL_TOKENS or t in ("0.0", "0.00"):
        return Decimal(0)
    negative = False
    if (t.startswith("(") and t.endswith(")")) or (t.startswith("（") and t.endswith("）")):
        negative, t = True, t[1:-1]
    if not _AMOUNT_RE.match(t):
        raise AmountError(f"not an amount: {text!r}")
    try:
        value = Decimal(t.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise AmountError(f"not an amount: {text!r}") from exc
    return -value if negative else value


def is_amount(text: str | None) -> bool:
    """True when `text` reads as a printed amount (nil forms included)."""
    try:
        return parse_printed(text) is not None
    except AmountError:
        return False


def format_yuan(value: Decimal | None) -> str | None:
    """Decimal yuan as the JSON string form: two decimals, more only when the figure needs them.

    Never rounds: 0.123 yuan stays "0.123".
    """
    if value is None:
        return None
    if value == value.quantize(_CENT):
        return f"{value.quantize(_CENT):f}"
    return f"{value.normalize():f}"


def yuan(text: str | None) -> Decimal | None:
    """The JSON string form back to Decimal."""
    return None if text is None else Decimal(text)


def printed_precision(text: str) -> int:
    """Number of decimals a figure was printed with ("2,579" → 0, "2.65" → 2)."""
    t = text.translate(_FULLWIDTH).strip()
    return len(t.split(".", 1)[1]) if "." in t else 0


def rounding_tolerance(n_terms: int, unit: str, decimals: int) -> Decimal:
    """Largest honest difference, in yuan, between a printed total and the sum of n printed parts.

    Each printed part may be off by half a unit in its last place: n × 0.5 × 10^-decimals × unit.
    """
    half_ulp = Decimal(5) * Decimal(10) ** (-(decimals + 1))
    return Decimal(n_terms) * half_ulp * unit_multiplier(unit)
