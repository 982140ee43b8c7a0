"""Every query of the README's "SQL analytics" section, run exactly as written against the sample
warehouse, read-only and sandboxed (as `budgetlens sql` runs it)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from warehouse.db import connect
from warehouse.readonly import run_query

from .world import REPO, SampleWorld


def readme_queries() -> dict[str, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## SQL analytics\n")
    end = text.index("\n## ", start + 1)
    blocks = re.findall(r"```sql\n(.*?)```", text[start:end], flags=re.DOTALL)
    out = {}
    for block in blocks:
        name = re.match(r"-- (\w+)\n", block)
        assert name, f"each README query starts with '-- name': {block[:60]!r}"
        out[name.group(1)] = block
    return out


QUERIES = readme_queries()


def test_the_readme_has_at_least_five_queries():
    assert len(QUERIES) >= 5


@pytest.fixture
def sandboxed(sample_world: SampleWorld):
    con = connect(sample_world.warehouse, read_only=True, sandbox=True)
    try:
        yield con
    finally:
        con.close()


def run(con, name: str) -> list[dict]:
    result = run_query(con, QUERIES[name])
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_runs_and_returns_rows(sandboxed, name):
    assert run(sandboxed, name), name


def _published_budgets(world: SampleWorld, year: int, jurisdiction: str | None = None) -> list[dict]:
    """The truth records of the published budgets of a year (the oracle: never the warehouse)."""
    out = []
    for truth in world.truths.values():
        if (truth.get("quality") or {}).get("status") != "published":
            continue
        for rec in truth.get("records", []):
            d = rec["document"]
            if d.get("kind") == "budget" and d.get("fiscal_year") == year:
                if jurisdiction is None or d.get("jurisdiction") == jurisdiction:
                    out.append(rec)
    return out


def _staff(rec: dict) -> int | None:
    h = rec["headcount"]
    if h.get("actual_total") is not None:
        return h["actual_total"]
    parts = [h.get(k) for k in ("admin_actual", "cs_managed_actual", "institution_actual")]
    return sum(p for p in parts if p is not None) if any(p is not None for p in parts) else None


def test_top_running_cost_per_staff(sandboxed, sample_world: SampleWorld):
    rows = run(sandboxed, "top_running_cost_per_staff")
    assert len(rows) == 5 and {r["fiscal_year"] for r in rows} == {2023}
    want = sorted(
        (
            Decimal(rec["totals"]["agency_running_cost"]) / _staff(rec)
            for rec in _published_budgets(sample_world, 2023)
            if rec["totals"].get("agency_running_cost") is not None and _staff(rec)
        ),
        reverse=True,
    )[:5]
    got = [r["agency_running_cost_per_staff"] for r in rows]
    assert all(isinstance(v, Decimal) for v in got)
    assert [abs(g - w) <= Decimal("0.005") for g, w in zip(got, want, strict=True)] == [True] * 5, (got, want)


def test_procurement_share_by_jurisdiction(sandboxed, sample_world: SampleWorld):
    rows = {
        (r["jurisdiction"], r["fiscal_year"]): r for r in run(sandboxed, "procurement_share_by_jurisdiction")
    }
    recs = [
        rec
        for rec in _published_budgets(sample_world, 2022, "深圳市罗湖区")
        if rec["totals"].get("procurement_total") is not None and Decimal(rec["totals"]["expense_total"]) > 0
    ]
    share = sum(Decimal(r["totals"]["procurement_total"]) for r in recs) / sum(
        Decimal(r["totals"]["expense_total"]) for r in recs
    )
    assert recs and rows[("深圳市罗湖区", 2022)]["procurement_share"] == pytest.approx(float(share))
    assert rows[("深圳市罗湖区", 2022)]["budgets"] == len(recs)


def test_three_public_yoy(sandboxed, sample_world: SampleWorld):
    rows = run(sandboxed, "three_public_yoy")
    assert all(r["fiscal_year"] == 2023 for r in rows)  # the sample has 2022 and 2023
    succ = next(r for r in rows if r["prior_doc_id"] == sample_world.seed_doc_id())
    assert succ["department"] == "深圳市罗湖区科技创新局"
    assert succ["three_public_total_yoy"] == pytest.approx((54000 - 26500) / 26500)


def test_one_department_among_peers(sandboxed):
    rows = {(r["comparison"], r["metric"]): r for r in run(sandboxed, "one_department_among_peers")}
    staff = rows[("headcount", "staff_count")]
    assert staff["value"] == 23.0
    peers = sandboxed.execute(
        "select staff_count from headcount_comparison where department_type = '科技创新' and fiscal_year = 2022 "
        "and staff_count is not null and duplicate_of is null"
    ).fetchall()
    assert staff["peer_n"] == len(peers)
    assert staff["peer_rank"] == 1 + sum(1 for (v,) in peers if v > 23)


def test_outliers_are_beyond_three_scaled_mads(sandboxed):
    for r in run(sandboxed, "outliers"):
        assert abs(r["robust_z"]) >= 3.0


def test_vacancy_by_type(sandboxed):
    for r in run(sandboxed, "vacancy_by_type"):
        assert r["vacancy_rate"] == pytest.approx(1 - r["staff"] / r["establishment"])
        assert isinstance(r["vacancy_rate"], float)


def test_science_spending(sandboxed, sample_world: SampleWorld):
    rows = {
        (r["jurisdiction"], r["fiscal_year"]): r for r in run(sandboxed, "science_spending_by_jurisdiction")
    }
    seed_206 = next(
        f["total"]
        for f in sample_world.truths["luohu-kjcxj-2022"]["records"][0]["function_lines"]
        if f["code"] == "206"
    )
    assert rows[("深圳市罗湖区", 2022)]["science_and_technology"] >= Decimal(seed_206)


def test_a_readme_query_through_the_sql_command(sample_world: SampleWorld, capsys):
    from pipeline.cli import main

    code = main(
        [
            "sql",
            QUERIES["top_running_cost_per_staff"],
            "--format",
            "csv",
            "--warehouse",
            str(sample_world.warehouse),
        ]
    )
    out = capsys.readouterr().out.splitlines()
    assert (
        code == 0
        and out[0] == "department,jurisdiction,fiscal_year,staff_count,agency_running_cost_per_staff"
    )
    assert len(out) == 6
