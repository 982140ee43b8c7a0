"""Show on the page what the parser read: page images (PNG) with a box around every figure read
from FILE (a budget PDF), or only around the printings of one field (--field totals.expense_total:
its canonical printing in red, every other printing of it in blue, so a failed check shows both).

Images go to --out DIR (default: inspect-<file name> in the current folder), one per page with a
figure (or just --page N). Exit code 0, or 2 with one line naming the file when it cannot be read.
"""

from __future__ import annotations

import argparse
import re

from budgetlens.pageimages import CANONICAL, OTHER

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a budget PDF")
    parser.add_argument(
        "--field", metavar="PATH", help="one figure: totals.expense_total, function_lines[3].total …"
    )
    parser.add_argument("--page", type=int, metavar="N", help="only page N (1-based)")
    parser.add_argument("--out", metavar="DIR", help="where the PNG files go (default inspect-<file name>)")
    parser.add_argument(
        "--resolution", type=int, default=100, metavar="DPI", help="image resolution (default 100)"
    )


def handle(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from budgetlens.parse import parse_pdf

    path = Path(args.file)
    if not path.is_file():
        print(f"budgetlens inspect: {path}: no such file", file=sys.stderr)
        return EXIT_BAD_INPUT
    records = parse_pdf(path)
    if records and records[0].get("error"):
        err = records[0]["error"]
        print(f"budgetlens inspect: {path}: {err['code']}: {err['message']}", file=sys.stderr)
        return EXIT_BAD_INPUT
    boxes = figure_boxes(records, args.field)
    if args.page is not None:
        boxes = {p: b for p, b in boxes.items() if p == args.page}
    if not boxes:
        what = f"field {args.field}" if args.field else "any figure"
        print(
            f"budgetlens inspect: {path}: no printing of {what}"
            + (f" on page {args.page}" if args.page else "")
        )
        return EXIT_OK
    from budgetlens.pageimages import draw

    out = Path(args.out) if args.out else Path(f"inspect-{path.stem}")
    for written in draw(path, boxes, out, resolution=args.resolution):
        print(written)
    return EXIT_OK


def figure_boxes(records: list[dict], field: str | None) -> dict[int, list[tuple[tuple, str]]]:
    """page -> [(bbox, colour)] of the figures to outline (pure): every figure of the records'
    provenance, or the printings of one field (canonical red, the others blue)."""
    out: dict[int, list[tuple[tuple, str]]] = {}
    for rec in records:
        if field is None:
            for prov in rec.get("provenance", {}).values():
                out.setdefault(prov["page"], []).append((tuple(prov["bbox"]), CANONICAL))
            continue
        prov = rec.get("provenance", {}).get(field)
        if prov is not None:
            out.setdefault(prov["page"], []).append((tuple(prov["bbox"]), CANONICAL))
        names = {field}
        m = re.fullmatch(r"function_lines\[(\d+)\]\.total", field)
        if m and int(m.group(1)) < len(rec.get("function_lines", [])):
            names.add("function:" + rec["function_lines"][int(m.group(1))]["code"])  # its other printings
        for o in rec.get("observations", []):
            if o.get("field") in names and not o.get("canonical") and o.get("page") and o.get("bbox"):
                out.setdefault(o["page"], []).append((tuple(o["bbox"]), OTHER))
    return out
