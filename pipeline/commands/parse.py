"""Parse budget PDFs into budgetlens.budget/1 JSON records (docs/record.md).

With no --out, every record is printed on stdout as one JSON object per line (JSON Lines; a
compilation gives one line per department). With --out DIR, each input FILE gets DIR/<name>.json:
the record object, or a JSON array of records for a compilation. A file that cannot be read gets
its error record, one line on stderr naming the file and the reason, and the exit code is 2; the
other files still parse. Exit code 0 when every file parsed.
"""

from __future__ import annotations

import argparse

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from budgetlens.parse.settings import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S

    parser.add_argument("files", nargs="+", metavar="FILE", help="budget PDF files")
    parser.add_argument(
        "--out", metavar="DIR", help="write one <name>.json per input file into DIR instead of stdout"
    )
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N", help="worker processes (default: one per core)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="S",
        help=f"seconds per file (default {DEFAULT_TIMEOUT_S:g})",
    )
    parser.add_argument(
        "--memory-mb",
        type=int,
        default=DEFAULT_MEMORY_MB,
        metavar="M",
        help=f"memory per file in MB (default {DEFAULT_MEMORY_MB})",
    )


def handle(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from budgetlens.parse import parse_many

    if args.workers is not None and args.workers < 1:
        print("budgetlens parse: --workers must be at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    out_dir = Path(args.out) if args.out else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    paths = [Path(f) for f in args.files]
    order: dict[Path, list[int]] = {}
    for i, p in enumerate(paths):
        order.setdefault(p, []).append(i)
    used_names: set[str] = set()
    failed = 0
    pending: dict[int, list[dict]] = {}
    next_index = 0

    def emit(records: list[dict], path: Path) -> None:
        if out_dir is None:
            for rec in records:
                sys.stdout.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
            sys.stdout.flush()
        else:
            name, k = path.stem + ".json", 1
            while name in used_names:  # two inputs with one name (from different folders)
                k += 1
                name = f"{path.stem}.{k}.json"
            used_names.add(name)
            target = out_dir / name
            body = records[0] if len(records) == 1 else records
            target.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    for path, records in parse_many(
        paths, workers=args.workers, timeout_s=args.timeout, memory_mb=args.memory_mb
    ):
        for rec in records:
            err = rec.get("error")
            if err:
                failed += 1
                print(f"budgetlens parse: {path}: {err['code']}: {err['message']}", file=sys.stderr)
        # stdout keeps the order of the command line, whatever order the workers finish in
        pending[order[path].pop(0)] = records
        while next_index in pending:
            emit(pending.pop(next_index), paths[next_index])
            next_index += 1
    return EXIT_BAD_INPUT if failed else EXIT_OK
