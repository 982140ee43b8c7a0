"""`budgetlens audit DIR`: a folder of PDFs through parse, a scratch warehouse and the quality gate."""

from __future__ import annotations

import re
import shutil

import pytest

from pipeline.cli import main
from pipeline.commands.audit import report
from tests.conftest import SAMPLE

pytestmark = pytest.mark.xdist_group("quality_real")

GOOD = SAMPLE / "sites" / "luohu" / "files" / "2022年深圳市罗湖区科技创新局部门预算.pdf"
CONTRADICTS = SAMPLE / "sites" / "baoan" / "files" / "2023年深圳市宝安区教育局部门预算（第二版）.pdf"


def test_audit_prints_verdicts_grouped_and_keeps_nothing_by_default(tmp_path, capsys):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for src in (GOOD, CONTRADICTS):
        shutil.copy(src, folder / src.name)
    (folder / "notes.txt").write_text("not a pdf", encoding="utf-8")
    assert main(["audit", str(folder), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "2 documents: 1 published" in out and "1 quarantined" in out
    assert re.search(r"checks: \d+ passed, [1-9]\d* failed, \d+ skipped", out)
    assert "error printings_agree_across_tables" in out  # the seeded 支出总计 contradiction, grouped
    assert "2023年深圳市宝安区教育局部门预算（第二版）.pdf" in out.split("quarantined:")[-1]
    assert sorted(p.name for p in folder.iterdir()) == sorted([GOOD.name, CONTRADICTS.name, "notes.txt"])


def test_audit_keeps_the_scratch_warehouse_when_asked(tmp_path, capsys):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    shutil.copy(GOOD, folder / GOOD.name)
    keep = tmp_path / "kept"
    assert main(["audit", str(folder), "--workers", "1", "--keep", str(keep)]) == 0
    assert (keep / "warehouse.duckdb").is_file()
    assert "1 documents: 1 published" in capsys.readouterr().out


def test_audit_of_a_folder_without_pdfs_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["audit", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no .pdf file" in err[0]
    assert main(["audit", str(tmp_path / "missing")]) == 2


def test_report_groups_reasons_errors_first():
    outcomes = [
        ("a.pdf", "published", None, "parser_readings_hold", "warning", "三公 left out"),
        ("b.pdf", "quarantined", "x", "income_equals_expense", "error", "收入 ≠ 支出"),
        ("c.pdf", "published", None, "printings_agree_across_tables", "withheld", "210 33.04 ≠ 33.03"),
        ("d.pdf", "published", None, None, None, None),
    ]
    text = report(outcomes, [("c.pdf", "function_lines[20].total", "printings_agree_across_tables", "…")])
    assert text.splitlines()[0] == "4 documents: 3 published (1 of them with withheld figures), 1 quarantined"
    assert (
        text.index("error income_equals_expense")
        < text.index("withheld printings")
        < text.index("warning parser_readings_hold")
    )
    assert "c.pdf: function_lines[20].total" in text
    text = report(
        outcomes[:1], [], checks={"passed": 40, "failed": 1}, joined=[("t.pdf", "joined into", "a.pdf")]
    )
    assert "checks: 40 passed, 1 failed, 0 skipped" in text
    assert "t.pdf: joined into a.pdf (one budget, counted once)" in text


def test_run_with_a_bad_sources_path_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["run", "--sources", str(tmp_path / "none"), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such sources config" in err[0] and "none" in err[0]
