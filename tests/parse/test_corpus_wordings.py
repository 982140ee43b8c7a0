"""Wordings real budgets use for the same facts, rendered by the corpus from sample budgets and read back.

Each case re-renders a sample budget with one wording variation (docs/corpus.md, "Variations") and
checks that the parser's record equals the truth in every field. The wordings are those of real
publishers the parser was not first written for: the budget's units counted after the divisions
(包括 4 个内设机构及 2 个下属单位), named one by one (下属单位具体包括：A、B), or listed with the
department and counted together (X系统包括：X本级、A、B共 3 家基层单位); summary rows worded 上年结转结余 /
结转结余下年 and fund rows 政府性基金预算拨款收入 with no 政府预算拨款 row above them.
"""

from __future__ import annotations

import json
import re

import pdfplumber
import pytest

from budgetlens.parse import parse_pdf
from corpus.accuracy import differences
from tests.conftest import SAMPLE
from tests.parse.test_corpus_defects import corpus_fonts

__all__ = ["corpus_fonts"]  # the fixture the renderer needs

CASES = [
    pytest.param("longhua-jyj-2022", ["units:count"], "2个下属单位", id="units-count"),
    pytest.param("longhua-jyj-2022", ["units:list"], "下属单位具体包括：", id="units-list"),
    pytest.param("longhua-jyj-2022", ["units:scope"], "共3家基层单位", id="units-scope"),
    pytest.param("futian-wtlj-2022", ["labels:worded"], "政府性基金预算拨款收入", id="labels-worded"),
]


@pytest.mark.usefixtures("corpus_fonts")
@pytest.mark.parametrize(("budget_id", "variations", "wording"), CASES)
def test_wording_is_read_exactly(budget_id: str, variations: list[str], wording: str, tmp_path) -> None:
    from corpus.render import render_truth

    truth = json.loads((SAMPLE / "truth" / f"{budget_id}.json").read_text(encoding="utf-8"))
    truth["render"]["variations"] = [*truth["render"]["variations"], *variations]
    pdf = render_truth(truth, tmp_path / f"{budget_id}.pdf")
    with pdfplumber.open(pdf) as doc:
        text = "".join((page.extract_text() or "") for page in doc.pages)
    assert wording in re.sub(r"\s+", "", text), f"the document does not print {wording}"
    problems = differences(truth, parse_pdf(pdf))
    assert not problems, "\n".join(problems)
