"""The seed document (2022 深圳市罗湖区科技创新局): observations, provenance and table cells."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from budgetlens.parse import parse_pdf
from tests.conftest import SAMPLE

SEED_TRUTH = SAMPLE / "truth" / "luohu-kjcxj-2022.json"


@pytest.fixture(scope="module")
def seed() -> dict:
    assert SEED_TRUTH.is_file(), f"the seed document's truth {SEED_TRUTH} is missing from the repository"
    truth = json.loads(SEED_TRUTH.read_text(encoding="utf-8"))
    records = parse_pdf(SAMPLE / truth["file"])
    assert len(records) == 1
    return records[0]


def test_every_printing_of_the_expense_total_is_observed(seed: dict) -> None:
    obs = [o for o in seed["observations"] if o["field"] == "totals.expense_total"]
    assert Counter(o["where"] for o in obs) == Counter(
        {"summary": 1, "expense": 1, "appropriation_summary": 1, "general_budget_by_function": 1, "prose": 2}
    )
    assert [o["where"] for o in obs if o["canonical"]] == ["summary"]
    assert {o["value"] for o in obs} == {"25790000.00"}
    assert {o["printed"] for o in obs} == {"2,579"}


def test_one_canonical_observation_per_field_and_it_is_the_record_value(seed: dict) -> None:
    canonical = Counter(o["field"] for o in seed["observations"] if o["canonical"])
    assert all(n == 1 for f, n in canonical.items() if f.startswith(("totals.", "headcount.")))
    for o in seed["observations"]:
        if o["canonical"] and o["field"].startswith("totals."):
            assert seed["totals"][o["field"].split(".", 1)[1]] == o["value"]


def test_function_lines_are_observed_in_the_summary_tables_too(seed: dict) -> None:
    where = Counter(o["where"] for o in seed["observations"] if o["field"] == "function:206")
    assert where == Counter({"general_budget_by_function": 1, "summary": 1, "appropriation_summary": 1})


def test_provenance_boxes_lie_on_their_page(seed: dict) -> None:
    assert seed["provenance"]
    for path, p in seed["provenance"].items():
        x0, top, x1, bottom = p["bbox"]
        assert 1 <= p["page"] <= seed["source"]["page_count"], path
        assert 0 <= x0 <= x1 <= 842 and 0 <= top <= bottom <= 842, path


def test_table_cells_have_boxes_of_the_same_shape(seed: dict) -> None:
    for t in seed["tables"]:
        assert len(t["boxes"]) == len(t["rows"])
        for row, boxes in zip(t["rows"], t["boxes"], strict=True):
            assert len(row) == len(boxes)
            for text, box in zip(row, boxes, strict=True):
                assert (box is None) == (text == "")
                if box:
                    assert t["pages"][0] <= box[0] <= t["pages"][-1]


def test_summary_table_as_printed(seed: dict) -> None:
    summary = seed["tables"][0]
    assert (summary["kind"], summary["title"], summary["number"], summary["unit"], summary["pages"]) == (
        "summary",
        "收支总表",
        "表 1".replace(" ", ""),
        "万元",
        [8, 9, 10],
    )
    assert summary["rows"][-1] == ["收入总计", "2,579", "支出总计", "2,579"]
