"""The final-accounts layout (`final_accounts`): a 部门决算 as central and municipal departments print it.

Imitates the central template (国家信访局 2024 年度部门决算, ../shared/real-pdfs/): a cover
"<部门> / <年> 年度部门决算"; 第一部分 概况 (职责, 机构设置); 第二部分 the nine tables 公开01表–公开09表
(收入支出决算总表, 收入决算表, 支出决算表, 财政拨款收入支出决算总表, 一般公共预算财政拨款支出决算表,
一般公共预算财政拨款基本支出决算表, 政府性基金预算财政拨款收入支出决算表, 国有资本经营预算财政拨款支出决算表,
一般公共预算财政拨款“三公”经费支出决算表), every figure in 万元 with two decimals, nil printed blank,
行次 / 栏次 as printed there; 第三部分 情况说明 (the year's totals, each 项 against its 年初预算, the
基本支出 by 人员经费 / 公用经费, the 三公 预算数 against 决算数, 机关运行经费, 政府采购); 第四部分 名词解释.

The figures come from the truth record (`corpus.final`), the budgeted ones it compares
itself with from `extra.budget`. Variations: `sme:none` (the procurement paragraph states no SME
awards), `units:central` (the units as the central template names them: 部门决算包括：X本级决算、Y决算),
`template:district` (the district printing, as Shanghai's districts print their 部门决算: the cover's
name wrapped with the year, the budget's units as a numbered table 序号 | 单位名称 | 备注, codes under
a 科目编码 header over 类 | 款 | 项 with the whole code printed under 类, the economic table's codes
split 类 | 款 ('301' | '01'), the 三公 table by category with 预算数 | 决算数 under each, the
contracted procurement and the SME reservations beside what SMEs won, 绩效自评的 N 个项目).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from budgetlens.identities import APPROPRIATION
from corpus.context import CN_ORD
from corpus.final import CLASSES, ECONOMIC_GROUPS, TABLE_KINDS, merge_lines
from corpus.layout_base import D, Layout, labelled
from corpus.model import Block, Cell, Heading, PageBreak, Para, Section, Table
from corpus.numbers import NumberStyle, fmt

CN_DIGITS = "〇一二三四五六七八九"
PROSE_STYLE = NumberStyle(unit="万元", decimals=2, zero="0", trim=True, thousands=False)
TITLES: list[tuple[str, str]] = list(  # (kind, title) of each table, in order
    zip(
        TABLE_KINDS,
        (
            "收入支出决算总表",
            "收入决算表",
            "支出决算表",
            "财政拨款收入支出决算总表",
            "一般公共预算财政拨款支出决算表",
            "一般公共预算财政拨款基本支出决算表",
            "政府性基金预算财政拨款收入支出决算表",
            "国有资本经营预算财政拨款支出决算表",
            "一般公共预算财政拨款“三公”经费支出决算表",
        ),
        strict=True,
    )
)
NOTES = {
    "summary": "注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。",
    "income": "注：本表反映部门本年度取得的各项收入情况。",
    "expense": "注：本表反映部门本年度各项支出情况。",
    "appropriation_summary": "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
    "general_budget_by_function": "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    "basic_expense": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "gov_fund": "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    "state_capital": "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
    "three_public": "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的"
    "预算数；决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。",
}
TERMS = [
    "一、财政拨款收入：指本级财政当年拨付的资金。",
    "二、年初结转和结余：指以前年度支出预算因客观条件变化未执行完毕、结转到本年度按有关规定继续使用的资金。",
    "三、年末结转和结余：指本年度或以前年度预算安排、因客观条件发生变化无法按原计划实施，需要延迟到以后年度按有关规定继续使用的资金。",
    "四、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "五、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "六、“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    "七、机关运行经费：为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。",
]


def split_code_header(header: list[list[Cell | None]]) -> list[list[Cell | None]]:
    """A function table's header (项目 over code | 科目名称 | figures) with its code column as three,
    类 | 款 | 项, under one 功能分类科目编码 cell: one row more, the other cells reaching it."""
    last = len(header) - 1
    out: list[list[Cell | None]] = []
    for r, row in enumerate(header):
        first = row[0]
        if first is not None and r == last:
            first = replace(first, text="功能分类科目编码", colspan=3)
        elif first is not None and first.colspan > 1:
            first = replace(first, colspan=first.colspan + 2)
        cells: list[Cell | None] = [first, None, None]
        for cell in row[1:]:
            if cell is not None and r + cell.rowspan - 1 == last:
                cell = replace(cell, rowspan=cell.rowspan + 1)
            cells.append(cell)
        out.append(cells)
    out.append([Cell("类"), Cell("款"), Cell("项"), *[None] * (len(out[0]) - 3)])
    return out


def pct(part: Decimal, whole: Decimal) -> str:
    """A share or a rate as the central template prints it: 60.46%."""
    if whole == 0:
        return "0%"
    return f"{(part / whole * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def cn_year(year: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(year))


class FinalAccounts(Layout):
    """Builds the blocks of one department's final accounts."""

    template = "final_accounts"

    # -- figures -----------------------------------------------------------------------------
    @property
    def district(self) -> bool:
        return self.c.has("template", "district")

    @property
    def t(self) -> dict[str, Any]:
        return self.c.record["totals"]

    @property
    def x(self) -> dict[str, Any]:
        return self.c.extra

    def n(self, value: str | Decimal | None) -> str:
        """A table figure: 万元, two decimals, nil blank (`zero:0.00` / `zero:0` / `zero:dash` print it)."""
        zero = {"0.00": "0.00", "0": "0", "dash": "-"}.get(self.c.var("zero", "blank"), "")
        return fmt(value, NumberStyle(unit="万元", decimals=2, zero=zero))

    def w(self, value: str | Decimal | None, row: str, col: str) -> str:
        """A figure in prose sentence `row` (overridable as place "prose")."""
        o = self.c.override("prose", row, col)
        if o is not None:
            if "text" in o:
                return o["text"]
            value = o["value"]
        return fmt(value if value is not None else "0", PROSE_STYLE)

    def all_lines(self) -> list[dict[str, Any]]:
        """The lines of every fund (the 支出决算表's rows)."""
        return merge_lines(self.c.record["function_lines"], self.x.get("fund_lines", []))

    def classes(self) -> list[tuple[str, str]]:
        """Every class of the national list, and any class the document spends on outside it."""
        out = dict(CLASSES)
        for ln in self.all_lines() + self.x.get("income_lines", []):
            if ln["level"] == 1:
                out.setdefault(ln["code"], ln["name"])
        listed = [c for c, _ in CLASSES]
        extra = sorted(c for c in out if c not in listed)
        return [(c, out[c]) for c in listed + extra]

    # -- tables ------------------------------------------------------------------------------
    def frame(self, kind: str, kw: dict[str, Any]) -> dict[str, Any]:
        n = [k for k, _ in TITLES].index(kind) + 1
        notes = [NOTES[kind], *kw.pop("notes", [])]
        orientation = kw.pop("orientation", "landscape")
        return {
            "title": dict(TITLES)[kind],
            "number": f"公开{n:02d}表",
            "dept_line": None if self.district else f"部门：{self.c.dept}",  # district tables name no one
            "unit_line": "金额单位：万元",
            "notes": notes,
            "rules": "grid",
            "orientation": orientation,
            **kw,
        }

    def summary(self) -> Table:
        k, n, t = "summary", self.n, self.t
        header: list[list[Cell | None]] = [
            [Cell("收入", colspan=3), None, None, Cell("支出", colspan=3), None, None],
            [Cell("项目"), Cell("行次"), Cell("金额"), Cell("项目"), Cell("行次"), Cell("金额")],
        ]
        labels = (
            "一、一般公共预算财政拨款收入",
            "二、政府性基金预算财政拨款收入",
            "三、国有资本经营预算财政拨款收入",
        )
        income = labelled(labels, APPROPRIATION.parts, lambda key: t[key]) + [
            ("四、上级补助收入", None, "superior"),
            ("五、事业收入", None, "business"),
            ("六、经营收入", None, "operations"),
            ("七、附属单位上缴收入", None, "subsidiary"),
            ("八、其他收入", None, "other"),
        ]
        by_class = {ln["code"]: ln["total"] for ln in self.all_lines() if ln["level"] == 1}
        expense = [
            (f"{CN_ORD[i]}、{name}", by_class.get(code), code)
            for i, (code, name) in enumerate(self.classes())
        ]
        m = len(expense)
        rows = [["栏次", "", "1", "栏次", "", "2"]]
        keys: list[tuple[str, ...]] = [("", "")]
        for i in range(m):
            a = income[i] if i < len(income) else ("", None, "")
            b = expense[i]
            rows.append([a[0], str(i + 1), n(a[1]), b[0], str(m + 6 + i), n(b[1])])
            keys.append((a[2], b[2]))
        year_in = D(t["income_total"]) - D(t["carryover_in"])
        year_out = D(t["expense_total"]) - D(t["carryover_out"])
        tail = [
            ("本年收入合计", year_in, "income_year", "本年支出合计", year_out, "expense_year"),
            ("使用非财政拨款结余", None, "", "结余分配", None, ""),
            (
                "年初结转和结余",
                t["carryover_in"],
                "carryover_in",
                "年末结转和结余",
                t["carryover_out"],
                "carryover_out",
            ),
            ("", None, "", "", None, ""),
            ("总计", t["income_total"], "income_total", "总计", t["expense_total"], "expense_total"),
        ]
        for j, (la, va, ka, lb, vb, kb) in enumerate(tail):
            rows.append([la, str(m + 1 + j), n(va), lb, str(2 * m + 6 + j), n(vb)])
            keys.append((ka, kb))
        bold = frozenset({m + 1, len(rows) - 1})
        return self.table(
            k,
            header,
            rows,
            keys,
            ["in.name", "in.row", "in.amount", "name", "row", "amount"],
            [3.4, 0.6, 1.3, 3.4, 0.6, 1.3],
            "LCRLCR",
            bold_rows=bold,
            font_size=6.5,
        )

    def function_table(
        self,
        kind: str,
        header: list[list[Cell | None]],
        lines: list[dict[str, Any]],
        fields: list[str],
        widths: list[float],
        align: str,
        **kw: Any,
    ) -> Table:
        """栏次 (1, 2, …), 合计 (bold) and one row per line: code, name, the fields' figures (an empty
        table: 合计 only, unless `empty:column_numbers` prints its 栏次 row too)."""
        tops = [ln for ln in lines if ln["level"] == 1]
        total = [sum((D(ln.get(f)) for ln in tops), Decimal(0)) for f in fields]
        head = [str(i) for i in range(1, len(fields) + 1)]
        rows = [["", "栏次", *head], ["", "合计", *[self.n(v) for v in total]]]
        keys: list[tuple[str, ...]] = [("",), ("total",)]
        if not lines and not self.c.has("empty", "column_numbers"):
            rows, keys = rows[1:], keys[1:]  # an empty table: its header and a blank 合计 row
        for ln in lines:
            rows.append([ln["code"], ln["name"], *[self.n(ln.get(f)) for f in fields]])
            keys.append((ln["code"],))
        cols = ["code", "name", *fields]
        if self.district:
            header = split_code_header(header)
            rows = [[r[0], "", "", *r[1:]] for r in rows]
            cols = [cols[0], "kuan", "xiang", *cols[1:]]
            widths = [widths[0] * 0.8, 0.35, 0.35, *widths[1:]]
            align = align[0] + "CC" + align[1:]
        return self.table(
            kind, header, rows, keys, cols, widths, align, bold_rows=frozenset({keys.index(("total",))}), **kw
        )

    @staticmethod
    def column_header(heads: list[str]) -> list[list[Cell | None]]:
        """项目 (科目代码 | 科目名称) and one column, two rows high, per head."""
        return [
            [Cell("项目", colspan=2), None, *[Cell(h, rowspan=2) for h in heads]],
            [Cell("科目代码"), Cell("科目名称"), *[None] * len(heads)],
        ]

    @staticmethod
    def spending_header(code: str, total: str) -> list[list[Cell | None]]:
        """项目 (`code` | 科目名称) and 本年支出 (`total` | 基本支出 | 项目支出)."""
        return [
            [Cell("项目", colspan=2), None, Cell("本年支出", colspan=3), None, None],
            [Cell(code), Cell("科目名称"), Cell(total), Cell("基本支出"), Cell("项目支出")],
        ]

    def income(self) -> Table:
        heads = [
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ]
        lines = [
            {**ln, "total": ln["amount"], "fiscal": ln["amount"]} for ln in self.x.get("income_lines", [])
        ]
        fields = ["total", "fiscal", "superior", "business", "operations", "subsidiary", "other"]
        widths = [1.1, 3.4, 1.3, 1.3, 1.1, 1.0, 1.0, 1.4, 1.0]
        return self.function_table(
            "income", self.column_header(heads), lines, fields, widths, "LLRRRRRRR", font_size=8.0
        )

    def expense(self) -> Table:
        heads = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
        fields = ["total", "basic", "project", "upper", "operations", "subsidiary"]
        widths = [1.1, 3.6, 1.4, 1.3, 1.3, 1.1, 1.0, 1.3]
        return self.function_table(
            "expense", self.column_header(heads), self.all_lines(), fields, widths, "LLRRRRRR", font_size=8.0
        )

    def appropriation_summary(self) -> Table:
        k, n = "appropriation_summary", self.n
        a = self.x.get("appropriation", {})
        header: list[list[Cell | None]] = [
            [Cell("收入", colspan=3), None, None, Cell("支出", colspan=6), None, None, None, None, None],
            [
                Cell("项目"),
                Cell("行次"),
                Cell("金额"),
                Cell("项目"),
                Cell("行次"),
                Cell("合计"),
                Cell("一般公共预算财政拨款"),
                Cell("政府性基金预算财政拨款"),
                Cell("国有资本经营预算财政拨款"),
            ],
        ]
        income = [
            ("一、一般公共预算财政拨款", a.get("general_in"), "general_budget_appropriation"),
            ("二、政府性基金预算财政拨款", a.get("fund_in"), "gov_fund_appropriation"),
            ("三、国有资本经营预算财政拨款", None, "state_capital_appropriation"),
        ]
        general = {ln["code"]: ln["total"] for ln in self.c.record["function_lines"] if ln["level"] == 1}
        fund = {ln["code"]: ln["total"] for ln in self.x.get("fund_lines", []) if ln["level"] == 1}
        m = len(self.classes())
        rows = [["栏次", "", "1", "栏次", "", "2", "3", "4", "5"]]
        keys: list[tuple[str, ...]] = [("", "")]
        for i, (code, name) in enumerate(self.classes()):
            inc = income[i] if i < len(income) else ("", None, "")
            g, f = D(general.get(code)), D(fund.get(code))
            rows.append(
                [
                    inc[0],
                    str(i + 1),
                    n(inc[1]),
                    f"{CN_ORD[i]}、{name}",
                    str(m + 7 + i),
                    n(g + f),
                    n(g),
                    n(f),
                    "",
                ]
            )
            keys.append((inc[2], code))
        spent_g = sum((D(v) for v in general.values()), Decimal(0))
        spent_f = sum((D(v) for v in fund.values()), Decimal(0))
        cin_g, cin_f = D(a.get("carryover_in_general")), D(a.get("carryover_in_fund"))
        cout_g, cout_f = D(a.get("carryover_out_general")), D(a.get("carryover_out_fund"))
        year_in = D(a.get("general_in")) + D(a.get("fund_in"))
        tail: list[tuple[str, Decimal | None, str, str, list[Decimal | None], str]] = [
            (
                "本年收入合计",
                year_in,
                "income_year",
                "本年支出合计",
                [spent_g + spent_f, spent_g, spent_f, None],
                "expense_year",
            ),
            (
                "年初财政拨款结转和结余",
                cin_g + cin_f,
                "carryover_in",
                "年末财政拨款结转和结余",
                [cout_g + cout_f, cout_g, cout_f, None],
                "carryover_out",
            ),
            ("一般公共预算财政拨款", cin_g, "carryover_in_general", "", [None] * 4, ""),
            ("政府性基金预算财政拨款", cin_f, "carryover_in_fund", "", [None] * 4, ""),
            ("国有资本经营预算财政拨款", None, "", "", [None] * 4, ""),
        ]
        total_in = year_in + cin_g + cin_f
        total_out = [spent_g + spent_f + cout_g + cout_f, spent_g + cout_g, spent_f + cout_f, None]
        tail.append(("总计", total_in, "income_total", "总计", total_out, "expense_total"))
        for j, (la, va, ka, lb, vb, kb) in enumerate(tail):
            rows.append([la, str(m + 1 + j), n(va), lb, str(2 * m + 7 + j), *[n(v) for v in vb]])
            keys.append((ka, kb))
        return self.table(
            k,
            header,
            rows,
            keys,
            ["in.name", "in.row", "in.amount", "name", "row", "total", "general", "fund", "state_capital"],
            [2.8, 0.5, 1.1, 2.8, 0.5, 1.1, 1.2, 1.2, 1.2],
            "LCRLCRRRR",
            bold_rows=frozenset({m + 1, len(rows) - 1}),
            font_size=6.5,
        )

    def general_budget_by_function(self) -> Table:
        return self.function_table(
            "general_budget_by_function",
            self.spending_header("科目代码", "小计"),
            self.c.record["function_lines"],
            ["total", "basic", "project"],
            [1.2, 4.2, 1.5, 1.5, 1.5],
            "LLRRR",
            orientation="portrait",
        )

    def basic_expense(self) -> Table:
        k = "basic_expense"
        header: list[list[Cell | None]] = [
            [
                Cell("人员经费", colspan=3),
                None,
                None,
                Cell("公用经费", colspan=6),
                None,
                None,
                None,
                None,
                None,
            ],
            [Cell("科目代码"), Cell("科目名称"), Cell("决算数")] * 3,
        ]
        amounts = {ln["code"]: ln["amount"] for ln in self.c.record["economic_lines"]}
        groups = []
        for group in ECONOMIC_GROUPS:
            col: list[tuple[str, str]] = []
            for code, name, items in group:
                col.append((code, name))
                col.extend((c, nm) for c, nm, _ in items)
            groups.append(col)
        height = max(len(g) for g in groups)
        rows: list[list[str]] = []
        keys: list[tuple[str, ...]] = []
        for i in range(height):
            row: list[str] = []
            for g in groups:
                code, name = g[i] if i < len(g) else ("", "")
                row += [code, name, self.n(amounts.get(code)) if code else ""]
            rows.append(row)
            keys.append(tuple(g[i][0] if i < len(g) else "" for g in groups))
        t = self.t
        staff = D(t["personnel_expense"]) + D(t["household_subsidy"])
        public = sum(
            (D(amounts.get(c)) for c in ("302", "307", "310", "399")), Decimal(0)
        )  # 公用经费: 302 and the capital items
        if self.district:
            return self._district_basic_expense(rows, keys, staff, public)
        rows.append(["人员经费合计", "", self.n(staff), "公用经费合计", "", "", "", "", self.n(public)])
        keys.append(("total",))
        return self.table(
            k,
            header,
            rows,
            keys,
            ["c1", "n1", "a1", "c2", "n2", "a2", "c3", "n3", "a3"],
            [0.6, 2.6, 0.9, 0.6, 1.9, 0.9, 0.6, 3.2, 0.9],
            "LLRLLRLLR",
            bold_rows=frozenset({len(rows) - 1}),
            font_size=7.0,
            spans=[(len(rows) - 1, 0, 1), (len(rows) - 1, 3, 7)],
        )

    def _district_basic_expense(
        self, rows: list[list[str]], keys: list[tuple[str, ...]], staff: Decimal, public: Decimal
    ) -> Table:
        """The district printing: each group's code split 类 | 款 ('301' | '01') under one
        经济分类科目编码 header, the groups' totals in a last row (人员经费合计 | 公用经费合计)."""
        split: list[list[str]] = []
        for row in rows:
            out: list[str] = []
            for g in range(3):
                code, name, amount = row[3 * g : 3 * g + 3]
                out += [code[:3], code[3:], name, amount]
            split.append(out)
        split.append(
            ["人员经费合计", "", "", self.n(staff), "公用经费合计", "", "", "", "", "", "", self.n(public)]
        )
        keys = [*keys, ("total",)]
        group = [
            Cell("经济分类科目编码", colspan=2),
            None,
            Cell("科目名称", rowspan=2),
            Cell("决算数", rowspan=2),
        ]
        header: list[list[Cell | None]] = [
            [Cell("人员经费", colspan=4), None, None, None, Cell("公用经费", colspan=8), *[None] * 7],
            group * 3,
            [Cell("类"), Cell("款"), None, None] * 3,
        ]
        cols = [f"{k}{g}" for g in (1, 2, 3) for k in ("c", "k", "n", "a")]
        last = len(split) - 1
        return self.table(
            "basic_expense",
            header,
            split,
            keys,
            cols,
            [0.6, 0.45, 2.4, 0.9, 0.6, 0.45, 1.8, 0.9, 0.6, 0.45, 3.0, 0.9],
            "LLLRLLLRLLLR",
            bold_rows=frozenset({last}),
            font_size=7.0,
            spans=[(last, 0, 2), (last, 4, 10)],
            page_rows=[20],  # over two pages, as the district tables run
        )

    def gov_fund(self) -> Table:
        header: list[list[Cell | None]] = [
            [
                Cell("项目", colspan=2),
                None,
                Cell("年初结转和结余", rowspan=2),
                Cell("本年收入", rowspan=2),
                Cell("本年支出", colspan=3),
                None,
                None,
                Cell("年末结转和结余", rowspan=2),
            ],
            [
                Cell("功能分类科目编码"),
                Cell("科目名称"),
                None,
                None,
                Cell("小计"),
                Cell("基本支出"),
                Cell("项目支出"),
                None,
            ],
        ]
        lines = [
            {**ln, "carry_in": "0.00", "carry_out": str(D(ln.get("income")) - D(ln["total"]))}
            for ln in self.x.get("fund_lines", [])
        ]
        fields = ["carry_in", "income", "total", "basic", "project", "carry_out"]
        notes = (
            []
            if lines
            else [f"说明：本部门{self.c.year}年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"]
        )
        widths = [1.3, 3.2, 1.3, 1.2, 1.2, 1.2, 1.2, 1.3]
        return self.function_table("gov_fund", header, lines, fields, widths, "LLRRRRRR", notes=notes)

    def state_capital(self) -> Table:
        return self.function_table(
            "state_capital",
            self.spending_header("功能分类科目编码", "合计"),
            [],
            ["total", "basic", "project"],
            [1.6, 3.6, 1.4, 1.4, 1.4],
            "LLRRR",
            notes=[f"说明：本部门{self.c.year}年度没有国有资本经营预算财政拨款支出，故本表无数据。"],
        )

    def three_public(self) -> Table:
        k = "three_public"
        budgeted = self.x.get("budget", {}).get("three_public", {})
        order = [
            "three_public_total",
            "overseas_travel",
            "vehicle_total",
            "vehicle_purchase",
            "vehicle_operation",
            "official_reception",
        ]

        def group_head() -> list[Cell | None]:
            return [
                Cell("合计", rowspan=2),
                Cell("因公出国（境）费", rowspan=2),
                Cell("公务用车购置及运行维护费", colspan=3),
                None,
                None,
                Cell("公务接待费", rowspan=2),
            ]

        def group_sub() -> list[Cell | None]:
            return [None, None, Cell("小计"), Cell("公务用车购置费"), Cell("公务用车运行维护费"), None]

        if self.district:
            return self._district_three_public(order, budgeted)
        header: list[list[Cell | None]] = [
            [
                Cell("预算数", colspan=6),
                None,
                None,
                None,
                None,
                None,
                Cell("决算数", colspan=6),
                None,
                None,
                None,
                None,
                None,
            ],
            group_head() + group_head(),
            group_sub() + group_sub(),
        ]
        rows = [
            [str(i) for i in range(1, 13)],
            [self.n(budgeted.get(f)) for f in order] + [self.n(self.t[f]) for f in order],
        ]
        keys: list[tuple[str, ...]] = [("",), ("current",)]
        cols = [f"budget.{f}" for f in order] + order
        return self.table(k, header, rows, keys, cols, [1.0] * 12, "R" * 12, font_size=8.0)

    def _district_three_public(self, order: list[str], budgeted: dict[str, Any]) -> Table:
        """The district printing: one column pair (预算数 | 决算数) under each category."""
        header: list[list[Cell | None]] = [
            [Cell("财政拨款“三公”经费", colspan=12), *[None] * 11],
            [
                Cell("合计", colspan=2, rowspan=2),
                None,
                Cell("因公出国（境）费", colspan=2, rowspan=2),
                None,
                Cell("公务用车购置及运行维护费", colspan=6),
                *[None] * 5,
                Cell("公务接待费", colspan=2, rowspan=2),
                None,
            ],
            [
                *[None] * 4,
                Cell("小计", colspan=2),
                None,
                Cell("公务用车购置费", colspan=2),
                None,
                Cell("公务用车运行维护费", colspan=2),
                None,
                None,
                None,
            ],
            [Cell("预算数"), Cell("决算数")] * 6,
        ]
        row: list[str] = []
        cols: list[str] = []
        for f in order:
            row += [self.n(budgeted.get(f)), self.n(self.t[f])]
            cols += [f"budget.{f}", f]
        return self.table(
            "three_public", header, [row], [("current",)], cols, [1.0] * 12, "R" * 12, font_size=8.0
        )

    # -- prose -------------------------------------------------------------------------------
    def overview(self) -> list[Block]:
        c, x = self.c, self.x
        dept, year = c.dept, c.year
        divs = x.get("divisions", [])
        units = x.get("units", [])
        b: list[Block] = [Heading(f"第一部分 {dept}概况", 1), Heading("一、部门职责", 2)]
        b.append(Para(x.get("duties", "")))
        b.append(Heading("二、机构设置", 2))
        b.append(Para(f"根据上述工作职责，{dept}内设 {len(divs)} 个职能机构，分别是：{'、'.join(divs)}。"))
        if self.district:
            b.append(Para(f"从预算单位构成看，{dept}部门决算包括：{dept}本级决算、下属行政事业单位决算。"))
            b.append(Para(f"纳入{dept} {year} 年度部门决算编制范围的单位包括："))
            others = [u for u in units if not u.startswith(dept)]
            rows = [["1", f"{dept}（本级）", ""]] + [[str(i), u, ""] for i, u in enumerate(others, 2)]
            b.append(
                Table(
                    title="",
                    header=[[Cell("序号"), Cell("单位名称"), Cell("备注")]],
                    rows=rows,
                    widths=[0.8, 6.0, 1.6],
                    align=list("CLL"),
                    inline=True,
                )
            )
        elif c.has("units", "central"):
            names = [f"{u.removeprefix(dept)}决算" if u.startswith(dept) else f"{u}决算" for u in units]
            names = names or ["本级决算"]
            b.append(Para(f"{dept}部门决算包括：{'、'.join(names)}。"))
        elif len(units) > 1:
            b.append(
                Para(
                    f"纳入{dept}{year}年度部门决算编制范围的单位包括本级及下属 {len(units)} 家预算单位"
                    f"（{'、'.join(units)}），部门决算为汇总决算。"
                )
            )
        else:
            b.append(Para(f"{dept}{year}年度部门决算为本级决算，无下属单位。"))
        return b

    def function_items(self) -> list[Block]:
        """五（三）: each 项 of the general-budget table against its 年初预算 (the paired budget's line)."""
        budgeted = self.x.get("budget", {}).get("lines", {})
        lines = self.c.record["function_lines"]
        names = {ln["code"]: ln["name"] for ln in lines}
        out: list[Block] = []
        leaves = [
            ln for ln in lines if not any(o["code"].startswith(ln["code"]) and o is not ln for o in lines)
        ]
        for i, ln in enumerate(leaves, 1):
            code = ln["code"]
            path = [names.get(code[:3], "").removesuffix("支出"), names.get(code[:5], ""), ln["name"]][
                : ln["level"]
            ]
            label = "".join(f"{p}（{lvl}）" for p, lvl in zip(path, ("类", "款", "项"), strict=False))
            b, s = D(budgeted.get(code)), D(ln["total"])
            row = f"line:{code}"
            text = f"{i}.{label}。年初预算为 {self.w(b, row, 'budget')} 万元，支出决算为 {self.w(s, row, 'total')} 万元"
            if b:
                text += f"，完成年初预算的 {pct(s, b)}。"
                text += (
                    "决算数大于预算数的主要原因是预算执行中追加了预算，相应增加支出。"
                    if s > b
                    else "决算数小于预算数的主要原因是厉行节约，部分工作按实际需要调整实施。"
                    if s < b
                    else ""
                )
            else:
                text += "。决算数大于预算数的主要原因是预算执行中调剂了预算，相应增加支出。"
            out.append(Para(text))
        return out

    def explanation(self) -> list[Block]:
        c, x, t, w = self.c, self.x, self.t, self.w
        dept, year = c.dept, c.year
        prior = x.get("prior_year", {})
        py = prior.get("year", year - 1)
        a = x.get("appropriation", {})
        counts = x.get("counts", {})
        b: list[Block] = [Heading(f"第三部分 {dept} {year} 年度部门决算情况说明", 1)]
        # 一、收入支出决算总体情况
        total = D(t["income_total"])
        old = D(prior.get("income_total"))
        word, grow = ("增加", "增长") if total >= old else ("减少", "降低")
        b.append(Heading("一、收入支出决算总体情况说明", 2))
        b.append(
            Para(
                f"{dept}{year}年度收、支总计 {w(total, 'part1', 'total')} 万元，与 {py} 年相比，收、支总计各{word} "
                f"{w(abs(total - old), 'part1', 'change')} 万元，{grow} {pct(abs(total - old), old)}。"
            )
        )
        b.append(Para("（一）收入决算具体情况"))
        b.append(
            Para(
                f"1.一般公共预算财政拨款收入 {w(t['general_budget_appropriation'], 'part1', 'general')} 万元，"
                f"为{dept}当年从本级财政取得的资金。"
            )
        )
        k = 2
        if D(t["gov_fund_appropriation"]):
            b.append(
                Para(
                    f"{k}.政府性基金预算财政拨款收入 {w(t['gov_fund_appropriation'], 'part1', 'fund')} 万元。"
                )
            )
            k += 1
        b.append(
            Para(
                f"{k}.年初结转和结余 {w(t['carryover_in'], 'part1', 'carryover_in')} 万元，为以前年度支出预算尚未完成，"
                "结转到本年仍按原规定用途继续使用的资金。"
            )
        )
        b.append(Para("（二）支出决算具体情况"))
        k = 0
        for ln in self.all_lines():
            if ln["level"] != 1:
                continue
            k += 1
            kind = ln["name"].removesuffix("支出")
            b.append(
                Para(
                    f"{k}.{kind}（类）支出 {w(ln['total'], 'class:' + ln['code'], 'total')} 万元，"
                    f"主要用于{dept}保障机构正常运转、开展业务活动所发生的基本支出和项目支出。"
                )
            )
        b.append(
            Para(
                f"{k + 1}.年末结转和结余 {w(t['carryover_out'], 'part1', 'carryover_out')} 万元，为本年度或以前年度预算"
                "尚未完成，需要延迟到以后年度按有关规定继续使用的资金。"
            )
        )
        # 二、收入决算
        year_in = D(t["income_total"]) - D(t["carryover_in"])
        b.append(Heading("二、收入决算情况说明", 2))
        text = (
            f"{dept}{year}年度本年收入合计 {w(year_in, 'part2', 'income_year')} 万元，其中：一般公共预算财政拨款收入 "
            f"{w(t['general_budget_appropriation'], 'part2', 'general')} 万元，"
            f"占 {pct(D(t['general_budget_appropriation']), year_in)}"
        )
        if D(t["gov_fund_appropriation"]):
            text += (
                f"；政府性基金预算财政拨款收入 {w(t['gov_fund_appropriation'], 'part2', 'fund')} 万元，"
                f"占 {pct(D(t['gov_fund_appropriation']), year_in)}"
            )
        b.append(Para(text + "。"))
        # 三、支出决算
        basic, project = D(t["basic_expense"]), D(t["project_expense"])
        year_out = basic + project
        b.append(Heading("三、支出决算情况说明", 2))
        b.append(
            Para(
                f"{dept}{year}年度本年支出合计 {w(year_out, 'part3', 'expense_year')} 万元，其中：基本支出 "
                f"{w(basic, 'part3', 'basic_expense')} 万元，占比 {pct(basic, year_out)}；项目支出 "
                f"{w(project, 'part3', 'project_expense')} 万元，占比 {pct(project, year_out)}；无经营支出。"
            )
        )
        # 四、财政拨款收支总体
        fiscal_total = (
            D(t["fiscal_appropriation"]) + D(a.get("carryover_in_general")) + D(a.get("carryover_in_fund"))
        )
        b.append(Heading("四、财政拨款收入支出决算总体情况说明", 2))
        b.append(Para(f"{dept}{year}年度财政拨款收支总决算 {w(fiscal_total, 'part4', 'total')} 万元。"))
        # 五、一般公共预算财政拨款支出
        lines = c.record["function_lines"]
        spent_g = sum((D(ln["total"]) for ln in lines if ln["level"] == 1), Decimal(0))
        budget_g = D(x.get("budget", {}).get("general_total"))
        b.append(Heading("五、一般公共预算财政拨款支出决算情况说明", 2))
        b.append(Para("（一）财政拨款支出决算总体情况"))
        b.append(
            Para(
                f"{dept}{year}年度财政拨款支出 {w(spent_g, 'part5', 'total')} 万元，占本年支出合计的 "
                f"{pct(spent_g, year_out)}。"
            )
        )
        b.append(Para("（二）财政拨款支出决算结构情况"))
        parts = [
            f"{ln['name'].removesuffix('支出')}（类）支出 {w(ln['total'], 'part5:' + ln['code'], 'total')} 万元，"
            f"占 {pct(D(ln['total']), spent_g)}"
            for ln in lines
            if ln["level"] == 1
        ]
        b.append(Para(f"{dept}{year}年度财政拨款支出主要用于以下方面：{'；'.join(parts)}。"))
        b.append(Para("（三）财政拨款支出决算具体情况"))
        b.append(
            Para(
                f"{dept}{year}年度财政拨款支出年初预算为 {w(budget_g, 'part5', 'budget')} 万元，支出决算为 "
                f"{w(spent_g, 'part5', 'spent')} 万元，完成年初预算的 {pct(spent_g, budget_g)}。其中："
            )
        )
        b.extend(self.function_items())
        # 六、基本支出
        staff = D(t["personnel_expense"]) + D(t["household_subsidy"])
        public = D(t["operating_expense"])
        b.append(Heading("六、一般公共预算财政拨款基本支出决算情况说明", 2))
        b.append(
            Para(
                f"{dept}{year}年度财政拨款基本支出 {w(staff + public, 'part6', 'total')} 万元，其中：人员经费 "
                f"{w(staff, 'part6', 'staff_and_household_cost')} 万元，主要包括：基本工资、津贴补贴、奖金、绩效工资、"
                "机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、其他社会保障缴费、住房公积金、"
                "其他工资福利支出、退休费、抚恤金、生活补助、医疗费补助、奖励金、其他对个人和家庭的补助支出；公用经费 "
                f"{w(public, 'part6', 'operating_expense')} 万元，主要包括：办公费、印刷费、咨询费、水费、电费、邮电费、"
                "物业管理费、差旅费、维修（护）费、租赁费、会议费、培训费、劳务费、委托业务费、工会经费、福利费、"
                "其他交通费用、其他商品和服务支出。"
            )
        )
        b.extend(self.three_public_prose())
        # 八、机关运行经费
        arc, old_arc = D(t["agency_running_cost"]), D(prior.get("agency_running_cost"))
        word, grow = ("增加", "增长") if arc >= old_arc else ("减少", "降低")
        b.append(Heading("八、机关运行经费支出说明", 2))
        b.append(
            Para(
                f"{year}年度机关运行经费支出 {w(arc, 'part8', 'agency_running_cost')} 万元，比 {py} 年度决算数{word} "
                f"{w(abs(arc - old_arc), 'part8', 'change')} 万元，{grow} {pct(abs(arc - old_arc), old_arc)}。"
                "主要原因是按照过紧日子要求，从严控制一般性支出。"
            )
        )
        # 九、政府采购
        proc = D(t["procurement_total"])
        b.append(Heading("九、政府采购支出说明", 2))
        if self.district:
            b.append(Para(self._district_procurement(proc)))
            b.extend(self._assets_and_performance(counts))
            return b
        text = (
            f"{year}年度{dept}政府采购支出总额 {w(proc, 'part9', 'procurement_total')} 万元，其中：政府采购货物支出 "
            f"{w(t['procurement_goods'], 'part9', 'procurement_goods')} 万元、政府采购工程支出 "
            f"{w(t['procurement_works'], 'part9', 'procurement_works')} 万元、政府采购服务支出 "
            f"{w(t['procurement_services'], 'part9', 'procurement_services')} 万元。"
        )
        if c.has("sme", "awarded"):
            sme, small = D(t["procurement_sme"]), D(t["procurement_small_micro"])
            text += (
                f"授予中小企业合同金额 {w(sme, 'part9', 'procurement_sme')} 万元，占政府采购支出总额的 {pct(sme, proc)}，"
                f"其中：授予小微企业合同金额 {w(small, 'part9', 'procurement_small_micro')} 万元，"
                f"占授予中小企业合同金额的 {pct(small, sme)}。"
            )
        b.append(Para(text))
        # 十、国有资产
        b.append(Heading("十、国有资产占用情况说明", 2))
        b.append(
            Para(
                f"截至 {year} 年 12 月 31 日，{dept}共有车辆 {counts.get('vehicles', 0)} 辆；"
                f"单价 100 万元以上设备（不含车辆）{counts.get('equipment', 0)} 台（套）。"
            )
        )
        b.append(Heading(f"十一、关于 {year} 年度预算绩效情况说明", 2))
        if c.has("performance", "single"):
            evaluated = (
                f"根据预算绩效管理要求，{dept}组织对 {counts.get('self_level2', 0)} 个项目开展了绩效自评，"
            )
        else:
            evaluated = (
                f"根据预算绩效管理要求，{dept}组织对 {year} 年度一般公共预算项目支出全面开展绩效自评，其中，"
                f"一级项目 {counts.get('self_level1', 0)} 个、二级项目 {counts.get('self_level2', 0)} 个，"
            )
        b.append(
            Para(
                evaluated + "自评结果已按要求报送区财政部门。"
                f"{dept}组织对 {counts.get('department_evaluated', 0)} 个项目开展了部门评价。"
            )
        )
        return b

    def _district_procurement(self, proc: Decimal) -> str:
        """The contracted procurement, the SME reservations (the fields) and what SMEs won (not)."""
        c, t, w = self.c, self.t, self.w
        sme, small = D(t["procurement_sme"]), D(t["procurement_small_micro"])
        cent = Decimal("0.01")
        won, won_small = (sme * Decimal("0.97")).quantize(cent), (small * Decimal("0.95")).quantize(cent)
        return (
            f"{c.dept} {c.year} 年度政府采购金额（以合同签订为准）为 {w(proc, 'part9', 'procurement_total')} 万元，"
            f"其中：货物采购金额 {w(t['procurement_goods'], 'part9', 'procurement_goods')} 万元、工程采购金额 "
            f"{w(t['procurement_works'], 'part9', 'procurement_works')} 万元、服务采购金额 "
            f"{w(t['procurement_services'], 'part9', 'procurement_services')} 万元。"
            f"{c.year} 年度本部门面向中小企业预留政府采购项目预算金额 {w(sme, 'part9', 'procurement_sme')} 万元，"
            f"面向小微企业预留政府采购项目预算金额 {w(small, 'part9', 'procurement_small_micro')} 万元。"
            f"在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额 {w(won, 'part9', 'won')} 万元；"
            f"在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额 "
            f"{w(won_small, 'part9', 'won_small')} 万元；在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额 0 万元。"
        )

    def _assets_and_performance(self, counts: dict[str, Any]) -> list[Block]:
        """十、国有资产 and 十一、预算绩效 as the district printing states them."""
        c = self.c
        return [
            Heading("十、国有资产占有使用情况说明", 2),
            Para(
                f"截至 {c.year} 年 12 月 31 日，{c.dept}部门共有车辆 {counts.get('vehicles', 0)} 辆；"
                f"单价 100 万元（含）以上设备（不含车辆）{counts.get('equipment', 0)} 台（套）。"
            ),
            Heading("十一、预算绩效管理情况", 2),
            Para(
                f"{c.dept}{c.year}年度预算绩效管理工作开展情况如下：全过程绩效管理实施情况：编报绩效目标的{c.year}年度项目"
                f"{counts.get('self_level2', 0)}个；绩效自评的{c.year}年度项目{counts.get('self_level2', 0)}个，"
                "平均得分 96.50 分。"
            ),
        ]

    def three_public_prose(self) -> list[Block]:
        c, t, w = self.c, self.t, self.w
        dept, year = c.dept, c.year
        budgeted = self.x.get("budget", {}).get("three_public", {})
        counts = self.x.get("counts", {})
        total_b, total = D(budgeted.get("three_public_total")), D(t["three_public_total"])
        b: list[Block] = [Heading("七、一般公共预算财政拨款“三公”经费支出决算情况说明", 2)]
        b.append(Para("（一）“三公”经费财政拨款支出决算总体情况说明"))

        def done(spent: Decimal, plan: Decimal) -> str:
            return f"，完成预算的 {pct(spent, plan)}" if plan else ""

        parts = [
            ("因公出国（境）费", "overseas_travel"),
            ("公务用车购置及运行费", "vehicle_total"),
            ("公务接待费", "official_reception"),
        ]
        said = "；".join(
            f"{name}支出决算为 {w(t[f], 'part7', f)} 万元{done(D(t[f]), D(budgeted.get(f)))}"
            for name, f in parts
        )
        b.append(
            Para(
                f"{dept}{year}年度“三公”经费财政拨款支出预算为 {w(total_b, 'part7', 'budget')} 万元，支出决算为 "
                f"{w(total, 'part7', 'three_public_total')} 万元{done(total, total_b)}。其中：{said}。"
                "“三公”经费支出决算数小于预算数的主要原因是认真贯彻落实中央八项规定精神和过紧日子要求，从严控制"
                "“三公”经费开支。"
            )
        )
        b.append(Para("（二）“三公”经费财政拨款支出决算具体情况说明"))
        shares = "；".join(
            f"{name}支出决算 {w(t[f], 'part7.2', f)} 万元，占 {pct(D(t[f]), total)}" for name, f in parts
        )
        b.append(Para(f"{year}年度“三公”经费财政拨款支出决算中，{shares}。具体情况如下："))
        if counts.get("trips"):
            b.append(
                Para(
                    f"1.因公出国（境）情况。{year}年度共执行因公出国（境）团组数 {counts['trips']} 个；全年因公出国（境）"
                    f"累计 {counts['travellers']} 人次；全年因公出国（境）费支出 {w(t['overseas_travel'], 'part7.3', 'overseas_travel')} 万元。"
                )
            )
        else:
            b.append(Para(f"1.因公出国（境）情况。{year}年度{dept}未安排因公出国（境）团组。"))
        vehicles = counts.get("vehicles", 0)
        if D(t["vehicle_purchase"]):
            bought = (
                f"购置车辆 {counts.get('vehicles_bought', 1)} 辆，公务用车购置费支出 "
                f"{w(t['vehicle_purchase'], 'part7.3', 'vehicle_purchase')} 万元"
            )
        else:
            bought = "没有购置车辆"
        each = D(t["vehicle_operation"]) / vehicles if vehicles else Decimal(0)
        average = f"，平均每辆 {w(each, 'part7.3', 'per_vehicle')} 万元" if vehicles else ""
        b.append(
            Para(
                f"2.公务用车购置及运行维护情况。{year}年度，{dept}{bought}，年末实际保有量为 {vehicles} 辆，"
                f"全年公务用车运行维护费支出 {w(t['vehicle_operation'], 'part7.3', 'vehicle_operation')} 万元"
                f"{average}。主要用于公务出行所需车辆燃料费、维修费、过桥过路费、保险费等。"
            )
        )
        if counts.get("receptions"):
            b.append(
                Para(
                    f"3.公务接待情况。{year}年度，{dept}使用一般公共预算财政拨款支出的公务接待 {counts['receptions']} 批次、"
                    f"{counts['guests']} 人次，全部为国内公务接待，没有外宾接待支出。"
                )
            )
        else:
            b.append(Para(f"3.公务接待情况。{year}年度，{dept}没有发生公务接待支出。"))
        return b

    # -- whole document ----------------------------------------------------------------------
    def cover(self) -> list[Block]:
        c = self.c
        b: list[Block] = [Heading(c.dept, 0), Heading(f"{c.year} 年度部门决算", 0)]
        if self.district:
            # the name wrapped, the year on its second line: 上海市普陀区人民政府 / 某街道办事处 2025 / 年度部门决算
            cut = max(2, len(c.dept) // 2)
            b = [Heading(c.dept[:cut], 0), Heading(f"{c.dept[cut:]} {c.year}", 0), Heading("年度部门决算", 0)]
        if self.sample_notice:
            b.append(Para("示例数据", center=True, size=16))
            b.append(Para("（本文件由 budgetlens 语料生成器生成，所列数字均为虚构，仅供测试）", center=True))
        month = (c.year + 1) * 100 + 7
        b.append(Para(f"{cn_year(month // 100)}年七月", center=True))
        b.append(PageBreak())
        b.append(Heading("目    录", 1, center=True))
        b.append(Para(f"第一部分 {c.dept}概况", indent=False))
        b.append(Para(f"第二部分 {c.dept} {c.year} 年度部门决算表", indent=False))
        b.extend(Para(f"{CN_ORD[i]}、{title}", indent=False) for i, (_, title) in enumerate(TITLES))
        b.append(Para(f"第三部分 {c.dept} {c.year} 年度部门决算情况说明", indent=False))
        b.append(Para("第四部分 名词解释", indent=False))
        b.append(PageBreak())
        return b

    def section(self) -> Section:
        c = self.c
        b = self.cover() + self.overview()
        b.append(PageBreak())
        b.append(Heading(f"第二部分 {c.dept} {c.year} 年度部门决算表", 1))
        b.extend(getattr(self, kind)() for kind, _ in TITLES)
        b.extend(self.explanation())
        b.append(Heading("第四部分 名词解释", 1))
        b.extend(Para(term) for term in TERMS)
        return Section(b)
