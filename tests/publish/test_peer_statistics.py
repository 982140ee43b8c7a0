"""Peer statistics on small hand-made sets: the peer_statistics model run on hand-written inputs."""

from __future__ import annotations

import statistics

import duckdb
import pytest

from warehouse.models import ModelSettings, model_sql

HEADCOUNT_COLUMNS = (
    "doc_id varchar, jurisdiction varchar, department_type varchar, fiscal_year integer, scope varchar, "
    "duplicate_of varchar, staff_count integer, vacancy_rate double, retiree_ratio double, "
    "expense_per_staff decimal(18,2)"
)


def peer_stats(
    values: list[float | None],
    *,
    types: list[str] | None = None,
    jurisdictions: list[str] | None = None,
    years: list[int] | None = None,
    duplicates: list[str | None] | None = None,
    settings: ModelSettings | None = None,
) -> dict[tuple[str, str], dict]:
    """Run peer_statistics over a headcount table whose vacancy_rate column holds `values`;
    (doc_id, peer_scope) -> row for the vacancy_rate metric."""
    s = settings or ModelSettings()
    n = len(values)
    con = duckdb.connect()
    con.execute(model_sql("macros"))
    con.execute(f"create table headcount_comparison ({HEADCOUNT_COLUMNS})")  # noqa: S608 (constant)
    con.execute(
        "create table operating_cost_comparison as select doc_id, jurisdiction, department_type, fiscal_year, "
        "scope, duplicate_of, null::decimal(18,2) as agency_running_cost_per_staff, "
        "null::decimal(18,2) as operating_expense_per_staff, null::decimal(18,2) as personnel_expense_per_staff, "
        "null::decimal(18,2) as three_public_total_per_staff, null::double as project_share "
        "from headcount_comparison"
    )
    con.execute(
        "create table procurement_share_comparison as select doc_id, jurisdiction, department_type, fiscal_year, "
        "scope, duplicate_of, null::double as procurement_share, null::double as sme_share from headcount_comparison"
    )
    con.execute(
        "create table execution_comparison as select doc_id, jurisdiction, department_type, fiscal_year, "
        "scope, duplicate_of, null::double as expense_rate, null::double as three_public_total_rate, "
        "null::double as agency_running_cost_rate, null::double as procurement_total_rate from headcount_comparison"
    )
    for i, v in enumerate(values):
        con.execute(
            "insert into headcount_comparison values (?, ?, ?, ?, 'department', ?, null, ?, null, null)",
            [
                f"d{i}",
                (jurisdictions or [f"J{i}" for i in range(n)])[i],
                (types or ["科技创新"] * n)[i],
                (years or [2022] * n)[i],
                (duplicates or [None] * n)[i],
                v,
            ],
        )
    con.execute(model_sql("peer_statistics"), {"min_peers": s.min_peers, "outlier_mads": s.outlier_mads})
    cur = con.execute("select * from peer_statistics where metric = 'vacancy_rate'")
    names = [d[0] for d in cur.description]
    out = {}
    for r in cur.fetchall():
        row = dict(zip(names, r, strict=True))
        out[(row["doc_id"], row["peer_scope"])] = row
    con.close()
    return out


def by_type(stats: dict, doc: str) -> dict:
    return stats[(doc, "department_type")]


@pytest.mark.parametrize(
    ("values", "doc", "rank", "percentile", "median", "outlier"),
    [
        # median 3, MAD 1 → scaled 1.4826; 100 is 65 scaled MADs out, 1 only 1.35
        ([1, 2, 3, 4, 100], "d4", 1, 1.0, 3.0, True),
        ([1, 2, 3, 4, 100], "d0", 5, 0.0, 3.0, False),
        ([1, 2, 3, 4, 100], "d2", 3, 0.5, 3.0, False),
        # MAD 0 (most peers equal): the mean absolute deviation (0.8) scales instead → 9 is 3.99 out
        ([5, 5, 5, 5, 9], "d4", 1, 1.0, 5.0, True),
        ([5, 5, 5, 5, 9], "d0", 2, 0.0, 5.0, False),
        # all equal: nobody is an outlier
        ([5, 5, 5], "d1", 1, 0.0, 5.0, False),
        # ties share a rank
        ([3, 3, 1], "d0", 1, 0.5, 3.0, False),
        ([3, 3, 1], "d2", 3, 0.0, 3.0, False),
        # even group: the median is the mean of the middle two
        ([1, 2, 4, 8], "d3", 1, 1.0, 3.0, False),
    ],
)
def test_rank_percentile_median_outlier(values, doc, rank, percentile, median, outlier):
    s = by_type(peer_stats(values), doc)
    assert (s["peer_rank"], s["percentile"], s["peer_median"], s["outlier"]) == (
        rank,
        percentile,
        median,
        outlier,
    )
    assert s["peer_n"] == len(values) and s["benchmark"] is True and s["peer_note"] is None
    assert s["peer_median"] == statistics.median(values)
    assert s["ratio_to_median"] == pytest.approx(values[int(doc[1:])] / median)


def test_robust_z_uses_the_scaled_median_absolute_deviation():
    values = [10.0, 12.0, 14.0, 15.0, 40.0]
    s = peer_stats(values)
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values)
    for i, v in enumerate(values):
        assert by_type(s, f"d{i}")["robust_z"] == pytest.approx((v - med) / (1.4826 * mad))
        assert by_type(s, f"d{i}")["peer_mad"] == pytest.approx(mad)


@pytest.mark.parametrize("n", [1, 2])
def test_a_rank_among_too_few_peers_is_not_a_benchmark(n):
    stats = peer_stats([0.1 * (i + 1) for i in range(n)])
    for i in range(n):
        s = by_type(stats, f"d{i}")
        assert s["peer_n"] == n and s["benchmark"] is False and s["outlier"] is None
        assert s["peer_note"] == f"only {n} in this peer group: not a benchmark (needs 3)"


def test_min_peers_and_outlier_bound_are_settings():
    values = [1, 2, 3, 4, 7]  # 7: (7 - 3) / 1.4826 = 2.7 scaled MADs
    assert by_type(peer_stats(values), "d4")["outlier"] is False
    assert by_type(peer_stats(values, settings=ModelSettings(outlier_mads=2.5)), "d4")["outlier"] is True
    assert by_type(peer_stats(values, settings=ModelSettings(min_peers=6)), "d4")["benchmark"] is False


def test_the_other_type_is_no_peer_group():
    stats = peer_stats([0.1, 0.2, 0.3, 0.9], types=["other"] * 4)
    s = by_type(stats, "d3")
    assert s["benchmark"] is False and s["outlier"] is None
    assert s["peer_note"] == "department type unknown (other): not a peer group"


def test_groups_are_per_type_per_year_and_per_jurisdiction():
    stats = peer_stats(
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
        types=["教育", "教育", "教育", "财政", "财政", "教育"],
        jurisdictions=["A", "A", "B", "A", "B", "B"],
        years=[2022, 2022, 2022, 2022, 2022, 2023],
    )
    assert by_type(stats, "d2")["peer_n"] == 3 and by_type(stats, "d2")["peer_group"] == "教育"
    assert by_type(stats, "d4")["peer_n"] == 2  # 财政 2022
    assert by_type(stats, "d5")["peer_n"] == 1  # 教育 2023 alone
    j = stats[("d0", "jurisdiction")]
    assert (j["peer_group"], j["peer_n"], j["peer_rank"]) == ("A", 3, 3)  # A 2022: 0.1, 0.2, 0.4
    assert stats[("d4", "jurisdiction")]["peer_n"] == 2  # B 2022: 0.3, 0.5


def test_nulls_and_duplicates_are_left_out():
    stats = peer_stats([0.1, None, 0.3, 0.3, 0.5], duplicates=[None, None, None, "d2", None])
    assert ("d1", "department_type") not in stats and ("d3", "department_type") not in stats
    assert by_type(stats, "d0")["peer_n"] == 3


def test_a_zero_median_gives_no_ratio():
    stats = peer_stats([0.0, 0.0, 0.0, 0.2])
    assert by_type(stats, "d3")["peer_median"] == 0.0
    assert by_type(stats, "d3")["ratio_to_median"] is None
