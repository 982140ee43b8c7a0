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


def test_tables_hold_the_expected_rows_and_sort(sample_report, sample_world: SampleWorld, open_page):
    out, _ = sample_report
    page, problems = open_page(out / "report" / "operating-costs.html")
    ids = page.eval_on_selector_all("#t-operating_costs tbody tr", "rows => rows.map(r => r.dataset.doc)")
    assert sorted(ids) == sorted(sample_world.published_budgets)
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


def test_filters(sample_report, sample_world: SampleWorld, sample_con, open_page):
    out, _ = sample_report
    page, problems = open_page(out / "report" / "procurement.html")
    total = len(sample_world.published_budgets)
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
