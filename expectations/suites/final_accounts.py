"""The identities of final accounts (部门决算): money carried over rolls forward, the year closes, and
the execution rates the prose states are the tables' (issue 16).

- `year_closes`: in a summary or appropriation summary that prints them, 收入总计 = 本年收入合计 +
  使用非财政拨款结余 + 年初结转和结余 and 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余, column by
  column (the total, and each fund's column on the expenditure side). Budgets print the same rows
  (本年收入合计 + 上年结转 = 收入总计); a table without them gives no row.
- `carryover_rolls_forward`: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, per fund and in total
  in the appropriation summary (its income rows per fund, its expenditure columns per fund), and on
  every row of a table whose columns are those four (政府性基金 / 国有资本经营 收入支出决算表).
- `execution_rates_match_tables`: "…支出决算为 4.69 万元，完成预算的 15.63%" against 决算数 / 预算数 of the
  三公 table (fields three_public_total … and their `_adjusted_budget` 预算数).
- `stated_direction_matches_tables`: "“三公”经费支出决算数小于预算数的主要原因是…" against the same two
  figures (a sentence that names no 三公 figure, such as a function line's, is not read).

As everywhere in the suites, rows and columns are placed by their words; a table whose rows or
columns cannot be placed gives no row, never a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from functools import partial
from typing import Any

import pandas as pd

from expectations.context import DocContext, SuiteContext
from expectations.data import Row
from expectations.labels import page_note
from expectations.precision import Printing, format_amount, tolerance
from expectations.spec import ExpectationSpec, FrameBuilder
from expectations.suites.common import gap_text, tolerance_spec
from expectations.suites.peers import (
    FUND_NAMES,
    FUNDS,
    CellTable,
    Sides,
    blank,
    cell_tables,
    column_numbers,
    concept,
    plain,
    row_key,
)

SUITE = "final_accounts"
TABLES = "final_accounts_tables"
DOCS = "final_accounts_documents"
RATE_RULE = (
    "one unit in the last printed place of the rate (documents round it up, down or to the nearest), plus "
    "what the printed precision of 决算数 and 预算数 leaves open in their quotient"
)


_spec = partial(tolerance_spec, SUITE)


YEAR_CLOSES = _spec(
    "year_closes",
    TABLES,
    "the summary and the appropriation summary close the year: 收入总计 = 本年收入合计 + 使用非财政拨款结余 "
    "+ 年初结转和结余 and 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余, in every column that prints them",
)
ROLLS_FORWARD = _spec(
    "carryover_rolls_forward",
    TABLES,
    "年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余: per fund and in total in the appropriation "
    "summary, and on every row of a table printing those four columns",
)
RATES = _spec(
    "execution_rates_match_tables",
    DOCS,
    "an execution rate the prose states (…决算为 N 万元，完成预算的 P%) is the 三公 table's 决算数 / 预算数",
    RATE_RULE,
)
DIRECTION = _spec(
    "stated_direction_matches_tables",
    DOCS,
    "a sentence that says a 三公 figure's 决算数 is below (above, equal to) its 预算数 agrees with the 三公 "
    "table's 决算数 and 预算数",
)
SPECS: tuple[ExpectationSpec, ...] = (YEAR_CLOSES, ROLLS_FORWARD, RATES, DIRECTION)
KINDS = ("summary", "appropriation_summary", "gov_fund", "state_capital")


def specs(ctx: SuiteContext) -> list[ExpectationSpec]:
    return list(SPECS)


# ---------------------------------------------------------------- the rows a summary closes with

# row label (numbering and spaces removed) → its role; the wording varies between templates
_INCOME_YEAR = ("本年收入合计", "本年收入小计")
_EXPENSE_YEAR = ("本年支出合计", "本年支出小计")
_CARRY_IN = (
    "年初结转和结余",
    "年初财政拨款结转和结余",
    "上年结转",
    "上年结转和结余",
    "上年结转结余",
    "年初结转结余",
)
_CARRY_OUT = ("年末结转和结余", "年末财政拨款结转和结余", "结转下年", "年末结转结余", "结转下年结余")
_SURPLUS_USED = ("使用非财政拨款结余", "使用非财政拨款结余（含专用结余）", "用事业基金弥补收支差额")
_SURPLUS_SPLIT = ("结余分配",)
_GRAND_INCOME = ("收入总计", "总计", "收入合计")
_GRAND_EXPENSE = ("支出总计", "总计", "支出合计")
# summary fields the rows print (for materiality and withholding)
_ROW_FIELDS = {
    "carry_in": "totals.carryover_in",
    "carry_out": "totals.carryover_out",
    "surplus_split": "totals.surplus_distribution",
    "income_grand": "totals.income_total",
    "expense_grand": "totals.expense_total",
}


def _key(text: str) -> str:
    return re.sub(r"[()（）]", "", row_key(text))


def _find(labels: dict[int, str], words: tuple[str, ...]) -> int | None:
    keys = {_key(w) for w in words}
    found = [ri for ri, t in labels.items() if _key(t) in keys]
    return found[0] if len(found) == 1 else None


def _printing(table: CellTable, rows: dict[int, dict[int, Row]], ri: int | None, col: int, name: str,
              field: str | None = None) -> Printing | None:  # fmt: skip
    """The cell of row `ri` in `col` as a printing (a blank cell is an exact 0); None when the row is
    not printed or the cell holds words."""
    if ri is None:
        return None
    cell = rows[ri].get(col)
    if cell is not None and cell.get("amount") is None and not blank(cell):
        return None
    return table.printing(cell, name, field=field)


def _balance(
    fb: FrameBuilder,
    spec: ExpectationSpec,
    doc: DocContext,
    item: str,
    left: list[Printing],
    right: list[Printing],
    relation: str,
) -> None:
    """Σ left = Σ right within the printed precision of every figure."""
    if not left or not right or all(p.value == 0 for p in (*left, *right)):
        return
    a = sum((p.value for p in left), Decimal(0))
    b = sum((p.value for p in right), Decimal(0))
    gap, allowed = a - b, tolerance([*left, *right])
    msg = ""
    if abs(gap) > allowed:
        unit, decimals = left[0].unit, left[0].decimals

        def side(ps: list[Printing]) -> str:
            return " + ".join(f"{p.label} {p.shown()}" for p in ps)

        msg = (
            f"{relation}：{side(left)} = {format_amount(a, unit, decimals)} ≠ {side(right)} = "
            f"{format_amount(b, unit, decimals)}{gap_text(gap, allowed, unit)}"
        )
    fields = [p.field for p in (*left, *right)]
    fb.tolerance(spec, doc.doc_id, item, gap, allowed, msg, doc.material(gap, [*left, *right]), fields)


def closing_checks(table: CellTable, fb: FrameBuilder) -> None:
    """收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余; 支出总计 = 本年支出合计 + 结余分配 +
    年末结转和结余 (each column of the expenditure side)."""
    sides = Sides(table)
    if not sides.ok:
        return
    rows = dict(table.rows)
    summary = table.kind == "summary"
    doc = table.doc

    def field(role: str) -> str | None:
        return _ROW_FIELDS.get(role) if summary else None

    # income side
    grand = _find(sides.inc, _GRAND_INCOME)
    year = _find(sides.inc, _INCOME_YEAR)
    carry = _find(sides.inc, _CARRY_IN)
    used = _find(sides.inc, _SURPLUS_USED)
    if grand is not None and year is not None and carry is not None:
        c = sides.inc_col
        total = _printing(table, rows, grand, c, sides.inc[grand], field("income_grand"))
        parts = [
            _printing(table, rows, ri, c, sides.inc[ri], field(role))
            for ri, role in ((year, ""), (used, ""), (carry, "carry_in"))
            if ri is not None
        ]
        if total is not None and all(p is not None for p in parts):
            _balance(fb, YEAR_CLOSES, doc, f"t{table.index}.income", [total], parts, "收入总计")  # type: ignore[list-item]
    # expenditure side, column by column
    grand = _find(sides.exp, _GRAND_EXPENSE)
    year = _find(sides.exp, _EXPENSE_YEAR)
    carry = _find(sides.exp, _CARRY_OUT)
    split = _find(sides.exp, _SURPLUS_SPLIT)
    if grand is None or year is None or carry is None:
        return
    for name, c in (("", sides.exp_col), *((FUND_NAMES[f], j) for f, j in sides.funds.items())):
        head = f" {name}" if name else ""
        total = _printing(
            table, rows, grand, c, sides.exp[grand] + head, field("expense_grand") if not name else None
        )
        parts = [
            _printing(table, rows, ri, c, sides.exp[ri] + head, field(role) if not name else None)
            for ri, role in ((year, ""), (split, "surplus_split"), (carry, "carry_out"))
            if ri is not None
        ]
        if total is None or any(p is None for p in parts):
            continue
        _balance(fb, YEAR_CLOSES, doc, f"t{table.index}.expense.c{c}", [total], parts, "支出总计")  # type: ignore[list-item]


# ---------------------------------------------------------------- carry-over rolls forward


def appropriation_roll(table: CellTable, fb: FrameBuilder) -> None:
    """年初结转 + 本年收入 = 本年支出 + 年末结转, in total and per fund, in the appropriation summary:
    the income side prints each fund's income and carried-in amount as rows, the expenditure side
    each fund's 本年支出合计 and 年末结转和结余 as columns."""
    sides = Sides(table)
    if not sides.ok:
        return
    rows = dict(table.rows)
    doc = table.doc
    ic = sides.inc_col
    inc_year, carry_in = _find(sides.inc, _INCOME_YEAR), _find(sides.inc, _CARRY_IN)
    exp_year, carry_out = _find(sides.exp, _EXPENSE_YEAR), _find(sides.exp, _CARRY_OUT)
    if None in (inc_year, carry_in, exp_year, carry_out):
        return
    # per fund, the income rows: this year's above 本年收入合计, carried in below the 年初 row
    this_year: dict[str, list[int]] = defaultdict(list)
    carried: dict[str, list[int]] = defaultdict(list)
    for ri, _ in table.rows:
        fund = concept(sides.inc[ri])
        if fund not in FUNDS or "其中" in sides.inc[ri]:
            continue
        if ri < inc_year:  # type: ignore[operator]
            this_year[fund].append(ri)
        elif ri > carry_in:  # type: ignore[operator]
            carried[fund].append(ri)
    columns: list[tuple[str, int, list[int] | None, list[int] | None]] = [("", sides.exp_col, None, None)]
    for fund, col in sides.funds.items():
        a, b = this_year.get(fund, []), carried.get(fund, [])
        if len(a) > 1 or len(b) > 1:
            continue  # a fund named twice on one side: cannot tell which row is its
        columns.append((FUND_NAMES[fund], col, a, b))
    carried_total = _printing(table, rows, carry_in, ic, sides.inc[carry_in])  # type: ignore[index]
    for name, col, a, b in columns:
        if a is None or b is None:  # the totals
            left = [_printing(table, rows, inc_year, ic, sides.inc[inc_year]), carried_total]  # type: ignore[index]
        else:
            if not a and not b:
                continue
            if not b and carried_total is not None and carried_total.value != 0 and len(sides.funds) > 1:
                continue  # carried-in money not split by fund: the fund's share is not printed
            left = [_printing(table, rows, ri, ic, sides.inc[ri]) for ri in (*a, *b)]
        head = f" {name}" if name else ""
        right = [
            _printing(table, rows, exp_year, col, sides.exp[exp_year] + head),  # type: ignore[index]
            _printing(table, rows, carry_out, col, sides.exp[carry_out] + head),  # type: ignore[index]
        ]
        if any(p is None for p in (*left, *right)):
            continue
        item = f"t{table.index}.roll.{name or 'total'}"
        _balance(
            fb,
            ROLLS_FORWARD,
            doc,
            item,
            left,
            right,
            f"{name or '财政拨款'}年初结转 + 本年收入 = 本年支出 + 年末结转",
        )  # type: ignore[arg-type]


# the parts of 本年支出 a roll-forward table may print beside its 小计 (not read: the 小计 is)
_EXPENSE_PARTS = ("基本支出", "项目支出", "人员经费", "公用经费")
_COLUMN_ROLES = {
    "carry_in": ("年初结转", "上年结转"),
    "income": ("本年收入",),
    "expense": ("本年支出",),
    "carry_out": ("年末结转", "结转下年"),
}


def _roll_columns(table: CellTable) -> dict[str, int] | None:
    """The four columns of a roll-forward table; the expenditure one is its 合计 / 小计 when it is split
    (基本支出 | 项目支出). None when any is missing or not one column."""
    roles: dict[str, list[int]] = defaultdict(list)
    for j in table.amount_columns:
        label = table.labels[j]
        named = [r for r, words in _COLUMN_ROLES.items() if any(w in label for w in words)]
        if not named and any(w in label for w in _EXPENSE_PARTS):
            roles["expense_part"].append(j)  # 基本支出 | 项目支出 under a merged 本年支出 heading
            continue
        if len(named) != 1:
            return None  # a column of another kind, or naming two: the table is not this shape
        roles[named[0]].append(j)
    parts = roles.pop("expense_part", [])
    if parts and not any(j < min(parts) for j in roles.get("expense", [])):
        return None  # parts of an expenditure whose total column is not printed before them
    if set(roles) != set(_COLUMN_ROLES):
        return None
    out: dict[str, int] = {}
    for role, cols in roles.items():
        if len(cols) > 1:
            cols = [j for j in cols if any(w in table.labels[j] for w in ("合计", "小计"))]
        if len(cols) != 1:
            return None
        out[role] = cols[0]
    return out


def row_rolls(table: CellTable, fb: FrameBuilder) -> None:
    """Every row of a table printing 年初结转 | 本年收入 | 本年支出 | 年末结转 columns rolls forward."""
    cols = _roll_columns(table)
    if cols is None:
        return
    doc = table.doc
    for ri, row in table.rows:
        if (
            column_numbers(row)
            or table.words_among_figures(row)
            or all(row.get(j) is None for j in cols.values())
        ):
            continue  # a row of column numbers (栏次 1 2 3 …), words among the figures, or nothing printed
        label = table.row_label(row)
        ps = {r: _printing(table, {ri: row}, ri, j, f"{label} {table.labels[j]}") for r, j in cols.items()}
        if any(p is None for p in ps.values()):
            continue
        _balance(
            fb, ROLLS_FORWARD, doc, f"t{table.index}.r{ri}.roll",
            [ps["carry_in"], ps["income"]], [ps["expense"], ps["carry_out"]],  # type: ignore[list-item]
            "年初结转 + 本年收入 = 本年支出 + 年末结转",
        )  # fmt: skip


# ---------------------------------------------------------------- execution rates in the prose

_RATE = re.compile(r"完成(?:全年|年初|调整后)?预算(?:数)?的?(?P<pct>\d+(?:\.\d+)?)[%％]")
# the figures a rate is stated for, by the words naming them (the last named before the rate)
RATE_FIELDS: dict[str, tuple[str, ...]] = {
    "three_public_total": ("三公”经费", "三公经费", '三公"经费'),
    "overseas_travel": ("因公出国（境）费", "因公出国(境)费"),
    "official_reception": ("公务接待费",),
    "vehicle_total": ("公务用车购置及运行费", "公务用车购置及运行维护费"),
    "vehicle_purchase": ("公务用车购置费",),
    "vehicle_operation": ("公务用车运行维护费", "公务用车运行费"),
}
_PIECES = re.compile(r"[。；;]")


_DIRECTION = re.compile(r"决算数?(?P<how>[大小等]于|与)(?:年初|全年|调整后)?预算数?(?P<flat>持平|相同|一致)?")
_HOW = {"大于": "above", "小于": "below", "等于": "equal"}


def _claims(passage: str, pattern: re.Pattern[str], said) -> list[tuple[str, Any, str]]:
    """(field, what is said, words) for each match of `pattern` in a passage whose clause names a 三公
    figure before it (the last one named); `said(match)` is what the match says (None: nothing)."""
    out = []
    for piece in _PIECES.split(plain(passage)):
        for m in pattern.finditer(piece):
            head = piece[: m.start()]
            found = [
                (head.rfind(w) + len(w), f) for f, words in RATE_FIELDS.items() for w in words if w in head
            ]
            what = said(m)
            if found and what is not None:
                out.append((max(found)[1], what, (head + m.group(0))[-60:]))
    return out


def rate_claims(passage: str) -> list[tuple[str, Decimal, str]]:
    """(field, percent, words) for each "…完成预算的 P%" of a passage whose clause names the figure."""
    return _claims(passage, _RATE, lambda m: Decimal(m.group("pct")))


def direction_claims(passage: str) -> list[tuple[str, str, str]]:
    """(field, "above" / "below" / "equal", words) for each "…决算数小于预算数" of a passage whose
    clause names the figure before it."""
    return _claims(passage, _DIRECTION, lambda m: "equal" if m.group("flat") else _HOW.get(m.group("how")))


def _against_table(doc: DocContext, passages: list[Row], read):
    """(passage, field, what is said, words, 决算数, 预算数, n) for each claim `read` finds whose two
    figures the record holds; n counts the claims about the field."""
    seen: dict[str, int] = defaultdict(int)
    for passage in passages:
        for name, what, words in read(passage.get("text") or ""):
            spent, budget = doc.figure("totals", name), doc.figure("totals", f"{name}_adjusted_budget")
            if spent is None or budget is None:
                continue
            seen[name] += 1
            yield passage, name, what, words, spent, budget, seen[name]


def rate_checks(doc: DocContext, fb: FrameBuilder, passages: list[Row]) -> None:
    for passage, name, pct, words, spent, budget, n in _against_table(doc, passages, rate_claims):
        if budget.value <= 0:
            continue
        rate = spent.value / budget.value * 100
        decimals = max(0, -pct.normalize().as_tuple().exponent)
        open_ = (spent.half_step + rate / 100 * budget.half_step) / budget.value * 100
        gap, allowed = pct - rate, Decimal(10) ** (-decimals) + open_
        msg = ""
        if abs(gap) > allowed:
            msg = (
                f"正文{page_note(passage.get('page'))} “{words}” ≠ {spent.label} {spent.shown()} / "
                f"{budget.label} {budget.shown()} = {rate.quantize(Decimal('0.01'))}%（相差 "
                f"{abs(gap).quantize(Decimal('0.01'))} 个百分点，容差 {allowed.quantize(Decimal('0.001'))}）"
            )
        yuan_gap = abs(pct / 100 * budget.value - spent.value)
        fb.tolerance(
            RATES, doc.doc_id, f"rate.{name}#{n}", gap, allowed, msg,
            doc.material(yuan_gap, [spent, budget]), [spent.field, budget.field],
        )  # fmt: skip


def direction_checks(doc: DocContext, fb: FrameBuilder, passages: list[Row]) -> None:
    for passage, name, how, words, spent, budget, n in _against_table(doc, passages, direction_claims):
        diff = spent.value - budget.value
        gap = {"above": min(diff, Decimal(0)), "below": max(diff, Decimal(0)), "equal": diff}[how]
        allowed = tolerance([spent, budget])
        msg = ""
        if abs(gap) > allowed:
            msg = (
                f"正文{page_note(passage.get('page'))} “{words}” 与表不符：{spent.label} {spent.shown()}，"
                f"{budget.label} {budget.shown()}{gap_text(gap, allowed, spent.unit)}"
            )
        fb.tolerance(
            DIRECTION, doc.doc_id, f"direction.{name}#{n}", gap, allowed, msg,
            doc.material(gap, [spent, budget]), [spent.field, budget.field],
        )  # fmt: skip


# ---------------------------------------------------------------- frames


def frames(ctx: SuiteContext) -> dict[str, pd.DataFrame]:
    tables, docs = FrameBuilder(), FrameBuilder()
    for doc in ctx.docs():
        for table in cell_tables(ctx, doc, KINDS):
            if table.kind in ("summary", "appropriation_summary"):
                closing_checks(table, tables)
            if table.kind == "appropriation_summary":
                appropriation_roll(table, tables)
            elif table.kind in ("gov_fund", "state_capital"):
                row_rolls(table, tables)
        if doc.document.get("kind") == "final_accounts":
            passages = ctx.data.prose_passages.get(doc.doc_id, [])
            rate_checks(doc, docs, passages)
            direction_checks(doc, docs, passages)
    return {TABLES: tables.frame([YEAR_CLOSES, ROLLS_FORWARD]), DOCS: docs.frame([RATES, DIRECTION])}
