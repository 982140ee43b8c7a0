"""Figures from the tables: what each standard table says, by row labels and header words.

Pure functions over `tables.Table` (grids of cell text and boxes). Nothing here depends on a
column's position: a column is known by its header words (合计 / 基本支出 / 项目支出 / 因公出国…),
a row by its label (收入总计 / 一般公共预算拨款 / 结转下年…), a line by its code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from budgetlens.amounts import (
    NIL_DASHES,
    AmountError,
    parse_printed,
    printed_precision,
    rounding_tolerance,
    unit_multiplier,
)
from budgetlens.parse.classification import (
    CODE_IN_NAME,
    child_code,
    classification_shaped,
    code_of,
    economic_class_of,
    exact_child_code,
    led_by_code,
    split_in_name,
)
from budgetlens.parse.document import ORG_NAME
from budgetlens.parse.grid.cells import Cell, Grid, is_column_number_row
from budgetlens.parse.grid.text import is_amount_text, is_unread, is_value_text
from budgetlens.parse.normalize import has_han, key
from budgetlens.parse.tables import Table


@dataclass(frozen=True)
class Figure:
    """One printed amount: exact yuan, as printed, in which unit, where."""

    value: Decimal
    printed: str
    unit: str
    page: int | None
    bbox: tuple[float, float, float, float] | None
    source: str = "table"  # table | prose
    table: str = ""  # label of the table it was read from (its printed number, else its title)
    label: str = ""  # row label / column header / sentence it was printed with
    where: str = ""  # table kind, or "prose"
    # a table total printed as exactly the sum of its printed (rounded) lines: the rounding those
    # lines carry, by which it may differ from the rounded total printed elsewhere (尾数误差)
    line_rounding: Decimal = Decimal(0)

    @property
    def decimals(self) -> int:
        return printed_precision(self.printed) if self.printed else 0


def figure(cell: Cell, unit: str | None, table: Table, label: str = "") -> Figure | None:
    """The amount a cell prints, in yuan ('' / - / 0 are zero); None when the cell holds words, or
    when the table's unit is not known (a figure cannot be placed in yuan without it)."""
    if unit is None:
        return None
    text = cell.text.strip()
    try:
        value = parse_printed(text)
    except AmountError:
        return None
    if value is None:
        return None
    value *= unit_multiplier(unit)
    page, bbox = (None, None)
    if cell.box is not None:
        page = int(cell.box[0])
        bbox = tuple(round(v, 2) for v in cell.box[1:])
    return Figure(value, text, unit, page, bbox, "table", table.label, label, table.kind)


def header_label(table: Table, j: int) -> str:
    """A column's header as printed (its lowest header cell)."""
    p = table.grid.paths[j] if j < len(table.grid.paths) else []
    return p[-1] if p else ""


def is_label(text: str) -> bool:
    """A cell that names a row (words, not a figure)."""
    t = text.strip()
    return bool(t) and not is_value_text(t)


_NOT_AMOUNT_HEADERS = ("行次", "栏次", "序号", "编码", "代码", "科目编号")


def _not_amount_column(table: Table, j: int) -> bool:
    """A column of row numbers (行次) or codes, whatever digits it prints."""
    path = table.grid.paths[j] if j < len(table.grid.paths) else []
    leaf = key(path[-1]) if path else ""
    if leaf in ("类", "款", "项") and any(w in key(x) for x in path for w in CODE_COLUMN_WORDS):
        return True  # a code split into 类 | 款 | 项 columns under its 科目编码 header
    # an unruled header wraps its words into rows of their own: '科目代' over '码'
    tail = key("".join(path[-2:]))
    return any(w in leaf or w in tail for w in _NOT_AMOUNT_HEADERS)


def _amount_columns(table: Table) -> list[int]:
    """Columns whose body cells are figures (or blank); never a 行次 or code column."""
    cols = []
    rows = table.grid.rows
    for j in range(len(table.grid.columns)):
        if _not_amount_column(table, j):
            continue
        texts = [r[j].text for r in rows if r[j].text]
        figures = sum(1 for t in texts if is_amount_text(t) or t in NIL_DASHES or is_unread(t))
        if texts and figures >= 0.6 * len(texts):
            cols.append(j)
    return cols


_GLUED = re.compile(r"^(?P<num>-?\d[\d,]*(?:\.\d+)?)\s*(?P<label>[\u4e00-\u9fff（(].*)$")


def _unglued(row: list[Cell]) -> list[tuple[int, Cell]]:
    """A row's cells with their column, a figure printed against the next label in one cell
    ("12.717412 年终结转结余": the column border fell inside the text) split into two."""
    out: list[tuple[int, Cell]] = []
    for j, c in enumerate(row):
        m = _GLUED.match(c.text) if c.text else None
        if m and is_amount_text(m.group("num")):
            out.append((j, Cell(m.group("num"), c.box)))
            out.append((j, Cell(m.group("label"), c.box, c.span)))
        else:
            out.append((j, c))
    return out


def labelled_values(table: Table) -> list[tuple[str, Cell, int, str]]:
    """(label key, value cell, row index) for every label in the table, side by side tables included.

    A label's value is the first figure cell to the right of its (possibly merged) cell and before
    the next label in the row; when all of those are blank, the first blank amount cell (zero).
    """
    out: list[tuple[str, Cell, int, str]] = []
    amount_cols = set(_amount_columns(table))
    for i, raw in enumerate(table.grid.rows):
        row = _unglued(raw)
        j = 0
        n = len(row)
        while j < n:
            col, cell = row[j]
            if not is_label(cell.text):
                j += 1
                continue
            end = cell.span[1] if cell.span else col
            k = j + 1
            while k < n and row[k][0] <= end and row[k][0] != col:
                k += 1
            chosen: Cell | None = None
            first_blank: Cell | None = None
            while k < n:
                ck, c = row[k]
                if _not_amount_column(table, ck):
                    k += 1
                    continue
                if c.text and is_label(c.text) and ck not in amount_cols:
                    break
                if c.text and is_value_text(c.text):
                    chosen = c
                    break
                if not c.text and first_blank is None and ck in amount_cols:
                    first_blank = c
                k += 1
            value = chosen or first_blank
            if value is not None:
                out.append((row_key(cell.text), value, i, cell.text))
            j = max(k, j + 1) if chosen is None else k + 1
    return out


_ROW_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|[(\[][一二三四五六七八九十\d]+[)\]]|\d+[.、]|其中:?)"
)


def row_key(text: str) -> str:
    """A row label's matching key: no numbering (一、 / 1. / （一） / 其中：), no spaces."""
    k = key(text)
    prev = None
    while prev != k:
        prev = k
        k = _ROW_NUMBERING.sub("", k)
    return k


def column_roles(table: Table, roles: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> dict[str, int]:
    """Columns found by header words: role -> (words any of which the header must hold, words it must not).

    Every role is a column of figures, so a 行次 or code column takes none, whatever else its header
    says (a totals row whose figure is not printed, read into the header, puts 合计 under 科目编码)."""
    found: dict[str, int] = {}
    in_leaf: list[int] = []  # the column of each role found by words of the column's own leaf
    for j in range(len(table.grid.columns)):
        if _not_amount_column(table, j):
            continue
        path = [key(p) for p in table.grid.paths[j]] if j < len(table.grid.paths) else []
        full = "".join(path)
        leaf = path[-1] if path else ""
        for role, (want, avoid) in roles.items():
            if role in found:
                continue
            target = leaf if role.startswith("leaf:") else full
            if any(w in target for w in want) and not any(a in target for a in avoid):
                found[role] = j
                if any(w in leaf for w in want):
                    in_leaf.append(j)
    # one leaf holding two roles' words is two headers run together (an unruled table's 基本支出项目支出
    # or 因公出国(境)费公务接待费 over one column of figures): which figure is which cannot be told, so
    # neither role is read there
    shared = {j for j in in_leaf if in_leaf.count(j) > 1}
    return {r.removeprefix("leaf:"): j for r, j in found.items() if j not in shared}


# ---------------------------------------------------------------- summary & appropriation summary

SUMMARY_LABELS: dict[str, tuple[str, ...]] = {
    "income_total": ("收入总计", "收入合计", "收入总额"),
    "expense_total": ("支出总计", "支出合计", "支出总额"),
    "fiscal_appropriation": ("政府预算拨款", "财政拨款", "财政拨款收入", "政府预算拨款收入", "财政拨款资金"),
    "general_budget_appropriation": (
        "一般公共预算拨款",
        "一般公共预算资金",
        "一般公共预算",
        "一般公共预算拨款收入",
        "一般公共预算收入",
        "一般公共预算财政拨款收入",
    ),
    "gov_fund_appropriation": (
        "政府性基金预算拨款",
        "政府性基金",
        "政府性基金预算",
        "政府性基金预算资金",
        "政府性基金收入",
        "政府性基金拨款",
        "政府性基金预算财政拨款收入",
    ),
    "state_capital_appropriation": (
        "国有资本经营预算拨款",
        "国有资本经营预算",
        "国有资本经营预算资金",
        "国有资本经营预算收入",
        "国有资本经营收入",
        "国有资本经营预算财政拨款收入",
    ),
    "carryover_in": (
        "上年结余、结转",
        "上年结转",
        "上年结转资金",
        "上年结转和结余",
        "上年结余结转",
        "上年结转结余",
        "上年结转(结余)",
        "年初结转和结余",
        "上年结余",
    ),
    "carryover_out": (
        "结转下年",
        "结转下年资金",
        "年末结转和结余",
        "结转下年支出",
        "年末结转结余",
        "年终结转结余",
        "结转下年(结余)",
    ),
    "surplus_distribution": ("结余分配",),
}
# A row not worded as any label above is still known by its words. Carry-over: the year it comes
# from (上年 / 年初) or goes to (下年 / 年末 / 年终) and 结转 / 结余, in either order (结转结余下年).
# An appropriation: the fund's name with any of 预算 / 财政 / 拨款 / 收入 (政府性基金预算拨款收入).
_CARRIED = r"(?:结转|结余)(?:[、和及与]?(?:结转|结余))?(?:资金)?"
_FUND_TAIL = r"(?:预算)?(?:财政)?(?:拨款)?(?:收入|资金)?"
LABEL_WORDS: dict[str, re.Pattern] = {
    "carryover_in": re.compile(rf"(?:上年|年初){_CARRIED}|{_CARRIED}上年"),
    "carryover_out": re.compile(rf"(?:年末|年终){_CARRIED}|{_CARRIED}(?:到|至)?下年(?:资金)?"),
    "general_budget_appropriation": re.compile(rf"一般公共预算{_FUND_TAIL}"),
    "gov_fund_appropriation": re.compile(rf"政府性基金{_FUND_TAIL}"),
    "state_capital_appropriation": re.compile(rf"国有资本经营{_FUND_TAIL}"),
}


def summary_figures(table: Table) -> dict[str, Figure]:
    """Totals a summary (收支总表) or appropriation summary prints, by row label (first match wins)."""
    out: dict[str, Figure] = {}
    items = labelled_values(table)
    # a two-sided table's bare 总计 row: income's on the left, expense's on the right
    bare = [(c, i, text) for k, c, i, text in items if k == "总计"]
    if len(bare) == 2 and bare[0][1] == bare[1][1]:
        for field, (c, _, text) in zip(("income_total", "expense_total"), bare, strict=True):
            f = figure(c, table.unit, table, text)
            if f is not None:
                out[field] = f
    for field, labels in SUMMARY_LABELS.items():
        if field not in out:
            f = _first_labelled(table, items, labels)
            if f is None and field in LABEL_WORDS:
                worded = tuple(dict.fromkeys(k for k, *_ in items if LABEL_WORDS[field].fullmatch(k)))
                f = _first_labelled(table, items, worded)
            if f is not None:
                out[field] = f
    return out


def labelled_figure(table: Table, labels: tuple[str, ...]) -> Figure | None:
    """The figure beside the first row that prints one of `labels` (None when none does)."""
    return _first_labelled(table, labelled_values(table), labels)


def _first_labelled(
    table: Table, items: list[tuple[str, Cell, int, str]], labels: tuple[str, ...]
) -> Figure | None:
    """The figure of the first row that prints any of `labels` (a later row with the same words is
    a part of another figure: 上年结转 | 一、一般公共预算拨款 …); label order breaks ties in a row."""
    hits = sorted(
        ((i, labels.index(k), c, text) for k, c, i, text in items if k in labels),
        key=lambda h: (h[0], h[1]),
    )
    for _, _, c, text in hits:
        f = figure(c, table.unit, table, text)
        if f is not None:
            return f
    return None


# ---------------------------------------------------------------- expense table (支出总表)

EXPENSE_ROLES = {
    "leaf:basic_expense": (("基本支出",), ()),
    "leaf:project_expense": (("项目支出",), ("政府采购",)),
    "leaf:reserve_expense": (("预留机动", "机动经费"), ()),
    "leaf:carryover_out": (("结转下年",), ()),
    "procurement_small_micro": (("小型", "微型"), ()),
    "procurement_sme": (("中小企业",), ("小型", "微型")),
    "procurement_total": (("政府采购",), ("中小企业", "小型", "微型")),
    "leaf:total": (("合计", "支出总计", "总计"), ("政府采购",)),
}


def total_row(table: Table) -> int | None:
    """The row holding the table's totals: labelled 合计 / 总计, else the only (or first) row with
    figures that is no classified line (a row led by its code, 201 一般公共服务支出: a line, never the
    table's totals, though its 合计 label was lost)."""
    rows = table.grid.rows
    for i, row in enumerate(rows):
        for c in row:
            k = row_key(c.text)
            if k in ("合计", "总计", "支出合计", "支出总计", "本年支出合计", "合计数") or k.endswith("合计"):
                if any(is_amount_text(x.text) for x in row):
                    return i
    with_figures = [
        i
        for i, r in enumerate(rows)
        if any(is_amount_text(c.text) for c in r) and not is_column_number_row(r) and not _classified(r)
    ]
    return with_figures[0] if with_figures else None


def _classified(row: list[Cell]) -> bool:
    """Is a row a classified line: led by a classification code, with a name in words?"""
    printed = [c.text.strip() for c in row if c.text.strip()]
    return bool(printed) and any(has_han(t) for t in printed) and led_by_code(printed[0])


def expense_figures(table: Table) -> dict[str, Figure]:
    """basic / project / reserve expense and the procurement columns, from the totals row."""
    i = total_row(table)
    if i is None:
        return {}
    roles = column_roles(table, EXPENSE_ROLES)
    first_part = min(
        (roles[r] for r in ("procurement_sme", "procurement_small_micro") if r in roles), default=None
    )
    if first_part is not None and first_part > 0 and _leaf(table, first_part - 1) in ("小计", "合计"):
        # "其中：面向中小企业…" columns are parts of the 小计 just left of them (the procurement total)
        if roles.get("procurement_total") in (None, first_part):
            roles["procurement_total"] = first_part - 1
    row = table.grid.rows[i]
    out: dict[str, Figure] = {}
    for role, j in roles.items():
        f = figure(row[j], table.unit, table, header_label(table, j))
        if f is not None:
            out[role] = f
    return out


def basic_parts(table: Table) -> list[Figure]:
    """The totals-row figures of the columns a 基本支出 group header spans when the table prints no
    基本支出 column of its own (基本支出 over 人员支出 | 日常公用支出): the parts of the basic
    expenditure, whose sum the table itself does not print. Empty for any other table."""
    i = total_row(table)
    if i is None:
        return []
    paths = [[key(p) for p in path] for path in table.grid.paths]
    if any(path and path[-1] == "基本支出" for path in paths):
        return []  # the table prints the basic expenditure itself
    cols = [j for j, path in enumerate(paths) if len(path) > 1 and "基本支出" in path[:-1]]
    row = table.grid.rows[i]
    figs = [figure(row[j], table.unit, table, header_label(table, j)) for j in cols]
    return figs if len(figs) > 1 and all(f is not None for f in figs) else []


def procurement_parts_hold(figs: dict[str, Figure]) -> tuple[dict[str, Figure], str | None]:
    """The reserved-procurement columns only as a reading that holds: small/micro firms' share is a
    part of the SME share, itself a part of the procurement total. A small/micro column without an
    SME column, or parts larger than their whole, is a misread header: those figures are left out."""
    total, sme, micro = (
        figs.get(k) for k in ("procurement_total", "procurement_sme", "procurement_small_micro")
    )
    bad = (micro is not None and sme is None) or any(
        part is not None and whole is not None and part.value > whole.value
        for part, whole in ((micro, sme), (sme, total))
    )
    if bad:
        kept = {k: v for k, v in figs.items() if k not in ("procurement_sme", "procurement_small_micro")}
        shown = ", ".join(f"{f.label} {f.printed}" for f in (total, sme, micro) if f is not None)
        return (
            kept,
            f"面向中小企业 / 小微企业 columns do not hold as parts of the procurement total ({shown})",
        )
    return figs, None


# ---------------------------------------------------------------- basic expense (基本支出总表)

BASIC_ROLES = {
    "household_subsidy": (("对个人和家庭",), ()),
    "personnel_expense": (("人员支出", "工资福利"), ()),
    "staff_and_household_cost": (("人员经费",), ()),
    "operating_expense": (("公用支出", "公用经费", "商品和服务"), ()),
    "leaf:total": (("合计", "总计", "小计"), ()),
}


def basic_column_figures(table: Table) -> dict[str, Figure]:
    """人员支出 / 公用支出 / 对个人和家庭的补助 (or 人员经费 / 公用经费) columns of the totals row."""
    roles = column_roles(table, BASIC_ROLES)
    roles.pop("total", None)
    # a group's words over its code | name | figure columns name the code column first: a role is
    # read only from a column of figures (or one printed all blank)
    amounts = set(_amount_columns(table))
    roles = {
        r: j
        for r, j in roles.items()
        if j in amounts
        or (not _not_amount_column(table, j) and not any(row[j].text for row in table.grid.rows))
    }
    if (
        "personnel_expense" in roles
        and "household_subsidy" not in roles
        and "staff_and_household_cost" not in roles
    ):
        # 人员支出 beside 公用支出 with no 对个人和家庭 column holds 301 and 303 together (人员经费)
        roles["staff_and_household_cost"] = roles.pop("personnel_expense")
    if not roles:
        return {}
    i = total_row(table)
    if i is None:
        return {}
    row = table.grid.rows[i]
    out = {}
    for role, j in roles.items():
        f = figure(row[j], table.unit, table, header_label(table, j))
        if f is not None:
            out[role] = f
    return out


# ---------------------------------------------------------------- coded lines (function / economic)

CODE_COLUMN_WORDS = ("编码", "代码", "科目编号", "编号")


@dataclass
class CodedRow:
    code: str | None
    name: str
    cells: list[Cell]
    index: int
    unresolved: bool = False  # named by 类/款/项 but the classification does not know the name


_UNRESOLVED = "?"


def _code_columns(table: Table) -> tuple[list[int], int | None]:
    """(code columns, name column): one code column, three (类|款|项) or two (类|款), and the name."""
    grid = table.grid
    leafs = [key(p[-1]) if p else "" for p in grid.paths]
    paths = ["".join(key(x) for x in p) for p in grid.paths]
    split = [
        j
        for j, leaf in enumerate(leafs)
        if leaf in ("类", "款", "项") or (len(leaf) <= 6 and leaf.endswith(("编码类", "编码款", "编码项")))
    ]
    code_cols: list[int] = _department_run(grid, split)
    if not code_cols:
        code_cols = [
            j
            for j, p in enumerate(paths)
            if any(w in p for w in CODE_COLUMN_WORDS) and "名称" not in leafs[j]
        ]
        code_cols = code_cols[:1]
    if not code_cols:
        # no header words: a column whose cells are all 3/5/7-digit codes
        for j in range(len(grid.columns)):
            texts = [r[j].text for r in grid.rows if r[j].text]
            amountish = any(w in paths[j] for w in ("合计", "总计", "支出", "金额", "预算数", "小计"))
            if not amountish and is_code_column(texts):
                code_cols = [j]
                break
    name_col = next((j for j, p in enumerate(paths) if "名称" in leafs[j] or leafs[j].endswith("名称")), None)
    if name_col is None:
        candidates = [
            j for j in range(len(grid.columns)) if j not in code_cols and j not in _amount_columns(table)
        ]
        after = [j for j in candidates if not code_cols or j > code_cols[-1]]
        name_col = (after or candidates or [None])[0]
    return code_cols, name_col


def _department_run(grid: Grid, split: list[int]) -> list[int]:
    """The code columns of a row's code among split 类 | 款 (| 项) columns: one run of adjacent
    columns. Two runs are two classifications printed side by side (部门 301 | 01 … 政府 501 | 01):
    the department economic classification's (3xx), the one the lines are coded in, else the first."""
    runs: list[list[int]] = []
    for j in split:
        if runs and j == runs[-1][-1] + 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    if len(runs) < 2:
        return split

    def department(run: list[int]) -> bool:
        texts = [r[run[0]].text.strip() for r in grid.rows if r[run[0]].text.strip()]
        return bool(texts) and sum(is_department_economic(t) for t in texts) > len(texts) / 2

    return next((run for run in runs if department(run)), runs[0])


def is_department_economic(code: str) -> bool:
    """A code of the department economic classification (部门预算支出经济分类, 类 301–399), not the
    government one (政府预算支出经济分类, 501–599)."""
    return bool(re.match(r"3\d\d", code)) and 301 <= int(code[:3]) <= 399


def is_code_column(texts: list[str]) -> bool:
    """Do a column's printed cells (blanks left out) hold classification codes rather than figures?

    Most cells are classification-shaped codes, some of them 款 / 项 (longer than a 类), and the
    codes nest: a 款 or 项 shares its 类 with another code of the column. A column of figures
    printed without thousands separators (668, 238, 21980 in a 万元 table) fails on shape or nesting.
    """
    codes = [t for t in texts if classification_shaped(t)]
    if not texts or len(codes) < 0.6 * len(texts):
        return False
    long = [c for c in codes if len(c) > 3]
    if not long:
        return False
    classes = [c[:3] for c in codes]
    nested = sum(1 for c in long if classes.count(c[:3]) >= 2)
    return nested >= 0.8 * len(long)


def join_code(parts: list[str], carry: list[str]) -> str | None:
    """Digits of a classification code joined: '206'|'01'|'01' -> '2060101'; a 款 printed '2' -> '02'.

    `carry` holds the 类 (and 款) of the rows above, for tables that print them only once.
    Returns None when the parts hold no code.
    """
    parts = [re.sub(r"\D", "", p) for p in parts]
    if len(parts) == 1:
        code = parts[0]
        return code if re.fullmatch(r"\d{3}(?:\d{2}){0,2}", code) else None
    lei, rest = parts[0], parts[1:]
    if re.fullmatch(r"\d{3}(?:\d{2}){1,2}", lei) and not any(rest):
        return lei  # the whole code printed under 类, the 款 | 项 columns left blank
    if not lei and any(rest) and carry:
        lei = carry[0]
    if not re.fullmatch(r"\d{3}", lei or ""):
        return None
    code = lei
    for k, p in enumerate(rest):
        if not p:
            if k == 0 and len(rest) > 1 and rest[1] and len(carry) > 1:
                p = carry[1]
            else:
                break
        if len(p) > 2:
            return None
        code += p.zfill(2)
    return code


_TOTAL_LABELS = ("合计", "总计", "支出合计", "支出总计", "本年支出合计")


def _indent_levels(table: Table, name_col: int) -> dict[int, int] | None:
    """Row index -> level (1 类, 2 款, 3 项) from how far each name is indented, when the names
    stand at exactly three indents (a table that prints names only, nested by indentation)."""
    xs: dict[int, float] = {}
    for i, row in enumerate(table.grid.rows):
        c = row[name_col]
        if c.text and c.box and row_key(c.text) not in _TOTAL_LABELS and not is_amount_text(c.text):
            xs[i] = c.box[1]
    if len(xs) < 3:
        return None
    stops: list[float] = []
    for x in sorted(set(xs.values())):
        if not stops or x - stops[-1] > 2.0:
            stops.append(x)
    if len(stops) != 3:
        return None

    def level(x: float) -> int:
        return 1 + min(range(3), key=lambda k: abs(stops[k] - x))

    return {i: level(x) for i, x in xs.items()}


def _nested_name_code(name: str, level: int | None, stack: list[str], local) -> str | None:
    """The code of a line printed by name only, under the 类 / 款 above it: by its indent level
    when known, else the first exact match as a 项, a 款 or a 类 (then the classification's rules)."""
    parents = {1: "", 2: stack[0] if stack else None, 3: stack[1] if len(stack) > 1 else None}
    if level is not None:
        parent = parents[level]
        return None if parent is None else child_code(parent, name, local)
    for lv in (3, 2, 1):
        parent = parents[lv]
        if parent is not None and (code := exact_child_code(parent, name, local)):
            return code
    for lv in (3, 2, 1):
        parent = parents[lv]
        if parent is not None and (code := child_code(parent, name, local)):
            return code
    return None


def _code_in_name(row: list[Cell], cols: list[int]) -> re.Match | None:
    """The code printed at the start of a label cell ("201 一般公共服务支出"), the name or code columns
    first. A row coded in both economic classifications (政府 "50101-工资奖金津补贴" beside 部门
    "30101-基本工资") is a line of the department classification: that code and name."""
    found = [m for j in cols if (m := CODE_IN_NAME.match(row[j].text.strip()))]
    if found and not is_department_economic(found[0].group("code")):
        others = [m for j, c in enumerate(row) if j not in cols and (m := CODE_IN_NAME.match(c.text.strip()))]
        department = [m for m in others if is_department_economic(m.group("code"))]
        if department and found[0].group("code")[0] == "5":
            return department[0]
    return found[0] if found else None


def coded_rows(
    table: Table, local: dict[str, dict[str, str]] | None = None, *, by_name: bool = False
) -> list[CodedRow]:
    """Body rows with their joined code (or None for total / unit rows) and name.

    Codes printed in one column, in 类|款|项 columns, at the start of the name ("201 一般公共服务支出"),
    or only as names ("…（类）…（款）…（项）", resolved by `classification`, the document's own
    codes `local` first).
    """
    code_cols, name_col = _code_columns(table)
    out: list[CodedRow] = []
    carry: list[str] = []
    nested = by_name and not code_cols and name_col is not None
    levels = _indent_levels(table, name_col) if nested else None
    stack: list[str] = []  # the 类 and 款 codes of the lines above (names-only tables)
    for i, row in enumerate(table.grid.rows):
        name = row[name_col].text if name_col is not None else ""
        code = join_code([row[j].text for j in code_cols], carry) if code_cols else None
        if code is None:
            # codes printed inside the name ("201 一般公共服务支出" / "[201]…"), or in the first label cell
            m = _code_in_name(row, ([name_col] if name_col is not None else []) + code_cols)
            if m:
                code, name = m.group("code"), m.group("name").strip()
        if code is None:
            for c in ([row[name_col]] if name_col is not None else []) + [c for c in row if c.text]:
                parts = split_in_name(c.text)
                if parts:
                    code, name = code_of(parts, local), parts[-1]
                    if code is None:
                        code = _UNRESOLVED
                    break
        if (
            code is None
            and nested
            and name
            and row_key(name) not in _TOTAL_LABELS
            and not is_amount_text(name)
            and not re.fullmatch(r"[*\d\s]+", name)
        ):
            code = _nested_name_code(name, (levels or {}).get(i), stack, local) or _UNRESOLVED
            if code != _UNRESOLVED:
                stack = [code[:3]] if len(code) == 3 else [code[:3], code[:5]]
        if code == _UNRESOLVED:
            out.append(CodedRow(None, name, row, i, unresolved=True))
            continue
        if code is not None and code_cols and len(code_cols) > 1:
            carry = [code[:3], code[3:5]] if len(code) >= 5 else [code[:3]]
        if not name and code_cols:
            name = next(
                (row[j].text for j in code_cols if row[j].text and not re.fullmatch(r"\d+", row[j].text)), ""
            )
        out.append(CodedRow(code, name, row, i))
    return out


FUNCTION_ROLES = {
    "leaf:basic": (("基本支出",), ()),
    "leaf:project": (("项目支出",), ()),
    "leaf:total": (("合计", "支出总计", "总计", "小计", "金额", "预算数", "支出合计"), ()),
}


@dataclass
class Line:
    code: str
    name: str
    level: int
    values: dict[str, Figure | None]
    row: int


def function_lines(
    table: Table, local: dict[str, dict[str, str]] | None = None
) -> tuple[list[Line], dict[str, Figure], list[str]]:
    """Lines of the function table, its printed totals (total/basic/project), and duplicate codes dropped."""
    roles = column_roles(table, FUNCTION_ROLES)
    for role, word in (("basic", "基本支出"), ("project", "项目支出")):
        if role not in roles:
            # a group header over its parts: 基本支出 | 小计 人员经费 日常公用支出 — the group's 小计
            roles.update(_subtotal_of(table, role, word))
    amount_cols = _amount_columns(table)
    if "total" not in roles and amount_cols:
        roles["total"] = amount_cols[0]
    rows = department_rows(table, coded_rows(table, local, by_name=True))
    # a column that prints each row's own code is the code column, whatever header it was read under
    roles = {r: j for r, j in roles.items() if j is None or not _prints_codes(rows, j)}
    lines: list[Line] = []
    totals: dict[str, Figure] = {}
    seen: dict[str, tuple] = {}
    dups: list[str] = []
    labelled_total = False
    for cr in rows:
        label = f"{cr.code} {cr.name}" if cr.code else _row_label(cr.cells)
        values = {
            r: (figure(under_header(table, cr.cells, j), table.unit, table, label) if j is not None else None)
            for r, j in roles.items()
        }
        if cr.code is None:
            if _better_total(cr, list(roles.values()), bool(totals), labelled_total):
                totals = {r: v for r, v in values.items() if v is not None}
                labelled_total = row_key(label) in _TOTAL_LABELS
            continue
        level = {3: 1, 5: 2, 7: 3}[len(cr.code)]
        sig = (cr.code, tuple((r, v.value if v else None) for r, v in sorted(values.items())))
        if cr.code in seen:
            if seen[cr.code] == sig:
                dups.append(cr.code)
                continue
        seen[cr.code] = sig
        lines.append(Line(cr.code, cr.name, level, values, cr.index))
    return lines, totals, dups


def under_header(table: Table, row: list[Cell], j: int) -> Cell:
    """The cell of a row under column j's header. A header cell over several grid columns (a table
    whose pages set their columns a little apart: page 2's figures fall beside page 1's) holds one
    figure per row: column j's own cell, else the one printed cell among the columns that share
    j's header, else j's blank cell."""
    cell = row[j]
    if cell.text or j >= len(table.grid.paths) or not table.grid.paths[j]:
        return cell
    path = table.grid.paths[j]
    a = j
    while a > 0 and table.grid.paths[a - 1] == path:
        a -= 1
    b = j
    while b + 1 < len(table.grid.paths) and table.grid.paths[b + 1] == path:
        b += 1
    printed = [row[k] for k in range(a, b + 1) if k < len(row) and row[k].text]
    return printed[0] if len(printed) == 1 else cell


def _prints_codes(rows: list, j: int) -> bool:
    """Does column j print the rows' own codes (201 on the 201 row, 2014001 on its row …)?"""
    printed = [
        (cr.code, cr.cells[j].text.replace(" ", ""))
        for cr in rows
        if cr.code and j < len(cr.cells) and cr.cells[j].text.strip()
    ]
    return len(printed) >= 2 and all(text == code for code, text in printed)


def _subtotal_of(table: Table, role: str, word: str) -> dict[str, int]:
    """{role: column} of the 小计 / 合计 column under a group header `word`, if there is one."""
    for j, path in enumerate(table.grid.paths):
        keys = [key(p) for p in path]
        if len(keys) >= 2 and any(word in k for k in keys[:-1]) and keys[-1] in ("小计", "合计"):
            return {role: j}
    return {}


_UNIT_COLUMN_WORDS = ("预算单位", "单位名称", "单位编码", "单位代码")


def units_named(tables: list[Table]) -> list[str]:
    """The units the tables name in their unit columns (`unit_names`), less the pieces of a name
    wrapped in its cell and read as rows of their own ('杭州市富春' / '强制隔离戒毒' / '所' where
    another table prints '杭州市富春强制隔离戒毒所' whole): a name inside another is kept only where
    it reads as a body's name in its own right."""
    names = [(u, key(u)) for t in tables for u in unit_names(t)]
    keyed = {k for _, k in names}
    return [
        n for n, k in names if ORG_NAME.fullmatch(k) or not any(k in other and k != other for other in keyed)
    ]


def unit_names(table: Table) -> list[str]:
    """The units a table names in its unit column (预算单位 / 单位名称), after the first (the
    department's own row)."""
    col = next(
        (
            j
            for j, p in enumerate(table.grid.paths)
            if p and any(w in key(p[-1]) or w in key("".join(p)) for w in ("预算单位", "单位名称"))
        ),
        None,
    )
    if col is None:
        return []
    names = [r[col].text for r in table.grid.rows if r[col].text and not re.search(r"\d", r[col].text)]
    names = [n for n in names if row_key(n) not in _TOTAL_LABELS]
    return names[1:]


def _unit_blocks(table: Table, rows: list[CodedRow]) -> bool:
    """Does a table list its units in blocks: a 预算单位 / 单位名称 column, or units named in the
    label column itself, each over its own lines (深圳市X局 / 深圳市X局（本级） / 深圳市Y中心 …)?"""
    if any(any(w in key("".join(p)) for w in _UNIT_COLUMN_WORDS) for p in table.grid.paths):
        return True
    units = [
        cr
        for cr in rows
        if cr.code is None
        and not cr.unresolved
        and any(is_amount_text(c.text) for c in cr.cells)
        and ORG_NAME.fullmatch(key(cr.name or _row_label(cr.cells)))
    ]
    return len(units) >= 2


def department_rows(table: Table, rows: list[CodedRow]) -> list[CodedRow]:
    """The department's own rows of a table that lists its units in blocks (a 预算单位 column, or
    the units named in the label column; each block opens with the unit's row of figures and no
    code): the rows before the second block. A block opens under a name: a row of marks alone
    ('-26 | -', a page number read into the table) opens none.

    The first uncoded row of figures is the department's (the table total); the next one opens the
    block of a unit. A consolidated budget whose department block holds no lines prints its lines
    only per unit: those are not the department's lines (summing them would be computing figures
    the document does not print).
    """
    if not _unit_blocks(table, rows):
        return rows
    opened = 0
    out = []
    for cr in rows:
        if (
            cr.code is None
            and not cr.unresolved
            and any(is_amount_text(c.text) for c in cr.cells)
            and has_han(_row_label(cr.cells))
        ):
            opened += 1
            if opened == 2:
                break
        out.append(cr)
    return out


def _better_total(cr: CodedRow, cols: list[int], have: bool, have_labelled: bool) -> bool:
    """Is this uncoded row the table's totals row (rather than the one taken so far)? A row that
    prints figures in the value columns (not blanks, not column numbers); one labelled 合计 / 总计
    wherever it stands wins over an unlabelled one, else the first."""
    printed = any(cr.cells[j].text and is_amount_text(cr.cells[j].text) for j in cols if j < len(cr.cells))
    if not printed or is_column_number_row(cr.cells):
        return False
    labelled = row_key(_row_label(cr.cells)) in _TOTAL_LABELS
    return not have or (labelled and not have_labelled)


def _row_label(cells: list[Cell]) -> str:
    """The words of a row (its label cells joined), e.g. '合计' or the unit's name."""
    return " ".join(c.text for c in cells if c.text and not is_amount_text(c.text))


ECONOMIC_ROLES = {
    "leaf:total": (("合计", "总计", "金额", "小计", "预算数"), ()),
    "leaf:staff_and_household_cost": (("人员经费",), ()),
    "leaf:operating_expense": (("公用经费", "公用支出"), ()),
}


def side_by_side(table: Table) -> list[Table]:
    """A table printed as groups side by side (科目代码 | 科目名称 | 金额, twice or three times across
    the page) as one table per group, in reading order; any other table as itself."""
    paths = table.grid.paths
    coded = [bool(p) and any(w in key(x) for x in p for w in CODE_COLUMN_WORDS) for p in paths]
    for j, p in enumerate(paths):
        # a wrapped header's pieces ('科目代' over '码') name a code column too, where the cells
        # below them print codes
        if not coded[j] and any(w in key("".join(p)) for w in CODE_COLUMN_WORDS):
            coded[j] = is_code_column([r[j].text for r in table.grid.rows if r[j].text])
    # a group begins at its code column; a code split into 类 | 款 columns under one 科目编码 header
    # is one code column
    starts = [j for j, c in enumerate(coded) if c and (j == 0 or not coded[j - 1])]
    if len(starts) < 2:
        return [table]
    bounds = [*starts, len(table.grid.columns)]
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        grid = Grid(
            columns=table.grid.columns[a:b],
            header=[r[a:b] for r in table.grid.header],
            rows=[r[a:b] for r in table.grid.rows],
            paths=paths[a:b],
        )
        out.append(replace(table, grid=grid))
    if any(not _amount_columns(part) for part in out):
        return [table]  # two code schemes (部门 301 | 政府 501) sharing one set of figures: one table
    return out


def economic_lines(table: Table) -> tuple[list[tuple[str, str, Figure | None, int]], dict[str, Figure]]:
    """(code, name, amount, row) lines of an economic-classification table (groups printed side by
    side read one after the other); its totals-row columns."""
    parts = side_by_side(table)
    if len(parts) > 1:
        lines: list[tuple[str, str, Figure | None, int]] = []
        totals: dict[str, Figure] = {}
        for part in parts:
            ls, ts = _economic_lines(part)
            lines.extend(ls)
            for k, v in ts.items():
                totals.setdefault(k, v)
    else:
        lines, totals = _economic_lines(table)
    # a group's total printed as a labelled row (人员经费合计 … | 公用经费合计 … across the groups side
    # by side, its figure at the row's end): the group's figure, 310 and all that the group holds
    for k, cell, _, text in labelled_values(table):
        field = GROUP_TOTAL_LABELS.get(k)
        # a blank cell read under the group's column gives way to the figure printed beside the
        # group's labelled total (公用经费合计 … 2,266.65 at the row's end)
        if field is not None and (field not in totals or not totals[field].printed.strip()):
            f = figure(cell, table.unit, table, text)
            if f is not None and (field not in totals or f.printed.strip()):
                totals[field] = f
    return lines, totals


GROUP_TOTAL_LABELS = {
    "人员经费合计": "staff_and_household_cost",
    "人员经费小计": "staff_and_household_cost",
    "公用经费合计": "operating_expense",
    "公用经费小计": "operating_expense",
}


def _economic_lines(table: Table) -> tuple[list[tuple[str, str, Figure | None, int]], dict[str, Figure]]:
    roles = column_roles(table, ECONOMIC_ROLES)
    # the figures' column: never one headed 科目名称 (a name column whose page-2 cells shifted)
    amount_cols = [j for j in _amount_columns(table) if "名称" not in _leaf(table, j)]
    total_col = roles.get("total", amount_cols[0] if amount_cols else None)
    out = []
    totals: dict[str, Figure] = {}
    labelled_total = False
    for cr in department_rows(table, coded_rows(table)):
        if (
            cr.code is None
            and not cr.unresolved
            and (cls := economic_class_of(cr.name or _row_label(cr.cells)))
        ):
            cr = CodedRow(
                cls, cr.name or _row_label(cr.cells), cr.cells, cr.index
            )  # a 类 printed by name only
        if cr.code is None:
            if _better_total(cr, list(roles.values()), bool(totals), labelled_total):
                totals = {}
                labelled_total = row_key(_row_label(cr.cells)) in _TOTAL_LABELS
                for r, j in roles.items():
                    f = figure(cr.cells[j], table.unit, table, _row_label(cr.cells))
                    if f is not None:
                        totals[r] = f
            continue
        if len(cr.code) not in (3, 5):
            continue
        f = (
            figure(under_header(table, cr.cells, total_col), table.unit, table, f"{cr.code} {cr.name}")
            if total_col is not None
            else None
        )
        out.append((cr.code, cr.name, f, cr.index))
    return out, totals


# ---------------------------------------------------------------- header helpers


def _leaf(table: Table, j: int) -> str:
    p = table.grid.paths[j] if j < len(table.grid.paths) else []
    return key(p[-1]) if p else ""


# ---------------------------------------------------------------- projects, procurement, performance


def project_rows(table: Table) -> list[tuple[str, Figure | None, int]]:
    """(name, amount, row) per project of a project-expense table."""
    grid = table.grid
    paths = ["".join(key(x) for x in p) for p in grid.paths]
    amount_cols = _amount_columns(table)
    name_col = next((j for j, p in enumerate(paths) if "项目名称" in p or p.endswith("项目")), None)
    if name_col is None:
        name_col = next((j for j, p in enumerate(paths) if "项目" in p and j not in amount_cols), None)
    roles = column_roles(
        table,
        {"leaf:total": (("合计", "金额", "项目支出", "预算数", "总计", "小计"), ("上年", "增减", "变动"))},
    )
    amount_col = roles.get("total", amount_cols[0] if amount_cols else None)
    prior = column_roles(table, {"prior": (("上年",), ())}).get("prior")
    if name_col is None or amount_col is None:
        return []
    out = []
    for i, row in enumerate(grid.rows):
        name = row[name_col].text.strip()
        if (
            not name
            or not is_label(name)
            or row_key(name) in ("合计", "总计", "小计")
            or is_column_number_row(row)  # ** | ** | 1 | 2 | 3 …: the columns' numbers, no project
        ):
            continue
        out.append((name, figure(row[amount_col], table.unit, table, name), i))
    del prior
    out = _without_unit_subtotals(out)
    # a first row that is the sum of all the others is the table's (or the department's) total
    if len(out) >= 2 and out[0][1] is not None and all(f is not None for _, f, _ in out[1:]):
        rest = sum((f.value for _, f, _ in out[1:]), Decimal(0))
        if abs(out[0][1].value - rest) <= rounding_tolerance(len(out), out[0][1].unit, out[0][1].decimals):
            out = out[1:]
    return out


def _without_unit_subtotals(
    rows: list[tuple[str, Figure | None, int]],
) -> list[tuple[str, Figure | None, int]]:
    """Project rows without the rows of the units they are listed under (广州市X委员会 136,554.40
    over its projects): a row naming a unit whose figure is the sum of the rows below it, up to the
    next unit's, is that unit's subtotal, not a project."""
    units = [k for k, (name, _, _) in enumerate(rows) if ORG_NAME.fullmatch(key(name))]
    drop = set()
    for n, k in enumerate(units):
        end = units[n + 1] if n + 1 < len(units) else len(rows)
        below = rows[k + 1 : end]
        f = rows[k][1]
        if f is None or not below or any(g is None for _, g, _ in below):
            continue
        s = sum((g.value for _, g, _ in below), Decimal(0))
        if abs(f.value - s) <= rounding_tolerance(len(below) + 1, f.unit, f.decimals):
            drop.add(k)
    return [r for k, r in enumerate(rows) if k not in drop]


_CATEGORY = re.compile(r"^(?P<name>.*?)[\s\-—–:：]*(?P<code>[A-C](?:\d{1,4})?)$")
_CATEGORY_FIRST = re.compile(
    r"^(?P<code>[A-C](?:\d{1,4})?)[\s\-—–:：]*(?P<name>[^\d\s\-—–:：].*)$"
)  # "A-货物"
CATEGORY_FIELDS = {"A": "procurement_goods", "B": "procurement_works", "C": "procurement_services"}
CATEGORY_WORDS = {"货物": "A", "工程": "B", "服务": "C"}


def procurement_rows(table: Table) -> tuple[list[tuple[str | None, str, Figure | None, int]], Figure | None]:
    """Category lines (code, name, amount, row) below the total, and the total itself."""
    grid = table.grid
    paths = ["".join(key(x) for x in p) for p in grid.paths]
    code_col = next(
        (j for j, p in enumerate(paths) if "品目编码" in p or "品目代码" in p or "编码" in p), None
    )
    name_col = next((j for j, p in enumerate(paths) if ("品目" in p or "类别" in p) and j != code_col), None)
    roles = column_roles(table, {"leaf:total": (("金额", "总计", "合计", "预算数", "小计"), ())})
    amount_cols = _amount_columns(table)
    amount_col = roles.get("total", amount_cols[-1] if amount_cols else None)
    if amount_col is None:
        return [], None
    total: Figure | None = None
    lines = []
    ti = total_row(table)
    for i, row in enumerate(grid.rows):
        f = figure(row[amount_col], table.unit, table, _row_label(row))
        if i == ti:
            total = f
            continue
        code = row[code_col].text.strip() if code_col is not None else ""
        name = row[name_col].text.strip() if name_col is not None else ""
        if not code:
            label = name or next((c.text for c in row if is_label(c.text)), "")
            m = _CATEGORY.match(row_key(label)) or _CATEGORY_FIRST.match(row_key(label))
            if m and (m.group("name") in CATEGORY_WORDS or len(m.group("code")) > 1 or code_col is None):
                code, name = m.group("code"), m.group("name")
            elif row_key(label) in CATEGORY_WORDS:
                code, name = CATEGORY_WORDS[row_key(label)], row_key(label)
        if code and re.fullmatch(r"[A-C]\d{0,6}", code):
            lines.append((code, row_key(name) if name else name, f, i))
    return lines, total
