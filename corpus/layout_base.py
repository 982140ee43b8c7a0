"""What the layouts (Shenzhen 13 tables, Shanghai 9 tables, final accounts) share: how a table is
made from its cells."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from corpus.context import Ctx
from corpus.model import Cell, Table


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
