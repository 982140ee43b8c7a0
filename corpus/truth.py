"""Truth records (`budgetlens.truth/1`): building blocks shared by the seed and the generator."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from budgetlens.amounts import format_yuan
from budgetlens.fields import HEADCOUNT_FIELDS, TOTALS_FIELDS, TRUTH_SCHEMA

WAN = Decimal(10_000)


def wan(value: str | int | Decimal) -> str:
    """A figure given in 万元 as the truth's yuan string: wan("2.65") == "26500.00"."""
    return format_yuan(Decimal(str(value)) * WAN)  # type: ignore[return-value]


def y(value: Decimal | int | str | None) -> str | None:
    """Yuan (Decimal/int/str) as the truth's string form; None stays None."""
    return None if value is None else format_yuan(Decimal(str(value)))


def empty_headcount() -> dict[str, int | None]:
    return {f: None for f in HEADCOUNT_FIELDS}


def empty_totals() -> dict[str, str | None]:
    return {f: None for f in TOTALS_FIELDS}


def function_line(code: str, name: str, total: str | None, basic: str | None, project: str | None) -> dict:
    """A function line; level follows the code length (3/5/7 digits → 1/2/3)."""
    level = {3: 1, 5: 2, 7: 3}[len(code)]
    return {"code": code, "name": name, "level": level, "total": total, "basic": basic, "project": project}


def dumps(truth: dict[str, Any]) -> str:
    """The canonical byte form of a truth file (stable key order given by construction)."""
    return json.dumps(truth, ensure_ascii=False, indent=1) + "\n"


def write_truth(truth: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(truth), encoding="utf-8")
    return path


def load_truth(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != TRUTH_SCHEMA:
        raise ValueError(f"{path}: not a {TRUTH_SCHEMA} record")
    return data


def skeleton(
    doc_id: str,
    file: str,
    origin: str,
    render: dict[str, Any],
    records: list[dict[str, Any]],
    error_code: str | None = None,
    quality: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A truth record with its keys in the documented order."""
    from urllib.parse import quote

    url_path = "/" + quote(file.removeprefix("sites/"))
    return {
        "schema": TRUTH_SCHEMA,
        "id": doc_id,
        "file": file,
        "url_path": url_path,
        "origin": origin,
        "render": render,
        "expect": {"error_code": error_code, "records": 0 if error_code else len(records)},
        "quality": quality or {"status": "published", "reasons": []},
        "records": records,
    }
