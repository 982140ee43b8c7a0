"""The benchmark suite's own parts that can be tested without timing anything: the final table
against the targets, the process-tree sampler, the corpus changes of the incremental run, the
synthetic-warehouse SQL. (The benchmarks themselves run with `make bench`, never as tests.)"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from bench.corpus import change_documents, pick_documents, prepare_sites, sources_config
from bench.proctree import run_measured
from bench.query_bench import readme_queries, scaled_select
from bench.summary import rows
from budgetlens.scrape import load_sources

REPO = Path(__file__).resolve().parents[2]


def _status(table: list[dict], figure: str) -> str:
    return next(r["status"] for r in table if r["figure"] == figure)


@pytest.mark.parametrize(
    ("results", "figure", "status"),
    [
        ({"pipeline": {"noop": {"wall_s": 9.9}}}, "wall time", "ok"),
        ({"pipeline": {"noop": {"wall_s": 10.1}}}, "wall time", "MISSED"),
        ({}, "wall time", "missing"),
        ({"parse": {"speedup_per_cpu_s": 3.0}}, "pages per CPU-second, budgetlens ÷ baseline", "ok"),
        ({"parse": {"speedup_per_cpu_s": 2.9}}, "pages per CPU-second, budgetlens ÷ baseline", "MISSED"),
        (
            {"pipeline": {"cold": {"steps": {"parsed_documents": {"cpu_utilisation": 0.95}}}}},
            "CPU use of all cores while parsing",
            "ok",
        ),
        (
            {"pipeline": {"cold": {"steps": {"parsed_documents": {"cpu_utilisation": 0.5}}}}},
            "CPU use of all cores while parsing",
            "MISSED",
        ),
        ({"startup": {"parse_seed_s": 1.6}}, "budgetlens parse, seed document, whole process", "MISSED"),
        ({"pipeline": {"cold": {"documents_per_s": 4.2}}}, "documents per second", "—"),
    ],
)
def test_every_figure_is_judged_against_its_target(results: dict, figure: str, status: str):
    assert _status(rows(results), figure) == status


def test_queries_and_the_suite_time_are_in_the_table():
    table = rows(
        {
            "query": {
                "warehouse": {"documents": 100000, "build_models_s": 12.0},
                "queries": {
                    "headcount_comparison": {"median_ms": 250.0, "kind": "comparison"},
                    "outliers": {"median_ms": 20.0, "kind": "readme"},
                    "compare x: every row into Python": {"median_ms": 9000.0, "kind": "comparison_python"},
                },
            },
            "suite": {"benchmarks": ["query"], "bench_s": 100.0, "complete": False},
        }
    )
    assert _status(table, "headcount_comparison: whole table") == "MISSED"
    assert _status(table, "README: outliers") == "ok"
    assert _status(table, "compare x: every row into Python") == "—"
    assert _status(table, "this run (query)") == "—"  # a partial run is not judged against 20 minutes
    full = rows(
        {
            "suite": {
                "benchmarks": ["startup", "pipeline", "parse", "query"],
                "bench_s": 1300.0,
                "complete": True,
            }
        }
    )
    assert _status(full, "whole suite") == "MISSED"


def test_the_sampler_sees_the_whole_process_tree():
    code = (
        "import subprocess, sys; subprocess.run([sys.executable, '-c', "
        "'import time\\nx = bytearray(range(256)) * 200_000\\nt = time.time()\\nwhile time.time() - t < 1.0: pass'])"
    )
    m = run_measured([sys.executable, "-c", code], interval=0.05)
    assert m.returncode == 0
    assert max(s.processes for s in m.samples) >= 2  # the grandchild was seen
    assert m.peak_rss_single_mb >= 50  # its 50 MB buffer
    assert m.peak_rss_mb >= m.peak_rss_single_mb
    assert m.cpu_s > 0
    assert 0 < m.utilisation() <= 1.0


def test_incremental_changes_touch_only_the_run_copy(tmp_path: Path):
    sites = prepare_sites(REPO / "sample", tmp_path / "sites")
    original = {
        p: hashlib.sha256(p.read_bytes()).hexdigest() for p in pick_documents(REPO / "sample" / "sites", 3)
    }
    changes = change_documents(sites, changed=2, added=1)
    assert [c.kind for c in changes] == ["changed", "changed", "added"]
    for c in changes:
        copy = sites / c.site / "files" / c.file
        assert copy.is_file()
    for src, sha in original.items():
        assert hashlib.sha256(src.read_bytes()).hexdigest() == sha  # the corpus itself is untouched
    changed = [sites / c.site / "files" / c.file for c in changes if c.kind == "changed"]
    for p in changed:
        src = REPO / "sample" / "sites" / p.parent.parent.name / "files" / p.name
        assert p.read_bytes() != src.read_bytes() and p.read_bytes().startswith(b"%PDF-")
    added = changes[-1]
    from urllib.parse import quote

    assert quote(added.file) in (sites / added.site / "index.html").read_text(encoding="utf-8")


def test_the_benchmark_sources_config_loads(tmp_path: Path):
    cfg = sources_config(tmp_path / "sources.toml", REPO / "sample" / "sites", 18999)
    config = load_sources(cfg)
    assert "luohu" in config.jurisdictions and config.simulated is not None


def test_scaled_select_scales_amounts_and_keeps_ids():
    sql = scaled_select(
        [("doc_id", "VARCHAR"), ("expense_total", "DECIMAL(18,2)"), ("admin_actual", "INTEGER")],
        {"doc_id": "src.doc_id || '~' || k"},
        scale_integers=False,
    )
    assert sql == (
        "src.doc_id || '~' || k as \"doc_id\", "
        'cast(round(src."expense_total" * f, 2) as DECIMAL(18,2)) as "expense_total", '
        'src."admin_actual"'
    )
    assert 'round(src."admin_actual" * f)' in scaled_select(
        [("admin_actual", "INTEGER")], {}, scale_integers=True
    )


def test_the_readme_queries_are_found():
    queries = readme_queries()
    assert len(queries) >= 5 and all(q.lstrip().startswith("--") for q in queries.values())


def test_machine_utilisation_includes_our_own_work():
    code = "import time\nt = time.time()\nwhile time.time() - t < 0.5: pass"
    m = run_measured([sys.executable, "-c", code], interval=0.05)
    assert 0 < m.machine_utilisation() <= 1.0
