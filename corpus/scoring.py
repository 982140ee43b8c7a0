"""The real PDFs against their golden files, as printed or made harder (`budgetlens corpus score`).

The measurement behind docs/accuracy.md, reproducible from a checkout. Each golden file
(tests/parse/golden/*.json, typed from its document) names its PDF; the PDF is read from the
real-PDF folder as printed, or first made harder by one of `corpus.stress.STRESSES`, and parsed in
the product's worker pool (time and memory limits per document). A document scores its golden
fields (document, headcount, totals, function lines) and, apart, its economic lines: exact,
missing or wrong (`corpus.accuracy.golden_scores`). A document that parses into more than one
record is scored on its first and says how many it gave.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from budgetlens.parse import parse_many
from corpus.accuracy import golden_scores
from corpus.stress import STRESSES

AS_PRINTED = "as printed"
# the warnings a reader of the scores wants counted beside them (docs/record.md)
COUNTED_WARNINGS = ("printed_across", "unreadable_figures", "sum_mismatch")


@dataclass
class DocScore:
    """One document's score against its golden file."""

    file: str
    records: int = 0
    error: str | None = None
    fields: dict = field(default_factory=dict)
    economic: dict = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)


def score_records(golden: dict, records: list[dict]) -> DocScore:
    """The first record of a document's parse against its golden file."""
    rec = records[0] if records else None
    error = (rec or {}).get("error")
    fields = golden_scores(golden, None if error else rec)
    economic = golden_scores(golden, None if error else rec, parts=(), lines=("economic_lines",))
    counted = Counter(w["code"] for w in (rec or {}).get("warnings") or [] if w["code"] in COUNTED_WARNINGS)
    return DocScore(
        file=golden["file"],
        records=len(records),
        error=f"{error['code']}: {error['message']}" if error else None,
        fields=fields,
        economic=economic,
        warnings=dict(counted),
    )


def goldens_in(folder: Path) -> list[tuple[Path, dict]]:
    """Every golden file of `folder` (its *.json files that name a PDF), by name."""
    found = []
    for path in sorted(folder.glob("*.json")):
        golden = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(golden, dict) and golden.get("file"):
            found.append((path, golden))
    return found


def score_folder(
    pdfs: Path,
    goldens: Iterable[tuple[Path, dict]],
    stress: str | None = None,
    *,
    workers: int = 2,
    keep: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[DocScore]:
    """Each golden file's PDF in `pdfs`, made harder by `stress` (a name of `STRESSES`; None: as
    printed), parsed and scored. A PDF that is absent, or that the stress cannot be made of, gives
    a score with its reason and no fields. `keep`: write the stressed PDFs there (else a temporary
    folder, removed after)."""
    say = progress or (lambda _msg: None)
    goldens = list(goldens)
    scores: dict[str, DocScore] = {}
    with tempfile.TemporaryDirectory(prefix="budgetlens-score-") as tmp:
        out = keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        todo: dict[Path, dict] = {}
        for n, (_, golden) in enumerate(goldens, 1):
            name = golden["file"]
            src = pdfs / name
            if not src.is_file():
                scores[name] = DocScore(file=name, error=f"absent: {src} is not there")
                continue
            data = src.read_bytes()
            if stress is not None:
                say(f"[{n}/{len(goldens)}] {stress}: making {name}")
                try:
                    data = STRESSES[stress][0](data)
                except Exception as exc:  # noqa: BLE001 - a stress that fails on one file says so, the rest go on
                    scores[name] = DocScore(file=name, error=f"stress failed: {type(exc).__name__}: {exc}")
                    continue
            path = out / name
            path.write_bytes(data)
            todo[path] = golden
        done = 0
        for path, records in parse_many(list(todo), workers=workers):
            done += 1
            say(f"[{done}/{len(todo)}] parsed {path.name}")
            scores[path.name] = score_records(todo[path], records)
    return [scores[g["file"]] for _, g in goldens]


def totals(scores: list[DocScore]) -> dict[str, int]:
    """The scores of a set of documents added up (fields and economic lines apart)."""
    out = Counter()
    for s in scores:
        out["documents"] += 1
        out["failed"] += int(s.error is not None)
        out["split"] += int(s.records > 1)
        for key in ("fields", "exact", "missing", "wrong"):
            out[key] += int(s.fields.get(key, 0))
            out[f"economic_{key}"] += int(s.economic.get(key, 0))
        for code, n in s.warnings.items():
            out[code] += n
    return dict(out)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def table(rows: list[tuple[str, list[DocScore]]]) -> str:
    """A Markdown table, one row per stress: its fields and economic lines exact / missing / wrong."""
    lines = [
        "| stress | docs | fields | exact | missing | wrong | economic exact | economic wrong | not read | printed_across |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, scores in rows:
        t = totals(scores)
        lines.append(
            f"| {name} | {t['documents']} | {t.get('fields', 0):,} | {_pct(t.get('exact', 0), t.get('fields', 0))} "
            f"| {t.get('missing', 0):,} | {t.get('wrong', 0):,} "
            f"| {_pct(t.get('economic_exact', 0), t.get('economic_fields', 0))} | {t.get('economic_wrong', 0):,} "
            f"| {t.get('failed', 0)} | {t.get('printed_across', 0)} |"
        )
    return "\n".join(lines)


def details(scores: list[DocScore], limit: int = 5) -> list[str]:
    """A line per document that is not exact (its counts, its first wrong fields, its reason)."""
    out = []
    for s in scores:
        f, e = s.fields, s.economic
        if s.error is None and f.get("exact") == f.get("fields") and e.get("exact") == e.get("fields"):
            continue
        head = f"  {s.file}: "
        if s.error is not None:
            out.append(head + s.error)
            continue
        out.append(
            head + f"{f['exact']}/{f['fields']} exact, {f['missing']} missing, {f['wrong']} wrong; "
            f"economic {e['exact']}/{e['fields']}, {e['wrong']} wrong"
            + (f"; {s.records} records" if s.records > 1 else "")
        )
        out += [f"    {w}" for w in (f["wrong_fields"] + e["wrong_fields"])[:limit]]
    return out
