"""The static report as files: pages, rows, source links, PDFs, escaping (no browser here)."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from budgetlens.publish.columns import AMOUNT, CHANGE, COUNT, RATIO, format_value, sort_value
from budgetlens.report import build_report
from budgetlens.report.charts import (
    Bar,
    Point,
    bar_chart,
    group_colors,
    nice_ticks,
    scatter_chart,
    text_width,
    value_label_x,
)
from budgetlens.report.data import department_slug
from budgetlens.report.render import PAGE_FILES, json_script, ranked_order, safe_external
from warehouse.models import COMPARISONS

from .world import (
    HOSTILE_DEPARTMENT,
    HOSTILE_REASON,
    HOSTILE_WARNING,
    SAMPLE,
    SEED_ID,
    SampleWorld,
    hand_record,
    load_hand_records,
)


def page(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


# --- the sample report ----------------------------------------------------------------------------


def test_pages_and_files(sample_report, sample_world: SampleWorld):
    out, result = sample_report
    report = out / "report"
    assert result.index == report / "index.html"
    for name in ("index.html", *PAGE_FILES.values(), "report.css", "report.js"):
        assert (report / name).is_file(), name
    departments = list((report / "departments").glob("*.html"))
    assert result.pages == 1 + len(PAGE_FILES) + len(departments)
    assert not [p for p in out.iterdir() if p.name.startswith(".report-")]  # swapped in, nothing left over


PER_BUDGET_PAGES = [k for k in PAGE_FILES if k != "execution"]  # execution: a row per budget with its 决算


@pytest.mark.parametrize("key", PER_BUDGET_PAGES)
def test_each_comparison_page_has_one_row_per_published_budget(
    sample_report, sample_world: SampleWorld, sample_con, key
):
    out, _ = sample_report
    doc = page(out / "report" / PAGE_FILES[key])
    ids = [tr.attributes["data-doc"] for tr in doc.css(f"table#t-{key} tbody tr")]
    compared = {r[0] for r in sample_con.execute("select doc_id from comparison_documents").fetchall()}
    # every compared document once; the truth's published budgets, less any the warehouse does not
    # count as a current document of its own (e.g. a part of a split publication)
    assert len(ids) == len(set(ids)) and set(ids) == compared
    assert compared <= sample_world.published_budgets and len(compared) > 100
    assert doc.css_first("svg.chart") is not None  # at least one chart drawn


def test_index_lists_what_was_left_out_and_why(sample_report, sample_world: SampleWorld, sample_con):
    out, _ = sample_report
    doc = page(out / "report" / "index.html")
    reasons = [tr.css("td")[-1].text() for tr in doc.css("table#t-left-out tbody tr")]
    current = {r[0] for r in sample_con.execute("select doc_id from current_documents").fetchall()}
    for doc_id, reason in sample_world.quarantined.items():
        assert reason in reasons or doc_id not in current
    assert any(r.startswith("truncated") for r in reasons)
    text = doc.body.text()
    assert "2022, 2023" in text and "深圳市罗湖区" in text


def test_every_figure_links_to_its_page_of_the_source_pdf(sample_report, sample_world: SampleWorld):
    out, _ = sample_report
    seed = sample_world.seed_doc_id()
    sha = seed  # one record per file: doc_id = file sha256
    slug = department_slug("深圳市罗湖区", "深圳市罗湖区科技创新局")
    doc = page(out / "report" / "departments" / f"{slug}.html")
    assert doc.css_first("h1").text() == "深圳市罗湖区科技创新局"
    figures = {tr.css_first("th").text(): tr.css("td") for tr in doc.css("table.figures tbody tr")}
    year_cols = [th.text() for th in doc.css("table.figures thead th")][1:]
    col = year_cols.index("2022")

    def link(label):
        a = figures[label][col].css_first("a")
        return a.text(), a.attributes["href"]

    assert link("Agency running cost 机关运行经费") == ("870,000.00", f"../pdf/{sha}.pdf#page=7")
    assert link("Running cost per staff") == ("37,826.09", f"../pdf/{sha}.pdf#page=7")
    assert link("Staff 实有人数") == ("23", f"../pdf/{sha}.pdf#page=3")
    assert link("Procurement share") == ("11.6 %", f"../pdf/{sha}.pdf#page=23")
    # a figure whose page the provenance does not hold opens the document's first page
    text, href = link("Project share")
    assert href == f"../pdf/{sha}.pdf#page=1"
    assert "page not recorded" in figures["Project share"][col].attributes["title"]
    # the operating cost page links the same cell the same way (from the report root)
    ops = page(out / "report" / "operating-costs.html")
    heads = [th.attributes.get("data-col") for th in ops.css("table#t-operating_costs thead th")]
    row = next(tr for tr in ops.css("table#t-operating_costs tbody tr") if tr.attributes["data-doc"] == seed)
    cell = row.css("td")[heads.index("agency_running_cost_per_staff")]
    assert (cell.text(), cell.css_first("a").attributes["href"]) == ("37,826.09", f"pdf/{sha}.pdf#page=7")
    assert cell.attributes["data-v"] == "37826.09"


def test_source_pdfs_are_in_the_report_folder(sample_report, sample_world: SampleWorld, sample_con):
    out, result = sample_report
    pdfs = {p.stem for p in (out / "report" / "pdf").glob("*.pdf")}
    assert result.pdfs_missing == [] and result.pdfs_linked == len(pdfs)
    manifest = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))
    by_id = {d["id"]: d for d in manifest["documents"]}
    seed = by_id[SEED_ID]
    copied = out / "report" / "pdf" / f"{seed['sha256']}.pdf"
    assert copied.read_bytes() == (SAMPLE / seed["file"]).read_bytes()
    compared = sample_con.execute("select list(distinct file_sha256) from comparison_documents").fetchone()[0]
    assert set(compared) <= pdfs and len(compared) > 100


def test_every_local_link_resolves_and_nothing_is_fetched_from_the_network(sample_report):
    out, _ = sample_report
    report = out / "report"
    for f in html_files(report):
        doc = page(f)
        for node in doc.css("[href], [src]"):
            url = node.attributes.get("href") or node.attributes.get("src")
            parts = urlsplit(url)
            if node.tag in ("script", "link", "img"):
                assert parts.scheme in ("", "data"), (f.name, url)  # local files (and the empty icon)
            if parts.scheme in ("http", "https", "data") or url.startswith("#"):
                continue
            target = (f.parent / unquote(parts.path)).resolve()
            assert target.exists(), (f.relative_to(report), url)


def test_html_is_utf8_with_a_cjk_font_stack(sample_report):
    out, _ = sample_report
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in index
    css = (out / "report" / "report.css").read_text(encoding="utf-8")
    assert "Noto Sans CJK SC" in css and "WenQuanYi Zen Hei" in css


def test_rebuilding_replaces_the_report(sample_world: SampleWorld, tmp_path):
    from warehouse.db import connect

    con = connect(sample_world.warehouse, read_only=True)
    try:
        first = build_report(con, tmp_path, raw_dir=sample_world.raw_dir)
        (tmp_path / "report" / "stale.html").write_text("old", encoding="utf-8")
        second = build_report(con, tmp_path, raw_dir=None)  # PDFs now come from the previous report
    finally:
        con.close()
    assert not (tmp_path / "report" / "stale.html").exists()
    assert second.pdfs_linked == first.pdfs_linked and second.pdfs_missing == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


# --- escaping ---------------------------------------------------------------------------------------


def test_document_strings_are_escaped_everywhere(hostile_report):
    out, _, ids = hostile_report
    report = out / "report"
    for f in html_files(report):
        raw = f.read_text(encoding="utf-8")
        assert "<script>window" not in raw, f.name
        assert "<img src=x" not in raw, f.name
        assert "<b>坏</b>" not in raw and "<i>h" not in raw, f.name
        assert "javascript:" not in raw, f.name
        assert "__pwned" not in "".join(s.text() for s in page(f).css("script")) or f.name == "index.html"
    index = page(report / "index.html")
    reasons = [tr.css("td")[-1].text() for tr in index.css("table#t-left-out tbody tr")]
    assert reasons == [HOSTILE_REASON]
    names = [a.text() for a in index.css("table#t-departments tbody td a")]
    assert HOSTILE_DEPARTMENT in names
    # the embedded JSON holds the name exactly, with <, > and & escaped so it cannot close the script
    blob = index.css_first("script#bl-departments")
    assert "<" not in blob.text() and "\\u003cscript\\u003e" in blob.text()
    assert HOSTILE_DEPARTMENT in {d["name"] for d in json.loads(blob.text())}


def test_a_javascript_source_url_is_never_linked(hostile_report):
    out, result, ids = hostile_report
    assert result.pdfs_linked == 0 and len(result.pdfs_missing) == 5  # hand-made records: no files
    ops = page(out / "report" / "operating-costs.html")
    row = next(tr for tr in ops.css("tbody tr") if tr.attributes["data-doc"] == ids["h1"])
    assert all(not a.attributes["href"].startswith("javascript") for a in row.css("a"))
    cells = [td for td in row.css("td.num") if td.text().strip() == "200,000.00"]
    assert (
        cells
        and cells[0].css_first("a") is None
        and cells[0].attributes["title"] == "source file not available"
    )
    other = next(tr for tr in ops.css("tbody tr") if tr.attributes["data-doc"] == ids["h2"])
    assert any(a.attributes["href"].startswith("http://127.0.0.1:8000/h2.pdf#page=") for a in other.css("a"))


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (
            "</script><script>alert(1)</script>",
            '"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"',
        ),
        ("a & b", '"a \\u0026 b"'),
        ("\u2028", '"\\u2028"'),
        ({"k": "罗湖"}, '{"k": "罗湖"}'),
    ],
)
def test_json_script(value, want):
    html = str(json_script(value, "x"))
    assert html == f'<script type="application/json" id="x">{want}</script>'
    assert json.loads(want) == value


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://www.szlh.gov.cn/a.pdf", True),
        ("https://x.gov.cn/%E9%A2%84%E7%AE%97.pdf", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("file:///etc/passwd", False),
        ('http://x/"onmouseover="alert(1)', False),
        ("/relative.pdf", False),
        (None, False),
    ],
)
def test_safe_external(url, ok):
    assert safe_external(url) == (url if ok else None)


# --- pure helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "want"),
    [
        (AMOUNT, Decimal("37826.09"), "37,826.09"),
        (AMOUNT, Decimal("25790000.00"), "25,790,000.00"),
        (AMOUNT, 1234.5, "1,234.50"),
        (COUNT, 23, "23"),
        (RATIO, 300 / 2579, "11.6 %"),
        (CHANGE, 0.0423, "+4.2 %"),
        (CHANGE, -0.1, "-10.0 %"),
        (RATIO, None, "—"),
    ],
)
def test_format_value(kind, value, want):
    assert format_value(kind, value) == want


@pytest.mark.parametrize(
    ("value", "want"), [(None, ""), (Decimal("870000.00"), "870000.00"), (0.25, "0.25"), (23, "23")]
)
def test_sort_value(value, want):
    assert sort_value(value) == want


@pytest.mark.parametrize(
    ("lo", "hi", "want"),
    [
        (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0, 91726.32, [0, 20000, 40000, 60000, 80000, 100000]),
        (-0.3, 0.5, [-0.4, -0.2, 0, 0.2, 0.4, 0.6]),
        (5, 5, [5, 6, 7, 8, 9, 10]),
    ],
)
def test_nice_ticks(lo, hi, want):
    ticks = nice_ticks(lo, hi)
    assert ticks == pytest.approx(want)
    assert ticks[0] <= lo and ticks[-1] >= hi


def test_charts_escape_labels_and_draw_every_item():
    bars = [Bar("<script>x</script>局", 3.0, "教育", "departments/a.html"), Bar("乙局", 1.0, "财政")]
    svg = str(bar_chart(bars, title="t <b>", fmt=str, medians={"教育": 3.0}))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "t &lt;b&gt;" in svg
    assert svg.count("<rect") == 2 and svg.count('class="median"') == 1
    assert '<a href="departments/a.html">' in svg
    pts = [Point("<img>", 0.1, 0.9, "教育"), Point("b", 0.3, 0.5, "财政")]
    svg = str(scatter_chart(pts, title="s", x_label="x", y_label="y", x_fmt=str, y_fmt=str))
    assert svg.count("<circle") == 4 and "<img>" not in svg  # two points, two legend dots


def test_charts_with_nothing_to_draw_say_so():
    assert "no values to draw" in str(bar_chart([], title="<t>", fmt=str))
    assert "&lt;t&gt;" in str(bar_chart([], title="<t>", fmt=str))
    assert "no values to draw" in str(
        scatter_chart([], title="t", x_label="x", y_label="y", x_fmt=str, y_fmt=str)
    )


def test_negative_bars_draw_left_of_zero():
    svg = str(bar_chart([Bar("a", -0.5), Bar("b", 0.5)], title="t", fmt=str, grouped=False))
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', svg)]
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', svg)]
    assert 'class="zero"' in svg and len(xs) == 2 and widths[0] == pytest.approx(widths[1])


def test_group_colors_are_stable_and_other_comes_last():
    c = group_colors(["财政", "other", "教育", "财政"])
    assert list(c) == ["教育", "财政", "other"] and c == group_colors(["other", "教育", "财政"])


def test_department_slug_is_stable_and_file_safe():
    s = department_slug("深圳市罗湖区", "深圳市罗湖区科技创新局")
    assert s == department_slug("深圳市罗湖区", "深圳市罗湖区科技创新局") and re.fullmatch(r"[0-9a-f]{16}", s)
    assert s != department_slug("深圳市福田区", "深圳市罗湖区科技创新局")


def test_report_pdfs_are_hard_links_or_copies_of_the_raw_store_never_symlinks(
    sample_report, sample_world: SampleWorld
):
    """Each PDF the report links is the raw store's file (a hard link where the filesystem allows,
    else a copy): same bytes, never a symbolic link that could point anywhere."""
    out, _ = sample_report
    for p in (out / "report" / "pdf").iterdir():
        assert not p.is_symlink()
        raw = sample_world.raw_dir / p.name[:2] / p.name
        assert raw.is_file() and (os.path.samefile(p, raw) or p.read_bytes() == raw.read_bytes())


def test_quality_warnings_are_shown_on_the_department_page(hostile_report):
    out, _, ids = hostile_report
    index = page(out / "report" / "index.html")
    href = next(
        a.attributes["href"] for a in index.css("table#t-departments a") if a.text() == "深圳市丁区第2局"
    )
    doc = page(out / "report" / href)
    items = [li.text() for li in doc.css("ul.warnings li")]
    assert items == [f"2022 · per_staff_cost_band {HOSTILE_WARNING}"]
    flags = [b.text() for b in doc.css("table.data tbody .badge")]
    assert "per_staff_cost_band" in flags


def test_an_empty_warehouse_publishes_empty_tables_and_a_report(tmp_path):
    """A warehouse with nothing published yet (first run, everything quarantined): no error, empty pages."""
    from budgetlens.publish.exports import export_tables
    from budgetlens.publish.manifest import build_manifest, write_manifest
    from warehouse.db import connect
    from warehouse.models import MODELS, build_models

    wh = tmp_path / "empty.duckdb"
    con = connect(wh)
    try:
        assert build_models(con) == dict.fromkeys(MODELS, 0)
    finally:
        con.close()
    con = connect(wh, read_only=True)
    try:
        exports = export_tables(con, tmp_path / "pub")
        manifest = build_manifest(con, tmp_path / "pub", exports)
        write_manifest(tmp_path / "pub", manifest)
        result = build_report(con, tmp_path / "pub")
    finally:
        con.close()
    assert manifest["documents"]["used"] == [] and manifest["quarantined"] == []
    assert manifest["documents"]["jurisdictions"] == [] and all(
        e.rows == 0 for e in exports if e.name in MODELS
    )
    assert result.pages == 1 + len(PAGE_FILES) and result.pdfs_linked == 0
    ops = page(tmp_path / "pub" / "report" / "operating-costs.html")
    assert ops.css("table#t-operating_costs tbody tr") == []
    assert "No values to draw." in ops.body.text()
    assert "Every current document is compared." in page(result.index).body.text()


# --- every document accounted for (issue 14) ---------------------------------------------------------


def overview_counts(doc: HTMLParser) -> dict[str, int]:
    return {
        div.attributes["data-count"]: int(div.css_first("b").text())
        for div in doc.css("#overview .stat[data-count]")
    }


def left_out_rows(doc: HTMLParser) -> dict[str, dict[str, object]]:
    """doc_id -> outcome, reason, the file link of every row of the index's "Not compared" table."""
    out = {}
    for tr in doc.css("table#t-left-out tbody tr"):
        a = tr.css("td")[0].css_first("a")
        out[tr.attributes["data-doc"]] = {
            "outcome": tr.attributes["data-outcome"],
            "reason": tr.css("td")[-1].text(),
            "href": a.attributes["href"] if a else None,
        }
    return out


def compared_ids(report: Path) -> set[str]:
    doc = page(report / PAGE_FILES["headcount"])
    return {tr.attributes["data-doc"] for tr in doc.css("table#t-headcount tbody tr")}


def test_the_overview_counts_every_current_document_once(sample_report, sample_con):
    """current = compared + not compared + quarantined + failed, and the lists hold exactly those
    documents: each current document is either a row of the comparisons or of the "Not compared"
    table, never both, never neither."""
    out, _ = sample_report
    report = out / "report"
    index = page(report / "index.html")
    counts = overview_counts(index)
    current = dict(sample_con.execute("select doc_id, status from current_documents").fetchall())
    assert counts["current"] == len(current) > 0
    assert (
        counts["current"]
        == counts["compared"] + counts["not_compared"] + counts["quarantined"] + counts["failed"]
    )

    compared = compared_ids(report)
    left_out = left_out_rows(index)
    assert not compared & left_out.keys()
    assert compared | left_out.keys() == current.keys()
    assert (
        len(compared)
        == counts["compared"]
        == sample_con.execute("select count(*) from comparison_documents").fetchone()[0]
    )
    for outcome in ("not_compared", "quarantined", "failed"):
        assert sum(1 for r in left_out.values() if r["outcome"] == outcome) == counts[outcome], outcome
    for doc_id, r in left_out.items():
        assert r["reason"], doc_id  # every document left out says why
        assert r["outcome"] == (current[doc_id] if current[doc_id] != "published" else "not_compared")


def test_a_published_final_accounts_document_is_listed_as_not_compared_with_its_reason(
    sample_report, sample_con
):
    out, _ = sample_report
    finals = [
        r[0]
        for r in sample_con.execute(
            "select doc_id from current_documents where kind = 'final_accounts' and status = 'published'"
        ).fetchall()
    ]
    assert finals  # the sample corpus has one: 2022年深圳市福田区教育局部门决算
    left_out = left_out_rows(page(out / "report" / "index.html"))
    for doc_id in finals:
        assert left_out[doc_id]["outcome"] == "not_compared"
        assert "final_accounts" in left_out[doc_id]["reason"] and "only budgets" in left_out[doc_id]["reason"]


def test_documents_left_out_link_their_copy_in_the_raw_store(
    sample_report, sample_world: SampleWorld, sample_con
):
    """Quarantined (and other left-out) documents link the report's copy of the raw store's file,
    like the compared ones, not their source URL (gone once the site is)."""
    out, result = sample_report
    report = out / "report"
    sha_of = dict(sample_con.execute("select doc_id, file_sha256 from current_documents").fetchall())
    left_out = left_out_rows(page(report / "index.html"))
    quarantined = [d for d, r in left_out.items() if r["outcome"] == "quarantined"]
    assert len(quarantined) >= 5
    for doc_id, r in left_out.items():
        sha = sha_of[doc_id]
        raw = sample_world.raw_dir / sha[:2] / f"{sha}.pdf"
        assert raw.is_file(), doc_id  # the sample's raw store holds every file, bad inputs too
        assert r["href"] == f"pdf/{sha}.pdf", (doc_id, r["href"])
        copy = report / r["href"]
        assert copy.is_file() and copy.read_bytes() == raw.read_bytes()
    assert result.pdfs_missing == []


def test_a_left_out_document_without_a_copy_links_its_source_url(hostile_report):
    out, result, ids = hostile_report
    left_out = left_out_rows(page(out / "report" / "index.html"))
    assert left_out[ids["bad"]]["href"] == "http://127.0.0.1:8000/bad.pdf"
    assert ids["bad"] in result.pdfs_missing


def test_outcomes_come_from_the_warehouse_not_from_a_list(tmp_path):
    """A hand-made warehouse: a failed document, a final-accounts one, and a published budget that the
    comparison models leave out (as they might a part of a split publication): each is counted once,
    in its group, with the reason its own record gives."""
    from warehouse.db import connect
    from warehouse.loader import StatusUpdate, set_statuses
    from warehouse.models import build_models

    def rec(label, i, **extra):
        return hand_record(
            label,
            jurisdiction="深圳市戊区",
            department=f"深圳市戊区第{i}局",
            fiscal_year=2022,
            admin_actual=10 + i,
            **extra,
        )

    records = {
        label: rec(label, i) for i, label in enumerate(("b1", "b2", "b3", "left", "fa", "bad", "broken"))
    }
    records["fa"]["document"]["kind"] = "final_accounts"
    wh = tmp_path / "wh.duckdb"
    staging = tmp_path / "staging"
    staging.mkdir()
    ids = load_hand_records(wh, staging, records)
    con = connect(wh)
    try:
        set_statuses(
            con,
            [
                StatusUpdate(ids["bad"], "quarantined", "表1 ≠ 表7"),
                StatusUpdate(ids["broken"], "failed", "parse_error: no table found"),
            ],
        )
        build_models(con)
        for sql in (
            "delete from comparison_documents where doc_id = ?",
            "delete from headcount_comparison where doc_id = ?",
            "delete from operating_cost_comparison where doc_id = ?",
            "delete from procurement_share_comparison where doc_id = ?",
            "delete from peer_statistics where doc_id = ?",
        ):
            con.execute(sql, [ids["left"]])
        current = con.execute("select count(*) from current_documents").fetchone()[0]
    finally:
        con.close()
    ro = connect(wh, read_only=True)
    try:
        build_report(ro, tmp_path / "pub")
    finally:
        ro.close()
    report = tmp_path / "pub" / "report"
    index = page(report / "index.html")
    counts = overview_counts(index)
    assert counts == {"current": current, "compared": 3, "not_compared": 2, "quarantined": 1, "failed": 1}
    assert current == 7
    left_out = left_out_rows(index)
    assert compared_ids(report) == {ids["b1"], ids["b2"], ids["b3"]}
    assert {d: (r["outcome"], r["reason"]) for d, r in left_out.items()} == {
        ids["left"]: ("not_compared", "published, but no comparison uses it"),
        ids["fa"]: ("not_compared", "not a budget (kind final_accounts): only budgets are compared"),
        ids["bad"]: ("quarantined", "表1 ≠ 表7"),
        ids["broken"]: ("failed", "parse_error: no table found"),
    }


# --- row order and the chart's median line -------------------------------------------------------------


def test_ranked_order_is_highest_first_nulls_last_ties_by_name():
    rows = [
        {"doc_id": "1", "department": "乙局", "fiscal_year": 2022, "m": Decimal("5")},
        {"doc_id": "2", "department": "甲局", "fiscal_year": 2022, "m": None},
        {"doc_id": "3", "department": "丙局", "fiscal_year": 2022, "m": Decimal("9.5")},
        {"doc_id": "4", "department": "甲局", "fiscal_year": 2023, "m": Decimal("5")},
        {"doc_id": "5", "department": "丁局", "fiscal_year": 2022, "m": Decimal("-1")},
        {"doc_id": "6", "department": "乙局", "fiscal_year": 2023, "m": Decimal("5")},
        {"doc_id": "7", "department": "丁局", "fiscal_year": 2022, "m": None},
    ]
    ordered = [r["doc_id"] for r in ranked_order(rows, "m")]
    # 5 three times: by name (code point: 乙 < 甲), the later year first; nulls last, by name too
    assert ordered == ["3", "6", "1", "4", "5", "7", "2"]
    floats = [
        {"doc_id": str(i), "department": "", "fiscal_year": 2022, "m": v}
        for i, v in enumerate((0.1, None, 0.3))
    ]
    assert [r["doc_id"] for r in ranked_order(floats, "m")] == ["2", "0", "1"]


@pytest.mark.parametrize("key", PER_BUDGET_PAGES)
def test_comparison_tables_are_ordered_by_the_ranked_metric(sample_report, key):
    """The table's rows come in the order of the rank (highest first), empty values last, ties by name;
    the ranked column's header says it is sorted descending."""
    out, _ = sample_report
    comp = next(c for c in COMPARISONS if c.key == key)
    doc = page(out / "report" / PAGE_FILES[key])
    heads = [th.attributes.get("data-col") for th in doc.css(f"table#t-{key} thead th")]
    col = heads.index(comp.default_sort)
    assert doc.css(f"table#t-{key} thead th")[col].attributes.get("aria-sort") == "descending"
    rows = doc.css(f"table#t-{key} tbody tr")
    values = [tr.css("td")[col].attributes["data-v"] for tr in rows]
    names = [tr.css("td")[0].attributes["data-v"] for tr in rows]
    filled = [Decimal(v) for v in values if v]
    assert len(filled) > 10
    if key == "operating_costs":
        assert len(filled) < len(values)  # the sample has empty values here: they must come last
    assert values[len(filled) :] == [""] * (len(values) - len(filled))
    assert filled == sorted(filled, reverse=True)
    for i in range(1, len(filled)):
        if filled[i] == filled[i - 1]:
            assert names[i - 1] <= names[i], (names[i - 1], names[i])


def test_value_labels_keep_clear_of_the_median_line():
    # a label that would start left of the line and run across it starts right of it
    assert value_label_x(100.0, "48,759.09", 120.0) == 124.0
    assert value_label_x(100.0, "48,759.09", 96.0) == 124.0 - 24.0  # line left of the label: unchanged
    assert value_label_x(100.0, "1", 100.0 + text_width("1") + 10) == 100.0  # short label ends before it
    assert value_label_x(100.0, "48,759.09", None) == 100.0


def svg_value_labels_and_medians(
    svg: str,
) -> tuple[list[tuple[float, float, str]], list[tuple[float, float, float]]]:
    labels = [
        (float(x), float(y), t)
        for x, y, t in re.findall(r'<text class="val" x="([\d.]+)" y="(\d+)">([^<]*)</text>', svg)
    ]
    medians = [
        (float(x), float(y1), float(y2))
        for x, y1, y2 in re.findall(
            r'<line class="median" x1="([\d.]+)" x2="[\d.]+" y1="(\d+)" y2="(\d+)"', svg
        )
    ]
    return labels, medians


def test_the_median_line_runs_through_no_value_label():
    """Bars ending just short of, at and past their group's median: no label's box (its width by the
    generous estimate, the text's height) crosses the dashed line."""
    values = [27207.58, 33857.5, 36000.0, 38153.03, 38900.0, 50811.86, 83709.68]
    bars = [Bar(f"局{i}", v, "教育") for i, v in enumerate(values)]
    svg = str(bar_chart(bars, title="t", fmt=lambda v: f"{v:,.2f}", medians={"教育": 38153.03}))
    labels, medians = svg_value_labels_and_medians(svg)
    assert len(labels) == len(values) and len(medians) == 1
    mx, y1, y2 = medians[0]
    crossing_before = 0
    for x, y, text in labels:
        assert y1 <= y - 11 and y <= y2  # each label is on a row the line spans
        assert not (x <= mx <= x + text_width(text)), (text, x, mx)
        crossing_before += x == pytest.approx(mx + 4)
    assert crossing_before >= 2  # some labels had to move: the test would see a line through them


def test_a_department_pages_peer_table_is_ordered_by_its_first_figure(sample_report):
    out, _ = sample_report
    checked = 0
    for f in sorted((out / "report" / "departments").glob("*.html")):
        rows = page(f).css("table#t-peers tbody tr")
        values = [tr.css("td")[2].attributes["data-v"] for tr in rows]
        filled = [Decimal(v) for v in values if v]
        assert filled == sorted(filled, reverse=True), f.name
        assert values[len(filled) :] == [""] * (len(values) - len(filled)), f.name
        checked += len(filled) > 2
    assert checked > 5
