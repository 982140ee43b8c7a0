"""A final-accounts (决算) document: budget and actual columns side by side (`final_accounts`).

Its truth fixes only `document` (kind final_accounts); the pipeline must recognise and set it aside.
"""

from __future__ import annotations

from decimal import Decimal

from budgetlens.corpus.context import Ctx
from budgetlens.corpus.layout_shenzhen import D
from budgetlens.corpus.model import Block, Cell, Heading, PageBreak, Para, Section, Table


class FinalAccounts:
    template = "final_accounts"

    def __init__(self, ctx: Ctx, sample_notice: bool):
        self.c = ctx
        self.sample_notice = sample_notice

    def section(self) -> Section:
        c = self.c
        x = c.extra
        rows_src = x.get("final_rows", [])
        b: list[Block] = [Heading(f"{c.year}年{c.dept}部门决算", 0)]
        if self.sample_notice:
            b.append(Para("示例数据", center=True, size=16))
        b.append(PageBreak())
        b.append(Heading("第一部分 部门概况", 1))
        b.append(Para(x.get("duties", "")))
        b.append(Heading(f"第二部分 {c.year}年度部门决算情况说明", 1))
        total_b = sum((D(r["budget"]) for r in rows_src), Decimal(0))
        total_a = sum((D(r["actual"]) for r in rows_src), Decimal(0))
        b.append(
            Para(
                f"{c.year}年度收入、支出决算总计 {c.pf('final', 'actual', total_a)} 万元，年初预算 "
                f"{c.pf('final', 'budget', total_b)} 万元，年末结转和结余 {c.pf('final', 'balance', x.get('balance'))} 万元。"
            )
        )
        header: list[list[Cell | None]] = [
            [Cell("项目"), Cell("年初预算数"), Cell("调整预算数"), Cell("决算数"), Cell("决算数为预算数的%")]
        ]
        rows = []
        for r in rows_src:
            pct = (
                (D(r["actual"]) / D(r["budget"]) * 100).quantize(Decimal("0.1"))
                if D(r["budget"])
                else Decimal(0)
            )
            rows.append(
                [
                    r["name"],
                    c.n(r["budget"], "final"),
                    c.n(r["adjusted"], "final"),
                    c.n(r["actual"], "final"),
                    f"{pct}%",
                ]
            )
        rows.append(
            [
                "合计",
                c.n(total_b, "final"),
                c.n(sum((D(r["adjusted"]) for r in rows_src), Decimal(0)), "final"),
                c.n(total_a, "final"),
                "",
            ]
        )
        b.append(
            Table(
                title="收入支出决算总表",
                header=header,
                rows=rows,
                widths=[3.4, 1.4, 1.4, 1.4, 1.4],
                align=list("LRRRR"),
                number="公开01表",
                dept_line=f"部门：{c.dept}",
                unit_line=f"单位：{c.table_meta('final')['unit']}",
                bold_rows=frozenset({len(rows) - 1}),
            )
        )
        return Section(b)
