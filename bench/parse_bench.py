"""Parse benchmark: budgetlens against the naive baseline peer projects use, in one run.

The baseline is pdfplumber `extract_text()` + `extract_tables()` on every page. Both run in a child
process of their own over the same documents (the sample corpus and ../shared/real-pdfs); each
child reports the CPU time of its parsing loop and its peak memory. Printed: pages per CPU-second
for both, their ratio, accuracy against truth, and peak memory.

Accuracy is measured differently for the two, because the baseline produces no fields:
- budgetlens: the share of truth fields (document, headcount, totals, every line) it got exactly;
- baseline: the share of truth amounts that appear anywhere in its text or table cells, read as
  元 or 万元 (an upper bound for any parser built on its output).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample"
REAL = REPO.parent / "shared" / "real-pdfs"
GOLDEN = REPO / "tests" / "parse" / "golden"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--docs",
        type=Path,
        action="append",
        help="a corpus directory (with truth/) or a folder of PDFs; repeatable",
    )
    parser.add_argument("--limit", type=int, default=0, help="at most this many documents (0: all)")


def documents(dirs: list[Path] | None) -> list[tuple[Path, dict | None]]:
    """(pdf, truth-or-golden) of every document to measure."""
    out: list[tuple[Path, dict | None]] = []
    for d in dirs or [SAMPLE, REAL]:
        truth_dir = d / "truth"
        if truth_dir.is_dir():
            for t in sorted(truth_dir.glob("*.json")):
                truth = json.loads(t.read_text(encoding="utf-8"))
                out.append((d / truth["file"], truth))
        elif d.is_dir():
            goldens = {}
            for g in GOLDEN.glob("*.json"):
                gold = json.loads(g.read_text(encoding="utf-8"))
                goldens[gold["file"]] = {
                    "expect": {"error_code": None, "records": 1},
                    "records": [{k: gold[k] for k in ("document", "headcount", "totals", "function_lines")}],
                }
            out.extend((p, goldens.get(p.name)) for p in sorted(d.glob("*.pdf")))
    return out


def run(args: argparse.Namespace) -> dict:
    docs = documents(args.docs)
    if args.limit:
        docs = docs[: args.limit]
    if not docs:
        print("parse benchmark: no documents found (render the sample corpus, or pass --docs)")
        return {"documents": 0}
    paths = [str(p) for p, _ in docs]
    ours = _child("budgetlens", paths)
    base = _child("baseline", paths)
    right = total = 0
    found = amounts = 0
    from corpus.accuracy import field_scores

    base_numbers = [{Decimal(x) for x in lst} for lst in base["numbers"]]
    for (_pdf, truth), records, numbers in zip(docs, ours["records"], base_numbers, strict=True):
        if truth is None:
            continue
        r, t = field_scores(truth, records)
        right, total = right + r, total + t
        for value in _truth_amounts(truth):
            amounts += 1
            found += value in numbers
    pages = ours["pages"]
    ours_rate = pages / ours["cpu_s"] if ours["cpu_s"] else 0.0
    base_rate = base["pages"] / base["cpu_s"] if base["cpu_s"] else 0.0
    result = {
        "documents": len(docs),
        "pages": pages,
        "budgetlens": {
            "cpu_s": round(ours["cpu_s"], 3),
            "pages_per_cpu_s": round(ours_rate, 1),
            "peak_rss_mb": round(ours["peak_rss_mb"], 1),
            "field_accuracy": round(right / total, 4) if total else None,
            "fields_checked": total,
        },
        "baseline": {
            "cpu_s": round(base["cpu_s"], 3),
            "pages_per_cpu_s": round(base_rate, 1),
            "peak_rss_mb": round(base["peak_rss_mb"], 1),
            "amount_recall": round(found / amounts, 4) if amounts else None,
            "amounts_checked": amounts,
        },
        "speedup_per_cpu_s": round(ours_rate / base_rate, 2) if base_rate else None,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpu_count": os.cpu_count(),
    }
    _print(result)
    return result


def _print(r: dict) -> None:
    b, n = r["budgetlens"], r["baseline"]
    print(f"parse benchmark: {r['documents']} documents, {r['pages']} pages")
    print(
        f"  budgetlens  {b['pages_per_cpu_s']:8.1f} pages/CPU-s  ({b['cpu_s']:.2f} CPU-s)  peak {b['peak_rss_mb']:.0f} MB"
        f"  field accuracy {_pct(b['field_accuracy'])} of {b['fields_checked']} truth fields"
    )
    print(
        f"  baseline    {n['pages_per_cpu_s']:8.1f} pages/CPU-s  ({n['cpu_s']:.2f} CPU-s)  peak {n['peak_rss_mb']:.0f} MB"
        f"  amounts found anywhere {_pct(n['amount_recall'])} of {n['amounts_checked']}"
    )
    print(f"  ratio       {r['speedup_per_cpu_s']}× pages per CPU-second (target ≥ 3×)")


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _truth_amounts(truth: dict) -> list[Decimal]:
    out = []
    for rec in truth.get("records", []):
        for v in rec.get("totals", {}).values():
            if v is not None and Decimal(v) != 0:
                out.append(Decimal(v))
        for line in rec.get("function_lines", []):
            if line.get("total") not in (None, "0.00"):
                out.append(Decimal(line["total"]))
    return out


def _child(which: str, paths: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        lst, out = Path(tmp) / "paths.json", Path(tmp) / "out.json"
        lst.write_text(json.dumps(paths), encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "bench.parse_bench", "--child", which, str(lst), str(out)],
            cwd=REPO,
            check=True,
        )
        return json.loads(out.read_text(encoding="utf-8"))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_budgetlens(paths: list[str]) -> dict:
    from budgetlens.parse import parse_pdf

    records, pages = [], 0
    start = time.process_time()
    for p in paths:
        recs = parse_pdf(Path(p))
        records.append(recs)
        pages += recs[0]["source"].get("page_count") or 0
    cpu = time.process_time() - start
    return {"cpu_s": cpu, "pages": pages, "peak_rss_mb": _peak_mb(), "records": records}


def child_baseline(paths: list[str]) -> dict:
    import pdfplumber

    numbers, pages = [], 0
    start = time.process_time()
    for p in paths:
        found: set[str] = set()
        try:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    pages += 1
                    text = page.extract_text() or ""
                    tables = page.extract_tables()
                    found.update(text.split())
                    for t in tables:
                        for row in t:
                            found.update(c for c in row if c)
                    page.close()
        except Exception:  # noqa: BLE001 - the baseline gives up on a bad file, as peers do
            pass
        numbers.append(found)
    cpu = time.process_time() - start
    values = [[str(v) for v in _as_amounts(f)] for f in numbers]
    return {"cpu_s": cpu, "pages": pages, "peak_rss_mb": _peak_mb(), "numbers": values}


def _as_amounts(tokens: set[str]) -> set[Decimal]:
    """Every number in the baseline's output, read as 元 and as 万元."""
    out: set[Decimal] = set()
    for tok in tokens:
        for part in tok.replace("\n", " ").split():
            t = part.replace(",", "").strip("（）()：:、，。万元")
            try:
                v = Decimal(t)
            except InvalidOperation:
                continue
            out.add(v.quantize(Decimal("0.01")) if v == v.quantize(Decimal("0.01")) else v)
            out.add((v * 10000).quantize(Decimal("0.01")))
    return out


def _child_main(argv: list[str]) -> int:
    which, lst, out = argv
    paths = json.loads(Path(lst).read_text(encoding="utf-8"))
    result = child_budgetlens(paths) if which == "budgetlens" else child_baseline(paths)
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(_child_main(sys.argv[2:]))
    print("run as: python -m bench parse", file=sys.stderr)
    sys.exit(2)
