"""The final table of `make bench`: every figure next to its target (issue 7), from bench/results.json.

`rows(results)` is pure (results dict in, table rows out) so the targets are tested directly;
`print_table(rows)` prints them. A figure whose benchmark did not run this time is shown as
missing, never as passed; a figure without a target is shown for information.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    """One figure: where it is in results.json, how it is shown, and its target (if any)."""

    section: str
    label: str
    path: tuple[str, ...]
    unit: str = ""
    op: str | None = None  # "<=" or ">="
    limit: float | None = None
    scale: float = 1.0  # shown value = value × scale (e.g. 100 for a share in %)


_OPS: dict[str, Callable[[float, float], bool]] = {"<=": operator.le, ">=": operator.ge}

TARGETS: tuple[Target, ...] = (
    Target(
        "parse", "pages per CPU-second, budgetlens ÷ baseline", ("parse", "speedup_per_cpu_s"), "×", ">=", 3.0
    ),
    Target("parse", "budgetlens pages per CPU-second", ("parse", "budgetlens", "pages_per_cpu_s")),
    Target("parse", "baseline pages per CPU-second", ("parse", "baseline", "pages_per_cpu_s")),
    Target(
        "parse",
        "budgetlens accuracy (truth fields exact)",
        ("parse", "budgetlens", "field_accuracy"),
        "%",
        scale=100,
    ),
    Target(
        "parse",
        "baseline accuracy (truth amounts found anywhere)",
        ("parse", "baseline", "amount_recall"),
        "%",
        scale=100,
    ),
    Target("parse", "documents", ("parse", "documents")),
    Target("cold run", "wall time, 1,000 documents", ("pipeline", "cold", "wall_s"), "s", "<=", 600),
    Target("cold run", "documents per second", ("pipeline", "cold", "documents_per_s"), "docs/s"),
    Target(
        "cold run", "CPU use of all cores, whole run", ("pipeline", "cold", "cpu_utilisation"), "%", scale=100
    ),
    Target(
        "cold run",
        "CPU use of all cores while parsing",
        ("pipeline", "cold", "steps", "parsed_documents", "cpu_utilisation"),
        "%",
        ">=",
        90,
        scale=100,
    ),
    Target(
        "cold run",
        "CPU use of all cores while parsing, every process on the machine",
        ("pipeline", "cold", "steps", "parsed_documents", "machine_cpu_utilisation"),
        "%",
        scale=100,
    ),
    Target("cold run", "peak RSS, whole process tree", ("pipeline", "cold", "peak_rss_mb"), "MB", "<=", 2048),
    Target("no-op run", "wall time", ("pipeline", "noop", "wall_s"), "s", "<=", 10),
    Target(
        "no-op run",
        "before the first document is considered",
        ("pipeline", "noop", "before_first_document_share"),
        "%",
        scale=100,
    ),
    Target(
        "incremental",
        "wall time, 10 documents changed or added",
        ("pipeline", "incremental", "wall_s"),
        "s",
        "<=",
        30,
    ),
    Target("DuckLake", "cold run into DuckLake, wall time", ("pipeline", "ducklake_cold", "wall_s"), "s"),
    Target(
        "start-up",
        "budgetlens parse, seed document, whole process",
        ("startup", "parse_seed_s"),
        "s",
        "<=",
        1.5,
    ),
)
QUERY_TARGET_MS = 200.0
BENCH_TARGET_S = 20 * 60


def _get(data: dict, path: tuple[str, ...]) -> Any:
    cur: Any = data
    for key in path:
        if not isinstance(cur, dict) or key not in cur:
            return None
        cur = cur[key]
    return cur


def _row(
    section: str, label: str, value: Any, unit: str, op: str | None, limit: float | None, scale: float = 1.0
) -> dict:
    shown = None if value is None else round(float(value) * scale, 3)
    status = "—"
    if op and limit is not None:
        status = "missing" if shown is None else ("ok" if _OPS[op](shown, limit) else "MISSED")
    return {
        "section": section,
        "figure": label,
        "value": shown,
        "unit": unit,
        "target": f"{op} {limit:g} {unit}".strip() if op and limit is not None else "",
        "status": status,
    }


def rows(results: dict) -> list[dict]:
    """Every figure with its target and status (ok / MISSED / missing / — for no target)."""
    out = [_row(t.section, t.label, _get(results, t.path), t.unit, t.op, t.limit, t.scale) for t in TARGETS]
    queries = _get(results, ("query", "queries")) or {}
    docs = _get(results, ("query", "warehouse", "documents"))
    section = f"queries ({docs:,} docs)" if docs else "queries"
    if not queries:
        out.append(_row(section, "comparison and README queries", None, "ms", "<=", QUERY_TARGET_MS))
    order = ["comparison", "comparison_filtered", "comparison_python", "readme", "readme_python"]
    for name, q in sorted(
        queries.items(),
        key=lambda kv: (order.index(kv[1].get("kind")) if kv[1].get("kind") in order else len(order), kv[0]),
    ):
        kind = q.get("kind")
        label = {"comparison": f"{name}: whole table", "readme": f"README: {name}"}.get(kind, name)
        has_target = kind in ("comparison", "readme", "comparison_filtered")
        out.append(
            _row(
                section,
                label,
                q.get("median_ms"),
                "ms",
                "<=" if has_target else None,
                QUERY_TARGET_MS if has_target else None,
            )
        )
    build = _get(results, ("query", "warehouse", "build_models_s"))
    out.append(_row(section, "rebuild the comparison models", build, "s", None, None))
    suite = results.get("suite") or {}
    label = (
        "whole suite"
        if suite.get("complete")
        else "this run (" + ", ".join(suite.get("benchmarks", [])) + ")"
    )
    out.append(
        _row(
            "make bench",
            label,
            suite.get("bench_s"),
            "s",
            "<=" if suite.get("complete") else None,
            BENCH_TARGET_S if suite.get("complete") else None,
        )
    )
    return out


def print_table(table: list[dict]) -> None:
    """The rows as a fixed-width table on stdout."""
    w_sec = max(len(r["section"]) for r in table)
    w_fig = max(len(r["figure"]) for r in table)
    print()
    print(f"{'':<{w_sec}}  {'figure':<{w_fig}}  {'measured':>14}  {'target':<14}  status")
    last = None
    for r in table:
        sec = r["section"] if r["section"] != last else ""
        last = r["section"]
        value = "n/a" if r["value"] is None else f"{r['value']:,.4g} {r['unit']}".strip()
        print(f"{sec:<{w_sec}}  {r['figure']:<{w_fig}}  {value:>14}  {r['target']:<14}  {r['status']}")


def markdown(table: list[dict]) -> str:
    """The rows as a markdown table (for docs/performance.md)."""
    lines = ["| | figure | measured | target | |", "|---|---|---:|---|---|"]
    last = None
    for r in table:
        sec = r["section"] if r["section"] != last else ""
        last = r["section"]
        value = "n/a" if r["value"] is None else f"{r['value']:,.4g} {r['unit']}".strip()
        target = r["target"].replace("<=", "≤").replace(">=", "≥")
        lines.append(f"| {sec} | {r['figure']} | {value} | {target} | {r['status']} |")
    return "\n".join(lines) + "\n"
