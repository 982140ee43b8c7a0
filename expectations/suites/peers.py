"""Checks that peers run and we did not (issue 13): the income and expense tables footed across and
down, the appropriation summary balanced, economic 款 lines adding to their 类, shares stated in the
prose against the tables, and large year-on-year changes against the department's previous budget.

A failure is a claim that the document contradicts itself, so every check reads only what it can
place: columns are recognised by their header words (合计 / 总计 the total, 小计 a group's subtotal,
其中 a part of a part, the parts by name), never by position alone, and a table with a column that
cannot be placed, or a block of lines whose structure is unclear, gives no row at all.

Data. The cell checks read the cells of the income, expense and appropriation-summary tables
(`expectations/sql/amount_cells.sql`) from `WarehouseData.amount_cells` (doc_id → cells); the prose shares
read the prose sentences that state a percentage from `WarehouseData.prose_passages` (doc_id → {text,
page}: the warehouse's passages table, `record.passages`; none from records of parser versions before
0.3.1). Where the data holds neither, those checks have no rows (docs/quality.md, "peers").
The year-on-year check compares each budget the run validates with last year's budget among every
candidate (`SuiteContext.everyone`: in an incremental run, the figures of the documents decided
before too). A budget decided before is not checked again when its previous year arrives later.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, partial
from typing import Any

import pandas as pd

from budgetlens.amounts import NIL_DASHES
from budgetlens.fields import FIELD_LABELS
from expectations.context import DocContext, SuiteContext
from expectations.data import Row
from expectations.labels import page_note
from expectations.precision import Comparison, Printing, format_amount
from expectations.spec import ExpectationSpec, FrameBuilder
from expectations.suites.common import (
    EQUALITY_RULE,
    MATERIALITY_RULE,
    TOLERANCE_RULE,
    add_equality,
    add_sum_check,
    gap_text,
    tolerance_spec,
)

SUITE = "peers"
TABLES = "peers_tables"
DOCS = "peers_documents"

CELL_KINDS = ("income", "expense", "appropriation_summary")
SHARE_RULE = (
    "one unit in the last printed place of the percentage, since documents round shares up, down or to "
    "the nearest (37% ± 1 point, 65.56% ± 0.01), plus what the printed precision of the two table "
    "figures leaves open in their quotient"
)


_spec = partial(tolerance_spec, SUITE)


ROWS_ACROSS = _spec(
    "table_rows_add_across",
    TABLES,
    "in the income and expense tables each row's part columns add up to its 合计 column (columns placed "
    "by header words; a table with a column that cannot be placed is not checked)",
)
LINES_DOWN = _spec(
    "table_lines_add_down",
    TABLES,
    "in the income and expense tables every 款 line is the sum of its 项, every 类 of its 款, and the 类 "
    "lines make the total row of their block, column by column",
)
APPROPRIATION_BALANCES = _spec(
    "appropriation_summary_balances",
    TABLES,
    "the appropriation summary balances: 收入总计 = 支出总计; each fund's income (this year's and carried "
    "over) = its expenditure column's 支出总计; each expenditure row's fund columns add up to its total",
    f"收入总计 against 支出总计: {EQUALITY_RULE}. The funds: {TOLERANCE_RULE}",
)
ECONOMIC_SECTIONS = _spec(
    "economic_sections_sum_to_class",
    DOCS,
    "every economic 类 (301 …) is the sum of its 款 lines (30101 …) printed with it",
)
PROSE_SHARES = _spec(
    "prose_shares_match_tables",
    DOCS,
    "a share the prose states (基本支出…占 37%) is the share of the figure in its whole in the tables",
    SHARE_RULE,
)
YEAR_ON_YEAR_NAME = "year_on_year_change_in_band"
YEAR_ON_YEAR_FIELDS = (
    "expense_total",
    "basic_expense",
    "project_expense",
    "three_public_total",
    "agency_running_cost",
)
SEVERITY_NOTE = MATERIALITY_RULE


def year_on_year_spec(band: Decimal) -> ExpectationSpec:
    """The warning-level year-on-year expectation for a band (a share of the previous figure)."""
    pct = _percent(band)
    return ExpectationSpec(
        YEAR_ON_YEAR_NAME,
        SUITE,
        DOCS,
        f"{', '.join(YEAR_ON_YEAR_FIELDS)} change by at most ±{pct}% against the same department's "
        "previous budget (a larger change is worth a look, never a withholding)",
        "warning",
        f"the change is at most {pct}% of last year's figure (QualitySettings.year_on_year_band), band edges "
        "included; skipped when last year's figure is 0 or not stated, or the previous budgets disagree",
        "within_tolerance",
    )


def specs(ctx: SuiteContext) -> list[ExpectationSpec]:
    return [
        ROWS_ACROSS,
        LINES_DOWN,
        APPROPRIATION_BALANCES,
        ECONOMIC_SECTIONS,
        PROSE_SHARES,
        year_on_year_spec(ctx.settings.year_on_year_band),
    ]


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}"


# ---------------------------------------------------------------- loading the cells


def load_cells(con: Any, doc_ids: Iterable[str]) -> dict[str, list[Row]]:
    """The cells the footing checks read (expectations/sql/amount_cells.sql) of `doc_ids`, grouped
    by doc_id (`expectations.data.load` reads the same statement for the candidates)."""
    import pyarrow as pa

    from expectations.data import CANDIDATES_VIEW, sql

    con.register(CANDIDATES_VIEW, pa.table({"doc_id": pa.array(sorted(doc_ids), type=pa.string())}))
    try:
        return _group(con.execute(sql("amount_cells")))
    finally:
        con.unregister(CANDIDATES_VIEW)


def _group(cur: Any) -> dict[str, list[Row]]:
    cols = [d[0] for d in cur.description]
    out: dict[str, list[Row]] = defaultdict(list)
    for r in cur.fetchall():
        row = dict(zip(cols, r, strict=True))
        out[row["doc_id"]].append(row)
    return dict(out)


# ---------------------------------------------------------------- header words

_SPACE = re.compile(r"\s+")
_PAREN = re.compile(r"[（(][^（()）]*[）)]")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|其中[:：]?)"
)

TOTAL_WORDS = ("合计", "总计")
SUBTOTAL_WORDS = ("小计",)
OF_WHICH_WORDS = ("其中",)
# Columns that are not parts of the total: procurement (政府采购 and its SME shares) cuts across it.
CROSS_CUT_WORDS = ("采购", "中小企业", "小微企业", "小型、微型", "小型微型")
# Columns that make a table unsafe to foot: comparisons with another year, shares.
UNSAFE_WORDS = ("上年预算", "上年数", "上年决算", "增减", "增长", "比上年", "变动", "%", "％", "百分", "比重")
NOT_AMOUNT_WORDS = ("行次", "栏次", "序号")
UNIT_COLUMN_WORDS = ("预算单位", "单位名称")
TOTAL_ROW_LABELS = frozenset(
    {"合计", "总计", "收入总计", "支出总计", "收入合计", "支出合计", "本年收入合计", "本年支出合计"}
)

# The parts a total column adds up, by the words of their headers. A header naming several (a group
# label joined with its column's own label) names the last one: headers read top to bottom.
PART_WORDS: dict[str, tuple[str, ...]] = {
    "general": ("一般公共预算",),
    "gov_fund": ("政府性基金",),
    "state_capital": ("国有资本经营",),
    "special_account": ("财政专户",),
    "other_special": ("其他专户",),
    "education_fee": ("教育收费",),
    "business_income": ("事业收入",),
    "operating_income": ("经营收入",),
    "upper_grant": ("上级补助",),
    "affiliate_remit": ("附属单位上缴",),
    "other_income": ("其他收入",),
    "carryover_in": ("上年结转", "上年结余", "结转结余"),
    "non_fiscal_balance": ("非财政拨款结余", "事业基金"),
    "unit_funds": ("单位资金",),
    "appropriation": ("财政拨款", "政府预算拨款"),
    "other_funds": ("其他资金",),
    "basic": ("基本支出",),
    "personnel": ("人员支出", "人员经费"),
    "public": ("公用支出", "公用经费"),
    "project": ("项目支出",),
    "business_expense": ("经营支出",),
    "upper_remit": ("上缴上级",),
    "affiliate_grant": ("对附属单位补助",),
    "reserve": ("预留机动", "机动经费", "预备费"),
    "carryover_out": ("结转下年",),
}
# A part that is the sum of others: when such a column is followed by its members, it may be their
# subtotal printed without 小计, so the table cannot be footed.
GROUPS: dict[str, frozenset[str]] = {
    "appropriation": frozenset({"general", "gov_fund", "state_capital"}),
    "unit_funds": frozenset(
        {"business_income", "operating_income", "upper_grant", "affiliate_remit", "other_income"}
    ),
    "other_funds": frozenset({"business_income", "operating_income", "other_income"}),
    "special_account": frozenset({"education_fee", "other_special"}),
    "basic": frozenset({"personnel", "public"}),
}
# Parts of 支出总计 in the national template that some documents print as a part of 基本 / 项目 支出
# (深圳市生态环境局 2026: 事业单位经营支出 within them): a row adds up with them or without them.
OPTIONAL_PARTS = frozenset({"business_expense", "upper_remit", "affiliate_grant"})
FUNDS = ("general", "gov_fund", "state_capital")
FUND_NAMES = {"general": "一般公共预算", "gov_fund": "政府性基金预算", "state_capital": "国有资本经营预算"}


def plain(text: str | None) -> str:
    """Text without spaces (the parser has normalised the characters)."""
    return _SPACE.sub("", text or "")


def row_key(text: str | None) -> str:
    """A row label without spaces and numbering (一、 / （一） / 1. / 其中：)."""
    k, prev = plain(text), None
    while prev != k:
        prev, k = k, _NUMBERING.sub("", k)
    return k


AMBIGUOUS = "?"


def concept(label: str) -> str | None:
    """The part a header names: the most specific one when it names a group and its member (a group
    label joined with its column's own: 政府预算拨款 一般公共预算拨款 is 一般公共预算); `AMBIGUOUS` when it
    names parts of no one group (texts of several columns run together); parenthesised remarks
    (事业收入（不含教育收费）) are ignored."""
    text = _PAREN.sub("", label)
    spans = [
        (m.start(), m.start() + len(w), name)
        for name, words in PART_WORDS.items()
        for w in words
        for m in re.finditer(re.escape(w), text)
    ]
    # a word inside a longer one is not named (财政拨款 in 非财政拨款结余)
    spans = [
        a
        for a in spans
        if not any(b[0] <= a[0] and a[1] <= b[1] and b[1] - b[0] > a[1] - a[0] for b in spans)
    ]
    named = {name for _, _, name in spans}
    specific = {c for c in named if not (GROUPS.get(c, frozenset()) & named)}
    if not specific:
        return None
    return specific.pop() if len(specific) == 1 else AMBIGUOUS


TOTAL, PART, SUBTOTAL, OF_WHICH, CROSS_CUT = "total", "part", "subtotal", "of_which", "cross_cut"


@dataclass(frozen=True)
class Column:
    index: int
    label: str
    role: str
    concept: str | None = None


def classify(label: str) -> Column | None:
    """A column's role by its header words; None when it cannot be placed (or makes the table unsafe)."""
    if any(w in label for w in UNSAFE_WORDS):
        return None
    if any(w in label for w in OF_WHICH_WORDS):
        return Column(-1, label, OF_WHICH)
    if any(w in label for w in CROSS_CUT_WORDS):
        return Column(-1, label, CROSS_CUT)
    if any(w in label for w in SUBTOTAL_WORDS):
        return Column(-1, label, SUBTOTAL)
    if any(w in label for w in TOTAL_WORDS):
        return Column(-1, label, TOTAL)
    c = concept(label)
    return Column(-1, label, PART, c) if c and c != AMBIGUOUS else None


@dataclass(frozen=True)
class Plan:
    """How the amount columns of a table add up: total = Σ parts; `columns` every placed column."""

    total: int
    parts: tuple[int, ...]
    columns: dict[int, Column]


def footing_plan(labels: dict[int, str]) -> Plan | None:
    """The plan of an income or expense table from the headers of its amount columns, or None when a
    column cannot be placed, there is not exactly one total column, or a part may be a subtotal of
    the parts that follow it (a group printed without 小计)."""
    cols: dict[int, Column] = {}
    for j in sorted(labels):
        c = classify(labels[j])
        if c is None:
            return None
        cols[j] = Column(j, labels[j], c.role, c.concept)
    order = sorted(cols)
    totals = [j for j in order if cols[j].role == TOTAL]
    if len(totals) != 1:
        return None
    for k, j in enumerate(order):
        c = cols[j]
        if c.role != SUBTOTAL:
            continue
        run = []
        for j2 in order[k + 1 :]:
            if cols[j2].role not in (OF_WHICH, CROSS_CUT):
                break
            run.append(cols[j2])
        after = k + 1 + len(run)
        if after < len(order) and cols[order[after]].role == PART:
            continue  # the subtotal of the parts after it: they are counted, it is not
        if not run:
            return None  # a 小计 whose parts are not printed after it: cannot tell what it sums
        # a 小计 with no parts of its own, only 其中 columns: the group is that one column (事业收入:
        # 小计 | 其中 教育收费), unless the group cuts across the total (政府采购: 小计 | 其中 中小企业)
        cross = any(w in x.label for x in (c, *run) for w in CROSS_CUT_WORDS)
        cols[j] = Column(j, c.label, CROSS_CUT if cross else PART, None)
    parts = [j for j in order if cols[j].role == PART]
    for a, b in zip(parts, parts[1:], strict=False):
        group = GROUPS.get(cols[a].concept or "")
        if group and cols[b].concept in group and order.index(b) == order.index(a) + 1:
            return None
    if not parts:
        return None
    return Plan(totals[0], tuple(parts), cols)


# ---------------------------------------------------------------- tables of cells


def blank(cell: Row | None) -> bool:
    """A cell that prints nothing: absent, empty or a dash (budgetlens.amounts.NIL_DASHES)."""
    return cell is None or (cell.get("amount") is None and plain(cell.get("text")) in ("", *NIL_DASHES))


def _amount(cell: Row | None) -> Decimal | None:
    """The cell's amount; 0 for a blank or a dash; None for text that is not an amount."""
    if cell is None:
        return Decimal(0)
    if cell.get("amount") is not None:
        return Decimal(cell["amount"])
    return Decimal(0) if blank(cell) else None


class CellTable:
    """One income / expense / appropriation-summary table: its header, unit and body cells."""

    def __init__(self, doc: DocContext, meta: Row, cells: list[Row]):
        self.doc = doc
        self.meta = meta
        self.kind: str = meta["kind"]
        self.index: int = meta["table_index"]
        try:
            header = json.loads(meta.get("header") or "[]")
        except ValueError:
            header = []
        self.header: list[list[str]] = [r for r in header if isinstance(r, list)]
        rows: dict[int, dict[int, Row]] = defaultdict(dict)
        for c in cells:
            rows[c["row_index"]][c["col_index"]] = c
        self.rows: list[tuple[int, dict[int, Row]]] = sorted(rows.items())
        width = max((len(r) for r in self.header), default=0)
        self.width = max([width, *(max(r) + 1 for _, r in self.rows if r)])

    @cached_property
    def labels(self) -> dict[int, str]:
        """Column → its header texts top to bottom, joined without spaces."""
        return {
            j: plain("".join(str(r[j] or "") for r in self.header if j < len(r))) for j in range(self.width)
        }

    @cached_property
    def amount_columns(self) -> list[int]:
        """Columns holding an amount in some body row (never a 行次 / 栏次 column)."""
        found = {j for _, r in self.rows for j, c in r.items() if c.get("amount") is not None}
        return sorted(j for j in found if not any(w in self.labels[j] for w in NOT_AMOUNT_WORDS))

    @property
    def place(self) -> str:
        return self.doc.place(self.kind)

    def words_among_figures(self, row: dict[int, Row]) -> bool:
        """Words in a cell right of the first amount column: a row whose cells are not where the
        header says (a figure glued to a label, a note run into the table)."""
        first = self.amount_columns[0] if self.amount_columns else self.width
        return any(j >= first and _amount(c) is None for j, c in row.items())

    def printing(
        self, cell: Row | None, label: str, value: Decimal | None = None, field: str | None = None
    ) -> Printing:
        """A cell as a printed figure (its own printed precision, refined by its table's); a blank cell
        is an exact 0."""
        v = value if value is not None else (_amount(cell) or Decimal(0))
        page = page_note(cell.get("page")) if cell is not None else ""
        text = f"{self.place} {label}".strip() + page
        if blank(cell):
            return Printing(v, "元", 2, text, None, field)  # nothing printed: an exact 0
        return Printing.of(
            v,
            printed=plain(cell.get("text")) if cell else None,
            unit=self.meta.get("unit"),
            table_decimals=self.meta.get("decimals"),
            label=text,
            field=field,
        )

    def row_label(self, row: dict[int, Row], columns: Iterable[int] | None = None) -> str:
        """The row's words (code and name), outside the amount columns."""
        skip = set(self.amount_columns)
        keep = range(self.width) if columns is None else columns
        texts = [plain(row[j].get("text")) for j in keep if j in row and j not in skip]
        return " ".join(t for t in texts if t and t not in NIL_DASHES)[:40]


def column_numbers(row: dict[int, Row]) -> bool:
    """A row of column numbers (** | 1 | 2 | 3 …), not figures."""
    texts = [plain(c.get("text")) for c in row.values() if c.get("amount") is not None]
    if len(texts) < 3 or not all(t.isdigit() and len(t) <= 2 for t in texts):
        return False
    nums = [int(t) for t in texts]
    return all(b == a + 1 for a, b in zip(nums, nums[1:], strict=False))


def cell_tables(ctx: SuiteContext, doc: DocContext, kinds: tuple[str, ...] = CELL_KINDS) -> list[CellTable]:
    """The document's tables of `kinds` that print cells, as CellTables (empty tables left out)."""
    cells = ctx.data.amount_cells.get(doc.doc_id, [])
    if not cells:
        return []
    by_table: dict[int, list[Row]] = defaultdict(list)
    for c in cells:
        by_table[c["table_index"]].append(c)
    return [
        CellTable(doc, t, by_table[t["table_index"]])
        for t in doc.tables
        if t["kind"] in kinds and not t.get("empty") and by_table.get(t["table_index"])
    ]


# ---------------------------------------------------------------- 1. rows across, lines down


def _head_fields(table: CellTable, plan: Plan) -> dict[int, str]:
    """The record fields the department's total row prints (for materiality)."""
    if table.kind == "income":
        return {plan.total: "totals.income_total"}
    out = {plan.total: "totals.expense_total"}
    for j in plan.parts:
        name = {"basic": "totals.basic_expense", "project": "totals.project_expense"}.get(
            plan.columns[j].concept or ""
        )
        if name:
            out[j] = name
    return out


def across_checks(table: CellTable, plan: Plan, fb: FrameBuilder, head_rows: set[int]) -> None:
    """Each row: its part columns add up to its total column."""
    doc = table.doc
    first_head = min(head_rows) if head_rows else None
    for ri, row in table.rows:
        if column_numbers(row):
            continue
        total_cell = row.get(plan.total)
        if total_cell is None or total_cell.get("amount") is None:
            continue  # no total printed in this row: nothing to foot
        if all(blank(row.get(j)) for j in plan.parts):
            continue  # only the total printed (a stray figure, or a row whose parts are not given)
        values = {j: _amount(row.get(j)) for j in plan.parts}
        if any(v is None for v in values.values()) or table.words_among_figures(row):
            continue  # words in an amount column: the row is not where we think
        label = table.row_label(row)
        fields = _head_fields(table, plan) if ri == first_head else {}
        total = table.printing(
            total_cell, f"{label} {plan.columns[plan.total].label}", field=fields.get(plan.total)
        )
        printed = {
            j: table.printing(row.get(j), f"{label} {plan.columns[j].label}", field=fields.get(j))
            for j in plan.parts
            if values[j] != 0
        }
        if total.value == 0 and not printed:
            continue
        # 事业单位经营支出 and its kin are parts of 支出总计 in the national template, but some documents
        # print them as a part of 基本 / 项目 支出 (其中): a row footed either way holds
        readings = [list(printed)]
        if any(plan.columns[j].concept in OPTIONAL_PARTS for j in printed):
            readings.append([j for j in printed if plan.columns[j].concept not in OPTIONAL_PARTS])
        best: tuple[list[int], Decimal, Decimal, list[Printing]] | None = None
        for cols in readings:
            ps = [printed[j] for j in cols]
            cmp = Comparison(total, tuple(ps))
            gap, allowed = cmp.difference, cmp.tolerance
            if best is None or abs(gap) - allowed < abs(best[1]) - best[2]:
                best = (cols, gap, allowed, ps)
        assert best is not None
        cols, gap, allowed, ps = best
        names = [plan.columns[j].label for j in cols]
        msg = "" if abs(gap) <= allowed else _across_message(total, ps, names, gap, allowed)
        fb.tolerance(
            ROWS_ACROSS,
            doc.doc_id,
            f"t{table.index}.r{ri}.across",
            gap,
            allowed,
            msg,
            doc.material(gap, [total, *ps]),
        )


def _across_message(
    total: Printing, parts: list[Printing], names: list[str], gap: Decimal, allowed: Decimal
) -> str:
    s = sum((p.value for p in parts), Decimal(0))
    shown = " + ".join(f"{n} {p.shown()}" for n, p in zip(names[:8], parts[:8], strict=False))
    more = " + …" if len(parts) > 8 else ""
    return (
        f"{total.label} {total.shown()} ≠ Σ各列 {format_amount(s, total.unit, total.decimals)}"
        f"（{shown or '各列为空'}{more}）{gap_text(gap, allowed, total.unit)}"
    )


_CODE_START = re.compile(r"^\[?(\d{3}(?:\d{2}){0,2})\]?(?:\D|$)")
_SPLIT_WIDTH = (3, 2, 2)


def code_columns(table: CellTable) -> tuple[list[int], bool]:
    """(columns, split): the 类 | 款 | 项 columns of a table printing codes in two or three columns, or
    its one code column (科目编码 …); ([], False) when the codes cannot be placed."""
    amounts = set(table.amount_columns)
    labels = {j: t for j, t in table.labels.items() if j not in amounts}
    split = [j for j, t in sorted(labels.items()) if t.endswith(("类", "款", "项")) and len(t) <= 12]
    ends = [labels[j][-1] for j in split]
    if ends in (["类", "款", "项"], ["类", "款"]):
        return split, True
    single = [
        j
        for j, t in sorted(labels.items())
        if any(w in t for w in ("编码", "代码", "科目")) and "名称" not in t
    ]
    return (single, False) if len(single) == 1 else ([], False)


def row_code(row: dict[int, Row], columns: list[int], split: bool, carry: list[str]) -> str | None:
    """The row's function code ('2010601'); `carry` keeps the 类 / 款 of the rows above (tables that
    print them once)."""
    if not columns:
        return None
    if not split:
        cell = row.get(columns[0])
        m = _CODE_START.match(plain(cell.get("text")) if cell else "")
        return m.group(1) if m else None
    parts = [re.sub(r"\D", "", plain(row[j].get("text")) if j in row else "") for j in columns]
    if not any(parts):
        return None
    deepest = max(k for k, p in enumerate(parts) if p)
    for k in range(deepest):
        if not parts[k]:
            if k >= len(carry) or not carry[k]:
                return None
            parts[k] = carry[k]
    if any(len(parts[k]) != _SPLIT_WIDTH[k] for k in range(deepest + 1)):
        return None
    carry[:] = parts[: deepest + 1]
    return "".join(parts[: deepest + 1])


@dataclass
class Line:
    row_index: int
    cells: dict[int, Row]
    code: str | None
    label: str

    @property
    def level(self) -> int:
        return {3: 1, 5: 2, 7: 3}.get(len(self.code or ""), 0)


def _blocks(table: CellTable, plan: Plan) -> tuple[list[tuple[Line | None, list[Line]]], set[int]]:
    """The table's lines in blocks, each headed by a total row (合计 / 总计 above its lines, or below
    them when the lines have none above; a unit's row in a table with a 预算单位 column). A block with
    an uncoded row of figures that is no total, or a code printed twice, is not checked (its
    structure is unclear). Returns the blocks (head, lines) whose structure is clear, and the row
    indexes of every head."""
    columns, split = code_columns(table)
    unit_cols = [j for j, t in table.labels.items() if any(w in t for w in UNIT_COLUMN_WORDS)]
    carry: list[str] = []
    blocks: list[tuple[Line | None, list[Line], bool]] = [(None, [], True)]
    heads: set[int] = set()
    for ri, row in table.rows:
        if column_numbers(row) or all(c.get("amount") is None for c in row.values()):
            continue
        code = row_code(row, columns, split, carry)
        line = Line(ri, row, code, table.row_label(row))
        if code is not None:
            blocks[-1][1].append(line)
            continue
        words = {row_key(c.get("text")) for j, c in row.items() if c.get("amount") is None}
        unit = any(
            j in row and not blank(row[j]) and not re.search(r"\d", row[j].get("text") or "")
            for j in unit_cols
        )
        total_cell = row.get(plan.total)
        if (
            (words & TOTAL_ROW_LABELS or unit)
            and total_cell is not None
            and total_cell.get("amount") is not None
        ):
            heads.add(ri)
            head, lines, ok = blocks[-1]
            if head is None and lines and words & TOTAL_ROW_LABELS and not unit:
                blocks[-1] = (line, lines, ok)  # a total printed below its lines (上海: 合计 last)
                blocks.append((None, [], True))
            else:
                blocks.append((line, [], True))
        else:
            head, lines, _ = blocks[-1]
            blocks[-1] = (head, lines, False)  # an uncoded row of figures inside a block
    clear = []
    for head, lines, ok in blocks:
        codes = [ln.code for ln in lines]
        if ok and lines and len(codes) == len(set(codes)):
            clear.append((head, lines))
    return clear, heads


def down_checks(
    table: CellTable, plan: Plan, fb: FrameBuilder, blocks: list[tuple[Line | None, list[Line]]]
) -> None:
    """项 → 款 → 类 → the block's total row, for every placed column."""
    first_head = min((h.row_index for h, _ in blocks if h is not None), default=None)
    for head, lines in blocks:
        for k, parent in enumerate(lines):
            if parent.level not in (1, 2):
                continue
            kids: list[Line] = []
            for ln in lines[k + 1 :]:
                if ln.level <= parent.level:
                    break
                if ln.level == parent.level + 1:
                    kids.append(ln)
            if not kids or any(not (ln.code or "").startswith(parent.code or "") for ln in kids):
                continue
            what = "Σ项" if parent.level == 2 else "Σ款"
            _column_sums(table, plan, fb, parent, kids, what, f"t{table.index}.r{parent.row_index}")
        classes = [ln for ln in lines if ln.level == 1]
        if head is not None and classes:
            fields = _head_fields(table, plan) if head.row_index == first_head else {}
            item = f"t{table.index}.r{head.row_index}.classes"
            _column_sums(table, plan, fb, head, classes, "Σ类", item, fields)


def _column_sums(
    table: CellTable,
    plan: Plan,
    fb: FrameBuilder,
    parent: Line,
    kids: list[Line],
    what: str,
    item: str,
    fields: dict[int, str] | None = None,
) -> None:
    """The parent's cell against the sum of its lines' cells, column by column; `fields` the record
    fields the parent's cells print (for materiality)."""
    doc = table.doc
    for j in sorted(plan.columns):
        cell = parent.cells.get(j)
        if cell is None or cell.get("amount") is None:
            continue  # the parent prints nothing in this column: nothing to check against
        values = [_amount(k.cells.get(j)) for k in kids]
        if any(v is None for v in values):
            continue
        name = plan.columns[j].label
        field = (fields or {}).get(j) or _line_field(parent)
        total = table.printing(cell, f"{parent.label} {name}", field=field)
        parts = [
            table.printing(k.cells.get(j), f"{k.label} {name}", field=_line_field(k))
            for k, v in zip(kids, values, strict=True)
            if v != 0
        ]
        if total.value == 0 and not parts:
            continue
        if not parts:
            parts = [table.printing(None, "", value=Decimal(0))]
        add_sum_check(fb, LINES_DOWN, doc, f"{item}.c{j}.down", total, parts, f"{what} {name}")


def _line_field(line: Line) -> str | None:
    return f"function:{line.code}" if line.code else None


def table_checks(table: CellTable, fb: FrameBuilder) -> None:
    """Rows across and lines down of one income or expense table (nothing when it cannot be placed)."""
    labels = {j: table.labels[j] for j in table.amount_columns}
    plan = footing_plan(labels) if labels else None
    if plan is None:
        return
    blocks, heads = _blocks(table, plan)
    across_checks(table, plan, fb, heads)
    down_checks(table, plan, fb, blocks)


# ---------------------------------------------------------------- 2. the appropriation summary


class Sides:
    """A two-sided table (收入 | 支出; the appropriation summary, the summary of final accounts): for each side its label columns, its amount columns (the total
    first, then any fund columns of the expenditure side) and the row labels."""

    def __init__(self, table: CellTable):
        self.ok = False
        labels = table.labels
        amounts = set(table.amount_columns)
        words = [j for j in range(table.width) if j not in amounts and any(j in r for _, r in table.rows)]
        if not amounts or not words:
            return
        start = words[0]
        split = next((j for j in words if j > start and any(start < a < j for a in amounts)), None)
        if split is None:
            return
        if not any("收入" in labels[j] for j in range(start, split)) or not any(
            "支出" in labels[j] for j in range(split, table.width)
        ):
            return
        inc = [j for j in table.amount_columns if start <= j < split]
        exp = [j for j in table.amount_columns if j >= split]
        if len(inc) != 1 or not exp:
            return
        totals = [j for j in exp if any(w in labels[j] for w in TOTAL_WORDS)] if len(exp) > 1 else exp
        if len(totals) != 1:
            return
        funds: dict[str, int] = {}
        for j in exp:
            if j in totals:
                continue
            c = concept(labels[j])
            if c not in FUNDS or c in funds:
                return
            funds[c] = j
        self.inc_col, self.exp_col, self.funds = inc[0], totals[0], funds
        # the row labels, without the 行次 / 栏次 numbers printed beside them
        named = [j for j in range(table.width) if not any(w in labels[j] for w in NOT_AMOUNT_WORDS)]
        self.inc = {ri: table.row_label(r, [j for j in named if start <= j < split]) for ri, r in table.rows}
        self.exp = {ri: table.row_label(r, [j for j in named if j >= split]) for ri, r in table.rows}
        self.ok = True


_CARRY_WORDS = ("上年结转", "上年结余", "结转结余", "年初结转", "结转和结余")


def appropriation_checks(table: CellTable, fb: FrameBuilder) -> None:
    """收入总计 = 支出总计; per fund, where the expenditure side has fund columns: the fund's income rows
    (this year's, carried over) = its column's 支出总计, and each row's fund columns = its total."""
    doc = table.doc
    labels = table.labels
    sides = Sides(table)
    if not sides.ok:
        return
    ic, ec, funds = sides.inc_col, sides.exp_col, sides.funds
    inc_raw = sides.inc
    inc_label = {ri: row_key(t) for ri, t in inc_raw.items()}
    exp_label = {ri: row_key(t) for ri, t in sides.exp.items()}
    rows = dict(table.rows)
    inc_total = _grand_row(inc_label, ("收入总计", "总计", "收入合计"))
    exp_total = _grand_row(exp_label, ("支出总计", "总计", "支出合计"))
    a = _stated(table, rows, inc_total, ic, "收入总计")
    b = _stated(table, rows, exp_total, ec, "支出总计")
    add_equality(fb, APPROPRIATION_BALANCES, doc, f"t{table.index}.total", a, b)
    if not funds or exp_total is None or inc_total is None:
        return
    # each expenditure row: the fund columns add up to its total
    for ri, row in table.rows:
        cell = row.get(ec)
        if cell is None or cell.get("amount") is None or all(blank(row.get(j)) for j in funds.values()):
            continue
        if column_numbers(row):
            continue  # 栏次 | 1 | 栏次 | 2 | 3 | 4: column numbers, not figures
        values = {f: _amount(row.get(j)) for f, j in funds.items()}
        if any(v is None for v in values.values()):
            continue
        label = exp_label[ri]
        total = table.printing(cell, f"{label} {labels[ec]}")
        parts = [
            table.printing(row.get(j), f"{label} {FUND_NAMES[f]}") for f, j in funds.items() if values[f] != 0
        ]
        if total.value == 0 and not parts:
            continue
        add_sum_check(
            fb, APPROPRIATION_BALANCES, doc, f"t{table.index}.r{ri}.funds", total,
            parts or [table.printing(None, "", value=Decimal(0))], "Σ各资金列",
        )  # fmt: skip
    # each fund: its income rows (this year's, carried over) = its column's 支出总计
    for fund, rows_of in _fund_income_rows(table, inc_raw, inc_total, ic).items():
        col = funds.get(fund)
        if col is None:
            continue
        cells = [rows[ri].get(ic) for ri in rows_of]
        values = [_amount(c) for c in cells]
        spent = rows[exp_total].get(col)
        if any(v is None for v in values) or _amount(spent) is None:
            continue
        total = table.printing(spent, f"支出总计 {FUND_NAMES[fund]}")
        parts = [table.printing(c, inc_label[ri]) for c, ri in zip(cells, rows_of, strict=True)]
        if total.value == 0 and all(p.value == 0 for p in parts):
            continue
        add_sum_check(
            fb, APPROPRIATION_BALANCES, doc, f"t{table.index}.fund.{fund}", total, parts,
            f"{FUND_NAMES[fund]}收入（本年 + 上年结转）",
        )  # fmt: skip


def _grand_row(labels: dict[int, str], words: tuple[str, ...]) -> int | None:
    for w in words:
        found = [ri for ri, t in labels.items() if t == w]
        if found:
            return found[0]
    return None


def _stated(
    table: CellTable, rows: dict[int, dict[int, Row]], ri: int | None, col: int, name: str
) -> Printing | None:
    if ri is None:
        return None
    cell = rows[ri].get(col)
    if cell is None or cell.get("amount") is None:
        return None
    return table.printing(cell, name)


def _fund_income_rows(table: CellTable, labels: dict[int, str], grand: int, col: int) -> dict[str, list[int]]:
    """fund → its income rows above 收入总计 (this year's, and carried over after the 上年结转 heading),
    by the rows' income labels as printed. Left out: a fund named twice in one part or in a 其中 row
    (a part of the row above, or the fund's only row under a subtotal: cannot tell), and every fund
    when a carried-over amount is not split by fund."""
    rows = dict(table.rows)
    this_year: dict[str, list[int]] = defaultdict(list)
    carried: dict[str, list[int]] = defaultdict(list)
    carry_head: int | None = None
    unclear: set[str] = set()
    for ri, _row in table.rows:
        if ri >= grand:
            break
        text = labels[ri]
        if carry_head is None and any(w in text for w in _CARRY_WORDS):
            carry_head = ri
            named = [f for f in FUNDS if concept(text) == f]
            if not named:
                continue
        fund = concept(text)
        if "其中" in text:
            unclear.add(fund or "")
            continue
        if fund in FUNDS:
            (carried if carry_head is not None else this_year)[fund].append(ri)
    if carry_head is not None:
        head_amount = _amount(rows[carry_head].get(col))
        if head_amount and not carried:
            return {}
    out: dict[str, list[int]] = {}
    for fund in FUNDS:
        a, b = this_year.get(fund, []), carried.get(fund, [])
        if len(a) > 1 or len(b) > 1 or not (a or b) or fund in unclear:
            continue
        out[fund] = a + b
    return out


# ---------------------------------------------------------------- 3. economic 款 → 类


def economic_checks(doc: DocContext, fb: FrameBuilder) -> None:
    """Every economic 类 against the 款 lines printed with it, where the table breaks every 类 down
    (codes printed once; else nothing)."""
    lines = [
        ln
        for ln in doc.data.economic_lines.get(doc.doc_id, [])
        if (ln.get("code") or "").isdigit() and len(ln["code"]) in (3, 5)
    ]
    classes = [ln for ln in lines if len(ln["code"]) == 3]
    sections = [ln for ln in lines if len(ln["code"]) == 5]
    codes = [ln["code"] for ln in lines]
    if not classes or not sections or len(codes) != len(set(codes)):
        return
    if any(
        ln.get("amount") and not any(k["code"].startswith(ln["code"]) for k in sections) for ln in classes
    ):
        return  # some 类 printed without 款: the 款 printed are a selection (其中), not a breakdown
    kind = "basic_by_economic" if "basic_by_economic" in doc.table_precision else "basic_expense"
    p = doc.table_precision.get(kind) or doc.coarsest
    place = doc.place(kind)

    def printing(ln: Row) -> Printing:
        label = f"{place} {ln['code']} {ln.get('name') or ''}".strip()
        return Printing(Decimal(ln["amount"]), p.unit, p.decimals, label, None, None)

    for cls in classes:
        kids = [ln for ln in sections if ln["code"].startswith(cls["code"])]
        if not kids or cls.get("amount") is None or any(k.get("amount") is None for k in kids):
            continue
        add_sum_check(
            fb,
            ECONOMIC_SECTIONS,
            doc,
            f"economic.{cls['code']}",
            printing(cls),
            [printing(k) for k in kids],
            "Σ款",
        )


# ---------------------------------------------------------------- 4. shares stated in the prose

_AMOUNT = re.compile(r"(?P<amount>\d[\d,]*(?:\.\d+)?)(?P<unit>亿元|万元|元)")
_SHARE = re.compile(
    r"(?:所?占(?P<of>[^%％\d，；;。]{0,24}?)(?:比重|比例)?为?|比重为|比例为)(?P<pct>\d+(?:\.\d+)?)[%％]"
)
_CLAUSES = re.compile(r"[，；;：:]|,(?!\d)")  # not the thousands comma
_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}

# What a share is a share of, as the prose names it: a lead in the same sentence (…支出预算合计 N 万元，
# 其中：…) or the words after 占 (占政府采购支出总额的 92.54%).
WHOLES: dict[str, tuple[str, ...]] = {
    "expense_total": ("支出预算合计", "支出预算总计", "本年支出合计", "支出总计", "支出预算总额", "支出合计"),
    "income_total": ("收入预算合计", "收入预算总计", "本年收入合计", "收入总计", "收入预算总额", "收入合计"),
    "procurement_total": ("政府采购支出总额", "政府采购预算总额", "政府采购预算"),
    "procurement_sme": ("授予中小企业合同金额", "面向中小企业"),
    "three_public_total": ("三公”经费", "三公经费", '三公"经费'),
}
# The figures a share is stated for (record field → the whole it is a share of, the words naming it).
SHARE_PARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "basic_expense": ("expense_total", ("基本支出",)),
    "project_expense": ("expense_total", ("项目支出",)),
    "reserve_expense": ("expense_total", ("单位预留机动经费", "预留机动经费")),
    "general_budget_appropriation": (
        "income_total",
        ("一般公共预算拨款收入", "一般公共预算收入", "一般公共预算财政拨款收入"),
    ),
    "carryover_in": ("income_total", ("上年结转结余", "上年结转")),
    "procurement_sme": ("procurement_total", ("授予中小企业合同金额", "面向中小企业")),
    "procurement_small_micro": ("procurement_sme", ("授予小微企业合同金额", "面向小型、微型企业")),
    "overseas_travel": ("three_public_total", ("因公出国（境）费", "因公出国(境)费")),
    "official_reception": ("three_public_total", ("公务接待费",)),
    "vehicle_total": ("three_public_total", ("公务用车购置及运行费", "公务用车购置及运行维护费")),
}


@dataclass(frozen=True)
class ShareClaim:
    """One share the prose states: `part` is `pct` % of `whole` (record field names); the figures the
    sentence states for them (yuan, None when it states none) and the words as printed."""

    part: str
    whole: str
    pct: Decimal
    part_amount: Decimal | None
    whole_amount: Decimal | None
    text: str


def _named(text: str, names: dict[str, tuple[str, ...]]) -> str | None:
    found = [(text.rfind(w) + len(w), f) for f, words in names.items() for w in words if w in text]
    return max(found)[1] if found else None


def _yuan(m: re.Match[str] | None) -> Decimal | None:
    return Decimal(m.group("amount").replace(",", "")) * _UNITS[m.group("unit")] if m else None


def share_claims(passage: str) -> list[ShareClaim]:
    """The shares a passage states where the sentence names both the figure and its whole: "基本支出
    60 万元，占 60%" after "支出预算合计 100 万元，其中：" in the same sentence, or "…占政府采购支出总额的
    92.54%". A share whose whole the sentence does not name (占 37% of what was said a sentence
    before), or names as another whole than the figure's, is not read."""
    out: list[ShareClaim] = []
    for sentence in plain(passage).split("。"):
        lead: tuple[str, Decimal | None] | None = None
        pending: tuple[str, Decimal | None, str] | None = None  # the last figure named
        for clause in _CLAUSES.split(sentence):
            share = _SHARE.search(clause)
            head = clause[: share.start()] if share else clause
            amount = _AMOUNT.search(head)
            part = _named(head, {f: words for f, (_, words) in SHARE_PARTS.items()})
            if part is not None:
                pending = (part, _yuan(amount), head)
            elif amount is not None or share is None:
                whole = _named(head, WHOLES)
                if whole is not None:
                    lead, pending = (whole, _yuan(amount)), None
                elif amount is not None:
                    pending = None  # a figure of something else: a share after it is not ours
            if share is None or pending is None:
                continue
            of = (share.group("of") or "").removesuffix("的")
            if of and of not in ("比",):
                whole_field, whole_amount = _named(of, WHOLES), None
            elif lead is not None:
                whole_field, whole_amount = lead
            else:
                whole_field, whole_amount = None, None
            name, amount_then, words = pending
            pending = None
            if whole_field is None or whole_field != SHARE_PARTS[name][0]:
                continue
            out.append(
                ShareClaim(
                    name,
                    whole_field,
                    Decimal(share.group("pct")),
                    amount_then,
                    whole_amount,
                    (words + "，" + share.group(0))[-60:],
                )
            )
    return out


def share_checks(doc: DocContext, fb: FrameBuilder, passages: list[Row]) -> None:
    """Every share the prose states against the share of the tables' figures; read only when the
    stated figures (where stated) are the tables' (else prose_agrees_with_tables speaks)."""
    seen: dict[str, int] = defaultdict(int)
    for passage in passages:
        for claim in share_claims(passage.get("text") or ""):
            part, whole = doc.figure("totals", claim.part), doc.figure("totals", claim.whole)
            if part is None or whole is None or whole.value <= 0:
                continue
            if not (_same(claim.part_amount, part) and _same(claim.whole_amount, whole)):
                continue  # the sentence speaks of other figures (prose_agrees_with_tables compares them)
            share = part.value / whole.value * 100
            decimals = max(0, -claim.pct.normalize().as_tuple().exponent)  # type: ignore[operator]
            # one unit in the percentage's last place: documents round shares up or down as well as
            # to the nearest (江苏省人民检察院 2019 prints 65.56% for 15,844.04 / 24,169.74 = 65.553%)
            pct_unit = Decimal(10) ** (-decimals)
            open_ = (part.half_step + share / 100 * whole.half_step) / whole.value * 100
            gap = claim.pct - share
            allowed = pct_unit + open_
            seen[claim.part] += 1
            item = f"share.{claim.part}#{seen[claim.part]}"
            msg = ""
            if abs(gap) > allowed:
                msg = (
                    f"正文{page_note(passage.get('page'))} “{claim.text}” ≠ {part.label} {part.shown()} / "
                    f"{whole.label} {whole.shown()} = {share.quantize(Decimal('0.01'))}%（相差 "
                    f"{abs(gap).quantize(Decimal('0.01'))} 个百分点，容差 {allowed.quantize(Decimal('0.001'))}）"
                )
            yuan_gap = abs(claim.pct / 100 * whole.value - part.value)
            fb.tolerance(
                PROSE_SHARES, doc.doc_id, item, gap, allowed, msg, doc.material(yuan_gap, [part, whole])
            )


# How far a figure the sentence states may be from the table's and still name the same figure: the
# prose prints 万元 with up to two decimals, or whole 万元 (half a unit of that).
SAME_FIGURE = Decimal(5_000)


def _same(stated: Decimal | None, table: Printing) -> bool:
    return stated is None or abs(stated - table.value) <= max(table.half_step, SAME_FIGURE)


# ---------------------------------------------------------------- 5. year on year


def _dept_key(d: Row) -> tuple:
    return (
        d.get("jurisdiction"),
        d.get("department_canonical") or d.get("department"),
        d.get("kind"),
        d.get("scope"),
    )


def previous_budgets(ctx: SuiteContext) -> dict[str, list[str]]:
    """doc_id → the budgets of the same jurisdiction, department and scope for the year before (among
    the documents the run reads, published when last decided)."""
    by_key: dict[tuple, list[str]] = defaultdict(list)
    for doc_id, d in ctx.everyone.documents.items():
        if (
            d.get("kind") == "budget"
            and d.get("fiscal_year") is not None
            and d.get("status", "published") == "published"
        ):
            by_key[(*_dept_key(d), int(d["fiscal_year"]))].append(doc_id)
    out: dict[str, list[str]] = {}
    for doc_id, d in ctx.data.documents.items():
        if d.get("kind") != "budget" or d.get("fiscal_year") is None or not _dept_key(d)[1]:
            continue
        prev = [p for p in by_key.get((*_dept_key(d), int(d["fiscal_year"]) - 1), []) if p != doc_id]
        if prev:
            out[doc_id] = prev
    return out


def year_on_year_checks(
    ctx: SuiteContext, doc: DocContext, fb: FrameBuilder, spec: ExpectationSpec, previous: list[str]
) -> None:
    """Each compared figure against last year's budget of the department: a change beyond the band
    is a warning."""
    band = ctx.settings.year_on_year_band
    year = int(doc.document["fiscal_year"])
    for name in YEAR_ON_YEAR_FIELDS:
        now = doc.figure("totals", name)
        before = {ctx.everyone.totals.get(p, {}).get(name) for p in previous}
        if now is None or len(before) != 1:
            continue
        last = before.pop()
        if last is None or Decimal(last) <= 0:
            continue
        last = Decimal(last)
        gap, allowed = now.value - last, band * last
        msg = ""
        if abs(gap) > allowed:
            files = "、".join(sorted(str(ctx.everyone.documents[p].get("file_name") or p) for p in previous))
            change = (gap / last * 100).quantize(Decimal("0.1"))
            msg = (
                f"{FIELD_LABELS.get(name, name)} {year} 年 {now.shown()}，比 {year - 1} 年预算（{files}）"
                f"{format_amount(last, now.unit, now.decimals)} {'增加' if gap > 0 else '减少'} {abs(change)}%，"
                f"超出 ±{_percent(band)}%"
            )
        fb.tolerance(spec, doc.doc_id, f"yoy.totals.{name}", gap, allowed, msg, False)


# ---------------------------------------------------------------- frames


def frames(ctx: SuiteContext) -> dict[str, pd.DataFrame]:
    tables, docs = FrameBuilder(), FrameBuilder()
    all_specs = specs(ctx)
    yoy = year_on_year_spec(ctx.settings.year_on_year_band)
    previous = previous_budgets(ctx)
    prose: dict[str, list[Row]] = ctx.data.prose_passages
    for doc in ctx.docs():
        for table in cell_tables(ctx, doc):
            if table.kind == "appropriation_summary":
                appropriation_checks(table, tables)
            else:
                table_checks(table, tables)
        economic_checks(doc, docs)
        share_checks(doc, docs, prose.get(doc.doc_id, []))
        if doc.doc_id in previous:
            year_on_year_checks(ctx, doc, docs, yoy, previous[doc.doc_id])
    return {
        TABLES: tables.frame([s for s in all_specs if s.frame == TABLES]),
        DOCS: docs.frame([s for s in all_specs if s.frame == DOCS]),
    }
