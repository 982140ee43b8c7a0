"""`budgetlens parse`: JSON Lines on stdout or one file per input, stderr lines and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "parse", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        timeout=300,
    )


@pytest.fixture
def good(make_pdf) -> Path:
    return make_pdf("good.pdf")


@pytest.fixture
def html(tmp_path) -> Path:
    p = tmp_path / "error.pdf"
    p.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>", encoding="utf-8")
    return p


def test_one_good_file_prints_one_json_object_and_exits_0(good: Path) -> None:
    r = run(str(good))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert rec["source"]["file"] == "good.pdf" and rec["error"] is None
    assert rec["totals"]["income_total"] == "25790000.00"
    assert r.stderr == ""


def test_a_bad_file_gets_its_error_record_a_stderr_line_and_exit_2_while_the_others_parse(
    good: Path, html: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    r = run(str(html), str(good), str(empty))
    assert r.returncode == 2
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["source"]["file"] for x in recs] == ["error.pdf", "good.pdf", "empty.pdf"]  # command-line order
    assert [x["error"]["code"] if x["error"] else None for x in recs] == ["not_pdf", None, "not_pdf"]
    err = r.stderr.splitlines()
    assert len(err) == 2
    assert any(str(html) in line and "not_pdf" in line and "HTML" in line for line in err)
    assert any(str(empty) in line and "not_pdf" in line and "empty" in line for line in err)


def test_out_writes_one_file_per_input(good: Path, html: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run("--out", str(out), str(good), str(html))
    assert r.returncode == 2
    assert r.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == ["error.json", "good.json"]
    assert json.loads((out / "good.json").read_text(encoding="utf-8"))["error"] is None
    assert json.loads((out / "error.json").read_text(encoding="utf-8"))["error"]["code"] == "not_pdf"


def test_limits_are_options(good: Path) -> None:
    r = run("--workers", "1", "--timeout", "60", "--memory-mb", "800", str(good))
    assert r.returncode == 0, r.stderr
    r = run("--workers", "0", str(good))
    assert r.returncode == 2 and "--workers" in r.stderr


def test_a_missing_file_is_an_error_record(tmp_path: Path) -> None:
    r = run(str(tmp_path / "nope.pdf"))
    assert r.returncode == 2
    rec = json.loads(r.stdout)
    assert rec["error"]["code"] == "not_found" and rec["source"]["sha256"] is None
    r = run(str(tmp_path))  # a folder is no file
    assert r.returncode == 2
    assert json.loads(r.stdout)["error"]["code"] == "unreadable"
