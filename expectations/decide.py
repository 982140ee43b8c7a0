"""From findings to verdicts: quarantine on an error, publish with flags on warnings (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from budgetlens.fields import HEADCOUNT_FIELDS, TOTALS_FIELDS
from expectations.spec import Finding
from expectations.suites.completeness import UNIQUE

REASON_SEPARATOR = "；"


@dataclass(frozen=True)
class Decision:
    """The quality stage's verdict on one document."""

    doc_id: str
    status: str  # published / quarantined
    reason: str | None
    flags: tuple[str, ...]  # warning-level expectations that failed


def reason_text(errors: Sequence[Finding], limit: int) -> str:
    """The errors as one line a person can act on, at most `limit` characters."""
    messages = list(dict.fromkeys(f.message for f in errors))
    head = f"质量检查未通过（{len(messages)} 项）：" if len(messages) > 1 else "质量检查未通过："
    text = head + REASON_SEPARATOR.join(messages)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Two printings of one figure that disagree, where the figure neither identifies the document nor is
# one of its grand totals: that figure is withheld (null wherever figures are compared), the budget
# stays published with the flag. The grand totals' and the identities' failures still quarantine.
WITHHOLDABLE = frozenset({"printings_agree_across_tables", "prose_agrees_with_tables"})
GRAND_TOTALS = frozenset({"totals.income_total", "totals.expense_total"})
WITHHELD = "withheld"


def withheld_field(f: Finding) -> str | None:
    """The record field a finding withholds (None: the finding does not withhold one)."""
    field = f.item.split("@", 1)[0]
    if f.expectation not in WITHHOLDABLE or field in GRAND_TOTALS:
        return None
    return field if field.startswith(("totals.", "function:")) else None


def withheld_path(f: Finding) -> str:
    """The record field a withheld finding names ('totals.procurement_goods'; the item's first part)."""
    return f.item.split("@", 1)[0]


def withhold(findings: Iterable[Finding]) -> list[Finding]:
    """Error findings that concern one withholdable figure become `withheld` findings; then an error
    of an identity (a sum against its parts) that involves a figure already withheld is explained by
    that figure: it withholds it too (one finding per such figure, item '<field>@<expectation>')
    instead of quarantining the budget. An identity that involves a grand total still quarantines."""
    first = [
        replace(f, severity=WITHHELD) if f.severity == "error" and withheld_field(f) else f for f in findings
    ]
    held: dict[str, set[str]] = {}
    for f in first:
        if f.severity == WITHHELD:
            held.setdefault(f.doc_id, set()).add(withheld_field(f) or "")
    out = []
    for f in first:
        doomed = sorted(set(f.fields) & held.get(f.doc_id, set()))
        if f.severity != "error" or not doomed or set(f.fields) & GRAND_TOTALS:
            out.append(f)
            continue
        out.extend(replace(f, severity=WITHHELD, item=f"{field}@{f.expectation}") for field in doomed)
    return out


def decide(doc_ids: Iterable[str], findings: Iterable[Finding], *, reason_chars: int) -> dict[str, Decision]:
    """One decision per document: quarantined when any error-level finding, else published with
    the names of its warning-level and withheld expectations as flags."""
    by_doc: dict[str, list[Finding]] = {d: [] for d in doc_ids}
    for f in findings:
        by_doc.setdefault(f.doc_id, []).append(f)
    out = {}
    for doc_id, fs in by_doc.items():
        errors = [f for f in fs if f.severity == "error"]
        flags = tuple(
            dict.fromkeys(f.expectation for f in fs if f.severity in ("warning", WITHHELD, "accepted"))
        )
        if errors:
            out[doc_id] = Decision(doc_id, "quarantined", reason_text(errors, reason_chars), flags)
        else:
            out[doc_id] = Decision(doc_id, "published", None, flags)
    return out


WILDCARD = object()  # a withheld figure: no evidence either way when comparing two files


def _figures(
    doc_id: str,
    totals: Mapping[str, Mapping],
    headcount: Mapping[str, Mapping],
    withheld: Mapping[str, set[str]] | None = None,
) -> tuple:
    t, h = totals.get(doc_id, {}), headcount.get(doc_id, {})
    held = (withheld or {}).get(doc_id, set())
    return tuple(WILDCARD if f"totals.{f}" in held else t.get(f) for f in TOTALS_FIELDS) + tuple(
        WILDCARD if f"headcount.{f}" in held else h.get(f) for f in HEADCOUNT_FIELDS
    )


def _agree(figures: list[tuple]) -> bool:
    """Every pair of files prints the same compared figures (a withheld one matches anything)."""
    return all(
        x is WILDCARD or y is WILDCARD or x == y
        for i, a in enumerate(figures)
        for b in figures[i + 1 :]
        for x, y in zip(a, b, strict=True)
    )


def _preference(doc: Mapping[str, Any], warnings: int) -> tuple:
    """Sort key of duplicates, best first: fewest warning flags, latest fetched, latest parsed, doc_id."""
    fetched, parsed = doc.get("fetched_at"), doc.get("parsed_at")
    return (
        warnings,
        -fetched.timestamp() if fetched is not None else float("inf"),
        -parsed.timestamp() if parsed is not None else float("inf"),
        doc["doc_id"],
    )


def duplicate_findings(
    duplicated: Iterable[str],
    documents: Mapping[str, Mapping[str, Any]],
    totals: Mapping[str, Mapping],
    headcount: Mapping[str, Mapping],
    key: Sequence[str],
    warnings: Mapping[str, int] | None = None,
    withheld: Mapping[str, Sequence[Finding]] | None = None,
) -> list[Finding]:
    """Findings for documents sharing a key (GX found them). The loader gives every key one current
    budget (warehouse/budgets.py: the newer file replaces the older, a text part joins its tables
    part), so this is a guard for keys it could not resolve. Identical compared figures (totals and
    headcount): the best file (fewest warning flags, then newest) stays published and the others
    are quarantined as duplicates of it (their reason lists the figures they withheld); conflicting
    figures: all are quarantined, since no one can tell which is right. A figure a file withheld
    (`withheld`: its withheld findings) is no evidence of a conflict."""
    warn = warnings or {}
    groups: dict[tuple, list[str]] = {}
    for doc_id in dict.fromkeys(duplicated):
        d = documents[doc_id]
        groups.setdefault(tuple(d.get(k) for k in key), []).append(doc_id)
    out: list[Finding] = []
    for k, ids in groups.items():
        if len(ids) < 2:
            continue
        docs = sorted((documents[i] for i in ids), key=lambda d: _preference(d, warn.get(d["doc_id"], 0)))
        names = {i: documents[i].get("file_name") or i[:12] for i in ids}
        label = "、".join(str(v) for v in k if v is not None)
        held = {d: {withheld_path(f) for f in fs} for d, fs in (withheld or {}).items()}
        same = _agree([_figures(i, totals, headcount, held) for i in ids])
        if same:
            keep = docs[0]["doc_id"]
            for d in docs[1:]:
                own = "".join(f"；其自身：{w.message}" for w in (withheld or {}).get(d["doc_id"], [])[:2])
                out.append(
                    _duplicate(
                        d["doc_id"],
                        f"与 {names[keep]} 重复（{label}，数字相同）：保留警告较少、较新的文件{own}",
                    )
                )
        else:
            others = "、".join(names[d["doc_id"]] for d in docs)
            for d in docs:
                out.append(
                    _duplicate(
                        d["doc_id"],
                        f"{label} 有 {len(docs)} 份现行预算且数字不同（{others}）：请确认哪一份正确",
                    )
                )
    return out


def _duplicate(doc_id: str, message: str) -> Finding:
    """A document-level error of the one-budget-per-key expectation."""
    return Finding(doc_id, UNIQUE.name, UNIQUE.suite, "error", "document", message)
