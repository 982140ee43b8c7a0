"""What a layout needs besides the record: variations, number styles and overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from corpus.numbers import NumberStyle, fmt, fullwidth, prose_amount

CN_NUM = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals (十三, 二十一)."""
    if n <= 10:
        return CN_NUM[n] if n < 10 else "十"
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUM[tens]) + "十" + (CN_NUM[ones] if ones else "")


CN_ORD = [cn_number(i) for i in range(1, 29)]  # 一 … 二十八: the ordinals of numbered items ("一、…")


def parse_variations(variations: list[str]) -> dict[str, set[str]]:
    """["numbering:表一", "glyphs:fake_bold", "glyphs:fullwidth"] → {"numbering": {"表一"}, "glyphs": {…}}."""
    out: dict[str, set[str]] = {}
    for v in variations:
        key, _, value = v.partition(":")
        out.setdefault(key, set()).add(value)
    return out


def table_number(style: str, n: int) -> str | None:
    """The number label of table n in a numbering style (None = tables are not numbered)."""
    return {
        "表1": f"表{n}",
        "表 1": f"表 {n}",
        "表一": f"表{cn_number(n)}",
        "附表1": f"附表{n}",
        "公开01表": f"公开{n:02d}表",
        "none": None,
    }[style]


@dataclass
class Ctx:
    """Layout context of one record."""

    record: dict[str, Any]
    render: dict[str, Any]
    vars: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, record: dict[str, Any], render: dict[str, Any]) -> Ctx:
        return cls(record, render, parse_variations(render.get("variations", [])))

    def has(self, key: str, value: str) -> bool:
        return value in self.vars.get(key, set())

    def var(self, key: str, default: str) -> str:
        values = sorted(self.vars.get(key, set()))
        return values[0] if values else default

    # -- figures -----------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return int(self.record["document"]["fiscal_year"])

    @property
    def dept(self) -> str:
        return self.record["document"]["department"]

    @property
    def extra(self) -> dict[str, Any]:
        return self.record.get("extra", {})

    def t(self, name: str) -> str | None:
        return self.record["totals"][name]

    def page_rows(self, kind: str) -> list[int] | None:
        """How many body rows each page of table `kind` takes, when the render fixes it."""
        return (self.render.get("page_rows") or {}).get(kind)

    def table_meta(self, kind: str) -> dict[str, Any]:
        for t in self.record.get("tables", []):
            if t["kind"] == kind:
                return t
        return {"kind": kind, "unit": "万元", "decimals": 0, "empty": False}

    def style(self, kind: str) -> NumberStyle:
        meta = self.table_meta(kind)
        zero = self.var("zero", "0")
        zero = {"dash": "-", "emdash": "—", "blank": "", "0.00": "0.00", "0": "0"}.get(zero, "0")
        return NumberStyle(unit=meta["unit"], decimals=int(meta.get("decimals", 0)), zero=zero)

    def n(self, value: str | Decimal | None, kind: str) -> str:
        """A figure printed in table `kind`'s style."""
        return fmt(value, self.style(kind))

    # -- overrides ---------------------------------------------------------------------------
    def override(self, place: str, row: str, col: str) -> dict[str, Any] | None:
        for o in self.render.get("overrides", []):
            if o["place"] == place and o["row"] == row and o["col"] == col:
                return o
        return None

    def pf(
        self, row: str, col: str, value: str | Decimal | None, unit: str = "万元", decimals: int = 2
    ) -> str:
        """A figure in prose sentence `row` (overridable as place "prose")."""
        o = self.override("prose", row, col)
        if o is not None:
            if "text" in o:
                return o["text"]
            value = o["value"]
        text = prose_amount(value, unit, decimals)
        return fullwidth(text) if self.has("glyphs", "fullwidth") else text

    def apply_overrides(
        self, place: str, rows: list[list[str]], row_keys: list[tuple[str, ...]], col_keys: list[str]
    ) -> None:
        """Replace overridden cells of a built table in place."""
        for o in self.render.get("overrides", []):
            if o["place"] != place or o["col"] not in col_keys:
                continue
            c = col_keys.index(o["col"])
            side = 0 if o["col"].startswith("in.") else -1
            for i, keys in enumerate(row_keys):
                if keys and keys[side] == o["row"]:
                    rows[i][c] = o["text"] if "text" in o else self.n(o["value"], place)
