"""`budgetlens sql` and `budgetlens status` against a real warehouse file (in process and as a real command)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from pipeline.cli import main
from tests.warehouse.helpers import finish_run, set_status, start_run
from warehouse.db import connect
from warehouse.loader import load_fetch_log, load_staged
from warehouse.staging import stage_records

from .records import REPO, error_record, luohu_record, sha

T0 = "2026-01-05T02:00:00+00:00"


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """A warehouse with one published, one quarantined (error) and one quarantined-by-quality document.

    Module-scoped: every test here only reads it (and the write tests check that nothing changed).
    """
    base = tmp_path_factory.mktemp("filled")
    wh_path, staging = base / "warehouse.duckdb", base / "staging"
    paths = stage_records(staging, [luohu_record()], source_url="http://127.0.0.1/luohu/a.pdf", fetched_at=T0)
    paths += stage_records(
        staging,
        [error_record(sha("broken"))],
        source_url="http://127.0.0.1/luohu/b.pdf",
        jurisdiction_hint="深圳市罗湖区",
        fetched_at=T0,
    )
    paths += stage_records(
        staging,
        [luohu_record(sha("third"), department="深圳市罗湖区教育局")],
        source_url="http://127.0.0.1/luohu/c.pdf",
        fetched_at=T0,
    )
    load_staged(wh_path, paths)
    con = connect(wh_path)
    set_status(con, sha("third"), "quarantined", "表1 支出总计 2,579 ≠ 表7 合计 2,580")
    run_id = start_run(con, "run-1")
    finish_run(con, run_id, "succeeded", {"documents_found": 3, "published": 1, "quarantined": 2})
    load_fetch_log(
        con,
        [
            {
                "jurisdiction": "深圳市罗湖区",
                "kind": "document",
                "url": "http://127.0.0.1/luohu/a.pdf",
                "fetched_at": T0,
                "status": 200,
                "bytes": 1000,
                "outcome": "downloaded",
                "attempts": 1,
                "elapsed_s": 0.1,
            },
            {
                "jurisdiction": "深圳市罗湖区",
                "kind": "document",
                "url": "http://127.0.0.1/luohu/x.pdf",
                "fetched_at": T0,
                "status": 200,
                "outcome": "rejected_not_pdf",
                "error": "body starts with <html>",
                "attempts": 1,
            },
        ],
    )
    con.close()
    return wh_path


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # rich folds long cells in an 80-column pseudo-terminal


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_sql_json_keeps_decimals_exact(filled, capsys):
    rc, out, err = run_cli(
        capsys,
        "sql",
        "select department, expense_total, carryover_in from current_documents join totals using (doc_id) where status = 'published'",
        "--format",
        "json",
        "--warehouse",
        str(filled),
    )
    assert rc == 0, err
    assert json.loads(out) == [
        {"department": "深圳市罗湖区科技创新局", "expense_total": "25790000.00", "carryover_in": None}
    ]


def test_sql_csv(filled, capsys):
    rc, out, _ = run_cli(
        capsys,
        "sql",
        "select code, total from function_lines join documents using (doc_id) where status = 'published' order by line_no",
        "--format",
        "csv",
        "--warehouse",
        str(filled),
    )
    assert rc == 0
    assert list(csv.reader(io.StringIO(out))) == [
        ["code", "total"],
        ["201", "600000.00"],
        ["20113", "600000.00"],
        ["206", "22240000.00"],
    ]


def test_sql_table(filled, capsys):
    rc, out, _ = run_cli(
        capsys,
        "sql",
        "select status, count(*) as n from documents group by status order by status",
        "--warehouse",
        str(filled),
    )
    assert rc == 0
    assert "quarantined" in out and "published" in out and "2 rows" in out


@pytest.mark.parametrize(
    "statement",
    [
        "delete from documents",
        "insert into runs (run_id, started_at, status) values ('x', now(), 'running')",
        "update documents set status = 'published'",
        "drop table totals",
        "create table t (a int)",
        "copy documents to 'out.csv'",
        "attach 'other.duckdb' as o",
        "set threads = 1",
        "checkpoint",
        "install httpfs",
    ],
)
def test_sql_refuses_writes(filled, capsys, statement):
    before = connect(filled, read_only=True)
    n = before.execute("select count(*) from documents").fetchone()[0]
    before.close()
    rc, out, err = run_cli(capsys, "sql", statement, "--warehouse", str(filled))
    assert rc == 2 and out == ""
    assert "read-only" in err
    after = connect(filled, read_only=True)
    assert after.execute("select count(*) from documents").fetchone()[0] == n
    after.close()


def test_sql_cannot_reach_other_files(filled, capsys, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n", encoding="utf-8")
    sneaky = f"select * from read_csv('{secret}')"  # noqa: S608 - the point of the test
    rc, _, err = run_cli(capsys, "sql", sneaky, "--warehouse", str(filled))
    assert rc == 2 and "disabled by configuration" in err


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("select 1; select 2", "one statement"),
        ("selec 1", "syntax error"),
        ("select nope from documents", "nope"),
    ],
)
def test_sql_errors_are_clear(filled, capsys, query, message):
    rc, out, err = run_cli(capsys, "sql", query, "--warehouse", str(filled))
    assert rc in (1, 2) and out == "" and message in err


def test_sql_without_a_warehouse(tmp_path, capsys):
    rc, _, err = run_cli(capsys, "sql", "select 1", "--warehouse", str(tmp_path / "none.duckdb"))
    assert rc == 1 and "no warehouse at" in err
    assert not (tmp_path / "none.duckdb").exists()


def test_sql_default_warehouse_from_env(filled, capsys, monkeypatch):
    monkeypatch.setenv("BUDGETLENS_WAREHOUSE", str(filled))
    rc, out, _ = run_cli(capsys, "sql", "select count(*) as n from documents", "--format", "json")
    assert rc == 0 and json.loads(out) == [{"n": 3}]


def test_sql_is_a_real_read_only_command(filled):
    """The installed entry point, as a user runs it; a reader needs no lock and changes nothing."""
    before = filled.stat().st_mtime_ns
    env = {**os.environ, "BUDGETLENS_WAREHOUSE": str(filled)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "sql",
            "select sum(expense_total) as s from totals",
            "--format",
            "csv",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["s", str(Decimal("25790000.00") * 2)]
    assert filled.stat().st_mtime_ns == before


def test_status(filled, capsys):
    rc, out, err = run_cli(capsys, "status", "--warehouse", str(filled))
    assert rc == 0, err
    assert "1 published" in out and "2 quarantined" in out
    assert "truncated" in out  # the error record's reason
    assert "表1 支出总计 2,579 ≠ 表7 合计 2,580" in out
    assert "succeeded" in out and "3 documents found" in out
    assert "rejected_not_pdf" in out and "x.pdf" in out
    assert "a.pdf" not in out.split("Fetch errors")[-1]  # a download is not an error
    rc, out, err = run_cli(capsys, "status", "--verbose", "--warehouse", str(filled))
    assert rc == 0 and "run id run-1" in out and "body starts with <html>" in out


def test_status_of_an_empty_warehouse(wh_path, capsys):
    connect(wh_path).close()
    rc, out, _ = run_cli(capsys, "status", "--warehouse", str(wh_path))
    assert (
        rc == 0 and out == "No documents, runs or fetches in the warehouse yet: `budgetlens run` fills it.\n"
    )


def test_status_report_data(filled):
    from warehouse.status import status_report

    con = connect(filled, read_only=True)
    report = status_report(con)
    con.close()
    assert report.counts == [("published", 1, 0), ("quarantined", 2, 0)]
    assert report.problems_total == 2
    assert {p["status_reason"] for p in report.problems} == {
        "truncated: file ends before %%EOF",
        "表1 支出总计 2,579 ≠ 表7 合计 2,580",
    }
    assert report.last_run["summary"] == {"documents_found": 3, "published": 1, "quarantined": 2}
    assert [(e["url"], e["outcome"]) for e in report.fetch_errors] == [
        ("http://127.0.0.1/luohu/x.pdf", "rejected_not_pdf")
    ]


def test_fetch_log_is_idempotent_and_keeps_unknown_keys(wh_path):
    from datetime import UTC, datetime

    rows = [
        {
            "jurisdiction": "深圳市罗湖区",
            "kind": "listing",
            "url": "http://127.0.0.1/luohu/index.html",
            "fetched_at": datetime(2026, 1, 5, 2, tzinfo=UTC),
            "final_url": None,
            "status": 200,
            "bytes": 512,
            "sha256": None,
            "etag": '"abc"',
            "last_modified": None,
            "elapsed_s": 0.01,
            "attempts": 1,
            "outcome": "fetched",
            "error": None,
            "file_name": None,
            "retry_after_s": 3,
        },
        {
            "url": "http://127.0.0.1/luohu/a.pdf",
            "time": T0,
            "http_status": 500,
            "outcome": "http_error",
            "error_message": "500 three times",
            "attempt_count": 3,
        },
    ]
    con = connect(wh_path)
    assert load_fetch_log(con, rows) == 2
    assert load_fetch_log(con, rows) == 2
    got = con.execute(
        "select url, kind, status, attempts, outcome, error, extra from fetch_log order by url"
    ).fetchall()
    con.close()
    assert got == [
        ("http://127.0.0.1/luohu/a.pdf", None, 500, 3, "http_error", "500 three times", None),
        ("http://127.0.0.1/luohu/index.html", "listing", 200, 1, "fetched", None, '{"retry_after_s": 3}'),
    ]


@pytest.mark.parametrize(
    "row",
    [
        {"fetched_at": T0, "outcome": "downloaded"},
        {"url": "http://x/a.pdf", "outcome": "downloaded"},
        {"url": "http://x/a.pdf", "fetched_at": T0},
    ],
)
def test_fetch_log_rows_missing_keys_are_refused(wh_path, row):
    from warehouse.rows import EnvelopeError

    with pytest.raises(EnvelopeError, match="fetch log row without"):
        load_fetch_log(wh_path, [row])
