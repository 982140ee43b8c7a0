"""The Shenzhen 13-table layout (`shenzhen13`): text part 第一部分…第九部分, then 表1…表13."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from budgetlens.fields import TEMPLATE_TABLES
from budgetlens.identities import THREE_PUBLIC_FIELDS
from corpus import glossary_text as G
from corpus import layout_families as families
from corpus.context import CN_ORD, Ctx, cn_number, table_number
from corpus.layout_base import (
    APPROPRIATIONS,
    D,
    Item,
    Layout,
    code_columns_head,
    labelled,
    paired_rows,
    three_public_head,
)
from corpus.model import Block, Cell, Heading, PageBreak, Para, Section, Table
from corpus.numbers import percent_change

FIXED_INCOME_ROWS = [
    ("二、财政专户管理资金", "special_account"),
    ("三、单位资金", "unit_funds"),
    ("1. 事业收入", "business"),
    ("2. 事业单位经营收入", "operations"),
    ("3. 上级补助收入", "superior"),
    ("4. 附属单位上缴收入", "subsidiary"),
    ("5. 其他收入", "other"),
]
TABLES_13: list[tuple[str, str]] = list(  # (kind, title) of each table, in order
    zip(
        TEMPLATE_TABLES["shenzhen13"],
        (
            "收支总表",
            "收入总表",
            "支出总表",
            "基本支出总表",
            "项目支出总表",
            "政府预算拨款收支总表",
            "一般公共预算支出表（按功能分类）",
            "一般公共预算“三公”经费支出表",
            "政府性基金预算支出表",
            "国有资本经营预算支出表",
            "上级专项转移支付支出表",
            "政府采购项目支出表",
            "部门整体支出绩效目标表",
        ),
        strict=True,
    )
)
EMPTY_NOTES = {
    "本表本年无发生额": "注：本表本年无发生额。",
    "无": "无",
    "本表为空": "注：本部门本年无此项预算，本表为空。",
}


def change_words(new: Decimal, old: Decimal) -> tuple[str, str, str, Decimal]:
    """("增加", "增长", pct, abs diff) or ("减少", "下降", …) for a year-on-year sentence."""
    diff = new - old
    if diff < 0:
        return "减少", "下降", percent_change(new, old), -diff
    return "增加", "增长", percent_change(new, old), diff


class Shenzhen13(Layout):
    """Builds the blocks of one department's document."""

    template = "shenzhen13"

    def __init__(self, ctx: Ctx, sample_notice: bool):
        super().__init__(ctx, sample_notice)
        self.numbering = ctx.var("numbering", "表 1")

    # -- helpers ----------------------------------------------------------------------------
    def w(self, value: str | Decimal | None, row: str, col: str) -> str:
        return self.c.pf(row, col, value)

    def text(self, s: str) -> str:
        """Look-alike radicals in running text when the document has them."""
        if self.c.has("glyphs", "radicals"):
            return s.replace("门", "⻔").replace("车", "⻋")
        return s

    def title_of(self, kind: str, base: str) -> str:
        if self.c.has("title", "year"):
            return f"{self.c.year}年部门{base}"
        return base

    def frame(self, kind: str, kw: dict[str, Any]) -> dict[str, Any]:
        """`base`: the title when it is not the table's usual one (a layout family's)."""
        n = [k for k, _ in TABLES_13].index(kind) + 1
        base = kw.pop("base", None) or dict(TABLES_13)[kind]
        meta = self.c.table_meta(kind)
        empty_style = self.c.var("empty", "本表本年无发生额")
        notes = list(kw.pop("notes", []))
        if meta.get("empty"):
            notes.append(EMPTY_NOTES[empty_style])
        orientation = kw.pop("orientation", "portrait")
        if orientation != "portrait" and self.c.has("orientation", "rotated"):
            orientation = "rotated"
        rules = self.c.var("rules", "grid") if kind not in ("performance",) else "grid"
        title_o = self.c.override(kind, "title", "title")  # a title printed verbatim (quality tests)
        unit_o = self.c.override(kind, "unit", "unit")  # a unit line printed verbatim
        return {
            "title": title_o["text"] if title_o else self.title_of(kind, base),
            "number": table_number(self.numbering, n),
            "title_spaced": self.c.has("title", "spaced") and kind in ("summary", "income", "expense"),
            "title_fake_bold": self.c.has("glyphs", "fake_bold") and kind in ("summary", "expense"),
            "dept_line": f"部门名称：{self.c.dept}",
            "unit_line": unit_o["text"] if unit_o else f"单位：{meta['unit']}",
            "notes": notes,
            "page_rows": self.c.page_rows(kind),
            "repeat_header": not self.c.has("continuation", "no_repeat_header"),
            "rules": rules,
            "orientation": orientation,
            **kw,
        }

    def add_total(self, rows: list[list[str]], keys: list[tuple[str, ...]], total: list[str]) -> int:
        """Put the `total` row (key "total") first, or last under `totals:last`; returns its index."""
        if self.c.has("totals", "last"):
            rows.append(total)
            keys.append(("total",))
            return len(rows) - 1
        rows.insert(0, total)
        keys.insert(0, ("total",))
        return 0

    # -- function rows ----------------------------------------------------------------------
    def all_function_lines(self) -> list[dict[str, Any]]:
        lines = list(self.c.record["function_lines"]) + list(self.c.extra.get("fund_lines", []))
        return sorted(lines, key=lambda ln: ln["code"])

    def summary_expense_rows(self, kind: str) -> list[tuple[str, str, str]]:
        """(label, amount, key) rows of the expenditure side of a two-sided table."""
        out, k = [], 0
        for ln in self.all_function_lines():
            if ln["level"] == 1:
                label = f"{CN_ORD[k]}、{ln['name']}"
                k += 1
            else:
                label = ln["name"]
            out.append((label, self.c.n(ln["total"], kind), ln["code"]))
        return out

    def two_sided(
        self,
        kind: str,
        income: list[Item],
        year_in: str | Decimal | None,
        total_in: str | Decimal | None,
        year_out: str | Decimal | None,
        total_out: str | Decimal | None,
    ) -> Table:
        """Income items | the function classes, then 本年 / 上年结余 / 总计 on both sides."""
        n = self.c.n
        expense = self.summary_expense_rows(kind)
        worded = self.c.has("labels", "worded")
        totals_in = [
            ("本年收入合计", n(year_in, kind), "income_year"),
            (
                "上年结转结余" if worded else "上年结余、结转",
                n(self.c.t("carryover_in"), kind),
                "carryover_in",
            ),
            ("收入总计", n(total_in, kind), "income_total"),
        ]
        totals_out = [
            ("本年支出合计", n(year_out, kind), "expense_year"),
            ("结转结余下年" if worded else "结转下年", n(self.c.t("carryover_out"), kind), "carryover_out"),
            ("支出总计", n(total_out, kind), "expense_total"),
        ]
        yr = f"{self.c.year}年预算数"
        header: list[list[Cell | None]] = [
            [Cell("收入", colspan=2), None, Cell("支出", colspan=2), None],
            [Cell("项目"), Cell(yr), Cell("项目"), Cell(yr)],
        ]
        rows, keys = paired_rows(income, expense)
        total_rows, total_keys = paired_rows(totals_in, totals_out)
        rows, keys = rows + total_rows, keys + total_keys
        bold = frozenset(range(len(rows) - len(totals_in), len(rows)))
        notes = (
            [
                "注：财政拨款收支情况包括一般公共预算、政府性基金预算、国有资本经营预算拨款收支情况。",
                "本套报表金额单位转换时可能存在尾数误差。",
            ]
            if kind == "summary"
            else []
        )
        return self.table(
            kind,
            header,
            rows,
            keys,
            ["in.name", "in.amount", "name", "amount"],
            [3.2, 1.4, 3.6, 1.4],
            "LRLR",
            bold_rows=bold,
            notes=notes,
            wrap_cols=frozenset({0, 2}),
        )

    def appropriations(self, kind: str, labels: tuple[str, str, str, str]) -> list[Item]:
        """The 政府预算拨款 income items: the total and its three funds (`labels:worded`: the three
        funds alone, each worded 一般公共预算拨款收入 …, as Fuzhou prints them)."""
        items = labelled(labels, APPROPRIATIONS, lambda key: self.c.n(self.c.t(key), kind))
        if self.c.has("labels", "worded"):
            numbers = ("一、", "二、", "三、")
            return [
                (f"{no}{label.split(' ')[-1]}收入", fig, key)
                for no, (label, fig, key) in zip(numbers, items[1:], strict=True)
            ]
        return items

    def summary(self) -> Table:
        k = "summary"
        n = self.c.n
        labels = (
            "一、政府预算拨款",
            "1. 一般公共预算拨款",
            "2. 政府性基金预算拨款",
            "3. 国有资本经营预算拨款",
        )
        income = self.appropriations(k, labels)
        other = self.c.extra.get("other_income", {})
        income += [(label, n(other.get(key, "0.00"), k), key) for label, key in FIXED_INCOME_ROWS]
        year_in = D(self.c.t("income_total")) - D(self.c.t("carryover_in"))
        year_out = D(self.c.t("expense_total")) - D(self.c.t("carryover_out"))
        return self.two_sided(
            k, income, year_in, self.c.t("income_total"), year_out, self.c.t("expense_total")
        )

    def appropriation_summary(self) -> Table:
        k = "appropriation_summary"
        labels = ("政府预算拨款", "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款")
        fiscal = self.c.t("fiscal_appropriation")
        total = D(fiscal) + D(self.c.t("carryover_in"))
        return self.two_sided(k, self.appropriations(k, labels), fiscal, total, fiscal, total)

    def unit_rows(self) -> list[dict[str, Any]]:
        """Rows of the 预算单位 column: the department, then its subordinate units."""
        return list(self.c.extra.get("units", []))

    def unit_table(
        self,
        kind: str,
        header: list[list[Cell | None]],
        cols: list[str],
        widths: list[float],
        align: str,
        defaults: dict[str, str] | None = None,
        **kw: Any,
    ) -> Table:
        """A row for the department (its totals, bold) and one per subordinate unit: the name, then
        the figures of `cols[1:]` (a figure a row lacks: its value in `defaults`)."""
        defaults = defaults or {}

        def row(name: str, src: dict[str, Any]) -> list[str]:
            return [
                name,
                *[self.c.n(src.get(f, defaults[f]) if f in defaults else src[f], kind) for f in cols[1:]],
            ]

        rows = [row(self.c.dept, self.c.record["totals"])]
        keys = [("total",)]
        for u in self.unit_rows():
            rows.append(row(u["name"], u))
            keys.append((u["name"],))
        style = {"bold_rows": frozenset({0}), "wrap_cols": frozenset({0}), **kw}  # the department's row bold
        return self.table(kind, header, rows, keys, cols, widths, align, **style)

    def income(self) -> Table:
        header: list[list[Cell | None]] = [
            [
                Cell("预算单位", rowspan=2),
                Cell("收入总计", rowspan=2),
                Cell("政府预算拨款", colspan=4),
                None,
                None,
                None,
                Cell("财政专户\n管理资金", rowspan=2),
                Cell("单位资金", rowspan=2),
                Cell("上年结余、\n结转", rowspan=2),
            ],
            [
                None,
                None,
                Cell("小计"),
                Cell("一般公共\n预算拨款"),
                Cell("政府性基金\n预算拨款"),
                Cell("国有资本经营\n预算拨款"),
                None,
                None,
                None,
            ],
        ]
        other = sum((D(v) for v in self.c.extra.get("other_income", {}).values()), Decimal(0))
        cols = [
            "unit",
            "income_total",
            "fiscal_appropriation",
            "general_budget_appropriation",
            "gov_fund_appropriation",
            "state_capital_appropriation",
            "special_account",
            "unit_funds",
            "carryover_in",
        ]
        return self.unit_table(
            "income",
            header,
            cols,
            [3.2, 1.2, 1.2, 1.2, 1.2, 1.3, 1.1, 1.1, 1.1],
            "LRRRRRRRR",
            {"special_account": "0.00", "unit_funds": str(other)},
            orientation="landscape",
        )

    def expense(self) -> Table:
        header: list[list[Cell | None]] = [
            [
                Cell("预算单位", rowspan=2),
                Cell("支出总计", rowspan=2),
                Cell("基本支出", rowspan=2),
                Cell("项目支出", rowspan=2),
                Cell(f"{self.c.year}年政府采购项目", colspan=3),
                None,
                None,
            ],
            [
                None,
                None,
                None,
                None,
                Cell("小计"),
                Cell("其中：面向中小企业政府采购项目"),
                Cell("其中：面向小型、\n微型企业政府采购项目"),
            ],
        ]

        cols = [
            "unit",
            "expense_total",
            "basic_expense",
            "project_expense",
            "procurement_total",
            "procurement_sme",
            "procurement_small_micro",
        ]
        landscape = self.c.has("orientation", "landscape") or self.c.has("orientation", "rotated")
        return self.unit_table(
            "expense",
            header,
            cols,
            [3.4, 1.3, 1.3, 1.3, 1.3, 1.8, 1.8],
            "LRRRRRR",
            orientation="landscape" if landscape else "portrait",
        )

    def basic_expense(self) -> Table:
        if self.c.has("economic", "side_by_side"):
            return families.economic_side_by_side(self)
        k = "basic_expense"
        n = self.c.n
        t = self.c.record["totals"]
        header: list[list[Cell | None]] = [
            [
                Cell("预算单位"),
                Cell("科目编码"),
                Cell("科目名称"),
                Cell("合计"),
                Cell("人员支出"),
                Cell("公用支出"),
                Cell("对个人和家庭的补助"),
            ]
        ]
        rows = [
            [
                self.c.dept,
                "",
                "",
                n(t["basic_expense"], k),
                n(t["personnel_expense"], k),
                n(t["operating_expense"], k),
                n(t["household_subsidy"], k),
            ]
        ]
        keys = [("total",)]
        col_of = {"301": 4, "302": 5, "303": 6}
        for ln in self.c.record["economic_lines"]:
            r = ["", ln["code"], ln["name"], n(ln["amount"], k), "", "", ""]
            c = col_of.get(ln["code"][:3])
            for cc in (4, 5, 6):
                r[cc] = n(ln["amount"], k) if cc == c else n("0.00", k)
            rows.append(r)
            keys.append((ln["code"],))
        cols = [
            "unit",
            "code",
            "name",
            "amount",
            "personnel_expense",
            "operating_expense",
            "household_subsidy",
        ]
        return self.table(
            k,
            header,
            rows,
            keys,
            cols,
            [3.0, 1.0, 2.4, 1.1, 1.1, 1.1, 1.4],
            "LCLRRRR",
            bold_rows=frozenset({0}),
            wrap_cols=frozenset({0, 2}),
        )

    def project_expense(self) -> Table:
        k = "project_expense"
        n = self.c.n
        header: list[list[Cell | None]] = [[Cell("预算单位"), Cell("项目名称"), Cell("项目金额")]]
        rows = [["", p["name"], n(p["amount"], k)] for p in self.c.record["projects"]]
        keys: list[tuple[str, ...]] = [(p["name"],) for p in self.c.record["projects"]]
        total = n(self.c.t("project_expense"), k)
        last = self.c.has("totals", "last")
        at = self.add_total(rows, keys, ["合计", "", total] if last else [self.c.dept, "合计", total])
        return self.table(
            k,
            header,
            rows,
            keys,
            ["unit", "name", "amount"],
            [3.0, 4.0, 1.5],
            "LLR",
            bold_rows=frozenset({at}),
            wrap_cols=frozenset({0, 1}),
        )

    def function_table(self, kind: str, lines: list[dict[str, Any]], totals: tuple[str, str, str]) -> Table:
        family = families.function_family(self)
        if family:
            return families.function_table(self, family, kind, lines, totals)
        n = self.c.n
        codes = self.c.var("codes", "one_column")
        amount_head = [Cell("支出总计"), Cell("基本支出"), Cell("项目支出")]
        if codes == "three_columns":
            top, sub = code_columns_head("科目编码", "科目名称", ["支出总计", "基本支出", "项目支出"])
            header: list[list[Cell | None]] = [[Cell("预算单位", rowspan=2), *top], [None, *sub]]
            widths, align = [2.6, 0.6, 0.5, 0.5, 3.0, 1.2, 1.2, 1.2], "LCCCLRRR"
            cols = ["unit", "c1", "c2", "c3", "name", "total", "basic", "project"]
        elif codes == "in_name":
            header = [[Cell("预算单位"), Cell("科目名称"), *amount_head]]
            widths, align = [2.4, 5.2, 1.2, 1.2, 1.2], "LLRRR"
            cols = ["unit", "name", "total", "basic", "project"]
        else:
            header = [[Cell("预算单位"), Cell("科目编码"), Cell("科目名称"), *amount_head]]
            widths, align = [2.6, 1.2, 3.4, 1.2, 1.2, 1.2], "LCLRRR"
            cols = ["unit", "code", "name", "total", "basic", "project"]
        names: dict[str, str] = {}
        rows, keys = [], []
        for ln in lines:
            names[ln["code"]] = ln["name"]
            amounts = [n(ln["total"], kind), n(ln["basic"], kind), n(ln["project"], kind)]
            code = ln["code"]
            if codes == "three_columns":
                parts = [code[:3], code[3:5], code[5:7]]
                rows.append(["", *parts, ln["name"], *amounts])
            elif codes == "in_name":
                path = [(names.get(code[:3], ""), "类"), (names.get(code[:5], ""), "款"), (ln["name"], "项")]
                label = "".join(f"{nm}（{lvl}）" for nm, lvl in path[: ln["level"]])
                rows.append(["", label, *amounts])
            else:
                rows.append(["", code, ln["name"], *amounts])
            keys.append((code,))
        label = "合计" if self.c.has("totals", "last") else self.c.dept
        at = self.add_total(rows, keys, [label] + [""] * (len(cols) - 4) + [n(v, kind) for v in totals])
        return self.table(
            kind,
            header,
            rows,
            keys,
            cols,
            widths,
            align,
            bold_rows=frozenset({at}) if lines else frozenset(),
            wrap_cols=frozenset({0, cols.index("name")}),
        )

    def general_budget_by_function(self) -> Table:
        lines = self.c.record["function_lines"]
        tops = [ln for ln in lines if ln["level"] == 1]
        totals = tuple(str(sum((D(ln[f]) for ln in tops), Decimal(0))) for f in ("total", "basic", "project"))
        return self.function_table("general_budget_by_function", lines, totals)  # type: ignore[arg-type]

    def gov_fund(self) -> Table:
        lines = self.c.extra.get("fund_lines", [])
        tops = [ln for ln in lines if ln["level"] == 1]
        totals = tuple(str(sum((D(ln[f]) for ln in tops), Decimal(0))) for f in ("total", "basic", "project"))
        return self.function_table("gov_fund", lines, totals)  # type: ignore[arg-type]

    def state_capital(self) -> Table:
        return self.function_table("state_capital", [], ("0", "0", "0"))

    def transfer_payment(self) -> Table:
        k = "transfer_payment"
        header: list[list[Cell | None]] = [
            [Cell("预算单位"), Cell("科目编码"), Cell("科目名称"), Cell("项目名称"), Cell("项目金额")]
        ]
        rows = [[self.c.dept, "", "", "", self.c.n("0.00", k)]]
        return self.table(
            k,
            header,
            rows,
            [("total",)],
            ["unit", "code", "name", "project", "amount"],
            [3, 1.2, 2.4, 2.4, 1.4],
            "LCLLR",
            wrap_cols=frozenset({0}),
        )

    def three_public(self) -> Table:
        family = families.three_public_family(self)
        if family:
            return families.three_public(self, family)
        k = "three_public"
        n = self.c.n
        t = self.c.record["totals"]
        prior = self.c.extra.get("prior_year", {})
        mt = self.c.has("three_public", "meeting_training")
        extra3 = self.c.extra.get("three_public_extra", {})
        fields = THREE_PUBLIC_FIELDS
        # 会议费/培训费 in the same grid: one 合计 over all instead of the 三公 total
        total = Cell("合计", rowspan=2) if mt else Cell("“三公”经费\n财政拨款\n预算总额", rowspan=2)
        top, sub = three_public_head(
            total,
            "因公出国\n(境)费",
            "公务用车购置及运行维护费",
            ("公务用车\n购置费", "公务用车\n运行维护费"),
        )
        header: list[list[Cell | None]] = [
            [Cell("预算单位", rowspan=2), Cell("年度", rowspan=2), *top],
            [None, None, *sub],
        ]
        widths, align = [2.6, 1.2, 1.3, 1.1, 1.1, 1.1, 1.1, 1.2], "LCRRRRRR"
        if mt:
            header[0] += [Cell("会议费", rowspan=2), Cell("培训费", rowspan=2)]
            header[1] += [None, None]
            widths, align = [2.4, 1.1, 1.1, 1.0, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0], "LCRRRRRRRR"

        def values(src: dict[str, Any], ex: dict[str, Any]) -> list[Decimal]:
            vals = [D(src.get(f)) for f in fields]
            if mt:
                meet, train = D(ex.get("meeting")), D(ex.get("training"))
                vals[0] = vals[0] + meet + train
                vals += [meet, train]
            return vals

        cur = values(t, extra3)
        old = values(prior, prior.get("three_public_extra", {}))
        diff = [a - b for a, b in zip(cur, old, strict=True)]
        rows = [
            [self.c.dept, f"{prior.get('year', self.c.year - 1)}年", *[n(v, k) for v in old]],
            ["", f"{self.c.year}年", *[n(v, k) for v in cur]],
            ["", "增减变化金额", *[n(v, k) if v >= 0 else "-" + n(-v, k) for v in diff]],
        ]
        cols = [
            "unit",
            "year",
            *(["total"] if mt else ["three_public_total"]),
            *fields[1:],
            *(["meeting", "training"] if mt else []),
        ]
        keys = [("prior",), ("current",), ("change",)]
        return self.table(
            k,
            header,
            rows,
            keys,
            cols,
            widths,
            align,
            notes=["注：无。"] if not mt else [],
            orientation="landscape" if mt or self.c.has("orientation", "rotated") else "portrait",
            wrap_cols=frozenset({0}),
        )

    def procurement(self) -> Table:
        k = "procurement"
        n = self.c.n
        header: list[list[Cell | None]] = [[Cell("单位"), Cell("品目编码"), Cell("采购品目"), Cell("金额")]]
        rows = [[self.c.dept, "", "", n(self.c.t("procurement_total"), k)]]
        keys = [("total",)]
        for ln in self.c.record["procurement_lines"]:
            rows.append(["", ln["category_code"] or "", ln["category"], n(ln["amount"], k)])
            keys.append((ln["category_code"] or ln["category"],))
        return self.table(
            k,
            header,
            rows,
            keys,
            ["unit", "category_code", "category", "amount"],
            [3.4, 1.2, 3, 1.4],
            "LCLR",
            bold_rows=frozenset({0}),
            wrap_cols=frozenset({0}),
        )

    def performance(self) -> Table:
        k = "performance"
        n = self.c.n
        perf = self.c.extra.get("performance", {})
        rows: list[list[str]] = []
        spans: list[tuple[int, int, int]] = []
        rows.append(["部门名称", self.c.dept, "", "主管部门", perf.get("manager", self.c.dept), ""])
        spans += [(0, 1, 2), (0, 4, 5)]
        rows.append(["年度主要任务", "任务名称", "主要内容", "预算金额（万元）", "", ""])
        spans.append((1, 3, 5))
        rows.append(["", "", "", "总额", "其中：财政拨款", "其中：其他资金"])
        tot = [Decimal(0)] * 3
        for task in perf.get("tasks", []):
            vals = [D(task["total"]), D(task["fiscal"]), D(task["other"])]
            tot = [a + b for a, b in zip(tot, vals, strict=True)]
            rows.append(["", task["name"], task["content"], *[n(v, k) for v in vals]])
        rows.append(["", "", "金额合计", *[n(v, k) for v in tot]])
        rows.append(["年度总体目标", "\n".join(perf.get("overall_goal", [])), "", "", "", ""])
        spans.append((len(rows) - 1, 1, 5))
        rows.append(["年度绩效指标", "一级指标", "二级指标", "三级指标", "", "目标值"])
        spans.append((len(rows) - 1, 3, 4))
        prev1 = prev2 = None
        for tg in self.c.record["performance_targets"]:
            l1 = tg["indicator_level1"] if tg["indicator_level1"] != prev1 else ""
            l2 = tg["indicator_level2"] if (tg["indicator_level1"], tg["indicator_level2"]) != prev2 else ""
            prev1, prev2 = tg["indicator_level1"], (tg["indicator_level1"], tg["indicator_level2"])
            rows.append(["", l1, l2, tg["indicator_level3"], "", tg["target"]])
            spans.append((len(rows) - 1, 3, 4))
        t = self.table(
            k,
            [],
            rows,
            [()] * len(rows),
            ["a", "b", "c", "d", "e", "f"],
            [1.3, 1.4, 3.6, 1.2, 1.2, 1.2],
            "CLLLLL",
            wrap_cols=frozenset({1, 2, 3}),
        )
        t.dept_line = None
        t.spans = spans
        return t

    # -- prose ------------------------------------------------------------------------------
    def headcount_sentence(self) -> str:
        h = self.c.record["headcount"]
        dept = self.c.dept
        divs = self.c.extra.get("divisions", [])
        units = self.unit_rows()
        names = [u["name"] for u in units]
        wording = self.c.var("units", "included")
        if units and wording == "count":  # 包括 4 个内设机构及 2 个下属单位 (Fuzhou)
            structure = f"{dept}包括 {len(divs)} 个内设机构及 {len(units) - 1} 个下属单位，内设机构为{'、'.join(divs)}。"
        elif units and wording == "list":  # the units named one by one (Guangzhou)
            structure = (
                f"{dept}内设处室{len(divs)}个，分别是{'、'.join(divs)}。本部门预算为汇总预算，包括：{names[0]}预算，"
                f"以及纳入编制范围的下属单位预算。下属单位具体包括：{'、'.join(names[1:])}。"
            )
        elif units and wording == "scope":  # a list of all the budget's units and their count (Shenzhen 2026)
            structure = (
                f"{dept}系统包括：{'、'.join(names)}共 {len(units)} 家基层单位，下设{'、'.join(divs)}，"
                f"共 {len(divs)} 个部门。"
            )
        else:
            if units:
                scope = f"{dept}具体包括本级及下属 {len(units)} 家预算单位（{'、'.join(names)}），部门预算为汇总预算"
            else:
                scope = f"{dept}具体包括本级共 1 家基层单位，无下属单位，部门预算为本级预算"
            structure = f"{scope}，下设{'、'.join(divs)}，共 {len(divs)} 个部门。"
        style = self.c.var("headcount", "full")
        if style == "full":
            people = (
                f"行政编制总数 {h['admin_authorized']} 人，实有在编人数 {h['admin_actual']} 人；"
                f"参公编制数 {h['cs_managed_authorized']} 人，实有在编人数 {h['cs_managed_actual']} 人；"
                f"事业编制总数 {h['institution_authorized']} 人，实有在编人数 {h['institution_actual']} 人；"
                f"离休 {h['veteran_retirees']} 人，退休 {h['retirees']} 人。"
            )
        elif style == "establishment":
            people = (
                f"本部门编制 {h['authorized_total']} 名，其中行政编制 {h['admin_authorized']} 名，"
                f"行政附属编制 {h['admin_auxiliary_authorized']} 名，事业编制 {h['institution_authorized']} 名；"
                f"实有人员 {h['actual_total']} 名；离退休人员 {h['retirees_total']} 名。"
            )
        elif style == "staff_only":
            people = f"本部门在职人员 {h['actual_total']} 人，退休人员 {h['retirees']} 人。"
        else:
            people = ""
        return self.text(structure + people)

    def prose(self) -> list[Block]:
        c = self.c
        x = c.extra
        t = c.record["totals"]
        year, dept = c.year, c.dept
        prior = x.get("prior_year", {})
        py = prior.get("year", year - 1)
        w = self.w
        b: list[Block] = []
        b.append(Heading("一、文字部分", 1, center=True))
        b.append(Heading("第一部分 部门概况", 1, fake_bold=c.has("glyphs", "fake_bold")))
        b.append(Heading("一、部门职责", 2))
        b.append(Para(self.text(x.get("duties", ""))))
        b.append(Heading("二、机构设置情况", 2))
        b.append(Para(self.headcount_sentence()))
        b.append(Heading(f"三、{year}年主要工作目标", 2))
        b.append(Para(f"{dept}{year}年主要工作目标包括："))
        for i, g in enumerate(x.get("goals", []), 1):
            b.append(Para(self.text(f"{i}. {g}")))
        # 第二部分
        b.append(Heading("第二部分 部门预算收支总体情况", 1))
        inc, exp = D(t["income_total"]), D(t["expense_total"])
        w1, w2, pct, diff = change_words(inc, D(prior.get("income_total")))
        e1, e2, epct, ediff = change_words(exp, D(prior.get("expense_total")))
        b.append(
            Para(
                f"{year}年{dept}部门预算收入 {w(inc, 'part2', 'income_total')} 万元，比 {py} 年{w1} "
                f"{w(diff, 'part2', 'income_change')} 万元，{w2} {pct}。{year}年部门预算支出 "
                f"{w(exp, 'part2', 'expense_total')} 万元，比 {py} 年{e1} {w(ediff, 'part2', 'expense_change')} 万元，"
                f"{e2} {epct}。"
            )
        )
        if x.get("change_reason"):
            b.append(Para(f"预算收支{w1}主要原因：{x['change_reason']}"))
        # 第三部分
        b.append(Heading("第三部分 部门预算支出具体情况", 1))
        b.append(Heading(f"一、{dept}", 2))
        b.append(
            Para(
                f"{dept}预算 {w(t['expense_total'], 'part3', 'expense_total')} 万元，包括人员支出 "
                f"{w(t['personnel_expense'], 'part3', 'personnel_expense')} 万元、公用支出 "
                f"{w(t['operating_expense'], 'part3', 'operating_expense')} 万元、对个人和家庭的补助支出 "
                f"{w(t['household_subsidy'], 'part3', 'household_subsidy')} 万元、项目支出 "
                f"{w(t['project_expense'], 'part3', 'project_expense')} 万元。"
            )
        )
        b.append(
            Para(
                f"（一）人员支出 {w(t['personnel_expense'], 'part3.1', 'personnel_expense')} 万元，主要包括："
                f"{G.PERSONNEL_ITEMS}"
            )
        )
        b.append(
            Para(
                f"（二）公用支出 {w(t['operating_expense'], 'part3.2', 'operating_expense')} 万元，主要包括："
                f"{self.text(G.OPERATING_ITEMS)}"
            )
        )
        b.append(
            Para(
                f"（三）对个人和家庭补助支出 {w(t['household_subsidy'], 'part3.3', 'household_subsidy')} 万元，"
                f"主要包括：{G.HOUSEHOLD_ITEMS}"
            )
        )
        b.append(
            Para(f"（四）项目支出 {w(t['project_expense'], 'part3.4', 'project_expense')} 万元，具体包括：")
        )
        prose_by_name = {p["name"]: p for p in x.get("projects", [])}
        for i, p in enumerate(c.record["projects"], 1):
            pp = prose_by_name.get(p["name"], {})
            change = pp.get("change")
            if change is None:
                tail = "为新增项目。"
            elif D(change) == 0:
                tail = pp.get("reason", "与上年预算保持一致。")
            else:
                word, fw = ("减少", "减幅") if D(change) < 0 else ("增加", "增幅")
                tail = (
                    f"较 {py} 年预算{word} {w(abs(D(change)), 'project:' + p['name'], 'change')} 万元，{fw} "
                    f"{pp.get('change_pct', '')}，{pp.get('reason', '')}"
                )
            b.append(
                Para(
                    f"{i}. {p['name']}预算 {w(p['amount'], 'project:' + p['name'], 'amount')} 万元，主要包括："
                    f"{pp.get('content', '')}{tail}"
                )
            )
        # 第四部分
        b.append(Heading("第四部分 政府采购预算情况", 1))
        b.append(
            Para(
                f"{dept}政府采购项目纳入 {year}年部门预算共计 {w(t['procurement_total'], 'part4', 'procurement_total')} 万元，"
                f"其中货物采购 {w(t['procurement_goods'], 'part4', 'procurement_goods')} 万元、工程采购 "
                f"{w(t['procurement_works'], 'part4', 'procurement_works')} 万元、服务采购 "
                f"{w(t['procurement_services'], 'part4', 'procurement_services')} 万元。"
            )
        )
        # 第五部分
        b.extend(self.three_public_prose(py))
        # 第六部分
        b.append(Heading("第六部分 部门预算绩效管理情况", 1))
        b.append(Heading("一、实施部门预算绩效管理的单位范围", 2))
        b.append(Para(G.perf_scope(dept, 1 + len(self.unit_rows()))))
        b.append(Heading("二、实施部门预算绩效管理的项目情况及工作要求", 2))
        b.append(
            Para(
                G.perf_projects(
                    year, dept, w(t["project_expense"], "part6", "project_expense"), len(c.record["projects"])
                )
            )
        )
        # 第七部分
        b.append(Heading("第七部分 重点项目预算绩效情况说明", 1))
        b.append(Para(f"{year}年，本部门重点项目绩效目标情况如下："))
        amounts = {p["name"]: p["amount"] for p in c.record["projects"]}
        krows = [
            [kp["name"], w(amounts.get(kp["name"]), "part7:" + kp["name"], "amount"), "\n".join(kp["goal"])]
            for kp in x.get("key_projects", [])
        ]
        b.append(
            Table(
                title="",
                header=[[Cell("项目名称"), Cell("预算数（万元）"), Cell("绩效目标")]],
                rows=krows,
                widths=[1.6, 1.3, 6.5],
                align=list("LRL"),
                inline=True,
                wrap_cols=frozenset({0, 2}),
                notes=["备注：无。"],
                font_size=8.5,
            )
        )
        # 第八部分
        b.append(Heading("第八部分 其他需要说明情况", 1))
        b.append(Heading("一、机关运行经费", 2))
        arc = D(t["agency_running_cost"])
        a1, a2, apct, adiff = change_words(arc, D(prior.get("agency_running_cost")))
        b.append(
            Para(
                f"{year}年{dept}机关运行经费财政拨款预算 {w(arc, 'part8', 'agency_running_cost')} 万元，比 {py} 年预算"
                f"{a1} {w(adiff, 'part8', 'agency_change')} 万元，{a2} {apct}。{x.get('agency_reason', '')}"
            )
        )
        b.append(Heading("二、国有资产占用情况", 2))
        a = x.get("assets", {})
        if a:
            b.append(
                Para(
                    self.text(
                        f"截至 {a['as_of']}，{dept}共有车辆 {a['vehicles']} 辆；单价 50 万元以上通用设备 {a['general_equipment']} "
                        f"台（套），单价 100 万元以上专用设备 {a['special_equipment']} 台（套）。"
                    )
                )
            )
            b.append(
                Para(
                    self.text(
                        f"{year}年计划新增车辆 {a['new_vehicles']} 辆；新增单价 50 万元以上通用设备 {a['new_general_equipment']} "
                        f"台（套）；新增单价 100 万元以上专用设备 {a['new_special_equipment']} 台（套）。"
                    )
                )
            )
        b.append(Heading("三、其他", 2))
        missing = ["政府性基金预算支出"] if D(t["gov_fund_appropriation"]) == 0 else []
        missing += ["国有资本经营预算支出", "上级专项转移支付支出"]
        b.append(Para(f"本单位无{'、'.join(missing)}预算。"))
        # 第九部分
        b.append(Heading("第九部分 名词解释", 1))
        b.extend(Para(term, nomap=c.has("glyphs", "cid_page")) for term in G.TERMS)
        return b

    def three_public_prose(self, py: int) -> list[Block]:
        c, w = self.c, self.w
        t = c.record["totals"]
        prior = c.extra.get("prior_year", {})
        year = c.year
        tp = D(t["three_public_total"])
        w1, w2, pct, diff = change_words(tp, D(prior.get("three_public_total")))
        use = c.extra.get("three_public_use", "主要是用于公务用车运行维护和公务接待等方面的支出")
        b: list[Block] = [Heading("第五部分 一般公共预算“三公”经费预算情况", 1)]
        b.append(
            Para(
                f"{year}年“三公”经费预算 {w(tp, 'part5', 'three_public_total')} 万元，比 {py} 年预算{w1} "
                f"{w(diff, 'part5', 'three_public_change')} 万元，{w2} {pct}，{self.text(use)}，{G.STRICT}"
            )
        )
        b.append(
            Para(
                f"1. 因公出国（境）费用。{year}年预算数 {w(t['overseas_travel'], 'part5', 'overseas_travel')} 万元，"
                "为进一步规范因公出国（境）经费管理，我区因公出国（境）经费完全按零基预算的原则根据区因公出国计划预审会议审定计划"
                f"动态调配使用，在实际执行中根据计划据实调配。"
            )
        )
        r1, _, _, rdiff = change_words(D(t["official_reception"]), D(prior.get("official_reception")))
        b.append(
            Para(
                f"2. 公务接待费。{year}年预算数 {w(t['official_reception'], 'part5', 'official_reception')} 万元，"
                f"比 {py} 年{r1} {w(rdiff, 'part5', 'reception_change')} 万元，主要是按规定开支的各类公务接待（含外宾接待）支出，"
                f"{G.STRICT}"
            )
        )
        b.append(
            Para(
                self.text(
                    f"3. 公务用车购置和运行维护费。{year}年预算数 {w(t['vehicle_total'], 'part5', 'vehicle_total')} 万元，其中："
                )
            )
        )
        p1, _, _, pdiff = change_words(D(t["vehicle_purchase"]), D(prior.get("vehicle_purchase")))
        b.append(
            Para(
                self.text(
                    f"公务用车购置费 {year}年预算数 {w(t['vehicle_purchase'], 'part5', 'vehicle_purchase')} 万元，比 {py} 年预算数"
                    f"{p1} {w(pdiff, 'part5', 'purchase_change')} 万元，{G.STRICT}"
                )
            )
        )
        o1, _, _, odiff = change_words(D(t["vehicle_operation"]), D(prior.get("vehicle_operation")))
        b.append(
            Para(
                self.text(
                    f"公务用车运行维护费 {year}年预算数 {w(t['vehicle_operation'], 'part5', 'vehicle_operation')} 万元，比 {py} 年预算数"
                    f"{o1} {w(odiff, 'part5', 'operation_change')} 万元，主要用于 {c.extra.get('vehicles', 0)} 辆公务用车加油、维护、"
                    f"保养等方面的支出，{G.STRICT}"
                )
            )
        )
        return b

    # -- whole document ---------------------------------------------------------------------
    def cover(self) -> list[Block]:
        c = self.c
        b: list[Block] = [Heading(f"{c.year}年{c.dept}部门预算", 0, fake_bold=c.has("glyphs", "fake_bold"))]
        if self.sample_notice:
            b.append(Para("示例数据", center=True, size=16))
            b.append(Para("（本文件由 budgetlens 语料生成器生成，所列数字均为虚构，仅供测试）", center=True))
        b.append(PageBreak())
        b.append(Heading("目 录", 1, center=True))
        b.append(Heading("一、文字部分", 2))
        parts = [
            "部门概况",
            "部门预算收支总体情况",
            "部门预算支出具体情况",
            "政府采购预算情况",
            "一般公共预算“三公”经费预算情况",
            "部门预算绩效管理情况",
            "重点项目预算绩效情况说明",
            "其他需要说明情况",
            "名词解释",
        ]
        b.extend(Para(f"第{cn_number(i)}部分 {p}", indent=False) for i, p in enumerate(parts, 1))
        b.append(Heading("二、表格部分", 2))
        b.extend(Para(f"（{cn_number(i)}）{t}", indent=False) for i, (_, t) in enumerate(TABLES_13, 1))
        b.append(PageBreak())
        return b

    def tables(self) -> list[Block]:
        out: list[Block] = [Heading("二、表格部分", 1, center=True)]
        for kind, _ in TABLES_13:
            out.append(getattr(self, kind)())
        return out

    def section(self) -> Section:
        return Section(self.cover() + self.prose() + self.tables())
