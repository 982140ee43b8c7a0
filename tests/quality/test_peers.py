"""The peers suite (issue 13) on constructed data: tables footed across and down, the appropriation
summary balanced, economic 款 against their 类, prose shares, year-on-year changes.

Like test_cases.py, every case is one small consistent budget (tests/quality/builders.py) with one
thing changed, all validated in one GX run; each case names every expectation it must fail, so a
side effect on another expectation fails too. The cell checks read `WarehouseData.amount_cells` and
the share check `WarehouseData.prose_passages`, which the cases fill here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from expectations.suites import peers
from tests.quality.builders import both, budget, cell, failed, printed, run, wan, warehouse

E, W = "error", "warning"
ACROSS, DOWN, APPROPRIATION = (
    "table_rows_add_across",
    "table_lines_add_down",
    "appropriation_summary_balances",
)
ECONOMIC, SHARES, YOY = (
    "economic_sections_sum_to_class",
    "prose_shares_match_tables",
    "year_on_year_change_in_band",
)

# ---------------------------------------------------------------- printed tables, as the warehouse holds them

INCOME_HEADER = [
    ["预算单位", "收入总计", "政府预算拨款", "", "", "", "财政专户管理资金", "单位资金", "上年结余、结转"],
    ["", "", "小计", "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "", "", ""],
]
EXPENSE_HEADER = [
    ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出", "2022年政府采购项目", "", ""],
    [
        "",
        "",
        "",
        "",
        "",
        "",
        "小计",
        "其中：面向中小企业政府采购项目",
        "其中：面向小型、微型企业政府采购项目",
    ],
]
BUSINESS_HEADER = [
    ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出", "事业单位经营支出"]
]
APPROPRIATION_HEADER = [["收入", "", "支出", ""], ["项目", "2022年预算数", "项目", "2022年预算数"]]
FUNDS_HEADER = [
    ["财政拨款收入", "", "财政拨款支出", "", "", ""],
    ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"],
]
DEPT = "深圳市罗湖区测试局"


def income_rows() -> list[list[str]]:
    return [[DEPT, "100", "100", "100", "0", "0", "0", "0", "0"]]


def expense_rows() -> list[list[str]]:
    return [
        [DEPT, "", "", "100", "60", "40", "20", "10", "8"],
        ["", "206", "科学技术支出", "100", "60", "40", "20", "10", "8"],
        ["", "20601", "科学技术管理事务", "100", "60", "40", "20", "10", "8"],
        ["", "2060101", "行政运行", "60", "60", "0", "0", "0", "0"],
        ["", "2060102", "一般行政管理事务", "40", "0", "40", "20", "10", "8"],
    ]


def appropriation_rows() -> list[list[str]]:
    return [
        ["财政拨款", "100", "一、科学技术支出", "100"],
        ["1.一般公共预算拨款", "100", "科学技术管理事务", "100"],
        ["2.政府性基金预算拨款", "0", "", ""],
        ["上年结余、结转", "0", "结转下年", "0"],
        ["收入总计", "100", "支出总计", "100"],
    ]


def fund_rows() -> list[list[str]]:
    return [
        ["一、一般公共预算资金", "90", "一、科学技术支出", "100", "90", "10"],
        ["二、政府性基金", "10", "", "", "", ""],
        ["收入总计", "100", "支出总计", "100", "90", "10"],
    ]


def tables(**edits: Callable[[list[list[str]]], None]) -> Callable:
    """The three standard tables as the budget prints them, each changed by `edits[kind]`."""

    def f(b: dict) -> None:
        for kind, header, rows in (
            ("income", INCOME_HEADER, income_rows()),
            ("expense", EXPENSE_HEADER, expense_rows()),
            ("appropriation_summary", APPROPRIATION_HEADER, appropriation_rows()),
        ):
            if kind in edits:
                edits[kind](rows)
            printed(kind, header, rows)(b)

    return f


def cells(*changes: Callable[[list[list[str]]], None]) -> Callable[[list[list[str]]], None]:
    def f(rows: list[list[str]]) -> None:
        for g in changes:
            g(rows)

    return f


def economic(*lines: tuple[str, str, str]) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        b["economic_lines"] = [
            {
                "doc_id": b["document"]["doc_id"],
                "line_no": i,
                "code": code,
                "name": name,
                "amount": wan(amount),
            }
            for i, (code, name, amount) in enumerate(lines)
        ]

    return f


def prose(*texts: str) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        b["prose_passages"] = [{"text": t, "page": 2} for t in texts]

    return f


def totals(**values: Any) -> Callable[[dict], None]:
    def f(b: dict) -> None:
        b["totals"].update({k: (None if v is None else wan(v)) for k, v in values.items()})

    return f


def three_public(total: str, reception: str, vehicle: str) -> Callable[[dict], None]:
    """三公 figures (two decimals) with their printing."""

    def f(b: dict) -> None:
        b["totals"].update(
            three_public_total=wan(total), official_reception=wan(reception), vehicle_total=wan(vehicle),
            vehicle_operation=wan(vehicle), overseas_travel=wan(0), vehicle_purchase=wan(0),
        )  # fmt: skip
        for o in b["observations"]:
            if o["field"] == "totals.three_public_total":
                o.update(printed=total, value=wan(total))

    return f


def nothing(b: dict) -> None:
    """The constructed budget as it is."""


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[dict[str, Any]], None]
    expected: dict[str, str] = field(default_factory=dict)  # expectation → severity
    previous: Callable[[dict[str, Any]], None] | None = None  # the department's budget of the year before


def funds(*edits: Callable[[list[list[str]]], None]) -> Callable[[dict], None]:
    """The appropriation summary with an expenditure column per fund (上海, 烟台)."""
    rows = fund_rows()
    for e in edits:
        e(rows)
    return both(tables(), printed("appropriation_summary", FUNDS_HEADER, rows))


CASES: tuple[Case, ...] = (
    Case("no_cells", nothing),
    Case("clean_tables", tables()),
    # 1. rows across (the part columns add up to the total column)
    Case("income_row_within_rounding", tables(income=cells(cell(0, 3, "99"), cell(0, 2, "99"), cell(0, 8, "2")))),
    Case("income_row_off", tables(income=cells(cell(0, 3, "95"), cell(0, 2, "95"), cell(0, 8, "2"))), {ACROSS: E}),
    Case("expense_line_off", tables(expense=cell(4, 3, "41")), {ACROSS: E}),  # Σ项 101 vs 100 is within 1.5
    Case("procurement_is_no_part", tables(expense=cells(*(cell(r, 6, "35") for r in (0, 1, 2, 4))))),
    # 事业单位经营支出 printed as a part of 基本 / 项目 支出 (深圳市生态环境局 2026), or of 支出总计
    Case("business_expense_within_basic_project", both(tables(), printed("expense", BUSINESS_HEADER, [
        [DEPT, "", "", "100", "60", "40", "30"], ["", "206", "科学技术支出", "100", "60", "40", "30"]]))),
    Case("business_expense_a_part_of_the_total", both(tables(), printed("expense", BUSINESS_HEADER, [
        [DEPT, "", "", "100", "60", "20", "20"], ["", "206", "科学技术支出", "100", "60", "20", "20"]]))),
    Case("business_expense_neither_way", both(tables(), printed("expense", BUSINESS_HEADER, [
        [DEPT, "", "", "100", "60", "40", "0"], ["", "206", "科学技术支出", "100", "60", "30", "20"]])),
        {ACROSS: E, DOWN: E}),
    # a table with a column that cannot be placed is not checked, however wrong its rows
    Case("unplaced_column_skipped", both(tables(), printed("expense", [
        ["预算单位", "支出总计", "基本支出", "项目支出", "比上年增减"]], [[DEPT, "100", "60", "45", "5"]]))),
    Case("unknown_column_skipped", both(tables(), printed("expense", [
        ["预算单位", "支出总计", "基本支出", "项目支出", "其他"]], [[DEPT, "100", "60", "45", "5"]]))),
    Case("two_total_columns_skipped", both(tables(), printed("income", [
        ["预算单位", "收入总计", "合计", "一般公共预算拨款"]], [[DEPT, "100", "90", "95"]]))),
    Case("words_among_figures_skipped", tables(expense=cells(cell(4, 3, "41"), cell(4, 8, "见说明")))),
    Case("column_numbers_skipped", tables(income=lambda rows: rows.insert(0, ["**", "1", "2", "3", "4", "5", "6", "7", "8"]))),
    Case("stray_total_skipped", tables(income=lambda rows: rows.append(["", "5", "", "", "", "", "", "", ""]))),
    Case("one_yuan_slip_in_yuan", both(tables(), printed("expense", EXPENSE_HEADER, [
        [DEPT, "", "", "1,000,000.00", "600,000.00", "400,000.00", "0.00", "0.00", "0.00"],
        ["", "206", "科学技术支出", "1,000,000.00", "600,000.00", "400,000.00", "0.00", "0.00", "0.00"],
        ["", "20601", "科学技术管理事务", "1,000,000.00", "600,000.00", "400,000.00", "0.00", "0.00", "0.00"],
        ["", "2060101", "行政运行", "600,000.00", "600,000.00", "0.00", "0.00", "0.00", "0.00"],
        ["", "2060102", "一般行政管理事务", "400,001.00", "0.00", "400,000.00", "0.00", "0.00", "0.00"]], "元")),
        {ACROSS: W, DOWN: W}),
    # 1. lines down (项 → 款 → 类 → the total row)
    Case("item_off", tables(expense=cells(cell(3, 3, "58"), cell(3, 4, "58"))), {DOWN: E}),
    Case("classes_off_the_total_row", tables(expense=cells(cell(0, 3, "103"), cell(0, 4, "63"))), {DOWN: E}),
    Case("total_row_below_its_lines", both(tables(), printed("expense", [["项目", *EXPENSE_HEADER[0][1:]],
                                                                         EXPENSE_HEADER[1]], [
        *(r for r in expense_rows()[1:]), ["", "合计", "", "103", "63", "40", "20", "10", "8"]])), {DOWN: E}),
    Case("code_printed_twice_skipped", tables(expense=cells(
        lambda rows: rows.append(["", "206", "科学技术支出", "5", "5", "0", "0", "0", "0"])))),
    # 2. the appropriation summary
    Case("appropriation_totals_differ", tables(appropriation_summary=cell(4, 3, "101")), {APPROPRIATION: E}),
    Case("funds_balance", funds()),
    Case("fund_unbalanced", funds(cell(0, 1, "92"), cell(1, 1, "8")), {APPROPRIATION: E}),
    Case("fund_columns_off", funds(cell(0, 5, "12"), cell(2, 5, "12")), {APPROPRIATION: E}),
    # a fund named in a 其中 row (here the fund's only row under the 财政拨款 subtotal): cannot tell
    Case("fund_in_a_row_of_which_skipped", both(tables(), printed("appropriation_summary", FUNDS_HEADER, [
        ["一、财政拨款收入", "100", "一、科学技术支出", "100", "90", "10"], ["其中：一般公共预算资金", "90", "", "", "", ""],
        ["其中：政府性基金", "10", "", "", "", ""], ["二、上年结转", "0", "", "", "", ""],
        ["一般公共预算资金", "0", "", "", "", ""], ["收入总计", "100", "支出总计", "100", "90", "10"]]))),
    # 3. economic 款 → 类
    Case("economic_ok", economic(("301", "工资福利支出", "45"), ("30101", "基本工资", "20"), ("30102", "津贴补贴", "25"),
                                 ("302", "商品和服务支出", "10"), ("30201", "办公费", "10"),
                                 ("303", "对个人和家庭的补助", "5"), ("30305", "生活补助", "5"))),
    Case("economic_off", economic(("301", "工资福利支出", "45"), ("30101", "基本工资", "20"), ("30102", "津贴补贴", "28"),
                                  ("302", "商品和服务支出", "10"), ("30201", "办公费", "10"),
                                  ("303", "对个人和家庭的补助", "5"), ("30305", "生活补助", "5")), {ECONOMIC: E}),
    Case("economic_selection_skipped", economic(("301", "工资福利支出", "45"), ("30101", "基本工资", "20"),
                                               ("302", "商品和服务支出", "10"), ("303", "对个人和家庭的补助", "5"))),
    # 4. shares stated in the prose
    Case("shares_ok", prose("本部门2022年支出预算合计100万元，其中：基本支出60万元，占60%；项目支出40万元，占40%。"
                            "政府采购预算20万元，其中：面向中小企业10万元，占政府采购预算总额的50%。")),
    Case("share_off", prose("本部门2022年支出预算合计100万元，其中：基本支出60万元，占62%；项目支出40万元，占40%。"),
         {SHARES: E}),
    Case("share_whole_not_named_skipped", prose("支出预算合计100万元。基本支出60万元，占62%。")),
    Case("share_of_another_figure_skipped", prose("本部门2022年支出预算合计120万元，其中：基本支出60万元，占62%。")),
    # 5. year on year (warnings only)
    Case("yoy_within_band", nothing, previous=totals(agency_running_cost="8")),
    Case("yoy_beyond_band", nothing, {YOY: W}, previous=totals(agency_running_cost="25")),
    Case("yoy_three_public_doubled", nothing, {YOY: W}, previous=three_public("0.50", "0.00", "0.50")),
    Case("yoy_from_zero_skipped", nothing, previous=three_public("0.00", "0.00", "0.00")),
    Case("yoy_previous_quarantined_skipped", nothing,
         previous=both(totals(agency_running_cost="25"), lambda b: b["document"].update(status="quarantined"))),
)  # fmt: skip


def _budgets(cases: tuple[Case, ...]) -> list[dict]:
    out = []
    for c in cases:
        dept = f"{DEPT}{c.name}"
        b = budget(c.name, department=dept, department_canonical=dept, status="published")
        c.change(b)
        out.append(b)
        if c.previous is not None:
            p = budget(f"{c.name}_2021", department=dept, department_canonical=dept, fiscal_year=2021)
            for t in p["tables"]:
                t["header"] = t["header"].replace("2022", "2021")
            p["document"].setdefault("status", "published")
            c.previous(p)
            out.append(p)
    return out


@pytest.fixture(scope="module")
def evaluation():
    return run(*_budgets(CASES))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(evaluation, case):
    got = failed(evaluation, case.name)
    assert got == {k: {v} for k, v in case.expected.items()}, [
        f.message for f in evaluation.findings if f.doc_id == case.name
    ]
    decision = evaluation.decisions[case.name]
    assert decision.status == ("quarantined" if E in case.expected.values() else "published")
    assert set(decision.flags) == {k for k, v in case.expected.items() if v == W}
    if case.previous is not None:  # last year's budget itself passes
        assert failed(evaluation, f"{case.name}_2021") == {}


def test_messages_say_where_and_by_how_much(evaluation):
    def message(case: str, expectation: str) -> str:
        return next(
            f.message for f in evaluation.findings if f.doc_id == case and f.expectation == expectation
        )

    assert message("income_row_off", ACROSS) == (
        f"表2 收入总表 {DEPT} 收入总计（第4页） 100 万元 ≠ Σ各列 97 万元（一般公共预算拨款 95 万元 + 上年结余、结转 2 万元）"
        "（相差 3 万元 = 30,000.00 元，容差 1.5 万元）"
    )
    assert message("classes_off_the_total_row", DOWN).startswith(
        f"表3 支出总表 {DEPT} 支出总计（第5页） 103 万元 ≠ Σ类 支出总计 100 万元"
    )
    assert message("fund_unbalanced", APPROPRIATION).startswith(
        "表6 政府预算拨款收支总表 支出总计 一般公共预算（第8页） 90 万元 ≠ 一般公共预算收入"
    )
    assert message("share_off", SHARES).startswith("正文（第2页） “基本支出60万元，占62%” ≠ ")
    assert message("yoy_beyond_band", YOY) == (
        "机关运行经费 2022 年 10.00 万元，比 2021 年预算（yoy_beyond_band_2021.pdf）25.00 万元 减少 60.0%，超出 ±50%"
    )


def test_the_band_is_a_setting():
    from expectations.context import SuiteContext
    from expectations.runner import GxRunner
    from expectations.settings import QualitySettings
    from expectations.stage import evaluate

    docs = _budgets(tuple(c for c in CASES if c.name == "yoy_within_band"))  # 10 against 8: +25 %
    narrow = evaluate(
        SuiteContext.build(warehouse(*docs), QualitySettings(year_on_year_band=Decimal("0.2"))),
        GxRunner(None),
    )
    assert failed(narrow, "yoy_within_band") == {YOY: {W}}
    with pytest.raises(ValueError, match="year_on_year_band"):
        QualitySettings(year_on_year_band=Decimal(0))


def _frames(*docs: dict):
    from expectations.context import SuiteContext

    return peers.frames(SuiteContext.build(warehouse(*docs)))


def _items(frame, spec) -> list[str]:
    rows = frame[frame[spec.col("diff")].notna()]
    return sorted(rows["item"])


def test_nothing_to_check_gives_no_rows():
    """Without the rows a check reads (no cells, no 款 lines, no prose, no previous budget, a figure
    not stated last year), the suite gives no row: nothing is read as a pass or a failure."""
    plain = budget("plain")
    fr = _frames(plain)
    assert len(fr[peers.TABLES]) == 0 and len(fr[peers.DOCS]) == 0
    b = budget("b", department="甲", department_canonical="甲")
    prev = budget("p", department="甲", department_canonical="甲", fiscal_year=2021)
    prev["totals"].update(agency_running_cost=None, three_public_total=None)
    fr = _frames(b, prev)
    yoy = peers.year_on_year_spec(Decimal("0.5"))
    assert _items(fr[peers.DOCS], yoy) == [
        "yoy.totals.basic_expense",
        "yoy.totals.expense_total",
        "yoy.totals.project_expense",
    ]


def test_the_checks_read_every_part_of_the_printed_tables():
    b = budget("b")
    tables()(b)
    economic(("301", "工资福利支出", "45"), ("30101", "基本工资", "45"))(b)
    prose("支出预算合计100万元，其中：基本支出60万元，占60%。")(b)
    fr = _frames(b)
    across = _items(fr[peers.TABLES], peers.ROWS_ACROSS)
    assert across == [
        "t1.r0.across",
        "t2.r0.across",
        "t2.r1.across",
        "t2.r2.across",
        "t2.r3.across",
        "t2.r4.across",
    ]
    down = _items(fr[peers.TABLES], peers.LINES_DOWN)
    # 项 → 款 and 款 → 类 for each column with figures, and the 类 against the department's row
    assert {i.rsplit(".c", 1)[0] for i in down} == {"t2.r1", "t2.r2", "t2.r0.classes"}
    assert _items(fr[peers.TABLES], peers.APPROPRIATION_BALANCES) == ["t5.total"]
    assert _items(fr[peers.DOCS], peers.ECONOMIC_SECTIONS) == ["economic.301"]
    assert _items(fr[peers.DOCS], peers.PROSE_SHARES) == ["share.basic_expense#1"]


# ---------------------------------------------------------------- the header words, on real layouts


@pytest.mark.parametrize(
    ("labels", "total", "parts"),
    [
        # 深圳 2022 (五行表头: the group label 政府预算拨款 landed over its first member)
        (["收入总计", "小计", "政府预算拨款一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "财政专户管理资金",
          "单位资金", "上年结余、结转"], "收入总计", 6),
        # 深圳 2026: 本年收入 / 财政拨款 / 单位资金 groups over their members, no 小计
        (["收入总计", "本年收入财政拨款一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "财政专户管理资金",
          "单位资金事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", "上年结余、结转"], "收入总计", 10),
        # 广州: 财政专户拨款收入 over 教育收费 | 其他专户收入拨款; 其他资金收入 over 事业收入 …
        (["合计", "财政拨款收入一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户拨款收入教育收费", "其他专户收入拨款",
          "其他资金收入事业收入", "事业单位经营收入", "其他收入", "上级补助收入", "附属单位上缴收入", "上年结转结余"], "合计", 11),
        # 杭州: 基本支出 over 人员支出 | 日常公用支出
        (["总计", "基本支出人员支出", "日常公用支出", "项目支出", "事业单位经营支出"], "总计", 4),
        # 国家信访局: 事业收入 over 金额 | 其中：教育收费; 使用非财政拨款结余 is no 财政拨款
        (["合计", "上年结转", "一般公共预算拨款收入", "事业收入金额", "其中:教育收费", "使用非财政拨款结余"], "合计", 4),
        # 深圳 expense: the procurement group cuts across the total
        (["支出总计", "基本支出", "项目支出", "小计", "2022年政府采购项目其中：面向中小企业政府采购项目",
          "其中：面向小型、微型企业政府采购项目"], "支出总计", 2),
        # 烟台: 事业收入（不含教育收费） is 事业收入
        (["合计", "财政拨款收入小计", "一般公共预算收入", "财政专户管理资金收入", "事业收入（不含教育收费）"], "合计", 3),
    ],
)  # fmt: skip
def test_footing_plans_of_real_headers(labels, total, parts):
    plan = peers.footing_plan(dict(enumerate(labels)))
    assert plan is not None
    assert plan.columns[plan.total].label == total
    assert len(plan.parts) == parts


@pytest.mark.parametrize(
    "labels",
    [
        [
            "合计",
            "本年收入小计",
            "一般公共预政府性基算",
            "金预算",
            "其他收入",
        ],  # 无锡: two headers run together
        ["合计", "一般公共预算资政府性基金预算国有资本经营预财政专户管理资金"],  # 北京: four in one column
        [
            "合计",
            "基本支出",
            "人员支出",
            "公用支出",
            "项目支出",
        ],  # 基本支出 may be the subtotal of the next two
        ["支出总计", "基本支出", "项目支出", "上年预算数"],  # another year
        ["合计", "项目支出", "小计"],  # a 小计 with nothing after it: what does it sum?
        ["项目名称", "金额"],  # no total column (a list of sources)
    ],
)
def test_headers_that_cannot_be_placed(labels):
    assert peers.footing_plan(dict(enumerate(labels))) is None


def test_share_sentences_of_real_budgets():
    """Sentences as real budgets print them (江苏 2018/2019, 国家信访局 2024/2026)."""
    claims = peers.share_claims(
        "2026 年国家信访局支出预算总计 50,616.94 万元，其中，基本支出 11,056.07 万元，占 21.84%；项目支出 39,560.87\n"
        "万元，占 78.16%。授予中小企业合同金额 1820.69 万元，占政府采购支出总额的 92.54%，其中：授予小微企业合同金额"
        " 1015.5 万元，占授予中小企业合同金额的 55.78%。江苏省委办公厅本年收入预算合计24458.43万元。其中：一般公共预算收入"
        "24458.43万元，占100%。其他收入 31,888.00 万元，占 63.0%。"
    )
    got = [(c.part, c.whole, str(c.pct), c.part_amount, c.whole_amount) for c in claims]
    assert got == [
        ("basic_expense", "expense_total", "21.84", Decimal("110560700.00"), Decimal("506169400.00")),
        ("project_expense", "expense_total", "78.16", Decimal("395608700.00"), Decimal("506169400.00")),
        ("procurement_sme", "procurement_total", "92.54", Decimal("18206900.00"), None),
        ("procurement_small_micro", "procurement_sme", "55.78", Decimal("10155000.0"), None),
    ]  # 一般公共预算收入: its whole was named a sentence before; 其他收入: no figure of the record


def test_load_cells_reads_the_three_tables():
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(
            "create table table_cells (doc_id varchar, table_index integer, table_kind varchar, row_index integer, "
            "col_index integer, text varchar, amount decimal(18, 2), page integer)"
        )
        con.execute(
            "insert into table_cells values ('d1', 1, 'income', 0, 1, '100', 1000000, 3), "
            "('d1', 1, 'income', 0, 2, '', null, 3), ('d1', 3, 'basic_expense', 0, 1, '60', 600000, 4), "
            "('d2', 2, 'expense', 0, 1, '5', 50000, 3)"
        )
        got = peers.load_cells(con, ["d1"])
    finally:
        con.close()
    assert list(got) == ["d1"]
    assert [(c["table_kind"], c["text"], c["amount"]) for c in got["d1"]] == [
        ("income", "100", Decimal("1000000.00"))
    ]
