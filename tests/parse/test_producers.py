"""The same real documents, re-written by another PDF producer or printed without rules.

`pdftocairo -pdf` (poppler) re-writes a PDF as cairo draws it: the text stays text, but fonts it
cannot embed are also drawn as outlines, so each glyph's straight strokes come out as short lines
inside the glyph's box. Those are no table rules (`pdfdoc.without_glyph_strokes`); before they
were told apart, a header's wrapped cells fell apart and 公务用车运行维护费 was not read.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from budgetlens.parse import parse_pdf
from budgetlens.parse.pdfdoc import Char, Rule, without_glyph_strokes
from corpus.accuracy import golden_scores
from corpus.stress import without_rules
from tests.parse.conftest import GOLDEN

REWRITTEN = (
    "jiangsu-cppcc-office-2019-budget-tables.pdf",
    "shenzhen-petitions-bureau-2026-budget.pdf",
    "national-petitions-administration-2024-final-accounts.pdf",
)


def test_strokes_inside_one_glyph_are_no_rules() -> None:
    chars = [Char("一", 100, 50, 111, 67), Char("十", 111, 50, 122, 67)]
    stroke = Rule(101.0, 58.0, 110.0, 58.5)  # the stroke of 一
    cross = Rule(116.0, 52.0, 116.5, 66.0)  # the upright of 十
    border = Rule(90.0, 48.0, 300.0, 48.5)  # a table rule above the text
    column = Rule(111.2, 40.0, 111.7, 80.0)  # a column rule between the two glyphs, longer than both
    assert without_glyph_strokes([stroke, cross, border, column], chars) == [border, column]


@pytest.mark.realpdf
@pytest.mark.parametrize("name", REWRITTEN)
def test_a_document_rewritten_by_cairo_reads_as_its_golden_file(
    name: str, real_pdfs_dir: Path, tmp_path: Path
) -> None:
    tool = shutil.which("pdftocairo")
    if tool is None:
        pytest.skip("pdftocairo (poppler-utils) is not installed: the re-written PDF cannot be made")
    out = tmp_path / name
    subprocess.run([tool, "-pdf", str(real_pdfs_dir / name), str(out)], check=True, timeout=300)
    golden = json.loads((GOLDEN / name.replace(".pdf", ".json")).read_text(encoding="utf-8"))
    [rec] = parse_pdf(out)
    for lines in (("function_lines",), ("economic_lines",)):
        parts = () if lines == ("economic_lines",) else ("document", "headcount", "totals")
        score = golden_scores(golden, rec, parts=parts, lines=lines)
        assert score["wrong_fields"] == [] and score["exact"] == score["fields"], score


# The real PDFs with every rule taken away (corpus.stress.without_rules), as a publisher printing
# borderless tables would: measured 2026-12-07 (docs/accuracy.md, "Without rules"). A ratchet: no
# wrong value, and at least this many fields exact.
UNRULED = {
    "yantai-finance-2026-budget.pdf": 184,
    "beijing-finance-2026-budget-tables.pdf": 140,
    "shanghai-putuo-commerce-2025-budget.pdf": 210,
    "shenzhen-petitions-bureau-2026-budget.pdf": 155,
    "national-petitions-administration-2024-final-accounts.pdf": 173,
}


@pytest.mark.realpdf
@pytest.mark.parametrize("name", sorted(UNRULED))
def test_a_real_document_without_its_rules_writes_no_wrong_value(
    name: str, real_pdfs_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / name
    out.write_bytes(without_rules((real_pdfs_dir / name).read_bytes()))
    golden = json.loads((GOLDEN / name.replace(".pdf", ".json")).read_text(encoding="utf-8"))
    [rec] = parse_pdf(out)
    score = golden_scores(golden, rec)
    assert score["wrong_fields"] == []
    assert score["exact"] >= UNRULED[name], (score["exact"], score["fields"])
