"""Crafted documents: every error code, and the text variations real documents show."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlens.parse import ParseSettings, parse_pdf
from tests.parse import pdfmaker


def one(path: Path, **kw) -> dict:
    recs = parse_pdf(path, **kw)
    assert len(recs) == 1
    return recs[0]


def test_a_crafted_budget_parses(make_pdf, schema_validator) -> None:
    rec = one(make_pdf())
    assert rec["error"] is None
    assert not list(schema_validator.iter_errors(rec))
    assert rec["document"] == {
        "jurisdiction": "深圳市罗湖区",
        "department": "深圳市罗湖区科技创新局",
        "fiscal_year": 2022,
        "kind": "budget",
        "scope": "department",
        "template": None,
    }
    t = rec["totals"]
    assert (t["income_total"], t["expense_total"], t["gov_fund_appropriation"], t["carryover_in"]) == (
        "25790000.00",
        "25790000.00",
        "0.00",
        "0.00",
    )
    assert t["basic_expense"] is None  # no expense table, no prose: not stated
    assert [ln["code"] for ln in rec["function_lines"]] == [
        "201",
        "20132",
        "2013299",
        "206",
        "20601",
        "2060101",
        "2060102",
    ]
    assert rec["function_lines"][5] == {
        "code": "2060101",
        "name": "行政运行",
        "level": 3,
        "total": "9520000.00",
        "basic": "9520000.00",
        "project": "0.00",
    }
    hc = rec["headcount"]
    assert (
        hc["admin_authorized"],
        hc["admin_actual"],
        hc["retirees"],
        hc["retirees_total"],
        hc["internal_divisions"],
    ) == (12, 11, 7, 7, 2)
    assert rec["warnings"] == []


@pytest.mark.parametrize(
    "variation",
    [
        {"fake_bold": True},
        {"spaced_title": True},
        {"rotate": True},
        {"ruled": False},
        {"department": "深圳市罗湖区科技创新局", "title": "收支总表"},
    ],
    ids=["fake_bold", "spaced_title", "rotated_pages", "unruled", "plain"],
)
def test_variations_read_the_same(make_pdf, variation: dict) -> None:
    base = one(make_pdf("base.pdf"))
    other = one(make_pdf("variant.pdf", **variation))
    for part in ("document", "totals", "function_lines", "headcount"):
        assert other[part] == base[part], part
    assert [t["kind"] for t in other["tables"]] == ["summary", "general_budget_by_function"]


def test_radicals_and_full_width_forms_are_normalised(make_pdf) -> None:
    rec = one(
        make_pdf(
            department="深圳市罗湖区科技创新局",
            prose="行政编制总数 １２ 人，实有在编人数 １１ 人。共 ２ 个部⻔。",
        )
    )
    assert rec["headcount"]["admin_authorized"] == 12
    assert rec["headcount"]["internal_divisions"] == 2


def test_provenance_points_at_the_printed_cell(make_pdf) -> None:
    rec = one(make_pdf())
    p = rec["provenance"]["totals.income_total"]
    assert p["source"] == "table" and p["page"] == 3
    x0, top, x1, bottom = p["bbox"]
    assert 0 < x0 < x1 < 595 and 0 < top < bottom < 842


def test_rotated_pages_give_boxes_on_the_displayed_page(make_pdf) -> None:
    rec = one(make_pdf(rotate=True))
    x0, top, x1, bottom = rec["provenance"]["totals.income_total"]["bbox"]
    assert 0 < x0 < x1 < 842 and 0 < top < bottom < 595  # landscape as displayed


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<!DOCTYPE html><html><body>503 Service Unavailable</body></html>", "HTML"),
        (b"PK\x03\x04 a zip archive, not a pdf", "PDF header"),
    ],
    ids=["zero_bytes", "html_page", "zip_bytes"],
)
def test_not_a_pdf(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "download.pdf"
    path.write_bytes(data)
    rec = one(path)
    assert rec["error"]["code"] == "not_pdf"
    assert reason in rec["error"]["message"]
    assert rec["source"]["pages"] is None and rec["totals"]["income_total"] is None


def test_truncated(make_pdf, tmp_path: Path) -> None:
    data = make_pdf().read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    rec = one(cut)
    assert rec["error"]["code"] == "truncated"


def test_encrypted_with_a_user_password(make_pdf) -> None:
    rec = one(make_pdf("locked.pdf", encrypt_user="secret", encrypt_owner="owner"))
    assert rec["error"]["code"] == "encrypted"


def test_owner_password_only_parses(make_pdf) -> None:
    rec = one(make_pdf("owner.pdf", encrypt_user="", encrypt_owner="owner"))
    assert rec["error"] is None
    assert rec["totals"]["income_total"] == "25790000.00"


def test_scanned_pages_have_no_text(tmp_path: Path) -> None:
    rec = one(pdfmaker.image_only_pdf(tmp_path / "scan.pdf"))
    assert rec["error"]["code"] == "no_text"


def test_text_without_a_unicode_map_is_reported_never_parsed(tmp_path: Path, cjk_font) -> None:
    rec = one(pdfmaker.cid_pdf(tmp_path / "cid.pdf"))
    assert rec["error"]["code"] == "no_text"
    assert "(cid:NNN)" in rec["error"]["message"]


def test_too_many_pages(make_pdf) -> None:
    rec = one(make_pdf(), settings=ParseSettings(max_pages=2))
    assert rec["error"]["code"] == "too_large"


def test_a_directory_is_not_a_pdf(tmp_path: Path) -> None:
    rec = one(tmp_path)
    assert rec["error"]["code"] == "unreadable" and rec["source"]["sha256"] is None
