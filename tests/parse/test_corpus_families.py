"""Layout families of real publishers, rendered by the corpus and read back by the parser.

Each case re-renders a sample-corpus truth with one layout family (`corpus/layout_families.py`,
docs/corpus.md "Layout families"): the same figures, printed the way another publisher prints
them. The parser must read the document exactly (every field the truth holds,
no warning the truth does not expect), and the figures the family's table carries must come from
that table (its provenance points into the table's pages), not from the prose that repeats them.

A family the parser does not read is a parser defect the corpus found: marked `xfail(strict=True)`
with the defect, so that the mark goes when the parser learns the family.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from budgetlens.parse import parse_pdf
from corpus.accuracy import differences
from corpus.model import Table
from tests.conftest import SAMPLE
from tests.parse.test_corpus_defects import chromium_printer, corpus_fonts, office_printer, relayout

__all__ = ["chromium_printer", "corpus_fonts", "office_printer"]  # fixtures shared with the defect cases

THREE_PUBLIC = [
    "three_public_total",
    "overseas_travel",
    "official_reception",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
]
BASIC = ["personnel_expense", "operating_expense", "household_subsidy"]
FUNDS = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]


def _texts(t: Table) -> list[str]:
    return [c.text for row in t.header for c in row if c is not None] + [x for r in t.rows for x in r]


# what the rendered table must show for the family to be there at all (checked on the print model)
SHAPES: dict[str, Callable[[Table], bool]] = {
    "three_public:fund_matrix": lambda t: (
        [c.text for c in t.header[-1] if c] == FUNDS * 6
        and [r[1][-1] for r in t.rows[:2]] == ["年", "年"]
        and t.rows[2][1] == "增减变化金额"
    ),
    "three_public:fund_matrix_meeting_training": lambda t: (
        [c.text for c in t.header[-1] if c] == FUNDS * 8
        and len(t.rows) == 1
        and {"会议费", "培训费", "“三公”经费合计"} <= set(_texts(t))
    ),
    "three_public:admin_rows": lambda t: (
        [r[0] for r in t.rows[:3]] == ["合计", "行政经费", "“三公”经费"] and t.rows[0][1] != t.rows[2][1]
    ),
    "three_public:admin_columns": lambda t: (
        {"合计", "机关运行经费", "“三公”经费"} <= set(_texts(t)) and len(t.rows) == 1
    ),
    "codes:names_indent": lambda t: (
        any(r[0].startswith("\u3000\u3000") for r in t.rows)
        and not any(ch.isdigit() for r in t.rows for ch in r[0])
    ),
    "codes:names_offset": lambda t: (
        set(t.indents.values()) == {1, 2} and not any(ch.isdigit() for r in t.rows for ch in r[0])
    ),
    "codes:bracket_in_name": lambda t: (
        all(r[0].startswith("[") for r in t.rows if r[0] != "合计") and set(t.indents.values()) == {1, 2}
    ),
    "codes:split_once": lambda t: all(sum(1 for x in r[:3] if x) == 1 for r in t.rows if r[3] != "合计"),
    "economic:side_by_side": lambda t: (
        [c.text for c in t.header[0] if c] == ["科目编码", "科目名称", "金额"] * 2
        and t.rows[0][0] == "301"
        and t.rows[0][3] == "302"
    ),
}
KIND = {
    "three_public": "three_public",
    "codes": "general_budget_by_function",
    "economic": "basic_expense",
}


# defects the families found (the parser is another engineer's: these stay open until it reads them)
def case(
    truth_id: str, variations: list[str], producer: str = "reportlab", xfail: str | None = None, id: str = ""
):
    family = variations[0]
    changes = {"variations": variations, "producer": producer}
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    rules = next((v for v in variations if v.startswith("rules:")), "")
    name = id or f"{family.split(':')[1]}-{producer}" + (f"-{rules.split(':')[1]}" if rules else "")
    return pytest.param(truth_id, family, changes, id=name, marks=marks)


FAMILIES = [
    # 1. the 三公 table as a category × fund matrix, one row per year (Shenzhen 2026)
    case("pingshan-wtlj-2022", ["three_public:fund_matrix"]),  # printed without rules
    case(
        "yantian-czj-2022", ["three_public:fund_matrix", "rules:grid"], id="fund_matrix-reportlab-yuan-grid"
    ),
    # printed in 元 with horizontal rules only: every figure wraps in its narrow cell ('269,000.' over
    # '00', '28,000.0' over '0'), the row label between the halves
    case("yantian-czj-2022", ["three_public:fund_matrix"], id="fund_matrix-reportlab-yuan"),
    case("pingshan-wtlj-2022", ["three_public:fund_matrix", "rules:grid"], "chromium"),
    case("pingshan-wtlj-2022", ["three_public:fund_matrix", "rules:grid"], "office"),
    # without vertical rules narrow columns wrap every fund name (一般公 / 共预算, 政府性 / 基金预 / 算)
    case("pingshan-wtlj-2022", ["three_public:fund_matrix", "rules:hrules"], "chromium"),
    # … with 会议费 and 培训费 beside the 三公 blocks, one row (Wuxi)
    case("longgang-kjcxj-2022", ["three_public:fund_matrix_meeting_training", "rules:grid"]),
    case("longgang-kjcxj-2022", ["three_public:fund_matrix_meeting_training", "rules:grid"], "chromium"),
    case("longgang-kjcxj-2022", ["three_public:fund_matrix_meeting_training", "rules:grid"], "office"),
    case("longgang-kjcxj-2022", ["three_public:fund_matrix_meeting_training", "rules:none"]),
    # 3. 行政经费 and 三公 in one table, a 合计 over both (Guangzhou)
    case("longgang-kjcxj-2022", ["three_public:admin_rows"]),  # printed without rules
    case("longgang-kjcxj-2022", ["three_public:admin_rows"], "chromium"),
    case("longgang-kjcxj-2022", ["three_public:admin_rows", "rules:grid"], "office"),
    case("longgang-kjcxj-2022", ["three_public:admin_columns", "rules:grid"]),
    case("longgang-kjcxj-2022", ["three_public:admin_columns", "rules:grid"], "chromium"),
    case("longgang-kjcxj-2022", ["three_public:admin_columns", "rules:grid"], "office"),
    # unruled: the group label "三公"经费 is centred over the middle of its span, so its 小计 column is
    # told by the table's identity (小计 = 出国 + 接待 + 公务用车)
    case("longgang-kjcxj-2022", ["three_public:admin_columns", "rules:none"]),
    # 2. the function table by names only, nested by indentation (Hangzhou); the seed's truth has
    # 其他科学技术支出 both as a 款 and as a 项
    case("luohu-kjcxj-2022", ["codes:names_indent"]),
    case("luohu-kjcxj-2022", ["codes:names_indent"], "chromium"),
    case("luohu-kjcxj-2022", ["codes:names_indent"], "office"),
    case("luohu-kjcxj-2022", ["codes:names_offset", "rules:none"]),
    case("luohu-kjcxj-2022", ["codes:names_offset", "rules:none"], "chromium"),
    case("luohu-kjcxj-2022", ["codes:names_offset"], "office"),
    # 4. the economic classification as two groups side by side (central government)
    case("luohu-kjcxj-2022", ["economic:side_by_side", "rules:none"]),
    case("luohu-kjcxj-2022", ["economic:side_by_side", "rules:hrules"], "chromium"),
    case("luohu-kjcxj-2022", ["economic:side_by_side"], "office"),
    # 5. codes inside the name column (Guangzhou), codes over 类 | 款 | 项 printed once (Yantai)
    case("pingshan-wtlj-2022", ["codes:bracket_in_name"]),
    case("pingshan-wtlj-2022", ["codes:bracket_in_name"], "chromium"),
    case("pingshan-wtlj-2022", ["codes:bracket_in_name", "rules:grid"], "office"),
    case("pingshan-wtlj-2022", ["codes:split_once"]),
    case("pingshan-wtlj-2022", ["codes:split_once"], "chromium"),
    case("pingshan-wtlj-2022", ["codes:split_once", "rules:grid"], "office"),
]


def family_table(truth: dict, kind: str) -> Table:
    from corpus.render import build_document

    doc = build_document(truth)
    return next(b for s in doc.sections for b in s.blocks if isinstance(b, Table) and b.kind == kind)


@pytest.mark.parametrize(("truth_id", "family", "changes"), FAMILIES)
def test_layout_family_is_read_exactly(
    truth_id: str, family: str, changes: dict, tmp_path: Path, request
) -> None:
    printer = {"chromium": "chromium_printer", "office": "office_printer"}.get(
        changes["producer"], "corpus_fonts"
    )
    request.getfixturevalue(printer)
    from corpus.render import render_truth

    truth = relayout(json.loads((SAMPLE / "truth" / f"{truth_id}.json").read_text(encoding="utf-8")), changes)
    kind = KIND[family.split(":")[0]]
    assert SHAPES[family](family_table(truth, kind)), f"the document does not print {family}"
    (rec,) = records = parse_pdf(render_truth(truth, tmp_path / f"{truth_id}.pdf"))
    problems = differences(truth, records)
    # the figures the family's table carries are read from that table
    pages = {p for t in rec["tables"] if t["kind"] == kind for p in t["pages"]}
    if kind == "general_budget_by_function":
        carried = [f"function_lines[{i}].total" for i in range(len(rec["function_lines"]))]
    else:
        carried = [f"totals.{f}" for f in (THREE_PUBLIC if kind == "three_public" else BASIC)]
        if family == "three_public:admin_columns":
            carried.append("totals.agency_running_cost")
    for field in carried:
        prov = rec["provenance"].get(field) or {}
        if prov.get("source") != "table" or prov.get("page") not in pages:
            problems.append(f"{field}: not read from the {kind} table (pages {sorted(pages)}): {prov}")
    assert not problems, "\n".join(problems)
