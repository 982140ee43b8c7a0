"""Tables cut by page breaks where real documents cut them, rendered by the corpus and read back.

Found by sweeping variation combinations over the sample (3,948 combinations): each case re-renders a
sample budget with one page break or font that puts a row where the parser used to lose it, and
checks that the record equals the truth in every field.

- A body row that prints no figure (上年结余、结转 | | 结转下年 |, nil printed blank) first on a
  continuation page, right under the repeated header: it is a row, not part of the header.
- A function table whose last rows spill onto a page of their own (no title, no header) before the
  next page prints the title and header again with the rest: one table, every line read.
"""

from __future__ import annotations

import json

import pdfplumber
import pytest

from budgetlens.parse import parse_pdf
from corpus.accuracy import differences
from tests.conftest import SAMPLE
from tests.parse.test_corpus_defects import corpus_fonts

__all__ = ["corpus_fonts"]  # the fixture the renderer needs


def _render(budget_id: str, tmp_path, variations=(), page_rows=None, font=None):
    from corpus.render import render_truth

    truth = json.loads((SAMPLE / "truth" / f"{budget_id}.json").read_text(encoding="utf-8"))
    render = truth["render"]
    for v in variations:
        axis = v.split(":", 1)[0]
        render["variations"] = [x for x in render["variations"] if not x.startswith(axis + ":")] + [v]
    if page_rows:
        render["page_rows"] = page_rows
    if font:
        render["font"] = font
    return truth, render_truth(truth, tmp_path / f"{budget_id}.pdf")


def _pages_text(pdf) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return ["".join((page.extract_text() or "").split()) for page in doc.pages]


@pytest.mark.usefixtures("corpus_fonts")
def test_a_blank_row_under_a_repeated_header_is_a_row(tmp_path) -> None:
    truth, pdf = _render("longgang-kjcxj-2022", tmp_path, page_rows={"summary": [21]})
    pages = _pages_text(pdf)
    page = next(p for p in pages if "部门收支总表" in p and "上年结余、结转结转下年" in p)
    above = page.split("上年结余、结转结转下年")[0]
    assert above.endswith("项目2022年预算数项目2022年预算数"), (
        "the carry-over row is not first under the header"
    )
    problems = differences(truth, parse_pdf(pdf))
    assert not problems, "\n".join(problems)


@pytest.mark.usefixtures("corpus_fonts")
def test_a_table_spilled_onto_a_page_of_its_own_is_one_table(tmp_path) -> None:
    truth, pdf = _render("longhua-jyj-2023", tmp_path, variations=["codes:in_name"], font="uming")
    pages = _pages_text(pdf)
    titled = [i for i, p in enumerate(pages) if "一般公共预算支出表" in p and "功能分类" in p]
    assert any(b - a == 2 for a, b in zip(titled, titled[1:], strict=False)), (
        "no untitled page inside the function table"
    )
    records = parse_pdf(pdf)
    problems = differences(truth, records)
    assert not problems, "\n".join(problems)
    assert [t["kind"] for t in records[0]["tables"]].count("general_budget_by_function") == 1
