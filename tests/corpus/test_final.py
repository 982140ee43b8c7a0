"""Final accounts drawn from budgets (`corpus.final`) and their print model (`layout_final`).

Pure: the truth of a 决算 from the budget of its department-year (what was spent against what was
budgeted, within the ranges the module states, every identity exact), deterministic in its key, and
what the layout prints from it. Rendering and reading the PDFs back: tests/parse/test_corpus_final.py.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from corpus.final import RATES, STEP, final_record
from corpus.identities import violations
from corpus.model import Table
from corpus.plan import FINALS, final_truth
from corpus.render import build_document
from corpus.truth import dumps

SAMPLE = Path(__file__).resolve().parents[2] / "sample"


def _budgets() -> dict[str, dict]:
    """Every clean single-department budget truth of the sample (Shenzhen and Shanghai layouts)."""
    out = {}
    for path in sorted((SAMPLE / "truth").glob("*.json")):
        t = json.loads(path.read_text(encoding="utf-8"))
        if (
            len(t["records"]) == 1
            and t["records"][0]["document"]["kind"] == "budget"
            and t["quality"]["status"] == "published"
            and not t["records"][0].get("warnings")
        ):
            out[t["id"]] = t
    return out


BUDGETS = _budgets()
WITH_FUND = sorted(i for i, t in BUDGETS.items() if t["records"][0]["extra"].get("fund_lines"))
SOME = ["nanshan-jyj-2022", "longhua-jyj-2022", "futian-jyj-2022", "putuo-swj-2022", WITH_FUND[0]]


def D(v: str | None) -> Decimal:
    return Decimal(v) if v is not None else Decimal(0)


def _within(spent: Decimal, budgeted: Decimal, rate: str, terms: int = 1) -> bool:
    """spent / budgeted inside the rate's range, give or take each term's rounding to 0.01 万元."""
    lo, hi = (Decimal(str(x)) for x in RATES[rate])
    slack = STEP / 2 * terms
    return budgeted * lo - slack <= spent <= budgeted * hi + slack


def test_budgets_to_draw_from() -> None:
    assert len(BUDGETS) > 100 and WITH_FUND


@pytest.mark.parametrize("budget_id", sorted(BUDGETS))
def test_every_identity_holds_exactly(budget_id: str) -> None:
    rec = final_record(BUDGETS[budget_id]["records"][0], f"k:{budget_id}", ["economic:capital"])
    assert violations(rec) == []
    rec = final_record(BUDGETS[budget_id]["records"][0], f"k:{budget_id}")
    assert violations(rec) == []
    t = rec["totals"]
    # exact, not only to the printed rounding: every figure is a whole 0.01 万元
    amounts = [v for v in t.values() if v is not None]
    amounts += [ln[f] for ln in rec["function_lines"] for f in ("total", "basic", "project")]
    amounts += [ln["amount"] for ln in rec["economic_lines"]]
    assert all(D(v) % STEP == 0 for v in amounts)
    assert D(t["income_total"]) == D(t["expense_total"])
    assert D(t["expense_total"]) - D(t["carryover_out"]) == D(t["basic_expense"]) + D(t["project_expense"])
    assert D(t["income_total"]) - D(t["carryover_in"]) == D(t["fiscal_appropriation"])
    assert D(t["carryover_out"]) >= 0 and D(t["carryover_in"]) > 0


@pytest.mark.parametrize("budget_id", sorted(BUDGETS))
def test_spent_differs_plausibly_from_budgeted(budget_id: str) -> None:
    budget = BUDGETS[budget_id]["records"][0]
    bt = budget["totals"]
    rec = final_record(budget, f"k:{budget_id}")
    t = rec["totals"]
    econ = {ln["code"]: D(ln["amount"]) for ln in budget["economic_lines"] if len(ln["code"]) == 3}
    assert _within(D(t["personnel_expense"]), econ["301"], "basic")
    assert _within(D(t["operating_expense"]), econ["302"], "basic")
    assert _within(D(t["household_subsidy"]), econ.get("303", Decimal(0)), "basic")
    spent_lines = {ln["code"]: ln for ln in rec["function_lines"]}
    for ln in budget["function_lines"]:
        got = spent_lines[ln["code"]]
        assert (got["name"], got["level"]) == (ln["name"], ln["level"])
        leaves = sum(1 for o in budget["function_lines"] if o["code"].startswith(ln["code"]))
        assert _within(D(got["project"]), D(ln["project"]), "project", leaves)
    for f in ("overseas_travel", "official_reception", "vehicle_operation"):
        assert _within(D(t[f]), D(bt[f]), "three_public"), f
    assert _within(D(t["vehicle_purchase"]), D(bt["vehicle_purchase"]), "vehicle_purchase")
    assert _within(D(t["three_public_total"]), D(bt["three_public_total"]), "three_public", 4)
    budgeted_expense = D(bt["basic_expense"]) + D(bt["project_expense"])
    spent_expense = D(t["basic_expense"]) + D(t["project_expense"])
    assert (
        Decimal("0.70") * budgeted_expense * Decimal("0.99")
        <= spent_expense
        <= budgeted_expense * Decimal("1.01")
    )
    if D(bt["procurement_total"]):
        assert D(t["procurement_total"]) < D(bt["procurement_total"]) * Decimal("1.01")
        assert D(t["procurement_total"]) > 0


@pytest.mark.parametrize("budget_id", SOME)
def test_the_document_is_the_budgets_department_year(budget_id: str) -> None:
    budget = BUDGETS[budget_id]["records"][0]
    rec = final_record(budget, "k")
    assert rec["document"] == {**budget["document"], "kind": "final_accounts"}
    assert rec["department_type"] == budget["department_type"]
    assert rec["headcount"]["internal_divisions"] == len(budget["extra"]["divisions"])
    assert rec["headcount"]["subordinate_units"] == max(0, len(budget["extra"]["units"]) - 1)
    assert [ln["code"] for ln in rec["function_lines"]] == [ln["code"] for ln in budget["function_lines"]]
    assert (
        rec["extra"]["budget"]["three_public"]["three_public_total"] == budget["totals"]["three_public_total"]
    )
    assert rec["projects"] == [] and rec["procurement_lines"] == [] and rec["warnings"] == []


def test_the_same_key_gives_the_same_record_and_another_key_another() -> None:
    budget = BUDGETS["nanshan-jyj-2022"]["records"][0]
    assert json.dumps(final_record(budget, "a")) == json.dumps(final_record(budget, "a"))
    assert final_record(budget, "a")["totals"] != final_record(budget, "b")["totals"]


def test_sme_awards_are_stated_only_with_the_variation() -> None:
    budget = BUDGETS["nanshan-jyj-2022"]["records"][0]
    plain, awarded = final_record(budget, "k"), final_record(budget, "k", ["sme:awarded"])
    assert plain["totals"]["procurement_sme"] is None and plain["totals"]["procurement_small_micro"] is None
    t = awarded["totals"]
    assert D(t["procurement_small_micro"]) <= D(t["procurement_sme"]) <= D(t["procurement_total"])
    assert {k: v for k, v in t.items() if "sme" not in k and "small" not in k} == {
        k: v for k, v in plain["totals"].items() if "sme" not in k and "small" not in k
    }


def test_capital_items_are_part_of_the_operating_figure() -> None:
    budget = BUDGETS["nanshan-jyj-2022"]["records"][0]
    plain, capital = final_record(budget, "k"), final_record(budget, "k", ["economic:capital"])
    econ = {ln["code"]: D(ln["amount"]) for ln in capital["economic_lines"]}
    assert econ["310"] > 0 and econ["302"] + econ["310"] == D(capital["totals"]["operating_expense"])
    assert capital["totals"] == plain["totals"]
    assert {ln["code"]: D(ln["amount"]) for ln in plain["economic_lines"]}["310"] == 0


def test_a_fund_is_spent_and_carried_over_apart() -> None:
    budget = BUDGETS[WITH_FUND[0]]["records"][0]
    rec = final_record(budget, "k")
    t, a = rec["totals"], rec["extra"]["appropriation"]
    fund = rec["extra"]["fund_lines"]
    assert fund and D(t["gov_fund_appropriation"]) == D(a["fund_in"]) > 0
    spent_f = sum(D(ln["total"]) for ln in fund if ln["level"] == 1)
    assert D(a["carryover_out_fund"]) == D(a["fund_in"]) - spent_f >= 0
    tops = [ln for ln in rec["function_lines"] + fund if ln["level"] == 1]
    assert sum(D(ln["project"]) for ln in tops) == D(t["project_expense"])


# -------------------------------------------------------------------------------- the plan


def test_the_sample_pairs_three_final_accounts_with_their_budgets() -> None:
    from corpus.catalog import TYPES

    assert [(d, t, y) for d, t, y, *_ in FINALS] == [
        ("futian", "教育", 2022),
        ("nanshan", "教育", 2022),
        ("longhua", "教育", 2022),
    ]
    for k, (district, dtype, year, producer, font, variations) in enumerate(FINALS):
        budget_id = f"{district}-{TYPES[dtype].abbr}-{year}"
        truth = final_truth(BUDGETS[budget_id], 20220101, 20220101 + 9002 + k, producer, font, variations)
        assert truth["id"] == f"{budget_id}-final"
        assert truth["file"] == BUDGETS[budget_id]["file"].replace("部门预算.pdf", "部门决算.pdf")
        committed = (SAMPLE / "truth" / f"{truth['id']}.json").read_text(encoding="utf-8")
        truth["records"][0]["pages"] = json.loads(committed)["records"][0]["pages"]
        assert dumps(truth) == committed


# -------------------------------------------------------------------------------- the print model


def _tables(truth: dict) -> dict[str, Table]:
    doc = build_document(truth)
    return {b.kind: b for s in doc.sections for b in s.blocks if isinstance(b, Table) and b.kind}


def _truth(budget_id: str, variations: list[str] = ()) -> dict:
    return final_truth(BUDGETS[budget_id], 20220101, 1, "reportlab", "uming", list(variations))


def _texts(t: Table) -> list[str]:
    return [c.text for row in t.header for c in row if c is not None] + [x for r in t.rows for x in r]


def test_the_nine_tables_of_the_central_template() -> None:
    truth = _truth("longhua-jyj-2022")
    tables = _tables(truth)
    assert list(tables) == [t["kind"] for t in truth["records"][0]["tables"]]
    assert [t.number for t in tables.values()] == [f"公开{i:02d}表" for i in range(1, 10)]
    assert all(
        t.unit_line == "金额单位：万元" and t.dept_line == "部门：深圳市龙华区教育局" for t in tables.values()
    )
    summary = tables["summary"]
    labels = [r[0] for r in summary.rows] + [r[3] for r in summary.rows]
    assert {"本年收入合计", "年初结转和结余", "本年支出合计", "年末结转和结余", "总计"} <= set(labels)
    assert summary.rows[0] == ["栏次", "", "1", "栏次", "", "2"]


def test_the_three_public_table_prints_budgeted_and_spent_groups() -> None:
    truth = _truth("nanshan-jyj-2022")
    r = truth["records"][0]
    t = _tables(truth)["three_public"]
    assert [c.text for c in t.header[0] if c] == ["预算数", "决算数"]
    budget = BUDGETS["nanshan-jyj-2022"]["records"][0]["totals"]
    printed = t.rows[1]

    def wan(v: str) -> str:
        return f"{D(v) / 10000:,.2f}" if D(v) else ""

    assert printed[0] == wan(budget["three_public_total"]) and printed[6] == wan(
        r["totals"]["three_public_total"]
    )
    assert printed[11] == wan(r["totals"]["official_reception"])


def test_the_basic_table_reads_group_by_group_as_the_truth_lists_it() -> None:
    truth = _truth("nanshan-jyj-2022")
    t = _tables(truth)["basic_expense"]
    codes = [r[c] for c in (0, 3, 6) for r in t.rows[:-1] if r[c]]
    assert codes == [ln["code"] for ln in truth["records"][0]["economic_lines"]]
    assert t.rows[-1][0] == "人员经费合计" and t.rows[-1][3] == "公用经费合计"


@pytest.mark.parametrize(
    ("variations", "kind", "shows"),
    [
        ([], "gov_fund", lambda t: len(t.rows) == 1 and t.rows[0][1] == "合计"),
        (["empty:column_numbers"], "gov_fund", lambda t: t.rows[0][1] == "栏次" and len(t.rows) == 2),
        (["zero:0.00"], "income", lambda t: "0.00" in t.rows[1]),
        ([], "income", lambda t: "0.00" not in t.rows[1] and "" in t.rows[1]),
    ],
)
def test_variations_print_their_table(variations: list[str], kind: str, shows) -> None:
    assert shows(_tables(_truth("nanshan-jyj-2022", variations))[kind])


def _prose(truth: dict) -> str:
    doc = build_document(truth)
    return "".join(
        b.text for s in doc.sections for b in s.blocks if hasattr(b, "text") and not isinstance(b, Table)
    )


def test_the_explanation_states_each_line_against_its_budget() -> None:
    truth = _truth("nanshan-jyj-2022")
    text = _prose(truth)
    assert "年初预算为" in text and "支出决算为" in text and "完成年初预算的" in text
    assert "机关运行经费支出" in text and "政府采购支出总额" in text and "授予中小企业" not in text
    assert "授予中小企业合同金额" in _prose(_truth("nanshan-jyj-2022", ["sme:awarded"]))
    assert "无下属单位" in text
    assert "本级及下属 3 家预算单位" in _prose(_truth("longhua-jyj-2022"))
    central = _prose(_truth("longhua-jyj-2022", ["units:central"]))
    assert "部门决算包括：本级决算、深圳市龙华区教育科学研究院决算" in central


def test_the_district_printing() -> None:
    """`template:district`: Shanghai's districts' 部门决算 (docs/corpus.md, "Final accounts")."""
    truth = _truth("longhua-jyj-2022", ["template:district"])
    record = truth["records"][0]
    tables = _tables(truth)
    # codes under 类 | 款 | 项, the whole code under 类; economic codes split 类 | 款
    assert [c.text for c in tables["general_budget_by_function"].header[-1][:3]] == ["类", "款", "项"]
    lines = [r for r in tables["general_budget_by_function"].rows if len(r[0]) == 5]
    assert lines and all(r[1] == r[2] == "" for r in lines)
    assert ["301", "01"] in [r[:2] for r in tables["basic_expense"].rows]
    # the 三公 table by category, 预算数 | 决算数 under each
    assert [c.text for c in tables["three_public"].header[-1]] == ["预算数", "决算数"] * 6
    text = _prose(truth)
    assert "政府采购金额（以合同签订为准）为" in text and "由中小企业供应商中标或成交的" in text
    assert f"绩效自评的{record['document']['fiscal_year']}年度项目" in text
    # the SME fields are the reservations; the per-level evaluation counts are not stated
    assert record["totals"]["procurement_sme"] is not None
    assert record["headcount"]["self_evaluated_projects"] is not None
    assert record["headcount"]["self_evaluated_level1_projects"] is None
    assert record["headcount"]["department_evaluated_projects"] is None
    units = [b for s in build_document(truth).sections for b in s.blocks if isinstance(b, Table) and b.inline]
    assert [u.header[0][1].text for u in units] == ["单位名称"]
    assert (
        units[0].rows[0][1].endswith("（本级）")
        and len(units[0].rows) == record["headcount"]["subordinate_units"] + 1
    )
