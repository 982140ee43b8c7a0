"""Cross-footing: do the printed figures agree with each other? Disagreements become warnings.

Pure functions over `extract.Figure`s. A printed figure is never altered: a check only reports.
Tolerance is the printed rounding: each figure may be off by half a unit in its last printed
place (a 万元 table with no decimals: ±5,000 yuan per figure); a printed zero (0 / - / blank)
is exact. A total against its parts allows the rounding of every term; the same figure printed
twice allows the rounding of both printings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from budgetlens.amounts import rounding_tolerance
from budgetlens.parse.extract import Figure


@dataclass(frozen=True)
class Warning_:
    """One finding: a warning code from docs/record.md, a message a person can act on, a page."""

    code: str
    message: str
    page: int | None

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "page": self.page}


def slack(f: Figure) -> Decimal:
    """How far a printed figure may be from the exact value it rounds."""
    if f.value == 0:
        return Decimal(0)
    try:
        return rounding_tolerance(1, f.unit, f.decimals)
    except ValueError:
        return Decimal(0)


def reach(f: Figure) -> Decimal:
    """How far a printing may be from the exact value: its own rounding, or, for a total printed as
    the sum of its rounded lines, the rounding of those lines (whichever is wider)."""
    return max(slack(f), f.line_rounding)


def with_line_rounding(total: Figure, lines: list[Figure]) -> Figure:
    """A table's total row that is exactly the sum of its printed lines may be a total of rounded
    lines rather than the rounded total: it carries the lines' rounding into comparisons with the
    same figure printed elsewhere. Any other total is returned unchanged (no rounding explains it)."""
    if not lines or sum((f.value for f in lines), Decimal(0)) != total.value:
        return total
    return replace(total, line_rounding=sum((slack(f) for f in lines), Decimal(0)))


def shown(f: Figure) -> str:
    """A figure as a person finds it in the document: where, as printed, with its unit when not 元."""
    where = f"{f.table} " if f.table else ""
    return f"{where}{_printed(f)}".strip()


def compare(a: Figure, a_label: str, b: Figure, b_label: str, code: str) -> Warning_ | None:
    """The same quantity printed twice: warn when the two differ beyond their printed rounding.

    Either printing may be a rounded sum of rounded parts (万元 tables: 尾数误差), so each may be off
    by half a unit in its last place: a one-unit difference between two 万元 tables is rounding.
    A total that is the sum of its printed lines carries their rounding instead (`reach`).
    """
    if abs(a.value - b.value) <= reach(a) + reach(b):
        return None
    return Warning_(
        code, f"{_place(a)} {a_label} {_printed(a)} ≠ {_place(b)} {b_label} {_printed(b)}", a.page or b.page
    )


def sum_check(
    total: Figure, total_label: str, parts: list[tuple[str, Figure]], code: str = "sum_mismatch"
) -> Warning_ | None:
    """A printed total against the sum of its printed parts (within the rounding of every term)."""
    if not parts:
        return None
    s = sum((f.value for _, f in parts), Decimal(0))
    tol = reach(total) + sum((reach(f) for _, f in parts), Decimal(0))
    if abs(total.value - s) <= tol:
        return None
    names = " + ".join(f"{n} {_printed(f)}" for n, f in parts)
    return Warning_(
        code, f"{_place(total)} {total_label} {_printed(total)} ≠ {names} = {_yuan_in(s, total)}", total.page
    )


# a total and its parts this far apart (a share of the larger) are no rounding and no slip of the
# document's (a yuan, a 万元 in a thousand): the parser's own reading failed
MISREAD_SHARE = Decimal("0.1")


def misread(total: Figure, parts: list[Figure]) -> bool:
    """Are a printed total and the sum of its printed parts too far apart for any document's slip?"""
    if not parts:
        return False
    s = sum((f.value for f in parts), Decimal(0))
    gap = abs(total.value - s)
    return gap > reach(total) + sum((reach(f) for f in parts), Decimal(0)) and gap > MISREAD_SHARE * max(
        abs(total.value), abs(s)
    )


def blanks_breaking(
    total: Figure | None, parts: list[Figure | None], *, figures_elsewhere: bool = False
) -> list[Figure]:
    """The figures of an identity (total = Σ parts) read from blank cells, when the identity fails too
    far for any document's slip (`misread`), or when every term is blank while the row prints its
    figures in other columns (`figures_elsewhere`): a blank is read as a printed zero only while its
    row holds, so these are not what the document prints (a cell whose figure sits on a page not
    read with its row, or under another column). Empty when the identity holds, or a term is
    missing, or no term is blank."""
    if total is None or not parts or any(p is None for p in parts):
        return []
    terms = [total, *[p for p in parts if p is not None]]
    blanks = [f for f in terms if f.source == "table" and not f.printed.strip()]
    if figures_elsewhere and len(blanks) == len(terms):
        return blanks
    if not blanks or not misread(total, [p for p in parts if p is not None]):
        return []
    return blanks


def sum_of(parts: list[Figure], like: Figure) -> str:
    """The sum of printed parts, in the unit and precision of the figure it is compared with."""
    return _yuan_in(sum((f.value for f in parts), Decimal(0)), like)


def _place(f: Figure) -> str:
    if f.source == "prose":
        return "正文"
    return f.table or "表"


def _printed(f: Figure) -> str:
    if f.source == "prose":
        return f"{f.printed} {f.unit}"
    return f.printed or "0"


def _yuan_in(value: Decimal, like: Figure) -> str:
    """A computed sum in the unit (and precision) of the figure it is compared with."""
    from budgetlens.amounts import unit_multiplier

    try:
        v = value / unit_multiplier(like.unit)
    except Exception:  # noqa: BLE001 - unknown unit: show yuan
        return f"{value:,f} 元"
    decimals = max(like.decimals, 0)
    q = Decimal(1).scaleb(-decimals)
    text = f"{v.quantize(q):,f}"
    return text if like.source == "table" else f"{text} {like.unit}"
