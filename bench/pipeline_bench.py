"""Pipeline benchmark: `budgetlens run` over the generated corpus, measured from outside.

Three runs of the real command, one after the other, against one warehouse:
1. cold: 1,000 documents served by the simulated sites, nothing fetched before;
2. no-op: the same again, nothing changed;
3. incremental: some documents re-uploaded with new bytes under their URLs and some added.
Each run's whole process tree is sampled (bench/proctree.py): wall time, CPU utilisation of all
cores (overall and per stage, the stages' times from the run's own record in the warehouse's
`runs` table), peak RSS. For the no-op run, the share of the wall time spent before the first
document is considered (process start, imports, Dagster start-up: until the fetch step starts).
Optionally (`--ducklake`) a fourth, cold run into a DuckLake warehouse (a PostgreSQL catalog the
benchmark starts on 127.0.0.1 + Parquet files), when PostgreSQL is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import REPO, change_documents, ensure_corpus, free_port, prepare_sites, sources_config
from bench.proctree import Measured, run_measured

FETCH_STEP = "raw_documents"
PARSE_STEP = "parsed_documents"
DEFAULT_N = 1000
KEEP_DIR = REPO / "bench" / "out" / "pipeline"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--n", type=int, default=DEFAULT_N, help="documents in the generated corpus (default 1000)"
    )
    parser.add_argument(
        "--changed", type=int, default=7, help="documents re-uploaded for the incremental run"
    )
    parser.add_argument("--added", type=int, default=3, help="documents added for the incremental run")
    parser.add_argument("--executor", default="in_process", choices=["in_process", "multiprocess"])
    parser.add_argument("--ducklake", action="store_true", help="also a cold run into a DuckLake warehouse")
    parser.add_argument(
        "--keep",
        type=Path,
        default=KEEP_DIR,
        help="copy the warehouse here after the runs (the query benchmark's input; default bench/out/pipeline)",
    )


def budgetlens_cmd() -> list[str]:
    """The installed `budgetlens` command (what users run), else the module."""
    script = Path(sys.executable).with_name("budgetlens")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "pipeline.cli"]


def run_once(sources: Path, work: Path, warehouse: str, executor: str) -> Measured:
    cmd = [
        *budgetlens_cmd(),
        "run",
        "--no-progress",
        "--sources",
        str(sources),
        "--warehouse",
        warehouse,
        "--out",
        str(work / "published"),
        "--data-dir",
        str(work / "data"),
        "--executor",
        executor,
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    m = run_measured(cmd, cwd=REPO, env=env)
    if m.returncode != 0:
        raise RuntimeError(f"budgetlens run failed ({m.returncode}):\n{m.stderr[-3000:]}\n{m.stdout[-2000:]}")
    return m


def last_run_summary(warehouse: str) -> dict:
    """The summary the run recorded in the warehouse's `runs` table (counts, per-step timings)."""
    from warehouse import db

    con = db.connect(warehouse, read_only=True)
    try:
        row = con.execute("select summary from runs order by started_at desc limit 1").fetchone()
    finally:
        con.close()
    return json.loads(row[0]) if row else {}


def describe(m: Measured, summary: dict, cores: int) -> dict:
    """The figures of one run: wall, CPU, per-step seconds and utilisation, peak RSS, counts."""
    steps = summary.get("steps") or {}
    per_step = {}
    for key, t in sorted(steps.items(), key=lambda kv: kv[1].get("start", 0)):
        if "start" in t and "end" in t:
            per_step[key] = {
                "seconds": round(t["end"] - t["start"], 3),
                "cpu_utilisation": round(m.utilisation(t["start"], t["end"], cores), 3),
                "machine_cpu_utilisation": round(m.machine_utilisation(t["start"], t["end"], cores), 3),
            }
    first = steps.get(FETCH_STEP, {}).get("start")
    before_first = (first - m.started_at) if first else None
    found = int(summary.get("found") or 0)
    return {
        "wall_s": round(m.wall_s, 2),
        "cpu_s": round(m.cpu_s, 2),
        "cpu_utilisation": round(m.utilisation(cores=cores), 3),
        "machine_cpu_utilisation": round(m.machine_utilisation(cores=cores), 3),
        "peak_rss_mb": round(m.peak_rss_mb, 1),
        "peak_rss_single_process_mb": round(m.peak_rss_single_mb, 1),
        "documents_found": found,
        "documents_per_s": round(found / m.wall_s, 2) if m.wall_s else None,
        "downloaded": summary.get("downloaded"),
        "parsed": summary.get("parsed"),
        "loaded": summary.get("loaded"),
        "published": summary.get("published"),
        "in_run_s": round(summary.get("elapsed_s") or 0.0, 2),
        "before_first_document_s": round(before_first, 2) if before_first is not None else None,
        "before_first_document_share": round(before_first / m.wall_s, 3)
        if before_first and m.wall_s
        else None,
        "steps": per_step,
    }


def run(args: argparse.Namespace) -> dict:
    cores = os.cpu_count() or 1
    corpus, render_s = ensure_corpus(args.n)
    work = Path(tempfile.mkdtemp(prefix="budgetlens-bench-"))
    try:
        sites = prepare_sites(corpus, work / "sites")
        port = free_port()
        sources = sources_config(work / "sources.toml", sites, port)
        warehouse = str(work / "warehouse.duckdb")
        result: dict = {
            "corpus": str(corpus.relative_to(REPO)) if corpus.is_relative_to(REPO) else str(corpus),
            "corpus_render_s": round(render_s, 1),
            "executor": args.executor,
            "cpu_count": cores,
            "load_average_before": os.getloadavg()[0],
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        for name in ("cold", "noop"):
            print(f"pipeline benchmark: {name} run …", flush=True)
            m = run_once(sources, work, warehouse, args.executor)
            result[name] = describe(m, last_run_summary(warehouse), cores)
        changes = change_documents(sites, args.changed, args.added)
        print(
            f"pipeline benchmark: incremental run ({len(changes)} documents changed or added) …", flush=True
        )
        m = run_once(sources, work, warehouse, args.executor)
        result["incremental"] = describe(m, last_run_summary(warehouse), cores)
        result["incremental"]["changes"] = {
            "changed": sum(c.kind == "changed" for c in changes),
            "added": sum(c.kind == "added" for c in changes),
        }
        if args.ducklake:
            result["ducklake_cold"] = _ducklake_run(sources, work, args.executor, cores)
        result["load_average_after"] = os.getloadavg()[0]
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(warehouse, args.keep / "warehouse.duckdb")
            result["kept_warehouse"] = str(args.keep / "warehouse.duckdb")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _print(result)
    return result


def _ducklake_run(sources: Path, work: Path, executor: str, cores: int) -> dict:
    """A cold run into a DuckLake warehouse: catalog in a throw-away PostgreSQL server on 127.0.0.1
    (the one the tests start: corpus/postgres.py)."""
    from corpus.postgres import PostgresUnavailable, postgres_server

    server = postgres_server()
    try:
        pg = server.__enter__()
    except PostgresUnavailable as exc:
        print(f"pipeline benchmark: DuckLake run skipped: {exc}", flush=True)
        return {"skipped": str(exc)}
    try:
        pg.create_database("bench_lake")
        target = f"ducklake:postgres:{pg.conninfo('bench_lake')} data_path={work / 'lake'}"
        lake_work = work / "lake-run"
        lake_work.mkdir()
        print("pipeline benchmark: cold run into DuckLake …", flush=True)
        m = run_once(sources, lake_work, target, executor)
        return describe(m, last_run_summary(target), cores)
    finally:
        server.__exit__(None, None, None)


def _print(r: dict) -> None:
    print(
        f"pipeline benchmark: {r['corpus']} ({r['executor']}, {r['cpu_count']} cores, "
        f"load average {r['load_average_before']:.1f} before)"
    )
    for name in ("cold", "noop", "incremental", "ducklake_cold"):
        x = r.get(name)
        if not x or "wall_s" not in x:
            continue
        print(
            f"  {name:<12} {x['wall_s']:7.1f} s wall  {x['documents_per_s'] or 0:6.1f} docs/s  "
            f"CPU {100 * x['cpu_utilisation']:5.1f}% of {r['cpu_count']} cores "
            f"(machine {100 * x.get('machine_cpu_utilisation', 0):5.1f}%)  peak RSS {x['peak_rss_mb']:.0f} MB  "
            f"parsed {x['parsed']}  before first document {x['before_first_document_s']} s"
        )
        for step, t in x["steps"].items():
            if t["seconds"] >= 0.5:
                print(
                    f"      {step:<28} {t['seconds']:7.1f} s  CPU {100 * t['cpu_utilisation']:5.1f}% "
                    f"(machine {100 * t.get('machine_cpu_utilisation', 0):5.1f}%)"
                )
