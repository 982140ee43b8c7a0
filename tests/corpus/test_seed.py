"""The seed document: its truth holds the figures of ../shared/seed/README.md, its PDF prints them."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from corpus.seed import SEED_FILE, SEED_ID, seed_truth
from corpus.truth import dumps, wan

README_TOTALS = {  # ../shared/seed/README.md, 万元
    "income_total": 2579,
    "expense_total": 2579,
    "basic_expense": 952,
    "project_expense": 1627,
    "procurement_total": 300,
    "procurement_services": 300,
    "procurement_goods": 0,
    "procurement_works": 0,
    "three_public_total": "2.65",
    "vehicle_operation": "2.65",
    "vehicle_total": "2.65",
    "vehicle_purchase": 0,
    "overseas_travel": 0,
    "official_reception": 0,
    "agency_running_cost": 87,
    "personnel_expense": 810,
    "operating_expense": 87,
    "household_subsidy": 55,
    "general_budget_appropriation": 2579,
    "procurement_sme": 300,
    "procurement_small_micro": 300,
}
README_HEADCOUNT = {
    "admin_authorized": 12,
    "admin_actual": 11,
    "cs_managed_authorized": 14,
    "cs_managed_actual": 12,
    "institution_authorized": 0,
    "institution_actual": 0,
    "veteran_retirees": 0,
    "retirees": 7,
    "internal_divisions": 5,
}
README_CLASSES = {"201": 60, "206": 2224, "208": 135, "210": 20, "221": 140}
README_PROJECTS = {
    "预算准备金": 48,
    "综合事务": 88,
    "科协科普工作": 217,
    "科技创新与产业发展": 1270,
    "离退休干部管理": 4,
}


@pytest.fixture(scope="module")
def record() -> dict:
    truth = seed_truth()
    assert truth["origin"] == "seed" and truth["id"] == SEED_ID
    return truth["records"][0]


@pytest.mark.parametrize(("field", "wan_value"), sorted(README_TOTALS.items()))
def test_seed_totals(record: dict, field: str, wan_value: object) -> None:
    assert record["totals"][field] == wan(wan_value)


@pytest.mark.parametrize(("field", "value"), sorted(README_HEADCOUNT.items()))
def test_seed_headcount(record: dict, field: str, value: int) -> None:
    assert record["headcount"][field] == value


def test_seed_function_classes_and_lines(record: dict) -> None:
    classes = {ln["code"]: ln["total"] for ln in record["function_lines"] if ln["level"] == 1}
    assert classes == {code: wan(v) for code, v in README_CLASSES.items()}
    assert record["totals"]["income_total"] == "25790000.00"
    # every 款 is the sum of its 项 and every 类 the sum of its 款 (the seed is exact in 万元)
    lines = record["function_lines"]
    for parent in lines:
        kids = [
            ln for ln in lines if ln["level"] == parent["level"] + 1 and ln["code"].startswith(parent["code"])
        ]
        if kids:
            for col in ("total", "basic", "project"):
                assert sum(float(k[col]) for k in kids) == float(parent[col]), (parent["code"], col)
    assert len(lines) == 25


def test_seed_projects_and_targets(record: dict) -> None:
    assert {p["name"]: p["amount"] for p in record["projects"]} == {
        k: wan(v) for k, v in README_PROJECTS.items()
    }
    assert sum(float(p["amount"]) for p in record["projects"]) == float(record["totals"]["project_expense"])
    targets = record["performance_targets"]
    assert (
        len(targets) == 20
        and targets[0]["indicator_level3"] == "国高企业认定数"
        and targets[0]["target"] == "102 家"
    )
    assert all(t["task"] is None for t in targets)
    assert [t["kind"] for t in record["tables"]][:3] == ["summary", "income", "expense"] and len(
        record["tables"]
    ) == 13


def _page_texts(pdf_path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, cjk_fonts: None) -> tuple[dict, Path]:
    from corpus.render import render_truth

    truth = seed_truth()
    out = tmp_path_factory.mktemp("seed") / "seed.pdf"
    render_truth(truth, out)
    return truth, out


def test_seed_pdf_text_layer_holds_the_figures(rendered: tuple[dict, Path]) -> None:
    truth, pdf_path = rendered
    texts = _page_texts(pdf_path)
    assert truth["records"][0]["pages"] == [1, len(texts)]
    full = "".join("".join(texts).split())  # line wraps and spacing are layout, not content
    assert "示例数据" not in full  # the seed reproduces a published document
    assert "2022年深圳市罗湖区科技创新局部门预算" in texts[0]
    for needle in [
        "部门预算收入 2,579 万元",
        "人员支出 810 万元",
        "公用支出 87 万元",
        "对个人和家庭的补助支出 55 万元",
        "项目支出 1,627 万元",
        "共计 300 万元",
        "服务采购 300 万元",
        "“三公”经费预算 2.65 万元",
        "机关运行经费财政拨款预算 87 万元",
        "行政编制总数 12 人，实有在编人数 11 人",
        "参公编制数 14 人，实有在编人数 12 人",
        "事业编制总数 0 人，实有在编人数 0 人",
        "离休 0 人，退休 7 人",
        "共 5 个部门",
    ]:
        assert "".join(needle.split()) in full, needle
    # 13 numbered tables; 表1 over 3 pages, 表6 and 表7 over 2 each, title repeated
    for n, pages in {1: 3, 6: 2, 7: 2}.items():
        assert (
            sum(1 for t in texts if t.lstrip().startswith(f"表 {n}\r") or t.lstrip().startswith(f"表 {n}\n"))
            == pages
        )
    for n in range(1, 14):
        assert any(t.lstrip().startswith(f"表 {n}") for t in texts), n
    table7 = [t for t in texts if "一般公共预算支出表（按功能分类）" in t and "科目编码" in t]
    for code, v in [("201", "60"), ("206", "2,224"), ("208", "135"), ("210", "20"), ("221", "140")]:
        assert any(f"{code}" in t and v in t for t in table7)
    assert "2,579" in texts[-1] or any("金额合计" in t and "2,579" in t for t in texts)


def test_committed_seed_matches_renderer(sample_dir: Path) -> None:
    """The committed seed truth is exactly what the renderer writes (pages included)."""
    path = sample_dir / "truth" / f"{SEED_ID}.json"
    committed = json.loads(path.read_text(encoding="utf-8"))
    fresh = seed_truth()
    fresh["records"][0]["pages"] = committed["records"][0]["pages"]
    assert dumps(fresh) == path.read_text(encoding="utf-8")
    assert (sample_dir / SEED_FILE).is_file()


def test_seed_truth_against_shared_readme(shared_dir: Path, record: dict) -> None:
    """The figures line of ../shared/seed/README.md, read from the file itself."""
    import re

    text = " ".join((shared_dir / "seed" / "README.md").read_text(encoding="utf-8").split())
    figures = text[text.index("Figures that must hold") :]

    def num(pattern: str) -> list[str]:
        m = re.search(pattern, figures)
        assert m, pattern
        return [g.replace(",", "") for g in m.groups()]

    t, h = record["totals"], record["headcount"]
    income, expense = num(r"income = expenditure = ([\d,.]+)") * 2
    assert t["income_total"] == wan(income) and t["expense_total"] == wan(expense)
    basic, project = num(r"basic ([\d,.]+) \+ project ([\d,.]+)")
    assert (t["basic_expense"], t["project_expense"]) == (wan(basic), wan(project))
    classes = num(r"function classes ([\d,.]+) \+ ([\d,.]+) \+ ([\d,.]+) \+ ([\d,.]+) \+ ([\d,.]+)")
    assert [ln["total"] for ln in record["function_lines"] if ln["level"] == 1] == [wan(c) for c in classes]
    total, services = num(r"procurement ([\d,.]+) \(services ([\d,.]+)\)")
    assert (t["procurement_total"], t["procurement_services"]) == (wan(total), wan(services))
    three, operation = num(r"三公 ([\d,.]+) \(vehicle operation ([\d,.]+)\)")
    assert (t["three_public_total"], t["vehicle_operation"]) == (wan(three), wan(operation))
    assert t["agency_running_cost"] == wan(num(r"机关运行经费 ([\d,.]+)")[0])
    a1, a2, c1, c2, i1, i2, vet, ret = (
        int(x) for x in num(r"行政 (\d+)/(\d+), 参公 (\d+)/(\d+), 事业 (\d+)/(\d+), 离休 (\d+), 退休 (\d+)")
    )
    assert (h["admin_authorized"], h["admin_actual"], h["cs_managed_authorized"], h["cs_managed_actual"]) == (
        a1,
        a2,
        c1,
        c2,
    )
    assert (h["institution_authorized"], h["institution_actual"], h["veteran_retirees"], h["retirees"]) == (
        i1,
        i2,
        vet,
        ret,
    )
