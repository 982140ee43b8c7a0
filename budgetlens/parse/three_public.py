"""The 三公 table: the budget year's 三公经费 and its parts, whatever the table's shape.

Real 三公 tables come as
- one row of columns (总计 | 因公出国 | 公务接待 | 公务用车 小计 | 购置 | 运行), possibly beside 会议费 /
  培训费 / 机关运行经费 columns under an overall 合计;
- column groups by year or by kind of figure (2025年预算数 | 2026年预算数; 预算数 | 决算数): the group of
  the document's year and kind is read;
- a matrix of category × fund (每类 一般公共预算 | 政府性基金 | 国有资本经营), one row per year and
  per unit: the all-funds column of each category when printed, else its general-budget column;
- rows (行政经费 / "三公"经费 / 其中：因公出国 … as row labels), with fund or year columns.

The reading is confirmed by the table's own identities (total = 出国 + 接待 + 公务用车; 公务用车 =
购置 + 运行, within the printed rounding). A reading that fails them is a misreading (or a table
that contradicts itself): its figures are not used, and the caller says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetlens import identities as ids
from budgetlens.parse.crossfoot import slack
from budgetlens.parse.extract import (
    Figure,
    column_roles,
    figure,
    header_label,
    is_amount_text,
    row_key,
)
from budgetlens.parse.grid import Cell, is_column_number_row
from budgetlens.parse.normalize import key
from budgetlens.parse.tables import Table

PARTS = ids.THREE_PUBLIC.parts
VEHICLE_PARTS = ids.VEHICLE.parts
FIELDS = ids.THREE_PUBLIC_FIELDS

COLUMN_ROLES = {
    "overseas_travel": (("出国",), ()),
    "official_reception": (("接待",), ()),
    "leaf:vehicle_purchase": (("购置",), ("运行",)),
    # never a leaf that also names 购置: 购置及运行 is the vehicle total, and two headers run
    # together ('公务用车购置费公务用车运行维护费') name no one column
    "leaf:vehicle_operation": (("运行",), ("购置", "机关运行")),
    "agency_running_cost": (("机关运行经费",), ()),
    "meeting": (("会议费",), ()),
    "training": (("培训费",), ()),
}
_TOTAL_WORDS = ("合计", "小计", "总额", "总计", "预算数")
_FUNDS = (("一般公共",), ("政府性基金",), ("国有资本",))


@dataclass
class Reading:
    """What the table says for the budget year, and whether the reading holds together."""

    figures: dict[str, Figure]
    failed: list[str]  # identities the reading fails, as a person would read them


def read(table: Table, fiscal_year: int | None, kind: str | None = None) -> Reading:
    """The 三公 figures of the budget year (or, in final accounts, the 决算 figures)."""
    if _row_oriented(table):
        figs = _by_rows(table, fiscal_year, kind)
    else:
        figs = _by_columns(table, fiscal_year, kind)
    return Reading(figs, identity_failures(figs))


def read_adjusted_budget(table: Table, fiscal_year: int | None) -> Reading | None:
    """The 预算数 printed beside the 决算数 in a final-accounts 三公 table (the full-year budget after
    adjustments), keyed like `read`'s figures; None when the table prints no such group (a 预算数
    column is one only where 决算数 columns stand beside it)."""
    paths = [_path_key(table, j) for j in range(len(table.grid.columns))]
    if not any("决算" in p for p in paths) or not any("预算" in p and "决算" not in p for p in paths):
        return None
    if not _row_oriented(table) and _matrix_blocks(table):
        return None  # a category × fund matrix has no 预算数 | 决算数 groups to tell apart
    figs = read(table, fiscal_year, "budget").figures
    final = read(table, fiscal_year, "final_accounts").figures
    if not figs or any(
        figs[f].bbox is not None and figs[f].bbox == final[f].bbox for f in figs if f in final
    ):
        return None  # the same cells as the 决算数: no separate 预算数 group was found
    figs = {f: fig for f, fig in figs.items() if f in FIELDS}
    return Reading(figs, identity_failures(figs))


def identity_failures(figs: dict[str, Figure]) -> list[str]:
    """The 三公 identities that the figures break beyond their printed rounding. Where no 公务用车
    total was read, its parts stand in for it in the 三公 sum (出国 + 接待 + 购置 + 运行); where some
    parts were not read, the total is at least the sum of those that were."""
    out = []
    checks = [(i.total, i.parts) for i in ids.THREE_PUBLIC_IDENTITIES]
    vehicle = ids.VEHICLE.total
    if vehicle not in figs and all(p in figs for p in ids.VEHICLE.parts):
        parts = tuple(p for p in ids.THREE_PUBLIC.parts if p != vehicle) + ids.VEHICLE.parts
        checks.append((ids.THREE_PUBLIC.total, parts))
    for total, parts in checks:
        present = [p for p in parts if p in figs]
        if total not in figs or not present:
            continue
        t = figs[total]
        s = sum((figs[p].value for p in present), Decimal(0))
        tol = sum((slack(figs[f]) for f in (total, *present)), Decimal(0))
        shown = " + ".join(figs[p].printed or "0" for p in present)
        if len(present) == len(parts) and abs(t.value - s) > tol:
            out.append(f"{t.label or total} {t.printed} ≠ {shown}")
        elif len(present) < len(parts) and t.value + tol < s:
            # 三公 figures are never negative: a total below the parts read beside it is a misreading
            out.append(f"{t.label or total} {t.printed} < {shown}")
    return out


# ---------------------------------------------------------------- rows as categories


_ROW_WORDS = {
    "overseas_travel": ("出国",),
    "official_reception": ("接待",),
}


def _row_oriented(table: Table) -> bool:
    """Categories are row labels (因公出国 … in the rows), not column headers."""
    labels = [key(_row_label(r)) for r in table.grid.rows]
    return sum(1 for w in ("出国", "接待", "公务用车") if any(w in lb for lb in labels)) >= 2


def _row_label(row) -> str:
    return " ".join(c.text for c in row if c.text and not is_amount_text(c.text))


def _value_column(table: Table, fiscal_year: int | None, kind: str | None) -> int | None:
    """The column of a row-oriented table that holds the figure wanted: the year's (or 决算) column,
    else an all-funds 合计 column, else the first column of figures."""
    amount_cols = [
        j
        for j in range(len(table.grid.columns))
        if any(is_amount_text(r[j].text) for r in table.grid.rows if j < len(r))
    ]
    if not amount_cols:
        return None
    paths = {j: "".join(key(p) for p in table.grid.paths[j]) for j in amount_cols}
    chosen = _group_columns(paths, fiscal_year, kind)
    for j in chosen:
        if any(w in paths[j] for w in ("合计", "总计", "小计")) or not any(
            any(w in paths[j] for w in f) for f in _FUNDS
        ):
            return j
    return chosen[0] if chosen else amount_cols[0]


def _by_rows(table: Table, fiscal_year: int | None, kind: str | None) -> dict[str, Figure]:
    j = _value_column(table, fiscal_year, kind)
    if j is None:
        return {}
    out: dict[str, Figure] = {}
    labels = [row_key(_row_label(r)) for r in table.grid.rows]
    # a 合计 row is the 三公 total only in a table of the 三公 categories alone
    other_costs = any(w in lb for lb in labels for w in ("行政经费", "机关运行", "会议", "培训"))
    for row, lab in zip(table.grid.rows, labels, strict=True):
        if not lab or j >= len(row):
            continue
        field = _row_field(lab)
        if field is None and lab in ("合计", "总计") and not other_costs:
            field = "three_public_total"
        if field is None or field in out:
            continue
        f = figure(row[j], table.unit, table, lab)
        if f is not None:
            out[field] = f
    return out


def _row_field(lab: str) -> str | None:
    if "三公" in lab:
        return "three_public_total"
    if "公务用车" in lab or "购置" in lab or "运行" in lab:
        if "机关运行" in lab:
            return None
        if "购置" in lab and "运行" in lab:
            return "vehicle_total"
        if "购置" in lab:
            return "vehicle_purchase"
        if "运行" in lab:
            return "vehicle_operation"
        return "vehicle_total"
    for field, words in _ROW_WORDS.items():
        if any(w in lab for w in words):
            return field
    return None


# ---------------------------------------------------------------- columns as categories


def _group_columns(paths: dict[int, str], fiscal_year: int | None, kind: str | None) -> list[int]:
    """The columns of the group a reader wants when the header groups columns by year or by
    预算数 / 决算数: the document's year, 决算 in final accounts; all columns when ungrouped."""
    cols = sorted(paths)
    years = {j: set(re.findall(r"(20\d\d)年", paths[j])) for j in cols}
    if fiscal_year is not None and any(years.values()):
        own = [j for j in cols if str(fiscal_year) in years[j] and "决算" not in paths[j]]
        if kind == "final_accounts":
            own = [j for j in cols if str(fiscal_year) in years[j]] or own
        if own:
            return own
    kinds = {j: ("决算" in paths[j], "预算" in paths[j]) for j in cols}
    if any(k[0] for k in kinds.values()) and any(k[1] and not k[0] for k in kinds.values()):
        want_final = kind == "final_accounts"
        picked = [j for j in cols if kinds[j][0] == want_final]
        if picked:
            return picked
    return cols


# a leaf that names the kind of figure (预算数 | 决算数 under each category), not a category
_KIND_LEAF = re.compile(r"^(20\d\d年度?)?(年初|全年|调整)?(预算数?|决算数?|执行数|金额)$")


def _without_kind_leaf(paths: list[list[str]]) -> list[list[str]]:
    """The chosen columns' header paths without the leaf they all share as the kind of figure:
    where each category is split into 预算数 | 决算数 below its name, the category names the
    column."""
    if len(paths) > 1 and all(len(p) > 1 and _KIND_LEAF.match(key(p[-1])) for p in paths):
        return [p[:-1] for p in paths]
    return paths


def _fund_of(path: str) -> int | None:
    for n, words in enumerate(_FUNDS):
        if any(w in path for w in words):
            return n
    return None


def _path_key(table: Table, j: int) -> str:
    return "".join(key(p) for p in table.grid.paths[j]) if j < len(table.grid.paths) else ""


# the funds' names in full, as a header begins them ('一般公' over '共预算' in a narrow column)
_FUND_NAMES = ("一般公共预算", "政府性基金预算", "国有资本经营预算")


def _fund_rows(table: Table) -> int | None:
    """The first header row that names funds: a fund word in one cell, or the start of a fund's
    name whose column's header, read down from there, names that fund (narrow columns wrap every
    fund name: 一般公 / 共预算, 政府性 / 基金预 / 算)."""
    header = table.grid.header
    for r, row in enumerate(header):
        for j, c in enumerate(row):
            k = key(c.text)
            if not k:
                continue
            if _fund_of(k) is not None:
                return r
            if len(k) >= 3 and any(name.startswith(k) for name in _FUND_NAMES):
                down = "".join(key(h[j].text) for h in header[r:] if j < len(h))
                if _fund_of(down) is not None:
                    return r
    return None


def _matrix_blocks(table: Table) -> list[list[int]] | None:
    """Category × fund matrices: the lowest header rows name funds, repeated; consecutive fund
    columns form one category block. None when the table is not such a matrix."""
    first = _fund_rows(table)
    if first is None:
        return None
    n = len(table.grid.columns)
    funds = [
        _fund_of("".join(key(row[j].text) for row in table.grid.header[first:] if j < len(row)))
        for j in range(n)
    ]
    blocks: list[list[int]] = []
    current: list[int] = []
    for j, f in enumerate(funds):
        if f is None:
            if current:
                blocks.append(current)
                current = []
            continue
        if current and f <= funds[current[-1]]:
            blocks.append(current)
            current = []
        current.append(j)
    if current:
        blocks.append(current)
    if len(blocks) < 3:
        return None
    return [[j for j in b] for b in blocks] if all(funds[b[0]] == 0 for b in blocks) else None


def _block_path(table: Table, block: list[int]) -> list[str]:
    """The category header over a block: the header texts above the fund rows over any of its
    columns (a merged or centred category label stands over one column of its block)."""
    first = _fund_rows(table) or 0
    out: list[str] = []
    for row in table.grid.header[:first]:
        for j in block:
            t = row[j].text if j < len(row) else ""
            if t and t not in out:
                out.append(t)
    return out


def _by_columns(table: Table, fiscal_year: int | None, kind: str | None) -> dict[str, Figure]:
    i = _row(table, fiscal_year, kind)
    if i is None:
        return {}
    row = table.grid.rows[i]
    n = len(table.grid.columns)
    blocks = _matrix_blocks(table)
    if blocks:
        # one column per category: the general-budget column (an all-funds figure is never printed
        # inside a fund block); the category is named by the header over the block
        cols: list[int] = []
        paths: list[list[str]] = []
        for b in blocks:
            cols.append(b[0])  # the block's first column: 一般公共预算
            paths.append(_block_path(table, b))
    else:
        full = {
            j: "".join(key(p) for p in table.grid.paths[j]) for j in range(n) if j < len(table.grid.paths)
        }
        cols = _group_columns(full, fiscal_year, kind)
        paths = _without_kind_leaf([table.grid.paths[j] for j in cols])
    roles = _column_roles(table, cols, paths)
    if ids.THREE_PUBLIC.total not in roles:
        j = _subtotal_of_parts(table, row, cols, paths, roles)
        if j is not None:
            roles[ids.THREE_PUBLIC.total] = j
    out: dict[str, Figure] = {}
    for role, j in roles.items():
        if role not in FIELDS and role != "agency_running_cost":
            continue
        f = figure(row[j], table.unit, table, header_label(table, j))
        if f is not None:
            out[role] = f
    return out


def _subtotal_of_parts(
    table: Table, row: list[Cell], cols: list[int], paths: list[list[str]], roles: dict[str, int]
) -> int | None:
    """The 三公 total where its header does not name it: the one 小计 / 合计 column, outside 公务用车
    and 机关运行经费, whose figure is the sum of the three parts' figures in the row (a group label
    '"三公"经费' centred over part of its span names only the middle columns)."""
    parts = [roles.get(f) for f in ids.THREE_PUBLIC.parts]
    if any(j is None for j in parts):
        return None
    figs = [figure(row[j], table.unit, table) for j in parts]  # type: ignore[index]
    if any(f is None for f in figs):
        return None
    found = []
    for k, j in enumerate(cols):
        keyed = [key(p) for p in paths[k]]
        if j in roles.values() or not keyed or keyed[-1] not in ("小计", "合计"):
            continue
        if any("公务用车" in p or "机关运行" in p for p in keyed):
            continue
        total = figure(row[j], table.unit, table)
        if total is None or total.value == 0:
            continue
        gap = abs(total.value - sum((f.value for f in figs), Decimal(0)))  # type: ignore[union-attr]
        if gap <= sum((slack(f) for f in (total, *figs)), Decimal(0)):  # type: ignore[arg-type]
            found.append(j)
    return found[0] if len(found) == 1 else None


def _column_roles(table: Table, cols: list[int], paths: list[list[str]]) -> dict[str, int]:
    """Roles of the chosen columns by their header words (the 三公 total told apart from an overall
    合计 over 三公 + 会议费 + 培训费, and a 小计 just left of 购置 and 运行 taken for 公务用车)."""
    view = _View(table, cols, paths)
    found = column_roles(view, COLUMN_ROLES)  # type: ignore[arg-type]
    roles = {r: cols[k] for r, k in found.items()}
    keyed = [[key(p) for p in path] for path in paths]
    leafs = [k[-1] if k else "" for k in keyed]
    fulls = ["".join(k) for k in keyed]
    for k, j in enumerate(cols):
        if ("购置" in leafs[k] and "运行" in leafs[k]) or (
            leafs[k] in ("小计", "合计") and "公务用车" in fulls[k] and "购置" in fulls[k]
        ):
            roles.setdefault("vehicle_total", j)
    if "vehicle_total" not in roles and "vehicle_purchase" in roles:
        k = cols.index(roles["vehicle_purchase"])
        if k > 0 and leafs[k - 1] in ("小计", "合计") and "三公" not in fulls[k - 1]:
            roles["vehicle_total"] = cols[k - 1]
    if "vehicle_total" not in roles:
        for k, j in enumerate(cols):
            if (
                "公务用车" in fulls[k]
                and "购置" in fulls[k]
                and "运行" in fulls[k]
                and j not in roles.values()
            ):
                roles["vehicle_total"] = j
                break
    totals = [
        cols[k]
        for k in range(len(cols))
        if any(w in leafs[k] for w in _TOTAL_WORDS)
        and "公务用车" not in fulls[k]
        and "机关运行" not in fulls[k]
        and cols[k] not in roles.values()
    ]
    if totals:
        if "meeting" in roles or "training" in roles or "agency_running_cost" in roles:
            # a 合计 over 三公 and other costs is not the 三公 total: only a total inside the 三公 group
            inner = [
                j
                for j in totals
                if "三公" in leafs[cols.index(j)]
                or ("三公" in fulls[cols.index(j)] and len(paths[cols.index(j)]) > 1)
            ]
            if inner:
                roles["three_public_total"] = inner[0]
        else:
            three = [j for j in totals if "三公" in fulls[cols.index(j)]]
            roles["three_public_total"] = (three or totals)[0]
    else:
        # the 三公 total may be headed by the group's name alone ("三公"经费 / "三公"经费预算总额)
        for k, j in enumerate(cols):
            if "三公" in leafs[k] and j not in roles.values():
                roles["three_public_total"] = j
                break
    roles.pop("meeting", None)
    roles.pop("training", None)
    return roles


class _View:
    """A table seen through a subset of its columns with given header paths (for `column_roles`)."""

    def __init__(self, table: Table, cols: list[int], paths: list[list[str]]):
        self.grid = _ViewGrid(cols, paths)


class _ViewGrid:
    def __init__(self, cols: list[int], paths: list[list[str]]):
        self.columns = cols
        self.paths = paths


def _row(table: Table, fiscal_year: int | None, kind: str | None) -> int | None:
    """The row of the budget year: a 三公 table may print last year, this year and the change, per
    unit with the department's rows first, or a 合计 row over its units."""
    rows = table.grid.rows
    data = [
        i
        for i, r in enumerate(rows)
        if any(is_amount_text(c.text) for c in r)
        and not is_column_number_row(r)
        and sum(1 for c in r if c.text) > 1
    ]
    if not data:
        # every cell blank: the budget year's row still prints (its figures are all nothing)
        texts = [i for i, r in enumerate(rows) if any(c.text for c in r) and not is_column_number_row(r)]
        if not texts:
            # no label either: a ruled row with nothing in it under the column numbers (the grid
            # keeps it only there) is the figures row, printed blank
            return next((i for i, r in enumerate(rows) if not any(c.text for c in r)), None)
        if fiscal_year is None or len(texts) <= 1:
            return texts[0]
        data = texts
    if len(data) == 1:
        return data[0]
    labels = {i: "".join(key(c.text) for c in rows[i] if not is_amount_text(c.text)) for i in data}
    if fiscal_year is not None:
        for i in data:
            if f"{fiscal_year}年" in labels[i] and "决算" not in labels[i] and "执行" not in labels[i]:
                return i
    for i in data:
        if "合计" in labels[i] or "总计" in labels[i] or "预算数" in labels[i]:
            return i
    plain = [i for i in data if not re.search(r"20\d\d年|增减|变化|比上年", labels[i])]
    return (plain or data)[0]
