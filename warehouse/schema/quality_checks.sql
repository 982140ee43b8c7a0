-- quality_checks: every expectation's outcome per document (expectations/outcomes.py): passed (it
-- checked something and found nothing), failed (quality_results holds its findings) or skipped (it
-- had nothing to check: the reason says why). written by the quality stage with quality_results;
-- deleted with the document's rows on reload.
create table if not exists quality_checks (
    doc_id      varchar not null,
    expectation varchar not null,
    suite       varchar not null,
    outcome     varchar not null,  -- passed / failed / skipped
    checked     integer not null,  -- things checked (frame rows with the check's inputs)
    failed      integer not null,  -- findings
    severity    varchar,           -- worst severity of the findings: error / withheld / warning / accepted
    reason      varchar,           -- why it was skipped
    checked_at  timestamptz not null
);
