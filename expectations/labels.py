"""Names a person finds in the document: "表7 一般公共预算支出表（按功能分类）", "正文", page numbers.

Failure messages must say where to look, so tables are named by their number in the template
family (the order is fixed nationally per family) and their printed title.
"""

from __future__ import annotations

from budgetlens.fields import FIELD_LABELS, TEMPLATE_TABLES

# Printed number of each kind in the families that number their tables by a fixed scheme.
_NUMBERS: dict[str, dict[str, str]] = {
    "shenzhen13": {k: f"表{i}" for i, k in enumerate(TEMPLATE_TABLES["shenzhen13"], 1)},
    "jiangsu12": {
        "summary": "公开01表",
        "income": "公开02表",
        "expense": "公开03表",
        "appropriation_summary": "公开04表",
        "basic_expense": "公开06表",
        "general_budget_by_function": "公开07表",
        "basic_by_economic": "公开08表",
        "three_public": "公开09表",
        "gov_fund": "公开10表",
        "procurement": "公开12表",
    },
}
KIND_NAMES: dict[str, str] = {
    "summary": "收支总表",
    "income": "收入总表",
    "expense": "支出总表",
    "basic_expense": "基本支出总表",
    "project_expense": "项目支出总表",
    "appropriation_summary": "政府预算拨款收支总表",
    "general_budget_by_function": "一般公共预算支出表（按功能分类）",
    "basic_by_economic": "基本支出经济分类表",
    "three_public": "“三公”经费支出表",
    "gov_fund": "政府性基金预算支出表",
    "state_capital": "国有资本经营预算支出表",
    "transfer_payment": "上级专项转移支付支出表",
    "procurement": "政府采购项目支出表",
    "performance": "部门整体支出绩效目标表",
}
PROSE = "prose"


def place_label(where: str | None, template: str | None, title: str | None = None) -> str:
    """A table kind as 表7 一般公共预算支出表（按功能分类）; 正文 for the prose."""
    if where is None:
        return "文档"
    if where == PROSE:
        return "正文"
    number = _NUMBERS.get(template or "", {}).get(where)
    name = title or KIND_NAMES.get(where, where)
    return f"{number} {name}" if number else name


def page_note(page: int | None, file_name: str | None = None) -> str:
    """The page as （第12页）, or nothing; with the file's name when the figure was printed in another
    file than the document's own (the text part of a split publication): （情况说明.pdf 第12页）."""
    if file_name:
        return f"（{file_name} 第{page}页）" if page else f"（{file_name}）"
    return f"（第{page}页）" if page else ""


def field_label(name: str) -> str:
    """A field as the documents name it: 支出总计（expense_total）."""
    return f"{FIELD_LABELS[name]}（{name}）" if name in FIELD_LABELS else name
