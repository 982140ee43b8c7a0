"""Parse: every new or changed raw PDF becomes staged budgetlens.budget/1 records."""

from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets import progress
from assets.ingest import raw_documents
from assets.partitions import jurisdiction_partitions, single_run
from assets.resources import ParserResource, StorageResource
from assets.staging import MAX_PARSE_ATTEMPTS, Staging
from budgetlens.publish.preview import records_table


@dataclass(frozen=True)
class ToParse:
    """One raw file to parse, with what the scraper knows about where it came from."""

    sha256: str
    path: Path
    url: str
    file_name: str | None
    source: str
    fetched_at: str | None


def files_to_parse(
    staging: Staging, raw_path, keys: list[str], parser_version: str
) -> tuple[list[ToParse], int]:
    """Distinct files listed by these sources that this parser version has not parsed yet, and
    how many listed files are already parsed (content-addressed: a changed file is a new sha256)."""
    todo: dict[str, ToParse] = {}
    done = 0
    for key in keys:
        for d in staging.read_inventory(key):
            sha = d["sha256"]
            if sha in todo:
                continue
            if staging.is_parsed(sha, parser_version):
                done += 1
                continue
            todo[sha] = ToParse(sha, raw_path(sha), d["url"], d.get("file_name"), key, d.get("fetched_at"))
    return list(todo.values()), done


def local_raw_path(store, sha256: str) -> Path:
    """The local file of a raw PDF. A raw store synced to an object store downloads it into its
    cache first; one that cannot (missing there too) gives the cache path, and the parser's error
    record says the file could not be read."""
    local = getattr(store, "local", None)
    if local is None:
        return store.path_for(sha256)
    from budgetlens.rawsync import RawSyncError

    try:
        return local(sha256)
    except RawSyncError:
        return store.path_for(sha256)


def gave_up_message(attempts: int) -> str:
    return (
        f"parsing was started {attempts} times and never finished (the process parsing it was killed or "
        "crashed each time): not parsed again until the parser version changes"
    )


@dg.asset(
    group_name="parse",
    partitions_def=jurisdiction_partitions,
    backfill_policy=single_run,
    deps=[raw_documents],
    kinds={"python"},
    description=(
        "New or changed raw PDFs parsed into budgetlens.budget/1 records (a worker per core, each "
        "with a time and memory limit) and staged as JSON envelopes for the warehouse loader."
    ),
)
def parsed_documents(
    context: dg.AssetExecutionContext, storage: StorageResource, parser: ParserResource
) -> dg.MaterializeResult:
    from budgetlens.parse import PARSER_VERSION, error_record, parse_many
    from budgetlens.parse.pool import died_in_worker
    from warehouse.staging import doc_ids_for, make_envelope

    staging = storage.staging()
    store = storage.raw_store()
    todo, already = files_to_parse(
        staging, lambda sha: local_raw_path(store, sha), context.partition_keys, PARSER_VERSION
    )
    # A file whose parse was started MAX_PARSE_ATTEMPTS times and never finished is not tried again.
    exhausted = [t for t in todo if staging.parse_attempts(t.sha256, PARSER_VERSION) >= MAX_PARSE_ATTEMPTS]
    todo = [t for t in todo if t not in exhausted]
    by_path = {t.path: t for t in todo}
    errors: dict[str, int] = {}
    rows: list[dict] = []
    n_records = 0
    retry_next_run = 0

    def finish(t: ToParse, records: list[dict], final: bool) -> None:
        nonlocal n_records
        doc_ids = doc_ids_for(t.sha256, len(records))
        for doc_id, record in zip(doc_ids, records, strict=True):
            staging.write_envelope(
                make_envelope(
                    doc_id=doc_id,
                    file_sha256=t.sha256,
                    record=record,
                    source_url=t.url,
                    file_name=t.file_name,
                    jurisdiction_hint=t.source,
                    fetched_at=t.fetched_at,
                    parser_version=PARSER_VERSION,
                    record_count=len(records),
                )
            )
        error = records[0]["error"]["code"] if records and records[0].get("error") else None
        if error:
            errors[error] = errors.get(error, 0) + 1
            context.log.warning(f"{t.file_name or t.url}: {error}: {records[0]['error']['message']}")
        if final:  # otherwise the error record stands until the next run parses the file again
            staging.mark_parsed(t.sha256, PARSER_VERSION, doc_ids, error)
            staging.end_parse(t.sha256)
        n_records += len(records)
        doc = records[0].get("document") or {}
        rows.append(
            {
                "file": t.file_name or t.url,
                "records": len(records),
                "department": doc.get("department"),
                "year": doc.get("fiscal_year"),
                "error": error or "",
            }
        )

    with progress.task("parse", len(todo) + len(exhausted)) as task:
        for t in exhausted:
            attempts = staging.parse_attempts(t.sha256, PARSER_VERSION)
            finish(
                t, [error_record(t.path.name, t.sha256, None, "internal", gave_up_message(attempts))], True
            )
            task.advance()
        for path, records in parse_many(
            [t.path for t in todo],
            workers=parser.workers,
            timeout_s=parser.timeout_s,
            memory_mb=parser.memory_mb,
            on_start=lambda p: staging.begin_parse(by_path[p].sha256, PARSER_VERSION),
        ):
            t = by_path[path]
            final = True
            if died_in_worker(records):  # the cause may lie outside the file: once more next run
                attempts = staging.parse_attempts(t.sha256, PARSER_VERSION)
                if attempts < MAX_PARSE_ATTEMPTS:
                    final = False
                    retry_next_run += 1
                    records[0]["error"]["message"] += (
                        f" (attempt {attempts} of {MAX_PARSE_ATTEMPTS}: parsed again on the next run)"
                    )
            finish(t, records, final)
            task.advance()
    return dg.MaterializeResult(
        metadata={
            "parsed_files": dg.MetadataValue.int(len(todo)),
            "retry_next_run": dg.MetadataValue.int(retry_next_run),
            "gave_up": dg.MetadataValue.int(len(exhausted)),
            "records": dg.MetadataValue.int(n_records),
            "already_parsed": dg.MetadataValue.int(already),
            "errors": dg.MetadataValue.json(errors),
            "parser_version": dg.MetadataValue.text(PARSER_VERSION),
            "preview": dg.MetadataValue.md(records_table(rows)),
        }
    )
