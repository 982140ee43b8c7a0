"""Layout families of real publishers, printed from the same truth as the Shenzhen 13-table layout.

Each family is a variation of `render.variations` (docs/corpus.md, "Layout families") that changes
how one table prints, never what it says: the figures are the truth's, only their arrangement
differs. The families are the shapes the parser learned from real documents (docs/record.md, "How a
table is recognised"):

- `three_public:fund_matrix`: the 三公 table as a category × fund matrix (总计, 因公出国, 公务接待,
  公务用车 小计 / 购置 / 运行, each split into 一般公共预算 | 政府性基金预算 | 国有资本经营预算), one row
  per year (prior year, budget year, 增减变化金额), as Shenzhen prints it from 2026 (深圳市信访局);
- `three_public:fund_matrix_meeting_training`: the same matrix with 会议费 and 培训费 blocks beside
  the 三公 blocks, one row (the budget year), the first block the 三公 total (“三公”经费合计): Wuxi's
  三公、会议费、培训费 table drawn as Shenzhen's fund matrix;
- `three_public:admin_rows`: 行政经费 and the 三公 categories as rows under 合计 | 一般公共预算 |
  政府性基金预算 | 国有资本经营预算, as Guangzhou prints its 财政拨款安排的行政经费及“三公”经费预算表,
  here opened by a 合计 row over both (the field notes' "a 合计 that covers both"): neither that row
  nor the 合计 column's first figure is the 三公 total;
- `three_public:admin_columns`: one row of columns, 合计 over 机关运行经费 and the 三公 group (小计,
  出国, 接待, 公务用车 小计 / 购置 / 运行): Shanghai's 三公 + 机关运行经费 table under an overall 合计;
- `codes:names_indent` / `codes:names_offset`: the function table prints names only, the 类 / 款 / 项
  level shown by leading full-width spaces or by the cell's x-offset (杭州);
- `codes:bracket_in_name`: codes inside the name column ("[201]一般公共服务支出"), nested by x-offset
  (广州);
- `codes:split_once`: codes over 类 | 款 | 项 columns, each row printing only its own part ("205 | |",
  "| 08 |", "| | 03"), as Yantai prints them;
- `economic:side_by_side`: the basic-expenditure table by economic class printed as two groups of
  科目编码 | 科目名称 | 金额 side by side (工资福利支出 on the left half, 商品和服务支出 and after on
  the right half of the same rows), as the central government prints it (国家信访局).

Nothing here draws at random: a family is fixed by its variation, and the figures by the truth.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from budgetlens.identities import THREE_PUBLIC_FIELDS
from corpus.layout_base import code_columns_head, three_public_head
from corpus.model import Cell, Table

if TYPE_CHECKING:
    from corpus.layout_shenzhen import Shenzhen13

THREE_PUBLIC_FAMILIES = ("fund_matrix", "fund_matrix_meeting_training", "admin_rows", "admin_columns")
FUNCTION_FAMILIES = ("names_indent", "names_offset", "bracket_in_name", "split_once")
FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
FUND_KEYS = ("", ":gov_fund", ":state_capital")
INDENT = "\u3000"  # a full-width space: one character of indentation


def D(v: Any) -> Decimal:
    return Decimal(str(v)) if v is not None else Decimal(0)


def three_public_family(lay: Shenzhen13) -> str | None:
    """The 三公 family a document prints, if any."""
    return next((f for f in THREE_PUBLIC_FAMILIES if lay.c.has("three_public", f)), None)


def function_family(lay: Shenzhen13) -> str | None:
    return next((f for f in FUNCTION_FAMILIES if lay.c.has("codes", f)), None)


# ---------------------------------------------------------------- the 三公 table


def _signed(lay: Shenzhen13, v: Decimal, kind: str) -> str:
    return lay.c.n(v, kind) if v >= 0 else "-" + lay.c.n(-v, kind)


def _years(lay: Shenzhen13) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """(prior year, budget year) figures of the 三公 categories and 会议费 / 培训费."""
    t = lay.c.record["totals"]
    prior = lay.c.extra.get("prior_year", {})
    cur = {f: D(t.get(f)) for f in THREE_PUBLIC_FIELDS}
    old = {f: D(prior.get(f)) for f in THREE_PUBLIC_FIELDS}
    ex, pex = lay.c.extra.get("three_public_extra", {}), prior.get("three_public_extra", {})
    for f in ("meeting", "training"):
        cur[f], old[f] = D(ex.get(f)), D(pex.get(f))
    return old, cur


def fund_matrix(lay: Shenzhen13, meeting_training: bool) -> Table:
    """Categories × funds: each category a block of 一般公共预算 | 政府性基金预算 | 国有资本经营预算.

    The general-budget column holds the truth's figure, the other funds print nil (a 一般公共预算
    三公 table: the department has no fund money for 三公)."""
    k = "three_public"
    cats: list[tuple[str, str]] = [
        ("“三公”经费合计" if meeting_training else "总计", "three_public_total"),
        ("因公出国(境)费", "overseas_travel"),
        ("公务接待费", "official_reception"),
    ]
    vehicle = [
        ("小计", "vehicle_total"),
        ("公务用车购置费", "vehicle_purchase"),
        ("公务用车运行维护费", "vehicle_operation"),
    ]
    tail = [("会议费", "meeting"), ("培训费", "training")] if meeting_training else []
    lead = [Cell("预算单位", rowspan=3)] + ([] if meeting_training else [Cell("年度", rowspan=3)])
    nlead = len(lead)
    top: list[Cell | None] = list(lead)
    mid: list[Cell | None] = [None] * nlead
    funds: list[Cell | None] = [None] * nlead
    for label, _ in cats:
        top += [Cell(label, colspan=3, rowspan=2), None, None]
        mid += [None, None, None]
    top += [Cell("公务用车购置及运行维护费", colspan=9)] + [None] * 8
    for label, _ in vehicle:
        mid += [Cell(label, colspan=3), None, None]
    for label, _ in tail:
        top += [Cell(label, colspan=3, rowspan=2), None, None]
        mid += [None, None, None]
    blocks = cats + vehicle + tail
    for _ in blocks:
        funds += [Cell(f) for f in FUNDS]
    header = [top, mid, funds]
    cols = ["unit"] + ([] if meeting_training else ["year"])
    cols += [f + fk for _, f in blocks for fk in FUND_KEYS]
    old, cur = _years(lay)

    def figures(src: dict[str, Decimal], signed: bool = False) -> list[str]:
        out = []
        for _, f in blocks:
            v = src[f]
            out += [_signed(lay, v, k) if signed else lay.c.n(v, k), lay.c.n("0", k), lay.c.n("0", k)]
        return out

    if meeting_training:
        rows = [[lay.c.dept, *figures(cur)]]
        keys: list[tuple[str, ...]] = [("current",)]
    else:
        diff = {f: cur[f] - old[f] for f in cur}
        py = lay.c.extra.get("prior_year", {}).get("year", lay.c.year - 1)
        rows = [
            [lay.c.dept, f"{py}年", *figures(old)],
            ["", f"{lay.c.year}年", *figures(cur)],
            ["", "增减变化金额", *figures(diff, signed=True)],
        ]
        keys = [("prior",), ("current",), ("change",)]
    widths = [1.6] + ([] if meeting_training else [0.9]) + [0.75] * (3 * len(blocks))
    return lay.table(
        k,
        header,
        rows,
        keys,
        cols,
        widths,
        "L" + ("" if meeting_training else "C") + "R" * (3 * len(blocks)),
        base="一般公共预算“三公”经费、会议费、培训费支出表"
        if meeting_training
        else "财政拨款“三公”经费支出表",
        notes=["注：本套报表金额单位转换时可能存在尾数误差。"],
        orientation="landscape",
        wrap_cols=frozenset({0}),
        font_size=7.0,
    )


def admin_rows(lay: Shenzhen13) -> Table:
    """行政经费 and the 三公 categories as rows, funds as columns, a 合计 row over both first."""
    k = "three_public"
    t = lay.c.record["totals"]
    admin = D(t.get("agency_running_cost"))
    _, cur = _years(lay)
    lines = [
        ("合计", admin + cur["three_public_total"], "total"),
        ("行政经费", admin, "agency_running_cost"),
        ("“三公”经费", cur["three_public_total"], "three_public_total"),
        ("其中：（一）因公出国（境）支出", cur["overseas_travel"], "overseas_travel"),
        ("（二）公务用车购置及运行维护支出", cur["vehicle_total"], "vehicle_total"),
        ("1.公务用车购置费", cur["vehicle_purchase"], "vehicle_purchase"),
        ("2.公务用车运行维护费", cur["vehicle_operation"], "vehicle_operation"),
        ("（三）公务接待费支出", cur["official_reception"], "official_reception"),
    ]
    header: list[list[Cell | None]] = [[Cell("项目"), Cell("合计"), *[Cell(f) for f in FUNDS]]]
    rows = [[label, lay.c.n(v, k), lay.c.n(v, k), lay.c.n("0", k), lay.c.n("0", k)] for label, v, _ in lines]
    t_ = lay.table(
        k,
        header,
        rows,
        [(key,) for _, _, key in lines],
        ["name", "total", "general", "gov_fund", "state_capital"],
        [3.4, 1.3, 1.3, 1.3, 1.3],
        "LRRRR",
        base="财政拨款安排的行政经费及“三公”经费预算表",
        notes=["注：无。"],
        bold_rows=frozenset({0}),
    )
    t_.indents = {(3, 0): 1, (4, 0): 1, (5, 0): 2, (6, 0): 2, (7, 0): 1}
    return t_


def admin_columns(lay: Shenzhen13) -> Table:
    """One row: 合计 over 机关运行经费 and the 三公 group (its own 小计 the 三公 total)."""
    k = "three_public"
    t = lay.c.record["totals"]
    admin = D(t.get("agency_running_cost"))
    _, cur = _years(lay)
    top, sub = three_public_head(
        Cell("小计", rowspan=2), "因公出国\n(境)费", "公务用车购置及运行维护费", ("购置费", "运行维护费")
    )
    lead: list[Cell | None] = [
        Cell("预算单位", rowspan=3),
        Cell("合计", rowspan=3),
        Cell("机关运行经费", rowspan=3),
    ]
    header: list[list[Cell | None]] = [
        [*lead, Cell("“三公”经费", colspan=6), *[None] * 5],
        [None, None, None, *top],
        [None, None, None, *sub],
    ]
    values = [admin + cur["three_public_total"], admin] + [cur[f] for f in THREE_PUBLIC_FIELDS]
    cols = ["unit", "total", "agency_running_cost", *THREE_PUBLIC_FIELDS]
    return lay.table(
        k,
        header,
        [[lay.c.dept, *[lay.c.n(v, k) for v in values]]],
        [("current",)],
        cols,
        [2.4, 1.1, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1],
        "LRRRRRRRR",
        base="机关运行经费及“三公”经费预算表",
        orientation="landscape",
        wrap_cols=frozenset({0}),
    )


def three_public(lay: Shenzhen13, family: str) -> Table:
    if family == "fund_matrix":
        return fund_matrix(lay, meeting_training=False)
    if family == "fund_matrix_meeting_training":
        return fund_matrix(lay, meeting_training=True)
    if family == "admin_rows":
        return admin_rows(lay)
    return admin_columns(lay)


# ---------------------------------------------------------------- the function table


def function_table(
    lay: Shenzhen13, family: str, kind: str, lines: list[dict[str, Any]], totals: tuple[str, str, str]
) -> Table:
    """A function table of one of the families that print no code column of their own."""
    n = lay.c.n
    amounts_of = [n(v, kind) for v in totals]
    rows: list[list[str]] = []
    keys: list[tuple[str, ...]] = []
    indents: dict[tuple[int, int], int] = {}
    if family == "split_once":
        header = code_columns_head("科目编码", "科目名称", ["合计", "基本支出", "项目支出"])
        cols = ["c1", "c2", "c3", "name", "total", "basic", "project"]
        widths, align, name_col = [0.7, 0.6, 0.6, 3.6, 1.3, 1.3, 1.3], "CCCLRRR", 3
    elif family == "bracket_in_name":
        header = [
            [Cell("功能科目名称", rowspan=2), Cell("一般公共预算支出", colspan=3), None, None],
            [None, Cell("小计"), Cell("其中：基本支出"), Cell("项目支出")],
        ]
        cols = ["name", "total", "basic", "project"]
        widths, align, name_col = [4.6, 1.4, 1.4, 1.4], "LRRR", 0
    else:
        header = [[Cell("功能分类科目名称"), Cell("合计"), Cell("基本支出"), Cell("项目支出")]]
        cols = ["name", "total", "basic", "project"]
        widths, align, name_col = [4.6, 1.4, 1.4, 1.4], "LRRR", 0
    for ln in lines:
        code, level = ln["code"], ln["level"]
        amounts = [n(ln["total"], kind), n(ln["basic"], kind), n(ln["project"], kind)]
        if family == "split_once":
            parts = ["", "", ""]
            parts[level - 1] = code[:3] if level == 1 else code[2 * level - 1 : 2 * level + 1]
            rows.append([*parts, ln["name"], *amounts])
        elif family == "bracket_in_name":
            rows.append([f"[{code}]{ln['name']}", *amounts])
        elif family == "names_indent":
            rows.append([INDENT * (level - 1) + ln["name"], *amounts])
        else:
            rows.append([ln["name"], *amounts])
        if family in ("names_offset", "bracket_in_name", "split_once") and level > 1:
            indents[(len(rows) - 1, name_col)] = level - 1
        keys.append((code,))
    at = lay.add_total(rows, keys, [""] * name_col + ["合计", *amounts_of])
    if at == 0:  # the total went first: every line a row further down
        indents = {(r + 1, c): v for (r, c), v in indents.items()}
    t = lay.table(
        kind,
        header,
        rows,
        keys,
        cols,
        widths,
        align,
        bold_rows=frozenset({at}) if lines else frozenset(),
        wrap_cols=frozenset({name_col}),
    )
    t.indents = indents
    return t


# ---------------------------------------------------------------- the economic classification


def economic_side_by_side(lay: Shenzhen13) -> Table:
    """The basic expenditure by economic class as two groups of 科目编码 | 科目名称 | 金额 on the
    same rows: class 301 (工资福利支出) on the left, 302 and after on the right; 合计 last."""
    k = "basic_expense"
    n = lay.c.n
    econ = lay.c.record["economic_lines"]
    left = [ln for ln in econ if ln["code"][:3] == "301"]
    right = [ln for ln in econ if ln["code"][:3] != "301"]
    head: list[Cell | None] = [Cell("科目编码"), Cell("科目名称"), Cell("金额")]
    header: list[list[Cell | None]] = [head + [Cell("科目编码"), Cell("科目名称"), Cell("金额")]]
    rows, keys = [], []
    for a, b in zip_longest(left, right):
        row = []
        for ln in (a, b):
            row += [ln["code"], ln["name"], n(ln["amount"], k)] if ln else ["", "", ""]
        rows.append(row)
        keys.append((a["code"] if a else "", b["code"] if b else ""))
    total = sum((D(ln["amount"]) for ln in econ), Decimal(0))
    rows.append(["", "合计", n(total, k), "", "", ""])
    keys.append(("total", ""))
    return lay.table(
        k,
        header,
        rows,
        keys,
        ["code", "name", "amount", "r.code", "r.name", "r.amount"],
        [1.0, 2.6, 1.3, 1.0, 2.6, 1.3],
        "CLRCLR",
        bold_rows=frozenset({len(rows) - 1}),
        wrap_cols=frozenset({1, 4}),
    )
