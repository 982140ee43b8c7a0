"""`budgetlens run`: materialize every asset in process, with a progress bar and a summary.

One Dagster run covers every jurisdiction of the sources config (partition range tags), so the
parser's worker pool spans all new documents at once. The run holds the warehouse's run lock from
start to end: a second `budgetlens run` waits for it up to a bound, then says the warehouse is busy.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assets.resources import DEFAULT_DATA_DIR, DEFAULT_OUT_DIR, DEFAULT_SOURCES, DEFAULT_WAREHOUSE

DEFAULT_LOCK_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class RunOptions:
    """What one `budgetlens run` works on (paths are relative to the current directory)."""

    sources: str = DEFAULT_SOURCES
    warehouse: str = DEFAULT_WAREHOUSE
    out_dir: str = DEFAULT_OUT_DIR
    data_dir: str = DEFAULT_DATA_DIR
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout_s: float = 120.0
    memory_mb: int = 1536
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S
    log_level: str = "ERROR"  # dagster console log; the summary lists what went wrong
    executor: str = "in_process"  # or multiprocess: each stage in its own process (docs/scaling.md)

    @classmethod
    def from_env(cls, **overrides: Any) -> RunOptions:
        """Defaults from BUDGETLENS_* environment variables, then explicit overrides (None = unset)."""
        env = {
            "sources": os.environ.get("BUDGETLENS_SOURCES"),
            "warehouse": os.environ.get("BUDGETLENS_WAREHOUSE"),
            "out_dir": os.environ.get("BUDGETLENS_OUT"),
            "data_dir": os.environ.get("BUDGETLENS_DATA_DIR"),
        }
        values = {k: v for k, v in env.items() if v}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class RunSummary:
    """What a run did, for the terminal, the `runs` table and `budgetlens status`."""

    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    success: bool = False
    error: str | None = None
    sources: int = 0
    found: int = 0
    downloaded: int = 0
    unchanged: int = 0
    fetch_errors: int = 0
    fetch_problems: list[dict] = field(default_factory=list)
    parsed: int = 0
    already_parsed: int = 0
    loaded: int = 0
    published: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    unmapped_departments: list[str] = field(default_factory=list)
    budget_changes: list[str] = field(default_factory=list)  # split publications joined, older files replaced
    outputs: dict[str, str] = field(default_factory=dict)
    elapsed_s: float = 0.0
    steps: dict[str, dict[str, float]] = field(default_factory=dict)  # step → start/end (epoch s), seconds

    def to_json(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["started_at"] = self.started_at.isoformat()
        d["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        return d


def build_resources(opts: RunOptions) -> dict:
    from assets.resources import (
        ParserResource,
        PublishResource,
        SourcesResource,
        StorageResource,
        WarehouseResource,
    )

    return {
        "storage": StorageResource(data_dir=opts.data_dir),
        "warehouse": WarehouseResource(database=opts.warehouse),
        "sources": SourcesResource(path=opts.sources),
        "parser": ParserResource(workers=opts.workers, timeout_s=opts.timeout_s, memory_mb=opts.memory_mb),
        "publish": PublishResource(out_dir=opts.out_dir),
    }


def _metadata(events) -> dict[str, dict[str, Any]]:
    """Asset key → its materialization metadata (plain values)."""
    out: dict[str, dict[str, Any]] = {}
    for event in events:
        if not event.is_step_materialization:
            continue
        mat = event.step_materialization_data.materialization
        key = mat.asset_key.to_user_string()
        out.setdefault(key, {}).update({k: getattr(v, "value", v) for k, v in mat.metadata.items()})
    return out


def step_timings(entries) -> dict[str, dict[str, float]]:
    """Step key → {"start", "end" (epoch seconds), "seconds"} from a run's event log entries
    (`instance.all_logs(run_id)`): the per-stage timings."""
    out: dict[str, dict[str, float]] = {}
    for entry in entries:
        event = entry.dagster_event
        if event is None or not event.step_key:
            continue
        if event.is_step_start:
            out.setdefault(event.step_key, {})["start"] = entry.timestamp
        elif event.is_step_success or event.is_step_failure:
            out.setdefault(event.step_key, {})["end"] = entry.timestamp
    for t in out.values():
        if "start" in t and "end" in t:
            t["seconds"] = round(t["end"] - t["start"], 3)
    return out


def run_step_timings(instance, run_id: str) -> dict[str, dict[str, float]]:
    """`step_timings` of a run from its instance's event log; {} when they cannot be read (they are
    diagnostics: never a reason for a run to fail)."""
    try:
        return step_timings(instance.all_logs(run_id))
    except Exception as exc:  # noqa: BLE001
        import logging

        logging.getLogger("budgetlens").warning("per-step timings not recorded: %s", exc)
        return {}


def summarize(summary: RunSummary, meta: dict[str, dict[str, Any]]) -> None:
    raw = meta.get("raw_documents", {})
    summary.sources = int(raw.get("sources", 0))
    summary.found = int(raw.get("found", 0))
    summary.downloaded = int(raw.get("downloaded", 0))
    summary.unchanged = int(raw.get("unchanged", 0))
    summary.fetch_errors = int(raw.get("errors", 0))
    summary.fetch_problems = list(raw.get("fetch_errors", []) or [])
    parsed = meta.get("parsed_documents", {})
    summary.parsed = int(parsed.get("parsed_files", 0))
    summary.already_parsed = int(parsed.get("already_parsed", 0))
    wh = meta.get("warehouse_tables", {})
    summary.loaded = int(wh.get("loaded_documents", 0))
    summary.unmapped_departments = list(wh.get("unmapped_departments", []) or [])
    summary.budget_changes = list(wh.get("budget_changes", []) or [])


def run_pipeline(opts: RunOptions, *, run_id: str | None = None) -> RunSummary:
    """Run everything once. Raises `warehouse.lock.WarehouseBusy` when another run holds the lock."""
    import dagster as dg

    from assets.partitions import JURISDICTIONS, range_tags
    from budgetlens.scrape import load_sources
    from pipeline.definitions import build_defs
    from warehouse.lock import run_lock

    summary = RunSummary(run_id=run_id or uuid.uuid4().hex, started_at=datetime.now(UTC))
    t0 = time.perf_counter()
    if not opts.warehouse.startswith("ducklake:"):
        Path(opts.warehouse).parent.mkdir(parents=True, exist_ok=True)
    with run_lock(opts.warehouse, timeout_s=opts.lock_timeout_s):
        keys = sorted(load_sources(Path(opts.sources)).jurisdictions)
        if not keys:
            raise ValueError(f"{opts.sources}: the sources config lists no source")
        run_config = {"loggers": {"console": {"config": {"log_level": opts.log_level}}}}
        if opts.executor == "in_process":
            defs = build_defs(build_resources(opts))
            instance = dg.DagsterInstance.ephemeral()
            instance.add_dynamic_partitions(JURISDICTIONS, keys)
            result = defs.resolve_job_def("refresh").execute_in_process(
                instance=instance,
                tags=range_tags(keys),
                run_id=summary.run_id,
                raise_on_error=False,
                run_config=run_config,
            )
            success, events = result.success, result.all_events
            summary.steps = run_step_timings(instance, summary.run_id)
        elif opts.executor == "multiprocess":
            success, summary.run_id, events, summary.steps = _execute_multiprocess(opts, keys, run_config)
        else:
            raise ValueError(
                f"budgetlens run executes in_process or multiprocess, not {opts.executor!r}: "
                "cluster executors run under a Dagster deployment (docs/scaling.md)"
            )
        summarize(summary, _metadata(events))
        summary.success = success
        if not success:
            failures = [e for e in events if e.is_step_failure]
            summary.error = (
                "; ".join(
                    f"{e.step_key}: {e.step_failure_data.error.message.strip().splitlines()[-1]}"
                    for e in failures
                    if e.step_failure_data and e.step_failure_data.error
                )
                or "the run failed"
            )
        _collect_from_warehouse(summary, opts)
        summary.finished_at = datetime.now(UTC)
        summary.elapsed_s = time.perf_counter() - t0
        _record_run(summary, opts)
    return summary


def _execute_multiprocess(opts: RunOptions, keys: list[str], run_config: dict):
    """The refresh job with the multiprocess executor: each stage in its own process, rebuilt from
    `pipeline.definitions.refresh_job_from_env` with this run's paths passed as environment."""
    import tempfile

    import dagster as dg

    from assets.partitions import JURISDICTIONS, range_tags
    from pipeline.definitions import refresh_job_from_env

    env = {
        "BUDGETLENS_SOURCES": str(Path(opts.sources).resolve()),
        "BUDGETLENS_WAREHOUSE": opts.warehouse
        if opts.warehouse.startswith("ducklake:")
        else str(Path(opts.warehouse).resolve()),
        "BUDGETLENS_OUT": str(Path(opts.out_dir).resolve()),
        "BUDGETLENS_DATA_DIR": str(Path(opts.data_dir).resolve()),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        # the instance entered as a context: it is the current one for Dagster while the job is built
        # (not a stale one some earlier caller in this process left behind), and disposed after
        with (
            tempfile.TemporaryDirectory(prefix="budgetlens-dagster-") as home,
            dg.DagsterInstance.local_temp(home) as instance,
        ):
            instance.add_dynamic_partitions(JURISDICTIONS, keys)
            config = {**run_config, "execution": {"config": {"multiprocess": {"max_concurrent": 2}}}}
            with dg.execute_job(
                dg.reconstructable(refresh_job_from_env),
                instance=instance,
                tags=range_tags(keys),
                run_config=config,
                raise_on_error=False,
            ) as result:
                # read everything while the instance is alive (the result holds it weakly)
                steps = run_step_timings(instance, result.run_id)
                return result.success, result.run_id, list(result.all_events), steps
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _collect_from_warehouse(summary: RunSummary, opts: RunOptions) -> None:
    """Published/quarantined counts and reasons as the warehouse holds them after the run."""
    from warehouse import db

    if not opts.warehouse.startswith("ducklake:") and not Path(opts.warehouse).exists():
        return
    con = db.connect(opts.warehouse, read_only=True)
    try:
        summary.published = con.execute(
            "select count(*) from current_documents where status = 'published'"
        ).fetchone()[0]
        summary.quarantined = [
            (r[0], r[1] or "")
            for r in con.execute(
                "select coalesce(file_name, doc_id), status_reason from current_documents "
                "where status <> 'published' order by 1"
            ).fetchall()
        ]
    finally:
        con.close()
    summary.outputs = {
        "warehouse": opts.warehouse,
        "exports": opts.out_dir,
        "report": str(Path(opts.out_dir) / "report" / "index.html"),
        "data_docs": str(Path(opts.out_dir) / "data_docs" / "index.html"),
    }


def _record_run(summary: RunSummary, opts: RunOptions) -> None:
    """One row in the warehouse's `runs` table."""
    from warehouse import db

    con = db.connect(opts.warehouse, read_only=False)
    try:
        con.execute(
            "insert into runs (run_id, started_at, finished_at, status, summary) values (?, ?, ?, ?, ?)",
            [
                summary.run_id,
                summary.started_at,
                summary.finished_at,
                "succeeded" if summary.success else "failed",
                json.dumps(summary.to_json(), ensure_ascii=False),
            ],
        )
    finally:
        con.close()
