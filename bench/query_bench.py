"""Query benchmark: the comparison tables and the README's queries over 100,000 documents.

The warehouse is made, not parsed: the documents of a real warehouse (the pipeline benchmark's,
else one built from the sample corpus) are copied until there are `--docs` of them, each copy
with its own ids, its own jurisdiction and department names (so peer groups grow as they would
with more districts) and its figures scaled by a factor between 0.80 and 1.20 (amounts stay
exact DECIMAL(18,2)). Copied: documents and every table the comparison models and the README
queries read (headcount, totals, function_lines, warnings, quality_results); not copied:
table_cells, observations, provenance and the other line tables, which no measured query reads.
Then the comparison models are rebuilt by `warehouse.models.build_models` (timed: the publish
stage's cost at that size) and each query is run `--repeat` times on a read-only, sandboxed
connection (as `budgetlens sql` / `budgetlens compare` open it); the median is reported.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import REPO, free_port, sources_config
from bench.pipeline_bench import KEEP_DIR

DEFAULT_DOCS = 100_000
DEFAULT_REPEAT = 7
TARGET_MS = 200.0
# Tables copied with each document (the others are not read by any measured query).
COPIED = ("headcount", "totals", "function_lines", "warnings", "quality_results")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, help="documents in the synthetic warehouse")
    parser.add_argument(
        "--repeat", type=int, default=DEFAULT_REPEAT, help="runs of each query (median reported)"
    )
    parser.add_argument(
        "--source",
        type=Path,
        help="the warehouse to copy documents from "
        "(default: the pipeline benchmark's, else one built from the sample corpus)",
    )


def readme_queries(readme: Path = REPO / "README.md") -> dict[str, str]:
    """name → SQL of every query in the README's "SQL analytics" section (`-- name` first line)."""
    text = readme.read_text(encoding="utf-8")
    start = text.index("\n## SQL analytics\n")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end > 0 else len(text)]
    out = {}
    for block in re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL):
        m = re.match(r"-- (\w+)\n", block)
        if m:
            out[m.group(1)] = block
    return out


def _columns(con, table: str, catalog: str | None = None) -> list[tuple[str, str]]:
    """(name, type) of a table's columns in `catalog` (default: the current database)."""
    catalog = catalog or con.execute("select current_database()").fetchone()[0]
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = 'main' and table_name = ? order by ordinal_position",
        [catalog, table],
    ).fetchall()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def scaled_select(columns: list[tuple[str, str]], overrides: dict[str, str], *, scale_integers: bool) -> str:
    """Select list of one copy: `overrides` per column, decimals × the copy's factor f (and
    integers too when `scale_integers`, for headcount). Pure: SQL text from our own column names;
    the copies read `src` joined to `copies(k, f)`."""
    items = []
    for name, dtype in columns:
        if name in overrides:
            items.append(f"{overrides[name]} as {_q(name)}")
        elif dtype.startswith("DECIMAL"):
            items.append(f"cast(round(src.{_q(name)} * f, 2) as {dtype}) as {_q(name)}")
        elif dtype == "INTEGER" and scale_integers:
            items.append(f"cast(round(src.{_q(name)} * f) as INTEGER) as {_q(name)}")
        else:
            items.append(f"src.{_q(name)}")
    return ", ".join(items)


COPY_ID = "src.doc_id || '~' || k"
DOC_OVERRIDES = {
    "doc_id": COPY_ID,
    "file_sha256": "src.file_sha256 || '~' || k",
    "source_url": "src.source_url || '?copy=' || k",
    "jurisdiction": "src.jurisdiction || '#' || k",
    "jurisdiction_hint": "src.jurisdiction_hint || '#' || k",
    "department": "src.department || '#' || k",
    "department_canonical": "src.department_canonical || '#' || k",
    "superseded_by": "src.superseded_by || '~' || k",
}


def build_warehouse(source: Path, dest: Path, docs: int) -> dict:
    """Create `dest` with the warehouse schema and `docs` documents copied from `source`; rebuild the
    comparison models. Returns what was made and how long each part took."""
    from warehouse import db
    from warehouse.models import ModelSettings, build_models
    from warehouse.schema import create_schema

    t0 = time.perf_counter()
    con = db.connect(str(dest), read_only=False)
    try:
        create_schema(con)
        # ATTACH takes no parameters: the path is quoted as an SQL string literal
        literal = "'" + str(source).replace("'", "''") + "'"
        con.execute(f"attach {literal} as src_db (read_only)")
        n_src = con.execute("select count(*) from src_db.documents").fetchone()[0]
        if not n_src:
            raise RuntimeError(f"{source}: no documents to copy")
        copies = -(-docs // n_src)
        # copy k's figures are scaled by f in [0.80, 1.20] (copy 0 keeps them)
        con.execute(
            "create temp table copies as select k, cast(case when k = 0 then 1 else "
            "0.80 + ((k * 37) % 41) / 100.0 end as decimal(6, 2)) as f from range(?) r(k)",
            [copies],
        )
        con.execute("begin transaction")
        for table in ("documents", *COPIED):
            src_cols = {c for c, _ in _columns(con, table, "src_db")}
            cols = [(c, t) for c, t in _columns(con, table) if c in src_cols]
            if not cols:
                continue
            # copy 0 keeps its names (the README's queries name real departments), not its ids
            overrides = (
                {
                    c: v
                    if c in ("doc_id", "file_sha256", "source_url", "superseded_by")
                    else f"case when k = 0 then src.{_q(c)} else {v} end"
                    for c, v in DOC_OVERRIDES.items()
                }
                if table == "documents"
                else {"doc_id": COPY_ID}
            )
            select = scaled_select(cols, overrides, scale_integers=table == "headcount")
            names = ", ".join(_q(c) for c, _ in cols)
            con.execute(
                f"insert into {_q(table)} ({names}) select {select} "  # noqa: S608 - our own identifiers
                f"from src_db.{_q(table)} as src, copies"
            )
        con.execute("commit")
        con.execute("detach src_db")
        loaded = time.perf_counter() - t0
        t1 = time.perf_counter()
        counts = build_models(con, ModelSettings())
        models_s = time.perf_counter() - t1
        con.execute("checkpoint")
        n_docs = con.execute("select count(*) from documents").fetchone()[0]
        published = con.execute(
            "select count(*) from current_documents where status = 'published'"
        ).fetchone()[0]
    finally:
        con.close()
    return {
        "source_documents": n_src,
        "copies": copies,
        "documents": n_docs,
        "published_current": published,
        "model_rows": counts,
        "copy_s": round(loaded, 2),
        "build_models_s": round(models_s, 2),
        "file_mb": round(dest.stat().st_size / 2**20, 1),
    }


def _median_ms(fn, repeat: int) -> tuple[float, int]:
    fn()  # warm-up (first read of the file's blocks)
    times, rows = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), rows


def compare_sql(con, comp) -> tuple[str, dict]:
    """The SQL and parameters `budgetlens compare <comp>` runs unfiltered, every column, default sort
    (as `budgetlens.publish.compare.compare_query` formats it)."""
    from budgetlens.publish.compare import _quote
    from budgetlens.publish.sqlfiles import sql_text

    cols = list(con.table(comp.table).columns)
    sql = sql_text("compare").format(
        columns=", ".join(f"c.{_quote(c)}" for c in cols),
        table=_quote(comp.table),
        sort=_quote(comp.default_sort),
        direction="desc",
    )
    params = {
        "comparison": comp.key,
        "metric": comp.default_sort,
        "jurisdiction": None,
        "department_type": None,
        "fiscal_year": None,
    }
    return sql, params


def time_queries(warehouse: Path, repeat: int) -> dict:
    """Median latency of each comparison table and each README query, on a read-only sandboxed
    connection. A query's latency is its execution and its whole result fetched as Arrow (what the
    engine costs a SQL client); turning every row into Python objects (`fetchall`, Decimal per
    amount) is timed beside it, for information. A comparison table is also timed as `budgetlens
    compare` runs it filtered to one department type and year."""
    from budgetlens.publish.compare import CompareFilters, compare_query
    from warehouse.db import connect
    from warehouse.models import COMPARISONS

    con = connect(str(warehouse), read_only=True, sandbox=True)
    out: dict[str, dict] = {}
    try:
        year, dtype = con.execute(
            "select fiscal_year, department_type from comparison_documents group by all order by count(*) desc limit 1"
        ).fetchone()
        for comp in COMPARISONS:
            sql, params = compare_sql(con, comp)
            ms, rows = _median_ms(
                lambda s=sql, p=params: con.execute(s, p).fetch_arrow_table().num_rows, repeat
            )
            out[f"{comp.table}"] = {"median_ms": round(ms, 1), "rows": rows, "kind": "comparison"}
            f = CompareFilters(department_type=dtype, fiscal_year=year)
            ms, rows = _median_ms(lambda c=comp, f=f: len(compare_query(con, c, f).rows), repeat)
            out[f"compare {comp.key}: one type, one year"] = {
                "median_ms": round(ms, 1),
                "rows": rows,
                "kind": "comparison_filtered",
            }
            ms, rows = _median_ms(lambda c=comp: len(compare_query(con, c).rows), max(1, repeat // 3))
            out[f"compare {comp.key}: every row into Python"] = {
                "median_ms": round(ms, 1),
                "rows": rows,
                "kind": "comparison_python",
            }
        for name, sql in readme_queries().items():
            ms, rows = _median_ms(lambda s=sql: con.execute(s).fetch_arrow_table().num_rows, repeat)
            out[name] = {"median_ms": round(ms, 1), "rows": rows, "kind": "readme"}
            ms, rows = _median_ms(lambda s=sql: len(con.execute(s).fetchall()), max(1, repeat // 3))
            out[f"{name}: rows into Python"] = {
                "median_ms": round(ms, 1),
                "rows": rows,
                "kind": "readme_python",
            }
    finally:
        con.close()
    return out


def source_warehouse(given: Path | None, work: Path) -> tuple[Path, str]:
    """The warehouse to copy: given, the pipeline benchmark's, or one built now from the sample."""
    if given:
        return given, str(given)
    kept = KEEP_DIR / "warehouse.duckdb"
    if kept.is_file():
        return kept, "pipeline benchmark (generated corpus)"
    print(
        "query benchmark: building a warehouse from the sample corpus (no pipeline benchmark output) …",
        flush=True,
    )
    sources = sources_config(work / "sample-sources.toml", REPO / "sample" / "sites", free_port())
    wh = work / "sample.duckdb"
    script = Path(sys.executable).with_name("budgetlens")
    cmd = [str(script)] if script.is_file() else [sys.executable, "-m", "pipeline.cli"]
    subprocess.run(
        [
            *cmd,
            "run",
            "--no-progress",
            "--sources",
            str(sources),
            "--warehouse",
            str(wh),
            "--out",
            str(work / "pub"),
            "--data-dir",
            str(work / "data"),
        ],
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return wh, "sample corpus"


def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="budgetlens-qbench-"))
    try:
        source, origin = source_warehouse(args.source, work)
        dest = work / "warehouse-100k.duckdb"
        print(f"query benchmark: building a {args.docs}-document warehouse from {origin} …", flush=True)
        built = build_warehouse(source, dest, args.docs)
        queries = time_queries(dest, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "source": origin,
        "warehouse": built,
        "repeat": args.repeat,
        "target_ms": TARGET_MS,
        "queries": queries,
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    _print(result)
    return result


def _print(r: dict) -> None:
    w = r["warehouse"]
    print(
        f"query benchmark: {w['documents']} documents ({w['copies']} copies of {w['source_documents']}, "
        f"{w['file_mb']} MB); comparison models rebuilt in {w['build_models_s']} s"
    )
    for name, q in r["queries"].items():
        flag = "ok" if q["median_ms"] <= r["target_ms"] else "over"
        print(f"  {name:<48} {q['median_ms']:8.1f} ms  {q['rows']:7d} rows  {flag}")
