"""What the report shows of each comparison: columns, labels, value formats and the source figure.

Every shown figure links to the page of the source PDF it was read from. A derived metric
(per-staff cost, share, change) links to the page of the figure it is built on (`fields`: the
first one the provenance holds).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Value kinds: how a value is printed.
AMOUNT = "amount"  # Decimal yuan
COUNT = "count"  # integer (people)
RATIO = "ratio"  # double, printed as a percentage
CHANGE = "change"  # double, printed as a signed percentage

STAFF_FIELDS: tuple[str, ...] = (
    "headcount.actual_total",
    "headcount.admin_actual",
    "headcount.cs_managed_actual",
    "headcount.institution_actual",
)
AUTHORIZED_FIELDS: tuple[str, ...] = (
    "headcount.authorized_total",
    "headcount.admin_authorized",
    "headcount.cs_managed_authorized",
    "headcount.institution_authorized",
)


@dataclass(frozen=True)
class Column:
    """One figure column: the model column, its label, how to print it, where it was read."""

    name: str
    label: str
    kind: str
    fields: tuple[str, ...] = ()  # provenance paths, first found wins
    doc: str = "doc_id"  # the row column naming the document that prints it (a 决算: final_doc_id)


def _t(name: str) -> tuple[str, ...]:
    return (f"totals.{name}",)


COLUMNS: dict[str, Column] = {
    c.name: c
    for c in (
        Column("authorized_count", "Establishment 编制", COUNT, AUTHORIZED_FIELDS),
        Column("staff_count", "Staff 实有人数", COUNT, STAFF_FIELDS),
        Column("vacancy_rate", "Vacancy rate 空编率", RATIO, STAFF_FIELDS),
        Column(
            "retirees_total", "Retirees 离退休", COUNT, ("headcount.retirees_total", "headcount.retirees")
        ),
        Column(
            "retiree_ratio", "Retirees per staff", RATIO, ("headcount.retirees_total", "headcount.retirees")
        ),
        Column("expense_total", "Expenditure 支出总计", AMOUNT, _t("expense_total")),
        Column("expense_per_staff", "Expenditure per staff", AMOUNT, _t("expense_total")),
        Column("basic_expense", "Basic 基本支出", AMOUNT, _t("basic_expense")),
        Column("project_expense", "Project 项目支出", AMOUNT, _t("project_expense")),
        Column("basic_share", "Basic share", RATIO, _t("basic_expense")),
        Column("project_share", "Project share", RATIO, _t("project_expense")),
        Column("agency_running_cost", "Agency running cost 机关运行经费", AMOUNT, _t("agency_running_cost")),
        Column("agency_running_cost_per_staff", "Running cost per staff", AMOUNT, _t("agency_running_cost")),
        Column("agency_running_cost_yoy", "Running cost vs prior year", CHANGE, _t("agency_running_cost")),
        Column(
            "agency_running_cost_per_staff_yoy",
            "Running cost per staff vs prior year",
            CHANGE,
            _t("agency_running_cost"),
        ),
        Column("operating_expense", "Operating 公用支出", AMOUNT, _t("operating_expense")),
        Column("operating_expense_per_staff", "Operating per staff", AMOUNT, _t("operating_expense")),
        Column("operating_expense_yoy", "Operating vs prior year", CHANGE, _t("operating_expense")),
        Column("personnel_expense", "Personnel 人员支出", AMOUNT, _t("personnel_expense")),
        Column("personnel_expense_per_staff", "Personnel per staff", AMOUNT, _t("personnel_expense")),
        Column("personnel_expense_yoy", "Personnel vs prior year", CHANGE, _t("personnel_expense")),
        Column(
            "household_subsidy", "Household subsidies 对个人和家庭的补助", AMOUNT, _t("household_subsidy")
        ),
        Column(
            "household_subsidy_per_staff", "Household subsidies per staff", AMOUNT, _t("household_subsidy")
        ),
        Column("three_public_total", "三公经费", AMOUNT, _t("three_public_total")),
        Column("three_public_total_per_staff", "三公经费 per staff", AMOUNT, _t("three_public_total")),
        Column("three_public_total_yoy", "三公经费 vs prior year", CHANGE, _t("three_public_total")),
        Column("overseas_travel", "Overseas travel 因公出国（境）费", AMOUNT, _t("overseas_travel")),
        Column("official_reception", "Official reception 公务接待费", AMOUNT, _t("official_reception")),
        Column("vehicle_total", "Vehicles 公务用车购置及运行费", AMOUNT, _t("vehicle_total")),
        Column("vehicle_purchase", "Vehicle purchase 购置费", AMOUNT, _t("vehicle_purchase")),
        Column("vehicle_operation", "Vehicle operation 运行费", AMOUNT, _t("vehicle_operation")),
        Column("expense_total_yoy", "Expenditure vs prior year", CHANGE, _t("expense_total")),
        Column("procurement_total", "Procurement 政府采购", AMOUNT, _t("procurement_total")),
        Column("procurement_share", "Procurement share", RATIO, _t("procurement_total")),
        Column("goods_share", "Goods 货物", RATIO, _t("procurement_goods")),
        Column("works_share", "Works 工程", RATIO, _t("procurement_works")),
        Column("services_share", "Services 服务", RATIO, _t("procurement_services")),
        Column("procurement_sme", "For SMEs 面向中小企业", AMOUNT, _t("procurement_sme")),
        Column("sme_share", "SME share", RATIO, _t("procurement_sme")),
        Column("expense_budgeted", "Budgeted 预算 (basic + project)", AMOUNT, _t("basic_expense")),
        Column("expense_spent", "Spent 决算 (basic + project)", AMOUNT, _t("basic_expense"), "final_doc_id"),
        Column("expense_rate", "Execution rate", RATIO, _t("basic_expense"), "final_doc_id"),
        Column("expense_difference", "Spent − budgeted", AMOUNT, _t("basic_expense"), "final_doc_id"),
        Column("three_public_total_budgeted", "三公 budgeted", AMOUNT, _t("three_public_total")),
        Column("three_public_total_spent", "三公 spent", AMOUNT, _t("three_public_total"), "final_doc_id"),
        Column(
            "three_public_total_rate", "三公 execution rate", RATIO, _t("three_public_total"), "final_doc_id"
        ),
        Column("agency_running_cost_budgeted", "Running cost budgeted", AMOUNT, _t("agency_running_cost")),
        Column(
            "agency_running_cost_spent",
            "Running cost spent",
            AMOUNT,
            _t("agency_running_cost"),
            "final_doc_id",
        ),
        Column(
            "agency_running_cost_rate",
            "Running cost execution rate",
            RATIO,
            _t("agency_running_cost"),
            "final_doc_id",
        ),
        Column(
            "procurement_total_rate",
            "Procurement execution rate",
            RATIO,
            _t("procurement_total"),
            "final_doc_id",
        ),
    )
}

# The columns each comparison page shows (the exports carry every column).
PAGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "headcount": (
        "authorized_count",
        "staff_count",
        "vacancy_rate",
        "retirees_total",
        "retiree_ratio",
        "expense_total",
        "expense_per_staff",
    ),
    "operating_costs": (
        "staff_count",
        "agency_running_cost",
        "agency_running_cost_per_staff",
        "operating_expense_per_staff",
        "personnel_expense_per_staff",
        "household_subsidy_per_staff",
        "three_public_total",
        "three_public_total_per_staff",
        "basic_share",
        "project_share",
        "agency_running_cost_yoy",
        "three_public_total_yoy",
    ),
    "procurement": (
        "expense_total",
        "procurement_total",
        "procurement_share",
        "goods_share",
        "works_share",
        "services_share",
        "sme_share",
    ),
    "execution": (
        "expense_budgeted",
        "expense_spent",
        "expense_rate",
        "expense_difference",
        "three_public_total_budgeted",
        "three_public_total_spent",
        "three_public_total_rate",
        "agency_running_cost_budgeted",
        "agency_running_cost_spent",
        "agency_running_cost_rate",
        "procurement_total_rate",
    ),
}

# The rows of a department page's figures table, by comparison (each model column once).
DEPARTMENT_FIGURES: tuple[tuple[str, str], ...] = (
    ("headcount", "authorized_count"),
    ("headcount", "staff_count"),
    ("headcount", "vacancy_rate"),
    ("headcount", "retirees_total"),
    ("headcount", "retiree_ratio"),
    ("headcount", "expense_total"),
    ("headcount", "expense_per_staff"),
    ("operating_costs", "basic_share"),
    ("operating_costs", "project_share"),
    ("operating_costs", "agency_running_cost"),
    ("operating_costs", "agency_running_cost_per_staff"),
    ("operating_costs", "operating_expense"),
    ("operating_costs", "operating_expense_per_staff"),
    ("operating_costs", "personnel_expense"),
    ("operating_costs", "personnel_expense_per_staff"),
    ("operating_costs", "household_subsidy"),
    ("operating_costs", "three_public_total"),
    ("operating_costs", "overseas_travel"),
    ("operating_costs", "official_reception"),
    ("operating_costs", "vehicle_total"),
    ("operating_costs", "three_public_total_per_staff"),
    ("operating_costs", "expense_total_yoy"),
    ("operating_costs", "agency_running_cost_yoy"),
    ("operating_costs", "three_public_total_yoy"),
    ("procurement", "procurement_total"),
    ("procurement", "procurement_share"),
    ("procurement", "sme_share"),
)


def format_value(kind: str, value: object) -> str:
    """A value as the report prints it: amounts "37,826.09", counts "23", ratios "11.6 %", changes "+4.2 %"."""
    if value is None:
        return "—"
    if kind == AMOUNT:
        return f"{Decimal(value):,.2f}" if not isinstance(value, float) else f"{value:,.2f}"
    if kind == COUNT:
        return f"{int(value):,}"
    if kind == RATIO:
        return f"{float(value) * 100:.1f} %"
    if kind == CHANGE:
        return f"{float(value) * 100:+.1f} %"
    raise ValueError(f"unknown value kind {kind!r}")


def sort_value(value: object) -> str:
    """The exact value a table sorts on (`data-v`): '' for null."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return repr(value) if isinstance(value, float) else str(value)


def metric_label(name: str) -> str:
    """The label of a model column (the column name itself when the report does not show it)."""
    col = COLUMNS.get(name)
    return col.label if col else name
