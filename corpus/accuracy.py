"""How right a parse is: records against a corpus truth file (docs/corpus.md) or a golden file.

A record is right on a document when it equals the truth in every field the truth holds. Used by
the corpus tests and by the benchmark; pure functions, no I/O.
"""

from __future__ import annotations

from typing import Any

from budgetlens.fields import ECONOMIC_LINE_FIELDS, FUNCTION_LINE_FIELDS

SCALAR_PARTS = ("document", "headcount", "totals")
LIST_PARTS = ("function_lines", "economic_lines", "projects", "procurement_lines", "performance_targets")


def differences(truth: dict, records: list[dict]) -> list[str]:
    """Every way `records` (what parse_pdf returned for one file) differ from a truth file."""
    expect = truth.get("expect", {})
    want_error = expect.get("error_code")
    first_error = (records[0].get("error") or {}).get("code") if records else None
    if want_error:
        return [] if first_error == want_error else [f"error: got {first_error!r}, want {want_error!r}"]
    if first_error:
        return [f"error: got {first_error!r}: {records[0]['error']['message']}"]
    out: list[str] = []
    want_n = expect.get("records", len(truth.get("records", [])))
    if len(records) != want_n:
        out.append(f"records: got {len(records)}, want {want_n}")
    for n, (tr, rec) in enumerate(zip(truth.get("records", []), records, strict=False)):
        prefix = f"[{n}] " if want_n > 1 else ""
        out.extend(prefix + d for d in record_differences(tr, rec))
    return out


def record_differences(tr: dict, rec: dict) -> list[str]:
    """Every field the truth record holds that the parse record does not equal."""
    out: list[str] = []
    if "pages" in tr and rec["source"].get("pages") != tr["pages"]:
        out.append(f"source.pages: got {rec['source'].get('pages')}, want {tr['pages']}")
    for part in SCALAR_PARTS:
        for k, v in tr.get(part, {}).items():
            got = rec.get(part, {}).get(k)
            if got != v:
                out.append(f"{part}.{k}: got {got!r}, want {v!r}")
    for part in LIST_PARTS:
        if part not in tr:
            continue
        got, want = rec.get(part, []), tr[part]
        if got == want:
            continue
        if len(got) != len(want):
            out.append(f"{part}: got {len(got)} lines, want {len(want)}: {_names(got)} vs {_names(want)}")
        for i, (a, b) in enumerate(zip(got, want, strict=False)):
            if a != b:
                out.append(f"{part}[{i}]: got {a}, want {b}")
                break
    if "tables" in tr:
        got_t = [_table_key(t, tt) for t, tt in zip(rec.get("tables", []), tr["tables"], strict=False)]
        want_t = [_table_key(tt, tt) for tt in tr["tables"]]
        if len(rec.get("tables", [])) != len(tr["tables"]) or got_t != want_t:
            out.append(
                f"tables: got {[(t['kind'], t.get('unit'), t.get('empty')) for t in rec.get('tables', [])]}, "
                f"want {[(t['kind'], t.get('unit'), t.get('empty')) for t in tr['tables']]}"
            )
    if "warnings" in tr:
        got_w = sorted({w["code"] for w in rec.get("warnings", [])})
        want_w = sorted(set(tr["warnings"]))
        if got_w != want_w:
            msgs = [w["message"] for w in rec.get("warnings", [])][:6]
            out.append(f"warnings: got {got_w}, want {want_w} ({'; '.join(msgs)})")
    return out


def _table_key(t: dict, spec: dict) -> tuple:
    """The fields of a table entry that the truth's entry holds."""
    return tuple((k, t.get(k)) for k in sorted(spec) if k in ("kind", "unit", "empty"))


def _names(lines: list[dict]) -> list[Any]:
    return [
        x.get("code") or x.get("category_code") or x.get("name") or x.get("indicator_level3") for x in lines
    ]


def field_scores(truth: dict, records: list[dict]) -> tuple[int, int]:
    """(right, total) over the individual fields a truth file holds (for accuracy percentages)."""
    expect = truth.get("expect", {})
    if expect.get("error_code"):
        got = (records[0].get("error") or {}).get("code") if records else None
        return (1 if got == expect["error_code"] else 0), 1
    right = total = 0
    for n, tr in enumerate(truth.get("records", [])):
        rec = records[n] if n < len(records) else None
        for part in SCALAR_PARTS:
            for k, v in tr.get(part, {}).items():
                total += 1
                right += int(rec is not None and rec.get(part, {}).get(k) == v)
        for part in LIST_PARTS:
            want = tr.get(part)
            if want is None:
                continue
            got = rec.get(part, []) if rec is not None else []
            for i, line in enumerate(want):
                total += 1
                right += int(i < len(got) and got[i] == line)
    return right, total


GOLDEN_PARTS = SCALAR_PARTS
# the fields of each line of a golden list, matched by its code
LINE_FIELDS = {
    "function_lines": tuple(f for f in FUNCTION_LINE_FIELDS if f != "code"),
    "economic_lines": tuple(f for f in ECONOMIC_LINE_FIELDS if f != "code"),
}


def golden_scores(
    golden: dict,
    rec: dict | None,
    parts: tuple[str, ...] = GOLDEN_PARTS,
    lines: tuple[str, ...] = ("function_lines",),
) -> dict[str, int | list[str]]:
    """Field-level score of one record against a golden file typed from the document.

    Every scalar of `document`, `headcount` and `totals` is one field, and so is each of
    name/level/total/basic/project of every golden function line (matched by code, so one missing
    line costs its own fields only; lines the parser invents count as wrong). A code printed more
    than once (an economic 类 split by the government classification beside it) matches its k-th
    printing against the record's k-th. `lines=("economic_lines",)` with `parts=()` scores the
    economic lines (name, amount) alone. Outcomes: `exact`; `missing` (the parser left null what the
    document prints); `wrong` (the parser wrote a value the document does not print there, including
    values where the golden says null). `wrong_fields` names the wrong ones (the worst outcome: a
    figure the document does not print).
    """
    exact = missing = wrong = 0
    wrong_fields: list[str] = []

    def score(path: str, want: Any, got: Any) -> None:
        nonlocal exact, missing, wrong
        if got == want:
            exact += 1
        elif got is None:
            missing += 1
        else:
            wrong += 1
            wrong_fields.append(f"{path}: got {got!r}, want {want!r}")

    rec = rec or {}
    for part in parts:
        for k, v in golden.get(part, {}).items():
            score(f"{part}.{k}", v, (rec.get(part) or {}).get(k))
    invented = 0
    for part in lines:
        got_lines: dict[str, list[dict]] = {}
        for ln in rec.get(part) or []:
            got_lines.setdefault(ln.get("code"), []).append(ln)
        for want in golden.get(part, []):
            cands = got_lines.get(want["code"]) or []
            got = cands.pop(0) if cands else {}
            for f in LINE_FIELDS[part]:
                score(f"{part}[{want['code']}].{f}", want.get(f), got.get(f))
        for code, extra in got_lines.items():
            for _ in extra:
                wrong += 1
                invented += 1
                wrong_fields.append(f"{part}[{code}]: a line the document's table does not print")
    total = exact + missing + wrong - invented
    return {"exact": exact, "missing": missing, "wrong": wrong, "fields": total, "wrong_fields": wrong_fields}
