"""Synthetic departments: exact ledgers → truth records (figures as printed, in yuan).

Everything is drawn from `random.Random(seed)`; the same seed gives byte-identical truth.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from budgetlens.fields import TEMPLATE_TABLES
from budgetlens.identities import THREE_PUBLIC_FIELDS
from corpus.catalog import (
    PROCUREMENT_NAMES,
    PROCUREMENT_SUBS,
    SHANGHAI_NAMES,
    STREETS,
    TYPES,
    DeptType,
)
from corpus.ledger import (
    DEFAULT_GRAIN,
    WAN,
    Ledger,
    Unit,
    add_fund_project,
    hierarchy,
    make_three_public,
    make_unit,
    q,
)
from corpus.numbers import percent_change, printed_yuan
from corpus.truth import empty_headcount, empty_totals, function_line, y

SHENZHEN_KINDS = TEMPLATE_TABLES["shenzhen13"]
SHANGHAI_KINDS = TEMPLATE_TABLES["shanghai9"]
UNIT_SCHEMES: dict[str, tuple[tuple[str, int], tuple[str, int]]] = {
    # scheme -> ((unit, decimals) of tables, (unit, decimals) of the 三公 table)
    "万元": (("万元", 0), ("万元", 2)),
    "万元2": (("万元", 2), ("万元", 2)),
    "元": (("元", 2), ("元", 2)),
    "mixed": (("元", 2), ("万元", 2)),
}
PROSE = ("万元", 2)  # prose prints 万元 with up to two decimals


def department_name(jurisdiction: str, district: str, dtype: DeptType, shanghai: bool = False) -> str:
    if dtype.key == "街道":
        return f"{jurisdiction}{STREETS.get(district, '中心')}街道办事处"
    if shanghai:
        return jurisdiction + SHANGHAI_NAMES.get(dtype.key, dtype.name)
    return jurisdiction + dtype.official(district)


def make_ledger(
    rng: random.Random,
    district: str,
    jurisdiction: str,
    dtype: DeptType,
    grain: Decimal,
    with_units: bool,
    shanghai: bool = False,
    with_fund: bool = False,
    shape: tuple[int, int, list[str]] | None = None,
) -> Ledger:
    """A department's first-year ledger; `shape` = (staff, project budget in 万元, project names) when fixed."""
    dept = department_name(jurisdiction, district, dtype, shanghai)
    staff = rng.randint(*dtype.staff)
    budget = Decimal(rng.randint(*dtype.project_wan)) * WAN
    names = rng.sample(list(dtype.projects), k=min(len(dtype.projects), rng.randint(4, 7)))
    if shape is not None:
        staff, budget, names = shape[0], Decimal(shape[1]) * WAN, list(shape[2])
    subs = list(dtype.units[: rng.randint(1, len(dtype.units))]) if with_units and dtype.units else []
    units: list[Unit] = []
    if subs:
        bureau_share = Decimal("0.7")
        units.append(
            make_unit(
                rng,
                dtype,
                dept + "本级",
                "bureau",
                max(6, int(staff * 0.6)),
                grain,
                budget * bureau_share,
                names[: max(2, len(names) - len(subs))],
            )
        )
        rest = names[max(2, len(names) - len(subs)) :] or [names[-1] + "（二期）"]
        for i, suffix in enumerate(subs):
            unit_names = [rest[i % len(rest)]] if i < len(rest) else [f"{suffix}业务运行"]
            units.append(
                make_unit(
                    rng,
                    dtype,
                    jurisdiction + suffix,
                    "institution",
                    max(4, int(staff * 0.4 / len(subs))),
                    grain,
                    budget * (1 - bureau_share) / len(subs),
                    unit_names,
                )
            )
    else:
        units.append(make_unit(rng, dtype, dept, "bureau", staff, grain, budget, names))
    if with_fund and dtype.fund_line:
        add_fund_project(rng, units[0], dtype.fund_line, grain, "彩票公益金项目")
    divs = ["办公室", *rng.sample(list(dtype.divisions), k=min(len(dtype.divisions), rng.randint(2, 5)))]
    three = make_three_public(rng, units[0].staff)
    agency = units[0].operating
    return Ledger(dtype, dept, units, three, agency, divs, grain)


# -- printing --------------------------------------------------------------------------------
class Printer:
    """Figures as a document of one unit scheme prints them, in yuan strings."""

    def __init__(self, scheme: str):
        (self.unit, self.dec), (self.tp_unit, self.tp_dec) = UNIT_SCHEMES[scheme]

    def t(self, v: Decimal) -> str:
        """At a table's place."""
        return y(printed_yuan(v, self.unit, self.dec))  # type: ignore[return-value]

    def tp(self, v: Decimal) -> str:
        """At the 三公 table."""
        return y(printed_yuan(v, self.tp_unit, self.tp_dec))  # type: ignore[return-value]

    def prose(self, v: Decimal) -> str:
        return y(printed_yuan(v, *PROSE))  # type: ignore[return-value]

    def tables(self, kinds: tuple[str, ...], empty: set[str]) -> list[dict[str, Any]]:
        out = []
        for k in kinds:
            unit, dec = (self.tp_unit, self.tp_dec) if k == "three_public" else (self.unit, self.dec)
            out.append({"kind": k, "unit": unit, "decimals": dec, "empty": k in empty})
        return out


def headcount_of(led: Ledger, style: str) -> dict[str, int | None]:
    """The headcount fields a document states in a phrasing style (the rest null)."""
    h = empty_headcount()
    us = led.units
    s = {
        k: sum(getattr(u, k) for u in us)
        for k in (
            "admin_authorized",
            "admin_actual",
            "cs_authorized",
            "cs_actual",
            "inst_authorized",
            "inst_actual",
            "aux_authorized",
            "veteran",
            "retirees",
        )
    }
    if style == "full":
        h.update(
            admin_authorized=s["admin_authorized"],
            admin_actual=s["admin_actual"],
            cs_managed_authorized=s["cs_authorized"],
            cs_managed_actual=s["cs_actual"],
            institution_authorized=s["inst_authorized"],
            institution_actual=s["inst_actual"],
            veteran_retirees=s["veteran"],
            retirees=s["retirees"],
            retirees_total=s["veteran"] + s["retirees"],
        )
    elif style == "establishment":
        h.update(
            authorized_total=s["admin_authorized"]
            + s["aux_authorized"]
            + s["cs_authorized"]
            + s["inst_authorized"],
            admin_authorized=s["admin_authorized"],
            admin_auxiliary_authorized=s["aux_authorized"],
            institution_authorized=s["inst_authorized"],
            actual_total=s["admin_actual"] + s["cs_actual"] + s["inst_actual"],
            retirees_total=s["veteran"] + s["retirees"],
        )
    elif style == "staff_only":
        h.update(actual_total=s["admin_actual"] + s["cs_actual"] + s["inst_actual"], retirees=s["retirees"])
    h["internal_divisions"] = len(led.divisions)
    h["subordinate_units"] = len(led.units) - 1
    return h


def _lines(rows: list[tuple[str, str, Decimal, Decimal, Decimal]], p: Printer) -> list[dict[str, Any]]:
    return [function_line(c, n, p.t(t), p.t(b), p.t(pr)) for c, n, t, b, pr in rows]


def targets_for(
    rng: random.Random, led: Ledger, projects: list[tuple[str, Decimal, str]]
) -> list[dict[str, Any]]:
    first = projects[0][0] if projects else "重点工作"
    rows = [
        ("产出", "数量", f"{first}开展次数", f"≥{rng.randint(2, 12)} 次"),
        ("产出", "质量", "重点任务完成率", "100%"),
        ("产出", "时效", "按期完成率", f"≥{rng.choice([90, 95])}%"),
        ("产出", "成本", "预算执行率", f"≥{rng.choice([85, 90, 95])}%"),
        ("效益", "社会效益", "服务对象覆盖面", "有所提升"),
        ("满意度", "服务对象满意度", "服务对象满意度", f"≥{rng.choice([85, 90, 95])}%"),
    ]
    return [
        {"task": None, "indicator_level1": a, "indicator_level2": b, "indicator_level3": c, "target": d}
        for a, b, c, d in rows
    ]


def record_from_ledger(
    rng: random.Random,
    led: Ledger,
    year: int,
    jurisdiction: str,
    scheme: str,
    headcount_style: str,
    prior: dict[str, Any],
    template: str = "shenzhen13",
    meeting_training: bool = False,
) -> dict[str, Any]:
    """The truth record of a ledger as printed by a document of `scheme` units."""
    p = Printer(scheme)
    shanghai = template == "shanghai9"
    tp = led.three_public
    total, basic, project = led.sum("total"), led.sum("basic"), led.sum("project")
    fund = led.sum("fund")
    general = total - fund
    totals = empty_totals()
    totals.update(
        income_total=p.t(total),
        expense_total=p.t(total),
        fiscal_appropriation=p.t(total),
        general_budget_appropriation=p.t(general),
        gov_fund_appropriation=p.t(fund),
        state_capital_appropriation=p.t(Decimal(0)),
        basic_expense=p.t(basic),
        project_expense=p.t(project),
        personnel_expense=p.t(led.sum("personnel")),
        operating_expense=p.t(led.sum("operating")),
        household_subsidy=p.t(led.sum("household")),
        three_public_total=p.tp(tp.total),
        overseas_travel=p.tp(tp.overseas),
        official_reception=p.tp(tp.reception),
        vehicle_total=p.tp(tp.vehicle),
        vehicle_purchase=p.tp(tp.purchase),
        vehicle_operation=p.tp(tp.operation),
    )
    proc = {k: led.procurement(k) for k in ("A", "B", "C", "sme", "small_micro")}
    proc_total = proc["A"] + proc["B"] + proc["C"]
    totals.update(
        procurement_goods=p.prose(proc["A"]),
        procurement_works=p.prose(proc["B"]),
        procurement_services=p.prose(proc["C"]),
    )
    if shanghai:
        if not led.sum("household"):
            totals["household_subsidy"] = None  # the economic table prints no 303 row: not stated
        totals.update(
            staff_and_household_cost=p.t(led.sum("personnel") + led.sum("household")),
            agency_running_cost=p.tp(led.agency),
            procurement_total=p.prose(proc_total),
        )
    else:
        totals.update(
            carryover_in=p.t(Decimal(0)),
            carryover_out=p.t(Decimal(0)),
            agency_running_cost=p.prose(led.agency),
            procurement_total=p.t(proc_total),
            procurement_sme=p.t(proc["sme"]),
            procurement_small_micro=p.t(proc["small_micro"]),
        )
    lines = hierarchy(led.lines())
    fund_rows = hierarchy(led.lines(fund=True))
    projects = [pr for u in led.units for pr in u.projects]
    econ = [
        ("301", "工资福利支出", led.sum("personnel")),
        ("302", "商品和服务支出", led.sum("operating")),
        ("303", "对个人和家庭的补助", led.sum("household")),
    ]
    proc_lines = []
    if not shanghai:
        for cat in "ABC":
            if proc[cat]:
                proc_lines.append(
                    {"category_code": cat, "category": PROCUREMENT_NAMES[cat], "amount": p.t(proc[cat])}
                )
                sub_code, sub_name = PROCUREMENT_SUBS[cat]
                proc_lines.append({"category_code": sub_code, "category": sub_name, "amount": p.t(proc[cat])})
    empty = {"state_capital", "transfer_payment"} | (set() if fund_rows else {"gov_fund"})
    if not proc_total:
        empty.add("procurement")
    kinds = SHANGHAI_KINDS if shanghai else SHENZHEN_KINDS
    record: dict[str, Any] = {
        "pages": None,
        "department_type": led.dtype.key,
        "document": {
            "jurisdiction": jurisdiction,
            "department": led.department,
            "fiscal_year": year,
            "kind": "budget",
            "scope": "department",
        },
        "headcount": headcount_of(led, "none" if shanghai else headcount_style)
        # the Shenzhen prose's 国有资产占用 states the vehicles (its 100 万元 count is of 专用设备 only)
        | ({} if shanghai else {"vehicles": tp.vehicles}),
        "totals": totals,
        "function_lines": _lines(lines, p),
        "economic_lines": [{"code": c, "name": n, "amount": p.t(v)} for c, n, v in econ if v or c != "303"],
        "projects": [{"name": n, "amount": p.t(a)} for n, a, _ in projects],
        "procurement_lines": proc_lines,
        "performance_targets": [] if shanghai else targets_for(rng, led, projects),
        "tables": p.tables(kinds, empty),
        "warnings": [],
        "extra": extra_of(rng, led, year, p, prior, projects, fund_rows, meeting_training),
    }
    return record


def extra_of(
    rng: random.Random,
    led: Ledger,
    year: int,
    p: Printer,
    prior: dict[str, Any],
    projects: list[tuple[str, Decimal, str]],
    fund_rows: list,
    meeting_training: bool,
) -> dict[str, Any]:
    """Printed material that is not a checked field: prose, unit rows, prior-year figures."""
    d = led.dtype
    total = led.sum("total")
    prior_projects = prior.get("projects", {})
    proj_prose = []
    for name, amount, _ in projects:
        old = prior_projects.get(name)
        if old is None and prior.get("synthetic_projects", True) and rng.random() < 0.85:
            old = q(amount * Decimal(str(round(rng.uniform(0.8, 1.2), 3))), led.grain)
        entry: dict[str, Any] = {"name": name, "content": f"{name}相关工作经费，保障年度重点任务顺利实施。"}
        if old is None:
            entry.update(change=None, change_pct=None, reason="")
        else:
            change = printed_yuan(amount, *PROSE) - printed_yuan(old, *PROSE)
            entry.update(
                change=y(change),
                change_pct=percent_change(amount, old),
                reason="主要原因是根据年度工作任务据实安排。"
                if change >= 0
                else "主要原因是厉行勤俭节约，压减一般性支出。",
            )
        proj_prose.append(entry)
    units = []
    if len(led.units) > 1:
        for u in led.units:
            units.append(
                {
                    "name": u.name,
                    "income_total": p.t(u.total),
                    "fiscal_appropriation": p.t(u.total),
                    "general_budget_appropriation": p.t(u.general),
                    "gov_fund_appropriation": p.t(u.fund),
                    "state_capital_appropriation": p.t(Decimal(0)),
                    "carryover_in": p.t(Decimal(0)),
                    "expense_total": p.t(u.total),
                    "basic_expense": p.t(u.basic),
                    "project_expense": p.t(u.project),
                    "procurement_total": p.t(sum((u.procurement[k] for k in "ABC"), Decimal(0))),
                    "procurement_sme": p.t(u.procurement["sme"]),
                    "procurement_small_micro": p.t(u.procurement["small_micro"]),
                }
            )
    top = sorted(projects, key=lambda pr: -pr[1])[:2]
    rest = total - sum((a for _, a, _ in top), Decimal(0))
    tasks = [
        {
            "name": n,
            "content": f"{n}：按计划推进年度重点任务。",
            "total": p.t(a),
            "fiscal": p.t(a),
            "other": p.t(Decimal(0)),
        }
        for n, a, _ in top
    ]
    tasks.append(
        {
            "name": "日常运转",
            "content": "保障机关正常运转及其他工作。",
            "total": p.t(rest),
            "fiscal": p.t(rest),
            "other": p.t(Decimal(0)),
        }
    )
    tp = led.three_public
    py = {
        k: y(v) if isinstance(v, Decimal) else v
        for k, v in prior.items()
        if k not in ("projects", "synthetic_projects")
    }
    py["three_public_extra"] = {"meeting": py.pop("meeting", None), "training": py.pop("training", None)}
    return {
        "duties": led.department + d.duties,
        "divisions": led.divisions,
        "goals": list(d.goals),
        "units": units,
        "fund_lines": _lines(fund_rows, p),
        "prior_year": py,
        "change_reason": "根据年度工作任务和厉行节约要求据实安排。",
        "agency_reason": "主要是根据实有人数和定额标准据实安排。",
        "three_public_use": f"主要是用于 {tp.vehicles} 辆公务用车运行维护和公务接待等方面的支出",
        "vehicles": tp.vehicles,
        "projects": proj_prose,
        "key_projects": [
            {
                "name": n,
                "goal": [
                    f"{n}：完成年度目标任务。",
                    "数量指标方面：按计划完成。",
                    "满意度指标方面：服务对象满意度≥90%。",
                ],
            }
            for n, _, _ in top
        ],
        "performance": {
            "manager": led.department,
            "tasks": tasks,
            "overall_goal": [
                f"1.围绕{d.key}领域重点工作，保障各项任务按期完成。",
                "2.加强预算绩效管理，提高资金使用效益。",
            ],
        },
        "assets": {
            "as_of": f"{year - 1} 年 10 月",
            "vehicles": tp.vehicles,
            "general_equipment": rng.randint(0, 3),
            "special_equipment": rng.randint(0, 2),
            "new_vehicles": 0,
            "new_general_equipment": 0,
            "new_special_equipment": 0,
        },
        "three_public_extra": {"meeting": p.tp(tp.meeting), "training": p.tp(tp.training)}
        if meeting_training
        else {},
        "other_income": {},
    }


def prior_from_ledger(led: Ledger | None, year: int, p: Printer, record: dict[str, Any]) -> dict[str, Any]:
    """Prior-year figures for the next year's prose, taken from this year's printed truth and its
    ledger (`led` None: the seed document, which has none: its projects as printed, no 会议费 / 培训费)."""
    t = record["totals"]
    out: dict[str, Any] = {"year": year}
    for k in ("income_total", "expense_total", *THREE_PUBLIC_FIELDS, "agency_running_cost"):
        out[k] = Decimal(t[k]) if t[k] is not None else Decimal(0)
    if led is None:
        out["meeting"] = out["training"] = Decimal(0)
        out["projects"] = {pr["name"]: Decimal(pr["amount"]) for pr in record["projects"]}
    else:
        out["meeting"], out["training"] = led.three_public.meeting, led.three_public.training
        out["projects"] = {n: a for u in led.units for n, a, _ in u.projects}
    out["synthetic_projects"] = False
    return out


__all__ = ["DEFAULT_GRAIN", "TYPES", "make_ledger", "record_from_ledger", "prior_from_ledger", "Printer"]
