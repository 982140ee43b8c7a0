-- documents: one row per parsed department record (a compilation file gives several).
-- no primary key (duckdb and ducklake alike): the loader replaces rows by doc_id.
create table if not exists documents (
    doc_id               varchar not null,  -- file sha256, or '<sha256>-<k>' for the k-th record of a compilation
    file_sha256          varchar not null,
    record_index         integer not null,  -- k (1-based) within the file
    record_count         integer,           -- records the file gave (null when the envelope did not say)
    source_url           varchar,
    file_name            varchar,
    jurisdiction         varchar,
    jurisdiction_hint    varchar,
    department           varchar,
    department_canonical varchar,
    department_type      varchar not null,
    fiscal_year          integer,
    kind                 varchar,
    scope                varchar,
    template             varchar,
    status               varchar not null,  -- published / quarantined / failed
    status_reason        varchar,
    error_code           varchar,
    first_page           integer,
    last_page            integer,
    page_count           integer,
    table_count          integer not null,
    warning_count        integer not null,
    parser_version       varchar,
    parsed_at            timestamptz,
    fetched_at           timestamptz,
    loaded_at            timestamptz not null,
    superseded_by        varchar,           -- file_sha256 of the newer file from the same source_url
    replaced_by          varchar,           -- doc_id of the newer file of the same budget under another url (warehouse/budgets.py)
    part_of              varchar,           -- doc_id of the budget this file is a part of (a split publication's text part)
    quality_flags        varchar[],
    checked_at           timestamptz
);
