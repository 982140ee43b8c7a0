"""The reference data in the repository: national function codes and per-staff bands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetlens.function_codes import CODE_LENGTH_BY_LEVEL, read_function_codes
from expectations.reference import ReferenceError, load_bands, load_function_codes
from expectations.settings import DEFAULT_FUNCTION_CODES, DEFAULT_PER_STAFF_BANDS, QualitySettings


def test_function_codes_form_a_tree():
    codes = load_function_codes(DEFAULT_FUNCTION_CODES).codes
    assert len(codes) > 500
    for code, (level, name) in codes.items():
        assert len(code) == CODE_LENGTH_BY_LEVEL[level] and name, code
        if level > 1:
            assert code[: CODE_LENGTH_BY_LEVEL[level - 1]] in codes, f"{code} has no parent in the list"
    # every 类 budgets use
    for c in ("201", "204", "205", "206", "207", "208", "210", "212", "213", "216", "221", "229"):
        assert c in codes


def test_no_two_codes_under_one_parent_share_a_name():
    """The parser resolves a line printed by name to its code: one name, one code per 类 / 款."""
    seen: dict[tuple[str, str], str] = {}
    for c in read_function_codes().values():
        other = seen.setdefault((c.parent, c.name), c.code)
        assert other == c.code, f"{other} and {c.code} are both {c.name}"


def test_every_function_code_of_the_sample_corpus_is_listed(sample_dir: Path):
    codes = load_function_codes(DEFAULT_FUNCTION_CODES)
    seen = set()
    for path in (sample_dir / "truth").glob("*.json"):
        for rec in json.loads(path.read_text(encoding="utf-8"))["records"]:
            seen |= {
                ln["code"]
                for ln in rec.get("function_lines", []) + rec.get("extra", {}).get("fund_lines", [])
            }
    assert seen and seen <= set(codes.codes), sorted(seen - set(codes.codes))


def test_the_header_says_what_the_list_covers():
    head = DEFAULT_FUNCTION_CODES.read_text(encoding="utf-8").split("\ncode,", 1)[0]
    assert "NOT the complete national list" in head and "source=real_pdf" in head


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("code,level,name,source\n2060,2,x,national\n", "bad code"),
        ("code,level,name,source\n20601,3,x,national\n", "length"),
        ("code,level,name,source\n206,1,x,national\n206,1,y,national\n", "twice"),
    ],
)
def test_a_malformed_code_list_is_refused_with_its_line(tmp_path, body, problem):
    f = tmp_path / "codes.csv"
    f.write_text("# comment\n" + body, encoding="utf-8")
    with pytest.raises(ReferenceError, match=problem):
        load_function_codes(f)


def test_bands_cover_the_seed_and_are_documented():
    bands = {b.metric: b for b in load_bands(DEFAULT_PER_STAFF_BANDS)}
    assert set(bands) == {
        "personnel_expense",
        "operating_expense",
        "agency_running_cost",
        "three_public_total",
    }
    staff = 23  # the seed: 行政 11 + 参公 12 actual
    assert bands["personnel_expense"].min_yuan <= 8_100_000 / staff <= bands["personnel_expense"].max_yuan
    assert bands["operating_expense"].min_yuan <= 870_000 / staff <= bands["operating_expense"].max_yuan


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("metric,min_yuan,max_yuan,why\nsalary,1,2,x\n", "not a totals field"),
        ("metric,min_yuan,max_yuan,why\npersonnel_expense,5,2,x\n", "min_yuan < max_yuan"),
        ("metric,min_yuan,max_yuan,why\npersonnel_expense,a,2,x\n", "decimal"),
    ],
)
def test_a_malformed_band_file_is_refused(tmp_path, body, problem):
    f = tmp_path / "bands.csv"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(ReferenceError, match=problem):
        load_bands(f)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"materiality": 0},
        {"materiality": 1},
        {"min_fiscal_year": 2030, "max_fiscal_year": 2020},
        {"data_docs_dir": "../x"},
    ],
)
def test_settings_are_validated(kwargs):
    from decimal import Decimal

    kw = {k: Decimal(v) if k == "materiality" else v for k, v in kwargs.items()}
    with pytest.raises(ValueError):
        QualitySettings(**kw)


def test_docs_list_every_expectation_with_its_reason(repo_dir):
    """docs/quality.md stays true: every expectation, its one-line reason and severity are there."""
    from expectations.context import SuiteContext
    from expectations.data import WarehouseData
    from expectations.stage import all_specs

    doc = (repo_dir / "docs" / "quality.md").read_text(encoding="utf-8")
    marks = {"materiality": "M", "error": "E", "warning": "W"}
    for s in all_specs(SuiteContext.build(WarehouseData())):
        row = next((ln for ln in doc.splitlines() if ln.startswith(f"| `{s.name}` |")), None)
        assert row is not None, f"{s.name} is not in docs/quality.md"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] == s.reason, s.name
        assert cells[2].startswith(marks[s.severity]), s.name
