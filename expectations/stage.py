"""The quality stage: validate the candidate documents, decide, record, write Data Docs.

`run_quality(con, out_dir)` is what the Dagster asset calls (and tests call directly):

1. skip when nothing changed: no document loaded since the last decision, the same suites, and
   the output folder already has the Data Docs (GX is then not even imported);
2. read the documents to validate with every row the suites need: only those loaded since the
   last decision when the suites are unchanged (an incremental run: its cost follows what
   changed, not the size of the warehouse), else every candidate (current; published by the
   loader, or quarantined by this stage before);
3. build the frames of every suite family for them and validate with GX (ephemeral context);
4. decide per document (an error quarantines, warnings are flags), then check uniqueness across
   every candidate still publishable (the others' verdicts come from their stored results);
5. write quality_results, every check's outcome per document (quality_checks: passed, failed, or
   skipped with the reason), the statuses and a quality_runs row; publish the Data Docs to
   `<out_dir>/data_docs/`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from expectations import data as wh
from expectations import overrides
from expectations.context import SuiteContext
from expectations.decide import Decision, decide, duplicate_findings, withhold
from expectations.outcomes import CheckOutcome, counts, outcomes
from expectations.settings import QualitySettings
from expectations.spec import ExpectationSpec, Finding
from expectations.store import last_run, write_checks, write_results, write_run, write_statuses
from expectations.suites import FAMILIES, completeness


@dataclass
class QualityReport:
    """What a quality run did (for asset metadata and the run summary)."""

    skipped: bool = False
    skip_reason: str | None = None
    incremental: bool = False  # only the documents loaded since the last run were validated
    validated: int = 0  # documents whose rows the suites read in this run
    documents: int = 0
    published: int = 0
    quarantined: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, file_name, reason)
    warned: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (doc_id, file_name, flags)
    failures: dict[str, dict[str, int]] = field(default_factory=dict)  # expectation → {error: n, warning: n}
    frames: dict[str, int] = field(default_factory=dict)  # frame → rows validated
    checks: dict[str, int] = field(default_factory=dict)  # outcomes of this run: passed / failed / skipped
    observations: bool = True
    data_docs: str | None = None
    suite_version: str = ""
    elapsed_s: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def all_specs(ctx: SuiteContext) -> list[ExpectationSpec]:
    """Every expectation, per-document families first, then the cross-document ones."""
    return [s for fam in FAMILIES for s in fam.specs(ctx)] + list(completeness.CROSS_DOCUMENT_SPECS)


# Bumped when the decision rules change (expectations/decide.py: what withholds, what quarantines),
# so that the next run decides every document again under the new rules.
DECISION_RULES = 2  # 2: an identity broken by a withheld figure withholds it


def suite_version(specs: list[ExpectationSpec], settings: QualitySettings) -> str:
    """A hash of every expectation (value sets, row condition, reason, tolerance) and the settings: a
    change re-validates (and rewrites the Data Docs)."""
    payload = [
        [
            s.name,
            s.frame,
            s.severity,
            s.check,
            s.min_value,
            s.max_value,
            list(s.value_set),
            s.regex,
            list(s.columns),
            s.row_condition,
            s.reason,
            s.tolerance,
            s.skipped_because,
        ]
        for s in specs
    ]
    payload.append([str(settings.materiality), settings.min_fiscal_year, settings.last_fiscal_year])
    payload.append(["decisions", DECISION_RULES])
    # a reviewed exception added or changed re-decides every document
    payload.append(sorted(str(o) for o in overrides.load(settings.overrides)))
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _skip_reason(con: duckdb.DuckDBPyConnection, version: str) -> str | None:
    """Why nothing needs validating (cheap queries only), or None."""
    if not wh.candidate_count(con):
        return "no current published document to validate"
    if wh.unchecked_count(con):
        return None
    previous = last_run(con)
    if previous is None or previous["suite_version"] != version:
        return None
    return f"nothing loaded since the last quality run ({previous['checked_at']:%Y-%m-%d %H:%M:%S} UTC), same suites"


def run_quality(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path | str | None,
    *,
    settings: QualitySettings | None = None,
    force: bool = False,
) -> QualityReport:
    """Validate, decide and record (see the module docstring). `out_dir` None: no Data Docs."""
    started = time.perf_counter()
    s = settings or QualitySettings()
    version = suite_version(all_specs(SuiteContext.build(wh.WarehouseData(), s)), s)
    report = QualityReport(suite_version=version, observations=wh.table_exists(con, "observations"))
    reason = None if force else _skip_reason(con, version)
    if reason is not None and out_dir is not None and wh.candidate_count(con):
        if not (Path(out_dir) / s.data_docs_dir / "index.html").is_file():
            reason = None  # a new output folder: validate so that it gets its Data Docs
    if reason is not None:
        report.skipped, report.skip_reason = True, reason
        docs = Path(out_dir) / s.data_docs_dir / "index.html" if out_dir is not None else None
        report.data_docs = str(docs) if docs is not None and docs.exists() else None
        report.elapsed_s = time.perf_counter() - started
        return report

    from expectations.runner import GxRunner, publish_docs

    previous = last_run(con)
    report.incremental = (
        not force
        and previous is not None
        and previous["suite_version"] == version
        and (out_dir is None or (Path(out_dir) / s.data_docs_dir / "index.html").is_file())
    )
    everyone: wh.WarehouseData | None = None
    prior: list[Finding] = []
    if report.incremental:
        todo = wh.unchecked_ids(con)
        data = wh.load(con, todo)
        everyone = wh.load(con, figures_only=True)
        others = [d for d in everyone.doc_ids if d not in data.documents]
        prior = [
            Finding(r["doc_id"], r["expectation"], r["suite"], r["severity"], r["item"] or "", r["message"])
            for r in wh.prior_results(con, others, except_expectation=completeness.UNIQUE.name)
        ]
    else:
        data = wh.load(con)
    report.validated = len(data.documents)
    ctx = SuiteContext.build(data, s)
    ctx.history = everyone

    build_dir = (
        Path(tempfile.mkdtemp(prefix=".data_docs-", dir=_ensure(out_dir))) if out_dir is not None else None
    )
    try:
        runner = GxRunner(build_dir / "site" if build_dir is not None else None)
        ev = evaluate(ctx, runner, everyone=everyone, prior=prior)
        findings, decisions = ev.findings, ev.decisions
        report.frames = ev.frames
        docs_index = runner.build_docs()
        checked_at = datetime.now(UTC)
        decided = everyone or data
        write_results(con, decided.doc_ids, findings, checked_at)
        write_checks(con, ev.checks, checked_at)
        report.checks = counts(ev.checks)
        write_statuses(con, decisions)
        if docs_index is not None and out_dir is not None:
            published_index = publish_docs(docs_index.parent, Path(out_dir) / s.data_docs_dir)
            report.data_docs = str(published_index)
        _fill(report, decided, decisions, findings)
        report.elapsed_s = time.perf_counter() - started
        write_run(
            con,
            [
                checked_at,
                version,
                report.documents,
                report.published,
                len(report.quarantined),
                len(report.warned),
                sum(v.get("error", 0) for v in report.failures.values()),
                sum(v.get("warning", 0) for v in report.failures.values()),
                report.data_docs,
                report.elapsed_s,
            ],
        )
    finally:
        if build_dir is not None:
            shutil.rmtree(build_dir, ignore_errors=True)
    return report


@dataclass
class Evaluation:
    """Findings and decisions of one validation of the candidate documents."""

    findings: list[Finding]
    decisions: dict[str, Decision]
    frames: dict[str, int]
    checks: list[CheckOutcome] = field(default_factory=list)  # every expectation's outcome per document


def evaluate(
    ctx: SuiteContext,
    runner,
    *,
    everyone: wh.WarehouseData | None = None,
    prior: list[Finding] | tuple[Finding, ...] = (),
) -> Evaluation:
    """Validate every family's frames of `ctx.data` with `runner` (a GxRunner) and decide; then check
    uniqueness across the documents still publishable and decide again. In an incremental run
    `everyone` holds the documents, totals and headcount of every candidate and `prior` the stored
    per-document findings of those not in `ctx.data`. Pure apart from GX."""
    s = ctx.settings
    findings: list[Finding] = list(prior)
    frames: dict[str, int] = {}
    dfs: dict[str, pd.DataFrame] = {}
    family_specs: list[ExpectationSpec] = []
    for family in FAMILIES:
        fam_specs = family.specs(ctx)
        family_specs += fam_specs
        for frame, df in family.frames(ctx).items():
            outcome = runner.validate(frame, df, [x for x in fam_specs if x.frame == frame])
            frames[frame] = outcome.rows
            dfs[frame] = df
            findings.extend(outcome.findings)
    data = everyone if everyone is not None else ctx.data
    sha256_of = {d: doc.get("file_sha256") for d, doc in data.documents.items()}
    findings[:] = withhold(overrides.apply(findings, sha256_of, overrides.load(s.overrides)))
    all_ctx = SuiteContext(data, s, ctx.codes, ctx.bands) if everyone is not None else ctx
    first = decide(data.doc_ids, findings, reason_chars=s.reason_chars)
    publishable = [d for d, v in first.items() if v.status == "published"]
    keys = completeness.key_frame(all_ctx, publishable)
    outcome = runner.validate(completeness.KEYS, keys, completeness.CROSS_DOCUMENT_SPECS)
    # a document quarantined by another check is not a candidate for uniqueness
    frames[completeness.KEYS] = outcome.rows
    findings.extend(
        duplicate_findings(
            [f.doc_id for f in outcome.findings],
            {d: {**data.documents[d], "department_key": keys_of(data, d)} for d in data.documents},
            data.totals,
            data.headcount,
            completeness.KEY_COLUMNS,
            {d: len(v.flags) for d, v in first.items()},
            withheld_by_doc(findings),
        )
    )
    checks = outcomes(ctx.data.doc_ids, family_specs, dfs, findings) + outcomes(
        data.doc_ids,
        completeness.CROSS_DOCUMENT_SPECS,
        {completeness.KEYS: keys},
        findings,
        no_rows="not checked: another check quarantines the document",
    )
    return Evaluation(findings, decide(data.doc_ids, findings, reason_chars=s.reason_chars), frames, checks)


def withheld_by_doc(findings: list[Finding]) -> dict[str, list[Finding]]:
    """Each document's withheld findings."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        if f.severity == "withheld":
            out.setdefault(f.doc_id, []).append(f)
    return out


def keys_of(data: wh.WarehouseData, doc_id: str) -> str | None:
    d = data.documents[doc_id]
    return d.get("department_canonical") or d.get("department")


def _ensure(out_dir: Path | str) -> Path:
    p = Path(out_dir)
    p.mkdir(parents=True, exist_ok=True)
    return p


def _fill(
    report: QualityReport, data: wh.WarehouseData, decisions: dict[str, Decision], findings: list[Finding]
) -> None:
    report.documents = len(decisions)
    counts: dict[str, Counter] = {}
    for f in findings:
        counts.setdefault(f.expectation, Counter())[f.severity] += 1
    report.failures = {k: dict(v) for k, v in sorted(counts.items())}
    for doc_id, d in sorted(decisions.items()):
        name = data.documents[doc_id].get("file_name") or doc_id
        if d.status == "published":
            report.published += 1
            if d.flags:
                report.warned.append((doc_id, name, list(d.flags)))
        else:
            report.quarantined.append((doc_id, name, d.reason or ""))
