"""`budgetlens inspect FILE`: page images with the boxes of the figures read."""

from __future__ import annotations

from pipeline.cli import main
from pipeline.commands.inspect import figure_boxes
from tests.conftest import SAMPLE

SEED = SAMPLE / "sites" / "luohu" / "files" / "2022年深圳市罗湖区科技创新局部门预算.pdf"


def test_one_field_outlines_its_canonical_printing_red_and_the_others_blue(tmp_path, capsys):
    out = tmp_path / "img"
    assert main(["inspect", str(SEED), "--field", "totals.expense_total", "--out", str(out)]) == 0
    written = capsys.readouterr().out.split()
    assert written and all(p.endswith(".png") for p in written)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.rsplit("/", 1)[-1] for p in written)
    assert all(p.stat().st_size > 1000 and p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in out.iterdir())


def test_figure_boxes_colour_the_printings_of_a_field():
    rec = {
        "provenance": {"totals.expense_total": {"page": 14, "bbox": [1, 2, 3, 4]}},
        "function_lines": [{"code": "201"}],
        "observations": [
            {"field": "totals.expense_total", "canonical": True, "page": 14, "bbox": [1, 2, 3, 4]},
            {"field": "totals.expense_total", "canonical": False, "page": 5, "bbox": [5, 6, 7, 8]},
            {"field": "totals.income_total", "canonical": False, "page": 5, "bbox": [9, 9, 9, 9]},
        ],
    }
    assert figure_boxes([rec], "totals.expense_total") == {
        14: [((1, 2, 3, 4), "red")],
        5: [((5, 6, 7, 8), "blue")],
    }
    assert set(figure_boxes([rec], None)) == {14}


def test_a_missing_file_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "nope.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such file" in err[0]
