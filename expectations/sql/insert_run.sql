-- insert_run: one row per quality run that validated.
insert into quality_runs (
    checked_at, suite_version, documents, published, quarantined, warned, errors, warnings, data_docs, elapsed_s
)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
