"""What the layouts (Shenzhen 13 tables, Shanghai 9 tables, final accounts) share: how a table is
made from its cells, the rows of two-sided (income | expense) tables, the 三公 group's header and the
类 | 款 | 项 code columns' header."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from budgetlens.identities import APPROPRIATION
from corpus.context import Ctx
from corpus.model import Cell, Table

Item = tuple[str, Any, str]  # (label, figure, key): one line of a side of a two-sided table
APPROPRIATIONS = (APPROPRIATION.total, *APPROPRIATION.parts)  # 财政拨款 and its three funds


def D(v: str | Decimal | None) -> Decimal:
    return Decimal(v) if v is not None else Decimal(0)


class Layout:
    """One department's blocks in a template; a subclass says how its tables are framed."""

    template = ""

    def __init__(self, ctx: Ctx, sample_notice: bool):
        self.c = ctx
        self.sample_notice = sample_notice

    def table(
        self,
        kind: str,
        header: list[list[Cell | None]],
        rows: list[list[str]],
        keys: list[tuple[str, ...]],
        cols: list[str],
        widths: list[float],
        align: str,
        **kw: Any,
    ) -> Table:
        """Table `kind` with the truth's overrides put into its cells (`keys` name the rows, `cols`
        the columns); `frame` adds title, number, department and unit lines, notes and the like."""
        self.c.apply_overrides(kind, rows, keys, cols)
        return Table(
            header=header, rows=rows, widths=widths, align=list(align), kind=kind, **self.frame(kind, kw)
        )

    def frame(self, kind: str, kw: dict[str, Any]) -> dict[str, Any]:
        """The Table fields of table `kind` besides its cells, from the caller's keywords `kw`."""
        raise NotImplementedError


def labelled(labels: Iterable[str], keys: Iterable[str], figure: Callable[[str], Any]) -> list[Item]:
    """(label, figure of key, key) for each label and key in turn."""
    return [(label, figure(key), key) for label, key in zip(labels, keys, strict=True)]


def paired_rows(income: list[Item], expense: list[Item]) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """Income and expense items side by side (the shorter side blank below its end): rows of
    [label, figure, label, figure] and their (income key, expense key)."""
    rows, keys = [], []
    for a, b in zip_longest(income, expense, fillvalue=("", "", "")):
        rows.append([a[0], a[1], b[0], b[1]])
        keys.append((a[2], b[2]))
    return rows, keys


def three_public_head(
    first: Cell, travel: str, vehicle: str, parts: tuple[str, str]
) -> tuple[list[Cell | None], list[Cell | None]]:
    """The 三公 group's two header rows: `first` (its total), 因公出国 (`travel`) and 公务接待费, each
    two rows high, then `vehicle` over 小计 and its two `parts` (购置, 运行)."""
    return (
        [first, Cell(travel, rowspan=2), Cell("公务接待费", rowspan=2), Cell(vehicle, colspan=3), None, None],
        [None, None, None, Cell("小计"), Cell(parts[0]), Cell(parts[1])],
    )


def code_columns_head(code: str, name: str, amounts: list[str]) -> list[list[Cell | None]]:
    """Two header rows of a function table with codes over 类 | 款 | 项: `code` over the three
    code columns, then `name` and each of the `amounts`, two rows high."""
    return [
        [Cell(code, colspan=3), None, None, Cell(name, rowspan=2), *[Cell(h, rowspan=2) for h in amounts]],
        [Cell("类"), Cell("款"), Cell("项"), None, *[None] * len(amounts)],
    ]
