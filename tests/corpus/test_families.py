"""Layout families (`corpus/layout_families.py`): another arrangement of the same figures.

A family changes how one table prints and nothing else: every other block of the document is
the default layout's, the family's table prints the truth's figures, and rendering is as
deterministic as any other document. Cell indentation (`Table.indents`) reaches all three
producers. Whether the parser reads each family is tests/parse/test_corpus_families.py.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from corpus.layout_families import FUNCTION_FAMILIES, THREE_PUBLIC_FAMILIES
from corpus.model import Document, Section, Table
from corpus.numbers import NumberStyle, fmt
from corpus.render import build_document, render_truth

FAMILIES = (
    [f"three_public:{f}" for f in THREE_PUBLIC_FAMILIES]
    + [f"codes:{f}" for f in FUNCTION_FAMILIES]
    + ["economic:side_by_side"]
)
KIND = {"three_public": "three_public", "codes": "general_budget_by_function", "economic": "basic_expense"}


def _truth(sample_dir: Path, truth_id: str, variation: str | None = None) -> dict:
    truth = json.loads((sample_dir / "truth" / f"{truth_id}.json").read_text(encoding="utf-8"))
    if variation:
        axis = variation.split(":")[0] + ":"
        keep = [v for v in truth["render"]["variations"] if not v.startswith(axis)]
        truth["render"]["variations"] = [*keep, variation]
    return truth


def _tables(truth: dict) -> list[Table]:
    return [b for s in build_document(truth).sections for b in s.blocks if isinstance(b, Table)]


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_changes_its_own_table_only(sample_dir: Path, family: str) -> None:
    base = build_document(_truth(sample_dir, "longgang-kjcxj-2022"))
    other = build_document(_truth(sample_dir, "longgang-kjcxj-2022", family))
    kind = KIND[family.split(":")[0]]
    kinds = {kind, "gov_fund", "state_capital"} if family.startswith("codes:") else {kind}

    def split(doc: Document) -> tuple[list, list[Table]]:
        blocks = [b for s in doc.sections for b in s.blocks]
        mine = [b for b in blocks if isinstance(b, Table) and b.kind in kinds]
        return [b for b in blocks if not any(b is m for m in mine)], mine

    (rest_a, mine_a), (rest_b, mine_b) = split(base), split(other)
    assert rest_a == rest_b  # every other block, prose included, is the default layout's
    assert [t.kind for t in mine_a] == [t.kind for t in mine_b]
    assert next(t for t in mine_a if t.kind == kind) != next(t for t in mine_b if t.kind == kind)


def _style(truth: dict, kind: str) -> NumberStyle:
    meta = next(t for t in truth["records"][0]["tables"] if t["kind"] == kind)
    zero = next((v.split(":")[1] for v in truth["render"]["variations"] if v.startswith("zero:")), "0")
    zero = {"dash": "-", "blank": ""}.get(zero, zero)
    return NumberStyle(unit=meta["unit"], decimals=int(meta.get("decimals", 0)), zero=zero)


@pytest.mark.parametrize("family", [f"three_public:{f}" for f in THREE_PUBLIC_FAMILIES])
def test_three_public_families_print_the_truth(sample_dir: Path, family: str) -> None:
    truth = _truth(sample_dir, "pingshan-wtlj-2022", family)
    t = next(x for x in _tables(truth) if x.kind == "three_public")
    style = _style(truth, "three_public")
    totals = truth["records"][0]["totals"]
    want = [
        fmt(totals[f], style)
        for f in (
            "three_public_total",
            "overseas_travel",
            "official_reception",
            "vehicle_total",
            "vehicle_purchase",
            "vehicle_operation",
        )
    ]
    if family == "three_public:fund_matrix":
        current = t.rows[1][2:]
        assert current[0::3][:6] == want  # the general-budget column of each category block
        assert set(current[1::3] + current[2::3]) == {fmt("0", style)}  # no fund money for 三公
    elif family == "three_public:fund_matrix_meeting_training":
        assert t.rows[0][1:][0::3][:6] == want
    elif family == "three_public:admin_rows":
        by_label = {r[0]: r[1] for r in t.rows}
        assert by_label["“三公”经费"] == want[0] and by_label["（三）公务接待费支出"] == want[2]
        admin = Decimal(totals["agency_running_cost"])
        assert by_label["行政经费"] == fmt(admin, style)
        assert by_label["合计"] == fmt(admin + Decimal(totals["three_public_total"]), style)
    else:
        row = t.rows[0]
        assert row[3:9] == want
        assert row[2] == fmt(totals["agency_running_cost"], style)


@pytest.mark.parametrize("family", [f"codes:{f}" for f in FUNCTION_FAMILIES])
def test_function_families_print_every_line(sample_dir: Path, family: str) -> None:
    truth = _truth(sample_dir, "luohu-kjcxj-2022", family)
    t = next(x for x in _tables(truth) if x.kind == "general_budget_by_function")
    lines = truth["records"][0]["function_lines"]
    body = [r for r in t.rows if "合计" not in r]
    assert len(body) == len(lines)
    style = _style(truth, "general_budget_by_function")
    for row, ln in zip(body, lines, strict=True):
        assert row[-3:] == [fmt(ln[f], style) for f in ("total", "basic", "project")]
        name = "".join(row[:-3]).lstrip("\u3000")
        assert name.endswith(ln["name"])
        if family == "codes:split_once":
            assert "".join(row[:3]) == ln["code"][{1: 0, 2: 3, 3: 5}[ln["level"]] :]
        elif family == "codes:bracket_in_name":
            assert name == f"[{ln['code']}]{ln['name']}"
        else:
            assert name == ln["name"]
    levels = [ln["level"] - 1 for ln in lines]
    first = 1 if t.rows[0][-4] == "合计" else 0
    if family == "codes:names_indent":
        assert [len(r[0]) - len(r[0].lstrip("\u3000")) for r in body] == levels
    else:
        name_col = 3 if family == "codes:split_once" else 0
        assert [t.indents.get((first + i, name_col), 0) for i in range(len(body))] == levels


def test_side_by_side_keeps_the_order_of_the_lines(sample_dir: Path) -> None:
    truth = _truth(sample_dir, "luohu-kjcxj-2022", "economic:side_by_side")
    t = next(x for x in _tables(truth) if x.kind == "basic_expense")
    read = [(r[c], r[c + 1]) for c in (0, 3) for r in t.rows if r[c]]  # left half, then right half
    assert read == [(ln["code"], ln["name"]) for ln in truth["records"][0]["economic_lines"]]


# ---------------------------------------------------------------- indentation in every producer


def _indented() -> Document:
    table = Table(
        title="一般公共预算支出表",
        header=[],
        rows=[["科学技术支出", "1"], ["科学技术管理事务", "1"], ["行政运行", "1"]],
        widths=[4, 1],
        align=["L", "R"],
        indents={(1, 0): 1, (2, 0): 2},
    )
    return Document(title="t", sections=[Section([table])])


def test_office_and_chromium_markup_indent_the_cells() -> None:
    from corpus.pdf_chromium import document_html
    from corpus.pdf_office import document_fodt

    fodt = document_fodt(_indented(), "WenQuanYi Zen Hei")
    assert 'style:name="cLi2"' in fodt and 'fo:margin-left="18pt"' in fodt
    assert '<text:p text:style-name="cLi1">科学技术管理事务</text:p>' in fodt
    assert '<text:p text:style-name="cLi2">行政运行</text:p>' in fodt
    html = document_html(_indented(), "WenQuanYi Zen Hei")
    assert 'style="padding-left:12pt">科学技术管理事务' in html
    assert 'style="padding-left:21pt">行政运行' in html


def test_reportlab_sets_indented_names_one_font_size_further_right(tmp_path: Path, cjk_fonts: None) -> None:
    from corpus.pdf_reportlab import render_reportlab

    out = tmp_path / "indent.pdf"
    render_reportlab(_indented(), out, "wqy-zenhei")
    pdf = pdfium.PdfDocument(str(out))
    try:
        page = pdf[0].get_textpage()
        text = page.get_text_range()
        xs = [
            page.get_charbox(text.index(name))[0] for name in ("科学技术支出", "科学技术管理事务", "行政运行")
        ]
    finally:
        pdf.close()
    assert xs[1] - xs[0] == pytest.approx(9.0, abs=0.5) and xs[2] - xs[0] == pytest.approx(18.0, abs=0.5)


def test_a_family_renders_byte_identically_twice(sample_dir: Path, tmp_path: Path, cjk_fonts: None) -> None:
    truth = _truth(sample_dir, "pingshan-wtlj-2022", "three_public:fund_matrix")
    a, b = copy.deepcopy(truth), copy.deepcopy(truth)
    one = render_truth(a, tmp_path / "a.pdf").read_bytes()
    two = render_truth(b, tmp_path / "b.pdf").read_bytes()
    assert one == two and a["records"][0]["pages"] == b["records"][0]["pages"]
