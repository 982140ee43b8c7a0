"""`budgetlens status` at 80 columns (issue 14): a summary that fits, counts that are the
warehouse's, every reason with --verbose, human times, jurisdiction names instead of source ids.

One real DuckDB warehouse, filled the way the pipeline fills it (staged records, the quality
stage's writers, a RunSummary in `runs`, fetch_log rows with source ids)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest

from expectations.decide import decide
from expectations.spec import Finding
from expectations.store import write_results, write_statuses
from pipeline.cli import main
from pipeline.commands.status import cut, duration, local_time, run_lines, wrap
from tests.warehouse.helpers import finish_run, start_run
from tests.warehouse.records import REPO, error_record, luohu_record, sha
from warehouse.db import connect
from warehouse.loader import load_fetch_log, load_staged
from warehouse.staging import stage_records

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
RUN_START = datetime(2026, 1, 5, 3, 0, 0, tzinfo=UTC)
RUN_SECONDS = 125  # "2 min 5 s"
EDU = sha("luohu-edu-2023")
# Three error-level findings of one document: each message alone is wider than 80 columns.
MESSAGES = [
    "表7 一般公共预算支出表（按功能分类） 20601 科学技术管理事务 合计（第14页） 572 万元 ≠ Σ项 合计 567 万元"
    "（334 万元 + 233 万元）（相差 5 万元 = 50,000.00 元，容差 1.5 万元）",
    "表7 一般公共预算支出表（按功能分类） 206 科学技术支出 合计（第14页） 7,609 万元 ≠ Σ款 合计 7,614 万元"
    "（572 万元 + 2,715 万元 + 2,493 万元 + 1,834 万元）（相差 5 万元 = 50,000.00 元，容差 2.5 万元）",
    "表1 收支总表 支出总计（第8页） 71,860.32 万元 ≠ 表7 一般公共预算支出表（按功能分类） 深圳市罗湖区教育局"
    "（第14页） 71,861.32 万元（相差 1 万元 = 10,000.00 元，容差 0.005 万元）",
]
EXPECTATIONS = [
    "function_items_sum_to_section",
    "function_sections_sum_to_class",
    "printings_agree_across_tables",
]
SOURCES_TOML = """
[sources.dapeng]
name = "深圳市大鹏新区"
listing = "https://www.dpxq.gov.cn/zwgk/czxx/"
"""
EPOCH = re.compile(r"\b1[0-9]{9}(?:\.[0-9]+)?\b")
DICT_OR_LIST_REPR = re.compile(r"[{}\[\]]|'\w+': |\"\w+\": ")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d|\+00:00")
SOURCE_ID = re.compile(r"\b(?:luohu|dapeng)\b")


def display_width(text: str) -> int:
    """Columns a terminal gives the text: East Asian wide/full-width characters take two,
    combining marks none (measured independently of the code under test)."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Published: 1 (罗湖 科技创新局). Quarantined: 2 truncated files (罗湖, whose rows hold only the
    source id `luohu`), 1 encrypted file of `dapeng` (no parsed document names it: only the sources
    config does), 1 document failing 3 expectations (罗湖 教育局). One run, two fetch errors."""
    base = tmp_path_factory.mktemp("status")
    wh, staging = base / "warehouse.duckdb", base / "staging"
    paths = stage_records(
        staging,
        [luohu_record()],
        source_url="http://127.0.0.1/luohu/a.pdf",
        jurisdiction_hint="luohu",
        fetched_at=T0,
    )
    paths += stage_records(
        staging,
        [error_record(sha("broken-1"))],
        source_url="http://127.0.0.1/luohu/b.pdf",
        file_name="2023年深圳市罗湖区城市管理和综合执法局部门预算.pdf",
        jurisdiction_hint="luohu",
        fetched_at=T0,
    )
    paths += stage_records(
        staging,
        [
            error_record(
                sha("broken-2"), message="the file ends after 67995 bytes without the %%EOF end marker"
            )
        ],
        source_url="http://127.0.0.1/luohu/c.pdf",
        file_name="2022年深圳市罗湖区统计局部门预算.pdf",
        jurisdiction_hint="luohu",
        fetched_at=T0,
    )
    paths += stage_records(
        staging,
        [error_record(sha("locked"), code="encrypted", message="the file is encrypted and needs a password")],
        source_url="http://127.0.0.1/dapeng/d.pdf",
        file_name="2023年深圳市大鹏新区住房和建设局部门预算.pdf",
        jurisdiction_hint="dapeng",
        fetched_at=T0,
    )
    paths += stage_records(
        staging,
        [luohu_record(EDU, department="深圳市罗湖区教育局", fiscal_year=2023)],
        source_url="http://127.0.0.1/luohu/e.pdf",
        jurisdiction_hint="luohu",
        fetched_at=T0,
    )
    load_staged(wh, paths)

    con = connect(wh)
    findings = [
        Finding(EDU, exp, "identities", "error", f"item-{i}", msg)
        for i, (exp, msg) in enumerate(zip(EXPECTATIONS, MESSAGES, strict=True))
    ]
    write_results(con, [EDU], findings, T0)
    # a short reason limit, as a warehouse configured so would hold: the stored reason is cut
    write_statuses(con, decide([EDU], findings, reason_chars=120))

    from pipeline.runner import RunSummary

    summary = RunSummary(
        run_id="run-7",
        started_at=RUN_START,
        finished_at=RUN_START + timedelta(seconds=RUN_SECONDS),
        success=True,
        sources=2,
        found=5,
        downloaded=5,
        fetch_errors=2,
        fetch_problems=[
            {"source": "dapeng", "url": "http://127.0.0.1/dapeng/x.pdf", "outcome": "http_error"}
        ],
        parsed=5,
        loaded=5,
        published=1,
        quarantined=[("b.pdf", "truncated"), ("c.pdf", "truncated"), ("d.pdf", "encrypted"), ("e.pdf", "…")],
        outputs={"warehouse": str(wh), "report": "data/published/report/index.html"},
        elapsed_s=124.93871,
        steps={
            "raw_documents": {"start": 1796577813.1986384, "end": 1796577815.8237853, "seconds": 2.625},
            "html_report": {"start": 1796577817.273497, "end": 1796577817.3452697, "seconds": 0.072},
        },
    )
    start_run(con, "run-7", started_at=RUN_START)
    finish_run(con, "run-7", "succeeded", summary.to_json(), finished_at=summary.finished_at)
    error = {
        "jurisdiction": "dapeng",
        "kind": "document",
        "status": 500,
        "outcome": "http_error",
        "attempts": 3,
    }
    load_fetch_log(
        con,
        [
            {**error, "url": "http://127.0.0.1/dapeng/x.pdf", "fetched_at": T0, "error": "500 three times"},
            {
                **error,
                "url": "http://127.0.0.1/dapeng/x.pdf",
                "fetched_at": T0 + timedelta(hours=1),
                "error": "500 three times",
            },
            {
                "jurisdiction": "luohu",
                "kind": "document",
                "url": "http://127.0.0.1/luohu/a.pdf",
                "fetched_at": T0,
                "status": 200,
                "outcome": "downloaded",
                "attempts": 1,
            },
        ],
    )
    con.close()
    sources = base / "sources.toml"
    sources.write_text(SOURCES_TOML, encoding="utf-8")
    return wh, sources


def status(capsys, monkeypatch, warehouse, *extra: str, columns: int = 80) -> tuple[int, list[str], str]:
    wh, sources = warehouse
    monkeypatch.setenv("COLUMNS", str(columns))
    rc = main(["status", "--warehouse", str(wh), "--sources", str(sources), *extra])
    out = capsys.readouterr()
    return rc, out.out.splitlines(), out.err


def query(warehouse, sql: str, params: list | None = None) -> list[tuple]:
    con = connect(warehouse[0], read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("verbose", [False, True])
@pytest.mark.parametrize("columns", [80, 60])
def test_every_line_fits_the_width(warehouse, capsys, monkeypatch, verbose, columns):
    rc, lines, err = status(
        capsys, monkeypatch, warehouse, *(["--verbose"] if verbose else []), columns=columns
    )
    assert rc == 0, err
    too_wide = [(display_width(line), line) for line in lines if display_width(line) > columns]
    assert not too_wide
    assert len(lines) < 60


def test_the_summary_counts_are_the_warehouses(warehouse, capsys, monkeypatch):
    _, lines, _ = status(capsys, monkeypatch, warehouse)
    text = "\n".join(lines)
    by_status = dict(query(warehouse, "select status, count(*) from current_documents group by status"))
    assert by_status == {"published": 1, "quarantined": 4}  # the fixture is what the test thinks it is
    documents = next(line for line in lines if line.startswith("Documents"))
    assert f"{sum(by_status.values())} current documents" in documents
    for s, n in by_status.items():
        assert f"{n} {s}" in documents

    # by reason, computed here from the parser's error codes and the failed expectations
    expected: dict[str, int] = {}
    for doc_id, code in query(
        warehouse,
        "select doc_id, error_code from current_documents where status <> 'published'",
    ):
        keys = (
            [code]
            if code
            else [
                r[0]
                for r in query(
                    warehouse,
                    "select distinct expectation from quality_results where doc_id = ? and severity = 'error'",
                    [doc_id],
                )
            ]
        )
        for k in keys:
            expected[k] = expected.get(k, 0) + 1
    start = lines.index("By reason (quarantined and failed documents)")
    shown = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        n, reason = line.split()
        shown[reason] = int(n)
    assert shown == expected == {"truncated": 2, "encrypted": 1, **dict.fromkeys(EXPECTATIONS, 1)}
    assert list(shown)[0] == "truncated"  # most frequent first
    assert "Quarantined (4)" in text
    problem_lines = [line for line in lines if line.startswith("  深圳市")]
    assert len(problem_lines) == 4  # one line per quarantined document


def test_verbose_shows_in_full_the_reasons_the_summary_cuts(warehouse, capsys, monkeypatch):
    _, short, _ = status(capsys, monkeypatch, warehouse)
    _, full, _ = status(capsys, monkeypatch, warehouse, "--verbose")

    def squeezed(lines: list[str]) -> str:
        return re.sub(r"\s+", "", "".join(lines))

    edu = next(line for line in short if "教育局" in line)
    assert edu.endswith("… (+2)")  # the first reason, cut; two more
    reason = edu.split("教育局", 1)[1].removesuffix("… (+2)").strip()
    assert len(reason) > 10 and MESSAGES[0].startswith(reason)
    for message in MESSAGES:
        assert squeezed([message]) not in squeezed(short)
        assert squeezed([message]) in squeezed(full)  # every reason, whole, though the stored one was cut
    stored = query(warehouse, "select status_reason from documents where doc_id = ?", [EDU])[0][0]
    assert stored.endswith("…") and squeezed([MESSAGES[2]]) not in squeezed([stored])
    assert any(line.startswith("    3. ") for line in full)


def test_no_epoch_numbers_dict_reprs_or_iso_times(warehouse, capsys, monkeypatch):
    for extra in ([], ["--verbose"]):
        _, lines, _ = status(capsys, monkeypatch, warehouse, *extra)
        text = "\n".join(lines)
        assert not EPOCH.search(text), EPOCH.search(text)
        assert not DICT_OR_LIST_REPR.search(text), DICT_OR_LIST_REPR.search(text)
        assert not ISO_TIME.search(text), ISO_TIME.search(text)
        assert "elapsed_s" not in text and "fetch_problems" not in text


def test_the_last_run_in_words_and_local_time(warehouse, capsys, monkeypatch):
    _, lines, _ = status(capsys, monkeypatch, warehouse)
    text = " ".join(" ".join(lines).split())
    started = RUN_START.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert f"Last run succeeded, started {started}, took 2 min 5 s" in text
    for words in (
        "2 sources",
        "5 documents found",
        "5 downloaded",
        "2 fetch errors",
        "1 published",
        "4 quarantined",
    ):
        assert words in text
    _, verbose, _ = status(capsys, monkeypatch, warehouse, "--verbose")
    text = " ".join(" ".join(verbose).split())
    assert "run id run-7" in text and "raw_documents 2.6 s, html_report 72 ms" in text


def test_jurisdictions_are_names_never_source_ids(warehouse, capsys, monkeypatch):
    assert (
        query(warehouse, "select count(*) from documents where jurisdiction in ('luohu', 'dapeng')")[0][0]
        == 3
    )
    _, lines, _ = status(capsys, monkeypatch, warehouse)
    assert not [line for line in lines if SOURCE_ID.search(line)]
    problems = [line for line in lines if line.startswith("  深圳市")]
    # the ids map through the sources config (dapeng) or the name the source's documents print (luohu)
    assert sum("深圳市罗湖区" in line for line in problems) == 3
    assert sum(line.startswith("  深圳市大鹏新区 2023 住房和建设局") for line in problems) == 1
    assert any(line.startswith("  深圳市罗湖区 2023 城市管理和综合执法局") for line in problems)
    fetch = [line for line in lines if "http_error" in line]
    assert fetch and all("深圳市大鹏新区" in line for line in fetch)
    assert "(2×)" in fetch[0]  # the same URL failing twice is one line
    _, verbose, _ = status(capsys, monkeypatch, warehouse, "--verbose")
    assert not [line for line in verbose if SOURCE_ID.search(line) and "http://" not in line]


def test_without_the_sources_config_ids_still_get_the_names_their_documents_print(
    warehouse, capsys, monkeypatch, tmp_path
):
    wh, _ = warehouse
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["status", "--warehouse", str(wh), "--sources", str(tmp_path / "absent.toml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("  深圳市罗湖区 ") for line in lines) == 3
    assert any(line.startswith("  dapeng 2023 ") for line in lines)  # nobody named it: the id it has


def test_an_empty_warehouse_is_one_line(tmp_path, capsys, monkeypatch):
    wh = tmp_path / "warehouse.duckdb"
    connect(wh).close()
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["status", "--warehouse", str(wh)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "No documents, runs or fetches in the warehouse yet: `budgetlens run` fills it."
    ]


def test_the_real_command_without_a_terminal_is_80_columns_and_never_a_traceback(warehouse, tmp_path):
    wh, sources = warehouse
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    cmd = [sys.executable, "-m", "pipeline.cli", "status", "--sources", str(sources), "--warehouse"]
    done = subprocess.run([*cmd, str(wh)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert max(display_width(line) for line in done.stdout.splitlines()) <= 80
    assert max(display_width(line) for line in done.stdout.splitlines()) > 70  # the width is used
    missing = subprocess.run(
        [*cmd, str(tmp_path / "none.duckdb")], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 1 and missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr
    assert "no warehouse at" in missing.stderr


# --- the pure helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [10, 17, 40, 80])
def test_wrap_keeps_every_character_within_the_width(width):
    text = MESSAGES[1] + " and some English words, 1,834 万元（相差 5 万元）"
    lines = wrap(text, width, first="    1. ")
    assert all(display_width(line) <= width for line in lines)
    assert re.sub(r"\s+", "", "".join(lines)) == "1." + re.sub(r"\s+", "", text)
    if width > 10:  # (at 10, three columns after the prefix hold one character: nothing can move)
        assert not any(
            line.strip()[:1] in "，）" for line in lines[1:]
        )  # no line opens with closing punctuation


def test_cut_measures_display_width():
    assert cut("深圳市罗湖区教育局", 9) == "深圳市罗…" and display_width(cut("深圳市罗湖区教育局", 9)) == 9
    assert cut("short", 80) == "short"
    assert cut("a b c d e", 6) == "a b c…"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.072, "72 ms"), (4.93, "4.9 s"), (45.2, "45 s"), (125, "2 min 5 s"), (3725, "1 h 2 min")],
)
def test_duration(seconds, text):
    assert duration(seconds) == text


def test_local_time_is_local_and_to_the_second():
    when = datetime(2026, 1, 5, 2, 0, 7, 123456, tzinfo=UTC)
    assert local_time(when) == when.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert local_time(when.isoformat()) == local_time(when)


def test_a_failed_and_a_running_run_in_words():
    start = datetime(2026, 1, 5, 3, 0, 0, tzinfo=UTC)
    failed = {
        "run_id": "r",
        "status": "failed",
        "started_at": start,
        "finished_at": start + timedelta(seconds=61),
        "summary": {"error": "parsed_documents: " + "worker died " * 20, "found": 1, "steps": {}},
    }
    lines = run_lines(failed, 80, False, now=start)
    assert lines[0] == f"Last run      failed, started {local_time(start)}, took 1 min 1 s"
    assert lines[1].strip() == "1 document found"
    assert lines[2].strip().startswith("error: parsed_documents: worker died") and lines[2].endswith("…")
    assert all(display_width(line) <= 80 for line in lines)
    full = run_lines(failed, 80, True, now=start)
    assert " ".join(" ".join(full).split()).count("worker died") == 20
    running = {"run_id": "r", "status": "running", "started_at": start, "finished_at": None, "summary": None}
    assert run_lines(running, 80, False, now=start + timedelta(minutes=3))[0].endswith(
        "running for 3 min 0 s"
    )
    assert run_lines(None, 80, False, now=start) == ["Last run      none recorded"]
