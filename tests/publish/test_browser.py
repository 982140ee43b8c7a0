"""The report in headless Chromium, opened from file:// (no server): no console errors, the expected
rows, sorting and filtering work, hostile strings render as text. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from .world import HOSTILE_DEPARTMENT, REPO, SampleWorld

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (CI installs it with .ci/run)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright (the [corpus] extra) drives the system Chromium"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def open_page(browser):
    """Open a report file; returns (page, problems): console errors, page errors, failed requests."""
    pages = []

    def _open(path: Path, width: int = 1400):
        page = browser.new_page(viewport={"width": width, "height": 1000})
        problems: list[str] = []
        page.on(
            "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        pages.append(page)
        return page, problems

    yield _open
    for p in pages:
        p.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def column_values(page, table_id: str, col: int) -> list[str]:
    return page.eval_on_selector_all(
        f"#{table_id} tbody tr:not([hidden])", f"rows => rows.map(r => r.cells[{col}].getAttribute('data-v'))"
    )


def test_every_page_loads_from_disk_without_errors(sample_report, open_page):
    out, _ = sample_report
    report = out / "report"
    some_department = sorted((report / "departments").glob("*.html"))[0]
    for path in (report / "index.html", report / "headcount.html", report / "operating-costs.html",
                 report / "procurement.html", some_department):  # fmt: skip
        page, problems = open_page(path)
        assert problems == [], (path.name, problems)
        assert page.title().endswith("· budgetlens")
        screenshot(page, f"report-{path.stem}.png")


def compared_ids(con) -> list[str]:
    """The doc_ids the comparisons hold (the sample's published budgets the warehouse counts once)."""
    return sorted(r[0] for r in con.execute("select doc_id from comparison_documents").fetchall())


def test_tables_hold_the_expected_rows_and_sort(
    sample_report, sample_world: SampleWorld, sample_con, open_page
):
    out, _ = sample_report
    page, problems = open_page(out / "report" / "operating-costs.html")
    ids = page.eval_on_selector_all("#t-operating_costs tbody tr", "rows => rows.map(r => r.dataset.doc)")
    assert sorted(ids) == compared_ids(sample_con) and set(ids) <= sample_world.published_budgets
    assert page.inner_text(".filters .count") == f"{len(ids)} of {len(ids)} rows"

    heads = page.eval_on_selector_all(
        "#t-operating_costs thead th", "ths => ths.map(t => t.dataset.col || '')"
    )
    col = heads.index("agency_running_cost_per_staff")
    th = page.locator("#t-operating_costs thead th").nth(col)

    th.click()
    assert th.get_attribute("aria-sort") == "ascending"
    values = column_values(page, "t-operating_costs", col)
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers) and len(numbers) > 10
    assert values[len(numbers) :] == [""] * (len(values) - len(numbers))  # nulls last

    th.click()
    assert th.get_attribute("aria-sort") == "descending"
    values = column_values(page, "t-operating_costs", col)
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers, reverse=True)
    assert values[len(numbers) :] == [""] * (len(values) - len(numbers))  # still last

    # a text column sorts too
    page.locator("#t-operating_costs thead th").nth(0).click()
    names = column_values(page, "t-operating_costs", 0)
    assert names == page.evaluate("n => [...n].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN'))", names)
    screenshot(page, "report-operating-costs-sorted.png")
    assert problems == []


def test_filters(sample_report, sample_con, open_page):
    out, _ = sample_report
    page, problems = open_page(out / "report" / "procurement.html")
    total = len(compared_ids(sample_con))
    page.select_option(".filters select[data-filter=jurisdiction]", "深圳市罗湖区")
    want = sample_con.execute(
        "select count(*) from procurement_share_comparison where jurisdiction = '深圳市罗湖区'"
    ).fetchone()[0]
    assert page.locator("#t-procurement tbody tr:not([hidden])").count() == want
    assert page.inner_text(".filters .count") == f"{want} of {total} rows"
    page.select_option(".filters select[data-filter=year]", "2022")
    page.fill(".filters input[data-filter=text]", "科技创新")
    rows = page.eval_on_selector_all(
        "#t-procurement tbody tr:not([hidden])",
        "rs => rs.map(r => r.cells[0].querySelector('a').innerText.trim())",
    )
    assert rows == ["深圳市罗湖区科技创新局"]
    page.select_option(".filters select[data-filter=jurisdiction]", "")
    page.select_option(".filters select[data-filter=year]", "")
    page.fill(".filters input[data-filter=text]", "")
    assert page.locator("#t-procurement tbody tr:not([hidden])").count() == total
    assert problems == []


def test_hostile_strings_render_as_text(hostile_report, open_page):
    out, _, ids = hostile_report
    for name in ("index.html", "operating-costs.html"):
        page, problems = open_page(out / "report" / name)
        assert page.evaluate("typeof window.__pwned") == "undefined", name
        assert problems == [], (name, problems)
        assert page.locator("img[src=x]").count() == 0
        assert page.get_by_text(HOSTILE_DEPARTMENT, exact=True).count() >= 1, name
    index, _ = open_page(out / "report" / "index.html")
    options = index.eval_on_selector_all("#dept-list option", "os => os.map(o => o.value)")
    assert any(o.startswith(HOSTILE_DEPARTMENT) for o in options)
    screenshot(index, "report-hostile-index.png")


def test_department_search_goes_to_the_department(sample_report, open_page):
    out, _ = sample_report
    page, problems = open_page(out / "report" / "index.html")
    options = page.eval_on_selector_all("#dept-list option", "os => os.map(o => o.value)")
    target = next(o for o in options if o.startswith("深圳市罗湖区科技创新局 "))
    page.fill("#dept-go", target)
    page.dispatch_event("#dept-go", "change")
    page.wait_for_url("**/departments/*.html")
    assert page.locator("h1").inner_text() == "深圳市罗湖区科技创新局"
    screenshot(page, "report-department-seed.png")
    assert problems == []


def test_charts_render(sample_report, open_page):
    out, _ = sample_report
    page, _ = open_page(out / "report" / "operating-costs.html")
    box = page.locator("svg.chart").first.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 100
    assert page.locator("svg.chart").first.locator("rect").count() > 10


def test_artifacts_folder_is_ignored_by_git():
    assert "/test-artifacts/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


# JS: for one table, the boxes of its first-column cell (row 3), a cell further right in that row,
# the header cell of that column and the scroll box, and what is drawn on top at the first two.
TABLE_GEOMETRY = """([id, col]) => {
  const table = document.getElementById(id);
  const wrap = table.closest('.table-wrap');
  const row = table.tBodies[0].rows[2];
  const first = row.cells[0], other = row.cells[col], head = table.tHead.rows[0].cells[col];
  const box = e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const onTop = e => { const r = e.getBoundingClientRect();
    return e.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); };
  const wb = box(wrap);
  return {
    wrap: {...wb, top: wb.y + wrap.clientTop, left: wb.x + wrap.clientLeft, scrollWidth: wrap.scrollWidth,
           clientWidth: wrap.clientWidth, scrollHeight: wrap.scrollHeight, clientHeight: wrap.clientHeight},
    first: box(first), other: box(other), head: box(head), corner: box(table.tHead.rows[0].cells[0]),
    firstOnTop: onTop(first), headOnTop: onTop(head), cornerOnTop: onTop(table.tHead.rows[0].cells[0]),
    firstBackground: getComputedStyle(first).backgroundColor,
    headBackground: getComputedStyle(head).backgroundColor,
  };
}"""


def test_a_wide_table_keeps_its_department_column_and_header_in_view(sample_report, open_page):
    """Issue 14: the operating-costs table is wider than the page; scrolled sideways its first column
    stays put (and covers the cells scrolled under it), scrolled down its header stays at the top."""
    out, _ = sample_report
    page, problems = open_page(out / "report" / "operating-costs.html", width=1300)
    table = "t-operating_costs"
    page.locator(f"#{table}").scroll_into_view_if_needed()
    page.eval_on_selector(f"#{table}", "t => t.closest('.table-wrap').scrollIntoView()")
    # a column in view that scrolling 600 px sideways keeps in view, right of the frozen one
    rights = page.eval_on_selector_all(
        f"#{table} thead th", "ths => ths.map(t => t.getBoundingClientRect().right)"
    )
    col = next(i for i, right in enumerate(rights) if right > rights[0] + 700)
    before = page.evaluate(TABLE_GEOMETRY, [table, col])
    assert before["head"]["x"] + before["head"]["w"] < before["wrap"]["x"] + before["wrap"]["clientWidth"]
    wrap = before["wrap"]
    assert wrap["scrollWidth"] > wrap["clientWidth"] + 300, wrap  # the table is wider than its box
    assert wrap["scrollHeight"] > wrap["clientHeight"] + 300, wrap  # and taller: the box scrolls both ways
    assert before["firstOnTop"] and before["headOnTop"]
    for key in ("firstBackground", "headBackground"):
        assert before[key] not in ("rgba(0, 0, 0, 0)", "transparent"), key  # opaque: nothing shows through

    page.eval_on_selector(f"#{table}", "t => { t.closest('.table-wrap').scrollLeft = 600; }")
    side = page.evaluate(TABLE_GEOMETRY, [table, col])
    assert side["other"]["x"] == pytest.approx(before["other"]["x"] - 600, abs=1)  # the rest scrolled
    assert side["first"]["x"] == pytest.approx(before["first"]["x"], abs=0.5)  # the first column did not
    assert side["first"]["x"] >= side["wrap"]["left"] - 0.5
    assert side["firstOnTop"] and side["cornerOnTop"]  # drawn over the cells scrolled beneath it
    screenshot(page, "report-table-scrolled-sideways.png")

    page.eval_on_selector(f"#{table}", "t => { t.closest('.table-wrap').scrollTop = 700; }")
    down = page.evaluate(TABLE_GEOMETRY, [table, col])
    assert down["first"]["y"] == pytest.approx(side["first"]["y"] - 700, abs=1)  # the rows scrolled
    assert down["head"]["y"] == pytest.approx(down["wrap"]["top"], abs=0.5)  # the header is at the top
    assert down["corner"]["x"] == pytest.approx(before["corner"]["x"], abs=0.5)
    assert down["corner"]["y"] == pytest.approx(down["wrap"]["top"], abs=0.5)
    assert down["headOnTop"] and down["cornerOnTop"]
    screenshot(page, "report-table-scrolled-down.png")
    assert problems == []


# JS: every value label of the page's bar charts whose drawn box the group's median line crosses.
LABELS_ON_MEDIAN = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const hits = [];
  let labels = 0, lines = 0;
  document.querySelectorAll('svg.chart').forEach(svg => {
    const medians = [...svg.querySelectorAll('line.median')].map(l =>
      ({x: l.x1.baseVal.value, y1: l.y1.baseVal.value, y2: l.y2.baseVal.value}));
    lines += medians.length;
    svg.querySelectorAll('text.val').forEach(t => {
      const b = t.getBBox();
      labels += 1;
      medians.forEach(m => {
        if (b.x - 1 <= m.x && m.x <= b.x + b.width + 1 && b.y < m.y2 && b.y + b.height > m.y1) {
          hits.push(t.textContent + ' at x ' + b.x.toFixed(1) + '..' + (b.x + b.width).toFixed(1) + ', line at ' + m.x);
        }
      });
    });
  });
  return {hits, labels, lines};
}"""


@pytest.mark.parametrize("name", ["operating-costs.html", "headcount.html"])
def test_the_median_line_runs_through_no_value_label_as_drawn(sample_report, open_page, name):
    """The dashed median line of each peer group crosses no value label's box as Chromium draws it
    (every year's chart, the folded ones opened)."""
    out, _ = sample_report
    page, problems = open_page(out / "report" / name)
    found = page.evaluate(LABELS_ON_MEDIAN)
    assert found["lines"] > 5 and found["labels"] > 50, found
    assert found["hits"] == []
    assert problems == []
