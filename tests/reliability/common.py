"""Shared pieces of the fault suite: hypothesis settings, parse limits, record checks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings

from budgetlens.fields import ERROR_CODES, TOTALS_FIELDS

REPO = Path(__file__).resolve().parents[2]
SAMPLE_SITES = REPO / "sample" / "sites"

# Derandomized (a fixed seed derived from each test), no deadline (a parse takes a second), no
# example database and no shrinking: CI sees the same inputs every time and a failure prints the
# drawn example as it was. max_examples is set per test, kept small for 2 cores.
HYPOTHESIS = settings(
    derandomize=True,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=(
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ),
    print_blob=False,
)


def fuzz(max_examples: int) -> settings:
    """The suite's hypothesis settings with this many examples."""
    return settings(HYPOTHESIS, max_examples=max_examples)


# The parser's limits in these tests: tight, so a hostile input costs seconds, not minutes.
PARSE_TIMEOUT_S = 20.0
PARSE_MEMORY_MB = 768

# Sample documents to mutate: both producers (ReportLab, Chromium/Skia), both template families.
SAMPLE_PDFS = (
    "luohu/files/2022年深圳市罗湖区科技创新局部门预算.pdf",
    "putuo/files/2022年上海市普陀区商务委员会部门预算.pdf",
    "jingan/files/2023年上海市静安区教育局部门预算.pdf",
    "baoan/files/2022年深圳市宝安区教育局部门预算.pdf",
)


def record_schema_validator():
    import jsonschema

    schema = json.loads((REPO / "docs" / "budget.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_records(records: list[dict], data: bytes, validator) -> str:
    """Assert what every input must end as; return its outcome ("parsed" or the error code).

    At least one record, each valid against docs/budget.schema.json and naming the file by the
    sha256 of exactly these bytes; an error is one of the documented codes, and a record with an
    error states no figure (absent is null, never a made-up 0).
    """
    assert records, "no record at all"
    for rec in records:
        problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(rec)]
        assert not problems, problems[:5]
        assert rec["source"]["sha256"] == sha256(data)
        err = rec["error"]
        if err is not None:
            assert err["code"] in ERROR_CODES and err["message"]
            assert len(records) == 1
            assert all(rec["totals"][f] is None for f in TOTALS_FIELDS)
            assert rec["function_lines"] == [] and rec["tables"] == []
    err = records[0]["error"]
    return err["code"] if err else "parsed"
