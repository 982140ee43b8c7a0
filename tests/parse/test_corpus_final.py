"""Final accounts (部门决算) rendered by the corpus from sample budgets and read back by the parser.

Each case draws the 决算 of a sample budget's department-year (`corpus.plan.final_truth`),
renders it through a producer and checks that the parser's record equals the truth in every field
(document, headcount, all totals, function and economic lines, tables, no warning) and that the
figures come from the tables that print them (provenance on the table's pages), not from prose.

A printing the parser does not read is a defect the corpus found: a strict xfail with the defect,
so that the mark goes when the parser learns it. The layout's defaults print the central template
the way the parser reads it; the variations of the xfail cases print it the other ways real
documents do (docs/corpus.md, "Final accounts").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetlens.parse import parse_pdf
from corpus.accuracy import differences
from tests.conftest import SAMPLE
from tests.parse.test_corpus_defects import chromium_printer, corpus_fonts, office_printer

__all__ = ["chromium_printer", "corpus_fonts", "office_printer"]  # fixtures shared with the defect cases


def case(budget_id: str, producer: str, variations: list[str] = (), xfail: str | None = None, id: str = ""):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    name = id or f"{budget_id.rsplit('-', 1)[0]}-{producer}" + "".join(
        f"-{v.split(':')[1]}" for v in variations
    )
    return pytest.param(budget_id, producer, list(variations), id=name, marks=marks)


CASES = [
    case("nanshan-jyj-2022", "reportlab"),
    case("nanshan-jyj-2022", "chromium"),
    case("nanshan-jyj-2022", "office"),
    case("longhua-jyj-2022", "reportlab"),  # subordinate units
    case("longhua-jyj-2022", "chromium"),
    case("longhua-jyj-2022", "office"),
    case("futian-jyj-2022", "chromium", ["zero:0.00"]),  # nil 三公 printed 0.00
    case("futian-jyj-2022", "office", ["zero:0.00"]),
    case("baoan-jyj-2022", "reportlab"),  # a budget printed in 元 with 三公 in 万元
    case("putuo-swj-2022", "reportlab"),  # a Shanghai budget
    case("luohu-kjcxj-2022", "chromium"),  # the seed document's department-year
    case("nanshan-jyj-2022", "reportlab", ["zero:dash"]),
    # printings of real final accounts the parser does not read yet
    case("nanshan-jyj-2022", "reportlab", ["sme:awarded"]),  # 授予中小企业合同金额 (the central wording)
    case("nanshan-jyj-2022", "chromium", ["empty:column_numbers"]),  # an empty table with its 栏次 row
    case("nanshan-jyj-2022", "chromium", ["performance:single"]),  # 对 N 个项目开展了绩效自评 (one count)
    case("longhua-jyj-2022", "reportlab", ["units:central"]),  # 部门决算包括：X本级决算、Y决算和Z决算
    # nil 三公 printed blank: one ruled row with nothing in it under the column numbers
    case("futian-jyj-2022", "reportlab", id="futian-reportlab-blank_three_public"),
    case(
        "futian-wtlj-2022", "reportlab", id="futian-wtlj-reportlab-fund_income"
    ),  # 政府性基金预算财政拨款收入
    # basic expenditure buys equipment (310 资本性支出 in the 公用经费 group, as the real 国家信访局 2024 决算):
    # operating_expense is the table's 公用经费合计 (302 + 310)
    case("nanshan-jyj-2022", "reportlab", ["economic:capital"]),
    # the district printing (Shanghai's 部门决算, seen blind in seven rebuilt real documents): cover name
    # wrapped with the year, units as a numbered table, codes under 类 | 款 | 项 printed whole under 类,
    # economic codes split 类 | 款, 三公 by category with 预算数 | 决算数, contracted procurement and
    # SME reservations beside what SMEs won, 绩效自评的 N 个项目
    case("longhua-jyj-2022", "reportlab", ["template:district"]),
    case("nanshan-jyj-2022", "chromium", ["template:district"]),
    case("longhua-jyj-2022", "office", ["template:district", "economic:capital"]),
]

# where the canonical figures must come from: field -> the table kind that prints it
FROM_TABLE = {
    "totals.income_total": "summary",
    "totals.expense_total": "summary",
    "totals.carryover_in": "summary",
    "totals.carryover_out": "summary",
    "totals.general_budget_appropriation": "summary",
    "totals.basic_expense": "expense",
    "totals.project_expense": "expense",
    "totals.personnel_expense": "basic_expense",
    "totals.household_subsidy": "basic_expense",
    "totals.three_public_total": "three_public",
    "totals.official_reception": "three_public",
    "totals.vehicle_total": "three_public",
    "totals.vehicle_operation": "three_public",
}


def _final(budget_id: str, producer: str, variations: list[str]) -> dict:
    from corpus.plan import final_truth

    budget = json.loads((SAMPLE / "truth" / f"{budget_id}.json").read_text(encoding="utf-8"))
    return final_truth(budget, 20220101, 1, producer, "wqy-zenhei", variations)


@pytest.mark.parametrize(("budget_id", "producer", "variations"), CASES)
def test_final_accounts_are_read_exactly(
    budget_id: str, producer: str, variations: list[str], tmp_path: Path, request
) -> None:
    request.getfixturevalue(
        {"chromium": "chromium_printer", "office": "office_printer"}.get(producer, "corpus_fonts")
    )
    from corpus.render import render_truth

    truth = _final(budget_id, producer, variations)
    pdf = render_truth(truth, tmp_path / f"{budget_id}-final.pdf")
    records = parse_pdf(pdf)
    problems = differences(truth, records)
    assert not problems, "\n".join(problems)
    [rec] = records
    pages = {t["kind"]: set(t["pages"]) for t in rec["tables"]}
    for field, kind in FROM_TABLE.items():
        prov = rec["provenance"][field]
        assert prov["source"] == "table" and prov["page"] in pages[kind], (field, prov, pages[kind])
    for i in range(len(rec["function_lines"])):
        assert rec["provenance"][f"function_lines[{i}].total"]["page"] in pages["general_budget_by_function"]
