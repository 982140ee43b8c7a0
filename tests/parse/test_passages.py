"""The record's `passages`: the prose sentences that state a share, for the quality check
prose_shares_match_tables (docs/record.md, "passages")."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlens.parse import parse_pdf
from budgetlens.parse.prose import PASSAGE_MAX_CHARS, Prose, share_passages


def prose(*lines: str, pages: tuple[int, ...] = ()) -> Prose:
    """The prose of these lines (spaces removed as build_prose removes them), line i on pages[i] (1)."""
    text, where, starts = "", [], []
    for n, line in enumerate(lines):
        starts.append(len(text))
        kept = "".join(c for c in line if not c.isspace())
        page = pages[n] if n < len(pages) else 1
        where += [(page, 0.0, 0.0, 1.0, 1.0)] * len(kept)
        text += kept
    return Prose(text, where, starts)


def texts(p: Prose, **kw) -> list[str]:
    return [x["text"] for x in share_passages(p, **kw)]


def test_a_sentence_with_a_share_is_kept_whole_across_its_semicolons_and_lines() -> None:
    p = prose(
        "二、支出预算情况说明",
        "本部门本年支出预算合计 100 万元，其中：",
        "基本支出 60 万元，占 60%；",
        "项目支出 40 万元，占 40%。本部门共有编制 12 人。",
        "三、其他",
    )
    assert texts(p) == ["本部门本年支出预算合计100万元，其中：基本支出60万元，占60%；项目支出40万元，占40%。"]


def test_sentences_without_a_percentage_are_left_out() -> None:
    assert texts(prose("收入预算 100 万元。比上年增长百分之五。编号 ％ 无。")) == []


def test_the_page_is_where_the_sentence_begins() -> None:
    p = prose("前言。支出预算合计 100 万元，其中：", "基本支出 60 万元，占 60%。", pages=(4, 5))
    assert share_passages(p) == [{"text": "支出预算合计100万元，其中：基本支出60万元，占60%。", "page": 4}]


def test_a_heading_line_ends_the_sentence_before_it_and_is_no_part_of_the_next() -> None:
    p = prose(
        "单位预留机动经费 10 万元，占 10%；",
        "九、一般公共预算“三公”经费、会议费、培训费支出预",
        "算情况说明",
        "“三公”经费中，公务接待费 1 万元，占“三公”经费的 50%。",
    )
    assert texts(p) == [
        "单位预留机动经费10万元，占10%；",
        "“三公”经费中，公务接待费1万元，占“三公”经费的50%。",
    ]


def test_figures_printed_apart_stay_apart() -> None:
    p = Prose("占比12|11%。", [(1, 0.0, 0.0, 1.0, 1.0)] * 9, [0])
    assert texts(p) == ["占比12 11%。"]


def test_a_units_stretch_is_not_the_departments() -> None:
    p = prose(
        "部门支出 100 万元，增长 5%。", "一、甲单位预算 10 万元，增长 3%。二、乙单位预算 5 万元，增长 1%。"
    )
    unit = p.text.index("甲单位")
    assert texts(p, skip=[(unit, p.text.index("二、乙"))]) == [
        "部门支出100万元，增长5%。",
        "二、乙单位预算5万元，增长1%。",
    ]


def test_a_table_read_as_prose_is_cut_at_its_semicolons_and_the_count_is_capped() -> None:
    cell = "满意率≥95%100%10 10指标"
    long = "；".join([cell] * (PASSAGE_MAX_CHARS // len(cell) + 5)) + "。"
    got = texts(prose(long))
    assert got and all(len(t) <= PASSAGE_MAX_CHARS for t in got) and "".join(got) == long.replace(" ", "")
    assert len(texts(prose("增长 1%。" * 30), limit=7)) == 7


@pytest.mark.realpdf
def test_the_shares_a_real_budget_states(real_pdfs_dir: Path, schema_validator) -> None:
    """江苏省人民检察院 2019: the 支出 sentence with its three shares (p. 26, 65.56% among them) and the
    三公 sentence after its two-line heading (p. 30); only the prose, never a table cell."""
    rec = parse_pdf(real_pdfs_dir / "jiangsu-procuratorate-2019-budget.pdf")[0]
    assert not list(schema_validator.iter_errors(rec))
    passages = rec["passages"]
    assert {
        "text": "省检察院本年支出预算合计24,169.74万元，其中：基本支出15,844.04万元，占65.56%；"
        "项目支出4335.3万元，占17.94%；单位预留机动经费3990.4万元，占16.5%；",
        "page": 26,
    } in passages
    assert {
        "text": "省检察院2019年度一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出80万元，"
        "占“三公”经费的19.1%；公务用车购置及运行费支出237万元，占“三公”经费的56.7%；公务接待费支出101.26万元，"
        "占“三公”经费的24.2%。",
        "page": 30,
    } in passages
    assert len(passages) == 24
    assert [p["page"] for p in passages] == sorted(p["page"] for p in passages)  # document order
    assert all(("%" in p["text"] or "％" in p["text"]) for p in passages)


@pytest.mark.realpdf
def test_a_tables_only_budget_has_no_passages(real_pdfs_dir: Path) -> None:
    """北京市财政局 2026's tables part: its tables print 170 lines with a percentage, its passages none."""
    assert parse_pdf(real_pdfs_dir / "beijing-finance-2026-budget-tables.pdf")[0]["passages"] == []
