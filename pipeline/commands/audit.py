"""See how the quality gate treats a folder of PDFs before trusting it: parse every PDF in DIR,
load the records into a scratch warehouse (never the real one), run the quality stage and print
published / withheld / quarantined, with the reasons grouped by expectation.

Nothing outside the scratch folder is written; --keep DIR keeps the scratch warehouse
(DIR/warehouse.duckdb) for `budgetlens sql --warehouse DIR/warehouse.duckdb`. Exit code 0 when
the audit ran (whatever the verdicts), 2 when DIR holds no PDF or cannot be read.
"""

from __future__ import annotations

import argparse

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="a folder of budget PDFs (searched recursively)")
    parser.add_argument("--keep", metavar="DIR", help="keep the scratch warehouse and staging in DIR")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="parse worker processes (default: one per core)",
    )
    parser.add_argument(
        "--examples", type=int, default=3, metavar="N", help="messages shown per reason (default 3)"
    )


def handle(args: argparse.Namespace) -> int:
    import sys
    import tempfile
    from pathlib import Path

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"budgetlens audit: {folder}: not a folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    pdfs = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
    if not pdfs:
        print(f"budgetlens audit: {folder}: no .pdf file in it", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.keep:
        root = Path(args.keep)
        root.mkdir(parents=True, exist_ok=True)
        return _audit(pdfs, root, args)
    with tempfile.TemporaryDirectory(prefix="budgetlens-audit-") as tmp:
        return _audit(pdfs, Path(tmp), args)


def _audit(pdfs: list, root, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from budgetlens.parse import parse_many
    from expectations.stage import run_quality
    from warehouse import db
    from warehouse.loader import load_staged
    from warehouse.staging import stage_records

    now = datetime.now(UTC)
    staged = []
    for n, (path, records) in enumerate(parse_many(pdfs, workers=args.workers), start=1):
        err = records[0].get("error") if records else None
        note = f"  ({err['code']}: {err['message']})" if err else ""
        print(f"[{n}/{len(pdfs)}] parsed {path.name}{note}", flush=True)
        staged += stage_records(
            root / "staging",
            records,
            source_url=Path(path).resolve().as_uri(),
            file_name=path.name,
            fetched_at=now,
            parsed_at=now,
        )
    target = root / "warehouse.duckdb"
    load_staged(target, staged)
    con = db.connect(target)
    try:
        run_quality(con, None)
        outcomes = con.execute(_sql("audit_outcomes")).fetchall()
        withheld = con.execute(_sql("audit_withheld")).fetchall()
        checks = dict(con.execute(_sql("audit_checks")).fetchall())
        joined = con.execute(_sql("audit_joined")).fetchall()
    finally:
        con.close()
    print(report(outcomes, withheld, examples=args.examples, checks=checks, joined=joined))
    if args.keep:
        print(f"\nscratch warehouse kept: {target}")
    return EXIT_OK


def _sql(name: str) -> str:
    from pathlib import Path

    from budgetlens.files import read_sql

    return read_sql(Path(__file__).with_name("sql"), name)


def report(
    outcomes: list[tuple],
    withheld: list[tuple],
    *,
    examples: int = 3,
    checks: dict[str, int] | None = None,
    joined: list[tuple] = (),
) -> str:
    """The audit as text: counts by verdict and by check outcome, the files that are parts of another
    budget, then the reasons grouped by expectation (pure)."""
    status: dict[str, str] = {}
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for file_name, st, _reason, expectation, severity, message in outcomes:
        status[file_name] = st
        if expectation is not None:
            groups.setdefault((severity, expectation), []).append((file_name, message))
    held_files = {w[0] for w in withheld}
    published = sorted(f for f, s in status.items() if s == "published")
    quarantined = sorted(f for f, s in status.items() if s == "quarantined")
    other = sorted(f for f, s in status.items() if s not in ("published", "quarantined"))
    lines = [
        f"{len(status)} documents: {len(published)} published "
        f"({len(held_files & set(published))} of them with withheld figures), "
        f"{len(quarantined)} quarantined" + (f", {len(other)} not parsed" if other else ""),
    ]
    if checks:
        lines.append(
            f"checks: {checks.get('passed', 0):,} passed, {checks.get('failed', 0):,} failed, "
            f"{checks.get('skipped', 0):,} skipped (nothing to check: the figures are absent)"
        )
    for part, how, budget in joined:
        lines.append(f"{part}: {how} {budget} (one budget, counted once)")
    order = {"error": 0, "withheld": 1, "warning": 2}
    for (severity, expectation), hits in sorted(
        groups.items(), key=lambda kv: (order.get(kv[0][0], 3), kv[0][1])
    ):
        files = sorted({f for f, _ in hits})
        lines.append(f"\n{severity} {expectation}: {len(hits)} finding(s) in {len(files)} document(s)")
        for f, message in hits[:examples]:
            lines.append(f"  {f}: {message}")
        if len(hits) > examples:
            lines.append(f"  … {len(hits) - examples} more")
    if withheld:
        lines.append(f"\nwithheld figures ({len(withheld)}):")
        lines.extend(f"  {f}: {field} ({expectation})" for f, field, expectation, _ in withheld)
    if quarantined:
        lines.append("\nquarantined:")
        lines.extend(f"  {f}" for f in quarantined)
    return "\n".join(lines)
