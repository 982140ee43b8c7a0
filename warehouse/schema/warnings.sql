-- warnings: the record's warnings, plus the loader's own (code sub_cent_amount).
create table if not exists warnings (
    doc_id     varchar not null,
    warning_no integer not null,
    code       varchar not null,
    message    varchar,
    page       integer
);
