"""Final accounts (部门决算) drawn from the budget of the same department-year: what was spent.

`final_record(budget, key)` turns a budget truth record into the truth record of that department's
final accounts for the same year (same department, jurisdiction, year, scope and department type),
deterministically from `key`. The paired budget's figures are what was budgeted; the final accounts
print what was spent:

- basic expenditure 95–100 % of the budgeted (each economic class drawn, the function lines'
  basic expenditure shares the result in proportion to their budget, a little apart),
- project expenditure 70–100 % per function line,
- the 三公 and each of its parts 60–100 % (a car bought 90–100 % of its price),
- the agency running cost at the operating class's rate, procurement 70–100 % per part (货物 /
  工程 / 服务), the SME awards a share of it and the small and micro awards a share of those,
- income: this year's appropriation 97–103 % of each line's budget, a carry-over from earlier years
  (年初结转和结余) of 3–8 % of the budget, and what is left at the end of the year (年末结转和结余):
  本年收入 + 年初结转和结余 = 本年支出 + 年末结转和结余.

Every table of a final accounts document prints 万元 with two decimals (the central template), so
every figure is drawn as a multiple of 100 yuan: the truth holds the printed figures exactly and
every identity (`corpus.identities`) holds exactly, not only to the printed rounding.
All income is appropriation (一般公共预算 and, where the budget has government-fund lines, 政府性基金):
the 一般公共预算财政拨款支出决算表 then holds the general-budget lines, the 支出决算表 those and the
fund lines, and the economic classes of the 基本支出决算表 add up to the general-budget basic
expenditure. No capital item (310) is paid from basic expenditure (unless `economic:capital`), so
公用经费 is 302 alone.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from budgetlens.identities import THREE_PUBLIC_FIELDS
from corpus.truth import empty_headcount, empty_totals, y

STEP = Decimal(100)  # 0.01 万元: the printed precision of every final-accounts table
ZERO = Decimal(0)
TABLE_KINDS = (
    "summary",
    "income",
    "expense",
    "appropriation_summary",
    "general_budget_by_function",
    "basic_expense",
    "gov_fund",
    "state_capital",
    "three_public",
)
RATES: dict[str, tuple[float, float]] = {
    "basic": (0.95, 1.00),
    "project": (0.70, 1.00),
    "three_public": (0.60, 1.00),
    "vehicle_purchase": (0.90, 1.00),
    "procurement": (0.70, 1.00),
    "income": (0.97, 1.03),
    "carryover_in": (0.03, 0.08),
    "sme": (0.55, 0.95),
    "small_micro": (0.40, 0.80),
    "capital": (0.02, 0.06),
}

# 支出功能分类 classes as the 收入支出决算总表 lists them (every class printed, blank where nil)
CLASSES: list[tuple[str, str]] = [
    ("201", "一般公共服务支出"),
    ("202", "外交支出"),
    ("203", "国防支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"),
    ("211", "节能环保支出"),
    ("212", "城乡社区支出"),
    ("213", "农林水支出"),
    ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"),
    ("217", "金融支出"),
    ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"),
    ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"),
    ("229", "其他支出"),
    ("231", "债务还本支出"),
    ("232", "债务付息支出"),
    ("234", "抗疫特别国债安排的支出"),
]

# 一般公共预算财政拨款基本支出决算表: three groups side by side, as the central template prints them
# (人员经费: 301 and 303; 公用经费: 302; then 307, 310, 399). Items with a weight get money.
ECONOMIC_GROUPS: list[list[tuple[str, str, list[tuple[str, str, int]]]]] = [
    [
        (
            "301",
            "工资福利支出",
            [
                ("30101", "基本工资", 22),
                ("30102", "津贴补贴", 30),
                ("30103", "奖金", 4),
                ("30106", "伙食补助费", 0),
                ("30107", "绩效工资", 10),
                ("30108", "机关事业单位基本养老保险缴费", 9),
                ("30109", "职业年金缴费", 4),
                ("30110", "职工基本医疗保险缴费", 4),
                ("30111", "公务员医疗补助缴费", 0),
                ("30112", "其他社会保障缴费", 1),
                ("30113", "住房公积金", 9),
                ("30114", "医疗费", 0),
                ("30199", "其他工资福利支出", 7),
            ],
        ),
        (
            "303",
            "对个人和家庭的补助",
            [
                ("30301", "离休费", 0),
                ("30302", "退休费", 50),
                ("30303", "退职（役）费", 0),
                ("30304", "抚恤金", 10),
                ("30305", "生活补助", 15),
                ("30306", "救济费", 0),
                ("30307", "医疗费补助", 5),
                ("30308", "助学金", 0),
                ("30309", "奖励金", 2),
                ("30310", "个人农业生产补贴", 0),
                ("30311", "代缴社会保险费", 0),
                ("30399", "其他对个人和家庭的补助", 18),
            ],
        ),
    ],
    [
        (
            "302",
            "商品和服务支出",
            [
                ("30201", "办公费", 6),
                ("30202", "印刷费", 2),
                ("30203", "咨询费", 1),
                ("30204", "手续费", 0),
                ("30205", "水费", 2),
                ("30206", "电费", 8),
                ("30207", "邮电费", 4),
                ("30208", "取暖费", 0),
                ("30209", "物业管理费", 18),
                ("30211", "差旅费", 3),
                ("30212", "因公出国（境）费用", 0),
                ("30213", "维修（护）费", 4),
                ("30214", "租赁费", 2),
                ("30215", "会议费", 1),
                ("30216", "培训费", 1),
                ("30217", "公务接待费", 0),
                ("30218", "专用材料费", 0),
                ("30224", "被装购置费", 0),
                ("30225", "专用燃料费", 0),
                ("30226", "劳务费", 4),
                ("30227", "委托业务费", 3),
                ("30228", "工会经费", 6),
                ("30229", "福利费", 3),
                ("30231", "公务用车运行维护费", 0),
                ("30239", "其他交通费用", 12),
                ("30240", "税金及附加费用", 0),
                ("30299", "其他商品和服务支出", 20),
            ],
        ),
    ],
    [
        ("307", "债务利息及费用支出", [("30701", "国内债务付息", 0), ("30702", "国外债务付息", 0)]),
        (
            "310",
            "资本性支出",
            [
                ("31001", "房屋建筑物购建", 0),
                ("31002", "办公设备购置", 6),
                ("31003", "专用设备购置", 0),
                ("31005", "基础设施建设", 0),
                ("31006", "大型修缮", 0),
                ("31007", "信息网络及软件购置更新", 3),
                ("31008", "物资储备", 0),
                ("31009", "土地补偿", 0),
                ("31010", "安置补助", 0),
                ("31011", "地上附着物和青苗补偿", 0),
                ("31012", "拆迁补偿", 0),
                ("31013", "公务用车购置", 0),
                ("31019", "其他交通工具购置", 0),
                ("31021", "文物和陈列品购置", 0),
                ("31022", "无形资产购置", 0),
                ("31099", "其他资本性支出", 1),
            ],
        ),
        (
            "399",
            "其他支出",
            [
                ("39907", "国家赔偿费用支出", 0),
                ("39908", "对民间非营利组织和群众性自治组织补贴", 0),
                ("39909", "经常性赠与", 0),
                ("39910", "资本性赠与", 0),
                ("39999", "其他支出", 0),
            ],
        ),
    ],
]
# 三公 spending paid from basic expenditure lands on these 302 items
THREE_PUBLIC_ITEMS = {"30212": "overseas_travel", "30217": "official_reception", "30231": "vehicle_operation"}


def q100(value: Decimal) -> Decimal:
    """To the printed precision (0.01 万元 = 100 yuan), half-up."""
    return (value / STEP).quantize(Decimal(1), rounding=ROUND_HALF_UP) * STEP


def D(v: str | None) -> Decimal:
    return Decimal(v) if v is not None else ZERO


def _rate(rng: random.Random, name: str) -> Decimal:
    lo, hi = RATES[name]
    return Decimal(str(round(rng.uniform(lo, hi), 4)))


def _spend(rng: random.Random, budgeted: Decimal, rate: str) -> Decimal:
    return q100(budgeted * _rate(rng, rate)) if budgeted > 0 else ZERO


def share(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`total` (a multiple of 100 yuan) split in proportion to `weights`, each part a multiple of 100
    yuan, the parts adding up to `total` exactly (the rounding left on the largest part)."""
    if total == 0 or not weights or sum(weights, ZERO) == 0:
        return [ZERO] * len(weights)
    whole = sum(weights, ZERO)
    parts = [q100(total * w / whole) for w in weights]
    big = max(range(len(weights)), key=lambda i: (weights[i], -i))
    parts[big] += total - sum(parts, ZERO)
    if parts[big] < 0:  # cannot happen with non-negative weights, kept as a guard
        raise ValueError("share: negative part")
    return parts


def _children(lines: list[dict[str, Any]], ln: dict[str, Any]) -> list[dict[str, Any]]:
    return [k for k in lines if k["level"] == ln["level"] + 1 and k["code"].startswith(ln["code"])]


def _leaves(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [ln for ln in lines if not _children(lines, ln)]


def _rollup(lines: list[dict[str, Any]], leaf_values: dict[str, dict[str, Decimal]]) -> list[dict[str, Any]]:
    """Function lines (budget order and names) with each leaf's values and parents as exact sums."""
    out = []
    for ln in lines:
        leaves = [lf for lf in _leaves(lines) if lf["code"].startswith(ln["code"])]
        basic = sum((leaf_values[lf["code"]]["basic"] for lf in leaves), ZERO)
        project = sum((leaf_values[lf["code"]]["project"] for lf in leaves), ZERO)
        out.append(
            {
                "code": ln["code"],
                "name": ln["name"],
                "level": ln["level"],
                "total": y(basic + project),
                "basic": y(basic),
                "project": y(project),
            }
        )
    return out


def _economic(
    rng: random.Random, classes: dict[str, Decimal], tied: dict[str, Decimal]
) -> list[dict[str, Any]]:
    """The printed economic lines in reading order (each group top to bottom, groups left to right):
    a class, then its items; the class amount shared over the items that carry money."""
    out: list[dict[str, Any]] = []
    for group in ECONOMIC_GROUPS:
        for code, name, items in group:
            amount = classes.get(code, ZERO)
            out.append({"code": code, "name": name, "amount": y(amount)})
            fixed = {c: tied[c] for c, _, _ in items if c in tied}
            rest = amount - sum(fixed.values(), ZERO)
            if rest < 0:  # the 三公 items do not fit: spread everything by weight instead
                fixed, rest = {}, amount
            weights = [
                Decimal(w) * Decimal(str(round(rng.uniform(0.7, 1.3), 3))) if c not in fixed else ZERO
                for c, _, w in items
            ]
            parts = share(rest, weights)
            for (c, n, _), part in zip(items, parts, strict=True):
                out.append({"code": c, "name": n, "amount": y(fixed.get(c, part))})
    return out


def final_record(
    budget: dict[str, Any], key: str, variations: list[str] | tuple[str, ...] = ()
) -> dict[str, Any]:
    """The truth record of the final accounts paired with `budget` (a budget truth record).

    `key` seeds every draw (the same key gives the same record); `variations` are the document's
    (`sme:awarded` prints the SME awards: without it they are not stated, null; `economic:capital`
    pays some equipment (310) from basic expenditure: 公用经费 = 302 + 310, the truth's
    operating_expense as the central template's 公用经费合计). `extra` carries what the
    document prints besides the checked fields: the budgeted figures it compares itself with
    (年初预算数, the 三公 预算数), income by line, fund lines, appropriation flows, prior-year
    figures for its year-on-year sentences and the counts of its 三公 prose.
    """
    rng = random.Random(key)
    bt = budget["totals"]
    bx = budget.get("extra", {})
    year = int(budget["document"]["fiscal_year"])
    general = [dict(ln) for ln in budget["function_lines"]]
    fund = [dict(ln) for ln in bx.get("fund_lines", [])]

    # -- basic expenditure: economic classes first, the function lines share the result
    econ_b = {ln["code"]: D(ln["amount"]) for ln in budget.get("economic_lines", []) if len(ln["code"]) == 3}
    personnel = _spend(rng, econ_b.get("301", D(bt.get("personnel_expense"))), "basic")
    operating_rate = _rate(rng, "basic")
    operating = q100(econ_b.get("302", D(bt.get("operating_expense"))) * operating_rate)
    household = _spend(rng, econ_b.get("303", D(bt.get("household_subsidy"))), "basic")
    general_basic = personnel + operating + household
    leaves_g, leaves_f = _leaves(general), _leaves(fund)
    weights = [D(lf["basic"]) * Decimal(str(round(rng.uniform(0.98, 1.02), 4))) for lf in leaves_g]
    if general_basic and not any(weights):
        raise ValueError(f"{key}: basic expenditure on no function line")
    basics = share(general_basic, weights)
    values: dict[str, dict[str, Decimal]] = {}
    for lf, basic in zip(leaves_g, basics, strict=True):
        values[lf["code"]] = {"basic": basic, "project": _spend(rng, D(lf["project"]), "project")}
    fund_values = {
        lf["code"]: {
            "basic": _spend(rng, D(lf["basic"]), "basic"),
            "project": _spend(rng, D(lf["project"]), "project"),
        }
        for lf in leaves_f
    }
    lines = _rollup(general, values)
    fund_lines = _rollup(fund, fund_values)
    spent_g = sum((D(ln["total"]) for ln in lines if ln["level"] == 1), ZERO)
    spent_f = sum((D(ln["total"]) for ln in fund_lines if ln["level"] == 1), ZERO)
    basic = sum((D(ln["basic"]) for ln in lines + fund_lines if ln["level"] == 1), ZERO)
    project = sum((D(ln["project"]) for ln in lines + fund_lines if ln["level"] == 1), ZERO)

    # -- income: appropriation by line, a carry-over in, what is left at the end
    income_g = {lf["code"]: q100(D(lf["total"]) * _rate(rng, "income")) for lf in leaves_g}
    income_f = {}
    for lf in leaves_f:  # a fund is never overspent: its income covers its spending
        got = q100(D(lf["total"]) * _rate(rng, "income"))
        income_f[lf["code"]] = max(got, fund_values[lf["code"]]["basic"] + fund_values[lf["code"]]["project"])
    general_in = sum(income_g.values(), ZERO)
    fund_in = sum(income_f.values(), ZERO)
    fund_income = _rollup(fund, {c: {"basic": v, "project": ZERO} for c, v in income_f.items()})
    for ln, got in zip(fund_lines, fund_income, strict=True):
        ln["income"] = got["total"]  # printed in the 政府性基金 table only (not a checked field)
    income_rows = merge_lines(
        _rollup(general, {c: {"basic": v, "project": ZERO} for c, v in income_g.items()}),
        _rollup(fund, {c: {"basic": v, "project": ZERO} for c, v in income_f.items()}),
    )
    budget_total = D(bt.get("expense_total")) - D(bt.get("carryover_out"))
    carry_in = q100(budget_total * _rate(rng, "carryover_in"))
    carry_out_g = general_in + carry_in - spent_g
    carry_out_f = fund_in - spent_f
    if carry_out_g < 0:  # spending above what came in: more was carried over from earlier years
        carry_in -= carry_out_g
        carry_out_g = ZERO
    carry_out = carry_out_g + carry_out_f
    income_year = general_in + fund_in

    # -- 三公 (决算数), agency running cost, procurement
    three = {
        "overseas_travel": _spend(rng, D(bt.get("overseas_travel")), "three_public"),
        "official_reception": _spend(rng, D(bt.get("official_reception")), "three_public"),
        "vehicle_purchase": _spend(rng, D(bt.get("vehicle_purchase")), "vehicle_purchase"),
        "vehicle_operation": _spend(rng, D(bt.get("vehicle_operation")), "three_public"),
    }
    three["vehicle_total"] = three["vehicle_purchase"] + three["vehicle_operation"]
    three["three_public_total"] = (
        three["overseas_travel"] + three["official_reception"] + three["vehicle_total"]
    )
    agency = q100(D(bt.get("agency_running_cost")) * operating_rate)
    parts_b = {
        "procurement_goods": D(bt.get("procurement_goods")),
        "procurement_works": D(bt.get("procurement_works")),
        "procurement_services": D(bt.get("procurement_services")),
    }
    if not any(parts_b.values()):
        parts_b["procurement_services"] = D(bt.get("procurement_total"))
    parts = {k: _spend(rng, v, "procurement") for k, v in parts_b.items()}
    procurement = sum(parts.values(), ZERO)
    sme = q100(procurement * _rate(rng, "sme"))
    small_micro = q100(sme * _rate(rng, "small_micro"))

    totals = empty_totals()
    totals.update(
        income_total=y(income_year + carry_in),
        expense_total=y(basic + project + carry_out),
        fiscal_appropriation=y(income_year),
        general_budget_appropriation=y(general_in),
        gov_fund_appropriation=y(fund_in),
        state_capital_appropriation=y(ZERO),
        basic_expense=y(basic),
        project_expense=y(project),
        carryover_in=y(carry_in),
        carryover_out=y(carry_out),
        personnel_expense=y(personnel),
        staff_and_household_cost=y(personnel + household),
        operating_expense=y(operating),
        household_subsidy=y(household),
        agency_running_cost=y(agency),
        procurement_total=y(procurement),
        # the central wording states what SMEs were awarded (授予…合同金额); the district one what was
        # reserved for them (面向中小企业预留…预算金额), beside what they won (not the field)
        procurement_sme=y(sme) if {"sme:awarded", "template:district"} & set(variations) else None,
        procurement_small_micro=(
            y(small_micro) if {"sme:awarded", "template:district"} & set(variations) else None
        ),
        **{k: y(v) for k, v in three.items()},
        **{k: y(v) for k, v in parts.items()},
        surplus_distribution=y(ZERO),  # printed blank: nothing distributed
        # the 三公 table prints the budget's figures as its 预算数 (blank where the budget states none)
        **{f"{f}_adjusted_budget": y(D(bt.get(f))) for f in THREE_PUBLIC_FIELDS},
    )
    headcount = empty_headcount()
    bh = budget.get("headcount", {})
    units = [u["name"] for u in bx.get("units", [])]
    headcount["internal_divisions"] = len(bx.get("divisions", [])) or bh.get("internal_divisions")
    headcount["subordinate_units"] = max(0, len(units) - 1)
    tied = {code: three[field] for code, field in THREE_PUBLIC_ITEMS.items()}
    classes = {"301": personnel, "302": operating, "303": household}
    if "economic:capital" in variations:  # equipment bought from basic expenditure: 310 in 公用经费
        capital = q100(operating * _rate(rng, "capital"))
        classes.update({"302": operating - capital, "310": capital})
    economic = _economic(rng, classes, tied)
    py = year - 1
    prior = {
        "year": py,
        "income_total": y(q100((income_year + carry_in) * Decimal(str(round(rng.uniform(0.85, 1.15), 4))))),
        "agency_running_cost": y(q100(agency * Decimal(str(round(rng.uniform(0.85, 1.15), 4))))),
    }
    budgeted_lines = {ln["code"]: ln["total"] for ln in budget["function_lines"]}
    record: dict[str, Any] = {
        "pages": None,
        "department_type": budget.get("department_type"),
        "document": {**budget["document"], "kind": "final_accounts"},
        "headcount": headcount,
        "totals": totals,
        "function_lines": lines,
        "economic_lines": economic,
        "projects": [],
        "procurement_lines": [],
        "performance_targets": [],
        "tables": [
            {
                "kind": k,
                "unit": "万元",
                "decimals": 2,
                "empty": k == "state_capital" or (k == "gov_fund" and not fund_lines),
            }
            for k in TABLE_KINDS
        ],
        "warnings": [],
        "extra": {
            "duties": bx.get("duties", ""),
            "divisions": list(bx.get("divisions", [])),
            "units": units,
            "budget": {
                "general_total": y(sum((D(ln["total"]) for ln in general if ln["level"] == 1), ZERO)),
                "lines": budgeted_lines,
                "three_public": {f: bt.get(f) for f in THREE_PUBLIC_FIELDS},
            },
            "fund_lines": fund_lines,
            "income_lines": [
                {"code": r["code"], "name": r["name"], "level": r["level"], "amount": r["total"]}
                for r in income_rows
            ],
            "appropriation": {
                "general_in": y(general_in),
                "fund_in": y(fund_in),
                "carryover_in_general": y(carry_in),
                "carryover_in_fund": y(ZERO),
                "carryover_out_general": y(carry_out_g),
                "carryover_out_fund": y(carry_out_f),
            },
            "prior_year": prior,
            "counts": {
                "trips": rng.randint(1, 3) if three["overseas_travel"] else 0,
                "travellers": rng.randint(2, 8) if three["overseas_travel"] else 0,
                "vehicles": int(bx.get("vehicles", 0) or 0),
                "vehicles_bought": 1 if three["vehicle_purchase"] else 0,
                "receptions": rng.randint(3, 40) if three["official_reception"] else 0,
                "guests": rng.randint(20, 300) if three["official_reception"] else 0,
                "equipment": rng.randint(0, 2),
                # 预算绩效: projects self-evaluated per level (一级 / 二级), evaluated by the department
                "self_level1": rng.randint(1, 6),
                "self_level2": rng.randint(0, 12),  # more than the 一级 (added below)
                "department_evaluated": rng.randint(0, 3),
            },
        },
    }
    # 十、国有资产占用 prints the vehicles and the equipment of 100 万元 and more each at the year's end
    counts = record["extra"]["counts"]
    counts["self_level2"] += counts["self_level1"]  # each 一级 project holds one 二级 project or more
    record["headcount"].update(vehicles=counts["vehicles"], large_equipment=counts["equipment"])
    # 十一、预算绩效 prints the projects self-evaluated per level (the central template) or, with
    # `performance:single`, in one count (the 二级 projects: 对 N 个项目开展了绩效自评), and those the
    # department evaluated
    if "template:district" in variations:
        # the district wording: 绩效自评的 YYYY 年度项目 N 个 (one count; no department evaluation stated)
        record["headcount"].update(self_evaluated_projects=counts["self_level2"])
        return record
    if "performance:single" in variations:
        record["headcount"].update(self_evaluated_projects=counts["self_level2"])
    else:
        record["headcount"].update(
            self_evaluated_level1_projects=counts["self_level1"],
            self_evaluated_level2_projects=counts["self_level2"],
        )
    record["headcount"].update(department_evaluated_projects=counts["department_evaluated"])
    return record


def merge_lines(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two sets of function lines as one (the 支出决算表 prints general-budget and fund lines
    together): a code in both adds up, lines in code order."""
    out: dict[str, dict[str, Any]] = {}
    for ln in a + b:
        cur = out.get(ln["code"])
        if cur is None:
            out[ln["code"]] = dict(ln)
            continue
        for f in ("total", "basic", "project"):
            if f in ln:
                cur[f] = y(D(cur[f]) + D(ln[f]))
    return [out[c] for c in sorted(out)]
