"""Hostile inputs through the whole pipeline: a drop folder holding crafted hostile PDFs (a
decompression bomb, a looping page tree, a lying page count, deep nesting, a font without a
Unicode map, JavaScript/launch actions), mutated sample PDFs, files that are not PDFs, file names
made of SQL and markup, and a real-looking budget whose department name carries a script. One
`budgetlens run` with tight parser limits: it succeeds, every PDF ends as exactly one document
(published, or quarantined with a classified error), nothing is lost or duplicated, and the
report shows the hostile name as text in headless Chromium without running it.
"""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from budgetlens.fields import ERROR_CODES
from tests.reliability.common import REPO, SAMPLE_SITES
from tests.reliability.crafted.hostile import CRAFTED, active_content
from tests.reliability.crafted.mutate import Mutation
from tests.reliability.world import World

pytestmark = [pytest.mark.reliability, pytest.mark.slow, pytest.mark.xdist_group("reliability-drop")]

AREA = "pipeline input"
GOOD = SAMPLE_SITES / "jingan/files/2023年上海市静安区教育局部门预算.pdf"
HOSTILE_DEPARTMENT = "深圳市宝安区<script>window.__pwned=1</script><img/src=x/onerror=window.__pwned=2>教育局"
SQL_NAME = "x'; drop table documents; --.pdf"
MARKUP_NAME = '<img src=x onerror="window.__pwned=3">.pdf'
CRAFTED_HERE = (
    "bomb_content_2gib",
    "loop_pages_tree",
    "pages_claimed_50000",
    "deep_dictionaries",
    "font_type0_no_tounicode",
)
MUTATIONS = [
    Mutation("jingan", "flip", (1, 40)),
    Mutation("jingan", "truncate", (0.6, True)),
    Mutation("jingan", "delete_xref", (None,)),
    Mutation("jingan", "duplicate", ((0.1, 0.5, 0.9), 0.3, True)),
    Mutation("jingan", "scramble_stream", (0.5, 0.2, 2048, 7)),
]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def hostile_department_pdf(out: Path) -> Path:
    """A sample budget rendered again with a department name that is markup and script."""
    from corpus.render import render_document

    truth = json.loads((REPO / "sample/truth/baoan-jyj-2022.json").read_text(encoding="utf-8"))
    truth = json.loads(
        json.dumps(copy.deepcopy(truth), ensure_ascii=False).replace("深圳市宝安区教育局", HOSTILE_DEPARTMENT)
    )
    render_document(truth, out)
    return out


@dataclass
class DropWorld:
    world: World
    drop: Path
    pdfs: dict[str, str]  # file name -> what it is
    not_pdfs: list[str]
    result: object


@pytest.fixture(scope="module")
def drop_world(tmp_path_factory) -> DropWorld:
    from corpus.fonts import missing_fonts

    if missing_fonts():
        pytest.skip(f"the corpus renderer needs CJK fonts that are not installed: {missing_fonts()}")
    root = tmp_path_factory.mktemp("drop-world")
    drop = root / "drop"
    drop.mkdir()
    pdfs: dict[str, str] = {}
    shutil.copyfile(GOOD, drop / GOOD.name)
    pdfs[GOOD.name] = "good"
    hostile_department_pdf(drop / SQL_NAME)  # fonts were checked above: any failure here is a failure
    pdfs[SQL_NAME] = "hostile department name"
    shutil.copyfile(
        SAMPLE_SITES / "jingan/files/2023年上海市静安区卫生健康委员会部门预算.pdf", drop / MARKUP_NAME
    )
    pdfs[MARKUP_NAME] = "good (markup file name)"
    for c in CRAFTED:
        if c.name in CRAFTED_HERE:
            (drop / f"crafted-{c.name}.pdf").write_bytes(c.build())
            pdfs[f"crafted-{c.name}.pdf"] = c.what
    (drop / "crafted-active.pdf").write_bytes(active_content(str(root / "launch.sh"), "http://127.0.0.1:9"))
    pdfs["crafted-active.pdf"] = "JavaScript and launch actions"
    source = (SAMPLE_SITES / "jingan/files/2023年上海市静安区卫生健康委员会部门预算.pdf").read_bytes()
    for i, m in enumerate(MUTATIONS):
        name = f"mutated-{i}-{m.kind}.pdf"
        (drop / name).write_bytes(m.apply(source))
        pdfs[name] = f"mutated: {m.kind}"
    contents = [(drop / n).read_bytes() for n in pdfs]
    assert len(set(contents)) == len(contents), "every PDF here differs (the store keeps one per content)"
    (drop / "error-page.pdf").write_text("<html><body>503 系统繁忙</body></html>", encoding="utf-8")
    (drop / "empty.pdf").write_bytes(b"")
    w = World(root, sites=[], simulated=False, defaults={"settle_seconds": 0.0})
    w.extra_sources = f"[sources.drop]\ndrop_dir = {json.dumps(str(drop))}\n"
    w.write_sources()
    result = w.run("--timeout", "20", "--memory-mb", "768")
    return DropWorld(w, drop, pdfs, ["error-page.pdf", "empty.pdf"], result)


def test_the_run_succeeds_and_every_pdf_is_one_document(drop_world: DropWorld, faults):
    w, r = drop_world.world, drop_world.result
    assert r.returncode == 0, r.stdout + r.stderr
    rows = w.query("select file_name, status, error_code, status_reason from documents")
    by_name: dict[str, list] = {}
    for name, *rest in rows:
        by_name.setdefault(name, []).append(rest)
    for name, what in sorted(drop_world.pdfs.items()):
        with faults.trial(f"through the pipeline: {what}", AREA) as t:
            got = by_name.get(name, [])
            t.rows_lost = 0 if got else 1
            assert len(got) == 1, (name, got)
            status, code, reason = got[0]
            assert status in ("published", "quarantined"), (name, status, reason)
            assert code is None or code in ERROR_CODES
            if code is not None:
                assert status == "quarantined" and reason.startswith(code)
            if what.startswith("good") or what == "hostile department name":
                assert code is None, (name, reason)
            t.outcome(code or f"parsed, {status}")
    assert set(by_name) == set(drop_world.pdfs) and w.duplicates() == 0


def test_files_that_are_not_pdfs_are_refused_and_logged(drop_world: DropWorld, faults):
    w = drop_world.world
    for name in drop_world.not_pdfs:
        with faults.trial("through the pipeline: not a PDF (.pdf name)", AREA) as t:
            rows = w.query("select outcome, error from fetch_log where url like ?", [f"%/{name}"])
            assert rows and rows[0][0] == "rejected_not_pdf", rows
            t.outcome("rejected_not_pdf")


def test_hostile_names_are_stored_as_text(drop_world: DropWorld):
    w = drop_world.world
    assert w.query("select count(*) from documents where file_name = ?", [SQL_NAME]) == [(1,)]
    (department,) = w.query("select department from documents where file_name = ?", [SQL_NAME])[0]
    assert department.startswith("深圳市宝安区<script>window.__pwned=1</script>")
    tables = {r[0] for r in w.query("select table_name from information_schema.tables")}
    assert {"documents", "totals", "fetch_log", "runs"} <= tables


@pytest.mark.browser
def test_the_report_shows_hostile_names_as_text_and_runs_no_script(drop_world: DropWorld, faults):
    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (CI installs it with .ci/run)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright (the [corpus] extra) drives Chromium"
    )
    report = drop_world.world.out / "report"
    pages = sorted(report.rglob("*.html"))
    assert pages, f"no report in {report}"
    with faults.trial(
        "report of hostile names in headless Chromium", AREA, see_also="tests/publish/test_browser.py"
    ) as t:
        shown = []
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            try:
                for path in pages:
                    page = browser.new_page()
                    dialogs: list[str] = []
                    page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
                    page.goto(path.resolve().as_uri())
                    page.wait_for_load_state("load")
                    assert page.evaluate("() => window.__pwned === undefined"), path.name
                    assert dialogs == [], path.name
                    assert (
                        page.evaluate(
                            "() => document.querySelectorAll('img[onerror], script:not([src]):not([type])').length"
                        )
                        == 0
                    )
                    text = page.evaluate("() => document.body.innerText")
                    if "<script>window.__pwned=1</script>" in text or MARKUP_NAME in text:
                        shown.append(path.name)
                    page.close()
            finally:
                browser.close()
        assert shown, "the hostile name is shown as text on some page"
        t.outcome(f"{len(pages)} pages, shown as text on {len(shown)}, no script ran")
