"""render_truth(truth, out): an edited truth record re-renders with the edit printed at its one place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from corpus.context import parse_variations, table_number
from corpus.numbers import NumberStyle, fmt, printed_yuan
from corpus.seed import seed_truth
from corpus.truth import write_truth


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "zero", "printed"),
    [
        ("25790000.00", "万元", 0, "0", "2,579"),
        ("26500.00", "万元", 2, "0", "2.65"),
        ("0.00", "万元", 0, "-", "-"),
        ("371514655.00", "元", 2, "0", "371,514,655.00"),
        ("0.00", "元", 2, "", ""),
        ("15000.00", "万元", 0, "0", "2"),
    ],
)
def test_number_printing(value: str, unit: str, decimals: int, zero: str, printed: str) -> None:
    assert fmt(value, NumberStyle(unit=unit, decimals=decimals, zero=zero)) == printed


def test_printed_yuan_rounds_half_up() -> None:
    from decimal import Decimal

    assert printed_yuan(Decimal(15_000), "万元", 0) == Decimal(20_000)
    assert printed_yuan(Decimal(14_999), "万元", 0) == Decimal(10_000)


@pytest.mark.parametrize(
    ("style", "n", "label"),
    [
        ("表1", 3, "表3"),
        ("表 1", 12, "表 12"),
        ("表一", 13, "表十三"),
        ("附表1", 2, "附表2"),
        ("公开01表", 9, "公开09表"),
        ("none", 1, None),
    ],
)
def test_table_numbering(style: str, n: int, label: str | None) -> None:
    assert table_number(style, n) == label


def test_parse_variations() -> None:
    assert parse_variations(["glyphs:a", "glyphs:b", "unit:元"]) == {"glyphs": {"a", "b"}, "unit": {"元"}}


def _text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "".join("".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))
    finally:
        pdf.close()


def test_an_override_changes_one_place_only(tmp_path: Path, cjk_fonts: None) -> None:
    from corpus.render import render_truth

    truth = seed_truth()
    truth["render"]["overrides"].append(
        {"place": "general_budget_by_function", "row": "total", "col": "total", "value": "25800000.00"}
    )
    truth["render"]["overrides"].append(
        {"place": "prose", "row": "part3", "col": "personnel_expense", "value": "8870000.00"}
    )
    render_truth(truth, tmp_path / "edited.pdf")
    text = _text(tmp_path / "edited.pdf")
    assert (
        "人员支出887万元" in text and "（一）人员支出810万元" in text
    )  # one sentence changed, the next one not
    assert "2,580" in text and "支出总计2,579" in text  # 表7 total changed, 表1 total not
    assert truth["records"][0]["totals"]["expense_total"] == "25790000.00"


def test_cli_renders_one_truth(tmp_path: Path, cjk_fonts: None) -> None:
    truth = seed_truth()
    src = write_truth(truth, tmp_path / "seed.json")
    out = tmp_path / "seed.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "corpus",
            "one",
            str(src),
            str(out),
            "--write-truth",
            str(tmp_path / "with-pages.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-") and "2,579" in _text(out)
    import json

    written = json.loads((tmp_path / "with-pages.json").read_text(encoding="utf-8"))
    assert written["records"][0]["pages"][0] == 1 and written["records"][0]["pages"][1] > 20
