"""Real published budgets (../shared/real-pdfs, never committed) through parser, warehouse and suites.

They are genuine documents from Jiangsu and Shanghai, whose layouts and definitions differ from
Shenzhen's: a Jiangsu department with money outside the general budget (其他资金) prints function
classes larger in its summary table than in its general-budget table, and an economic table that
covers the general budget only. None of them contradicts itself, so all must publish.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

pytestmark = [pytest.mark.realpdf, pytest.mark.slow, pytest.mark.xdist_group("quality_real")]


@pytest.fixture(scope="module")
def real_run(real_pdfs_dir: Path, tmp_path_factory):
    from budgetlens.parse import parse_many
    from expectations.stage import run_quality
    from warehouse import db
    from warehouse.loader import load_staged
    from warehouse.staging import stage_records

    root = tmp_path_factory.mktemp("quality-real")
    files = sorted(real_pdfs_dir.glob("*.pdf"))
    if not files:
        pytest.skip(f"no PDF in {real_pdfs_dir}")
    staged = []
    now = datetime(2026, 1, 5, tzinfo=UTC)
    for path, records in parse_many(files, workers=2, timeout_s=300):
        staged += stage_records(
            root / "staging", records, source_url=f"http://127.0.0.1/{path.name}", file_name=path.name,
            fetched_at=now, parsed_at=now,
        )  # fmt: skip
    load_staged(root / "wh.duckdb", staged)
    con = db.connect(root / "wh.duckdb")
    try:
        report = run_quality(con, root / "out")
        rows = con.execute(
            "select d.file_name, d.status, d.status_reason, r.expectation, r.severity, r.message "
            "from current_documents d left join quality_results r using (doc_id) order by all"
        ).fetchall()
        parts = con.execute(
            "select p.file_name, b.file_name from documents p join documents b on b.doc_id = p.part_of"
        ).fetchall()
    finally:
        con.close()
    return report, rows, parts


# The two halves of one publication (text and tables as two PDFs) share one key: the warehouse joins
# the text part into the tables part (warehouse/budgets.py), one budget.
TEXT_PART, TABLES_PART = "beijing-finance-2026-budget-text.pdf", "beijing-finance-2026-budget-tables.pdf"


def test_real_budgets_publish(real_run):
    """Every real document publishes: none contradicts itself. Including jiangsu-cppcc, whose 201 is
    10,271.56 万元 in the summary (all funds) and 10,191.56 in the general-budget table (the bound, not
    equality, applies: see test_cases.py other_money_*)."""
    report, rows, parts = real_run
    errors = [r for r in rows if r[4] == "error"]
    assert not errors, errors
    files = {r[0] for r in rows}
    assert report.documents == len(files) == 19  # 20 files, one of them the text part of another
    assert {r[1] for r in rows} == {"published"}, rows


def test_the_halves_of_a_split_publication_are_one_budget(real_run):
    """The text part's prose is checked against the other file's tables: the figures agree within the
    prose's printed precision except 货物, whose sentence says 716.98 万元 where the table prints
    716.974000 (716.97 rounded): that figure alone is withheld, naming both files' pages."""
    _, rows, parts = real_run
    assert parts == [(TEXT_PART, TABLES_PART)]
    assert TEXT_PART not in {r[0] for r in rows}
    budget = [r for r in rows if r[0] == TABLES_PART]
    assert {r[1] for r in budget} == {"published"}
    assert not [r for r in budget if r[3] == "one_published_budget_per_key" and r[4] != "passed"]
    held = [r for r in budget if r[4] == "withheld"]
    assert [r[3] for r in held] == ["prose_agrees_with_tables"], held
    assert "716.974000" in held[0][5] and f"{TEXT_PART} 第9页" in held[0][5]


def test_a_reading_the_parser_cannot_trust_is_withheld_not_quarantined(real_run):
    """Real documents whose tables the parser reads only in part publish with the warning flag
    parser_readings_hold, never quarantined for it."""
    _, rows, _ = real_run
    flagged = {r[0] for r in rows if r[3] == "parser_readings_hold"}
    assert flagged and all(r[1] == "published" for r in rows if r[0] in flagged)


def test_a_figure_two_tables_print_differently_is_withheld(real_pdfs_dir: Path, real_run):
    """Guangzhou 发改委 prints 卫生健康支出 as 33.04 万元 in three tables and 33.03 in one: that line is
    withheld, the budget published (a quarantine would be a claim the document cannot support)."""
    _, rows, _ = real_run
    gz = [r for r in rows if r[0] == "guangzhou-development-reform-2026-budget.pdf"]
    assert {r[1] for r in gz} == {"published"}
    held = [r for r in gz if r[4] == "withheld"]
    assert held and all(r[3] == "printings_agree_across_tables" and "33.04" in r[5] for r in held), gz
