"""The final-accounts suite (issue 16) on constructed data: the year closes, carry-over rolls forward,
and the execution rates the prose states are the 三公 table's 决算数 / 预算数.

As in test_peers.py, every case is one small consistent document (tests/quality/builders.py) with one
thing changed, all validated in one GX run; each case names every expectation it must fail. The
tables are printed the way the central template prints them (国家信访局 2024 决算: 行次 columns, the
appropriation summary's carried-in money per fund as rows, its expenditure per fund as columns).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from expectations.suites import final_accounts
from tests.quality.builders import both, budget, cell, failed, printed, run, wan

E, W = "error", "warning"
CLOSES, ROLLS, RATES = "year_closes", "carryover_rolls_forward", "execution_rates_match_tables"
DIRECTION = "stated_direction_matches_tables"
THREE_PUBLIC, VEHICLE = "three_public_parts_sum", "vehicle_parts_sum"

SUMMARY_HEADER = [["收入", "", "", "支出", "", ""], ["项目", "行次", "金额", "项目", "行次", "金额"]]
APPROPRIATION_HEADER = [
    ["收入", "", "", "支出", "", "", "", ""],
    ["项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款"],
]
FUND_HEADER = [
    ["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
    ["科目编码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""],
]


def summary_rows() -> list[list[str]]:
    """Income 100 this year + 10 carried in = 110; spent 90 + 20 carried out = 110 (万元)."""
    return [
        ["一、一般公共预算财政拨款收入", "1", "95", "一、科学技术支出", "32", "90"],
        ["二、其他收入", "2", "5", "", "33", ""],
        ["本年收入合计", "27", "100", "本年支出合计", "58", "90"],
        ["使用非财政拨款结余", "28", "", "结余分配", "59", ""],
        ["年初结转和结余", "29", "10", "年末结转和结余", "60", "20"],
        ["总计", "31", "110", "总计", "62", "110"],
    ]


def appropriation_rows() -> list[list[str]]:
    """The general budget: 95 + 8 carried in = 85 spent + 18 carried out; the fund: 0 + 2 = 2 + 0."""
    return [
        ["一、一般公共预算财政拨款", "1", "95", "一、科学技术支出", "33", "87", "85", "2"],
        ["二、政府性基金预算财政拨款", "2", "", "", "34", "", "", ""],
        ["本年收入合计", "27", "95", "本年支出合计", "59", "87", "85", "2"],
        ["年初财政拨款结转和结余", "28", "10", "年末财政拨款结转和结余", "60", "18", "18", ""],
        ["一般公共预算财政拨款", "29", "8", "", "61", "", "", ""],
        ["政府性基金预算财政拨款", "30", "2", "", "62", "", "", ""],
        ["总计", "32", "105", "总计", "64", "105", "103", "2"],
    ]


def fund_rows() -> list[list[str]]:
    return [
        ["栏次", "", "1", "2", "3", "4", "5", "6"],  # column numbers, never figures
        ["", "合计", "2", "30", "20", "", "20", "12"],
        ["229", "其他支出", "2", "30", "20", "", "20", "12"],
    ]


def final(
    summary: tuple[Callable, ...] = (),
    appropriation: tuple[Callable, ...] = (),
    fund: tuple[Callable, ...] = (),
    fund_header: list[list[str]] = FUND_HEADER,
) -> Callable[[dict], None]:
    """The final accounts' tables as printed, each changed by its edits."""

    def f(b: dict) -> None:
        for kind, header, rows, edits in (
            ("summary", SUMMARY_HEADER, summary_rows(), summary),
            ("appropriation_summary", APPROPRIATION_HEADER, appropriation_rows(), appropriation),
            ("gov_fund", fund_header, fund_rows(), fund),
        ):
            for e in edits:
                e(rows)
            printed(kind, header, rows, "万元")(b)

    return f


def budgeted(**values: str) -> Callable[[dict], None]:
    """The 三公 table's 预算数 (fields …_adjusted_budget) beside its 决算数 (the builder's 1.50 = 0.50 + 1.00)."""

    def f(b: dict) -> None:
        base = dict(
            three_public_total="3.00", overseas_travel="0", official_reception="1.00",
            vehicle_total="2.00", vehicle_purchase="0", vehicle_operation="2.00",
        )  # fmt: skip
        base.update(values)
        b["totals"].update({f"{k}_adjusted_budget": wan(v) for k, v in base.items()})

    return f


def prose(*texts: str) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        b["prose_passages"] = [{"text": t, "page": 22} for t in texts]

    return f


def accounts(b: dict) -> None:
    """Make the constructed budget final accounts of the same figures (carried out 20 of 110)."""
    b["document"]["kind"] = "final_accounts"
    b["totals"].update(
        income_total=wan(110), expense_total=wan(110), carryover_in=wan(10), carryover_out=wan(20),
        basic_expense=wan(50), project_expense=wan(40), personnel_expense=wan(35), surplus_distribution=wan(0),
        fiscal_appropriation=wan(95), general_budget_appropriation=wan(95),
    )  # fmt: skip
    for o in b["observations"]:
        if o["field"] in ("totals.income_total", "totals.expense_total"):
            o.update(printed="110", value=wan(110))
        if o["field"] in ("totals.basic_expense",):
            o.update(printed="50", value=wan(50))
        if o["field"] in ("totals.fiscal_appropriation", "totals.general_budget_appropriation"):
            o.update(printed="95", value=wan(95))


RATE_TEXT = (
    "2024年度“三公”经费财政拨款支出预算为3.00万元，支出决算为1.50万元，完成预算的{total}%。",
    "“三公”经费支出决算数{how}预算数的主要原因是从严控制“三公”经费开支。",
    "决算数大于预算数的主要原因是预算执行中追加了预算。",  # names no figure: a function line's, not read
    "其中：因公出国（境）费支出决算为0万元；公务用车购置及运行费支出决算为1.00万元，完成预算的{vehicle}%；"
    "公务接待费支出决算为0.5万元，完成预算的50%。",
)


def rates(total: str = "50", vehicle: str = "50.00", how: str = "小于") -> Callable[[dict], None]:
    return prose(*(t.format(total=total, vehicle=vehicle, how=how) for t in RATE_TEXT))


CASES: tuple[tuple[str, Callable[[dict], None], dict[str, str]], ...] = (
    ("clean", both(accounts, final(), budgeted(), rates()), {}),
    # the summary closes the year
    ("carried_out_off", both(accounts, final(summary=(cell(4, 5, "25"),)), budgeted()), {CLOSES: E}),
    ("carried_in_off", both(accounts, final(summary=(cell(4, 2, "12"),)), budgeted()), {CLOSES: E}),
    ("surplus_split_closes", both(accounts, final(summary=(cell(3, 5, "5"), cell(4, 5, "15"))), budgeted()), {}),
    ("within_rounding", both(accounts, final(summary=(cell(4, 5, "21"),)), budgeted()), {}),  # whole 万元: ±1.5
    # carry-over rolls forward, per fund and on the fund table's rows
    # a carried-out figure off: the year does not close in that column, and the fund does not roll forward
    ("fund_carried_out_off", both(accounts, final(appropriation=(cell(3, 5, "15"), cell(3, 6, "15"))), budgeted()),
     {CLOSES: E, ROLLS: E}),
    ("fund_income_not_split_skipped", both(accounts, final(appropriation=(
        lambda rows: [rows.pop(5), rows.pop(4)],)), budgeted()), {}),
    ("fund_row_off", both(accounts, final(fund=(cell(2, 4, "10"), cell(2, 6, "10"))), budgeted()),
     {ROLLS: E}),
    # a column that is none of the four (比上年增减): the table is not read, though its row is off
    ("fund_table_unplaced_skipped", both(accounts, final(fund=(cell(2, 4, "10"), cell(2, 6, "10")),
                                                         fund_header=[[*FUND_HEADER[0][:7], "比上年增减"],
                                                                      FUND_HEADER[1]]), budgeted()), {}),
    # the rates the prose states
    ("rate_off", both(accounts, final(), budgeted(), rates(total="60")), {RATES: E}),
    ("rate_rounded_down", both(accounts, final(), budgeted(), rates(vehicle="49.99")), {}),
    ("rate_without_budget_skipped", both(accounts, final(), rates(total="60")), {}),
    ("direction_off", both(accounts, final(), budgeted(), rates(how="大于")), {DIRECTION: E}),
    ("direction_equal_off", both(accounts, final(), budgeted(), rates(how="等于")), {DIRECTION: E}),
    # the 预算数 add up like the 决算数
    ("budgeted_parts_off", both(accounts, final(), budgeted(three_public_total="4.00")), {THREE_PUBLIC: E}),
    ("budgeted_vehicle_off", both(accounts, final(), budgeted(vehicle_operation="1.50")), {VEHICLE: E}),
    # a budget prints the same closing rows
    ("budget_closes", final(summary=(cell(4, 0, "上年结转"), cell(4, 3, "结转下年"))), {}),
)  # fmt: skip


def _documents() -> list[dict[str, Any]]:
    out = []
    for name, change, _ in CASES:
        b = budget(name, department=f"测试局{name}", department_canonical=f"测试局{name}", status="published")
        change(b)
        out.append(b)
    return out


@pytest.fixture(scope="module")
def evaluation():
    return run(*_documents())


@pytest.mark.parametrize(("name", "expected"), [(n, e) for n, _, e in CASES], ids=[n for n, _, _ in CASES])
def test_case(evaluation, name: str, expected: dict[str, str]) -> None:
    got = failed(evaluation, name)
    assert got == {k: {v} for k, v in expected.items()}, [
        f.message for f in evaluation.findings if f.doc_id == name
    ]


def test_clean_final_accounts_are_checked(evaluation) -> None:
    """The clean case really ran every check (a check with no rows would pass without looking)."""
    checked = {
        (o.expectation, o.outcome)
        for o in evaluation.checks
        if o.doc_id == "clean" and o.suite == "final_accounts"
    }
    assert checked == {(CLOSES, "passed"), (ROLLS, "passed"), (RATES, "passed"), (DIRECTION, "passed")}


def test_messages_say_where_and_by_how_much(evaluation) -> None:
    def message(case: str, expectation: str) -> str:
        return next(
            f.message for f in evaluation.findings if f.doc_id == case and f.expectation == expectation
        )

    assert message("carried_out_off", CLOSES) == (
        "支出总计：表1 收支总表 总计（第3页） 110 万元 = 110 万元 ≠ 表1 收支总表 本年支出合计（第3页） 90 万元 + "
        "表1 收支总表 结余分配 0.00 元 + 表1 收支总表 年末结转和结余（第3页） 25 万元 = 115 万元（相差 5 万元 = "
        "50,000.00 元，容差 1.5 万元）"
    )
    assert message("rate_off", RATES).startswith("正文（第22页） “")
    assert "完成预算的60%” ≠ " in message("rate_off", RATES)


def test_rate_claims_name_their_figure() -> None:
    text = "".join(t.format(total="50", vehicle="50.00", how="小于") for t in RATE_TEXT)
    claims = [(f, str(p)) for f, p, _ in final_accounts.rate_claims(text)]
    assert claims == [("three_public_total", "50"), ("vehicle_total", "50.00"), ("official_reception", "50")]
    assert final_accounts.rate_claims("执行率为 95%，完成预算的 95%。") == []  # no figure named: not read
    directions = [(f, how) for f, how, _ in final_accounts.direction_claims(text)]
    assert directions == [("three_public_total", "below")]  # the function line's sentence names no figure
