"""Real published budgets (../shared/real-pdfs) against golden files typed from the documents.

The golden values were read from each document (pdftotext) and checked by hand; they are not a
snapshot of the parser's output. The PDFs are never copied into the repository.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from budgetlens.parse import parse_pdf
from corpus.accuracy import golden_scores, record_differences
from tests.parse.conftest import GOLDEN

GOLDENS = sorted(GOLDEN.glob("*.json"))
# The parser's measured accuracy on each real PDF (docs/accuracy.md, "final"): a ratchet. A change
# may raise `exact` (then raise it here) but never lower it, and never write a wrong value.
ACCURACY = json.loads((Path(__file__).parent / "real_accuracy.json").read_text(encoding="utf-8"))
pytestmark = pytest.mark.realpdf


@pytest.fixture(scope="module")
def parsed(real_pdfs_dir: Path) -> dict[str, dict]:
    """Each real PDF parsed once for this module: file name -> its one record."""
    out = {}
    for pdf in sorted(real_pdfs_dir.glob("*.pdf")):
        records = parse_pdf(pdf)
        assert len(records) == 1 and records[0]["error"] is None, pdf.name
        out[pdf.name] = records[0]
    return out


@pytest.mark.parametrize("golden_path", GOLDENS, ids=lambda p: p.stem)
def test_real_pdf_against_its_golden_file(golden_path: Path, parsed: dict, schema_validator) -> None:
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    rec = parsed.get(golden["file"])
    assert rec is not None, f"{golden['file']} is not in ../shared/real-pdfs"
    assert not list(schema_validator.iter_errors(rec))
    score = golden_scores(golden, rec)
    want = ACCURACY[golden_path.stem]
    assert score["fields"] == want["fields"], "the golden file changed: re-measure (docs/accuracy.md)"
    assert score["wrong_fields"] == want["wrong_fields"], score["wrong_fields"]
    assert score["exact"] >= want["exact"], (score["exact"], want["exact"], record_differences(golden, rec))
    if want["exact"] == want["fields"]:
        fields = ("document", "headcount", "totals", "function_lines")
        assert record_differences({k: golden[k] for k in fields}, rec) == []


@pytest.mark.parametrize("golden_path", GOLDENS, ids=lambda p: p.stem)
def test_real_pdf_economic_lines_against_its_golden_file(golden_path: Path, parsed: dict) -> None:
    """The basic expenditure's economic lines, typed from each document (docs/accuracy.md,
    "Economic lines"): every line exact, none the document does not print as the department's."""
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    rec = parsed[golden["file"]]
    score = golden_scores(golden, rec, parts=(), lines=("economic_lines",))
    assert score["wrong_fields"] == []
    assert score["exact"] == score["fields"] == 2 * len(golden["economic_lines"])
    assert [ln["code"] for ln in rec["economic_lines"]] == [ln["code"] for ln in golden["economic_lines"]]


def test_no_two_pages_of_the_real_documents_are_read_as_one_sheet(parsed: dict) -> None:
    """Pages printing one wide sheet across two are read side by side (`tables.printed_across`); no
    two pages of the 20 real documents do, though their tables repeat headers at the same heights
    and run rows at the same pitch."""
    across = {
        name: [w["message"] for w in rec["warnings"] if w["code"] == "printed_across"]
        for name, rec in parsed.items()
    }
    assert {name: found for name, found in across.items() if found} == {}


def test_procurement_lines_are_named_without_the_separator_after_their_code(parsed: dict) -> None:
    # Beijing's 预算 table prints its categories "A-货物", "C-服务" (the golden's goods / services)
    rec = parsed["beijing-finance-2026-budget-tables.pdf"]
    assert [tuple(ln.values()) for ln in rec["procurement_lines"]] == [
        ("A", "货物", "7169740.00"),
        ("C", "服务", "122315131.00"),
    ]


def test_project_lines_skip_the_column_numbers_row(parsed: dict) -> None:
    # 杭州市司法局 表10 (pp. 37-38, 万元) prints "** | ** | 1 | 2 …" under its header: no project.
    # Typed from the document: 31 projects of the department and its units, Σ 28,506.18 against
    # the printed 合计 28,506.17 (the document's rounding).
    rec = parsed["hangzhou-justice-2026-budget.pdf"]
    got = [(p["name"], p["amount"]) for p in rec["projects"]]
    assert len(got) == 31
    assert got[:3] == [
        ("法治杭州建设", "690000.00"),
        ("法治政府建设", "6765100.00"),
        ("法治社会建设", "9900400.00"),
    ]
    assert got[-2:] == [("日常保障运行", "544800.00"), ("法律援助", "3178200.00")]
    assert sum(Decimal(a) for _, a in got) == Decimal("285061800.00")


def test_project_lines_of_units_listed_under_their_units(parsed: dict) -> None:
    # 广州市政府办公厅 表 部门预算项目支出及其他支出预算表 (pp. 21-23, 万元) lists each unit's row
    # (its subtotal) over its projects; the table by economic class before it lists no project.
    # Typed from the document: the 14 projects' figures, Σ = the 合计 1,497.06.
    rec = parsed["guangzhou-government-office-2026-budget.pdf"]
    amounts = [Decimal(p["amount"]) / 10000 for p in rec["projects"]]
    assert amounts == [
        Decimal(x)
        for x in "226.48 21.20 156.38 749.25 138.05 70.25 16.10 7.00 21.00 26.20 56.15 1.02 3.18 4.80".split()
    ]
    assert [p["name"] for p in rec["projects"]][:4] == [
        "工作经费",
        "购置经费",
        "其他运行经费",
        "专项工作经费",
    ]
    # 广州市发改委 (pp. 26-32): 49 projects; a non-public one printed under a code name
    rec = parsed["guangzhou-development-reform-2026-budget.pdf"]
    assert len(rec["projects"]) == 49
    assert {"name": "CC(市本级）", "amount": "469056800.00"} in rec["projects"]


def test_a_table_of_contents_entry_before_a_part_heading_is_no_table(parsed: dict) -> None:
    # 无锡 交通运输局 p2 ends its contents with 十三、政府采购支出表 then 第三部分 2026 年度单位预算情况说明
    # (two header words, 单位 and 年度): not a table. The table itself, pp. 30-31 (万元), prints
    # 货物 2.00 and 服务 110.90.
    rec = parsed["wuxi-transport-2026-unit-budget.pdf"]
    assert [t["pages"] for t in rec["tables"] if t["kind"] == "procurement"] == [[30, 31]]
    assert [tuple(ln.values()) for ln in rec["procurement_lines"]] == [
        ("A", "货物", "20000.00"),
        ("C", "服务", "1109000.00"),
    ]


def test_no_real_pdf_gets_a_value_it_does_not_print(parsed: dict) -> None:
    """Across all real PDFs, no value differs from the document (docs/accuracy.md)."""
    wrong = [w for g in GOLDENS for w in ACCURACY[g.stem]["wrong_fields"]]
    assert wrong == [], wrong


def test_every_real_pdf_has_a_golden_file(real_pdfs_dir: Path) -> None:
    pdfs = {p.name for p in real_pdfs_dir.glob("*.pdf")}
    goldens = {json.loads(p.read_text(encoding="utf-8"))["file"] for p in GOLDENS}
    assert pdfs <= goldens, f"no golden file for {sorted(pdfs - goldens)}"


def test_real_pdf_template_families(real_pdfs_dir: Path) -> None:
    want = {
        "jiangsu-procuratorate-2019-budget.pdf": "jiangsu12",
        "jiangsu-cppcc-office-2019-budget-tables.pdf": "jiangsu12",
        "shanghai-putuo-commerce-2025-budget.pdf": "shanghai9",
        "shanghai-putuo-wanli-subdistrict-2024-budget.pdf": "shanghai9",
    }
    for name, template in want.items():
        rec = parse_pdf(real_pdfs_dir / name)[0]
        assert rec["document"]["template"] == template, name


def test_a_real_empty_table_note_that_contradicts_its_figures_is_reported(real_pdfs_dir: Path) -> None:
    # 万里街道 prints 三公 figures under a note saying the table is empty: reported, figures kept
    rec = parse_pdf(real_pdfs_dir / "shanghai-putuo-wanli-subdistrict-2024-budget.pdf")[0]
    assert [w["code"] for w in rec["warnings"]] == ["empty_note_mismatch"]
    assert rec["totals"]["three_public_total"] == "479100.00"
    three = next(t for t in rec["tables"] if t["kind"] == "three_public")
    assert three["empty"] is False and three["unit"] == "万元"


def test_tables_of_a_real_document(real_pdfs_dir: Path) -> None:
    rec = parse_pdf(real_pdfs_dir / "shanghai-putuo-commerce-2025-budget.pdf")[0]
    kinds = [(t["kind"], t["unit"], t["empty"]) for t in rec["tables"]]
    assert kinds == [
        ("summary", "元", False),
        ("income", "元", False),
        ("expense", "元", False),
        ("appropriation_summary", "元", False),
        ("general_budget_by_function", "元", False),
        ("gov_fund", "元", True),
        ("state_capital", "元", True),
        ("basic_by_economic", "元", False),
        ("three_public", "万元", False),
    ]
    for t in rec["tables"]:
        assert len(t["boxes"]) == len(t["rows"])
        assert all(len(b) == len(r) for b, r in zip(t["boxes"], t["rows"], strict=True))
