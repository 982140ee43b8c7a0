"""`budgetlens compare` and `budgetlens report` on the sample warehouse (through the real CLI entry point)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal

import pytest

from budgetlens.publish.compare import CompareFilters, UnknownColumn, compare_query, terminal_view
from pipeline.cli import main
from warehouse.models import MODELS, comparison

from .world import SampleWorld


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_compare_csv_has_every_column_and_exact_values(sample_world: SampleWorld, capsys):
    code, out, err = cli(
        capsys, "compare", "operating-costs", "--format", "csv", "--warehouse", str(sample_world.warehouse)
    )
    assert code == 0 and err == ""
    rows = csv_rows(out)
    assert {r["doc_id"] for r in rows} == sample_world.published_budgets
    seed = next(r for r in rows if r["doc_id"] == sample_world.seed_doc_id())
    assert seed["agency_running_cost_per_staff"] == "37826.09"
    # sorted on the main metric, highest first, nulls last, with the department-type rank
    values = [r["agency_running_cost_per_staff"] for r in rows]
    numbers = [Decimal(v) for v in values if v]
    assert numbers == sorted(numbers, reverse=True) and values[len(numbers) :] == [""] * (
        len(values) - len(numbers)
    )
    assert seed["type_peers"] and int(seed["type_rank"]) <= int(seed["type_peers"])


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["--jurisdiction", "罗湖"], lambda r: r["jurisdiction"] == "深圳市罗湖区"),
        (["--type", "科技创新"], lambda r: r["department_type"] == "科技创新"),
        (["--year", "2022"], lambda r: r["fiscal_year"] == 2022),
        (
            ["--jurisdiction", "罗湖", "--type", "科技创新", "--year", "2022"],
            lambda r: r["department"] == "深圳市罗湖区科技创新局" and r["fiscal_year"] == 2022,
        ),
    ],
)
def test_compare_filters(sample_world: SampleWorld, sample_con, capsys, args, check):
    code, out, _ = cli(
        capsys,
        "compare",
        "procurement",
        "--format",
        "json",
        "--warehouse",
        str(sample_world.warehouse),
        *args,
    )
    assert code == 0
    rows = json.loads(out)
    assert rows and all(check(r) for r in rows)
    every = sample_con.execute("select * from procurement_share_comparison").fetchall()
    cols = [d[0] for d in sample_con.description]
    assert len(rows) == sum(1 for r in every if check(dict(zip(cols, r, strict=True))))
    assert all(isinstance(r["expense_total"], str) for r in rows)  # decimals as strings in JSON


def test_compare_sort_and_ascending(sample_world: SampleWorld, capsys):
    code, out, _ = cli(
        capsys, "compare", "headcount", "--sort", "retirees_total", "--asc", "--format", "csv",
        "--warehouse", str(sample_world.warehouse),
    )  # fmt: skip
    assert code == 0
    rows = csv_rows(out)
    values = [int(r["retirees_total"]) for r in rows if r["retirees_total"]]
    assert values == sorted(values)
    assert "type_rank" not in rows[0]  # retirees_total is not a ranked metric


def test_compare_table_view(sample_world: SampleWorld, capsys):
    code, out, _ = cli(capsys, "compare", "headcount", "--jurisdiction", "罗湖", "--year", "2022",
                       "--warehouse", str(sample_world.warehouse))  # fmt: skip
    assert code == 0
    assert "Headcount, by staff_count" in out and "rank in type" in out
    assert "11.5 %" in out and "1,121,304" in out  # the seed's vacancy rate and spending per staff


def test_terminal_view_formats_for_people(sample_con):
    result = compare_query(
        sample_con, comparison("operating-costs"), CompareFilters(jurisdiction="罗湖", fiscal_year=2022),
        columns=["department", "agency_running_cost_per_staff", "basic_share", "warning_flags"],
    )  # fmt: skip
    headers, rows = terminal_view(result)
    assert headers == ["department", "running/staff", "basic_share", "rank in type", "flags"]
    seed = next(r for r in rows if r[0] == "深圳市罗湖区科技创新局")
    assert (
        seed[1] == "37,826"
        and seed[2] == "36.9 %"
        and seed[3].startswith(("1/", "2/", "3/", "4/", "5/", "6/", "7/"))
    )


def test_compare_unknown_sort_column_is_a_usage_error(sample_world: SampleWorld, capsys):
    code, _, err = cli(
        capsys,
        "compare",
        "headcount",
        "--sort",
        "salary; drop table x",
        "--warehouse",
        str(sample_world.warehouse),
    )
    assert code == 2 and "has no column" in err
    with pytest.raises(UnknownColumn):
        from warehouse.db import connect

        con = connect(sample_world.warehouse, read_only=True)
        try:
            compare_query(con, comparison("headcount"), columns=["department", "nope"])
        finally:
            con.close()


def test_compare_without_a_warehouse(tmp_path, capsys):
    code, _, err = cli(capsys, "compare", "headcount", "--warehouse", str(tmp_path / "none.duckdb"))
    assert code == 1 and "no warehouse" in err


def test_compare_on_a_warehouse_without_models_computes_them(sample_world: SampleWorld, tmp_path, capsys):
    from warehouse.db import connect

    copy = tmp_path / "old.duckdb"
    shutil.copyfile(sample_world.warehouse, copy)
    con = connect(copy)
    for m in MODELS:
        con.execute(f"drop table {m}")  # noqa: S608 (constant names)
    con.close()
    code, out, err = cli(capsys, "compare", "procurement", "--format", "csv", "--warehouse", str(copy))
    assert code == 0 and "computed them for this query" in err
    assert {r["doc_id"] for r in csv_rows(out)} == sample_world.published_budgets
    # read-only: nothing was stored
    con = connect(copy, read_only=True)
    try:
        assert "procurement_share_comparison" not in {r[0] for r in con.execute("show tables").fetchall()}
    finally:
        con.close()


def test_report_command(sample_world: SampleWorld, tmp_path, capsys):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "raw").symlink_to(sample_world.raw_dir, target_is_directory=True)
    out_dir = tmp_path / "pub"
    code, out, err = cli(
        capsys,
        "report",
        "--warehouse",
        str(sample_world.warehouse),
        "--out",
        str(out_dir),
        "--data-dir",
        str(data_dir),
    )
    assert code == 0 and err == ""
    assert out.startswith(f"report: {out_dir / 'report' / 'index.html'} (")
    assert (out_dir / "report" / "index.html").is_file()
    assert len(list((out_dir / "report" / "pdf").glob("*.pdf"))) > 100


def test_report_command_without_raw_files_says_so(sample_world: SampleWorld, tmp_path, capsys):
    code, _, err = cli(capsys, "report", "--warehouse", str(sample_world.warehouse), "--out", str(tmp_path / "p"),
                       "--data-dir", str(tmp_path / "nothing"))  # fmt: skip
    assert code == 0 and "source PDFs are not in" in err


def test_report_command_without_a_warehouse(tmp_path, capsys):
    code, _, err = cli(
        capsys, "report", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "p")
    )
    assert code == 1 and "no warehouse" in err
    assert not (tmp_path / "p").exists()


def test_the_compare_command_offers_every_comparison():
    from pipeline.commands.compare import COMPARISON_NAMES
    from warehouse.models import COMPARISONS

    assert COMPARISON_NAMES == tuple(c.command for c in COMPARISONS)


def test_compare_execution_prints_spent_against_budgeted(sample_world: SampleWorld, capsys):
    assert main(["compare", "execution", "--format", "json", "--warehouse", str(sample_world.warehouse)]) == 0
    rows = json.loads(capsys.readouterr().out)
    # the sample's department-years with both documents: 福田区, 南山区 and 龙华区教育局 2022
    pairs = {(r["department"], r["fiscal_year"]): r["final_doc_id"] for r in rows}
    assert pairs == {
        (f"深圳市{name}区教育局", 2022): sample_world.doc_ids[f"{district}-jyj-2022-final"][0]
        for district, name in (("futian", "福田"), ("nanshan", "南山"), ("longhua", "龙华"))
    }
