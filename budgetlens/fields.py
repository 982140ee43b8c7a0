"""The one English name for every budget concept (../shared/GLOSSARY.md), in one place.

Every output of budgetlens (parse JSON, truth files, DuckDB columns, exports) uses these names.
"""

from __future__ import annotations

RECORD_SCHEMA = "budgetlens.budget/1"
TRUTH_SCHEMA = "budgetlens.truth/1"

DOCUMENT_FIELDS: tuple[str, ...] = ("jurisdiction", "department", "fiscal_year", "kind", "scope")
KINDS: tuple[str, ...] = ("budget", "final_accounts")
SCOPES: tuple[str, ...] = ("department", "unit")

HEADCOUNT_FIELDS: tuple[str, ...] = (
    "admin_authorized",
    "admin_actual",
    "admin_auxiliary_authorized",
    "cs_managed_authorized",
    "cs_managed_actual",
    "institution_authorized",
    "institution_actual",
    "authorized_total",
    "actual_total",
    "veteran_retirees",
    "retirees",
    "retirees_total",
    "internal_divisions",
    "subordinate_units",
    # 国有资产占用: what the department holds at the date it states (a budget: the end of the year
    # before; final accounts: the year's end)
    "vehicles",
    "large_equipment",
    # final accounts (部门决算), 预算绩效情况: the projects the department evaluated, as the document
    # counts them: self-evaluated (绩效自评) in one count, or per level of project (一级 / 二级项目), and
    # evaluated by the department (部门评价 / 重点评价). Null in budgets, which plan evaluations.
    "self_evaluated_projects",
    "self_evaluated_level1_projects",
    "self_evaluated_level2_projects",
    "department_evaluated_projects",
)

TOTALS_FIELDS: tuple[str, ...] = (
    "income_total",
    "expense_total",
    "fiscal_appropriation",
    "general_budget_appropriation",
    "gov_fund_appropriation",
    "state_capital_appropriation",
    "basic_expense",
    "project_expense",
    "reserve_expense",
    "carryover_in",
    "carryover_out",
    "personnel_expense",
    "staff_and_household_cost",
    "operating_expense",
    "household_subsidy",
    "agency_running_cost",
    "three_public_total",
    "overseas_travel",
    "official_reception",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
    "procurement_total",
    "procurement_goods",
    "procurement_works",
    "procurement_services",
    "procurement_sme",
    "procurement_small_micro",
    # final accounts (部门决算): the summary's 结余分配, and the 预算数 columns of the 三公 决算 table
    # (the full-year budget after adjustments, printed beside the 决算数 the fields above hold)
    "surplus_distribution",
    "three_public_total_adjusted_budget",
    "overseas_travel_adjusted_budget",
    "official_reception_adjusted_budget",
    "vehicle_total_adjusted_budget",
    "vehicle_purchase_adjusted_budget",
    "vehicle_operation_adjusted_budget",
)

# How the documents name each figure (messages of the parser and of the quality suites).
FIELD_LABELS: dict[str, str] = {
    "income_total": "收入总计",
    "expense_total": "支出总计",
    "fiscal_appropriation": "财政拨款（政府预算拨款）",
    "general_budget_appropriation": "一般公共预算拨款",
    "gov_fund_appropriation": "政府性基金预算拨款",
    "state_capital_appropriation": "国有资本经营预算拨款",
    "basic_expense": "基本支出",
    "project_expense": "项目支出",
    "reserve_expense": "单位预留机动经费",
    "carryover_in": "上年结转",
    "carryover_out": "结转下年",
    "personnel_expense": "人员支出",
    "staff_and_household_cost": "人员经费",
    "operating_expense": "公用支出",
    "household_subsidy": "对个人和家庭的补助",
    "agency_running_cost": "机关运行经费",
    "three_public_total": "“三公”经费合计",
    "overseas_travel": "因公出国（境）费",
    "official_reception": "公务接待费",
    "vehicle_total": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "procurement_total": "政府采购预算",
    "procurement_goods": "政府采购货物",
    "procurement_works": "政府采购工程",
    "procurement_services": "政府采购服务",
    "procurement_sme": "面向中小企业采购",
    "procurement_small_micro": "面向小型、微型企业采购",
    "surplus_distribution": "结余分配",
    "three_public_total_adjusted_budget": "“三公”经费预算数",
    "overseas_travel_adjusted_budget": "因公出国（境）费预算数",
    "official_reception_adjusted_budget": "公务接待费预算数",
    "vehicle_total_adjusted_budget": "公务用车购置及运行费预算数",
    "vehicle_purchase_adjusted_budget": "公务用车购置费预算数",
    "vehicle_operation_adjusted_budget": "公务用车运行维护费预算数",
    "admin_authorized": "行政编制",
    "admin_actual": "行政实有人数",
    "admin_auxiliary_authorized": "行政附属编制",
    "cs_managed_authorized": "参公编制",
    "cs_managed_actual": "参公实有人数",
    "institution_authorized": "事业编制",
    "institution_actual": "事业实有人数",
    "authorized_total": "编制总数",
    "actual_total": "实有人数",
    "veteran_retirees": "离休人员",
    "retirees": "退休人员",
    "retirees_total": "离退休人员",
    "internal_divisions": "内设机构",
    "subordinate_units": "下属单位",
    "vehicles": "车辆",
    "large_equipment": "单价100万元以上设备",
    "self_evaluated_projects": "绩效自评项目",
    "self_evaluated_level1_projects": "绩效自评一级项目",
    "self_evaluated_level2_projects": "绩效自评二级项目",
    "department_evaluated_projects": "部门评价项目",
}

FUNCTION_LINE_FIELDS: tuple[str, ...] = ("code", "name", "level", "total", "basic", "project")
ECONOMIC_LINE_FIELDS: tuple[str, ...] = ("code", "name", "amount")
PROJECT_FIELDS: tuple[str, ...] = ("name", "amount")
PROCUREMENT_LINE_FIELDS: tuple[str, ...] = ("category_code", "category", "amount")
PERFORMANCE_TARGET_FIELDS: tuple[str, ...] = (
    "task",
    "indicator_level1",
    "indicator_level2",
    "indicator_level3",
    "target",
)

# Canonical table ids (tables[].kind). Found by title and header words, never by position.
TABLE_KINDS: tuple[str, ...] = (
    "summary",  # 收支总表 / 财务收支预算总表 / 收支预算总表
    "income",  # 收入总表 / 收入预算总表
    "expense",  # 支出总表 / 支出预算总表
    "basic_expense",  # 基本支出总表 / 财政拨款基本支出预算表
    "project_expense",  # 项目支出总表
    "appropriation_summary",  # 政府预算拨款收支总表 / 财政拨款收支预算总表
    "general_budget_by_function",  # 一般公共预算支出表（按功能分类）/ …功能分类预算表
    "basic_by_economic",  # 一般公共预算基本支出…经济分类预算表 / 基本支出预算表（经济科目）
    "three_public",  # "三公"经费支出表 / "三公"经费和机关运行经费预算表
    "gov_fund",  # 政府性基金预算支出表
    "state_capital",  # 国有资本经营预算支出表
    "transfer_payment",  # 上级专项转移支付支出表
    "procurement",  # 政府采购项目支出表 / 政府采购支出预算表
    "performance",  # 部门整体支出绩效目标表
)

# The standard tables of each template family, in their printed order (FIELD_NOTES.md). A table of
# the family without a canonical kind (Jiangsu 公开05表 by function, 公开11表 机关运行经费) is not listed.
TEMPLATE_TABLES: dict[str, tuple[str, ...]] = {
    "shenzhen13": (
        "summary",
        "income",
        "expense",
        "basic_expense",
        "project_expense",
        "appropriation_summary",
        "general_budget_by_function",
        "three_public",
        "gov_fund",
        "state_capital",
        "transfer_payment",
        "procurement",
        "performance",
    ),
    "shanghai9": (
        "summary",
        "income",
        "expense",
        "appropriation_summary",
        "general_budget_by_function",
        "gov_fund",
        "state_capital",
        "basic_by_economic",
        "three_public",
    ),
    "jiangsu12": (  # 公开01表 … 公开12表
        "summary",
        "income",
        "expense",
        "appropriation_summary",
        "basic_expense",  # 公开06表 财政拨款基本支出预算表（经济科目）
        "general_budget_by_function",
        "basic_by_economic",
        "three_public",
        "gov_fund",
        "procurement",
    ),
}

ERROR_CODES: tuple[str, ...] = (
    "not_found",
    "unreadable",
    "not_pdf",
    "truncated",
    "encrypted",
    "no_text",
    "timeout",
    "too_large",
    "internal",
)

# Document statuses in the warehouse.
STATUSES: tuple[str, ...] = ("published", "quarantined", "failed")

# Parser warnings that mean "figures left out": the parser's own reading failed the table's
# identities (unreadable_figures) or the prose stated a figure several ways (ambiguous_prose).
# The quality stage flags them (expectation parser_readings_hold); the figures are null.
WITHHOLDING_WARNINGS: tuple[str, ...] = ("unreadable_figures", "ambiguous_prose")
