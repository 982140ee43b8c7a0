"""The Shanghai 9-table layout (`shanghai9`): 编制说明 prose, 9 tables in 元, 三公 in 万元, procurement in prose."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from budgetlens.fields import TEMPLATE_TABLES
from budgetlens.identities import APPROPRIATION, THREE_PUBLIC_FIELDS
from corpus.context import CN_ORD
from corpus.layout_base import (
    APPROPRIATIONS,
    D,
    Layout,
    code_columns_head,
    labelled,
    paired_rows,
    three_public_head,
)
from corpus.layout_shenzhen import change_words
from corpus.model import Block, Cell, Heading, PageBreak, Para, Section, Table
from corpus.numbers import prose_amount

TABLES_9: list[tuple[str, str]] = list(  # (kind, title) of each table, in order
    zip(
        TEMPLATE_TABLES["shanghai9"],
        (
            "部门财务收支预算总表",
            "部门收入预算总表",
            "部门支出预算总表",
            "部门财政拨款收支预算总表",
            "部门一般公共预算支出功能分类预算表",
            "部门政府性基金预算支出功能分类预算表",
            "部门国有资本经营预算支出功能分类预算表",
            "部门一般公共预算基本支出部门预算经济分类预算表",
            "部门“三公”经费和机关运行经费预算表",
        ),
        strict=True,
    )
)


class Shanghai9(Layout):
    template = "shanghai9"

    def n(self, v: str | Decimal | None, kind: str) -> str:
        return self.c.n(v, kind) if v is not None and D(str(v)) != 0 else ""

    def frame(self, kind: str, kw: dict[str, Any]) -> dict[str, Any]:
        meta = self.c.table_meta(kind)
        notes = list(kw.pop("notes", []))
        if meta.get("empty"):
            notes.append(
                f"注:本部门{self.c.year}年无{dict(TABLES_9)[kind][2:4]}预算财政拨款安排的预算，故本表为空表。"
            )
        return {
            "title": f"{self.c.year}年{dict(TABLES_9)[kind]}",
            "number": None,
            "dept_line": f"编制部门：{self.c.dept}",
            "unit_line": f"单位：{meta['unit']}",
            "notes": notes,
            "page_rows": self.c.page_rows(kind),
            "rules": self.c.var("rules", "hrules"),
            "orientation": "landscape",
            **kw,
        }

    def coded(
        self, kind: str, lines: list[dict[str, Any]], amount_heads: list[str], amounts: list[str], group: str
    ) -> Table:
        header: list[list[Cell | None]] = [
            [Cell("项目", colspan=4), None, None, None, Cell(group, colspan=len(amount_heads))]
            + [None] * (len(amount_heads) - 1),
            *code_columns_head("功能分类科目编码", "功能分类科目名称", amount_heads),
        ]
        rows, keys = [], []
        for ln in lines:
            code = ln["code"]
            rows.append(
                [code[:3], code[3:5], code[5:7], ln["name"], *[self.n(ln.get(a), kind) for a in amounts]]
            )
            keys.append((code,))
        tops = [ln for ln in lines if ln["level"] == 1]
        rows.append(
            [
                "",
                "",
                "",
                "合计",
                *[self.n(sum((D(ln.get(a)) for ln in tops), Decimal(0)), kind) for a in amounts],
            ]
        )
        keys.append(("total",))
        cols = ["c1", "c2", "c3", "name", *amounts]
        return self.table(
            kind,
            header,
            rows,
            keys,
            cols,
            [0.6, 0.5, 0.5, 3.6] + [1.4] * len(amounts),
            "CCCL" + "R" * len(amounts),
            bold_rows=frozenset({len(rows) - 1}),
            wrap_cols=frozenset({3}),
        )

    def classes(self, kind: str) -> list[tuple[str, str, str]]:
        out = []
        for i, ln in enumerate(x for x in self.c.record["function_lines"] if x["level"] == 1):
            out.append((f"{CN_ORD[i]}、{ln['name']}", self.n(ln["total"], kind), ln["code"]))
        return out

    def summary(self) -> Table:
        k, t = "summary", self.c.record["totals"]
        labels = ("一、财政拨款收入", "1. 一般公共预算资金", "2. 政府性基金", "3. 国有资本经营预算")
        income = labelled(labels, APPROPRIATIONS, lambda key: self.n(t[key], k))
        income += [
            ("二、事业收入", "", "business"),
            ("三、事业单位经营收入", "", "operations"),
            ("四、其他收入", "", "other"),
        ]
        header: list[list[Cell | None]] = [
            [Cell("本年收入", colspan=2), None, Cell("本年支出", colspan=2), None],
            [Cell("项目"), Cell("预算数"), Cell("项目"), Cell("预算数")],
        ]
        rows, keys = paired_rows(income, self.classes(k))
        rows.append(["收入总计", self.n(t["income_total"], k), "支出总计", self.n(t["expense_total"], k)])
        keys.append(("income_total", "expense_total"))
        return self.table(
            k,
            header,
            rows,
            keys,
            ["in.name", "in.amount", "name", "amount"],
            [3, 1.6, 3.4, 1.6],
            "LRLR",
            bold_rows=frozenset({len(rows) - 1}),
        )

    def income(self) -> Table:
        lines = [dict(ln, fiscal=ln["total"]) for ln in self.c.record["function_lines"]]
        return self.coded(
            "income",
            lines,
            ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"],
            ["total", "fiscal", "business", "operations", "other"],
            "收入预算",
        )

    def spending(self, kind: str, lines: list[dict[str, Any]], group: str) -> Table:
        """A coded table of 合计 | 基本支出 | 项目支出 under `group`."""
        return self.coded(kind, lines, ["合计", "基本支出", "项目支出"], ["total", "basic", "project"], group)

    def expense(self) -> Table:
        return self.spending("expense", self.c.record["function_lines"], "支出预算")

    def appropriation_summary(self) -> Table:
        k, t = "appropriation_summary", self.c.record["totals"]
        labels = ("一、一般公共预算资金", "二、政府性基金", "三、国有资本经营预算")
        income = labelled(labels, APPROPRIATION.parts, lambda key: self.n(t[key], k))
        header: list[list[Cell | None]] = [
            [Cell("财政拨款收入", colspan=2), None, Cell("财政拨款支出", colspan=5), None, None, None, None],
            [
                Cell("项目"),
                Cell("预算数"),
                Cell("项目"),
                Cell("合计"),
                Cell("一般公共预算"),
                Cell("政府性基金预算"),
                Cell("国有资本经营预算"),
            ],
        ]
        rows, keys = paired_rows(income, self.classes(k))
        rows = [[*r, r[3], "", ""] for r in rows]  # the expense figure again, under 一般公共预算
        fa = self.n(t["fiscal_appropriation"], k)
        rows.append(
            [
                "收入总计",
                fa,
                "支出总计",
                fa,
                self.n(t["general_budget_appropriation"], k),
                self.n(t["gov_fund_appropriation"], k),
                "",
            ]
        )
        keys.append(("income_total", "expense_total"))
        return self.table(
            k,
            header,
            rows,
            keys,
            ["in.name", "in.amount", "name", "amount", "general", "fund", "state"],
            [2.6, 1.5, 2.8, 1.5, 1.5, 1.4, 1.4],
            "LRLRRRR",
            bold_rows=frozenset({len(rows) - 1}),
        )

    def general_budget_by_function(self) -> Table:
        return self.spending(
            "general_budget_by_function", self.c.record["function_lines"], "一般公共预算支出"
        )

    def gov_fund(self) -> Table:
        return self.spending("gov_fund", self.c.extra.get("fund_lines", []), "政府性基金预算支出")

    def state_capital(self) -> Table:
        return self.spending("state_capital", [], "国有资本经营预算支出")

    def basic_by_economic(self) -> Table:
        k = "basic_by_economic"
        header: list[list[Cell | None]] = [
            [Cell("项目", colspan=3), None, None, Cell("一般公共预算基本支出", colspan=3), None, None],
            [
                Cell("部门预算经济分类科目编码", colspan=2),
                None,
                Cell("经济分类科目名称", rowspan=2),
                Cell("合计", rowspan=2),
                Cell("人员经费", rowspan=2),
                Cell("公用经费", rowspan=2),
            ],
            [Cell("类"), Cell("款"), None, None, None, None],
        ]
        rows, keys = [], []
        staff = oper = Decimal(0)
        for ln in self.c.record["economic_lines"]:
            a = D(ln["amount"])
            is_staff = ln["code"][:3] in ("301", "303")
            staff += a if is_staff else 0
            oper += 0 if is_staff else a
            rows.append(
                [
                    ln["code"][:3],
                    ln["code"][3:5],
                    ln["name"],
                    self.n(a, k),
                    self.n(a, k) if is_staff else "",
                    "" if is_staff else self.n(a, k),
                ]
            )
            keys.append((ln["code"],))
        rows.append(["", "", "合计", self.n(staff + oper, k), self.n(staff, k), self.n(oper, k)])
        keys.append(("total",))
        return self.table(
            k,
            header,
            rows,
            keys,
            ["c1", "c2", "name", "amount", "staff", "operating"],
            [0.7, 0.6, 3.6, 1.6, 1.6, 1.6],
            "CCLRRR",
            bold_rows=frozenset({len(rows) - 1}),
        )

    def three_public(self) -> Table:
        k, t = "three_public", self.c.record["totals"]
        top, sub = three_public_head(
            Cell("合计", rowspan=2), "因公出国(境)费", "公务用车购置及运行费", ("购置费", "运行费")
        )
        header: list[list[Cell | None]] = [
            [Cell("“三公”经费预算数", colspan=6), *[None] * 5, Cell("机关运行经费预算数", rowspan=3)],
            [*top, None],
            [*sub, None],
        ]
        fields = [*THREE_PUBLIC_FIELDS, "agency_running_cost"]
        rows = [[self.n(t[f], k) for f in fields]]
        return self.table(k, header, rows, [("current",)], fields, [1.2] * 7, "RRRRRRR")

    # -- prose -----------------------------------------------------------------------------
    def prose(self) -> tuple[list[Block], list[Block]]:
        """(the text before the tables, the text after them)."""
        c = self.c
        t, x, h = c.record["totals"], c.extra, c.record["headcount"]
        year, dept = c.year, c.dept
        prior = x.get("prior_year", {})
        py = prior.get("year", year - 1)

        def w(value: str | Decimal | None, row: str, col: str) -> str:
            return c.pf(row, col, value)

        b: list[Block] = [Heading(f"{dept}主要职能", 1, center=True), Para(x.get("duties", ""))]
        b.append(Heading(f"{dept}机构设置", 1, center=True))
        units = x.get("units", [])
        b.append(
            Para(
                f"{dept}部门预算是包括本部以及下属{h['subordinate_units']}家预算单位的综合收支计划。"
                f"本部门设{h['internal_divisions']}个内设机构，包括：{'、'.join(x.get('divisions', []))}。"
                + ("下属单位包括：" + "、".join(u["name"] for u in units[1:]) + "。" if units else "")
            )
        )
        b.append(Heading("名词解释", 1, center=True))
        b.append(
            Para(
                "（一）财政拨款收入：是区级预算主管部门及所属预算单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、"
                "政府性基金预算财政拨款和国有资本经营预算财政拨款。"
            )
        )
        b.append(
            Para(
                "（二）“三公”经费：是与区级财政有经费领拨关系的部门及其下属预算单位使用区级财政拨款安排的因公出国（境）费、"
                "公务用车购置及运行费、公务接待费。"
            )
        )
        b.append(
            Para(
                "（三）机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。"
            )
        )
        b.append(Heading(f"{year}年部门预算编制说明", 1, center=True))
        w1, _, _, diff = change_words(D(t["income_total"]), D(prior.get("income_total")))
        b.append(
            Para(
                f"{year}年，{dept}收入预算{w(t['income_total'], 'sh.part4', 'income_total')}万元，其中：财政拨款收入"
                f"{w(t['fiscal_appropriation'], 'sh.part4', 'fiscal_appropriation')}万元，比{py}年预算{w1}"
                f"{w(diff, 'sh.part4', 'income_change')}万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。"
            )
        )
        b.append(
            Para(
                f"支出预算{w(t['expense_total'], 'sh.part4', 'expense_total')}万元，其中：财政拨款支出预算"
                f"{w(t['fiscal_appropriation'], 'sh.part4', 'fiscal_expense')}万元。"
            )
        )
        b.append(Para("财政拨款支出主要内容如下："))
        names = {ln["code"]: ln["name"] for ln in c.record["function_lines"]}
        i = 0
        for ln in c.record["function_lines"]:
            if ln["level"] != 3:
                continue
            i += 1
            code = ln["code"]
            label = f"{names[code[:3]]}（类）{names[code[:5]]}（款）{ln['name']}（项）"
            b.append(
                Para(
                    f"{i}. “{label}”{w(ln['total'], 'sh.line:' + code, 'total')}万元，主要用于相关工作支出。"
                )
            )
        front, b = b, [Heading("其他相关情况说明", 1, center=True)]
        tp = D(t["three_public_total"])
        t1, _, _, tdiff = change_words(tp, D(prior.get("three_public_total")))
        b.append(Para(f"一、{year}年“三公”经费预算情况说明", indent=False))
        b.append(
            Para(
                f"{year}年“三公”经费预算数为{w(tp, 'sh.part6', 'three_public_total')}万元，比{py}年预算{t1}"
                f"{w(tdiff, 'sh.part6', 'three_public_change')}万元。其中：因公出国（境）费"
                f"{w(t['overseas_travel'], 'sh.part6', 'overseas_travel')}万元；公务用车购置及运行费"
                f"{w(t['vehicle_total'], 'sh.part6', 'vehicle_total')}万元，其中：公务用车购置费"
                f"{w(t['vehicle_purchase'], 'sh.part6', 'vehicle_purchase')}万元，公务用车运行费"
                f"{w(t['vehicle_operation'], 'sh.part6', 'vehicle_operation')}万元；公务接待费"
                f"{w(t['official_reception'], 'sh.part6', 'official_reception')}万元。"
            )
        )
        b.append(Para("二、机关运行经费预算", indent=False))
        b.append(
            Para(
                f"{year}年{dept}财政拨款的机关运行经费预算为{w(t['agency_running_cost'], 'sh.part6', 'agency_running_cost')}"
                "万元。"
            )
        )
        b.append(Para("三、政府采购预算情况", indent=False))
        b.append(
            Para(
                f"{year}年度本部门政府采购预算{w(t['procurement_total'], 'sh.part6', 'procurement_total')}万元，其中："
                f"政府采购货物预算{w(t['procurement_goods'], 'sh.part6', 'procurement_goods')}万元、政府采购工程预算"
                f"{w(t['procurement_works'], 'sh.part6', 'procurement_works')}万元、政府采购服务预算"
                f"{w(t['procurement_services'], 'sh.part6', 'procurement_services')}万元。"
            )
        )
        if c.record["projects"]:
            # Shanghai budgets describe their projects in the text (项目经费情况说明), in 元 like the tables.
            items = "；".join(
                f"{i}.{p['name']}预算{prose_amount(p['amount'], unit='元', decimals=2)}元"
                for i, p in enumerate(c.record["projects"], 1)
            )
            b.append(Para("四、项目经费情况说明", indent=False))
            b.append(Para(f"{year}年度本部门项目支出预算具体包括：{items}。"))
        b.append(
            Para("五、绩效目标设置情况" if c.record["projects"] else "四、绩效目标设置情况", indent=False)
        )
        b.append(
            Para(
                f"{year}年度，本部门编报绩效目标的项目共{len(c.record['projects'])}个，涉及项目预算资金"
                f"{w(t['project_expense'], 'sh.part6', 'project_expense')}万元。"
            )
        )
        return front, b

    def section(self) -> Section:
        c = self.c
        jur = c.record["document"]["jurisdiction"]
        b: list[Block] = [
            Heading(f"{jur}{c.year}年区级部门预算", 0),
            Para(f"预算主管部门：{c.dept}", center=True),
        ]
        if self.sample_notice:
            b.append(Para("示例数据", center=True, size=16))
        b.append(PageBreak())
        b.append(Heading("目  录", 1, center=True))
        for item in [
            "一、部门主要职能",
            "二、部门机构设置",
            "三、名词解释",
            "四、部门预算编制说明",
            "五、部门预算表",
        ]:
            b.append(Para(item, indent=False))
        b.extend(Para(f"  {i}. {c.year}年{title}", indent=False) for i, (_, title) in enumerate(TABLES_9, 1))
        b.append(Para("六、其他相关情况说明", indent=False))
        b.append(PageBreak())
        front, back = self.prose()
        b.extend(front)
        b.extend(getattr(self, kind)() for kind, _ in TABLES_9)
        b.extend(back)
        return Section(b)
