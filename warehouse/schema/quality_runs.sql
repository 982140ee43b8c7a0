-- quality_runs: one row per run of the quality stage that validated (expectations/stage.py).
create table if not exists quality_runs (
    checked_at    timestamptz not null,
    suite_version varchar not null,  -- hash of every expectation and its settings: a change re-validates
    documents     integer not null,  -- documents validated
    published     integer not null,
    quarantined   integer not null,
    warned        integer not null,  -- published with at least one warning flag
    errors        integer not null,  -- error-level findings
    warnings      integer not null,  -- warning-level findings
    data_docs     varchar,           -- path of the data docs index written by this run
    elapsed_s     double
);
