"""The committed sample corpus: manifest, truth, files, variations, producers, fonts, bad inputs, sites."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pdfplumber
import pypdfium2 as pdfium
import pytest

from budgetlens.fields import ERROR_CODES, TRUTH_SCHEMA
from budgetlens.files import file_sha256
from corpus.identities import violations
from corpus.plan import AXES, RARE
from corpus.truth import load_truth

MAX_SAMPLE_BYTES = 25 * 1024 * 1024
CANONICAL_TYPES = {
    "科技创新",
    "教育",
    "财政",
    "司法",
    "卫生健康",
    "文化旅游体育",
    "民政",
    "商务",
    "街道",
    "other",
}


@pytest.fixture(scope="module")
def manifest(sample_dir: Path) -> dict:
    return json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def truths(sample_dir: Path, manifest: dict) -> dict[str, dict]:
    return {d["id"]: load_truth(sample_dir / d["truth"]) for d in manifest["documents"]}


def _by_variation(manifest: dict, variation: str) -> list[dict]:
    return [d for d in manifest["documents"] if variation in d["variations"]]


def test_manifest_matches_files(sample_dir: Path, manifest: dict) -> None:
    listed = {d["file"] for d in manifest["documents"]}
    on_disk = {str(p.relative_to(sample_dir)) for p in (sample_dir / "sites").rglob("*.pdf")}
    assert listed == on_disk
    for d in manifest["documents"]:
        path = sample_dir / d["file"]
        assert path.stat().st_size == d["bytes"], d["id"]
        assert file_sha256(path) == d["sha256"], d["id"]


def test_every_truth_is_listed_and_points_to_its_file(sample_dir: Path, manifest: dict, truths: dict) -> None:
    files = {p.stem for p in (sample_dir / "truth").glob("*.json")}
    assert files == set(truths)
    for doc_id, t in truths.items():
        assert t["schema"] == TRUTH_SCHEMA and t["id"] == doc_id
        assert (sample_dir / t["file"]).is_file()
        assert t["url_path"].startswith("/") and "%" in t["url_path"] and " " not in t["url_path"]
        code = t["expect"]["error_code"]
        assert code is None or code in ERROR_CODES
        assert t["expect"]["records"] == (0 if code else len(t["records"]))
        for r in t["records"]:
            assert r.get("department_type") in CANONICAL_TYPES, doc_id
            if r["document"]["kind"] == "budget":
                first, last = r["pages"]
                assert 1 <= first <= last


def test_sample_is_under_25_mb(sample_dir: Path) -> None:
    total = sum(p.stat().st_size for p in sample_dir.rglob("*") if p.is_file())
    assert total < MAX_SAMPLE_BYTES, f"sample/ is {total / 1e6:.1f} MB"


def test_corpus_covers_districts_types_and_years(truths: dict) -> None:
    seen = {
        (r["document"]["jurisdiction"], r["department_type"], r["document"]["fiscal_year"])
        for t in truths.values()
        if not t["expect"]["error_code"]
        for r in t["records"]
        if r["document"]["kind"] == "budget"
    }
    districts = {j for j, _, _ in seen if j.startswith("深圳市")}
    assert len(districts) == 10
    for j in districts:
        for kind in ("科技创新", "教育", "财政", "司法", "卫生健康", "文化旅游体育"):
            assert (j, kind, 2022) in seen and (j, kind, 2023) in seen, (j, kind)
    assert any(j.startswith("上海市") for j, _, _ in seen)


def test_identities_hold_in_every_clean_truth(truths: dict) -> None:
    for doc_id, t in truths.items():
        for r in t["records"]:
            found = violations(r)
            if r.get("warnings"):
                continue  # a deliberate slip (checked below)
            assert found == [], (doc_id, found[:3])


@pytest.mark.parametrize(
    ("variation", "status", "warnings", "truth_breaks"),
    [
        # the changed 表7 合计 also stops adding up to its own 类 lines
        ("corrupt:cross_table", "quarantined", ["cross_table_mismatch", "sum_mismatch"], False),
        ("corrupt:prose_table", "quarantined", ["prose_table_mismatch"], False),
        ("corrupt:kuan_sum", "quarantined", ["sum_mismatch"], True),
        # the prose's 货物 also differs from the procurement table's 货物 row
        ("corrupt:procurement_parts", "quarantined", ["prose_table_mismatch", "sum_mismatch"], True),
        ("corrupt:one_yuan", "published", ["sum_mismatch"], True),
    ],
)
def test_corrupted_copies(
    sample_dir: Path,
    manifest: dict,
    truths: dict,
    variation: str,
    status: str,
    warnings: list[str],
    truth_breaks: bool,
) -> None:
    (doc,) = _by_variation(manifest, variation)
    t = truths[doc["id"]]
    assert t["quality"]["status"] == status
    assert bool(t["quality"]["reasons"]) == (status == "quarantined")
    assert t["records"][0]["warnings"] == warnings
    assert bool(violations(t["records"][0])) == truth_breaks
    if not truth_breaks:
        assert t["render"]["overrides"], "the contradiction is printed at a non-canonical place"
    if variation == "corrupt:one_yuan":
        # a good document: it takes its clean original's place (no duplicate budget of one department)
        assert doc["id"].removesuffix("-one-yuan") not in truths
        return
    # the clean original is published on the same site
    original = doc["id"].rsplit("-", 2)[0]
    original = (
        next(
            i
            for i in truths
            if doc["id"].startswith(i + "-")
            and truths[i]["quality"]["status"] == "published"
            and not truths[i]["records"][0]["warnings"]
        )
        if original not in truths
        else original
    )
    assert truths[original]["file"].split("/")[1] == t["file"].split("/")[1]


def test_every_listed_variation_occurs(manifest: dict) -> None:
    seen = {v for d in manifest["documents"] for v in d["variations"]}
    wanted = {f"{axis}:{value}" for axis, values in AXES.items() for value in values} | set(RARE)
    wanted |= {"encryption:owner", "glyphs:cid_page", "compilation", "kind:final_accounts", "header:merged"}
    wanted |= {f"bad:{k}" for k in ("truncated", "encrypted", "html_error", "empty", "scanned")}
    assert wanted - seen == set()
    assert {d["template"] for d in manifest["documents"]} >= {"shenzhen13", "shanghai9", "final_accounts"}


def _meta_and_fonts(path: Path) -> tuple[str, set[str]]:
    with pdfplumber.open(path) as pdf:
        producer = str(pdf.metadata.get("Producer", ""))
        fonts = {c["fontname"] for page in pdf.pages[:3] for c in page.chars}
    return producer, fonts


def test_both_producers_and_both_fonts_occur(sample_dir: Path, manifest: dict) -> None:
    combos = {}
    for d in manifest["documents"]:
        if d["error_code"] is None and d["producer"] in ("reportlab", "chromium"):
            combos.setdefault((d["producer"], d["font"]), d)
    assert set(combos) == {
        ("reportlab", "wqy-zenhei"),
        ("reportlab", "uming"),
        ("chromium", "wqy-zenhei"),
        ("chromium", "uming"),
    }
    for (producer, font), d in combos.items():
        pdf_producer, fonts = _meta_and_fonts(sample_dir / d["file"])
        assert ("ReportLab" if producer == "reportlab" else "Skia") in pdf_producer
        assert any(("WenQuanYi" if font == "wqy-zenhei" else "UMing") in f for f in fonts), fonts


def _texts(path: Path, password: str | None = None) -> list[str]:
    pdf = pdfium.PdfDocument(str(path), password=password)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def test_synthetic_covers_say_sample_data(sample_dir: Path, truths: dict) -> None:
    for doc_id, t in truths.items():
        if t["expect"]["error_code"] or t["render"].get("encryption"):
            continue
        cover = _texts(sample_dir / t["file"])[0]
        assert ("示例数据" in cover) == (t["origin"] != "seed"), doc_id


def test_compilation_has_page_ranges(sample_dir: Path, manifest: dict, truths: dict) -> None:
    (doc,) = _by_variation(manifest, "compilation")
    t = truths[doc["id"]]
    assert len(t["records"]) >= 3
    ranges = [r["pages"] for r in t["records"]]
    assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    texts = _texts(sample_dir / t["file"])
    assert ranges[-1][1] == len(texts)
    for r in t["records"]:
        assert r["document"]["department"] in texts[r["pages"][0] - 1]


def _bad(manifest: dict, truths: dict, sample_dir: Path, kind: str) -> tuple[dict, Path]:
    (doc,) = _by_variation(manifest, f"bad:{kind}")
    return truths[doc["id"]], sample_dir / doc["file"]


def test_truncated_lacks_eof(sample_dir: Path, manifest: dict, truths: dict) -> None:
    t, path = _bad(manifest, truths, sample_dir, "truncated")
    data = path.read_bytes()
    assert t["expect"]["error_code"] == "truncated" and data.startswith(b"%PDF-") and b"%%EOF" not in data


def test_encrypted_needs_its_password(sample_dir: Path, manifest: dict, truths: dict) -> None:
    t, path = _bad(manifest, truths, sample_dir, "encrypted")
    assert t["expect"]["error_code"] == "encrypted"
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(str(path))
    assert any("预算" in text for text in _texts(path, password=t["render"]["bad_input"]["password"]))


def test_owner_password_only_opens_and_reads(sample_dir: Path, manifest: dict, truths: dict) -> None:
    (doc,) = _by_variation(manifest, "encryption:owner")
    t = truths[doc["id"]]
    path = sample_dir / doc["file"]
    assert b"/Encrypt" in path.read_bytes()
    assert t["expect"]["error_code"] is None and len(t["records"]) == 1
    assert t["records"][0]["document"]["department"] in _texts(path)[0]


@pytest.mark.parametrize("kind", ["html_error", "empty"])
def test_not_pdf(sample_dir: Path, manifest: dict, truths: dict, kind: str) -> None:
    t, path = _bad(manifest, truths, sample_dir, kind)
    assert t["expect"]["error_code"] == "not_pdf" and path.suffix == ".pdf"
    data = path.read_bytes()
    assert not data.startswith(b"%PDF")
    assert (data == b"") == (kind == "empty")


def test_scanned_has_no_text_layer(sample_dir: Path, manifest: dict, truths: dict) -> None:
    t, path = _bad(manifest, truths, sample_dir, "scanned")
    assert t["expect"]["error_code"] == "no_text"
    texts = _texts(path)
    assert len(texts) > 3 and all(text.strip() == "" for text in texts)
    pdf = pdfium.PdfDocument(str(path))
    try:
        assert all(
            any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in pdf[i].get_objects())
            for i in range(len(pdf))
        )
    finally:
        pdf.close()


def test_cid_page_extracts_as_cid_glyphs(sample_dir: Path, manifest: dict, truths: dict) -> None:
    (doc,) = _by_variation(manifest, "glyphs:cid_page")
    t = truths[doc["id"]]
    assert t["expect"]["error_code"] is None and t["records"][0]["warnings"] == ["cid_text"]
    with pdfplumber.open(sample_dir / doc["file"]) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    cid_pages = [i for i, text in enumerate(texts) if re.search(r"\(cid:\d+\)", text)]
    assert cid_pages and len(cid_pages) < len(texts)
    assert t["records"][0]["document"]["department"] in texts[0]


def test_final_accounts_are_paired_with_budgets(sample_dir: Path, manifest: dict, truths: dict) -> None:
    """Every 决算 has the budget of its department-year beside it on its site, and fixes its figures."""
    docs = _by_variation(manifest, "kind:final_accounts")
    assert {d["id"] for d in docs} == {f"{d}-jyj-2022-final" for d in ("futian", "nanshan", "longhua")}
    for doc in docs:
        t = truths[doc["id"]]
        budget = truths[doc["id"].removesuffix("-final")]
        r, b = t["records"][0], budget["records"][0]
        assert r["document"] == {**b["document"], "kind": "final_accounts"}
        assert r["department_type"] == b["department_type"] == "教育"
        assert t["file"].split("/")[1] == budget["file"].split("/")[1] and t["file"].endswith("部门决算.pdf")
        assert budget["quality"]["status"] == t["quality"]["status"] == "published"
        assert r["totals"]["basic_expense"] and r["function_lines"] and r["economic_lines"]
        text = "".join(_texts(sample_dir / doc["file"]))
        assert (
            f"{r['document']['fiscal_year']} 年度部门决算" in text
            and "决算数" in text
            and "年初预算为" in text
        )


def test_manifest_names_every_department(manifest: dict, truths: dict) -> None:
    names = {d["department"] for d in manifest["departments"]}
    for t in truths.values():
        for r in t["records"]:
            assert r["document"]["department"] in names


def test_sites_link_every_document(sample_dir: Path, manifest: dict) -> None:
    by_site: dict[str, set[str]] = {}
    for d in manifest["documents"]:
        by_site.setdefault(d["file"].split("/")[1], set()).add(d["file"].split("/", 2)[2])
    for district, files in by_site.items():
        site = sample_dir / "sites" / district
        downloads = json.loads((site / "downloads.json").read_text(encoding="utf-8"))
        assert all(re.fullmatch(r"\d+", k) and v.startswith("files/") for k, v in downloads.items())
        reached, pages, todo = set(), set(), ["index.html"]
        while todo:
            page = todo.pop()
            if page in pages:
                continue
            pages.add(page)
            markup = (site / page).read_text(encoding="utf-8")
            for href in re.findall(r'href="([^"]+)"', markup):
                href = href.replace("&amp;", "&")
                if href.startswith("http"):
                    continue
                if href.startswith("index"):
                    todo.append(href)
                elif href.startswith("download.jsp?id="):
                    reached.add(downloads[href.split("=", 1)[1]])
                else:
                    assert " " not in href and (site / unquote(href)).is_file(), href
                    if href.endswith(".pdf"):
                        assert re.search(r"%[0-9A-F]{2}", href), "Chinese names are percent-encoded"
                        reached.add(unquote(href))
        assert reached == files, district
        assert len(pages) >= 2 or len(files) < 5


@pytest.mark.parametrize(
    ("variation", "needle"),
    [
        ("glyphs:fake_bold", re.compile(r"(部部门门|预预算算|收收支支)")),
        ("glyphs:fullwidth", re.compile(r"[０-９]")),
        ("glyphs:radicals", re.compile("[⻔⻋]")),
        ("title:spaced", re.compile("收 支 总 表")),
        ("three_public:meeting_training", re.compile("会议费")),
        ("codes:three_columns", re.compile(r"\n20[1-9] \d\d \d\d ")),
        ("codes:in_name", re.compile(r"（类）.+（款）.+（项）")),
        ("numbering:表一", re.compile("表十三")),
        ("numbering:公开01表", re.compile("公开13表")),
        ("title:year", re.compile(r"20\d\d年部门收支总表")),
        ("headcount:establishment", re.compile(r"本部门编制 \d+ 名，其中行政编制 \d+ 名")),
        ("headcount:staff_only", re.compile(r"在职人员 \d+ 人")),
        ("empty:本表为空", re.compile("本表为空")),
    ],
)
def test_variation_is_visible_in_the_text(
    sample_dir: Path, manifest: dict, variation: str, needle: re.Pattern[str]
) -> None:
    d = next(d for d in _by_variation(manifest, variation) if d["error_code"] is None)
    with pdfplumber.open(sample_dir / d["file"]) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert needle.search(text) or needle.search(text.replace("\n", "")), (variation, d["id"])


def test_rotated_pages_are_stored_portrait(sample_dir: Path, manifest: dict) -> None:
    d = next(d for d in _by_variation(manifest, "orientation:rotated") if d["producer"] == "reportlab")
    pdf = pdfium.PdfDocument(str(sample_dir / d["file"]))
    try:
        rotated = [i for i in range(len(pdf)) if pdf[i].get_rotation() == 90]
        assert rotated
        for i in rotated:
            w, h = pdf[i].get_size()  # as displayed: landscape
            assert w > h
    finally:
        pdf.close()
