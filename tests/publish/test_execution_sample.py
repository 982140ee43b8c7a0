"""execution_comparison on the sample: every budget / final accounts pair of the truth, rates as the truth's.

The sample pairs three 决算 with the budgets of their department-years (福田区, 南山区 and 龙华区教育局
2022, docs/corpus.md "Final accounts"). The expected pairs and figures come from the truth records
alone (Decimal arithmetic), never from the warehouse: every pair is a row, every budgeted and spent
figure is the truth's, each rate is spent / budgeted of the truth and each difference spent −
budgeted; the three make a peer group of the execution metrics.
"""

from __future__ import annotations

from decimal import Decimal

from .world import SampleWorld

FIGURES = (
    "basic_expense",
    "project_expense",
    "three_public_total",
    "overseas_travel",
    "official_reception",
    "vehicle_total",
    "agency_running_cost",
    "procurement_total",
)
SAMPLE_PAIRS = {f"{d}-jyj-2022" for d in ("futian", "nanshan", "longhua")}


def _key(record: dict) -> tuple:
    d = record["document"]
    return (d["jurisdiction"], d["department"], d["fiscal_year"], d["scope"])


def _truth_pairs(world: SampleWorld) -> dict[tuple[str, str], tuple[dict, dict]]:
    """(budget doc_id, final accounts doc_id) -> (budget record, final record), from the truth."""
    budgets: dict[tuple, tuple[str, dict]] = {}
    finals: dict[tuple, tuple[str, dict]] = {}
    for truth_id, truth in world.truths.items():
        if truth["expect"]["error_code"] or truth["quality"]["status"] != "published":
            continue
        for doc_id, record in zip(world.doc_ids[truth_id], truth["records"], strict=True):
            target = finals if record["document"]["kind"] == "final_accounts" else budgets
            assert _key(record) not in target, f"two current {record['document']['kind']} of {_key(record)}"
            target[_key(record)] = (doc_id, record)
    return {(budgets[k][0], finals[k][0]): (budgets[k][1], finals[k][1]) for k in finals if k in budgets}


def _value(totals: dict, figure: str) -> Decimal | None:
    if figure == "expense":
        parts = [totals["basic_expense"], totals["project_expense"]]
        if None in parts:
            return None
        return sum((Decimal(v) for v in parts), Decimal(0)) + Decimal(totals.get("reserve_expense") or 0)
    v = totals[figure]
    return None if v is None else Decimal(v)


def _rows(con) -> dict[tuple[str, str], dict]:
    cur = con.execute("select * from execution_comparison")
    cols = [d[0] for d in cur.description]
    return {
        (r["doc_id"], r["final_doc_id"]): r
        for r in (dict(zip(cols, row, strict=True)) for row in cur.fetchall())
    }


def test_every_pair_of_the_truth_is_compared(sample_world: SampleWorld, sample_con) -> None:
    pairs = _truth_pairs(sample_world)
    assert {b for b, _ in pairs} == {sample_world.doc_ids[i][0] for i in SAMPLE_PAIRS}
    assert {f for _, f in pairs} == {sample_world.doc_ids[f"{i}-final"][0] for i in SAMPLE_PAIRS}
    assert set(_rows(sample_con)) == set(pairs)


def test_figures_rates_and_differences_are_the_truths(sample_world: SampleWorld, sample_con) -> None:
    rows = _rows(sample_con)
    checked = 0
    for pair, (budget, final) in _truth_pairs(sample_world).items():
        row = rows[pair]
        assert row["withheld"] == []
        assert (row["department"], row["department_type"]) == (
            budget["document"]["department"],
            budget["department_type"],
        )
        for figure in ("expense", *FIGURES):
            budgeted, spent = _value(budget["totals"], figure), _value(final["totals"], figure)
            assert row[f"{figure}_budgeted"] == budgeted, (pair, figure)
            assert row[f"{figure}_spent"] == spent, (pair, figure)
            if budgeted is None or spent is None or budgeted == 0:
                assert row[f"{figure}_rate"] is None, (pair, figure)
            else:
                ratio = spent / budgeted  # Decimal, 28 significant digits
                assert row[f"{figure}_rate"] == float(ratio), (pair, figure, row[f"{figure}_rate"], ratio)
                checked += 1
            difference = None if budgeted is None or spent is None else spent - budgeted
            assert row[f"{figure}_difference"] == difference, (pair, figure)
    assert checked >= 15  # most figures have a budgeted amount to compare with (福田 budgets no 三公)


def test_the_final_accounts_own_adjusted_budget(sample_world: SampleWorld, sample_con) -> None:
    """The 三公 预算数 the final accounts print beside their 决算数 (the truth's adjusted budget) and the
    rate against it; the corpus prints the budget's own 三公 there, so they equal the budgeted."""
    rows = _rows(sample_con)
    for pair, (budget, final) in _truth_pairs(sample_world).items():
        row = rows[pair]
        adjusted = _value(final["totals"], "three_public_total_adjusted_budget")
        spent = _value(final["totals"], "three_public_total")
        assert row["three_public_total_adjusted_budget"] == adjusted, pair
        assert adjusted == (_value(budget["totals"], "three_public_total") or Decimal(0)), pair
        rate = row["three_public_total_adjusted_rate"]
        assert rate == (None if not adjusted else float(spent / adjusted)), (pair, rate)


def test_spending_is_below_budget_as_the_corpus_draws_it(sample_world: SampleWorld) -> None:
    for budget, final in _truth_pairs(sample_world).values():
        b, f = budget["totals"], final["totals"]
        rate = _value(f, "expense") / _value(b, "expense")
        assert Decimal("0.70") <= rate <= Decimal("1.00")
        basic = Decimal(f["basic_expense"]) / Decimal(b["basic_expense"])
        assert Decimal("0.94") <= basic <= Decimal("1.01")


def test_the_three_form_a_peer_group(sample_world: SampleWorld, sample_con) -> None:
    budgets = sorted(b for b, _ in _truth_pairs(sample_world))
    rows = sample_con.execute(
        "select doc_id, peer_n from peer_statistics where comparison = 'execution' "
        "and metric = 'expense_rate' and peer_scope = 'department_type' order by doc_id"
    ).fetchall()
    assert rows == [(doc_id, 3) for doc_id in budgets]
