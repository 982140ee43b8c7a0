"""Real documents kept only as page data, rebuilt as PDFs (`corpus.pagedata`) and read back.

The seven Putuo (Shanghai) documents of `golden/pagedata/` (four 2025 final accounts, three 2026
budgets) were read blind when they arrived (`docs/accuracy.md`, "Rebuilt from public page texts");
their golden files are typed from the documents' text. Their page data is public
(`source` in each golden file) but not ours to ship: the test reads it from the directory named
by BUDGETLENS_PAGEDATA, or `../shared/page-data/`, and skips, saying so, where neither holds it.
The rebuilding itself is tested on a small document of its own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from budgetlens.parse import parse_pdf
from corpus.accuracy import golden_scores
from corpus.pagedata import function_lines, header_blocks, header_rows, render_page_data
from tests.parse.pdfmaker import font_available

GOLDEN = Path(__file__).parent / "golden" / "pagedata"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not font_available(), reason="the CJK font WenQuanYi Zen Hei is not installed"
)


def _page_data_dir() -> Path | None:
    for d in (os.environ.get("BUDGETLENS_PAGEDATA"), ROOT.parent / "shared" / "page-data"):
        if d and Path(d).is_dir():
            return Path(d)
    return None


REAL = sorted(GOLDEN.glob("*.json"))


def _golden_and_page_data(golden_path: Path) -> tuple[dict, dict]:
    """A golden file and its document's page data, or a skip that says where the data would be."""
    where = _page_data_dir()
    if where is None or not (where / golden_path.name).is_file():
        pytest.skip(
            f"the page data {golden_path.name} is not here (set BUDGETLENS_PAGEDATA or put it in "
            "../shared/page-data/; its public source is named in the golden file)"
        )
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    return golden, json.loads((where / golden_path.name).read_text(encoding="utf-8"))


def _scores(golden: dict, data: dict, rec: dict) -> dict:
    """The record against the golden file, its function lines typed from the page data's own table
    (none where the golden says why no line can be typed)."""
    if golden.get("function_lines_unscored"):
        rec = {**rec, "function_lines": []}
    else:
        golden = {
            **golden,
            "function_lines": function_lines(
                data, golden["function_table"], golden.get("function_unit", 10000)
            ),
        }
    return golden_scores(golden, rec)


SMALL = {
    "page_texts": [
        "某市某区某局\n2025 年度部门决算",
        "目 录\n一、收入支出决算总表\n二、一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款支出决算表\n单位：万元\n注：本表反映部门本年度一般公共预算财政拨款支出情况。",
        "第三部分 某市某区某局 2025 年度部门决算情况说明\n机关运行经费支出 12.34 万元。",
    ],
    "page_tables": [
        [],
        [],
        [
            [
                ["项目", "", "", "", "一般公共预算财政拨款支出决算数", "", ""],
                ["功能分类\n科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
                ["类", "款", "项", "", "", "", ""],
                ["208", "", "", "社会保障和就业支出", "100.00", "90.00", "10.00"],
                ["20805", "", "", "行政事业单位养老支出", "100.00", "90.00", "10.00"],
                ["2080501", "", "", "行政单位离退休", "100.00", "90.00", "10.00"],
                ["合计", "", "", "", "100.00", "90.00", "10.00"],
            ]
        ],
        [],
    ],
}


def test_header_cells_span_the_empty_cells_beside_and_below_them() -> None:
    table = SMALL["page_tables"][2][0]
    assert header_rows(table) == 3
    blocks, _ = header_blocks(table, 3)
    assert blocks[(0, 0)] == (1, 4)  # 项目 over the code and name columns
    assert blocks[(0, 4)] == (1, 3)  # the fund's figures over 合计 | 基本支出 | 项目支出
    assert blocks[(1, 3)] == (2, 1)  # 科目名称 down to the 类 | 款 | 项 row


def test_a_small_document_is_rebuilt_and_read(tmp_path: Path) -> None:
    pdf = render_page_data(SMALL, tmp_path / "small.pdf")
    [rec] = parse_pdf(pdf)
    assert rec["document"]["department"] == "某市某区某局" and rec["document"]["fiscal_year"] == 2025
    assert rec["document"]["kind"] == "final_accounts"
    got = [(ln["code"], ln["total"], ln["basic"], ln["project"]) for ln in rec["function_lines"]]
    want = [
        (ln["code"], ln["total"], ln["basic"], ln["project"]) for ln in function_lines(SMALL, "支出决算表$")
    ]
    assert got == want == [(c, "1000000.00", "900000.00", "100000.00") for c in ("208", "20805", "2080501")]
    assert rec["totals"]["agency_running_cost"] == "123400.00"


@pytest.mark.parametrize("golden_path", REAL, ids=lambda p: p.stem)
def test_rebuilt_real_documents_are_read_exactly(golden_path: Path, tmp_path: Path) -> None:
    golden, data = _golden_and_page_data(golden_path)
    [rec] = parse_pdf(render_page_data(data, tmp_path / f"{golden_path.stem}.pdf"))
    scores = _scores(golden, data, rec)
    assert scores["wrong"] == 0, scores["wrong_fields"]
    assert scores["missing"] == 0, scores


@pytest.mark.parametrize("golden_path", REAL, ids=lambda p: p.stem)
def test_a_cover_without_text_leaves_the_name_to_the_documents_titles(
    golden_path: Path, tmp_path: Path
) -> None:
    """A cover drawn as an image (FIELD_NOTES): the department comes from the document's own titles
    (第二部分 X 2025 年度部门决算表, the tables' X 2025 年度部门决算表) or its 编制部门 lines, never from a
    contents entry; the year and the kind from the table titles."""
    golden, data = _golden_and_page_data(golden_path)
    data["page_texts"][0] = ""
    [rec] = parse_pdf(render_page_data(data, tmp_path / f"{golden_path.stem}.pdf"))
    doc, want = rec["document"], golden["document"]
    assert doc["department"] and want["department"].endswith(doc["department"])  # 编制部门 may omit 上海市
    assert (doc["fiscal_year"], doc["kind"]) == (want["fiscal_year"], want["kind"])


def test_two_headers_run_together_over_one_column_name_neither(tmp_path: Path) -> None:
    """基本支出项目支出 over one column of figures (an unruled table's two headers read as one): which
    figure is which cannot be told, so neither is read (never the one figure for both)."""
    data = {
        "page_texts": ["某市某局\n2025 年度部门决算", "一般公共预算财政拨款支出决算表\n单位：万元"],
        "page_tables": [
            [],
            [
                [
                    ["科目编码", "科目名称", "合计", "基本支出项目支出"],
                    ["201", "一般公共服务支出", "207.40", "207.40"],
                    ["20105", "统计信息事务", "207.40", "207.40"],
                    ["合计", "", "207.40", "207.40"],
                ]
            ],
        ],
    }
    [rec] = parse_pdf(render_page_data(data, tmp_path / "glued.pdf"))
    lines = [(ln["code"], ln["total"], ln["basic"], ln["project"]) for ln in rec["function_lines"]]
    assert lines == [("201", "2074000.00", None, None), ("20105", "2074000.00", None, None)]


def test_a_name_wrapped_in_an_unruled_cell_keeps_its_tail(tmp_path: Path) -> None:
    """An unruled table whose cells centre their text vertically: a name wrapped over three lines
    straddles its row's figures, and its tail (支出) reads as a row label does. The tail is the
    name's, not a row of its own (the name was cut to …缴费: a wrong name)."""
    rows = [
        ["208", "社会保障和就业支出", "30.00", "30.00", ""],
        ["20805", "行政事业单位养老支出", "30.00", "30.00", ""],
        ["2080501", "行政单位离退休", "10.00", "10.00", ""],
        ["2080505", "机关事业单位基\n本养老保险缴费\n支出", "10.00", "10.00", ""],
        ["2080506", "机关事业单位职\n业年金缴费\n支出", "10.00", "10.00", ""],
        ["合计", "", "30.00", "30.00", ""],
    ]
    data = {
        "page_texts": ["某市某局\n2025 年度部门决算", "一般公共预算财政拨款支出决算表\n单位：万元"],
        "page_tables": [[], [[["科目编码", "科目名称", "合计", "基本支出", "项目支出"], *rows]]],
    }
    [rec] = parse_pdf(render_page_data(data, tmp_path / "unruled.pdf", ruled=False))
    names = {ln["code"]: ln["name"] for ln in rec["function_lines"]}
    assert names["2080505"] == "机关事业单位基本养老保险缴费支出"
    assert names["2080506"] == "机关事业单位职业年金缴费支出"
    assert len(rec["function_lines"]) == 5


@pytest.mark.parametrize("golden_path", REAL, ids=lambda p: p.stem)
def test_drawn_without_rules_no_figure_is_wrong(golden_path: Path, tmp_path: Path) -> None:
    """The same documents drawn without their tables' rules (a stress beyond them: they are ruled,
    and the rebuilt columns are tight, so neighbouring headers run together): fields may be missed,
    never written wrong."""
    golden, data = _golden_and_page_data(golden_path)
    [rec] = parse_pdf(render_page_data(data, tmp_path / f"{golden_path.stem}.pdf", ruled=False))
    scores = _scores(golden, data, rec)
    assert scores["wrong"] == 0, scores["wrong_fields"]
