"""Exact budgets (yuan) of synthetic departments, before anything is printed.

A department is the sum of its budget units (本级 and subordinate units); every figure is a
multiple of the ledger's grain, so identities hold exactly in the ledger and, after printing,
to the printed rounding.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from budgetlens.function_codes import national_name
from corpus.catalog import DeptType

DEFAULT_GRAIN = Decimal(100)
WAN = Decimal(10_000)

# Shares of personnel cost that land on the social-security, medical and housing lines.
PENSION, ANNUITY, MEDICAL, HOUSING_FUND, HOUSING_SUBSIDY = (
    Decimal(x) for x in ("0.067", "0.032", "0.025", "0.10", "0.073")
)


def q(value: Decimal, grain: Decimal) -> Decimal:
    """Round to the ledger grain (half-up, never below one grain for a positive amount)."""
    n = (value / grain).to_integral_value()
    return n * grain


@dataclass
class Unit:
    """One budget unit's exact budget."""

    name: str
    kind: str  # "bureau" | "institution"
    admin_authorized: int = 0
    admin_actual: int = 0
    cs_authorized: int = 0
    cs_actual: int = 0
    inst_authorized: int = 0
    inst_actual: int = 0
    aux_authorized: int = 0
    veteran: int = 0
    retirees: int = 0
    personnel: Decimal = Decimal(0)
    operating: Decimal = Decimal(0)
    household: Decimal = Decimal(0)
    lines: dict[str, list[Decimal]] = field(default_factory=dict)  # 项 code -> [basic, project]
    fund_lines: dict[str, list[Decimal]] = field(default_factory=dict)
    projects: list[tuple[str, Decimal, str]] = field(default_factory=list)  # name, amount, 项 code
    fund: Decimal = Decimal(0)
    procurement: dict[str, Decimal] = field(default_factory=dict)  # A/B/C, sme, small_micro

    @property
    def staff(self) -> int:
        return self.admin_actual + self.cs_actual + self.inst_actual

    @property
    def basic(self) -> Decimal:
        return self.personnel + self.operating + self.household

    @property
    def project(self) -> Decimal:
        return sum((a for _, a, _ in self.projects), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.basic + self.project

    @property
    def general(self) -> Decimal:
        return self.total - self.fund

    def add_line(self, code: str, basic: Decimal, project: Decimal, fund: bool = False) -> None:
        target = self.fund_lines if fund else self.lines
        cur = target.setdefault(code, [Decimal(0), Decimal(0)])
        cur[0] += basic
        cur[1] += project


@dataclass
class ThreePublic:
    overseas: Decimal
    reception: Decimal
    purchase: Decimal
    operation: Decimal
    meeting: Decimal
    training: Decimal
    vehicles: int

    @property
    def vehicle(self) -> Decimal:
        return self.purchase + self.operation

    @property
    def total(self) -> Decimal:
        return self.overseas + self.reception + self.vehicle


@dataclass
class Ledger:
    """A department's exact budget for one year."""

    dtype: DeptType
    department: str
    units: list[Unit]
    three_public: ThreePublic
    agency: Decimal
    divisions: list[str]
    grain: Decimal

    def sum(self, attr: str) -> Decimal:
        return sum((getattr(u, attr) for u in self.units), Decimal(0))

    def lines(self, fund: bool = False) -> dict[str, list[Decimal]]:
        out: dict[str, list[Decimal]] = {}
        for u in self.units:
            for code, (b, p) in (u.fund_lines if fund else u.lines).items():
                cur = out.setdefault(code, [Decimal(0), Decimal(0)])
                cur[0] += b
                cur[1] += p
        return out

    def procurement(self, key: str) -> Decimal:
        return sum((u.procurement.get(key, Decimal(0)) for u in self.units), Decimal(0))


def hierarchy(leaves: dict[str, list[Decimal]]) -> list[tuple[str, str, Decimal, Decimal, Decimal]]:
    """(code, name, total, basic, project) for every 类/款/项 in code order, sums exact."""
    acc: dict[str, list[Decimal]] = {}
    for code, (b, p) in leaves.items():
        for key in (code[:3], code[:5], code):
            cur = acc.setdefault(key, [Decimal(0), Decimal(0)])
            cur[0] += b
            cur[1] += p
    return [
        (c, national_name(c), v[0] + v[1], v[0], v[1]) for c, v in sorted(acc.items()) if v[0] + v[1] != 0
    ]


def make_unit(
    rng: random.Random,
    dtype: DeptType,
    name: str,
    kind: str,
    staff: int,
    grain: Decimal,
    project_budget: Decimal,
    project_names: list[str],
) -> Unit:
    """One unit: staff, basic expenditure on its lines, projects on the type's project lines."""
    u = Unit(name=name, kind=kind)
    if kind == "bureau":
        u.admin_authorized = max(3, int(staff * rng.uniform(0.45, 0.6)))
        u.admin_actual = max(2, u.admin_authorized - rng.randint(0, 2))
        u.cs_authorized = max(0, staff - u.admin_authorized)
        u.cs_actual = max(0, u.cs_authorized - rng.randint(0, 2))
        u.aux_authorized = rng.randint(0, max(1, staff // 4))
    else:
        u.inst_authorized = staff
        u.inst_actual = max(1, staff - rng.randint(0, 3))
    u.veteran = 1 if rng.random() < 0.08 else 0
    u.retirees = rng.randint(0, max(2, staff // 4))
    per_staff = Decimal(rng.randint(280, 380)) * 1000  # yuan per person per year
    u.personnel = q(per_staff * u.staff, grain)
    u.operating = q(Decimal(rng.randint(45, 90)) * 1000 * u.staff, grain)
    u.household = q(Decimal(rng.randint(60, 90)) * 1000 * (u.retirees + u.veteran), grain)
    pension, annuity = q(u.personnel * PENSION, grain), q(u.personnel * ANNUITY, grain)
    medical, hfund = q(u.personnel * MEDICAL, grain), q(u.personnel * HOUSING_FUND, grain)
    hsub = q(u.personnel * HOUSING_SUBSIDY, grain)
    running = u.personnel - pension - annuity - medical - hfund - hsub + u.operating
    u.add_line(dtype.admin_line if kind == "bureau" else dtype.institution_line, running, Decimal(0))
    u.add_line("2080505", pension, Decimal(0))
    u.add_line("2080506", annuity, Decimal(0))
    u.add_line("2101101" if kind == "bureau" else "2101102", medical, Decimal(0))
    u.add_line("2210201", hfund, Decimal(0))
    u.add_line("2210203", hsub, Decimal(0))
    if u.household:
        u.add_line("2080501" if kind == "bureau" else "2080502", u.household, Decimal(0))
    # projects: shares of the project budget, each on one of the type's project lines
    weights = [rng.uniform(0.3, 3.0) for _ in project_names]
    total_w = sum(weights)
    for pname, wgt in zip(project_names, weights, strict=True):
        amount = max(grain, q(project_budget * Decimal(wgt / total_w), grain))
        code = rng.choice(dtype.project_lines)
        u.projects.append((pname, amount, code))
        u.add_line(code, Decimal(0), amount)
    # procurement: a share of projects, by kind
    proc = q(u.project * Decimal(rng.uniform(0.08, 0.35)), grain)
    goods = q(proc * Decimal(rng.uniform(0.0, 0.4)), grain)
    works = q(proc * Decimal(rng.choice([0, 0, 0.1, 0.25])), grain)
    services = proc - goods - works
    sme = q(proc * Decimal(rng.uniform(0.5, 1.0)), grain)
    u.procurement = {
        "A": goods,
        "B": works,
        "C": services,
        "sme": sme,
        "small_micro": q(sme * Decimal(rng.uniform(0.6, 1.0)), grain),
    }
    return u


def add_fund_project(rng: random.Random, u: Unit, code: str, grain: Decimal, name: str) -> None:
    """A government-fund (彩票公益金) project on a fund line."""
    amount = q(Decimal(rng.randint(80, 600)) * WAN, grain)
    u.projects.append((name, amount, code))
    u.add_line(code, Decimal(0), amount, fund=True)
    u.fund += amount


def make_three_public(rng: random.Random, staff: int) -> ThreePublic:
    vehicles = rng.choice([0, 1, 1, 2, 2, 3])
    g = DEFAULT_GRAIN
    return ThreePublic(
        overseas=Decimal(0),
        reception=q(Decimal(rng.choice([0, 0, rng.randint(5, 60)])) * 1000, g),
        purchase=q(Decimal(rng.randint(150, 260)) * 1000, g)
        if vehicles and rng.random() < 0.15
        else Decimal(0),
        operation=q(Decimal(rng.randint(15, 32)) * 1000 * vehicles, g),
        meeting=q(Decimal(rng.randint(10, 80)) * 1000, g),
        training=q(Decimal(rng.randint(10, 120)) * 1000, g),
        vehicles=vehicles,
    )


def scale(value: Decimal, factor: float, grain: Decimal) -> Decimal:
    return q(value * Decimal(str(round(factor, 4))), grain)


def next_year(rng: random.Random, prev: Ledger) -> Ledger:
    """The same department a year later: staff ±, costs drift, projects change a little."""
    units = []
    g = prev.grain
    for pu in prev.units:
        drift = rng.uniform(0.96, 1.08)
        u = Unit(
            name=pu.name,
            kind=pu.kind,
            admin_authorized=pu.admin_authorized,
            admin_actual=min(pu.admin_authorized, max(1, pu.admin_actual + rng.randint(-1, 1))),
            cs_authorized=pu.cs_authorized,
            cs_actual=min(pu.cs_authorized, max(0, pu.cs_actual + rng.randint(-1, 1))),
            inst_authorized=pu.inst_authorized,
            inst_actual=min(pu.inst_authorized, max(0, pu.inst_actual + rng.randint(-1, 1))),
            aux_authorized=pu.aux_authorized,
            veteran=pu.veteran,
            retirees=pu.retirees + rng.randint(0, 2),
        )
        u.personnel = scale(pu.personnel, drift * max(u.staff, 1) / max(pu.staff, 1), g)
        u.operating = scale(pu.operating, rng.uniform(0.92, 1.05), g)
        u.household = q(
            pu.household * Decimal(u.retirees + u.veteran) / Decimal(max(1, pu.retirees + pu.veteran)), g
        )
        pension, annuity = q(u.personnel * PENSION, g), q(u.personnel * ANNUITY, g)
        medical, hfund = q(u.personnel * MEDICAL, g), q(u.personnel * HOUSING_FUND, g)
        hsub = q(u.personnel * HOUSING_SUBSIDY, g)
        running = u.personnel - pension - annuity - medical - hfund - hsub + u.operating
        admin_code = next(
            c
            for c, (b, _) in pu.lines.items()
            if b and c.endswith(("01", "50", "99")) and c not in ("2080501", "2101101", "2210201")
        )
        u.add_line(admin_code, running, Decimal(0))
        u.add_line("2080505", pension, Decimal(0))
        u.add_line("2080506", annuity, Decimal(0))
        u.add_line("2101101" if u.kind == "bureau" else "2101102", medical, Decimal(0))
        u.add_line("2210201", hfund, Decimal(0))
        u.add_line("2210203", hsub, Decimal(0))
        if u.household:
            u.add_line("2080501" if u.kind == "bureau" else "2080502", u.household, Decimal(0))
        fund_codes = set(pu.fund_lines)
        for name, amount, code in pu.projects:
            if rng.random() < 0.08 and len(pu.projects) > 3:
                continue  # project finished
            new = max(g, scale(amount, rng.uniform(0.8, 1.2), g))
            u.projects.append((name, new, code))
            is_fund = code in fund_codes
            u.add_line(code, Decimal(0), new, fund=is_fund)
            if is_fund:
                u.fund += new
        f = rng.uniform(0.85, 1.15)
        u.procurement = {k: scale(v, f, g) for k, v in pu.procurement.items()}
        u.procurement["C"] = (
            sum((u.procurement[k] for k in "ABC"), Decimal(0)) - u.procurement["A"] - u.procurement["B"]
        )
        u.procurement["sme"] = min(
            u.procurement["sme"], u.procurement["A"] + u.procurement["B"] + u.procurement["C"]
        )
        u.procurement["small_micro"] = min(u.procurement["small_micro"], u.procurement["sme"])
        units.append(u)
    tp = prev.three_public
    three = ThreePublic(
        tp.overseas,
        scale(tp.reception, rng.uniform(0.8, 1.1), DEFAULT_GRAIN),
        Decimal(0) if tp.purchase else tp.purchase,
        scale(tp.operation, rng.uniform(0.9, 1.1), DEFAULT_GRAIN),
        scale(tp.meeting, rng.uniform(0.8, 1.2), DEFAULT_GRAIN),
        scale(tp.training, rng.uniform(0.8, 1.2), DEFAULT_GRAIN),
        tp.vehicles,
    )
    agency = units[0].operating
    return Ledger(prev.dtype, prev.department, units, three, agency, prev.divisions, g)


def prior_of(rng: random.Random, led: Ledger) -> dict[str, Decimal]:
    """Synthetic figures of the year before the first generated year (for prose comparisons)."""
    f = rng.uniform(0.9, 1.1)
    tp = led.three_public
    total = led.sum("total")
    return {
        "income_total": scale(total, f, led.grain),
        "expense_total": scale(total, f, led.grain),
        "three_public_total": scale(tp.total, 1.0, DEFAULT_GRAIN),
        "overseas_travel": tp.overseas,
        "official_reception": tp.reception,
        "vehicle_total": tp.vehicle,
        "vehicle_purchase": tp.purchase,
        "vehicle_operation": tp.operation,
        "agency_running_cost": scale(led.agency, rng.uniform(0.9, 1.1), led.grain),
        "meeting": tp.meeting,
        "training": tp.training,
    }
