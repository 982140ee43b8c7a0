"""Every expectation is tripped by a corrupted copy of the seed, and the untouched seed passes.

The copies are rendered from edited truth records, parsed by the parser and loaded into a real
DuckDB warehouse (conftest.quality_world); the quality stage ran once over all of them with GX.
"""

from __future__ import annotations

import re

import pytest

from tests.quality.conftest import SAMPLE_CORRUPTED, WORLD_GROUP
from tests.quality.variants import VARIANTS

pytestmark = [pytest.mark.slow, WORLD_GROUP]
CORRUPTED = [v for v in VARIANTS if v.expectation]


def test_the_untouched_seed_passes_every_expectation(quality_world):
    seed = quality_world.verdicts["seed"]
    assert seed.findings == []
    assert (seed.status, seed.reason, seed.flags) == ("published", None, [])


@pytest.mark.parametrize("variant", CORRUPTED, ids=[v.name for v in CORRUPTED])
def test_corrupted_copy_trips_its_expectation(quality_world, variant):
    v = quality_world.verdicts[variant.name]
    hits = v.failed(variant.expectation)
    assert hits, f"{variant.name} ({variant.what}) did not trip {variant.expectation}: {v.findings}"
    assert {h["severity"] for h in hits} == {variant.severity}, hits
    assert v.status == variant.status, (v.status, v.reason)
    if variant.status == "quarantined":
        assert v.reason and v.reason.startswith("质量检查未通过"), v.reason
        assert hits[0]["message"] in v.reason or len(v.reason) >= 900  # reasons are cut at 1,000 chars
    else:
        assert v.reason is None
        assert variant.expectation in v.flags


def test_a_document_contradicting_itself_gets_a_reason_a_person_can_act_on(quality_world):
    reason = quality_world.verdicts["cross_table"].reason
    # 表1 收支总表 支出总计 2,579 万元 ≠ 表7 … 2,580 万元: both tables, both printed figures, the pages
    assert re.search(r"表1 收支总表 支出总计（第\d+页） 2,579 万元 ≠ 表7 .*2,580 万元", reason), reason
    assert "相差 1 万元" in reason


def test_the_corrupted_figure_is_named_with_its_place(quality_world):
    kuan = quality_world.verdicts["kuan"].failed("function_items_sum_to_section")
    assert any("20601 科学技术管理事务 合计" in h["message"] and "798 万元" in h["message"] for h in kuan)
    goods = quality_world.verdicts["goods"].failed("procurement_parts_sum")
    assert any("20 万元 + 0 万元 + 300 万元" in h["message"] for h in goods), goods


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


@pytest.mark.parametrize("sample_id", [s for s in SAMPLE_CORRUPTED if not s.endswith("one-yuan")])
def test_sample_corrupted_documents_end_quarantined_or_withheld_with_the_truths_reason(
    quality_world, sample_dir, sample_id
):
    """Each seeded contradiction quarantines the document, or, where it is one figure printed two
    ways (the sample's 政府采购货物: 826 in the prose, 806 in the table), withholds that figure and the
    identity it breaks, naming the same figures. (In the whole sample that document is also the older
    version of a budget posted twice, quarantined as a duplicate: test_sample_corpus.py.)"""
    import json

    truth = json.loads((sample_dir / "truth" / f"{sample_id}.json").read_text(encoding="utf-8"))
    assert truth["quality"]["status"] == "quarantined"
    v = quality_world.verdicts[sample_id]
    if v.status == "published":
        held = [f for f in v.findings if f["severity"] == "withheld"]
        assert held and not [f for f in v.findings if f["severity"] == "error"], v.findings
        text = " ".join(f["message"] for f in held)
    else:
        assert v.status == "quarantined", v.findings
        text = v.reason
    for expected in truth["quality"]["reasons"]:
        body = expected.split("：", 1)[1]  # after "<department>："
        missing = _numbers(body) - _numbers(text.replace(" = ", " "))
        assert not missing, f"{sample_id}: the reason lacks {missing}: {text}"


def test_a_one_yuan_slip_publishes_with_a_warning(quality_world, sample_dir):
    v = quality_world.verdicts["baoan-czj-2022-one-yuan"]
    assert v.status == "published", v.reason
    assert {f["severity"] for f in v.findings} == {"warning"}
    assert "function_items_sum_to_section" in v.flags
    assert any("相差 1 元" in f["message"] for f in v.findings)


def test_identical_duplicate_keeps_one_published(quality_world):
    seed, copy = quality_world.verdicts["seed"], quality_world.verdicts["dup_copy"]
    assert seed.status == "published"
    assert copy.status == "quarantined"
    assert copy.failed("one_published_budget_per_key")
    assert "重复" in copy.reason and seed.file_name in copy.reason


def test_conflicting_duplicates_are_all_quarantined(quality_world):
    a, b = quality_world.verdicts["conflict_a"], quality_world.verdicts["conflict_b"]
    for v in (a, b):
        assert v.status == "quarantined"
        assert "数字不同" in v.failed("one_published_budget_per_key")[0]["message"]


def test_every_expectation_has_a_corrupted_copy_or_a_direct_test():
    """Expectations without a rendered copy are tested on constructed data (test_cases.py), with
    the reason the renderer cannot express them."""
    from expectations.context import SuiteContext
    from expectations.data import WarehouseData
    from expectations.stage import all_specs

    names = {s.name for s in all_specs(SuiteContext.build(WarehouseData()))}
    rendered = {v.expectation for v in CORRUPTED} | {"one_published_budget_per_key"}
    direct = {
        # the parser drops a line whose code is not 3/5/7 digits, so a rendered copy never reaches it
        "function_code_well_formed",
        # a document without these cannot be rendered by the corpus (its cover and tables state them)
        "has_jurisdiction",
        "has_department",
        "has_fiscal_year",
        "has_expense_total",
        # per-staff bands of the other metrics: made to fire by test_cases.py (per_staff_below_band,
        # per_staff_headcount_misread, per_staff_three_public_above_band)
        "per_staff_operating_expense_in_band",
        "per_staff_agency_running_cost_in_band",
        "per_staff_three_public_total_in_band",
        # a rendered copy whose 三公 parts or projects do not add up is left out by the parser
        # (parser_readings_hold): these identities are tested on constructed data (test_cases.py)
        "three_public_parts_sum",
        "projects_sum_to_project_expense",
        "amounts_non_negative",
        "procurement_sme_within_total",
        # peers (issue 13): the stage does not load the cells of the income / expense / appropriation
        # tables nor the prose passages these read (WarehouseData.amount_cells / prose_passages), and
        # one rendered budget has no year before it: made to fire on constructed data (test_peers.py)
        "table_rows_add_across",
        "table_lines_add_down",
        "appropriation_summary_balances",
        "economic_sections_sum_to_class",
        "prose_shares_match_tables",
        "year_on_year_change_in_band",
        # final accounts (issue 16): the corrupted copies are budgets; made to fire on constructed
        # final accounts (test_final_accounts.py)
        "year_closes",
        "carryover_rolls_forward",
        "execution_rates_match_tables",
        "stated_direction_matches_tables",
    }
    assert names == rendered | direct
    from tests.quality.test_cases import CASES
    from tests.quality.test_final_accounts import CASES as FINAL_CASES
    from tests.quality.test_peers import CASES as PEER_CASES

    fired_directly = {e for c in (*CASES, *PEER_CASES) for e in c.expected}
    fired_directly |= {e for _, _, expected in FINAL_CASES for e in expected}
    assert direct <= fired_directly, f"never made to fire by a test: {sorted(direct - fired_directly)}"


def test_data_docs_are_written(quality_world):
    index = quality_world.out / "data_docs" / "index.html"
    assert quality_world.report.data_docs == str(index)
    html = index.read_text(encoding="utf-8")
    assert "identities_documents" in html and "completeness_keys" in html
    assert list((quality_world.out / "data_docs" / "validations").rglob("*.html"))
    suite_page = (quality_world.out / "data_docs" / "expectations" / "identities_documents.html").read_text(
        "utf-8"
    )
    assert "收入总计 and 支出总计 of the summary table balance in every budget" in suite_page  # reasons shown
