"""Parse records and envelopes for warehouse tests: hand-written ones and ones built from corpus truth."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

from budgetlens.fields import HEADCOUNT_FIELDS, RECORD_SCHEMA, TOTALS_FIELDS

REPO = Path(__file__).resolve().parents[2]
SAMPLE_TRUTH = REPO / "sample" / "truth"


def sha(text: str) -> str:
    """A stand-in file sha256 derived from a label."""
    return hashlib.sha256(text.encode()).hexdigest()


def luohu_record(file_sha: str | None = None, **document) -> dict:
    """A parse record with the seed document's headline figures (2022 深圳市罗湖区科技创新局)."""
    file_sha = file_sha or sha("luohu-kjcxj-2022")
    totals = dict.fromkeys(TOTALS_FIELDS)
    totals.update(
        income_total="25790000.00",
        expense_total="25790000.00",
        fiscal_appropriation="25790000.00",
        general_budget_appropriation="25790000.00",
        basic_expense="9520000.00",
        project_expense="16270000.00",
        personnel_expense="8100000.00",
        operating_expense="870000.00",
        household_subsidy="550000.00",
        agency_running_cost="870000.00",
        three_public_total="26500.00",
        overseas_travel="0.00",
        official_reception="0.00",
        vehicle_total="26500.00",
        vehicle_purchase="0.00",
        vehicle_operation="26500.00",
        procurement_total="3000000.00",
        procurement_services="3000000.00",
    )
    headcount = dict.fromkeys(HEADCOUNT_FIELDS)
    headcount.update(
        admin_authorized=12,
        admin_actual=11,
        cs_managed_authorized=14,
        cs_managed_actual=12,
        institution_authorized=0,
        institution_actual=0,
        veteran_retirees=0,
        retirees=7,
        internal_divisions=5,
    )
    return {
        "schema": RECORD_SCHEMA,
        "parser_version": "0.1.0",
        "source": {
            "file": "2022年深圳市罗湖区科技创新局部门预算.pdf",
            "sha256": file_sha,
            "pages": [1, 18],
            "page_count": 18,
        },
        "document": {
            "jurisdiction": "深圳市罗湖区",
            "department": "深圳市罗湖区科技创新局",
            "fiscal_year": 2022,
            "kind": "budget",
            "scope": "department",
            "template": "shenzhen13",
            **document,
        },
        "headcount": headcount,
        "totals": totals,
        "function_lines": [
            {
                "code": "201",
                "name": "一般公共服务支出",
                "level": 1,
                "total": "600000.00",
                "basic": "0.00",
                "project": "600000.00",
            },
            {
                "code": "20113",
                "name": "商贸事务",
                "level": 2,
                "total": "600000.00",
                "basic": "0.00",
                "project": "600000.00",
            },
            {
                "code": "206",
                "name": "科学技术支出",
                "level": 1,
                "total": "22240000.00",
                "basic": "8970000.00",
                "project": "13270000.00",
            },
        ],
        "economic_lines": [{"code": "301", "name": "工资福利支出", "amount": "8100000.00"}],
        "projects": [
            {"name": "预算准备金", "amount": "480000.00"},
            {"name": "科技创新专项资金", "amount": "12700000.00", "prior_year_amount": None, "change": None},
        ],
        "procurement_lines": [{"category_code": "C", "category": "服务", "amount": "3000000.00"}],
        "performance_targets": [
            {
                "task": None,
                "indicator_level1": "产出",
                "indicator_level2": "数量",
                "indicator_level3": "国高企业认定数",
                "target": "102 家",
            }
        ],
        "tables": [
            {
                "kind": "summary",
                "title": "收支总表",
                "unit": "万元",
                "pages": [12, 13, 14],
                "header": [["收入", "", "支出", ""], ["项目", "2022 年预算数", "项目", "2022 年预算数"]],
                "rows": [
                    ["一、政府预算拨款", "2,579", "一、一般公共服务支出", "60"],
                    ["收入总计", "2,579", "支出总计", "2,579"],
                ],
                "boxes": [
                    [
                        [12, 50.0, 100.0, 150.0, 112.0],
                        [12, 160.0, 100.0, 200.0, 112.0],
                        [12, 210.0, 100.0, 300.0, 112.0],
                        [12, 310.0, 100.0, 350.0, 112.0],
                    ],
                    [
                        [14, 50.0, 600.0, 150.0, 612.0],
                        [14, 160.0, 600.0, 200.0, 612.0],
                        [14, 210.0, 600.0, 300.0, 612.0],
                        [14, 402.1, 610.3, 470.0, 622.8],
                    ],
                ],
            },
            {
                "kind": "three_public",
                "title": "“三公”经费支出表",
                "unit": "万元",
                "pages": [17],
                "header": [
                    ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "", ""],
                    ["", "", "", "小计", "购置费", "运行费"],
                ],
                "rows": [["2.65", "0", "-", "2.65", "—", "2.65"]],
            },
            {
                "kind": "gov_fund",
                "title": "政府性基金预算支出表",
                "unit": "万元",
                "pages": [17],
                "header": [],
                "rows": [],
                "empty": True,
            },
        ],
        "provenance": {
            "totals.expense_total": {"page": 14, "bbox": [402.1, 610.3, 470.0, 622.8], "source": "table"},
            "headcount.admin_actual": {"page": 3, "bbox": [72.0, 300.0, 500.0, 312.0], "source": "prose"},
            "function_lines[2].total": {"page": 16, "bbox": [300.0, 200.0, 340.0, 212.0], "source": "table"},
        },
        "warnings": [{"code": "sum_mismatch", "message": "表7 功能分类 201 60 ≠ Σ款 61", "page": 16}],
        "error": None,
    }


def error_record(file_sha: str, code: str = "truncated", message: str = "file ends before %%EOF") -> dict:
    """The record of a file that could not be read."""
    return {
        "schema": RECORD_SCHEMA,
        "parser_version": "0.1.0",
        "source": {"file": "broken.pdf", "sha256": file_sha, "pages": None, "page_count": None},
        "document": {
            "jurisdiction": None,
            "department": None,
            "fiscal_year": None,
            "kind": None,
            "scope": None,
        },
        "headcount": dict.fromkeys(HEADCOUNT_FIELDS),
        "totals": dict.fromkeys(TOTALS_FIELDS),
        "function_lines": [],
        "economic_lines": [],
        "projects": [],
        "procurement_lines": [],
        "performance_targets": [],
        "tables": [],
        "provenance": {},
        "warnings": [],
        "error": {"code": code, "message": message},
    }


def truth_files() -> list[Path]:
    """The committed corpus truth records (empty until the corpus lands)."""
    return sorted(SAMPLE_TRUTH.glob("*.json")) if SAMPLE_TRUTH.is_dir() else []


def truth_to_records(truth: dict) -> list[dict]:
    """Parse-record form of a truth file's records (what a perfect parser would give)."""
    file_sha = sha(truth["id"])
    error_code = truth.get("expect", {}).get("error_code")
    if error_code:
        rec = error_record(file_sha, error_code, f"corpus bad input {truth['id']}")
        rec["source"]["file"] = Path(truth["file"]).name
        return [rec]
    out = []
    for r in truth["records"]:
        rec = {
            "schema": RECORD_SCHEMA,
            "parser_version": "truth",
            "source": {
                "file": Path(truth["file"]).name,
                "sha256": file_sha,
                "pages": r.get("pages"),
                "page_count": None,
            },
            "document": {**r["document"], "template": truth.get("render", {}).get("template")},
            "headcount": r.get("headcount") or dict.fromkeys(HEADCOUNT_FIELDS),
            "totals": r.get("totals") or dict.fromkeys(TOTALS_FIELDS),
            "provenance": {},
            "warnings": list(r.get("warnings") or []),
            "error": None,
        }
        for part in (
            "function_lines",
            "economic_lines",
            "projects",
            "procurement_lines",
            "performance_targets",
        ):
            rec[part] = copy.deepcopy(r.get(part) or [])
        rec["tables"] = [
            {
                "kind": t["kind"],
                "title": "",
                "unit": t.get("unit"),
                "pages": [],
                "header": [],
                "rows": [],
                "empty": t.get("empty", False),
            }
            for t in r.get("tables") or []
        ]
        out.append(rec)
    return out


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
