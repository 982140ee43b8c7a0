-- runs: one row per pipeline run, for `budgetlens status`.
create table if not exists runs (
    run_id      varchar not null,
    started_at  timestamptz not null,
    finished_at timestamptz,
    status      varchar not null,  -- running / succeeded / failed
    summary     varchar           -- json
);
